"""Pseudonymise what travels with a story: its id, its source and who collected it.

A story's id often comes from a file name ("interview-jan-jansen-0612345678.md") and ends up in
the werkbank, exports and reproduced reports; the collector is a named professional. Ids and
sources that hold something identifying become readable stand-ins with a short keyed hash
("interview-persoon-telefoon-3fa9c1d2"), the same on every import of the same file, so
``--alleen-nieuw`` still recognises it. A collector's name becomes "verzamelaar-<hash>", the
same person always the same stand-in (interviewer effects stay visible), a role ("jongerenwerker")
stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

SEPARATORS = re.compile(r"[-_.]")
IDENTIFYING = {"PERSOON", "ADRES", "POSTCODE", "TELEFOON", "EMAIL", "BSN", "GEBOORTEDATUM", "IBAN", "KENTEKEN",
               "ACCOUNT", "URL"}


@dataclass
class MetadataPseudonimiseerder:
    """``detect`` finds identifying spans in a text (``detect_namen`` the light variant, without
    deduce, for the capitalised copy); ``hasher`` gives a keyed short hash of a value."""

    detect: Callable
    hasher: Callable[[str], str]
    detect_namen: Callable | None = None

    def _found(self, text: str) -> list:
        """Identifying spans, also of names written in lower case as file names are ("gesprek-pietje-puk")."""
        spaced = SEPARATORS.sub(" ", text)  # same length, so spans keep their place
        capitalised = re.sub(r"\b[^\W\d_]", lambda m: m.group().upper(), spaced)
        found = {s for s in self.detect(spaced) if s.categorie in IDENTIFYING}
        if len(capitalised) == len(spaced) and self.detect_namen:  # only the name lists read the capitalised copy
            found |= {s for s in self.detect_namen(capitalised) if s.categorie == "PERSOON" and s.bron == "namen"}
        spans = sorted(found, key=lambda s: (s.start, -s.end))
        merged = []
        for span in spans:  # overlapping finds of the two variants become one
            if merged and span.start < merged[-1].end:
                if span.end > merged[-1].end:
                    merged[-1] = type(span)(merged[-1].start, span.end, merged[-1].categorie, "", span.bron)
                continue
            merged.append(span)
        return merged

    def story_id(self, ident: str) -> str:
        spans = self._found(ident)
        if not spans:
            return ident
        pieces, last = [], 0
        for span in spans:
            pieces += [ident[last:span.start], span.categorie.lower()]
            last = span.end
        pieces.append(ident[last:])
        readable = re.sub(r"[^\w.-]+", "-", "".join(pieces)).strip("-.")[:150] or "verhaal"
        return f"{readable}-{self.hasher(ident)}"

    def bron(self, bron: str, old_id: str, new_id: str) -> str:
        if old_id != new_id and old_id in bron:
            bron = bron.replace(old_id, new_id)
        spans = self._found(bron)
        for span in reversed(spans):
            bron = bron[:span.start] + f"[{span.categorie}]" + bron[span.end:]
        return bron

    def verzamelaar(self, naam: str) -> str:
        if not naam or not self._found(naam):
            return naam
        return f"verzamelaar-{self.hasher(naam.casefold().strip())[:6]}"
