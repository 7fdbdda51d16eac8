"""The session summary: one standalone HTML file, no code, no scripts, nothing loaded from outside.

Charts are inlined as SVG (rendered by vl-convert), so the file opens in any browser on a
laptop in a community centre and prints to PDF as it is.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import pandas as pd
import vl_convert as vlc

from wijkkit.weergave import getal as nl_number
from wijkkit.weergave import esc, met_eenheid
from wijkkit.kenniskring.duiding import VELDEN, WORDT_VERWERKT, aanwezigen_tekst, duidingen

CSS = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 18px; line-height: 1.5; color: #1a1a1a;
       max-width: 1100px; margin: 24px auto; padding: 0 24px; }
table { border-collapse: collapse; } td, th { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; }
h1 { font-size: 32px; margin-bottom: 4px; } h2 { font-size: 24px; margin-top: 32px; border-bottom: 2px solid #ddd; }
.sub { color: #444; } .spanning { background: #fff3e0; border-left: 6px solid #b35806; padding: 8px 14px; }
.rustig { background: #f3f0fa; border-left: 6px solid #542788; padding: 8px 14px; }
blockquote { margin: 12px 0; padding: 8px 16px; border-left: 5px solid #0072B2; background: #f4f8fb; }
blockquote .wie { display: block; font-size: 15px; color: #444; margin-top: 4px; }
.duiding { border: 1px solid #ccc; border-radius: 6px; padding: 8px 16px; margin: 12px 0; }
.grafiek svg { max-width: 100%; height: auto; }
footer { margin-top: 40px; font-size: 14px; color: #555; }
@media print { body { margin: 0; } h2 { page-break-after: avoid; } }
"""


MAANDEN = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"]


def _value(value: float) -> str:
    """Rounded as the profile chart rounds it (see tellen.grafieken), so table and chart agree."""
    return nl_number(value, 0 if abs(value) >= 100 else 1)


def _slug(text: str) -> str:
    """A file-name part from a Dutch label: 'Onderwijs, jeugd en opgroeien' -> 'onderwijs-jeugd-en-opgroeien'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "kenniskring"


def story_source(kring, gebied: str, thema: str | None = None) -> str:
    """Which stories speak here, as a citation asks: their methods and the period they were told in
    (those about ``thema``, or all stories of the gebied)."""
    from wijkkit.verbinden.kruistabel import in_gebied

    mine = kring.stories[in_gebied(kring.stories["gebied"].astype(str), gebied)]
    used = mine if thema is None else mine[mine["id"].isin(kring.codings.loc[kring.codings["thema"] == thema,
                                                                                 "story_id"])]
    if used.empty:
        return "Er zijn nog geen verhalen ingelezen voor dit gebied."
    methods = sorted(used["methode"].dropna().astype(str).unique())
    dates = pd.to_datetime(used["datum"], errors="coerce").dropna()
    if dates.empty:
        when = "zonder datum"
    else:
        first, last = (f"{MAANDEN[d.month - 1]} {d.year}" for d in (dates.min(), dates.max()))
        when = f"in {first}" if first == last else f"van {first} tot {last}"
    return (f"Verhalen verzameld met {', '.join(methods) if methods else 'onbekende methode'}, verteld {when}.")


def svg(chart) -> str:
    return vlc.vegalite_to_svg(chart.to_dict())


def figure_charts(kring, gebied: str, thema: str) -> list:
    """The charts of the Cijfers tab: the theme's profile and, where there are years, its trend."""
    return [chart for chart in (profile_chart(kring, gebied, thema), development_chart(kring, gebied, thema))
            if chart is not None]


def profile_chart(kring, gebied: str, thema: str):
    """The theme's indicators against the reference, or None without figures."""
    from wijkkit.tellen.grafieken import profiel_chart

    deel = kring.profiel(gebied)
    met_cijfer = deel[(deel["domein"] == thema) & deel["index"].notna()]
    if met_cijfer.empty:
        return None
    return profiel_chart(met_cijfer, referentie_label=kring.referentie_label(), width=440)


def development_chart(kring, gebied: str, thema: str):
    """The theme's figures over the years, or None when no indicator has more than one year."""
    from wijkkit.tellen.grafieken import trend_chart

    verloop = kring.trend(gebied, thema)
    if verloop.empty:
        return None
    ok = verloop[verloop["status"] == "ok"]
    # one year per indicator is no development: the profile already shows that year
    if ok.empty or not (ok.groupby("indicator", observed=True)["jaar"].nunique() > 1).any():
        return None
    return trend_chart(verloop)


def summary_fragment(kring, gebied: str, thema: str, *, charts: list | None = None,
                     vandaag: date | None = None) -> str:
    """The summary as a block that fits in a page or a notebook (its own styles, no scripts)."""
    page = summary_html(kring, gebied, thema, charts=charts, vandaag=vandaag)
    body = page.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    scoped = CSS.replace("body {", ".wk-samenvatting {")
    return f"<div class='wk-samenvatting'><style>{scoped}</style>{body}</div>"


def summary_html(kring, gebied: str, thema: str, *, charts: list | None = None, vandaag: date | None = None) -> str:
    """The summary of one gebied x theme: figures, stories, tension and the circle's duidingen."""
    e = esc  # escaped, bidirectional controls removed
    naam, label = kring.namen.get(gebied, gebied), kring.labels.get(thema, thema)
    beeld = kring.verhalen(gebied, thema)
    tabel = kring.kruistabel(gebied)
    rij = tabel[tabel["thema"] == thema]
    uitleg = rij["uitleg"].iloc[0] if len(rij) else "Voor dit thema zijn geen cijfers of verhalen."
    spanning = bool(rij["spanning"].iloc[0]) if len(rij) else False
    deel = kring.profiel(gebied)
    deel = deel[(deel["domein"] == thema) & deel["waarde"].notna()]
    # the explanation column only where some figure has one (an empty column reads as missing data)
    uitleg_kolom = deel["toelichting"].fillna("").astype(str).str.strip().ne("").any() if len(deel) else False
    cijfer_rijen = "".join(
        f"<tr><td>{e(r.label)}</td><td>{e(met_eenheid(_value(r.waarde), r.eenheid))}</td><td>{int(r.jaar)}</td>"
        f"<td>{e(r.band or '')}</td>" + (f"<td>{e(r.toelichting or '')}</td>" if uitleg_kolom else "") + "</tr>"
        for r in deel.itertuples())
    parts = [f"<h1>Kenniskring {e(naam)}: {e(label)}</h1>",
             f"<p class='sub'>{e(kring.project.config.project.naam)} · samenvatting van "
             f"{(vandaag or date.today()).strftime('%d-%m-%Y')} · index: {e(kring.referentie_label())}</p>",
             "<h2>Wat zeggen de cijfers?</h2>"]
    parts.append(f"<table><tr><th>indicator</th><th>waarde</th><th>jaar</th><th>vergelijking</th>"
                 f"{'<th>toelichting</th>' if uitleg_kolom else ''}</tr>{cijfer_rijen}"
                 "</table>" if cijfer_rijen else "<p>Voor dit thema zijn er geen cijfers voor dit gebied.</p>")
    for chart in charts or []:
        parts.append(f"<div class='grafiek'>{svg(chart)}</div>")
    if len(rij) and rij["schouw"].iloc[0] != "geen schouw":
        wanneer = kring.schouw_rondes(gebied)
        parts.append(f"<h2>Wat zag de straatschouw?</h2><p>{e(rij['schouw'].iloc[0])}"
                     f"{e('; ' + wanneer) if wanneer else ''}.</p>")
    parts.append("<h2>Wat zeggen de verhalen?</h2>")
    if beeld.genoeg:
        parts.append(f"<p>Over {e(label.lower())}: {e(beeld.samenvatting)} {e(beeld.suggestie_zin)}</p>")
        parts.append(f"<p class='sub'>{e(story_source(kring, gebied, thema))}</p>")
        for q in beeld.citaten.itertuples():
            parts.append(f"<blockquote>{e(q.citaat)}<span class='wie'>{e(q.verteller_rol)}, {e(q.methode)} "
                         f"({e(q.valentie)})</span></blockquote>")
    else:
        parts.append(f"<p>Over {e(label.lower())} in {e(naam)} zijn {e(beeld.publiek)} verhalen: te weinig om iets "
                     f"te laten zien zonder dat vertellers herkenbaar worden. {e(beeld.suggestie_zin)}</p>")
    parts += ["<h2>Cijfers en verhalen samen</h2>", f"<p class='{'spanning' if spanning else 'rustig'}'>{e(uitleg)}</p>",
              "<h2>Duiding van de kenniskring</h2>"]
    notes = duidingen(kring.store, gebied=gebied, thema=thema)
    if notes.empty:
        parts.append("<p>Nog geen duiding vastgelegd.</p>")
    for d in notes.itertuples():
        velden = ("".join(f"<p><b>{e(vraag)}</b><br>{e(getattr(d, veld))}</p>" for veld, vraag in VELDEN.items()
                          if getattr(d, veld)) if d.verwerkt else f"<p><i>{e(WORDT_VERWERKT)}</i></p>")
        parts.append(f"<div class='duiding'><p class='sub'>{d.datum:%d-%m-%Y} · aanwezig: "
                     f"{e(aanwezigen_tekst(d.aanwezigen, kring.drempel))}</p>{velden}</div>")
    parts.append("<footer>Verhalen zijn gepseudonimiseerd; citaten alleen met toestemming van de verteller; "
                 f"aantallen onder {kring.drempel} worden niet genoemd. Gemaakt met wijkkit.</footer>")
    body = "\n".join(parts)
    return (f"<!DOCTYPE html>\n<html lang='nl'><head><meta charset='utf-8'>"
            f"<title>Kenniskring {e(naam)}: {e(label)}</title><style>{CSS}</style></head><body>{body}</body></html>")


def write_summary(kring, gebied: str, thema: str, *, charts: list | None = None, map_: str | Path | None = None
                  ) -> Path:
    """Write the summary under ``reports/kenniskring/`` of the project; returns the path."""
    folder = Path(map_) if map_ else kring.project.root / "reports" / "kenniskring"
    folder.mkdir(parents=True, exist_ok=True)
    naam, label = kring.namen.get(gebied, gebied), kring.labels.get(thema, thema)
    path = folder / f"kenniskring-{_slug(naam)}-{_slug(label)}-{date.today():%Y%m%d}.html"
    path.write_text(summary_html(kring, gebied, thema, charts=charts), encoding="utf-8")
    return path
