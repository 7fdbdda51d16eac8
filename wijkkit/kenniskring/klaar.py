"""A page says it is built: :func:`wijkkit.notebooks.mark_ready` (it moved down there, so that the werkbank in
``coderen`` can call it without importing a kenniskring module); read here too."""

from __future__ import annotations

from wijkkit.notebooks import mark_ready  # noqa: F401
