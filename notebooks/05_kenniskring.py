# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     notebook_metadata_filter: title
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   title: Kenniskring
# ---

# %% [markdown]
# Kies een gebied en een thema: wat zeggen de cijfers, wat vertellen de verhalen, en wat maken we ervan?

# %% tags=["parameters"]
PROJECT = ".."     # projectmap met wijkkit.toml
GEBIED = ""        # leeg: het eerste gebied in focus uit wijkkit.toml
THEMA = ""         # leeg: het thema met een spanning, anders het thema met de meeste verhalen
STATISCH = False   # True: de samenvatting als vaste pagina (voor een rapport of reproductie), zonder knoppen

# %%
import os

from IPython.display import HTML, display

from wijkkit.kenniskring.beurt import een_voor_een

# Visitors arriving at once take turns for the heavy setup (see wijkkit/kenniskring/beurt.py).
with een_voor_een():
    project = os.environ.get("WIJKKIT_PROJECT", PROJECT)
    if STATISCH:
        # Without a browser the interactive page has nobody to talk to: show what it would export.
        from wijkkit.kenniskring.gegevens import Kenniskring
        from wijkkit.kenniskring.samenvatting import figure_charts, summary_fragment

        kring = Kenniskring(project)
        gebied = GEBIED or kring.standaard_gebied()
        thema = THEMA or kring.standaard_thema(gebied)
        display(HTML(summary_fragment(kring, gebied, thema, charts=figure_charts(kring, gebied, thema))))
        display(HTML("<p><i>Het interactieve kenniskring-dashboard (andere gebieden en thema's, de kaart en de "
                     "duiding vastleggen) open je met <code>wijkkit kenniskring dashboard</code>.</i></p>"))
    else:
        # served: the page's answers come from the server's rekenaar; in JupyterLab they are computed here
        from wijkkit.kenniskring.dashboard import Dashboard
        from wijkkit.kenniskring.rekenaar import bron_voor

        display(Dashboard(bron_voor(project), gebied=GEBIED or None, thema=THEMA or None))
