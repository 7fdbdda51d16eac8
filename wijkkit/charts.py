"""Shared chart settings: offline rendering, Dutch number format, colour-blind safe colours.

Altair's default renderer fetches Vega from a CDN; knowledge circles often meet without
internet, so :func:`enable_offline` switches to the bundled JupyterChart widget.
"""

from __future__ import annotations

import altair as alt

from wijkkit.weergave import getal as nl_number  # noqa: F401  (charts format numbers the Dutch way)

# Okabe-Ito: distinguishable with the common forms of colour blindness.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FONT_SIZE = 14

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


def enable_offline() -> None:
    """Render charts with the locally bundled Vega (JupyterLab and Voila, no network)."""
    alt.renderers.enable("jupyter", offline=True)


def enable_static() -> None:
    """Charts as inline SVG (vl-convert): for reports that must be one self-contained file."""
    alt.renderers.enable("svg")


def style(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Dutch locale, readable type and no chart-menu links to the internet."""
    return (chart.configure(locale=NL_LOCALE, font="DejaVu Sans")
            .configure_axis(labelFontSize=FONT_SIZE - 1, titleFontSize=FONT_SIZE)
            .configure_header(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE)
            .configure_legend(labelFontSize=FONT_SIZE - 1, titleFontSize=FONT_SIZE, labelLimit=320)
            .configure_title(fontSize=FONT_SIZE + 4, subtitleFontSize=FONT_SIZE - 1, anchor="start")
            .configure_view(stroke=None)
            .properties(usermeta={"embedOptions": {"actions": False}}))


def to_html(chart: alt.TopLevelMixin) -> str:
    """A standalone HTML page with Vega inlined (no CDN), e.g. for an exported summary."""
    return chart.to_html(inline=True)
