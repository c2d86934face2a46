"""Authorization codes are credentials: this module is the one place that reads, judges and shows them.

Whoever holds a live code can attach the creator's post to any ad account, so every output
of the product goes through `mask_code` (one value) or `redact_codes` (free text) unless a
caller explicitly asks for the whole code.

A real code is `#`, 63 characters from `A-Z a-z 0-9 + /` and one `=`: 65 characters. Codes
travel through chat apps, e-mail, forms and spreadsheets before they reach the sheet, and
arrive damaged in a few predictable ways. `clean_codes` undoes the damage that can be undone
without guessing; `code_damage` explains, in words a marketing team understands, what is
wrong with the rest; `looks_like_code` is the strict yes/no on the cleaned text.
"""

from __future__ import annotations

import re
import string
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from lib.columnar import joined, large_text, text_series

CODE_LENGTH = 65
"""Characters in a real code: `#`, 63 code characters and one `=`."""
CODE_PATTERN = r"#[A-Za-z0-9+/]{63}="
"""The exact shape of a real code (a regular expression, for whole-value matching)."""
MASK = "••••"

_BODY = 63
_ALPHABET = "A-Za-z0-9+/"
_HASH_OPTIONAL_SHAPE = rf"#?[{_ALPHABET}]{{{_BODY}}}="
# One character over and over (`#AAAAAAAA`): spelled out per character, not with a
# back-reference, so pandas can hand it to its fast regex engine.
_PLACEHOLDER = "#?(?:" + "|".join(re.escape(c) + "{6,}" for c in string.ascii_letters + string.digits + "+/") + ")=*"

# --- what copy and paste does to text -----------------------------------------------------
# Characters nobody can see that chat apps, word processors and web pages slip into pasted text:
# zero-width space/non-joiner/joiner, word joiner and the invisible operators after it, the
# byte-order mark, the soft hyphen, direction marks and embeddings, the Mongolian vowel separator.
_INVISIBLE = (
    "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\ufeff"
)
# Spaces that are not the plain space: no-break, en/em/thin/hair…, narrow no-break, ideographic.
_SPACES = "\u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u202f\u205f\u3000"
_LINE_BREAKS = "\u0085\u2028\u2029"
_TABLE: dict[int, str | int | None] = {
    **{ord(c): None for c in _INVISIBLE},
    **{ord(c): " " for c in _SPACES},
    **{ord(c): "\n" for c in _LINE_BREAKS},
    # Full-width ASCII (＃ＡＢ１…, the full-width colon of a label): the same characters,
    # typed with an East Asian keyboard. Only this block is folded, unlike a full NFKC, so
    # nothing outside what a code and its label are made of changes.
    **{0xFF01 + i: chr(0x21 + i) for i in range(94)},
}
CODE_VIEW_CHANGES: frozenset[int] = frozenset(_TABLE)
"""Characters `redact_codes` reads other than as written (it drops, folds or splits them before looking)."""
_TABLE_RE = re.compile("[" + "".join(re.escape(chr(c)) for c in _TABLE) + "]")
"""Any character `_TABLE` changes: looked for before translating, so text with none (almost all) is read once."""
_QUOTES = "\"'`“”‘’«»<>"
# A label pasted in front of the code: "Ad code: #…", "Spark code - #…", "code:#…", "Código #…".
_LABEL = r"^[^\W\d_][^#%/\n]{0,40}?(?:\s*[:=\-–—]+\s*|\s+)(?=#)"
_PERCENT = r"%([0-9A-Fa-f]{2})"


def _unpercent(match: re.Match[str]) -> str:
    """A `%XX` escape as its character, when that is printable ASCII (a code, or its label)."""
    value = int(match.group(1), 16)
    return chr(value) if 0x20 <= value <= 0x7E else match.group(0)


def _repaired(text: pd.Series) -> pd.Series:
    """Spaces back to `+` and web-safe `-` `_` back to `+` `/`, only where that makes a real code."""
    repaired = text.str.replace(" ", "+", regex=False).str.translate({ord("-"): "+", ord("_"): "/"})
    return text.where(~repaired.str.fullmatch(_HASH_OPTIONAL_SHAPE).fillna(False), repaired)


def clean_codes(codes: pd.Series) -> pd.Series:
    """Codes as the creator copied them, with the damage of the way here undone.

    Undone, in this order, because each step only works on text the one before has tidied:
    - invisible characters dropped and unusual spaces made plain (they come with the paste);
      full-width characters (`＃`, `Ａ`, `：`) folded to their ordinary form;
    - line breaks and tabs removed with the indentation around them, so a code a chat app
      broke over two lines is whole again;
    - percent escapes decoded (`%23…%2B…%2F…%3D`): a link or a form encoded the code;
    - quotes around the code and a label in front of it (`Ad code: #…`) removed, and the
      space some people type after `#`;
    - spaces put back as `+`, and the web-safe letters `-` `_` as `+` `/`, but only when the
      result is exactly the shape of a real code (see below);
    - the leading `#`, when everything else is exactly a code.

    Why restoring `+` is safe: a web form sends `+` as a space, and that is the only way a
    space gets into a code, which never contains one. The fix is made only when, after it,
    the value is exactly `#` + 63 code characters + `=`: a value damaged any other way keeps
    its space and is reported by `code_damage`, so nothing is ever guessed. And should a
    space ever have stood for something else, the result is a code nobody was given, which
    TikTok rejects just as it rejects the damaged one: it can never bring up another post.
    The same reasoning covers `-`/`_` (never in a code) and a missing `#`.

    Missing stays missing; the result is a string column with the same index.
    """
    return _clean(codes)[0]


def _clean(codes: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """`clean_codes`, and where the cleaned text has exactly the shape of a code."""
    text = codes.astype("string")
    # Almost every code in a sheet is already clean or empty: only the others are worked on.
    shaped = text.str.fullmatch(CODE_PATTERN).fillna(False).to_numpy(dtype=bool)
    todo = ~shaped & text.str.len().gt(0).fillna(False).to_numpy(dtype=bool)
    if not todo.any():
        return text, shaped
    out = text.copy()
    cleaned = _cleaned(text[todo])
    out[todo] = cleaned.to_numpy()
    shaped[todo] = cleaned.str.fullmatch(CODE_PATTERN).fillna(False).to_numpy(dtype=bool)
    return out, shaped


def _cleaned(text: pd.Series) -> pd.Series:
    """The steps of `clean_codes`, on text that needs them."""
    text = text.str.translate(_TABLE)
    text = text.str.replace(r"[^\S\r\n]*[\r\n\t\v\f]+[^\S\r\n]*", "", regex=True)
    if text.str.contains("%", regex=False).any():
        text = text.str.replace(_PERCENT, _unpercent, regex=True)
    text = text.str.strip().str.strip(_QUOTES).str.strip()
    text = _repaired(text.str.replace(_LABEL, "", regex=True))
    # A space typed after `#` goes; then a lost `+` elsewhere can be put back.
    text = _repaired(text.str.replace(r"^#\s+", "#", regex=True))
    bare = text.str.fullmatch(rf"[{_ALPHABET}]{{{_BODY}}}=").fillna(False)
    return text.where(~bare, "#" + text)


def clean_code(code: str | None) -> str | None:
    """`clean_codes` for one value (None stays None)."""
    if code is None or (isinstance(code, float) and code != code):
        return None
    out = clean_codes(pd.Series([str(code)], dtype="string")).iloc[0]
    return None if pd.isna(out) else str(out)


def looks_like_code(codes: pd.Series) -> pd.Series:
    """True where the cleaned text is exactly a real code: `#`, 63 code characters, one `=`.

    A repeated-character placeholder of that length (`#AAAA…A=`) is not a code, though it has
    the shape: a real code is random, and no team should be told a placeholder is fine.
    Equivalent to: not empty and `code_damage` finds nothing.
    """
    cleaned, shaped = _clean(codes)
    return pd.Series(_is_code(cleaned, shaped), index=codes.index, dtype=bool)


def _is_code(cleaned: pd.Series, shaped: np.ndarray) -> np.ndarray:
    """Exactly the shape, and not one character repeated."""
    return shaped & ~cleaned.str.fullmatch(_PLACEHOLDER).fillna(False).to_numpy(dtype=bool)


# --- what is wrong with a code ---------------------------------------------------------------
_ASK = (
    "Ask the creator to open the post's Ad settings, tap Copy code and send the whole code again"
    " (pasted as it is, not retyped or screenshotted)."
)
_ASK_MID = "a" + _ASK[1:]
DAMAGE: dict[str, str] = {
    "cut_short": "This code is cut short: it has {n} of the 65 characters a code has. " + _ASK,
    "too_long": "This code is too long: it has {n} characters where a code has 65, so something was pasted "
    "with it. Remove the extra text from the cell, or " + _ASK_MID,
    "wrong_characters": "This code has the right length but was changed on the way: a code is # followed by 63 "
    "letters, digits, + or /, and ends with a single =. " + _ASK,
    "missing_hash": "This looks like part of a code, but a code starts with # and has 65 characters: " + _ASK_MID,
    "not_a_code": "This is not an authorization code: a code starts with # and has 65 characters. " + _ASK,
    "hashtag": "This is a hashtag, not an authorization code: ask the creator to copy the code from the "
    "post's Ad settings (… → Ad settings → Copy code).",
    "post_id": "This is the post's number (from its link), not an authorization code: put it with the post "
    "and ask the creator for the code from the post's Ad settings.",
    "link": "This is a link, not an authorization code: put the link in the post column and ask the creator "
    "for the code from the post's Ad settings.",
    "two_codes": "This cell holds more than one code, but each code belongs to one post: give each code its "
    "own row, next to its own post.",
    "placeholder": "This is a placeholder, not a real code: replace it with the code the creator sends, or "
    "leave the cell empty until it arrives.",
}
"""Damage kind → the sentence shown to the team (`{n}`: how many characters the value has)."""

_LINK = (
    r"(?i)(?:\b[a-z][a-z0-9+.-]*://|\bwww\.|\b[a-z0-9-]+\.(?:com|net|org|io|ly|co|me|app|link|to|gl|be)\b"
    r"|\btiktok\.com\b)"
)


def damage_kinds(codes: pd.Series) -> pd.Series:
    """Which way each cleaned code is damaged, as a `DAMAGE` key; missing where good or empty.

    Checked from the most specific mistake to the most general, so a hashtag is called a
    hashtag rather than "cut short", and a link is a link even when it holds a code.
    """
    return _damage(codes)[0]


def _damage(codes: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The damage kind of each code and the length of its cleaned text (both on codes' index)."""
    cleaned, shaped = _clean(codes)
    length = cleaned.str.len()
    kind = pd.Series(pd.NA, index=codes.index, dtype="object")
    judged = cleaned.fillna("").ne("").to_numpy(dtype=bool) & ~_is_code(cleaned, shaped)
    if not judged.any():
        return kind, length
    text = cleaned[judged].reset_index(drop=True)
    found = pd.Series(pd.NA, index=text.index, dtype="object")
    open_ = pd.Series(True, index=text.index)

    def mark(name: str, where: pd.Series) -> None:
        hit = open_ & where.fillna(False).astype(bool)
        found[hit] = name
        open_[hit] = False

    starts_with_hash = text.str.startswith("#")
    size = text.str.len()
    mark("link", text.str.contains(_LINK, regex=True))
    mark("post_id", text.str.fullmatch(r"#?\d{15,20}"))
    mark("placeholder", text.str.fullmatch(_PLACEHOLDER))
    mark("hashtag", text.str.fullmatch(r"#[A-Za-z]{1,30}(?:[\s,;]+#[A-Za-z]{1,30})*"))
    hashed_runs = text.str.count(rf"#\s?[{_ALPHABET}_-]{{16,}}")
    whole_codes = text.str.count(rf"[{_ALPHABET}]{{{_BODY}}}=")
    mark("two_codes", (hashed_runs >= 2) | (whole_codes >= 2))
    mark("cut_short", starts_with_hash & (size < CODE_LENGTH))
    mark("too_long", starts_with_hash & (size > CODE_LENGTH))
    mark("wrong_characters", starts_with_hash)  # 65 characters, but not all in their place
    codeish = text.str.fullmatch(rf"[{_ALPHABET}]{{16,}}=*") & text.str.contains(r"\d") & text.str.contains(r"[A-Za-z]")
    mark("missing_hash", codeish)
    mark("not_a_code", open_)
    kind[judged] = found.to_numpy()
    return kind, length


def code_damage(codes: pd.Series) -> pd.Series:
    """A sentence for the team saying how each code is damaged and what to do; pd.NA where the
    cleaned code is good, empty or missing.

    The sentence never repeats the value: it is read where codes must not be shown.
    """
    kinds, length = _damage(codes)
    out = pd.Series(pd.NA, index=codes.index, dtype="object")
    # Only the damaged few are worded: each kind is looked for among them, not among every code.
    damaged = np.flatnonzero(kinds.notna().to_numpy(dtype=bool))
    found = kinds.to_numpy(dtype=object)[damaged]
    for name, sentence in DAMAGE.items():
        hit = damaged[found == name]
        if not len(hit):
            continue
        if "{n}" in sentence:
            before, after = sentence.split("{n}")
            out.iloc[hit] = (before + length.iloc[hit].astype("Int64").astype(str) + after).to_numpy()
        else:
            out.iloc[hit] = sentence
    return out


def code_damage_of(code: str | None) -> str | None:
    """`code_damage` for one value: the sentence, or None when the code is good or empty."""
    if code is None or (isinstance(code, float) and code != code):
        return None
    out = code_damage(pd.Series([str(code)], dtype="string")).iloc[0]
    return None if pd.isna(out) else str(out)


# --- showing codes ------------------------------------------------------------------------------
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
    """`mask_code` over a column, vectorised with pyarrow's kernels (characters, as Python counts them);
    missing stays missing."""
    text = pa.array(codes.astype("string"), type=pa.large_string(), from_pandas=True)
    n = pc.utf8_length(text)
    long_form = joined(pc.utf8_slice_codeunits(text, 0, 4), MASK, pc.utf8_slice_codeunits(text, -4))
    mid_form = joined(pc.utf8_slice_codeunits(text, 0, 1), MASK)
    out = pc.if_else(pc.greater_equal(n, 16), long_form, pc.if_else(pc.greater_equal(n, 4), mid_form, large_text(MASK)))
    out = pc.if_else(pc.greater(n, 0), out, text)  # "" stays "", missing (null) stays missing
    return text_series(out.cast(pa.string()), codes.index)


# --- finding codes in free text -----------------------------------------------------------------
# Free text (notes, error messages, alerts, logs) is read through a "view": the text with the
# copy/paste damage undone (invisible characters dropped, full-width folded, the four escapes
# of a code's characters decoded), remembering where each character of the view came from, so
# a code found in the view is masked in the original text however it was spelled there.
_VIEW_ESCAPES = {"23": "#", "2B": "+", "2F": "/", "3D": "="}
_CHUNK_RE = re.compile(rf"(?:(#)([^\S\n]{{0,3}}(?:\n[^\S\n]{{0,2}})?))?([{_ALPHABET}_-]+=*|=+)")
_JOINABLE_RE = re.compile(r"[^\S\n]{0,2}\n?[^\S\n]{0,2}")
_URL_RE = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}/\S*")
_WORD_RE = re.compile(r"(?:[A-Z]?[a-z]+)+[A-Z]?[0-9]*|[A-Z]+s?[0-9]*|[0-9]+|")
_SEGMENTS_RE = re.compile(r"[-_/+]")
# Text that cannot hold a code (no `#`, no 20 code characters together, nothing to undo) is
# not read closely: almost all of it, in a notes column.
_QUICK = rf"[#＃]|%23|[{_ALPHABET}_-]{{20,}}|[^\x00-\x7f]"
_PLAIN_POST_LINK = r"https?://(?:www\.|m\.)?tiktok\.com/@[\w.]{1,30}/(?:video|photo)/\d{1,20}/?"
_QUICK_RE = re.compile(rf"#|[{_ALPHABET}_-]{{20,}}")


class _Chunk(NamedTuple):
    """A run of code characters in the view, with its `#` and final `=` signs apart."""

    start: int
    end: int
    hashed: bool
    gap: str  # what stands between `#` and the body: a typed space, a line break, a lost `+`
    body: str
    pad: str


def _chunks(view: str) -> list[_Chunk]:
    out = []
    for m in _CHUNK_RE.finditer(view):
        run = m.group(3)
        body = run.rstrip("=")
        out.append(_Chunk(m.start(), m.end(), m.group(1) is not None, m.group(2) or "", body, run[len(body) :]))
    return out


def _view(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """The text as a code reader sees it, and the original [start, end) of each of its characters.

    Most text needs no change; then the view is the text itself and the positions are None.
    """
    if "%" not in text and not _TABLE_RE.search(text):
        return text, None, None
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "%" and text[i + 1 : i + 3].upper() in _VIEW_ESCAPES:
            out.append(_VIEW_ESCAPES[text[i + 1 : i + 3].upper()])
            starts.append(i)
            ends.append(i + 3)
            i += 3
            continue
        mapped = _TABLE.get(ord(ch), ch)
        if mapped is not None:
            out.append(str(mapped))
            starts.append(i)
            ends.append(i + 1)
        i += 1
    return "".join(out), starts, ends


def _wordy(body: str) -> bool:
    """True for words and word lists (`summer-sale-2026`, `/home/amy/Documents`): not secrets.

    A stretch of a real code is random, so it is never made of ordinary words between
    separators; a path, a slug or a date always is.
    """
    parts = _SEGMENTS_RE.split(body)
    return len(parts) >= 2 and all(_WORD_RE.fullmatch(p) for p in parts)


def _codeish(body: str) -> bool:
    """A piece that could be the rest of a code on the next line: random-looking, not a word."""
    return len(body) >= 4 and not _WORD_RE.fullmatch(body) and not _wordy(body)


def _hashed_secret(body: str) -> bool:
    """`#` + this is worth masking: long enough to be (part of) a code, and not a hashtag,
    a post id or a slug, which people write after `#` all the time."""
    if len(body) < 16 or body.isdigit() or _wordy(body):
        return False
    return not (body.isascii() and body.isalpha() and len(body) <= 30)


def _bare_secret(body: str, pad: str) -> bool:
    """A run without `#` is worth masking: 40+ code characters that end in `=` or hold `+`/`/`.

    Without the `#` only length and those characters tell a code from a word, a post id, a
    document id or a file path, so the bar is higher than for `#` runs: slashes alone count
    only when the run does not read like a path (a leading `/`, or folder after folder).
    """
    if len(body) < 40 or body.isdigit() or _wordy(body):
        return False
    if pad or "+" in body:
        return True
    return "/" in body and not body.startswith("/") and body.count("/") < 3


def _joinable(view: str, left: _Chunk, right: _Chunk) -> bool:
    gap = view[left.end : right.start]
    return 0 < len(gap) <= 4 and not left.pad and not right.hashed and bool(_JOINABLE_RE.fullmatch(gap))


def _exact_join(view: str, chunks: list[_Chunk], i: int) -> tuple[int, str] | None:
    """Pieces from chunk i on that join into exactly a real code's shape: (last chunk, the code).

    This is how a code broken over lines, or with `+` turned into spaces, is recognised:
    each gap is read as nothing (a line break) or as lost `+` signs (one per space), and the
    pieces must then make 63 characters and the final `=`, which ordinary text practically
    never does.
    """
    first = chunks[i]
    # The space after `#` may be a typed space or a lost leading `+`: a gap like the others.
    pieces, gaps = (["", first.body], [first.gap]) if first.gap else ([first.body], [])
    k, total = i, len(first.body)
    while not chunks[k].pad and total <= _BODY and k + 1 < len(chunks) and _joinable(view, chunks[k], chunks[k + 1]):
        gaps.append(view[chunks[k].end : chunks[k + 1].start])
        k += 1
        pieces.append(chunks[k].body)
        total += len(chunks[k].body)
    # A line break may stand for nothing (or, at most, one `+`); each plain space for one `+`.
    room = [1 if "\n" in gap else gap.count(" ") for gap in gaps]
    if chunks[k].pad != "=" or not total <= _BODY <= total + sum(room):
        return None
    if k > i and not first.hashed and not _codeish(first.body) and "\n" not in gaps[0]:
        return None  # "is" + a code on the same line is a word and a code, not one code
    left, plus_count = _BODY - total, [0] * len(gaps)
    for g in sorted(range(len(gaps)), key=lambda g: "\n" in gaps[g]):  # spaces before line breaks
        plus_count[g] = min(room[g], left)
        left -= plus_count[g]
    body = pieces[0] + "".join("+" * plus_count[g] + p for g, p in enumerate(pieces[1:]))
    return k, ("#" if first.hashed else "") + body + "="


def _in_link_path(view: str, at: int) -> bool:
    """Whether position `at` is in a link's path (before `?` or `#`).

    There, slashes separate folders: only `#` runs and whole codes count, so a link to a
    sheet or a video stays readable.
    """
    for url in _URL_RE.finditer(view):
        query = min((p for p in (url.group(0).find("?"), url.group(0).find("#")) if p >= 0), default=-1)
        if url.start() <= at < (url.end() if query < 0 else url.start() + query):
            return True
    return False


def _may_continue(view: str, chunks: list[_Chunk], i: int) -> bool:
    """Whether a short run without `#` could be the first piece of a broken code."""
    if i + 1 >= len(chunks) or not _joinable(view, chunks[i], chunks[i + 1]):
        return False
    return "\n" in view[chunks[i].end : chunks[i + 1].start] or _codeish(chunks[i].body)


def _group(view: str, chunks: list[_Chunk], i: int) -> tuple[int, str]:
    """Chunk i with the random-looking pieces that continue it on the next lines."""
    first = chunks[i]
    body, k = first.body, i
    while (
        k + 1 < len(chunks)
        and len(body) < 4 * CODE_LENGTH
        and _joinable(view, chunks[k], chunks[k + 1])
        and "\n" in view[chunks[k].end : chunks[k + 1].start]
        and _codeish(chunks[k + 1].body)
        and (first.hashed or _codeish(first.body))
    ):
        k += 1
        body += chunks[k].body
    return k, body + chunks[k].pad


def _secret_spans(view: str) -> list[tuple[int, int, str]]:
    """Where the view holds code-like runs: (start, end, the run as a code would be written)."""
    chunks = _chunks(view)
    if not chunks:
        return []
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(chunks):
        chunk = chunks[i]
        if not chunk.hashed and len(chunk.body) < 40 and not _may_continue(view, chunks, i):
            i += 1  # a word: no code starts here
            continue
        joined = _exact_join(view, chunks, i)
        if joined is not None:
            k, code = joined
            spans.append((chunk.start, chunks[k].end, code))
            i = k + 1
            continue
        k, run = _group(view, chunks, i)
        body = run.rstrip("=")
        pad = run[len(body) :]
        if chunk.hashed and _hashed_secret(body):
            spans.append((chunk.start, chunks[k].end, "#" + run))
        elif not chunk.hashed and _bare_secret(body, pad) and not _in_link_path(view, chunk.start):
            spans.append((chunk.start, chunks[k].end, run))
        else:
            k = i
        i = k + 1
    return spans


def redact_codes(text: str) -> str:
    """Mask every code-like run inside free text (notes, error messages, alerts, logs).

    Found however the code was written: with `#`, `# `, a full-width `＃` or no `#` at all,
    percent-encoded (`%23…%2B…%3D`), in the web-safe alphabet (`-` `_` for `+` `/`), with
    invisible characters inside, broken over lines, or with `+` turned into spaces. Each is
    replaced by `mask_code` of the code it spells, so no more than 8 of its characters
    remain. Hashtags, post ids, @handles, links to videos and sheets, and ordinary words
    are left alone.

    Limits, chosen so ordinary text stays readable: after `#`, a run of fewer than 16
    characters, or of at most 30 letters only, reads as a hashtag; without `#`, a run counts
    from 40 characters (ending in `=`, or holding `+` or `/`), or when its pieces join into
    exactly a code's shape, and at least 20 of its characters must stand together.
    """
    view, starts, ends = _view(text)
    spans = _secret_spans(view) if _QUICK_RE.search(view) else []
    if not spans:
        return text
    out, cursor = [], 0
    for start, end, code in spans:
        a, b = (start, end) if starts is None or ends is None else (starts[start], ends[end - 1])
        out.append(text[cursor:a])
        out.append(mask_code(code) or MASK)
        cursor = b
    out.append(text[cursor:])
    return "".join(out)


def redact_codes_in(texts: pd.Series) -> pd.Series:
    """`redact_codes` over a column: only cells that could hold a code are read closely.

    Missing stays missing; the result is a string column with the same index.
    """
    text = texts.astype("string")
    maybe = text.str.contains(_QUICK, regex=True).fillna(False).to_numpy(dtype=bool)
    # A plain link to a post (a sheet's whole post column) has no room for a code: skip it quickly
    # (looked for only among the cells that could hold one).
    if maybe.any():
        linked = text[maybe].str.fullmatch(_PLAIN_POST_LINK, case=False).fillna(False).to_numpy(dtype=bool)
        maybe[np.flatnonzero(maybe)[linked]] = False
    if maybe.any():
        text[maybe] = np.array([redact_codes(t) for t in text[maybe]], dtype=object)
    return text
