"""Privacy: pseudonymisation on import, consent rules, thresholds for public pages."""

from wijkkit.privacy.pseudonimiseer import CATEGORIES, Pseudonimiseerder, Resultaat, Span, bsn_valid

__all__ = ["CATEGORIES", "Pseudonimiseerder", "Resultaat", "Span", "bsn_valid"]
