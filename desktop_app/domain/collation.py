"""Names in the order people look them up in a list.

Accents and case do not move a name (DIN 5007-1, the dictionary order: "ä" files as "a",
"ß" as "ss"), so "Bäckerei" comes before "Blue Harbor Café", where byte order puts every
accented letter after "z". Names in Chinese characters keep Unicode order: ordering them by
pinyin or by strokes needs a collation table PaidUp does not carry.
"""

from __future__ import annotations

import unicodedata


def name_key(name: str) -> tuple[str, str]:
    """Sort key: the name without accents and case first, then as written (a stable tie)."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)), name
