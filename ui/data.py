"""The Data page's sections: where the data comes from, who to share the sheet with, a connection
test, a file upload for this session, and setup steps an admin without a technical background
can follow.

Values from the settings or the sheet (the link, the tab, the sheet's title, an uploaded file's
name) only reach the screen through `st.text` and `st.code`; labels and markdown are the
product's own words. Where such a value shares a line with those words it is isolated
(`lib.bidi`), so a right-to-left override in a file name or title can't reorder the line.
"""

from __future__ import annotations

import streamlit as st

from lib import settings
from lib.bidi import isolate
from lib.settings import SourceConfig
from lib.sources.files import MAX_UPLOAD_BYTES
from lib.words import plural
from ui import app_settings, source
from ui import upload as uploads

KEY_TEST_BUTTON = "data_test_connection"
KEY_STOP_UPLOAD = "data_stop_upload"

_ORIGIN_WORDS = {
    settings.ORIGIN_SETTINGS: "Set in the app's settings (.streamlit/secrets.toml).",
    settings.ORIGIN_ENVIRONMENT: "Set in the server's environment (SPARKWATCH_SHEET).",
    settings.ORIGIN_DEFAULT: "Nothing is set up, so the app shows the demo.",
}

SETUP_SERVICE_ACCOUNT = """
**Option A — the team's Google Sheet, private (recommended)**

1. Open [Google Cloud console](https://console.cloud.google.com/) with a Google account of your team and
   create a project (or pick one), for example "Sparkwatch".
2. In **APIs & Services → Library**, search for **Google Sheets API** and click **Enable**.
3. In **IAM & Admin → Service accounts**, click **Create service account**, give it a name like
   "sparkwatch-reader", and click **Done**. It needs no roles.
4. Open the new service account → **Keys → Add key → Create new key → JSON**. A file downloads: it is a
   password, so keep it private and never email it.
5. Open the app's settings file `.streamlit/secrets.toml` on the server (or **Settings → Secrets** on
   Streamlit Community Cloud). Copy `.streamlit/secrets.toml.example` as a start: put the sheet's link
   under `[sheet]` and each field of the downloaded file under `[gcp_service_account]`.
6. In the Google Sheet, click **Share**, paste the service account's email address (shown on this page
   once the key is in the settings), choose **Viewer**, untick "Notify people", and click **Share**.
7. Come back here and click **Test connection**.
"""

SETUP_PUBLISHED = """
**Option B — no key: publish the sheet to the web**

Anyone who has the link can then read the published tab, so use this only if that is fine for your team.

1. In the Google Sheet: **File → Share → Publish to web**.
2. Pick the tracking tab and **Comma-separated values (.csv)**, then click **Publish**.
3. Copy the link it shows (it ends in `output=csv`) and put it as `url` under `[sheet]` in the settings.
4. Come back here and click **Test connection**.
"""


def configured(config: SourceConfig) -> None:
    """What the app is set up to read, and any mistake in that setup."""
    st.header("Where the data comes from", anchor=False)
    outcome = source.last_outcome()
    if outcome is not None:
        st.text(f"Showing now: {isolate(outcome.label)}")
    st.text(source.source_for(config).describe())
    st.text(_ORIGIN_WORDS.get(config.origin, ""))
    if config.kind != "demo":
        st.text(f"Link or key: {isolate(config.location)}")
    if config.kind == "google_sheet":
        st.text(f"Tab: {_tab_words(config.tab)}")
    minutes = config.cache_ttl / 60
    st.text(f"A read is reused for {plural(minutes, 'minute')}; Refresh reads again at once.")
    if config.problem:
        st.error("The data settings need fixing:", icon=":material/settings:")
        st.text(config.problem)
    for note in config.notes:
        st.info("A setting was not used as written:", icon=":material/info:")
        st.text(note)
    zone = app_settings.zone_problem()
    st.text(f"Time zone for 'today': {app_settings.zone_name() or 'this computer’s own'}")
    if zone:
        st.warning("The time zone setting was not used:", icon=":material/schedule:")
        st.text(zone)
    if outcome is not None and outcome.loaded is None and outcome.error is not None and not config.problem:
        # (With data still shown, the stale note above the page says it already.)
        st.error("The last read failed:", icon=":material/error:")
        st.text(outcome.error)


def _tab_words(tab: str | None) -> str:
    if tab == settings.ALL_TABS:
        return "every tab, merged (a 'tab' column says where each row comes from)"
    return isolate(tab) or "the first tab"


def share_with(config: SourceConfig) -> None:
    """The service account's address, to share the sheet with (as Viewer)."""
    st.header("Share the sheet with", anchor=False)
    email = config.account_email()
    if email:
        st.code(email, language=None)
        st.caption("In the Google Sheet click Share, paste this address, choose Viewer (enough to read), and Share.")
    elif config.has_account:
        st.text("The service account key in the settings has no email address (client_email): paste the whole key.")
    else:
        st.text("No service account key is set up yet (see the setup steps below).")


def connection_test() -> None:
    """A button that reads the configured source now, and what it found."""
    st.header("Test the connection", anchor=False)
    st.button(
        "Test connection",
        key=KEY_TEST_BUTTON,
        on_click=source.test_connection,
        icon=":material/network_check:",
        help="Read the sheet now (this also refreshes what every page shows).",
    )
    result = st.session_state.pop(source.KEY_TEST_RESULT, None)
    if result is None:
        return
    if result.ok:
        st.success(f"Connected: {plural(result.rows, 'row')} found.", icon=":material/check:")
    else:
        st.error("The connection test failed:", icon=":material/error:")
        st.text(result.message)


def upload() -> None:
    """An exported CSV or XLSX file, used instead of the sheet for this session only."""
    st.header("Use a file instead, for this session", anchor=False)
    st.caption(
        "Export the sheet (File → Download → CSV or Microsoft Excel) and upload it here. Only you see it, "
        "until you close this tab or stop using it; nothing is stored."
    )
    key = uploads.uploader_key()
    st.file_uploader(
        f"CSV or XLSX export, up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB",
        type=["csv", "xlsx"],
        key=key,
        on_change=uploads.on_upload_change,
        args=(key,),
    )
    error = st.session_state.get(uploads.KEY_UPLOAD_ERROR)
    if error:
        st.error("That file can't be used:", icon=":material/error:")
        st.text(error)
    current = uploads.current()
    if current is not None:
        rows = len(current.loaded.normalized.frame)
        st.text(f"Using {isolate(current.name)} ({plural(rows, 'row')}) for this session.")
        st.button("Stop using the upload", key=KEY_STOP_UPLOAD, on_click=uploads.stop_upload)


def setup_steps() -> None:
    """Numbered steps for the admin who connects the team's sheet."""
    st.header("Set up the team's sheet", anchor=False)
    st.markdown(SETUP_SERVICE_ACCOUNT)
    st.markdown(SETUP_PUBLISHED)
