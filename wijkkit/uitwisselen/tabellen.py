"""Codings as tables: CSV for analysis elsewhere, Excel with one sheet of quotes per theme.

These exports are for the research team, not for the public: texts are the pseudonymised
ones, stories without consent for analysis (``none``) never contribute text, and a column
says whether a fragment may be quoted. What people typed never becomes a live formula: CSV
cells that start like one get an apostrophe, Excel cells are written as text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from wijkkit.codebook import Codebook
from wijkkit.coderen.beslissingen import codes
from wijkkit.store import Store
from wijkkit.store.models import Story
from wijkkit.weergave import excel_als_tekst, spreadsheet_tabel

COLUMNS = ["verhaal", "gebied", "methode", "verteller_rol", "datum", "toestemming", "mag_citeren", "codeur",
           "thema", "thema_label", "valentie", "heel_verhaal", "start", "eind", "fragment", "gecodeerd_op"]


def codings_table(store: Store, codebook: Codebook) -> pd.DataFrame:
    """One row per current code of every coder, with the story's metadata and the coded fragment."""
    applied = codes(store)
    with store.read() as session:
        stories = pd.DataFrame(session.execute(select(Story.id, Story.gebied, Story.methode, Story.verteller_rol,
                                                      Story.datum, Story.toestemming, Story.tekst)).all(),
                               columns=["verhaal", "gebied", "methode", "verteller_rol", "datum", "toestemming",
                                        "tekst"])
    if applied.empty:
        return pd.DataFrame(columns=COLUMNS)
    table = applied.merge(stories, left_on="story_id", right_on="verhaal")
    whole = table["start"].isna()
    table["heel_verhaal"] = whole.map({True: "ja", False: "nee"})
    table["fragment"] = table["bewijs"].where(~whole, table["tekst"])
    table.loc[table["toestemming"] == "none", "fragment"] = ""
    table["mag_citeren"] = (table["toestemming"] == "citeren-anoniem").map({True: "ja", False: "nee"})
    table["thema_label"] = table["thema"].map(lambda t: codebook.label(t) if t in codebook.theme_ids else t)
    table["eind"] = table["end"]
    table["gecodeerd_op"] = pd.to_datetime(table["created_at"], utc=True).dt.strftime("%Y-%m-%d %H:%M")
    table["valentie"] = table["valentie"].fillna("")
    table = table.sort_values(["thema", "verhaal", "start", "codeur"], na_position="first")
    return table[COLUMNS].reset_index(drop=True)


def write_csv(store: Store, codebook: Codebook, path: str | Path, *, sep: str = ";") -> Path:
    """CSV with ';' and a BOM by default, so Dutch Excel opens it with the right columns and accents."""
    path = Path(path)
    spreadsheet_tabel(codings_table(store, codebook)).to_csv(path, index=False, sep=sep, encoding="utf-8-sig")
    return path


def _sheet_name(label: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", label).strip()[:31] or "thema"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def write_excel(store: Store, codebook: Codebook, path: str | Path) -> Path:
    """An overview sheet, then one sheet per theme with its fragments (quotes) and who coded them."""
    path = Path(path)
    table = codings_table(store, codebook)
    overview = (table.assign(valentie=table["valentie"].replace("", "geen"))
                .pivot_table(index="thema_label", columns="valentie", values="verhaal", aggfunc="nunique",
                             fill_value=0) if not table.empty else pd.DataFrame())
    taken: set[str] = {"overzicht"}
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        overview.rename_axis("thema").to_excel(writer, sheet_name="Overzicht")
        writer.sheets["Overzicht"].cell(row=1, column=1).value = "thema (aantal verhalen per valentie)"
        excel_als_tekst(writer.sheets["Overzicht"])
        for thema in codebook.themas:
            part = table[table["thema"] == thema.id]
            name = _sheet_name(thema.label, taken)
            columns = ["verhaal", "gebied", "methode", "verteller_rol", "codeur", "valentie", "mag_citeren",
                       "fragment"]
            part[columns].to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            for letter, width in zip("ABCDEFGH", (16, 12, 14, 14, 16, 10, 12, 100)):
                sheet.column_dimensions[letter].width = width
            sheet.freeze_panes = "A2"
            excel_als_tekst(sheet)
    return path
