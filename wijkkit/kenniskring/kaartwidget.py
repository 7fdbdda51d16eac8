"""An SVG chart whose gebieden can be clicked: the dashboard's map.

Altair's JupyterChart fails to load inside a widget box in Voila, and an Output widget makes
a headless kernel wait on the browser (nbclient), so the map is plain SVG from vl-convert
(:func:`wijkkit.charts.svg`) in a small anywidget. Each clickable mark ends its
``aria-label`` in ``[CODE]`` (Vega-Lite's ``description`` channel); a click sends that code
back as ``gekozen``.
"""

from __future__ import annotations

import anywidget
import traitlets


class KlikbareKaart(anywidget.AnyWidget):
    """``KlikbareKaart(svg=...)``; observe ``gekozen`` for the code of the clicked gebied."""

    _esm = r"""
    const CODE = /\[((?:GM|WK|BU)[0-9A-Za-z]+)\]$/;
    function render({ model, el }) {
      el.classList.add("wk-svgkaart");
      const kaart = document.createElement("div");
      const punt = document.createElement("p");  // what a schouw point saw: set as text, never as HTML
      punt.className = "wk-schouwpunt";
      punt.hidden = true;
      el.append(kaart, punt);
      const draw = () => { kaart.innerHTML = model.get("svg"); punt.hidden = true; };
      draw();
      model.on("change:svg", draw);
      el.addEventListener("click", (event) => {
        const mark = event.target.closest("[aria-label]");
        const label = mark ? (mark.getAttribute("aria-label") || "") : "";
        const found = CODE.exec(label);
        if (found) {
          model.set("gekozen", found[1]);
          model.save_changes();
        } else if (label.includes("Schouw ")) {
          punt.textContent = label.replace(/^beschrijving: /, "");
          punt.hidden = false;
        }
      });
    }
    export default { render };
    """
    _css = """
    .wk-svgkaart path[aria-label$="]"] { cursor: pointer; }
    .wk-svgkaart path[aria-label$="]"]:hover { opacity: 0.75; }
    .wk-svgkaart path[aria-label*="Schouw "] { cursor: pointer; }
    .wk-schouwpunt { font-size: 18px; background: #fff8e1; border-left: 4px solid #d73027; padding: 8px 12px;
                     max-width: 60em; }
    """
    svg = traitlets.Unicode("").tag(sync=True)
    gekozen = traitlets.Unicode("").tag(sync=True)


class Scherm(anywidget.AnyWidget):
    """Invisible: tells the kernel how wide the visitor's screen is (``breedte``, CSS pixels), so a phone gets
    charts drawn at its own width instead of a beamer's, shrunk."""

    _esm = r"""
    function render({ model, el }) {
      el.style.display = "none";
      const report = () => {
        const width = Math.round(window.innerWidth || document.documentElement.clientWidth || 0);
        if (width && width !== model.get("breedte")) { model.set("breedte", width); model.save_changes(); }
      };
      report();
      window.addEventListener("resize", report);
    }
    export default { render };
    """
    breedte = traitlets.Int(0).tag(sync=True)
