"""The one family of errors the product shows to people.

Anything that stops Sparkwatch from doing what was asked (a source that cannot be read, a
webhook that refuses the alert, a settings file that is not valid TOML, a command line that
asks for something impossible) is a `SparkwatchError` whose message is a plain sentence saying
what went wrong and what to do. Pages and the command line print that message and nothing
else: never a traceback. Any other exception is a bug in Sparkwatch, and is reported as one.

`kind` is typed (`ErrorKind`) so a typo is an AttributeError, not a silent mismatch; it is a
`StrEnum`, so `error.kind == "quota"` still holds for logs and older callers.
"""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    """What went wrong, in a word, for tests, logs and the pages that react to it."""

    # Reading a source (SourceError)
    UNREADABLE = "unreadable"
    EMPTY = "empty"
    NO_CREATOR_COLUMN = "no_creator_column"
    NO_CREDENTIALS = "no_credentials"
    BAD_KEY = "bad_key"
    KEY_REJECTED = "key_rejected"
    API_DISABLED = "api_disabled"
    API_ERROR = "api_error"
    NOT_SHARED = "not_shared"
    NOT_FOUND = "not_found"
    NO_TAB = "no_tab"
    QUOTA = "quota"
    SERVER_ERROR = "server_error"
    TIMEOUT = "timeout"
    NETWORK = "network"
    BAD_RESPONSE = "bad_response"
    UNEXPECTED_ANSWER = "unexpected_answer"
    INSECURE = "insecure"
    REDIRECT_REFUSED = "redirect_refused"
    NOT_PUBLISHED = "not_published"
    TOO_LARGE = "too_large"
    NOT_A_TABLE = "not_a_table"
    ENCRYPTED = "encrypted"
    UNSAVED_FORMULAS = "unsaved_formulas"
    # TikTok's API for Business (TikTokError)
    TOKEN_REJECTED = "token_rejected"
    RATE_LIMITED = "rate_limited"
    TIKTOK_REFUSED = "tiktok_refused"
    # The app's or the command's own settings (SettingsError; a SourceError for a bad source setting)
    SETTINGS = "settings"
    BROKEN_SETTINGS = "broken_settings"
    UNKNOWN_TIME_ZONE = "unknown_time_zone"
    # Delivering an alert (WebhookError)
    WEBHOOK = "webhook"
    # What the command line was asked to do (UsageError)
    USAGE = "usage"
    CANNOT_WRITE = "cannot_write"


class SparkwatchError(Exception):
    """Sparkwatch could not do what was asked; `str(error)` is a plain sentence, safe to show anyone."""

    default_kind: ErrorKind = ErrorKind.UNREADABLE

    def __init__(self, message: str, *, kind: ErrorKind | None = None) -> None:
        super().__init__(message)
        self.kind: ErrorKind = ErrorKind(kind) if kind is not None else self.default_kind


class SourceError(SparkwatchError):
    """A source could not be read."""


class TikTokError(SparkwatchError):
    """TikTok's API could not be read or refused a request (the message never holds the token or a whole code)."""

    default_kind = ErrorKind.API_ERROR


class WebhookError(SparkwatchError):
    """The alert could not be delivered (the webhook address names the host only, never the secret path)."""

    default_kind = ErrorKind.WEBHOOK


class SettingsError(SparkwatchError):
    """A setting cannot be used (the settings file is not valid TOML, a time zone that does not exist)."""

    default_kind = ErrorKind.SETTINGS


class UsageError(SparkwatchError):
    """What the command line asked for cannot be done (e.g. its file cannot be written)."""

    default_kind = ErrorKind.USAGE


__all__ = ["ErrorKind", "SettingsError", "SourceError", "SparkwatchError", "TikTokError", "UsageError", "WebhookError"]
