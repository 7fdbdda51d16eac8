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

# %% tags=["parameters"]
PROJECT = ".."   # projectmap met wijkkit.toml en verandertheorie.yml
UITVOER = ""     # map voor de voortgangstabellen als CSV, leeg laten om niets te schrijven

# %%
import os
from datetime import date
from pathlib import Path

import altair as alt
import pandas as pd
from IPython.display import HTML, display

import wijkkit
from wijkkit.charts import OKABE_ITO, enable_static, style
from wijkkit.coderen import betrouwbaarheid
from wijkkit.kenniskring.duiding import duidingen
from wijkkit.kenniskring.gegevens import Kenniskring
from wijkkit.kenniskring.samenvatting import story_source
from wijkkit.monitoring.verandertheorie import load_verandertheorie
from wijkkit.monitoring.voortgang import STATUS_UITLEG, per_ambition, qualitative, quantitative
from wijkkit.weergave import esc, periode, spreadsheet_tabel, tekst_html

enable_static()  # charts as SVG in the page: the report is one file that works without internet
kring = Kenniskring(os.environ.get("WIJKKIT_PROJECT", PROJECT))
project = kring.project
theorie = load_verandertheorie(project.verandertheorie_path, indicatoren=set(project.catalogus.to_frame()["indicator"]),
                               themas=kring.codebook.theme_ids)
naam = kring.namen.get(theorie.gebied, theorie.gebied)
tabel = quantitative(theorie, kring.cijfers, project.catalogus)
ambities = per_ambition(tabel)
notities = duidingen(kring.store)
kwalitatief = qualitative(theorie, kring.stories, kring.codings, notities, kring.drempel, kring.labels)
if UITVOER:
    Path(UITVOER).mkdir(parents=True, exist_ok=True)
    spreadsheet_tabel(tabel).to_csv(Path(UITVOER) / "voortgang-indicatoren.csv", index=False)
    spreadsheet_tabel(ambities).to_csv(Path(UITVOER) / "voortgang-ambities.csv", index=False)
    spreadsheet_tabel(kwalitatief).to_csv(Path(UITVOER) / "voortgang-kwalitatief.csv", index=False)


def nl(value, decimals=1):
    return "–" if pd.isna(value) else f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


display(HTML(f"""<style>table td, table th {{ text-align: left !important; }}</style>
<h1>Voortgangsrapportage wijkaanpak {esc(naam)}</h1>
<p style="font-size:1.15em"><b>Missie.</b> {tekst_html(theorie.missie)}</p>
<p>Gemaakt op {date.today():%d-%m-%Y}. Nulmeting: {esc(theorie.nulmeting)}. Cijfers tot en met {int(tabel['laatste_jaar'].max()) if tabel['laatste_jaar'].notna().any() else '–'};
bij elk cijfer staat het jaar. Voortgang: 0% is de nulmeting, 100% is het doel.</p>"""))

# %%
MARK = {"doel gehaald": "✔", "op koers": "▲", "achter op schema": "►", "verkeerde kant op": "▼",
        "niet vergelijkbaar": "≠", "geen gegevens": "?"}
for ambitie in theorie.ambities:
    deel = tabel[tabel["ambitie"] == ambitie.id]
    samen = ambities[ambities["ambitie"] == ambitie.id].iloc[0] if (ambities["ambitie"] == ambitie.id).any() else None
    gemiddeld = (f"gemiddelde voortgang {nl(100 * samen['gemiddelde_voortgang'], 0)}% over {samen['met_gegevens']} "
                 f"van {samen['indicatoren']} indicatoren" if samen is not None and pd.notna(samen["gemiddelde_voortgang"])
                 else "nog geen vergelijkbare cijfers")
    rows = "".join(
        f"<tr><td>{esc(r.label)}<br><small>{esc(kring.namen.get(r.gebied, r.gebied))}</small></td>"
        f"<td>{nl(r.basiswaarde)} ({r.basisjaar})</td><td>{nl(r.laatste_waarde)} "
        f"({'–' if pd.isna(r.laatste_jaar) else int(r.laatste_jaar)})</td><td>{nl(r.doel)} ({r.doeljaar})</td>"
        f"<td>{'–' if pd.isna(r.voortgang) else nl(100 * r.voortgang, 0) + '%'}</td>"
        f"<td>{MARK[r.status]} {esc(r.status)}</td><td><small>{esc(r.toelichting)}</small></td></tr>"
        for r in deel.itertuples())
    display(HTML(f"<h2>{esc(ambitie.titel)}</h2><p>{esc(gemiddeld)}.</p>"
                 + "".join(f"<p><i>{esc(d.titel)}</i></p>" for d in ambitie.deelambities)
                 + ("<table><tr><th>indicator</th><th>nulmeting</th><th>laatste cijfer</th><th>doel</th>"
                    f"<th>voortgang</th><th>stand</th><th>toelichting</th></tr>{rows}</table>" if rows else "")))
    met = deel.dropna(subset=["voortgang"])
    if len(met):
        data = met.assign(voortgang_pct=100 * met["voortgang"].clip(-0.5, 1.5), verwacht_pct=100 * met["verwacht"])
        bars = alt.Chart(data).mark_bar(color=OKABE_ITO[0], height=18).encode(
            y=alt.Y("label:N", title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("voortgang_pct:Q", title="voortgang naar het doel (%)", scale=alt.Scale(domain=[-50, 150])))
        ticks = alt.Chart(data).mark_tick(color="#000000", thickness=3, size=26).encode(
            y="label:N", x="verwacht_pct:Q")
        title = alt.TitleParams(f"{ambitie.titel}: voortgang per indicator",
                                subtitle="Balk: voortgang (0% = nulmeting, 100% = doel). Streep: waar je nu zou "
                                         "moeten zijn als het gelijkmatig gaat.")
        display(style((bars + ticks).properties(width=460, height=alt.Step(30), title=title)))

# %% [markdown]
# ## Wat vertellen bewoners?

# %%
for (deelambitie, indicator), groep in kwalitatief.groupby(["deelambitie", "indicator"], sort=False):
    rows = "".join(f"<tr><td>{int(r.jaar)}</td><td>{esc(r.verhalen)}</td>"
                   f"<td>{'–' if pd.isna(r.aandeel_kracht) else nl(100 * r.aandeel_kracht, 0) + '%'}</td>"
                   f"<td>{r.duidingen}</td></tr>" for r in groep.itertuples())
    display(HTML(f"<h3>{esc(indicator)}</h3><table><tr><th>jaar</th><th>verhalen</th><th>aandeel krachten</th>"
                 f"<th>duidingen</th></tr>{rows}</table>"))
if kwalitatief.empty:
    display(HTML("<p><i>Nog geen verhalen of duidingen bij de kwalitatieve indicatoren.</i></p>"))

# %% [markdown]
# ## Duiding en lessen
# Wat de kenniskringen zagen, en wat ze wilden doen.

# %%
eigen = notities[notities["gebied"].astype(str).str.startswith(("BU" + theorie.gebied[2:8], theorie.gebied))] \
    if len(notities) else notities
if eigen.empty:
    display(HTML("<p><i>Nog geen duiding vastgelegd voor dit gebied.</i></p>"))
for d in eigen.itertuples():
    display(HTML(f"<p><b>{d.datum:%d-%m-%Y} · {esc(kring.namen.get(d.gebied, d.gebied))} · "
                 f"{esc(kring.labels.get(d.thema, d.thema))}</b><br>Wat zien we? {tekst_html(d.wat_zien_we)}<br>"
                 f"Verklaring: {tekst_html(d.verklaring)}<br>Wat willen we doen? {tekst_html(d.wat_willen_we)}</p>"))

# %% [markdown]
# ## Wat de kenniskring aandacht waard vond
# De onderwerpen die deelnemers in de zaal op de lijst zetten (alle avonden samen).

# %%
from wijkkit.kenniskring.agenda import prioriteiten, telling  # noqa: E402

lijst = telling(prioriteiten(kring.store, alle=True))
if lijst.empty:
    display(HTML("<p><i>Nog geen onderwerpen op de lijst gezet (dat gebeurt op een avond met "
                 "<code>wijkkit kenniskring dashboard --zaal</code>).</i></p>"))
else:
    rows = "".join(
        f"<tr><td>{esc(kring.labels.get(r.thema, r.thema))}</td><td>{esc(kring.namen.get(r.gebied, r.gebied))}</td>"
        f"<td>{r.stemmen}</td><td>{'<br>'.join(esc(z) for z in r.zinnen) if r.stemmen >= kring.drempel else ''}</td></tr>"
        for r in lijst.itertuples())
    display(HTML("<table><tr><th>thema</th><th>gebied</th><th>keer gekozen</th><th>waarom (vanaf "
                 f"{kring.drempel} keer)</th></tr>{rows}</table>"))

# %% [markdown]
# ## Bijlage: bronnen, jaren en methode

# %%
bronnen = (kring.cijfers[kring.cijfers["indicator"].astype(str).isin(tabel["indicator"])]
           .dropna(subset=["waarde"]).groupby(["bron"], observed=True)["jaar"].agg(["min", "max"]).reset_index())
regels = "".join(f"<li>{esc(r.bron)}: {periode([r.min, r.max])}</li>" for r in bronnen.itertuples())
overeenstemming = "nog niet gemeten (geen verhalen die twee codeurs afrondden)"
tabel_b = betrouwbaarheid.store_table(kring.store, kring.codebook.theme_ids)
if not tabel_b.empty:
    alfa = betrouwbaarheid.agreement(tabel_b)["per_thema"].iloc[-1]
    overeenstemming = (f"Krippendorffs alfa {nl(alfa['alfa'], 3)} over {alfa['eenheden']} eenheden "
                       "(verhaal × thema, verhalen die minstens twee codeurs afrondden)")
display(HTML(f"""<ul>{regels}</ul>
<p><b>Methode.</b> Index en voortgang volgen de verandertheorie (<code>verandertheorie.yml</code>).
Cijfers: {esc(kring.referentie_label())}; een grenswijziging (CBS ind_wbi = 3) maakt cijfers na de nulmeting
niet vergelijkbaar. {esc(story_source(kring, theorie.gebied))} Verhalen zijn gepseudonimiseerd; aantallen onder
{kring.drempel} worden niet genoemd.
Thema's in verhalen: codes van het team (en suggesties van wijkkit voor verhalen die nog niemand codeerde).
Overeenstemming tussen codeurs: {overeenstemming}.</p>
<p><small>Gemaakt met wijkkit {wijkkit.__version__}. Uitleg bij de stand: """
             + " ".join(f"{MARK[k]} {k}: {v.rstrip('.')}." for k, v in STATUS_UITLEG.items()) + "</small></p>"))
