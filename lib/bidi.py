"""Sheet text placed beside the product's own words, kept from reordering them.

A cell holding right-to-left letters or a bidi control (say an unclosed right-to-left
override, U+202E) changes the direction of whatever follows it on the same line: '@name ·
2 posts' can show as '@stsop 2 · eman', and Arabic letters pull a following number in
front of them. Wrapped in a first-strong isolate (U+2068 … U+2069), the cell keeps its own
direction and cannot touch the text around it. Text without such characters is returned
unchanged, so plain handles and links stay byte for byte what the sheet says.
"""

from __future__ import annotations

import re
from typing import overload

import pandas as pd

FSI, PDI = "\u2068", "\u2069"
"""First-strong isolate and pop directional isolate: the text between them is its own island."""

BIDI_SENSITIVE = (
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"  # Hebrew, Arabic, Syriac, Thaana, N'Ko … and their forms
    "\U00010800-\U00010fff\U0001e800-\U0001efff"  # right-to-left scripts outside the basic plane
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"  # direction marks, embeddings, overrides, isolates
)
_SENSITIVE_RE = re.compile(BIDI_SENSITIVE)


@overload
def isolate(text: str) -> str: ...
@overload
def isolate(text: None) -> None: ...
def isolate(text: str | None) -> str | None:
    """`text` wrapped in an isolate when it could change the direction of its neighbours."""
    if not isinstance(text, str) or not _SENSITIVE_RE.search(text):
        return text
    return f"{FSI}{text}{PDI}"


def isolate_all(text: pd.Series) -> pd.Series:
    """`isolate` over a column of text, vectorised; missing stays missing."""
    text = text.astype("string")
    sensitive = text.str.contains(BIDI_SENSITIVE, regex=True).fillna(False).astype(bool)
    return text.where(~sensitive, FSI + text + PDI)
