"""The schouw form: an XLSForm for ODK Collect and KoBoToolbox, in Dutch, with the project's own choices.

Written with openpyxl and checked with pyxform (the converter both ODK Central and KoBoToolbox run on upload),
so a form that leaves wijkkit converts there too. The names in it are what :mod:`wijkkit.kijken.lezen` reads back.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from wijkkit.errors import Probleem, WijkkitInputError
from wijkkit.kijken.onderdelen import FORM_NAMEN, NIET_BEKEKEN, NIVEAU_UITLEG, Onderdeel

ROLLEN = {"bewoner": "Bewoner", "wijkbeheerder": "Wijkbeheerder (gemeente)", "corporatie": "Woningcorporatie",
          "wijkprofessional": "Andere wijkprofessional", "anders": "Anders"}
FORM_ID = "wijkkit_schouw"
SURVEY = ["type", "name", "label", "hint", "required", "relevant", "appearance", "default", "constraint",
          "constraint_message"]
UITLEG = ("Kijk om je heen, zo'n 25 meter in elke richting, en geef elk onderdeel een niveau van de CROW-"
          "beeldkwaliteit: A+ zeer hoog, A hoog, B basis, C laag, D zeer laag. Niet te zien: 'niet van toepassing'. "
          "Fotografeer geen mensen of kentekens.")


def schouwformulier(uitvoer: str | Path, *, titel: str, buurten: Mapping[str, str], onderdelen: list[Onderdeel],
                    themas: Mapping[str, str], versie: str | None = None) -> Path:
    """Write ``schouw.xlsx`` (survey, choices, settings) and check it converts; returns the path.

    ``buurten`` (code -> name) are the project's buurten, the choice when a walker has no GPS; ``themas``
    (id -> label) come from the codebook, for what a remark is about.
    """
    from openpyxl import Workbook

    if not buurten:
        raise WijkkitInputError(Probleem("wijkkit.toml", "buurten om uit te kiezen: cijfers van de gemeente met "
                                         "buurtcodes (BU...) in de map data, of een buurtkaart",
                                         gevonden="geen buurten"))
    if not onderdelen:
        raise WijkkitInputError(Probleem("indicatoren.yml", "onderdelen om te schouwen (indicatoren met bron: schouw "
                                         "en een onderdeel)", gevonden="geen"))
    survey = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "note", "name": "uitleg", "label": UITLEG},
        {"type": "date", "name": "datum", "label": "Datum van de schouw", "required": "yes", "default": "today()"},
        {"type": "select_one rol", "name": "rol", "label": "Wie schouwt er?", "required": "yes"},
        {"type": "select_one plek", "name": "plek", "label": "Hoe leg je de plek vast?", "required": "yes"},
        {"type": "geopoint", "name": "locatie", "label": "Waar sta je?", "required": "yes",
         "hint": "Wacht tot de nauwkeurigheid onder de 10 meter is.", "relevant": "${plek} = 'gps'"},
        {"type": "select_one buurt", "name": "buurt", "label": "In welke buurt ben je?", "required": "yes",
         "relevant": "${plek} = 'buurt'", "appearance": "autocomplete" if len(buurten) > 12 else ""},
        {"type": "begin_group", "name": "schouw", "label": "Beeldkwaliteit (CROW)"},
        *({"type": "select_one crow", "name": o.naam, "label": o.vraag, "required": "yes"} for o in onderdelen),
        {"type": "end_group", "name": "schouw"},
        {"type": "text", "name": "opmerking", "label": "Wat valt je op? (vrij, mag leeg)",
         "hint": "Noem geen namen of huisnummers van mensen."},
        {"type": "select_one thema", "name": "thema", "label": "Over welk thema gaat je opmerking vooral?",
         "relevant": "${opmerking} != ''"},
        {"type": "image", "name": "foto", "label": "Foto (mag leeg)",
         "hint": "Geen herkenbare gezichten of kentekens: een mens kijkt elke foto na voordat hij gedeeld wordt."},
        {"type": "select_one janee", "name": "toestemming", "required": "yes",
         "label": "Mogen je opmerking en foto op de openbare pagina's van de kenniskring?",
         "hint": "Nee: alleen het projectteam ziet ze. De scores tellen altijd mee."},
    ]
    choices = [
        *({"list_name": "rol", "name": k, "label": v} for k, v in ROLLEN.items()),
        {"list_name": "plek", "name": "gps", "label": "Met de GPS van de telefoon"},
        {"list_name": "plek", "name": "buurt", "label": "Ik kies de buurt uit een lijst"},
        *({"list_name": "buurt", "name": code, "label": naam} for code, naam in sorted(buurten.items(),
                                                                                         key=lambda kv: kv[1])),
        *({"list_name": "crow", "name": FORM_NAMEN[n], "label": uitleg} for n, uitleg in NIVEAU_UITLEG.items()),
        {"list_name": "crow", "name": NIET_BEKEKEN, "label": "Niet van toepassing (niet te zien)"},
        *({"list_name": "thema", "name": k, "label": v} for k, v in themas.items()),
        {"list_name": "janee", "name": "ja", "label": "Ja"},
        {"list_name": "janee", "name": "nee", "label": "Nee"},
    ]
    settings = {"form_title": titel, "form_id": FORM_ID, "version": versie or date.today().strftime("%Y%m%d01"),
                "instance_name": "concat(${datum}, ' ', ${rol})"}

    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    _write(sheet, SURVEY, survey)
    _write(book.create_sheet("choices"), ["list_name", "name", "label"], choices)
    _write(book.create_sheet("settings"), list(settings), [settings])
    uitvoer = Path(uitvoer)
    uitvoer.parent.mkdir(parents=True, exist_ok=True)
    partial = uitvoer.with_name(".deel-" + uitvoer.name)
    book.save(partial)
    try:
        controleer(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(uitvoer)
    return uitvoer


def controleer(path: str | Path) -> str:
    """Convert the form with pyxform as ODK Central and KoBoToolbox would; the XForm, or a Dutch error."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    try:
        return convert(xlsform=str(path), validate=False).xform
    except PyXFormError as exc:
        raise WijkkitInputError(Probleem(Path(path).name, "een XLSForm die ODK en KoBoToolbox kunnen lezen",
                                         gevonden=str(exc).splitlines()[0][:200])) from None


def _write(sheet, header: list[str], rows: list[dict]) -> None:
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column, "") for column in header])
