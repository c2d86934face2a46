"""Streamlit glue for a file a person uploads instead of the configured sheet, for their session only.

The normalised upload is held in one server-wide store with a memory budget (`lib.uploads`),
under a key only this session knows, so no other viewer sees it and nothing is written to
disk; `ui.source.current` shows it instead of the configured source while it is there.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

import streamlit as st

from lib.errors import SourceError
from lib.normalize import normalize
from lib.reading import Loaded, system_clock
from lib.sources.files import read_bytes
from lib.uploads import UploadStore
from ui import app_settings

KEY_UPLOAD = "_upload"
KEY_UPLOAD_ERROR = "_upload_error"
KEY_UPLOADER_ROUND = "_uploader_round"
KEY_SESSION = "_upload_session"
KEY_LET_GO = "_upload_let_go"

LET_GO = (
    "Your uploaded file was set aside to keep the app quick for everyone (many large uploads were open "
    "at once), so this shows the team's sheet again. Upload the file again to go on with it."
)
TOO_BIG = (
    "This file is too large to hold for your session once read. Upload a smaller export (fewer rows or "
    "columns), or connect the Google Sheet itself."
)


@dataclass(frozen=True)
class Held:
    """What the session keeps: the file's name and digest, and the key of its upload in the store."""

    name: str
    digest: str
    key: str


@dataclass(frozen=True)
class Upload:
    name: str
    digest: str
    loaded: Loaded


@st.cache_resource(show_spinner=False)
def _store() -> UploadStore:
    return UploadStore()


def _session_key() -> str:
    """A key only this session knows (two people uploading the same file hold it separately)."""
    return st.session_state.setdefault(KEY_SESSION, secrets.token_hex(16))


def current() -> Upload | None:
    """This session's upload, if it made one, still uses it, and the store still holds it."""
    held = st.session_state.get(KEY_UPLOAD)
    if not isinstance(held, Held):
        return None
    loaded = _store().get(held.key)
    if loaded is None:
        st.session_state.pop(KEY_UPLOAD, None)
        st.session_state[KEY_LET_GO] = True
        return None
    return Upload(held.name, held.digest, loaded)


def use_upload(name: str, data: bytes) -> str | None:
    """Use an uploaded export for this session; returns the plain error instead when it can't be read."""
    try:
        normalized = normalize(read_bytes(data, name), date_order=app_settings.source_config().date_order)
    except SourceError as error:
        st.session_state[KEY_UPLOAD_ERROR] = str(error)
        return str(error)
    digest = hashlib.sha256(data).hexdigest()[:16]
    key = _session_key()
    if not _store().put(key, Loaded(normalized, system_clock())):
        st.session_state.pop(KEY_UPLOAD, None)
        st.session_state[KEY_UPLOAD_ERROR] = TOO_BIG
        return TOO_BIG
    st.session_state[KEY_UPLOAD] = Held(name, digest, key)
    st.session_state.pop(KEY_UPLOAD_ERROR, None)
    return None


def _let_go() -> None:
    """Forget this session's upload, here and in the store."""
    held = st.session_state.pop(KEY_UPLOAD, None)
    if isinstance(held, Held):
        _store().drop(held.key)


def stop_upload() -> None:
    """Go back to the configured source, and empty the upload box."""
    _let_go()
    st.session_state.pop(KEY_UPLOAD_ERROR, None)
    st.session_state[KEY_UPLOADER_ROUND] = st.session_state.get(KEY_UPLOADER_ROUND, 0) + 1


def uploader_key() -> str:
    """The upload box's key; it changes after 'Stop using the upload', which empties the box."""
    return f"data_upload_{st.session_state.get(KEY_UPLOADER_ROUND, 0)}"


def on_upload_change(key: str) -> None:
    """Upload box callback: read the new file, or stop using the upload when the box was emptied."""
    file = st.session_state.get(key)
    if file is None:
        _let_go()
        st.session_state.pop(KEY_UPLOAD_ERROR, None)
        return
    use_upload(file.name, file.getvalue())


__all__ = ["LET_GO", "Upload", "current", "on_upload_change", "stop_upload", "uploader_key", "use_upload"]
