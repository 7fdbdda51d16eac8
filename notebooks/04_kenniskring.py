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
# Kies een gebied en een thema: wat zeggen de cijfers, wat vertellen de verhalen, en wat maken we ervan?

# %% tags=["parameters"]
PROJECT = ".."  # projectmap met wijkkit.toml
GEBIED = ""     # leeg: het eerste gebied in focus uit wijkkit.toml
THEMA = ""      # leeg: het eerste thema van het codeboek

# %%
import os

from wijkkit.charts import enable_offline
from wijkkit.kenniskring.dashboard import Dashboard
from wijkkit.kenniskring.gegevens import Kenniskring

enable_offline()
dashboard = Dashboard(Kenniskring(os.environ.get("WIJKKIT_PROJECT", PROJECT)), gebied=GEBIED or None,
                      thema=THEMA or None)
dashboard
