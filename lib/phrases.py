"""Plain words → the entries they describe: a small matcher for what people type.

People describe an Ads Manager error or what they see in their own words: "Invalid
authorization code", "the preview disappeared", "authorisation expierd", "the creator
withdrew it". Exact names and numbers are matched elsewhere (`lib.decoder`); this finds the
entries whose phrases a text contains, however it is worded:

- a phrase matches when every one of its content words is in the text, in any order;
- each word is folded first: lower case, apostrophes dropped ("can't" → "cant"), one word for
  its synonyms ("revoked" → "withdrawn", "clip" → "video", "cannot" → "not"), then a light
  stem ("expired", "expires", "expiring" → "expir"); small words ("the", "has") are dropped;
- a word the phrases do not know, of five letters or more, is read as the closest one they
  do (difflib, similarity at least 0.8), which catches typos and British spellings.

Standard library only: the phrases are a few hundred words, so a real fuzzy-search package
would add a dependency for nothing this does not already do.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Hashable, Iterable
from functools import lru_cache
from typing import Generic, TypeVar

MAX_TEXT = 2_000
"""Text beyond this is ignored: an error or a symptom is a line or two, not a document."""
TYPO_MIN_LENGTH = 5
"""Shorter words are too easy to mistake for another one ('code' and 'mode'), so they must be exact."""
TYPO_CUTOFF = 0.8

_STOPWORDS_TEXT = (
    "a an the is are was were be been being has have had do does did this that these those it its "
    "my our your their his her i we you they me us them to of in on at for from with by as and or "
    "but so if then than there here please just still also very really again any some all when "
    "what which who why how can could would should will shall may might must s t"
)
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
"""Words that carry no meaning here. 'not' and 'no' are kept: they tell 'not found' from 'found'."""

_SYNONYM_GROUPS = """
not: cannot cant wont doesnt dont isnt didnt arent wasnt never no nothing unable longer
authorization: auth authorisation permission
authorized: authorised
code: spark
video: post posts clip tiktoks content
withdrawn: revoked withdrew withdraw revoke cancelled canceled deauthorized deauthorised rescinded
expire: expiry expiration lapsed outdated
invalid: incorrect wrong malformed bad broken damaged
rejected: refused declined denied
gone: disappeared vanished missing
deleted: removed erased
empty: blank
load: loading
show: appear appears visible displayed display
identity: handle username name profile
attach: link linked bind add apply
region: country location
deliver: delivering delivery impressions spend running
stopped: paused halted
caption: description hashtag hashtags text
story: stories
duet: duets
carousel: slideshow photos
notsupported: unsupported ineligible
"""
SYNONYMS: dict[str, str] = {
    word: meaning
    for line in _SYNONYM_GROUPS.strip().splitlines()
    for meaning, _, others in [line.partition(":")]
    for word in others.split()
}
"""One word for each meaning, before stemming: 'no longer' reads as 'not', 'revoked' as 'withdrawn'.

Kept as text, one meaning per line, so adding a word is adding it to its line."""

_WORD_RE = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    """A light English stem, the same for a phrase and a text: 'expires', 'expired' → 'expir'."""
    if len(word) <= 4 or word.isdigit():
        return word
    for ending, instead in (("ies", "y"), ("ing", ""), ("ed", ""), ("s", "")):
        if word.endswith(ending) and not word.endswith("ss") and len(word) - len(ending) >= 3:
            word = word[: len(word) - len(ending)] + instead
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # 'stopp' → 'stop'
    if len(word) > 4 and word.endswith("e"):
        word = word[:-1]  # 'expire' → 'expir', like 'expired'
    return word


def words(text: str) -> list[str]:
    """The text's content words, folded: lower case, one word per synonym, stemmed, small words dropped."""
    text = text[:MAX_TEXT].lower().replace("'", "").replace("’", "")
    text = text.replace("not supported", "notsupported").replace("not eligible", "notsupported")
    folded = (SYNONYMS.get(w, w) for w in _WORD_RE.findall(text))
    return [_stem(w) for w in folded if w not in STOPWORDS]


K = TypeVar("K", bound=Hashable)


class Matcher(Generic[K]):
    """The entries whose phrases a text contains, best first."""

    def __init__(self, entries: Iterable[tuple[K, Iterable[str]]]) -> None:
        self._phrases: list[tuple[frozenset[str], int, K]] = []
        for position, (key, phrases) in enumerate(entries):
            for phrase in phrases:
                found = frozenset(words(phrase))
                if not found:
                    raise ValueError(f"The phrase {phrase!r} has no word that can match.")
                self._phrases.append((found, position, key))
        known = {w for found, _, _ in self._phrases for w in found}
        self._known = frozenset(known)
        # A typo is read as the nearest phrase word, or the nearest synonym of one ('dissapeared'
        # is near 'disappeared', which means 'gone').
        self._targets = {w: w for w in known}
        for word, meaning in SYNONYMS.items():
            if _stem(meaning) in known:
                self._targets.setdefault(_stem(word), _stem(meaning))
        self._target_words = sorted(self._targets)
        self._nearest = lru_cache(maxsize=4096)(self._nearest_word)

    def _nearest_word(self, word: str) -> str:
        if word in self._known or len(word) < TYPO_MIN_LENGTH or word.isdigit():
            return word
        close = difflib.get_close_matches(word, self._target_words, n=1, cutoff=TYPO_CUTOFF)
        return self._targets[close[0]] if close else word

    def scores(self, text: str | None) -> dict[K, int]:
        """Each matching entry and the number of words in its longest matching phrase."""
        if not text or not text.strip():
            return {}
        found = {self._nearest(w) for w in words(text)}
        best: dict[K, tuple[int, int]] = {}
        for phrase, position, key in self._phrases:
            if phrase <= found and len(phrase) > best.get(key, (0, 0))[0]:
                best[key] = (len(phrase), position)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[1][1]))
        return {key: score for key, (score, _) in ranked}

    def match(self, text: str | None) -> list[K]:
        """Every matching entry, the best-matched first (longest phrase, then the entries' own order)."""
        return list(self.scores(text))

    def best(self, text: str | None) -> list[K]:
        """Only the entries matched as well as the best one: a vague word does not drag others in."""
        scores = self.scores(text)
        top = max(scores.values(), default=0)
        return [key for key, score in scores.items() if score == top]
