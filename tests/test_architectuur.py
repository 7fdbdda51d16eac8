"""The house keeps its shape: no import circles among wijkkit's modules, no import that runs up a layer.

The layers and what may import what are read from docs/architectuur.md; imports are read with ``ast``, also
those inside functions (a late import is still a dependency, and a circle through one still breaks).
"""

from __future__ import annotations

import textwrap

from tests.importgraaf import Plan, cycles, imports, modules, read_plan, room, upward


def test_no_import_circles_among_wijkkit_modules():
    assert cycles(imports()) == []


def test_every_room_has_a_layer():
    rooms = {room(m) for m in modules()}
    assert rooms - set(read_plan().lagen) == set(), "voeg de nieuwe kamer toe aan docs/architectuur.md"


def test_no_import_runs_up_except_the_listed_ones():
    plan = read_plan()
    found = set(upward(imports(), plan))
    assert found - plan.uitzonderingen == set(), "een import loopt omhoog (zie docs/architectuur.md)"
    assert plan.uitzonderingen - found == set(), "opgeruimd: haal de uitzondering uit docs/architectuur.md"


def test_the_checks_see_a_late_import_that_runs_up_and_a_circle(tmp_path):
    """The checks themselves can fail: a tiny package with a function-level import upward and a circle."""
    package = tmp_path / "wijkkit"
    (package / "laag").mkdir(parents=True)
    (package / "hoog").mkdir()
    (package / "__init__.py").write_text("")
    (package / "laag" / "__init__.py").write_text("")
    (package / "hoog" / "__init__.py").write_text("")
    (package / "laag" / "a.py").write_text(textwrap.dedent("""
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:
            from wijkkit.hoog import c  # only for type hints: not a dependency
        def f():
            from wijkkit.hoog.b import g
            return g
    """))
    (package / "hoog" / "b.py").write_text("from . import c\ndef g():\n    pass\n")
    (package / "hoog" / "c.py").write_text("from wijkkit.hoog import b\n")
    graph = imports(tmp_path)
    assert graph["wijkkit.laag.a"] == {"wijkkit.hoog.b"}
    assert cycles(graph) == [["wijkkit.hoog.b", "wijkkit.hoog.c"]]
    plan = Plan({"__init__": 1, "laag": 1, "hoog": 2})
    assert upward(graph, plan) == [("wijkkit.laag.a", "wijkkit.hoog.b")]
