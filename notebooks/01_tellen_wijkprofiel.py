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
# # Tellen: het wijkprofiel
#
# Dit notebook maakt van de CBS-bestanden in de map `data/` een **wijkprofiel**: waar staat
# een wijk of buurt nu, ten opzichte van welke referentie, hoe ontwikkelt het zich, en hoe
# oud is elk cijfer?
#
# Let op bij het lezen:
# - Een punt (`.`) in een CBS-bestand betekent *niet beschikbaar*, niet nul. wijkkit toont
#   dan het nieuwste jaar dat wel een cijfer heeft, **met dat jaar erbij**.
# - Cijfers beschrijven een gebied, niet de mensen die er wonen.
# - Het gemiddelde van de gemeente is één referentie; vergelijk ook met eerdere jaren en
#   met vergelijkbare buurten.

# %% tags=["parameters"]
PROJECT = ".."      # projectmap met wijkkit.toml ('..': de map boven notebooks/)
GEBIED = None       # gebiedscode, bv. "WK999902"; None: het eerste gebied in focus
REFERENTIE = None   # None: uit wijkkit.toml; of "gemeente", "basisjaar:2020", "gebieden:CODE,CODE"
UITVOER = None      # map om tabellen als CSV te bewaren (voor reproduceren), of None

# %%
import os
from pathlib import Path

from IPython.display import HTML, display

from wijkkit.charts import enable_offline
from wijkkit.config import Project
from wijkkit.tellen.grafieken import buurten_chart, profiel_chart, trend_chart
from wijkkit.tellen.profiel import Referentie, trend, wijkprofiel
from wijkkit.weergave import esc, spreadsheet_tabel, tabel

enable_offline()
project = Project.load(os.environ.get("WIJKKIT_PROJECT", PROJECT))
cijfers = project.load_indicators()
gebied = GEBIED or (project.config.project.gebieden or [project.config.project.gemeente])[0]
referentie = Referentie.parse(REFERENTIE) if REFERENTIE else project.referentie()
display(HTML(f"<p><b>Project:</b> {esc(project.config.project.naam)} · <b>gebied:</b> {esc(gebied)} · "
             f"<b>jaren:</b> {cijfers['jaar'].min()}–{cijfers['jaar'].max()}</p>"))

# %% [markdown]
# ## Het profiel
# Per indicator het nieuwste beschikbare cijfer, het jaar waar het vandaan komt, de
# verandering sinds het vorige beschikbare jaar en een index (referentie = 100).

# %%
profiel = wijkprofiel(cijfers, gebied, referentie=referentie, catalogus=project.catalogus)
naam_gemeente = str(cijfers.loc[cijfers["gebied_code"] == project.config.project.gemeente, "gebied_naam"].iloc[0])
profiel_chart(profiel, referentie_label=referentie.label(naam_gemeente))

# %%
overzicht = profiel.loc[profiel["waarde"].notna(),
                        ["domein_label", "label", "waarde", "eenheid", "jaar", "verandering", "vorige_jaar",
                         "index", "band", "toelichting"]]
tabel(overzicht.rename(columns={"domein_label": "thema", "label": "indicator", "vorige_jaar": "t.o.v. jaar",
                                "band": "oordeel"}), decimalen={"index": 0})

# %% [markdown]
# ## Ontwikkeling door de jaren
# Een onderbroken lijn betekent dat de grens van het gebied is gewijzigd: de jaren ervoor
# en erna zijn niet zonder meer te vergelijken.

# %%
kern = [i for i in ["g_soz_wb_1000", "p_huurw", "g_ink_pi", "p_00_14", "p_arb_pp", "p_1p_hh"]
        if i in set(cijfers["indicator"].astype(str))]
trend_chart(trend(cijfers, [gebied], kern, catalogus=project.catalogus))

# %% [markdown]
# ## Buurten binnen de wijk vergeleken

# %%
wijk = gebied if gebied.startswith("WK") else ("WK" + gebied[2:8] if gebied.startswith("BU") else None)
if wijk:
    display(buurten_chart(cijfers, wijk, "g_soz_wb_1000", label=project.catalogus["g_soz_wb_1000"].label))

# %% [markdown]
# ## Bewaren voor reproductie

# %%
if UITVOER:
    Path(UITVOER).mkdir(parents=True, exist_ok=True)
    spreadsheet_tabel(profiel).to_csv(Path(UITVOER) / f"wijkprofiel-{gebied}.csv", index=False)
