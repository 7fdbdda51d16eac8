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
# # Coderen en betrouwbaarheid
#
# Wat heeft het team gecodeerd, hoe goed zijn de codeurs het met elkaar eens, en wat vertellen
# de codes over de wijk? Coderen doe je in de **codeerwerkbank** (`notebooks/werkbank_coderen.ipynb`
# of `wijkkit coderen werkbank`); dit notebook maakt er de tabellen en grafieken bij.
#
# Een verhaal telt één keer per thema als minstens één codeur het thema toekende. Suggesties
# die niemand accepteerde tellen niet mee. Citaten komen alleen uit verhalen waarvan de verteller
# toestemming gaf om (gepseudonimiseerd) te citeren.

# %% tags=["parameters"]
PROJECT = ".."             # projectmap met wijkkit.toml
NIVEAU = "verhaal"         # overeenstemming per 'verhaal' of per 'zin'
CITATEN_PER_THEMA = 3
DEMO_CODEURS = False       # alleen voor het demoproject: laat twee gesimuleerde codeurs eerst coderen
UITVOER = ""               # map voor de exports, leeg laten om niet te exporteren

# %%
import json
import os
from pathlib import Path

import pandas as pd
from IPython.display import HTML, Markdown, display

from wijkkit.charts import enable_offline
from wijkkit.coderen import beslissingen, betrouwbaarheid, rapport
from wijkkit.config import Project
from wijkkit.vertellen.importeren import project_store
from wijkkit.weergave import citaat_html, esc, tabel

enable_offline()
project = Project.load(os.environ.get("WIJKKIT_PROJECT", PROJECT))
store = project_store(project)
codebook = project.load_codebook()
labels = {t.id: t.label for t in codebook.themas}
if DEMO_CODEURS:
    from wijkkit.demo.codering import simulate

    simulate(store, codebook.theme_ids)
cijfers = project.load_indicators()
namen = dict(zip(cijfers["gebied_code"].astype(str), cijfers["gebied_naam"].astype(str)))
gecodeerd = rapport.coded_stories(store, codebook)
afgerond = beslissingen.finished(store)
display(Markdown(f"**{gecodeerd['story_id'].nunique()}** verhalen hebben minstens één code; "
                 f"**{afgerond['story_id'].nunique()}** zijn door minstens één codeur afgerond."))

# %% [markdown]
# ## Wie codeerde wat

# %%
per_codeur = (gecodeerd.groupby("codeur").agg(codes=("thema", "size"), verhalen=("story_id", "nunique"))
              .join(afgerond.groupby("codeur").story_id.nunique().rename("afgerond"), how="outer")
              .fillna(0).astype(int).reset_index())
tabel(per_codeur)

# %% [markdown]
# ## Overeenstemming tussen codeurs
#
# Alleen verhalen die minstens twee codeurs hebben **afgerond** tellen mee.

# %%
display(Markdown(betrouwbaarheid.UITLEG))
eenheden = betrouwbaarheid.store_table(store, codebook.theme_ids, niveau=NIVEAU)
if eenheden.empty:
    display(Markdown("*Nog geen verhalen die door twee codeurs zijn afgerond. Wijs een steekproef toe met "
                     "`wijkkit coderen toewijzen NAAM --van CODEUR`.*"))
    overeenstemming = {"per_thema": pd.DataFrame(columns=["thema", "alfa", "eenheden", "toegekend"]),
                       "per_paar": pd.DataFrame()}
else:
    overeenstemming = betrouwbaarheid.agreement(eenheden)
    display(tabel(overeenstemming["per_paar"].assign(overeenstemming=lambda d: 100 * d["overeenstemming"])
                  .rename(columns={"overeenstemming": "overeenstemming (%)"}),
                  decimalen={"kappa": 3, "overeenstemming (%)": 1}))

# %%
if len(overeenstemming["per_thema"]):
    display(rapport.agreement_chart(overeenstemming["per_thema"], labels))
    display(tabel(overeenstemming["per_thema"].assign(thema=lambda d: d["thema"].map(lambda t: labels.get(t, t))),
                  decimalen={"alfa": 3}))

# %% [markdown]
# ### Verschillen om te bespreken
# Per verhaal (of zin) en thema: wie het thema wel en wie het niet toekende.

# %%
if not eenheden.empty:
    verschillen = betrouwbaarheid.disagreements(eenheden).assign(thema=lambda d: d["thema"].map(labels))
    display(Markdown(f"{len(verschillen)} verschillen."))
    display(tabel(verschillen.head(40)))

# %% [markdown]
# ## Thema's per gebied, methode en rol

# %%
def grafiek(maak):
    """The chart, or one Dutch sentence while the team has coded nothing yet (never an empty chart)."""
    if gecodeerd.empty:
        display(HTML("<p><i>Nog geen verhalen gecodeerd door het team: deze grafiek verschijnt zodra er "
                     "coderingen zijn (suggesties van wijkkit tellen hier niet mee).</i></p>"))
    else:
        display(maak())


grafiek(lambda: rapport.frequency_chart(rapport.frequencies(gecodeerd, "gebied"), "gebied", labels=namen))

# %%
grafiek(lambda: rapport.frequency_chart(rapport.frequencies(gecodeerd, "methode"), "methode"))

# %%
grafiek(lambda: rapport.frequency_chart(rapport.frequencies(gecodeerd, "verteller_rol"), "verteller_rol"))

# %% [markdown]
# ## Thema's die samen voorkomen

# %%
grafiek(lambda: rapport.co_occurrence_chart(rapport.co_occurrence(gecodeerd)))

# %% [markdown]
# ## Krachten en knelpunten per thema

# %%
grafiek(lambda: rapport.balance_chart(rapport.balance(gecodeerd)))

# %% [markdown]
# ## Sprekende citaten
# Per thema fragmenten waar de meeste codeurs het over eens zijn, van verschillende vertellers,
# met een kracht en een knelpunt waar dat kan. Alleen verhalen met toestemming om te citeren.

# %%
citaten = rapport.quotes(gecodeerd, per_thema=CITATEN_PER_THEMA)
for thema, groep in citaten.groupby("thema_label"):
    display(HTML(f"<h3>{esc(thema)}</h3>" + "".join(
        citaat_html(r.citaat, f"{r.verteller_rol}, {r.methode} ({r.valentie})") for r in groep.itertuples())))

# %% [markdown]
# ## Hoe goed kloppen de suggesties van wijkkit in dit project?
# Op de zinnen van verhalen die het team heeft afgerond: hoe vaak noemde een suggestie het thema dat het
# team gaf (precisie), hoeveel van de codes van het team vonden de suggesties (recall), en lazen ze
# kracht of knelpunt hetzelfde. Met minder dan tien zinnen per thema is er nog geen oordeel. Waar het
# oordeel *laag* of *matig* is, zegt de kenniskringpagina dat tellingen uit suggesties onzeker zijn.
# De codeerwerkbank zet de verhalen waar een beslissing het meest leert bovenaan.

# %%
from wijkkit.coderen.kwaliteit import suggestion_agreement

kwaliteit = suggestion_agreement(store, codebook)
kwaliteit = kwaliteit[(kwaliteit["team"] > 0) | (kwaliteit["suggesties"] > 0)]
if kwaliteit.empty:
    display(Markdown("*Nog geen afgeronde verhalen met codes of suggesties: het oordeel over de suggesties volgt "
                     "zodra het team verhalen heeft afgerond.*"))
else:
    display(tabel(kwaliteit.drop(columns="thema").rename(columns={
        "label": "thema", "team": "zinnen team", "suggesties": "zinnen suggesties", "beide": "in beide",
        "valentie_gelijk": "zelfde kracht/knelpunt"}), decimalen={"precisie": 2, "recall": 2, "f1": 2}))

# %% [markdown]
# ## Het geleerde model
# Een model dat leert van de codes van het team wordt alleen getraind als iemand daarom vraagt
# (`wijkkit coderen leer`), en alleen gebruikt als `[coderen] leermodel = true` in `wijkkit.toml` staat.
# Hieronder de kruisvalidatie: F1 per thema voor de regels, het model, beide samen en de regels herwogen door
# het model (een suggestie van de regels houdt het gemiddelde van haar eigen score en de kans volgens het model),
# telkens op dezelfde delen.

# %%
rapport_pad = project.model_dir / "rapport.json"
if rapport_pad.exists():
    leer = json.loads(rapport_pad.read_text(encoding="utf-8"))
    cv = pd.DataFrame(leer["kruisvalidatie"])
    tabel_cv = cv.pivot(index="thema", columns="methode", values="f1").rename(index=lambda t: labels.get(t, t))
    display(Markdown(f"Getraind op {leer['zinnen']} zinnen uit {leer['verhalen']} verhalen ({leer['getraind_op']}); "
                     f"het model staat **{'aan' if project.config.coderen.leermodel else 'uit'}**."))
    display(tabel(tabel_cv.reset_index(), decimalen=dict.fromkeys(tabel_cv.columns, 3)))
else:
    display(Markdown("*Er is nog geen geleerd model. Train het met `wijkkit coderen leer` zodra het team genoeg heeft "
                     "gecodeerd.*"))

# %% [markdown]
# ## Exporteren
# Naar Excel (één tabblad per thema met citaten), CSV, en REFI-QDA voor ATLAS.ti, NVivo, MAXQDA en
# QualCoder (`.qdc` codeboek, `.qdpx` project).

# %%
if UITVOER:
    from wijkkit.uitwisselen.qdc import write_qdc
    from wijkkit.uitwisselen.qdpx import to_qdpx
    from wijkkit.uitwisselen.tabellen import write_csv, write_excel

    uit = Path(UITVOER)
    uit.mkdir(parents=True, exist_ok=True)
    geschreven = [write_excel(store, codebook, uit / "coderingen.xlsx"), write_csv(store, codebook, uit / "coderingen.csv"),
                  write_qdc(codebook, uit / "codeboek.qdc"),
                  to_qdpx(store, codebook, uit / "project.qdpx", naam=project.config.project.naam, gebied_namen=namen)]
    display(Markdown("Geschreven: " + ", ".join(f"`{p.name}`" for p in geschreven)))
