"""Streamlit glue for a file a person uploads instead of the configured sheet, for their session only.

The upload lives in `st.session_state`, so no other viewer sees it and nothing is stored;
`ui.source.current` shows it instead of the configured source while it is there.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st

from lib.errors import SourceError
from lib.normalize import normalize
from lib.reading import Loaded, system_clock
from lib.sources.files import read_bytes
from ui import app_settings

KEY_UPLOAD = "_upload"
KEY_UPLOAD_ERROR = "_upload_error"
KEY_UPLOADER_ROUND = "_uploader_round"


@dataclass(frozen=True)
class Upload:
    name: str
    digest: str
    loaded: Loaded


def current() -> Upload | None:
    """This session's upload, if it made one and still uses it."""
    upload = st.session_state.get(KEY_UPLOAD)
    return upload if isinstance(upload, Upload) else None


def use_upload(name: str, data: bytes) -> str | None:
    """Use an uploaded export for this session; returns the plain error instead when it can't be read."""
    try:
        normalized = normalize(read_bytes(data, name), date_order=app_settings.source_config().date_order)
    except SourceError as error:
        st.session_state[KEY_UPLOAD_ERROR] = str(error)
        return str(error)
    digest = hashlib.sha256(data).hexdigest()[:16]
    st.session_state[KEY_UPLOAD] = Upload(name, digest, Loaded(normalized, system_clock()))
    st.session_state.pop(KEY_UPLOAD_ERROR, None)
    return None


def stop_upload() -> None:
    """Go back to the configured source, and empty the upload box."""
    st.session_state.pop(KEY_UPLOAD, None)
    st.session_state.pop(KEY_UPLOAD_ERROR, None)
    st.session_state[KEY_UPLOADER_ROUND] = st.session_state.get(KEY_UPLOADER_ROUND, 0) + 1


def uploader_key() -> str:
    """The upload box's key; it changes after 'Stop using the upload', which empties the box."""
    return f"data_upload_{st.session_state.get(KEY_UPLOADER_ROUND, 0)}"


def on_upload_change(key: str) -> None:
    """Upload box callback: read the new file, or stop using the upload when the box was emptied."""
    file = st.session_state.get(key)
    if file is None:
        st.session_state.pop(KEY_UPLOAD, None)
        st.session_state.pop(KEY_UPLOAD_ERROR, None)
        return
    use_upload(file.name, file.getvalue())


__all__ = ["Upload", "current", "on_upload_change", "stop_upload", "uploader_key", "use_upload"]
