"""Shared chart settings: offline rendering, Dutch number format, colour-blind safe colours.

Altair's default renderer fetches Vega from a CDN; knowledge circles often meet without
internet, so :func:`enable_offline` switches to the bundled JupyterChart widget.
"""

from __future__ import annotations

import hashlib
import json
import os
import re

import altair as alt

from wijkkit.weergave import getal as nl_number  # noqa: F401  (charts format numbers the Dutch way)

# Okabe-Ito: distinguishable with the common forms of colour blindness.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT_SIZE = 16  # the smallest type on a 1280x720 beamer

from wijkkit.kleuren import (  # noqa: F401  (re-exported: charts use them by these names)
    GEBIED, GEEN_GEGEVENS, GUNSTIG, KNELPUNT, KRACHT, NEUTRAAL, NEUTRAAL_SCHAAL, ONGUNSTIG, REFERENTIE, ROND,
    VALENTIE_KLEUR)

NL_LOCALE = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€\u00a0", ""]},
    "time": {
        "dateTime": "%a %e %B %Y %X", "date": "%d-%m-%Y", "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
        "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
        "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                   "september", "oktober", "november", "december"],
        "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    },
}


STATISCH = "WIJKKIT_STATISCH"  # set by reproduce and rapport: notebooks run without a browser


def enable_offline() -> None:
    """Render charts with the locally bundled Vega (JupyterLab and Voila, no network).

    Run headless (``reproduce``, ``rapport``: ``WIJKKIT_STATISCH`` set), nobody is there to draw a
    chart widget, so charts become inline SVG: a student's HTML shows every figure.
    """
    if os.environ.get(STATISCH):
        alt.renderers.register("wijkkit-statisch", static_renderer)
        alt.renderers.enable("wijkkit-statisch")
    else:
        alt.renderers.enable("jupyter", offline=True)


def spec_digest(spec: dict) -> str:
    """SHA-256 of a Vega-Lite spec with its data as canonical JSON (sorted keys, no spaces)."""
    canonical = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def static_renderer(spec: dict, **_) -> tuple[dict, dict]:
    """Altair renderer: the chart as inline SVG, with the hash of its spec in the output's metadata."""
    import vl_convert as vlc

    return ({"image/svg+xml": met_titels(vlc.vegalite_to_svg(spec))},
            {"wijkkit": {"vegalite_sha256": spec_digest(spec)}})


def enable_static() -> None:
    """Charts as inline SVG (vl-convert): for reports that must be one self-contained file."""
    alt.renderers.enable("svg")


def style(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Dutch locale, type of at least 16 px, and no chart-menu links to the internet."""
    return (chart.configure(locale=NL_LOCALE, font="DejaVu Sans")
            .configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=360)
            .configure_header(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=360)
            .configure_legend(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=420, titleLimit=600,
                              symbolSize=180)
            .configure_title(fontSize=FONT_SIZE + 6, subtitleFontSize=FONT_SIZE, anchor="start", limit=1100)
            .configure_text(fontSize=FONT_SIZE)
            .configure_view(stroke=None)
            .properties(usermeta={"embedOptions": {"actions": False}}))


def svg(chart: alt.TopLevelMixin, *, titels: bool = True) -> str:
    """The chart as inline SVG (vl-convert, no browser and no network needed).

    With ``titels`` every data mark gets its description as an SVG ``<title>``: the hover text
    a browser shows without any script (what the tooltip is in an interactive chart).
    """
    import vl_convert as vlc

    out = vlc.vegalite_to_svg(chart.to_dict(validate=False))  # validated as it was built
    return met_titels(out) if titels else out


_MARK = re.compile(r'<path([^>]*?)aria-label="([^"]*)"([^>]*?)aria-roledescription="(?!text)([^"]*)"([^>]*?)/>')
_CODE = re.compile(r"\s*\[(?:GM|WK|BU)[0-9A-Za-z]+\]$")


def met_titels(svg_text: str) -> str:
    """Give every labelled data mark a hover ``<title>`` (its label, without a trailing ``[CODE]``)."""
    def titled(match: re.Match) -> str:
        shown = _CODE.sub("", match.group(2))
        # the label is already XML-escaped by vl-convert, which is also valid as element text
        return (f'<path{match.group(1)}aria-label="{match.group(2)}"{match.group(3)}aria-roledescription='
                f'"{match.group(4)}"{match.group(5)}><title>{shown}</title></path>')

    return _MARK.sub(titled, svg_text)


def to_html(chart: alt.TopLevelMixin) -> str:
    """A standalone HTML page with Vega inlined (no CDN), e.g. for an exported summary."""
    return chart.to_html(inline=True)
