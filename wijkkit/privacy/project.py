"""A project's pseudonymisers: what stays readable (its gebied names, its own name) and how ids are hidden.

Stories (:mod:`wijkkit.vertellen.importeren`), schouw remarks (:mod:`wijkkit.kijken.importeren`), duidingen and
REFI-QDA imports all go through these, so one project pseudonymises one way. ``project`` is a
:class:`wijkkit.config.Project`; nothing here imports it (privacy sits below the project settings).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wijkkit.privacy.metadata import MetadataPseudonimiseerder
from wijkkit.privacy.pseudonimiseer import Pseudonimiseerder

if TYPE_CHECKING:
    from wijkkit.config import Project


def gebied_namen(project: Project) -> tuple[set[str], set[str]]:
    """Known gebied codes and the names to keep in texts (gebieden, the gemeente)."""
    cijfers = project.load_indicators()
    areas = cijfers[["gebied_code", "gebied_naam"]].drop_duplicates()
    codes = set(areas["gebied_code"].astype(str)) | set(project.config.project.gebieden)
    names = {str(n) for n in areas["gebied_naam"]}
    names |= {n.split(" ", 2)[-1] for n in names if n.startswith("Wijk ")}  # "Wijk 02 Rietveld" -> "Rietveld"
    return codes, names


def project_pseudonimiseerder(project: Project, names: set[str] | None = None, *, light: bool = False
                              ) -> Pseudonimiseerder:
    """The project's pseudonymiser: its gebied names and its own name are kept."""
    if names is None:
        names = gebied_namen(project)[1]
    return Pseudonimiseerder(names | {project.config.project.naam}, use_deduce=not light)


def metadata_pseudonimiseerder(project: Project, pseudo: Pseudonimiseerder) -> MetadataPseudonimiseerder:
    from wijkkit.privacy.sleutel import pseudonymous

    light = Pseudonimiseerder(pseudo.behouden, use_deduce=False)
    return MetadataPseudonimiseerder(pseudo.detect, lambda value: pseudonymous(project, value), light.detect)
