"""Demo corpus: 160 fictional stories from Lindehoven, written to ``stories/`` as Markdown.

Fragments are written per theme and valence in the voices of residents, entrepreneurs,
professionals and young people; each buurt has its own mix so that stories and figures
sometimes agree (Rietveld: money worries, high bijstand) and sometimes clearly disagree
(Lindenhof: good figures, lonely older residents; Kanaalzone: worst safety figures, yet
young people and parents praise the jongerenwerk). Some stories carry fictional names,
addresses and phone numbers, so that pseudonymisation on import is visible.
Run ``python -m wijkkit.demo.verhalen``; the seed is fixed.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import yaml

SEED = 2026
AANTAL = 160

# (theme, valence) -> sentences; the labels double as the tuning gold set of the tagger.
FRAGMENTEN: dict[tuple[str, str], list[str]] = {
    ("schoon_heel", "knelpunt"): [
        "Naast de containers liggen altijd vuilniszakken en grofvuil.",
        "Het zwerfafval waait de hele dag over het plein.",
        "De lantaarnpaal bij de portiek is al maanden kapot.",
        "Overal graffiti op de garagedeuren, niemand haalt het weg.",
    ],
    ("schoon_heel", "kracht"): [
        "Sinds de buurtschoonmaak ligt er veel minder afval op straat.",
        "Een paar buren ruimen elke zaterdag samen de rommel op, dat maakt echt verschil.",
        "De gemeente heeft de kapotte bankjes snel gerepareerd, nu is het weer netjes.",
    ],
    ("openbare_ruimte", "knelpunt"): [
        "Er is te weinig groen, alleen maar stenen en parkeerplaatsen.",
        "De speeltuin is verouderd en de kinderen hebben geen plek om te spelen.",
        "Het verkeer raast door de straat, oversteken met de kinderwagen is eng.",
    ],
    ("openbare_ruimte", "kracht"): [
        "Het park is onze achtertuin, op zomeravonden zit iedereen op het gras.",
        "Het nieuwe plein met de bomen en bankjes is echt mooi geworden.",
        "De kinderen spelen elke middag op het trapveld achter de flat.",
    ],
    ("veiligheid", "knelpunt"): [
        "'s Avonds voel ik me niet veilig als ik langs de onderdoorgang loop.",
        "Er wordt openlijk gedeald bij de garageboxen, iedereen weet het.",
        "Er is veel jongerenoverlast bij het winkelcentrum, ze schreeuwen tot diep in de nacht.",
        "Bij ons in de portiek is twee keer ingebroken, sindsdien slaap ik slecht.",
    ],
    ("veiligheid", "kracht"): [
        "De wijkagent kent iedereen bij naam en dat geeft vertrouwen.",
        "Het is hier rustiger dan vroeger, ik heb eigenlijk geen overlast meer.",
        "Sinds er meer licht is op het pad voel ik me veilig als ik laat thuiskom.",
    ],
    ("wonen", "knelpunt"): [
        "In de slaapkamer zit schimmel en de corporatie komt maar niet kijken.",
        "De huur is weer omhoog gegaan terwijl de woning tocht aan alle kanten.",
        "Mijn zoon staat al negen jaar op de wachtlijst voor een woning.",
        "Onze flat gaat over vijf jaar tegen de vlakte, niemand weet waar we dan heen moeten.",
    ],
    ("wonen", "kracht"): [
        "Na de renovatie is het huis warm en de energierekening lager.",
        "Ik woon hier al veertig jaar met plezier, ik wil nooit meer verhuizen.",
        "De corporatie heeft goed geluisterd bij de renovatie van ons blok.",
    ],
    ("sociale_samenhang", "knelpunt"): [
        "Sinds mijn man is overleden ben ik erg eenzaam, ik spreek soms dagen niemand.",
        "De buren groeten elkaar niet meer, iedereen leeft langs elkaar heen.",
        "Er zijn spanningen tussen de oude bewoners en de nieuwkomers in de straat.",
    ],
    ("sociale_samenhang", "kracht"): [
        "Als je hier ziek bent, staat de buurvrouw met soep voor de deur.",
        "We helpen elkaar met boodschappen en klusjes, dat is hier heel gewoon.",
        "Bij het straatfeest kwam de hele buurt samen, jong en oud.",
    ],
    ("armoede_schulden", "knelpunt"): [
        "Aan het eind van de maand is er geen geld meer voor eten.",
        "Veel gezinnen hier hebben schulden en durven geen hulp te vragen.",
        "Sinds de energierekening zo hoog is, zet ik de verwarming bijna nooit aan.",
        "Steeds meer mensen uit de straat gaan naar de voedselbank.",
    ],
    ("armoede_schulden", "kracht"): [
        "Dankzij de schuldhulp van het wijkteam kan ik weer rondkomen.",
        "Bij de kledingruil en de weggeefkast helpen mensen elkaar de maand door.",
    ],
    ("werk_economie", "knelpunt"): [
        "Ik solliciteer al twee jaar maar vind geen baan.",
        "Als ondernemer merk ik dat de klanten wegblijven, de omzet is gehalveerd.",
        "Er staan steeds meer winkels leeg in de winkelstraat.",
    ],
    ("werk_economie", "kracht"): [
        "Via het leerwerktraject heb ik een vaste baan gevonden bij de bouw.",
        "Mijn zaak draait goed, de mensen uit de buurt zijn trouwe klanten.",
        "De nieuwe ondernemers aan de markt geven de straat nieuw leven.",
    ],
    ("onderwijs_jeugd", "knelpunt"): [
        "De kinderen hebben na school niks te doen en hangen op straat.",
        "Veel jongeren maken hun school niet af en raken uit beeld.",
        "Op school zie ik kinderen die zonder ontbijt in de klas zitten.",
    ],
    ("onderwijs_jeugd", "kracht"): [
        "De jongerenwerker heeft mijn zoon echt geholpen om zijn talent te ontdekken.",
        "Het huiswerkclubje in de bibliotheek doet wonderen voor de kinderen.",
        "Jongeren uit de wijk organiseren zelf een voetbaltoernooi, daar ben ik trots op.",
    ],
    ("gezondheid_zorg", "knelpunt"): [
        "De huisarts heeft een patiëntenstop, ik moet naar de andere kant van de stad.",
        "Veel ouderen hebben psychische klachten maar krijgen geen zorg.",
        "Als mantelzorger voor mijn moeder ben ik altijd moe en gestrest.",
    ],
    ("gezondheid_zorg", "kracht"): [
        "Het wandelclubje op dinsdag houdt me gezond en in beweging.",
        "De wijkverpleegkundige komt elke week langs, dat is een geruststelling.",
        "Sinds de sportvereniging gratis lessen geeft, sporten veel meer kinderen.",
    ],
    ("vertrouwen_participatie", "knelpunt"): [
        "De gemeente komt met mooie beloftes maar er gebeurt nooit iets.",
        "We voelen ons niet gehoord, de plannen liggen al klaar voordat wij iets mogen zeggen.",
        "Ik heb geen vertrouwen meer in de instanties, je wordt van het kastje naar de muur gestuurd.",
    ],
    ("vertrouwen_participatie", "kracht"): [
        "Op de bewonersavond hebben we zelf het plan voor het plein bedacht.",
        "Het is fijn dat de gemeente ons nu echt laat meedenken over de wijkaanpak.",
    ],
    ("voorzieningen", "knelpunt"): [
        "Het buurthuis is dicht en er is geen plek meer om elkaar te ontmoeten.",
        "De bus rijdt nog maar één keer per uur, voor ouderen is dat een ramp.",
        "De bibliotheek is verdwenen en de supermarkt is ver weg.",
    ],
    ("voorzieningen", "kracht"): [
        "Het buurthuis is het kloppend hart van de wijk, er is altijd koffie.",
        "Het wijkcentrum biedt taalles, een spreekuur en een kookclub.",
        "Op de markt op zaterdag kom je iedereen tegen.",
    ],
    ("identiteit_cultuur", "knelpunt"): [
        "De wijk heeft een slechte naam, als ik zeg waar ik woon kijken mensen raar.",
        "In de krant staat alleen negatief nieuws over ons, dat stigma blijft hangen.",
    ],
    ("identiteit_cultuur", "kracht"): [
        "Ik ben trots op deze wijk, met al die culturen is het een wereld op zich.",
        "Het festival laat zien wat een kunst en talent er in de wijk zit.",
        "De geschiedenis van de haven zit in de muren, daar zijn we zuinig op.",
    ],
}

# Which themes and valences dominate per buurt (weights), so stories and figures can meet.
BUURT_MIX = {
    "BU99990101": {"identiteit_cultuur": 3, "werk_economie": 3, "voorzieningen": 2, "schoon_heel": 2},
    "BU99990102": {"werk_economie": 4, "voorzieningen": 2, "openbare_ruimte": 2},
    "BU99990103": {"veiligheid": 3, "schoon_heel": 3, "wonen": 2, "armoede_schulden": 2},
    "BU99990104": {"sociale_samenhang": 3, "openbare_ruimte": 2, "gezondheid_zorg": 2},
    "BU99990201": {"armoede_schulden": 4, "sociale_samenhang": 3, "wonen": 3, "vertrouwen_participatie": 2},
    "BU99990202": {"wonen": 4, "armoede_schulden": 3, "schoon_heel": 2, "vertrouwen_participatie": 2},
    "BU99990203": {"wonen": 3, "voorzieningen": 3, "onderwijs_jeugd": 2},
    "BU99990204": {"onderwijs_jeugd": 4, "veiligheid": 3, "sociale_samenhang": 2},
    "BU99990301": {"sociale_samenhang": 4, "gezondheid_zorg": 3, "voorzieningen": 2},
    "BU99990302": {"openbare_ruimte": 3, "sociale_samenhang": 3, "gezondheid_zorg": 2},
    "BU99990303": {"sociale_samenhang": 3, "gezondheid_zorg": 3, "voorzieningen": 3},
    "BU99990304": {"openbare_ruimte": 3, "onderwijs_jeugd": 2, "identiteit_cultuur": 2},
    "BU99990305": {"openbare_ruimte": 3, "voorzieningen": 2, "vertrouwen_participatie": 2},
}
# Share of strengths per (buurt prefix, theme); default 0.45.
KRACHT = {("BU99990201", "sociale_samenhang"): 0.85, ("BU99990204", "onderwijs_jeugd"): 0.8,
          ("BU99990204", "veiligheid"): 0.6, ("BU99990301", "sociale_samenhang"): 0.15,
          ("BU99990303", "sociale_samenhang"): 0.2, ("BU99990202", "wonen"): 0.15,
          ("BU99990201", "armoede_schulden"): 0.2, ("BU99990101", "identiteit_cultuur"): 0.8}

METHODEN = ["storytelling", "straatgesprek", "buurtbabbel", "interview", "verhalenavond", "straatschouw",
            "observatie", "anders"]
ROLLEN = {"bewoner": 0.55, "ondernemer": 0.12, "professional": 0.18, "jongere": 0.15}
OPENERS = {
    "bewoner": ["Ik woon hier nu {jaren} jaar.", "Wat ik wil vertellen over de buurt:", "Ik ben hier geboren en getogen."],
    "ondernemer": ["Ik heb hier al {jaren} jaar een zaak.", "Als ondernemer in de buurt zie ik veel."],
    "professional": ["Vanuit mijn werk in de wijk zie ik het volgende.", "Ik werk hier nu {jaren} jaar."],
    "jongere": ["Ik ben zeventien en woon hier met mijn ouders.", "Wij jongeren worden vaak vergeten."],
}
VERZAMELAARS = ["Welzijn Lindehoven", "Wijkteam Rietveld", "Hogeschool Lindehoven, lectoraat Wijkaanpak",
                "Woonstichting Lindehoven", "Gemeente Lindehoven, wijkregie"]
# Fictional personal details, planted so the pseudonymiser has work to do.
PERSOONLIJK = [
    "Vraag maar aan mijn buurvrouw Greet Hoogendoorn, die weet alles.",
    "Je kunt me bellen op 06-41234567 als je meer wilt weten.",
    "Ik woon op de Rietveldstraat 112, de flat met de blauwe deuren.",
    "Mijn buurman Ahmed Bouzid zegt precies hetzelfde.",
    "Mail me gerust via els.vanderberg@example.nl.",
    "Meneer Jansen van nummer 8 heeft de sleutel van het hek.",
    "Mijn postcode is 9991 AB, dus ik zit er middenin.",
    "Bel gerust, mijn nummer is +31 6 2233 4455.",
]
BUURT_NAMEN = {"BU99990101": "Oude Haven", "BU99990102": "Marktkwartier", "BU99990103": "Stationsbuurt",
               "BU99990104": "Bolwerk", "BU99990201": "Rietveld-Noord", "BU99990202": "Rietveld-Zuid",
               "BU99990203": "Het Gors", "BU99990204": "Kanaalzone", "BU99990301": "Lindenhof-Oost",
               "BU99990302": "Lindenhof-West", "BU99990303": "Kersenbogerd", "BU99990304": "Molenpark",
               "BU99990305": "Polderzicht"}


def compose(rng: np.random.Generator, index: int) -> tuple[dict, str, list[tuple[str, str]]]:
    buurten = list(BUURT_MIX)
    weights = np.array([3 if b.startswith("BU999902") else 2 for b in buurten], dtype=float)
    buurt = buurten[rng.choice(len(buurten), p=weights / weights.sum())]
    rol = list(ROLLEN)[rng.choice(len(ROLLEN), p=list(ROLLEN.values()))]
    mix = BUURT_MIX[buurt]
    themes = list(mix)
    p = np.array(list(mix.values()), dtype=float)
    chosen = list(dict.fromkeys(rng.choice(themes, size=int(rng.integers(2, 4)), p=p / p.sum())))
    sentences = [OPENERS[rol][rng.integers(len(OPENERS[rol]))].format(jaren=int(rng.integers(2, 40)))]
    labels = []
    for theme in chosen:
        valence = "kracht" if rng.random() < KRACHT.get((buurt, theme), 0.45) else "knelpunt"
        options = FRAGMENTEN[(theme, valence)]
        sentences.append(options[rng.integers(len(options))])
        labels.append((theme, valence))
    if rng.random() < 0.2:
        sentences.insert(int(rng.integers(1, len(sentences) + 1)), PERSOONLIJK[rng.integers(len(PERSOONLIJK))])
    if rng.random() < 0.3:
        sentences.append(f"Zo is het hier in {BUURT_NAMEN[buurt]}.")
    methode = METHODEN[rng.integers(len(METHODEN))] if rol != "professional" else \
        ["interview", "observatie", "straatschouw"][rng.integers(3)]
    toestemming = ["citeren-anoniem", "analyse", "none"][rng.choice(3, p=[0.65, 0.28, 0.07])]
    datum = date(2023, 3, 1) + timedelta(days=int(rng.integers(0, 900)))
    meta = {"gebied": buurt, "datum": datum, "methode": methode, "verteller_rol": rol,
            "verzamelaar": VERZAMELAARS[rng.integers(len(VERZAMELAARS))], "toestemming": toestemming}
    return meta, " ".join(sentences), labels


def generate(folder: str | Path = "stories", aantal: int = AANTAL) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("verhaal-*.md"):
        old.unlink()
    rng = np.random.default_rng(SEED)
    written = []
    for index in range(1, aantal + 1):
        meta, text, _ = compose(rng, index)
        path = folder / f"verhaal-{index:03d}.md"
        head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).strip()
        path.write_text(f"---\n{head}\n---\n{text}\n", encoding="utf-8")
        written.append(path)
    return written


def tuning_gold() -> list[dict]:
    """Every fragment with its theme: the set the tagger's terms were tuned on (not held out)."""
    return [{"text": s, "themes": [theme]} for (theme, _), sentences in FRAGMENTEN.items() for s in sentences]


if __name__ == "__main__":
    print(f"{len(generate())} verhalen geschreven in stories/")
