"""A page says it is built (``wijkkit kenniskring dashboard`` opens the browser then): standard library only."""

from __future__ import annotations

import os
from pathlib import Path


def mark_ready() -> None:
    """Called by a page at the end of building itself (see ``kenniskring.serve``)."""
    target = os.environ.get("WIJKKIT_READY_FILE")
    if target:
        Path(target).touch()
