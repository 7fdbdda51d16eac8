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
# # Vertellen: verhalen inlezen, privacy en thema's
#
# Dit notebook leest de verhalen uit `stories/` in de projectstore. Bij het inlezen worden
# namen, adressen, postcodes, telefoonnummers, e-mailadressen, BSN's en geboortedata
# vervangen door vaste plaatshouders zoals `[PERSOON-1]`. Gebiedsnamen blijven staan.
#
# De thema's hieronder zijn **suggesties** van wijkkit: onderzoekers bevestigen of
# verbeteren ze in het codeer-notebook.

# %% tags=["parameters"]
PROJECT = ".."       # projectmap met wijkkit.toml
VERHALEN = "stories" # map met verhalen, relatief aan het project

# %%
import os

from IPython.display import HTML, display

from wijkkit.charts import enable_offline
from wijkkit.config import Project
from wijkkit.vertellen.importeren import import_stories, project_store
from wijkkit.vertellen.overzicht import codings_frame, privacy_report, stories_frame, theme_chart, theme_frequencies
from wijkkit.weergave import tabel

enable_offline()
project = Project.load(os.environ.get("WIJKKIT_PROJECT", PROJECT))
store = project_store(project)
verslag = import_stories(project, project.root / VERHALEN, store=store, skip_existing=True, door="notebook 02")
display(HTML(f"<p><b>Nieuw ingelezen:</b> {verslag.verhalen} verhalen, {verslag.suggesties} themasuggesties.</p>"))

# %% [markdown]
# ## Privacyverslag
# Hoeveel gegevens die iemand kunnen herkennen zijn vervangen, en in hoeveel verhalen.
# De oorspronkelijke teksten staan niet in de store.

# %%
tabel(privacy_report(store))

# %% [markdown]
# ## Voorbeelden van suggesties
# Per thema het woord dat de suggestie gaf en de zin als bewijs. Alleen uit verhalen waarvan de
# verteller toestemming gaf voor analyse: een verhaal met toestemming `none` wordt alleen geteld.

# %%
suggesties = codings_frame(store, statuses=("suggested",))
mag = set(stories_frame(store).query("toestemming != 'none'")["id"])
codebook = project.load_codebook()
voorbeeld = (suggesties[suggesties["story_id"].isin(mag)]
             .sort_values(["thema", "score", "story_id"], ascending=[True, False, True]).groupby("thema").head(2)
             .assign(thema=lambda d: d["thema"].map(codebook.label))
             [["thema", "valentie", "term", "score", "bewijs"]])
tabel(voorbeeld, decimalen={"score": 1})

# %% [markdown]
# ## Thema's per wijk
# Aantal verhalen per thema, met krachten (blauw) en knelpunten (oranje) naast elkaar.

# %%
cijfers = project.load_indicators()
namen = dict(zip(cijfers["gebied_code"].astype(str), cijfers["gebied_naam"].astype(str)))
freq = theme_frequencies(store, codebook, by="gebied")
freq["wijk"] = "WK" + freq["gebied"].str[2:8]
theme_chart(freq.drop(columns="gebied"), by="wijk", labels=namen)
