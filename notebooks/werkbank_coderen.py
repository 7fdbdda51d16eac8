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
#   title: Codeerwerkbank
# ---

# %% [markdown]
# # Codeerwerkbank
#
# Codeer de verhalen in de projectstore. Vul je naam in, kies een verhaal en beoordeel de
# suggesties van wijkkit: **accepteren**, **afwijzen** of zelf een code toevoegen, op een zin of
# op het hele verhaal. Alles wordt meteen bewaard. Met *blind coderen* zie je de codes van
# collega's pas als je een verhaal hebt afgerond.
#
# Open dit notebook in JupyterLab, of als pagina met `wijkkit coderen werkbank`.
#
# **Hoe zeker is een suggestie?** Bij elke suggestie staat hoe zeker wijkkit is ("zeker 87%"). Die zekerheid is
# gemeten op echte bewonerscitaten die het model niet kende. Zonder vragen zie je alleen suggesties die zo
# zeker zijn dat ze bij het testen meestal klopten; de rest staat onder **misschien** (vink het aan om ze te
# zien). Een valentie staat er alleen bij als die waarschijnlijk klopt. Onder de suggesties staat waar ze op
# gebaseerd zijn en hoe vaak jullie ze op dit project tot nu toe accepteerden. Na elke 25 antwoorden leert
# wijkkit bij van jullie keuzes, en gebruikt dat alleen als het op jullie eigen verhalen beter bleek.
# Een eigen drempel voor het team zet je in `wijkkit.toml`: `[coderen] drempel = 0.7`.

# %% tags=["parameters"]
PROJECT = ".."   # projectmap met wijkkit.toml
CODEUR = ""      # je naam; leeg laten om hem in de werkbank in te vullen
BLIND = True     # codes van anderen pas zien na afronden

# %%
import os

from wijkkit.coderen.werkbank import Werkbank

werkbank = Werkbank.for_project(os.environ.get("WIJKKIT_PROJECT", PROJECT), codeur=CODEUR or None, blind=BLIND)
werkbank
