# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Verbinden: cijfers en verhalen naast elkaar
#
# Per gebied en thema: wat zeggen de cijfers (indicatoren van dat thema, index en jaar), wat
# zeggen de verhalen (aantal, krachten en knelpunten), en waar wijzen ze verschillende kanten op
# (**spanning**)? Dit zijn dezelfde overzichten als in het kenniskring-dashboard, voor een rapport.
#
# Aantallen onder de privacydrempel staan er als "minder dan 5"; citaten alleen uit verhalen met
# toestemming om te citeren.

# %% tags=["parameters"]
PROJECT = ".."   # projectmap met wijkkit.toml
GEBIEDEN = []    # gebiedscodes; leeg: de gebieden in focus uit wijkkit.toml
UITVOER = ""     # map voor de kruistabellen als CSV, leeg laten om niets te schrijven

# %%
import os
from pathlib import Path

from IPython.display import Markdown, display

from wijkkit.charts import enable_offline
from wijkkit.kenniskring.duiding import VELDEN, aanwezigen_tekst, duidingen
from wijkkit.kenniskring.gegevens import Kenniskring
from wijkkit.tellen.grafieken import profiel_chart
from wijkkit.verbinden.kaart import buurtkaart

enable_offline()
kring = Kenniskring(os.environ.get("WIJKKIT_PROJECT", PROJECT))
gebieden = GEBIEDEN or kring.project.config.project.gebieden or [kring.standaard_gebied()]
display(Markdown(f"**{kring.project.config.project.naam}** · gebieden: "
                 + ", ".join(kring.namen.get(g, g) for g in gebieden) + f" · {kring.referentie_label()}"))

# %% [markdown]
# ## Kruistabel per gebied
# Per thema: het oordeel van de cijfers, het beeld uit de verhalen en of ze elkaar tegenspreken.

# %%
kolommen = {"label": "thema", "cijfers": "de cijfers", "cijfers_jaren": "jaren", "verhalen_zeggen": "de verhalen",
            "verhalen_publiek": "verhalen", "spanning": "spanning", "uitleg": "uitleg"}
tabellen = {}
for gebied in gebieden:
    tabel = kring.kruistabel(gebied)
    tabellen[gebied] = tabel
    display(Markdown(f"### {kring.namen.get(gebied, gebied)}"))
    display(tabel[list(kolommen)].rename(columns=kolommen)
            .assign(spanning=lambda d: d["spanning"].map({True: "ja", False: ""}))
            .style.hide(axis="index"))
    if UITVOER:
        Path(UITVOER).mkdir(parents=True, exist_ok=True)
        tabel[list(kolommen)].rename(columns=kolommen).to_csv(Path(UITVOER) / f"kruistabel-{gebied}.csv", index=False)

# %% [markdown]
# ## Waar cijfers en verhalen elkaar tegenspreken
# Voor elk thema met een spanning: het profiel van de cijfers en wat vertellers zeggen.

# %%
for gebied, tabel in tabellen.items():
    for rij in tabel[tabel["spanning"]].itertuples():
        display(Markdown(f"### {kring.namen.get(gebied, gebied)}: {rij.label}\n\n{rij.uitleg}"))
        deel = kring.profiel(gebied)
        deel = deel[(deel["domein"] == rij.thema) & deel["index"].notna()]
        if len(deel):
            display(profiel_chart(deel, referentie_label=kring.referentie_label(), width=480))
        beeld = kring.verhalen(gebied, rij.thema)
        citaten = "\n".join(f"> {c.citaat}\n>\n> *{c.verteller_rol}, {c.methode} ({c.valentie})*\n"
                            for c in beeld.citaten.itertuples())
        display(Markdown(f"{beeld.publiek} verhalen: {beeld.kracht} krachten en {beeld.knelpunt} knelpunten.\n\n"
                         + citaten))
if not any(t["spanning"].any() for t in tabellen.values()):
    display(Markdown("*Geen spanningen gevonden: cijfers en verhalen wijzen nergens duidelijk tegen elkaar in.*"))

# %% [markdown]
# ## Buurtkaart
# Per thema met een spanning: links de cijfers, rechts de verhalen (aandeel krachten; grijs bij te weinig verhalen).

# %%
themas = sorted({t for tabel in tabellen.values() for t in tabel.loc[tabel["spanning"], "thema"]})
for thema in themas:
    label = kring.labels[thema]
    cijfers = buurtkaart(kring.kaartwaarden(thema, "cijfers"), waarde="waarde", titel=f"{label}: cijfers",
                         legenda="← ongunstiger · gunstiger →", geometry=kring.geometrie, breedte=380, hoogte=300,
                         ondertitel="Gemiddelde van de indicatoren van dit thema per buurt.")
    verhalen = buurtkaart(kring.kaartwaarden(thema, "verhalen"), waarde="waarde", titel=f"{label}: verhalen",
                          legenda="% krachten", domein=(0, 50, 100), geometry=kring.geometrie, breedte=380,
                          hoogte=300, ondertitel="Aandeel krachten; grijs: minder dan "
                                                 f"{kring.drempel} verhalen.")
    display(cijfers)
    display(verhalen)

# %% [markdown]
# ## Duiding van de kenniskringen

# %%
for gebied in gebieden:
    notities = duidingen(kring.store, gebied=gebied)
    if notities.empty:
        display(Markdown(f"*Nog geen duiding voor {kring.namen.get(gebied, gebied)}.*"))
    for d in notities.itertuples():
        velden = "\n\n".join(f"**{vraag}** {getattr(d, veld)}" for veld, vraag in VELDEN.items() if getattr(d, veld))
        display(Markdown(f"**{kring.namen.get(gebied, gebied)} · {kring.labels.get(d.thema, d.thema)} · "
                         f"{d.datum:%d-%m-%Y}** (aanwezig: {aanwezigen_tekst(d.aanwezigen)})\n\n{velden}"))
