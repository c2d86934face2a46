"""The one exception the product shows to people.

Anything that stops a source from being read becomes a `SourceError` whose message is a
plain sentence saying what went wrong and what to do. Pages and the command line print
that message and nothing else: never a traceback.
"""

from __future__ import annotations


class SourceError(Exception):
    """A source could not be read; `str(error)` is safe to show to anyone."""

    def __init__(self, message: str, *, kind: str = "unreadable") -> None:
        super().__init__(message)
        self.kind = kind
        """A short machine-readable tag (e.g. 'not_shared', 'quota', 'network') for tests and logs."""
