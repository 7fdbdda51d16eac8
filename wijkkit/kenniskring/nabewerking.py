"""The full pseudonymiser over duidingen written in a dashboard: ``python -m wijkkit.kenniskring.nabewerking MAP``.

A short-lived process, started by ``wijkkit kenniskring dashboard`` when notes wait for it (and by the
reports before they read duidingen): it loads the name model once, passes it over the waiting
notes and exits, so no kernel of a visitor ever holds that gigabyte.
"""

from __future__ import annotations

import sys

from wijkkit.config import Project
from wijkkit.kenniskring.duiding import pseudonimiseer_volledig, wachtend


def nabewerken(project: Project) -> int:
    """Give every waiting duiding the full pass; returns how many were done."""
    from wijkkit.vertellen.importeren import project_pseudonimiseerder

    store = project.open_store()
    if not wachtend(store):
        return 0
    return pseudonimiseer_volledig(store, project_pseudonimiseerder(project))


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    done = nabewerken(Project.load(args[0] if args else "."))
    if done:
        print(f"{done} duiding(en) en zin(nen) van de kenniskring volledig gepseudonimiseerd.", flush=True)
    return 0


if __name__ == "__main__":  # pragma: no cover - started by serve() as a subprocess
    sys.exit(main())
