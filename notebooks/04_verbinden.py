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

from IPython.display import HTML, display

from wijkkit.charts import KNELPUNT, KRACHT, ROND, enable_offline
from wijkkit.kenniskring.duiding import VELDEN, aanwezigen_tekst, duidingen
from wijkkit.kenniskring.gegevens import Kenniskring
from wijkkit.tellen.grafieken import profiel_chart
from wijkkit.verbinden.kaart import buurtkaart
from wijkkit.weergave import citaat_html, esc, spreadsheet_tabel, tabel, tekst_html

enable_offline()
kring = Kenniskring(os.environ.get("WIJKKIT_PROJECT", PROJECT))
gebieden = GEBIEDEN or kring.project.config.project.gebieden or [kring.standaard_gebied()]
display(HTML(f"<p><b>{esc(kring.project.config.project.naam)}</b> · gebieden: "
             + ", ".join(esc(kring.namen.get(g, g)) for g in gebieden) + f" · {esc(kring.referentie_label())}</p>"))

# %% [markdown]
# ## Kruistabel per gebied
# Per thema: het oordeel van de cijfers, het beeld uit de verhalen, wat de straatschouw zag (als het project er een
# heeft: `wijkkit schouw importeer`) en of cijfers en verhalen elkaar tegenspreken.

# %%
kolommen = {"label": "thema", "cijfers": "de cijfers", "cijfers_jaren": "jaren", "verhalen_zeggen": "de verhalen",
            "verhalen_publiek": "verhalen", "nog_niet_gecodeerd": "nog niet gecodeerd", "schouw": "de straatschouw",
            "spanning": "spanning", "uitleg": "uitleg"}
tabellen = {}
for gebied in gebieden:
    tabel_g = kring.kruistabel(gebied)
    tabellen[gebied] = tabel_g
    display(HTML(f"<h3>{esc(kring.namen.get(gebied, gebied))}</h3>"))
    leesbaar = tabel_g[list(kolommen)].rename(columns=kolommen)
    display(tabel(leesbaar.assign(spanning=lambda d: d["spanning"].map({True: "ja", False: ""}))))
    if UITVOER:
        Path(UITVOER).mkdir(parents=True, exist_ok=True)
        spreadsheet_tabel(leesbaar).to_csv(Path(UITVOER) / f"kruistabel-{gebied}.csv", index=False)

# %% [markdown]
# ## Waar cijfers en verhalen elkaar tegenspreken
# Voor elk thema met een spanning: het profiel van de cijfers en wat vertellers zeggen.

# %%
for gebied, tabel_g in tabellen.items():
    for rij in tabel_g[tabel_g["spanning"]].itertuples():
        display(HTML(f"<h3>{esc(kring.namen.get(gebied, gebied))}: {esc(rij.label)}</h3><p>{esc(rij.uitleg)}</p>"))
        deel = kring.profiel(gebied)
        deel = deel[(deel["domein"] == rij.thema) & deel["index"].notna()]
        if len(deel):
            display(profiel_chart(deel, referentie_label=kring.referentie_label(), width=480))
        beeld = kring.verhalen(gebied, rij.thema)
        display(HTML(f"<p>{esc(beeld.samenvatting)}</p>" + "".join(
            citaat_html(c.citaat, f"{c.verteller_rol}, {c.methode} ({c.valentie})") for c in beeld.citaten.itertuples())))
if not any(t["spanning"].any() for t in tabellen.values()):
    display(HTML("<p><i>Geen spanningen gevonden: cijfers en verhalen wijzen nergens duidelijk tegen elkaar in.</i></p>"))

# %% [markdown]
# ## Buurtkaart
# Per thema met een spanning: links de cijfers, rechts de verhalen (aandeel krachten; grijs bij te weinig verhalen).

# %%
themas = sorted({t for tabel_g in tabellen.values() for t in tabel_g.loc[tabel_g["spanning"], "thema"]})
for thema in themas:
    label = kring.labels[thema]
    cijfers = buurtkaart(kring.kaartwaarden(thema, "cijfers"), waarde="waarde", titel=f"{label}: cijfers",
                         legenda="← ongunstiger · gunstiger →", geometry=kring.geometrie, breedte=380, hoogte=300,
                         ondertitel="Gemiddelde van de indicatoren van dit thema per buurt.")
    verhalen = buurtkaart(kring.kaartwaarden(thema, "verhalen"), waarde="waarde", titel=f"{label}: verhalen",
                          legenda="% krachten", domein=(0, 50, 100), kleuren=(KNELPUNT, ROND, KRACHT),
                          geometry=kring.geometrie, breedte=380,
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
        display(HTML(f"<p><i>Nog geen duiding voor {esc(kring.namen.get(gebied, gebied))}.</i></p>"))
    for d in notities.itertuples():
        velden = "".join(f"<p><b>{esc(vraag)}</b> {tekst_html(getattr(d, veld))}</p>"
                         for veld, vraag in VELDEN.items() if getattr(d, veld))
        aanwezig = aanwezigen_tekst(d.aanwezigen, kring.drempel)  # under the threshold: "minder dan 5"
        display(HTML(f"<p><b>{esc(kring.namen.get(gebied, gebied))} · {esc(kring.labels.get(d.thema, d.thema))} · "
                     f"{d.datum:%d-%m-%Y}</b> (aanwezig: {esc(aanwezig)})</p>{velden}"))
