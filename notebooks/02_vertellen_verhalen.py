# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
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

from IPython.display import Markdown, display

from wijkkit.charts import enable_offline
from wijkkit.config import Project
from wijkkit.vertellen.importeren import import_stories, project_store
from wijkkit.vertellen.overzicht import codings_frame, privacy_report, theme_chart, theme_frequencies

enable_offline()
project = Project.load(os.environ.get("WIJKKIT_PROJECT", PROJECT))
store = project_store(project)
verslag = import_stories(project, project.root / VERHALEN, store=store, skip_existing=True, door="notebook 02")
display(Markdown(f"**Nieuw ingelezen:** {verslag.verhalen} verhalen, {verslag.suggesties} themasuggesties."))

# %% [markdown]
# ## Privacyverslag
# Hoeveel gegevens die iemand kunnen herkennen zijn vervangen, en in hoeveel verhalen.
# De oorspronkelijke teksten staan niet in de store.

# %%
privacy_report(store).style.hide(axis="index")

# %% [markdown]
# ## Voorbeelden van suggesties
# Per thema het woord dat de suggestie gaf en de zin als bewijs.

# %%
suggesties = codings_frame(store, statuses=("suggested",))
codebook = project.load_codebook()
voorbeeld = (suggesties.sort_values(["thema", "score"], ascending=[True, False]).groupby("thema").head(2)
             .assign(thema=lambda d: d["thema"].map(codebook.label))
             [["thema", "valentie", "term", "score", "bewijs"]])
voorbeeld.style.hide(axis="index").format({"score": "{:.1f}"}, decimal=",")

# %% [markdown]
# ## Thema's per wijk
# Aantal verhalen per thema, met krachten (blauw) en knelpunten (oranje) naast elkaar.

# %%
cijfers = project.load_indicators()
namen = dict(zip(cijfers["gebied_code"].astype(str), cijfers["gebied_naam"].astype(str)))
freq = theme_frequencies(store, codebook, by="gebied")
freq["wijk"] = "WK" + freq["gebied"].str[2:8]
theme_chart(freq.drop(columns="gebied"), by="wijk", labels=namen)
