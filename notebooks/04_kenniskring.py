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
# # Kenniskring: cijfers over de wijk
# Kies een gebied en een thema. Bij elk cijfer staat uit welk jaar het komt.

# %% tags=["parameters"]
PROJECT = ".."  # projectmap met wijkkit.toml

# %%
import os

import ipywidgets as widgets
from IPython.display import HTML, display

from wijkkit.charts import enable_offline
from wijkkit.codebook import load_codebook
from wijkkit.config import Project
from wijkkit.tellen.grafieken import profiel_chart, trend_chart
from wijkkit.tellen.profiel import trend, wijkprofiel

enable_offline()
project = Project.load(os.environ.get("WIJKKIT_PROJECT", PROJECT))
cijfers = project.load_indicators()
codebook = load_codebook(project.codebook_path if project.codebook_path.exists() else None)
referentie = project.referentie()
gemeente = project.config.project.gemeente
namen = (cijfers[["gebied_code", "gebied_naam", "niveau"]].drop_duplicates("gebied_code")
         .astype(str).sort_values("gebied_code"))
naam_gemeente = namen.loc[namen["gebied_code"] == gemeente, "gebied_naam"].iloc[0]
keuzes = [(("   " if n == "buurt" else "") + f"{naam}", code)
          for code, naam, n in namen.itertuples(index=False) if n in ("wijk", "buurt")]
domeinen = sorted(set(project.catalogus.to_frame()["domein"]), key=codebook.theme_ids.index)

display(HTML("""<style>
body, .jp-Notebook, .widget-label, .widget-dropdown select { font-size: 20px !important; }
.wk-kop { font-size: 30px; font-weight: 700; margin: 8px 0; }
.wk-uitleg { font-size: 19px; color: #333; max-width: 60em; }
</style>"""))
kies_gebied = widgets.Dropdown(options=keuzes, value=(project.config.project.gebieden or [keuzes[0][1]])[0],
                               description="Gebied", layout=widgets.Layout(width="420px"))
kies_thema = widgets.Dropdown(options=[(codebook.label(d), d) for d in domeinen], description="Thema",
                              layout=widgets.Layout(width="420px"))
uitvoer = widgets.Output()


def toon(_=None):
    with uitvoer:
        uitvoer.clear_output(wait=True)
        profiel = wijkprofiel(cijfers, kies_gebied.value, referentie=referentie, catalogus=project.catalogus)
        deel = profiel[profiel["domein"] == kies_thema.value]
        met_cijfer = deel[deel["index"].notna()]
        naam = dict(keuzes)
        if met_cijfer.empty:
            display(HTML(f"<p class='wk-uitleg'>Voor dit thema zijn er geen cijfers voor dit gebied. "
                         f"Wat vertellen de verhalen?</p>"))
            return
        display(profiel_chart(met_cijfer, referentie_label=referentie.label(naam_gemeente), width=460))
        display(trend_chart(trend(cijfers, [kies_gebied.value], list(met_cijfer["indicator"])[:6],
                                  catalogus=project.catalogus)))


kies_gebied.observe(toon, names="value")
kies_thema.observe(toon, names="value")
display(widgets.VBox([widgets.HTML(f"<div class='wk-kop'>{project.config.project.naam}</div>"),
                      widgets.HBox([kies_gebied, kies_thema]), uitvoer]))
toon()
