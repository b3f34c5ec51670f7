"""Sorting people's names as a French reader expects ("Léa" before "Louise", "Émile" among the
E's, "Œ" as "OE"), on any machine.

PostgreSQL's ICU collations would do it in ``ORDER BY``, but the embedded PostgreSQL of
``make demo``/``make test`` is built without ICU and a glibc "fr_FR" locale may not be installed;
so lists of a class size (registers, class lists) are sorted here, with Python's own Unicode
database: letters first compared without accents or case (primary level), then accents
(secondary), then case (tertiary), as the Unicode Collation Algorithm does for French.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

#: Letters that decompose into no base letter but sort as two (ligatures, German sharp s).
_EXPANSIONS = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O"})


def french_key(text: str) -> tuple[str, tuple[str, ...], str]:
    """A sort key: (letters without accents or case, the accents of each letter, the case)."""
    expanded = text.translate(_EXPANSIONS)
    decomposed = unicodedata.normalize("NFD", expanded)
    base: list[str] = []
    accents: list[str] = []
    for char in decomposed:
        if unicodedata.combining(char):
            if accents:
                accents[-1] += char
            continue
        base.append(char)
        accents.append("")
    return "".join(base).casefold(), tuple(accents), "".join(base).swapcase()


def sorted_french(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """``items`` sorted by ``key(item)`` in French order (stable: equal names keep their order)."""
    return sorted(items, key=lambda item: french_key(key(item)))
