"""Read every date a team types into a tracking sheet, and never read one silently wrong.

Sheets are typed by people in many locales and filled by tools that each write dates their
own way: Google Forms writes `11/20/2026 14:03:27`, TikTok's API writes `2026-12-19 08:15:00`
and `2026-12-19T08:15:00Z`, a French sheet shows `22/11/2026` or `22 nov. 2026`, an
Indonesian one `22 Desember 2026`, and an unformatted read returns serial day numbers.

The one thing that cannot be read from a single cell is whether `02/12/2026` is 2 December or
12 February. That is decided per column, from the values that can only be read one way
(`19/11/2026` proves day-first, `11/19/2026` proves month-first): see `evidence`. A value
that can only be read one way is always read that way, whatever order the caller passes; the
order only settles values that are genuinely ambiguous.

Everything works on whole columns, never value by value in Python: a few anchored regular
expressions (one per form, run by pyarrow's RE2 engine in C++ when it is there) pull out
year/month/day columns, and numpy turns those into dates and checks them. 100,000 distinct
date-times parse in about a fifth of a second. Nothing here raises on odd input: a cell that
cannot be read becomes a `problem` sentence telling the user what to write instead.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final, Literal

import numpy as np
import pandas as pd

DateOrder = Literal["DMY", "MDY"]
"""How a column writes numeric dates whose first two numbers could both be a month."""

Evidence = Literal["DMY", "MDY", "mixed"]
"""What a column's unambiguous values prove about its order."""

DMY: Final = "DMY"
MDY: Final = "MDY"
MIXED: Final = "mixed"

# ---------------------------------------------------------------------------
# Month and weekday names, as data. Written as people spell them; accents and case are folded
# when the lookup tables are built, so `décembre`, `decembre` and `DÉC.` all match. Each
# language lists its months (or weekdays) in order; each entry holds every spelling in use.

MONTH_NAMES: Final[dict[str, tuple[tuple[str, ...], ...]]] = {
    "en": (
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sept", "sep"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ),
    "es": (
        ("enero", "ene"),
        ("febrero", "feb"),
        ("marzo", "mar"),
        ("abril", "abr"),
        ("mayo", "may"),
        ("junio", "jun"),
        ("julio", "jul"),
        ("agosto", "ago"),
        ("septiembre", "setiembre", "sept", "sep", "set"),
        ("octubre", "oct"),
        ("noviembre", "nov"),
        ("diciembre", "dic"),
    ),
    "fr": (
        ("janvier", "janv", "jan"),
        ("février", "févr", "fév"),
        ("mars", "mar"),
        ("avril", "avr"),
        ("mai",),
        ("juin",),
        ("juillet", "juil"),
        ("août",),
        ("septembre", "sept"),
        ("octobre", "oct"),
        ("novembre", "nov"),
        ("décembre", "déc"),
    ),
    "de": (
        ("januar", "jänner", "jan"),
        ("februar", "feber", "feb"),
        ("märz", "maerz", "mär", "mrz"),
        ("april", "apr"),
        ("mai",),
        ("juni", "jun"),
        ("juli", "jul"),
        ("august", "aug"),
        ("september", "sept", "sep"),
        ("oktober", "okt"),
        ("november", "nov"),
        ("dezember", "dez"),
    ),
    "pt": (
        ("janeiro", "jan"),
        ("fevereiro", "fev"),
        ("março", "mar"),
        ("abril", "abr"),
        ("maio", "mai"),
        ("junho", "jun"),
        ("julho", "jul"),
        ("agosto", "ago"),
        ("setembro", "set"),
        ("outubro", "out"),
        ("novembro", "nov"),
        ("dezembro", "dez"),
    ),
    "id": (
        ("januari", "jan"),
        ("februari", "feb", "peb"),
        ("maret", "mar"),
        ("april", "apr"),
        ("mei",),
        ("juni", "jun"),
        ("juli", "jul"),
        ("agustus", "agu", "agt", "ags", "agus"),
        ("september", "sept", "sep"),
        ("oktober", "okt"),
        ("november", "nov", "nop"),
        ("desember", "des"),
    ),
}
"""Per language, the twelve months in order (January first)."""

WEEKDAY_NAMES: Final[dict[str, tuple[tuple[str, ...], ...]]] = {
    "en": (
        ("monday", "mon"),
        ("tuesday", "tues", "tue"),
        ("wednesday", "wed"),
        ("thursday", "thurs", "thur", "thu"),
        ("friday", "fri"),
        ("saturday", "sat"),
        ("sunday", "sun"),
    ),
    "es": (
        ("lunes", "lun"),
        ("martes", "mar"),
        ("miércoles", "mié"),
        ("jueves", "jue"),
        ("viernes", "vie"),
        ("sábado", "sáb"),
        ("domingo", "dom"),
    ),
    "fr": (
        ("lundi", "lun"),
        ("mardi", "mar"),
        ("mercredi", "mer"),
        ("jeudi", "jeu"),
        ("vendredi", "ven"),
        ("samedi", "sam"),
        ("dimanche", "dim"),
    ),
    "de": (
        ("montag", "mo"),
        ("dienstag", "di"),
        ("mittwoch", "mi"),
        ("donnerstag", "do"),
        ("freitag", "fr"),
        ("samstag", "sonnabend", "sa"),
        ("sonntag", "so"),
    ),
    "pt": (
        ("segunda-feira", "segunda feira", "segunda", "seg"),
        ("terça-feira", "terça feira", "terça", "ter"),
        ("quarta-feira", "quarta feira", "quarta", "qua"),
        ("quinta-feira", "quinta feira", "quinta", "qui"),
        ("sexta-feira", "sexta feira", "sexta", "sex"),
        ("sábado", "sáb"),
        ("domingo", "dom"),
    ),
    "id": (
        ("senin", "sen"),
        ("selasa", "sel"),
        ("rabu", "rab"),
        ("kamis", "kam"),
        ("jumat", "jum'at", "jum"),
        ("sabtu", "sab"),
        ("minggu", "min"),
    ),
}
"""Per language, the seven weekdays in order (Monday first, as pandas counts them)."""

# ---------------------------------------------------------------------------
# Limits and messages.

YEAR_MIN, YEAR_MAX = 1990, 2100
"""Years a Spark Ads date can plausibly have; anything else is a typo worth showing."""

SHEETS_EPOCH: Final = np.datetime64("1899-12-30", "D")
"""Day 0 of Google Sheets' (and Excel's 1900 system's) serial day numbers."""

SERIAL_MIN, SERIAL_MAX = 21916, 73415
"""Serial day numbers accepted as dates: 1960-01-01 .. 2100-12-31. Smaller or larger numbers
in a date column are far more likely to be something else typed in the wrong column."""

TWO_DIGIT_PIVOT = 70
"""Two-digit years below this are 20xx, the rest 19xx (`26` → 2026, `89` → 1989).

This is the POSIX `strptime("%y")` rule that Python and pandas use. Spark Ads only exist since
2020, so every real two-digit year lands safely in 2000–2069; `70`–`89` become 1970–1989 and are
reported as outside 1990–2100 instead of being quietly moved a century. Spreadsheet programs
that pivot at 30 would read a 2030 expiry written `30` as 1930, which is why their rule is not
used: a 365-day code applied in 2029 ends in 2030."""

BAD_DATE = "Not a date we can read: write it like 2026-11-22."
OUT_OF_RANGE = f"The year is outside {YEAR_MIN}–{YEAR_MAX}: check the year, and write the date like 2026-11-22."
NO_SUCH_DAY = "There is no such day: check the day and the month, and write the date like 2026-11-22."
WRONG_WEEKDAY = "The weekday does not match the date: check which one is right, and write the date like 2026-11-22."


def _fold_word(word: str) -> str:
    """Lower case without accents: the spelling both the tables and the cells are compared in."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _lookup(table: dict[str, tuple[tuple[str, ...], ...]], first: int) -> dict[str, int]:
    """Folded name → number, over every language (a name means the same thing in all of them)."""
    out: dict[str, int] = {}
    for names in table.values():
        for number, spellings in enumerate(names, start=first):
            for spelling in spellings:
                out.setdefault(_fold_word(spelling), number)
    return out


MONTH_LOOKUP: Final[dict[str, int]] = _lookup(MONTH_NAMES, first=1)
"""Folded month name or abbreviation → month number (1–12)."""

WEEKDAY_LOOKUP: Final[dict[str, int]] = _lookup(WEEKDAY_NAMES, first=0)
"""Folded weekday name or abbreviation → weekday number (Monday = 0)."""


def _alternation(words: dict[str, int]) -> str:
    # Longest first, so `sept` is tried before `sep` and `mars` before `mar`. The names are plain
    # letters, spaces, hyphens and apostrophes (a test holds them to that), so need no escaping.
    return "|".join(sorted(words, key=lambda w: (-len(w), w)))


# ---------------------------------------------------------------------------
# The patterns. They run on folded text (lower case, no accents, single spaces, trimmed), and
# they are written in the common subset of Python's `re` and RE2 (pyarrow's engine): no
# look-around, no back-references, `$` only at the very end.
#
# Each form has two patterns with the same groups: a STRICT one that decides whether a cell is
# that form (real month and weekday names only; matching runs as a DFA, so the long name lists
# cost nothing), and a LOOSE one that only pulls the parts out of cells the strict one accepted
# (names as any run of letters: extracting through a hundred alternatives is slow). The loose
# one can never split a strict match differently: in the strict patterns every name is preceded
# and followed by a separator or a digit, never by another letter, so "the run of letters there"
# is exactly the name the strict pattern saw.

_MONTH = rf"(?:{_alternation(MONTH_LOOKUP)})"
_WEEKDAY = rf"(?:{_alternation(WEEKDAY_LOOKUP)})"
_ANY_MONTH = r"[a-z]+"
_ANY_WEEKDAY = r"[a-z']+(?:[- ]feira)?"

_ORDINAL = r"(?:st|nd|rd|th|er|re|\.?o)"  # 1st 2nd 3rd 4th · 1er 1re (fr) · 1º 1.º (es, pt; º folds to o)
_NUM_SEP = r"\s*[/.\-]\s*"  # 22/11/2026 · 22.11.2026 · 22-11-2026 · 2026. 11. 22. (ko)
_WORD_SEP = r"(?:[\s,./\-]+(?:(?:de|del|of)[\s,./\-]+)?)?"  # 22 Nov · Nov. 22 · 22-Nov · 22Nov · 22 de noviembre
_GAP_SEP = r"[\s,./\-]+(?:(?:de|del|of)[\s,./\-]+)?"  # between two numbers there must be something
_YEAR = r"[0-9]{4}|[0-9]{2}"

_AMPM = r"(?:am|pm|a\.m\.|p\.m\.)"
_CLOCK = (
    rf"[0-9]{{1,2}}(?:[:h][0-9]{{2}}(?::[0-9]{{2}}(?:[.,][0-9]{{1,9}})?)?\s*{_AMPM}?|\s*{_AMPM})"  # 14:03:27.123 · 2 pm
    r"(?:\s*uhr)?"
)
_ZONE = (
    r"(?:\s*\(?(?:z|(?:utc|gmt)?\s*[+-]\s*[0-9]{1,2}(?::?[0-9]{2})?|utc|gmt|wib|wita|wit|[ecmp][sd]t|bst|cet|cest"
    r"|eet|eest|ist|jst|sgt|ict|hkt|kst|pht|aest|aedt|brt|art)\)?)?"
    r"(?:\s*\([^()]*\))?"  # JavaScript's "GMT+0700 (Western Indonesia Time)"
)
_TIME_SUFFIX = rf"(?:t|[\s,]+(?:(?:at|a las|a|um|as|pukul|pkl\.?|jam|-|@)\s+)?){_CLOCK}{_ZONE}$"
"""A time of day (and zone) after the date: removed before the date is read, since only the
date counts. It needs a separator (`T`, a space or a comma) and a real clock shape (`8:15`,
`14h03`, `2 pm`), so it can never eat the year of a date written without a time."""


def _with_weekday(body: str, weekday: str) -> str:
    return rf"^(?:(?P<weekday>{weekday})[\s.,]+)?{body}$"


def _forms(month: str, weekday: str) -> dict[str, str]:
    """Every form's pattern, with month and weekday names as given (strict or loose)."""
    return {
        # 2026-11-22 · 2026/11/22 · 2026.11.22 (ISO, and the East Asian order): never ambiguous.
        "ymd": _with_weekday(
            rf"(?P<y>[0-9]{{4}}){_NUM_SEP}(?P<m>[0-9]{{1,2}}){_NUM_SEP}(?P<d>[0-9]{{1,2}})\.?", weekday
        ),
        # 22/11/2026 or 11/20/2026 (and `.` `-`, two-digit years): the column's order decides.
        # No spaces and no final dot: `26. 11. 22.` is Korean year-first, and must not pass as 26 Nov 2022.
        "numeric": _with_weekday(rf"(?P<a>[0-9]{{1,2}})[/.\-](?P<b>[0-9]{{1,2}})[/.\-](?P<y>{_YEAR})", weekday),
        # 22 Nov 2026 · 22-Nov-26 · 22. November 2026 · 1er décembre 2026 · 22 de noviembre de 2026
        # (after an ordinal a separator is required: in `1oct` the `o` is October's, not `1º`)
        "day_month": _with_weekday(
            rf"(?P<d>[0-9]{{1,2}})(?:{_ORDINAL}{_GAP_SEP}|{_WORD_SEP})(?P<m>{month}){_WORD_SEP}(?P<y>{_YEAR})",
            weekday,
        ),
        # Nov 22, 2026 · November 22nd 2026 · Nov-22-2026
        "month_day": _with_weekday(
            rf"(?P<m>{month}){_WORD_SEP}(?P<d>[0-9]{{1,2}}){_ORDINAL}?{_GAP_SEP}(?P<y>{_YEAR})", weekday
        ),
        # 2026-Nov-22 · 2026 November 22 (four-digit year only, or `26 nov 22` would be two dates)
        "year_month": _with_weekday(
            rf"(?P<y>[0-9]{{4}}){_WORD_SEP}(?P<m>{month}){_WORD_SEP}(?P<d>[0-9]{{1,2}}){_ORDINAL}?", weekday
        ),
        # 20261122. Months 19-21 do not exist, so a ddmmyyyy like 22112026 can never land here.
        "compact": r"^(?P<y>(?:19|20|21)[0-9]{2})(?P<m>[0-9]{2})(?P<d>[0-9]{2})$",
        # 46348 · 46348.5 · 46348,5: serial day numbers, the time of day as a fraction.
        "serial": r"^(?P<serial>[0-9]{1,9}(?:[.,][0-9]+)?)$",
    }


_NAMED_MONTH: Final = ("day_month", "month_day", "year_month")
_LOOSE: Final = _forms(_ANY_MONTH, _ANY_WEEKDAY)
# The strict patterns only decide, so they capture nothing (capturing would slow the DFA down).
_STRICT: Final = {form: re.sub(r"\(\?P<\w+>", "(?:", pattern) for form, pattern in _forms(_MONTH, _WEEKDAY).items()}

_ZERO_WIDTH = "[\u200b-\u200f\u2060\ufeff\u00ad]"  # pasted from chat apps and web pages
_MARKS = "([a-z])[\u0300-\u036f]+"  # the accents NFKD splits off letters (a stray accent alone stays)
# Whitespace, spelled out, because the two engines disagree on what `\s` covers: these are the
# characters Python calls whitespace that NFKD does not already turn into a plain space. Only
# runs that need changing match (a lone space does not), which keeps the replace cheap.
_OTHER_SPACE = "\t\n\v\f\r\x1c-\x1f\x85\u1680\u2028\u2029"
_SPACES = f"[ {_OTHER_SPACE}]*[{_OTHER_SPACE}][ {_OTHER_SPACE}]*|  +"
_CJK = {"年": "-", "月": "-", "日": ""}  # 2026年11月22日 (zh, ja sheets)

try:  # pyarrow comes with Streamlit and is pandas' default string storage: use its RE2 engine.
    import pyarrow as pa
    import pyarrow.compute as pc

    _STORAGE: Literal["pyarrow", "python"] = "pyarrow"
except ImportError:  # pragma: no cover - the tests force the fallback instead
    _STORAGE = "python"
"""Which engine runs the patterns. pyarrow runs RE2 in C++ over the whole column (fast, and in
linear time whatever a cell holds); Python's `re` through pandas is the fallback, and reads the
same, because the patterns keep to what both engines mean the same way."""


# ---------------------------------------------------------------------------
# Public API.


def evidence(text: pd.Series) -> Evidence | None:
    """What a column's values prove about its order: "DMY", "MDY", "mixed" (both), or None.

    Only numeric dates whose two first numbers can be read one way and not the other count:
    `19/11/2026` proves day-first, `11/19/2026` month-first. Month names, ISO dates and serial
    numbers say nothing about the order, so a column of them gives None. "mixed" means the
    column holds both proofs (two people's habits in one column): the caller must pick an order,
    and should say so, since the column's ambiguous values are then a guess.
    """
    readings = _Readings(_parts(text, forms=("numeric",)))
    dmy, mdy = bool(readings.proves_dmy.any()), bool(readings.proves_mdy.any())
    if dmy and mdy:
        return MIXED
    if dmy:
        return DMY
    if mdy:
        return MDY
    return None


def is_ambiguous(text: pd.Series) -> pd.Series:
    """Per value: True when it reads as two different real dates, day-first and month-first.

    `02/12/2026` is ambiguous; `19/11/2026` (one reading), `05/05/2026` (the readings agree) and
    `22 Nov 2026` are not. The caller can use this to point at exactly the cells a guessed order
    decided.
    """
    readings = _Readings(_parts(text, forms=("numeric",)))
    return pd.Series(readings.ambiguous, index=_index(text), dtype=bool)


def has_ambiguous(text: pd.Series) -> bool:
    """True when some value in the column could be read as two different dates."""
    return bool(is_ambiguous(text).any())


def order_for(text: pd.Series, fallback: DateOrder) -> DateOrder:
    """The order a column proves, else `fallback` (the sheet's locale, or the team's setting).

    A column that proves both orders ("mixed") also gets the fallback: its unambiguous values
    are read correctly either way (see `parse_dates`), only the ambiguous ones follow it.
    """
    found = evidence(text)
    if found == DMY:
        return DMY
    if found == MDY:
        return MDY
    return fallback


def parse_dates(text: pd.Series, order: DateOrder) -> pd.DataFrame:
    """Read a column of date texts into dates, with a problem sentence for each one that fails.

    Returns a frame on the same index with `value` (datetime64[s] at midnight, NaT when not
    read) and `problem` (object: pd.NA when fine, else a sentence for the user). Empty texts
    are NaT without a problem: an empty cell is not a mistake.

    `order` decides only values that are genuinely ambiguous (`02/12/2026`): a value with one
    possible reading (`19/11/2026`) is read that way even if `order` says otherwise, because
    the other reading does not exist, and failing it would punish a column that holds both
    habits. The time of day and any time zone are dropped: the date is the one written in the
    cell, as its writer saw it. A weekday that contradicts the date is a problem, because one
    of the two is wrong and nothing says which.
    """
    if order not in (DMY, MDY):
        raise ValueError(f"order must be {DMY!r} or {MDY!r}, not {order!r}")  # a caller's bug, not a cell's
    index = _index(text)
    parts = _parts(text, forms=tuple(_STRICT))
    year, month, day = parts.year.copy(), parts.month.copy(), parts.day.copy()

    readings = _Readings(parts)
    if readings.found.any():
        # One real reading: that one. Two (or none): the column's order.
        day_first = np.where(readings.dmy_valid != readings.mdy_valid, readings.dmy_valid, order == DMY)
        found = readings.found
        year[found] = readings.year[found]
        month[found] = np.where(day_first, readings.b, readings.a)[found]
        day[found] = np.where(day_first, readings.a, readings.b)[found]

    dates, real_day = _calendar(year, month, day)
    in_range = (year >= YEAR_MIN) & (year <= YEAR_MAX)

    is_serial = ~np.isnan(parts.serial)
    serial_ok = is_serial & (parts.serial >= SERIAL_MIN) & (parts.serial <= SERIAL_MAX)
    if serial_ok.any():
        days = np.floor(np.where(serial_ok, parts.serial, 0)).astype("int64")
        dates = np.where(serial_ok, SHEETS_EPOCH + days, dates)
        serial_years = dates.astype("datetime64[Y]").astype("int64") + 1970
        in_range = np.where(serial_ok, (serial_years >= YEAR_MIN) & (serial_years <= YEAR_MAX), in_range)
        real_day = real_day | serial_ok

    # numpy counts days from Thursday 1970-01-01; +3 makes Monday 0, as the weekday table does.
    actual_weekday = (dates.astype("int64") + 3) % 7
    wrong_weekday = ~np.isnan(parts.weekday) & real_day & in_range & (parts.weekday != actual_weekday)

    unreadable = ~parts.blank & (~parts.matched | (is_serial & ~serial_ok))
    out_of_range = ~parts.blank & ~unreadable & ~in_range
    no_such_day = ~parts.blank & ~unreadable & ~out_of_range & ~real_day
    read = parts.matched & ~unreadable & in_range & real_day & ~wrong_weekday

    value = pd.Series(np.where(read, dates, np.datetime64("NaT")), index=index).astype("datetime64[s]")
    problem = np.full(len(index), pd.NA, dtype=object)
    # At most one of these holds for a value; in order of what the user should fix first.
    for mask, message in (
        (unreadable, BAD_DATE),
        (out_of_range, OUT_OF_RANGE),
        (no_such_day, NO_SUCH_DAY),
        (wrong_weekday, WRONG_WEEKDAY),
    ):
        problem[mask & pd.isna(problem)] = message
    return pd.DataFrame({"value": value, "problem": pd.Series(problem, index=index, dtype=object)})


# ---------------------------------------------------------------------------
# Internals.


class _Parts:
    """What the patterns found, per value, as float arrays (NaN = not there)."""

    def __init__(self, size: int) -> None:
        nan = np.full(size, np.nan)
        self.year, self.month, self.day = nan.copy(), nan.copy(), nan.copy()
        self.a, self.b, self.numeric_year = nan.copy(), nan.copy(), nan.copy()
        self.serial, self.weekday = nan.copy(), nan.copy()
        self.blank = np.zeros(size, dtype=bool)
        self.matched = np.zeros(size, dtype=bool)


def _index(text: pd.Series) -> pd.Index:
    return text.index if isinstance(text, pd.Series) else pd.RangeIndex(len(text))


def _fold(text: pd.Series) -> pd.Series:
    """Cells as the patterns read them: trimmed, lower case, accents and invisible characters gone.

    NFKD also turns full-width digits and letters (East Asian keyboards) into plain ones, `º`
    into `o`, and non-breaking spaces into spaces. Anything that is not text (None, NA, a
    number) becomes its text, or ''.
    """
    values = text if isinstance(text, pd.Series) else pd.Series(text, dtype=object)
    values = values.reset_index(drop=True)
    typed = values.astype(object).where(values.notna(), "").astype(pd.StringDtype("python"))
    if _STORAGE == "pyarrow":
        try:
            typed = typed.astype(pd.StringDtype("pyarrow"))
        except UnicodeEncodeError:  # a lone surrogate (half an emoji) is not UTF-8: make it '?'
            typed = typed.str.encode("utf-8", "replace").str.decode("utf-8").astype(pd.StringDtype("pyarrow"))
    folded = typed.str.lower()
    if not folded.str.isascii().all():  # the usual column is plain ASCII: skip the Unicode work
        folded = _sub(_sub(folded.str.normalize("NFKD"), _MARKS, r"\1"), _ZERO_WIDTH, "")
        for cjk, plain in _CJK.items():
            folded = folded.str.replace(cjk, plain, regex=False)
    return _sub(folded, _SPACES, " ").str.strip()


def _parts(text: pd.Series, forms: tuple[str, ...]) -> _Parts:
    """Run the given forms' patterns over the column; each value is claimed by the first that fits."""
    folded = _fold(text)
    parts = _Parts(len(folded))
    parts.blank = (folded == "").to_numpy(dtype=bool)
    core = _sub(folded, _TIME_SUFFIX, "")
    todo = ~parts.blank
    for form in forms:
        if not todo.any():
            break
        candidates = np.flatnonzero(todo)
        rows = candidates[_fits(core.iloc[candidates], _STRICT[form])]
        if len(rows) == 0:
            continue
        groups = _groups(core.iloc[rows], _LOOSE[form])
        if form == "serial":
            parts.serial[rows] = _numbers(groups["serial"].str.replace(",", ".", regex=False))
        elif form == "numeric":
            parts.a[rows], parts.b[rows] = _numbers(groups["a"]), _numbers(groups["b"])
            parts.numeric_year[rows] = _years(groups["y"])
        else:
            parts.year[rows] = _years(groups["y"])
            month = groups["m"]
            parts.month[rows] = _lookup_numbers(month, MONTH_LOOKUP) if form in _NAMED_MONTH else _numbers(month)
            parts.day[rows] = _numbers(groups["d"])
        if "weekday" in groups:
            parts.weekday[rows] = _lookup_numbers(groups["weekday"], WEEKDAY_LOOKUP)
        todo[rows] = False
    parts.matched = ~parts.blank & ~todo
    return parts


# The engine. Each helper takes and gives text Series in the `_STORAGE` dtype; with pyarrow it
# calls pyarrow.compute directly, because pandas quietly falls back to Python's `re` (per value)
# for many patterns, which is what made the first version of this module take a second.


def _sub(texts: pd.Series, pattern: str, replacement: str) -> pd.Series:
    if _STORAGE == "pyarrow":
        done = pc.replace_substring_regex(_arrow(texts), pattern=pattern, replacement=replacement)
        return pd.Series(pd.arrays.ArrowStringArray(done), index=texts.index)
    return texts.str.replace(pattern, replacement, regex=True)


def _fits(texts: pd.Series, pattern: str) -> np.ndarray:
    """Whether each text matches an anchored pattern."""
    if _STORAGE == "pyarrow":
        found = pc.match_substring_regex(_arrow(texts), pattern=pattern)
        return found.to_numpy(zero_copy_only=False).astype(bool)
    return texts.str.contains(pattern, regex=True).to_numpy(dtype=bool, na_value=False)


def _groups(texts: pd.Series, pattern: str) -> dict[str, pd.Series]:
    """The pattern's named groups for each text, NA where a group took no part."""
    if _STORAGE == "pyarrow":
        found = pc.extract_regex(_arrow(texts), pattern=pattern)
        out = {}
        for field in found.type:
            column = pc.struct_field(found, field.name)
            column = pc.if_else(pc.equal(column, ""), pa.scalar(None, column.type), column)
            out[field.name] = pd.Series(pd.arrays.ArrowStringArray(column.cast(pa.large_string())))
        return out
    frame = texts.reset_index(drop=True).str.extract(pattern)
    return {name: frame[name].replace("", pd.NA) for name in frame.columns}


def _arrow(texts: pd.Series) -> pa.Array:
    return pa.array(texts.array)


def _numbers(texts: pd.Series) -> np.ndarray:
    """Digit texts (the patterns let nothing else through) as floats, NaN where missing."""
    if _STORAGE == "pyarrow":
        return pc.cast(_arrow(texts), pa.float64()).to_numpy(zero_copy_only=False)
    return pd.to_numeric(texts, errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def _lookup_numbers(texts: pd.Series, table: dict[str, int]) -> np.ndarray:
    """Names as their numbers in `table`, NaN where missing or unknown."""
    if _STORAGE == "pyarrow":
        position = pc.index_in(_arrow(texts), value_set=pa.array(list(table), pa.large_string()))
        numbers = np.append(np.array(list(table.values()), dtype="float64"), np.nan)
        return numbers[position.fill_null(len(table)).to_numpy(zero_copy_only=False)]
    return pd.to_numeric(texts.map(table), errors="coerce").astype("float64").to_numpy(na_value=np.nan)


def _years(texts: pd.Series) -> np.ndarray:
    """Year texts as numbers, two-digit years moved to their century (see TWO_DIGIT_PIVOT)."""
    years = _numbers(texts)
    two_digit = texts.str.len().eq(2).fillna(False).to_numpy(dtype=bool)
    century = np.where(years < TWO_DIGIT_PIVOT, 2000, 1900)
    return np.where(two_digit, years + century, years)


class _Readings:
    """The two readings of every `a/b/year` value, and which of them are real dates."""

    def __init__(self, parts: _Parts) -> None:
        self.found = ~np.isnan(parts.a)
        self.a, self.b, self.year = parts.a, parts.b, parts.numeric_year
        self.dmy_valid = self.found & _calendar(self.year, self.b, self.a)[1]
        self.mdy_valid = self.found & _calendar(self.year, self.a, self.b)[1]
        self.proves_dmy = self.dmy_valid & ~self.mdy_valid
        self.proves_mdy = self.mdy_valid & ~self.dmy_valid
        self.ambiguous = self.dmy_valid & self.mdy_valid & (self.a != self.b)


def _calendar(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dates (datetime64[D]) from year/month/day arrays, and whether each is a real calendar day.

    Built with numpy's month arithmetic (first of the month, plus day − 1, then checked to still
    be in that month), so 31/02 or month 13 comes back as "not a real day" instead of raising or
    rolling over into March. A year outside the plausible range is checked as 2000 (a leap year,
    so 29 February stays possible): the range has its own, clearer, problem.
    """
    real = ~np.isnan(year) & ~np.isnan(month) & ~np.isnan(day) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= 31)
    safe_year = np.where(real & (year >= YEAR_MIN) & (year <= YEAR_MAX), year, 2000).astype("int64")
    m = np.where(real, month, 1).astype("int64")
    d = np.where(real, day, 1).astype("int64")
    first = ((safe_year - 1970) * 12 + (m - 1)).astype("datetime64[M]")
    dates = first.astype("datetime64[D]") + (d - 1)
    real &= dates.astype("datetime64[M]") == first
    return dates, real


# ---------------------------------------------------------------------------------------------
# The spreadsheet's locale, as a hint for text dates

_MONTH_FIRST = frozenset(
    {"en_US", "en_PH", "en_AS", "en_GU", "en_MH", "en_MP", "en_PR", "en_UM", "en_VI", "es_PA", "es_PR"}
)
_MONTH_FIRST_LANGUAGES = frozenset({"fil", "tl"})
_YEAR_FIRST = frozenset({"en_CA", "fr_CA", "en_ZA"})
_YEAR_FIRST_LANGUAGES = frozenset({"ja", "ko", "zh", "hu", "lt", "mn", "sv", "eu", "af", "fa"})
_DAY_FIRST = frozenset({"zh_HK", "zh_MO", "zh_SG"})
_DAY_FIRST_LANGUAGES = frozenset(
    {
        *("fr", "de", "es", "pt", "it", "nl", "id", "in", "ms", "ru", "uk", "pl", "cs", "sk", "tr", "vi", "th"),
        *("ar", "he", "iw", "hi", "bn", "ta", "te", "mr", "gu", "kn", "ml", "pa", "ur", "el", "ro", "bg", "hr"),
        *("sr", "sl", "da", "nb", "no", "nn", "fi", "et", "lv", "is", "ga", "cy", "ca", "gl", "sw", "az", "kk"),
        *("ka", "hy", "be", "sq", "mk", "bs", "mt", "lb", "gd", "ha", "yo", "ig", "zu", "xh", "am", "ne", "si"),
        *("km", "lo", "my", "uz", "ky", "tg", "tk"),
    }
)


def date_order_for_locale(locale: str) -> DateOrder | None:
    """Which comes first in a date typed as `a/b/yyyy` in a sheet of this locale: 'DMY', 'MDY', or None.

    Only text cells need this: date cells are read from their serial number. A locale is
    Google's `properties.locale` ('en_US', 'fr_FR', 'fil', 'en' …); month-first is the US
    and the places that write like it (en_PH, fil …), day-first is most of the world (en_GB,
    fr_FR, de_DE, pt_BR, en_IN …). Year-first locales (ja_JP, zh_CN, ko_KR, hu_HU, sv_SE,
    en_CA …) give None, like an unknown locale: their own dates start with the year and are
    not ambiguous, and they say nothing about a `a/b/yyyy` text someone pasted in; the
    column's own evidence decides those.
    """
    parts = [part for part in str(locale or "").replace("-", "_").split("_") if part]
    if not parts:
        return None
    language = parts[0].lower()
    region = parts[-1].upper() if len(parts) > 1 and (len(parts[-1]) == 2 or parts[-1].isdigit()) else ""
    tag = f"{language}_{region}" if region else language
    if tag in _MONTH_FIRST or language in _MONTH_FIRST_LANGUAGES or tag == "en":
        return "MDY"
    if tag in _DAY_FIRST:
        return "DMY"
    if tag in _YEAR_FIRST or language in _YEAR_FIRST_LANGUAGES:
        return None
    if language == "en" or language in _DAY_FIRST_LANGUAGES:
        return "DMY"
    return None


# ---------------------------------------------------------------------------------------------
# The team's setting

_ORDER_WORDS: dict[str, DateOrder] = {
    "dmy": DMY,
    "day first": DMY,
    "dd mm yyyy": DMY,
    "dd mm yy": DMY,
    "mdy": MDY,
    "month first": MDY,
    "mm dd yyyy": MDY,
    "mm dd yy": MDY,
}
"""How a team may write its date order (folded: lower-case words) → DMY or MDY."""


def parse_date_order(text: object) -> DateOrder | None:
    """'DMY' or 'MDY' from how a person writes it ('day-first', 'dd/mm/yyyy', 'mdy'…); None when it is neither."""
    if not isinstance(text, str):
        return None
    return _ORDER_WORDS.get(" ".join(re.findall(r"[a-z]+", text.lower())))
