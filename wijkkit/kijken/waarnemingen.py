"""The straatschouw as it stands in the store: the submissions as a table, and as indicators beside the figures.

Reading only; storing a schouw export is :mod:`wijkkit.kijken.importeren`. Nothing here imports the project
settings (``wijkkit.config``), so ``Project.load_indicators`` can add the schouw without an import circle.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from wijkkit.errors import WijkkitInputError
from wijkkit.kijken.indicatoren import schouw_indicatoren
from wijkkit.kijken.onderdelen import onderdelen
from wijkkit.store.models import Schouwpunt

COLUMNS = ["id", "datum", "gebied", "lat", "lon", "rol", "scores", "opmerking", "thema", "foto", "toestemming"]


def waarnemingen(store) -> pd.DataFrame:
    """Every stored submission as a table (``scores`` a dict per row), oldest first."""
    with store.read() as session:
        rows = session.scalars(select(Schouwpunt).order_by(Schouwpunt.datum, Schouwpunt.id)).all()
        data = [{c: getattr(r, c) for c in COLUMNS} for r in rows]
    return pd.DataFrame(data, columns=COLUMNS)


def schouw_cijfers(project, tables: list[pd.DataFrame]) -> pd.DataFrame | None:
    """The straatschouw in the project's store as indicators, or None when the project has none.

    ``tables`` are the figures read so far: they give the walked buurten, their wijken and the gemeente names.
    """
    url = project.config.store.url
    if url.startswith("sqlite"):
        database = url.split("///", 1)[-1]
        if not database or database == ":memory:" or not (project.root / database).exists():
            return None  # reading figures never creates a store
    try:
        store = project.open_store()
    except WijkkitInputError:
        return None  # the figures stand on their own; the store's problem is told where the store is used
    try:
        rows = waarnemingen(store)
    finally:
        store.close()
    if rows.empty:
        return None
    gemeente = project.config.project.gemeente
    names = {}  # the names the figures give the walked buurten, their wijken and the gemeente
    for table in tables:
        known = table[table["gebied_code"].astype(str).str[2:6] == gemeente[2:6]]
        names.update(zip(known["gebied_code"].astype(str), known["gebied_naam"].astype(str)))
    return schouw_indicatoren(rows, onderdelen(project.catalogus), gemeente=gemeente,
                              drempel=project.config.privacy.drempel, namen=names)
