"""Name normalisation shared by IRI minting, resolution and matching."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "slug"]

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces.

    >>> fold("  Direction Générale de la Sécurité-Intérieure ")
    'direction generale de la securite interieure'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_ = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", ascii_.lower()).strip()


def slug(text: str, *, limit: int = 80) -> str:
    """A stable IRI path segment for a name.

    >>> slug("Sentra Handayani Jakarta")
    'sentra-handayani-jakarta'
    >>> slug("Krüger")
    'kruger'
    """
    s = fold(text).replace(" ", "-")[:limit].strip("-")
    return s or "x"
