"""One error type for bad input: it says where (file, row, column) and what was expected.

Messages are Dutch because the people reading them are; attributes stay structured so
tests and widgets can point at the exact cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_LISTED = 20


def excel_column_letter(index: int) -> str:
    """Spreadsheet letter for a 0-based column index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Probleem:
    """One problem at one place in one input file.

    ``rij`` is the row number as a person sees it in a spreadsheet or editor
    (1-based, header included); ``kolom`` is the column name as written in the file.
    """

    bestand: str
    verwacht: str
    rij: int | None = None
    kolom: str | None = None
    kolom_letter: str | None = None
    gevonden: str | None = None
    soort: str = "kolom"  # "veld" for YAML/TOML settings
    plek: str = "bestand"  # "optie" for a command-line option ("--gebied"), where there is no file

    def plaats(self) -> str:
        parts = [f"{self.plek} '{self.bestand}'"]
        if self.rij is not None:
            parts.append(f"rij {self.rij}")
        if self.kolom is not None:
            kolom = f"{self.soort} '{self.kolom}'"
            if self.kolom_letter:
                kolom += f" ({self.kolom_letter})"
            parts.append(kolom)
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.plaats()}: verwacht {self.verwacht}"
        if self.gevonden is not None:
            shown = self.gevonden if len(self.gevonden) <= 60 else self.gevonden[:57] + "..."
            text += f", gevonden '{shown}'"
        return text + "."


class WijkkitInputError(ValueError):
    """Bad input: the message lists every problem found (up to ``MAX_LISTED``)."""

    def __init__(self, problemen: Probleem | list[Probleem]):
        if isinstance(problemen, Probleem):
            problemen = [problemen]
        if not problemen:
            raise ValueError("WijkkitInputError needs at least one Probleem")
        self.problemen = list(problemen)
        super().__init__(self._message())

    @property
    def bestand(self) -> str:
        return self.problemen[0].bestand

    @property
    def rij(self) -> int | None:
        return self.problemen[0].rij

    @property
    def kolom(self) -> str | None:
        return self.problemen[0].kolom

    def _message(self) -> str:
        if len(self.problemen) == 1:
            return f"Fout in {self.problemen[0]}"
        lines = [f"{len(self.problemen)} fouten gevonden; er is niets ingelezen:"]
        lines += [f"- {p}" for p in self.problemen[:MAX_LISTED]]
        if len(self.problemen) > MAX_LISTED:
            lines.append(f"- en nog {len(self.problemen) - MAX_LISTED} andere fouten.")
        return "\n".join(lines)


def bestandsnaam(path: str | Path) -> str:
    """The file name as shown in messages (name only: full paths may hold user names)."""
    return Path(path).name
