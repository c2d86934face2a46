"""From the error text Ads Manager shows to what it means, the fix and who does it.

People paste whatever they see: `4025`, `auth_code_expired`, `Auth code expired`, the whole
red banner around it, or its gist in their own words ("Invalid authorization code", "the
authorisation expierd"). The known errors live in `lib.symptoms.ADS_ERRORS`; this module only
finds which of them the pasted text names. A name is more specific than a number (4002 stands
for two errors), so name matches come first, then numbers, then plain words (`lib.phrases`).
The same plain-words matcher finds symptoms for the picker: "disappeared" → the preview is gone.
"""

from __future__ import annotations

import re

from lib.phrases import MAX_TEXT, Matcher
from lib.symptoms import ADS_ERRORS, SYMPTOMS, AdsError

FORMAT_SYMPTOM = "format_not_supported"
"""The symptom for errors about a kind of post Spark Ads can't use; no sheet column shows those."""
_FORMAT_ERRORS = frozenset({"story_video_not_supported", "carousel_duet_not_supported"})

_MAX_TEXT = MAX_TEXT
"""Pasted text beyond this is ignored: an error message is a line or two, not a document."""


def _fold(text: str) -> str:
    """Lower case, every run of non-alphanumerics turned into one `_`, padded with `_` at both ends."""
    return "_" + re.sub(r"[^0-9a-z]+", "_", text.lower()).strip("_") + "_"


def _compact(text: str) -> str:
    """Lower case letters and digits only: `AuthCodeExpired` and `auth code expired` meet here."""
    return re.sub(r"[^0-9a-z]+", "", text.lower())


def _number_re(number: str) -> re.Pattern[str]:
    """The error number as a whole number: `4025` matches in `Error 4025:` but not in `40250`."""
    digits = number.lstrip("-")
    return re.compile(rf"(?<![0-9]){re.escape(digits)}(?![0-9])")


_BY_NAME: tuple[tuple[str, str, AdsError], ...] = tuple(
    (_fold(name), _compact(name), error) for error in ADS_ERRORS for name in error.names
)
_BY_NUMBER: tuple[tuple[re.Pattern[str], AdsError], ...] = tuple(
    (_number_re(error.number), error) for error in ADS_ERRORS if error.number
)


_ERROR_WORDS: Matcher[AdsError] = Matcher((error, (error.label, *error.words)) for error in ADS_ERRORS)
_SYMPTOM_WORDS: Matcher[str] = Matcher((s.id, (s.label, *s.words)) for s in SYMPTOMS.values())


def decode_errors(text: str | None) -> tuple[AdsError, ...]:
    """Every known error the text names: by name, else by number, else in plain words; empty when none.

    Several come back when the text is ambiguous, e.g. `4002` alone (the post is unavailable,
    or it was deleted), or plain words two errors share: the page can show both rather than guess.
    """
    if not text or not text.strip():
        return ()
    text = text[:_MAX_TEXT]
    folded, compact = _fold(text), _compact(text)
    found: dict[AdsError, None] = {}
    for name, squeezed, error in _BY_NAME:
        if name in folded or (len(squeezed) >= 12 and squeezed in compact):
            found.setdefault(error)
    if not found:
        for pattern, error in _BY_NUMBER:
            if pattern.search(text):
                found.setdefault(error)
    if not found:
        found = dict.fromkeys(_ERROR_WORDS.best(text))
    return tuple(found)


def match_symptoms(text: str | None) -> list[str]:
    """Symptom ids whose words the text contains, the best matched first; empty when none.

    What a person types in "Describe what you see": "the preview disappeared", "ad stopped
    delivering", "wrong handle". The picker pre-selects these.
    """
    return _SYMPTOM_WORDS.match(text)


def decode_error(text: str | None) -> AdsError | None:
    """The one known error the text names (the most specific when several do); None when unknown."""
    matches = decode_errors(text)
    return matches[0] if matches else None


def error_choices() -> list[tuple[str, AdsError]]:
    """Label and entry for each known error, as a picker lists them.

    The plain name first, then what the screen shows: 'Authorization expired (4025 · auth_code_expired)'.
    """
    return [(error.title, error) for error in ADS_ERRORS]


def symptom_for(error: AdsError) -> str | None:
    """The symptom-picker entry that leads most directly to this error's cause; None when none does.

    An error with a cause (an issue id) maps to the symptom that lists that cause earliest,
    the one with fewer causes winning a tie: `auth_code_expired` → "Ads Manager says the code
    is invalid or expired" (expired first, one other cause) rather than "the ad stopped"
    (expired first, three others); then the picker's own order. Errors about the kind of post map to the format symptom.
    """
    if error.cause is None:
        return FORMAT_SYMPTOM if _FORMAT_ERRORS & set(error.names) else None
    ranked = [
        (symptom.causes.index(error.cause), len(symptom.causes), position, symptom.id)
        for position, symptom in enumerate(SYMPTOMS.values())
        if error.cause in symptom.causes
    ]
    return min(ranked)[-1] if ranked else None
