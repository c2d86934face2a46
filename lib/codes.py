"""Authorization codes are credentials: this module is the one place that shows them.

Whoever holds a live code can attach the creator's post to any ad account, so every output
of the product goes through `mask_code` unless a caller explicitly asks for the whole code.
"""

from __future__ import annotations

import re

import pandas as pd

# '#' then a long run of base64-like characters, as TikTok hands them out.
CODE_PATTERN = r"#[A-Za-z0-9+/]{16,}={0,3}"
_CODE_RE = re.compile(CODE_PATTERN)
MASK = "••••"


def mask_code(code: str | None) -> str | None:
    """First 4 and last 4 characters of a long code, only a hint of a short one.

    A short string shows just its first character, so a masked value can never
    contain the whole code, however short the code is.
    """
    if code is None or (isinstance(code, float) and code != code):
        return None
    text = str(code)
    if not text:
        return ""
    if len(text) >= 16:
        return f"{text[:4]}{MASK}{text[-4:]}"
    if len(text) >= 4:
        return f"{text[:1]}{MASK}"
    return MASK


def mask_codes(codes: pd.Series) -> pd.Series:
    """`mask_code` over a column, vectorised; missing stays missing."""
    text = codes.astype("string")
    n = text.str.len()
    long_form = text.str[:4] + MASK + text.str[-4:]
    mid_form = text.str[:1] + MASK
    out = long_form.where(n >= 16, mid_form.where(n >= 4, MASK))
    return out.where(text.notna() & (n > 0), text)


def looks_like_code(codes: pd.Series) -> pd.Series:
    """True where the text has the shape of a Spark Ads authorization code."""
    return codes.astype("string").str.fullmatch(CODE_PATTERN).fillna(False).astype(bool)


def redact_codes(text: str) -> str:
    """Mask every code-shaped run inside free text (notes, error messages, logs)."""
    return _CODE_RE.sub(lambda m: mask_code(m.group(0)) or "", text)
