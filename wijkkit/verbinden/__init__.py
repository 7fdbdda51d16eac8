"""Verbinden: figures and stories side by side per gebied and theme, with their tensions."""

from wijkkit.verbinden.kruistabel import publiek_aantal, verbind, verhalen_per_thema

__all__ = ["publiek_aantal", "verbind", "verhalen_per_thema"]
