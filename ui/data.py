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

from lib import settings, template
from lib.bidi import isolate
from lib.reading import Outcome
from lib.settings import SourceConfig
from lib.sources.files import MAX_UPLOAD_BYTES
from lib.tiktok.settings import TikTokConfig
from lib.words import plural
from ui import app_settings, source, tiktok
from ui import upload as uploads

KEY_TEST_BUTTON = "data_test_connection"
KEY_STOP_UPLOAD = "data_stop_upload"
KEY_TEMPLATE = "data_template"
KEY_TEST_TIKTOK = "data_test_tiktok"

_ORIGIN_WORDS = {
    settings.ORIGIN_SETTINGS: "Set in the app's settings (.streamlit/secrets.toml).",
    settings.ORIGIN_ENVIRONMENT: "Set in the server's environment (SPARKWATCH_SHEET or SPARKWATCH_SOURCE).",
}
NOTHING_SET_UP = (
    "Set up for the team: nothing yet, so the app shows the demo. The steps below connect the team's sheet."
)
NOTHING_SET_UP_UPLOAD = (
    "Set up for the team: nothing yet, so everyone else sees the demo. The steps below connect the team's sheet."
)
SETTINGS_TO_FIX = "Set up for the team: the settings need fixing before the sheet can be read (see below)."
NOT_READ = "Showing now: nothing — the sheet could not be read (see below)."
NOTHING_TO_TEST = (
    "There is nothing to test yet: no sheet is set up, and the demo is built into the app. "
    "Set up the team's sheet with the steps below, then test it here."
)
_LOCATION_WORDS = {"google_sheet": "Sheet link or key", "published": "Published link", "file": "File"}
_READ_WORDS = {"google_sheet": "sheet", "published": "sheet", "file": "file"}

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
    """What this person sees now, what the app is set up to read for the team, and any mistake in that setup."""
    st.header("Where the data comes from", anchor=False)
    outcome = source.last_outcome()
    mine = uploads.current()
    if outcome is not None:
        _showing_now(outcome)
    if config.kind == "demo" and not config.problem:
        st.text(NOTHING_SET_UP_UPLOAD if mine is not None else NOTHING_SET_UP)
    elif config.kind == "demo":
        st.text(SETTINGS_TO_FIX)
    else:
        st.text(f"Set up for the team: {source.source_for(config).describe()}")
        st.text(_ORIGIN_WORDS.get(config.origin, ""))
        st.text(f"{_LOCATION_WORDS.get(config.kind, 'Link or key')}: {_location_words(config)}")
        if config.kind == "google_sheet":
            st.text(f"Tab: {_tab_words(config.tab)}")
        st.text(_reuse_words(config))
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


def _showing_now(outcome: Outcome) -> None:
    """One line: the demo, this person's upload, or the team's sheet — or nothing, when it could not be read."""
    if outcome.loaded is None:
        st.text(NOT_READ)
    elif outcome.kind == "upload":
        rows = plural(len(outcome.loaded.normalized.frame), "row")
        st.text(f"Showing now: {isolate(outcome.label)} ({rows}) — only you see it, for this session.")
    else:
        st.text(f"Showing now: {isolate(outcome.label)}")


def _location_words(config: SourceConfig) -> str:
    if config.kind == "published":  # anyone who has a published link can read the sheet
        return "in the settings (not shown here: anyone who has it can read the sheet)"
    return isolate(config.location)


def _reuse_words(config: SourceConfig) -> str:
    """How long everyone sees one read of the team's sheet, and what Refresh does."""
    what = _READ_WORDS.get(config.kind, "sheet")
    words = (
        f"Everyone sees the same read of the {what} for up to {plural(config.cache_ttl / 60, 'minute')}; "
        f"Refresh reads it again at once"
    )
    if config.kind in source.THROTTLED_KINDS and config.refresh_seconds > 0:
        words += f" (at most once every {plural(config.refresh_seconds, 'second')})"
    return words + "."


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


def connection_test(config: SourceConfig) -> None:
    """A button that reads the team's configured source now, and what it found.

    It tests what is set up for the team, never this person's upload; with nothing set up
    there is nothing to test (the demo is built in), and the button says so without reading.
    """
    st.header("Test the connection", anchor=False)
    if config.kind == "demo" and not config.problem:
        st.caption("No sheet is set up yet, so there is nothing to test.")
    else:
        st.caption("Reads the team's sheet as set up above, now (this also refreshes what every page shows).")
    st.button(
        "Test connection",
        key=KEY_TEST_BUTTON,
        on_click=source.test_connection,
        icon=":material/network_check:",
        help="Read the team's sheet now, to check the settings and the sharing.",
    )
    result = st.session_state.pop(source.KEY_TEST_RESULT, None)
    if result is None:
        return
    if result.nothing_to_test:
        st.info(NOTHING_TO_TEST, icon=":material/info:")
        return
    if result.ok:
        st.success(f"Connected: {plural(result.rows, 'row')} found.", icon=":material/check:")
        st.text(f"Tested: {isolate(result.tested)}")
        if uploads.current() is not None:
            st.caption("You still see your uploaded file; click Stop using the upload to see the team's sheet.")
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
    st.markdown(
        "**No tracking sheet yet?** Start from the template: the columns Sparkwatch reads, with two example "
        "rows to replace. Open it in Google Sheets (File → Import) or Excel."
    )
    st.download_button(
        "Download the template (CSV)",
        data=template.template_csv(app_settings.today()),
        file_name=template.FILE_NAME,
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key=KEY_TEMPLATE,
    )
    st.markdown(SETUP_SERVICE_ACCOUNT)
    st.markdown(SETUP_PUBLISHED)


_TIKTOK_ORIGIN_WORDS = {
    "settings": "The token is in the app's settings ([tiktok] in .streamlit/secrets.toml).",
    "environment": "The token is in the server's environment (TIKTOK_ACCESS_TOKEN).",
}


def tiktok_block() -> None:
    """Whether TikTok is set up (and how, in one sentence, when it is not), its last read, and Test TikTok."""
    st.header("Check against TikTok", anchor=False)
    config = tiktok.config()
    if config is None:
        st.text(tiktok.NOT_SET_UP)
        return
    _tiktok_setup(config)
    st.button(
        "Test TikTok",
        key=KEY_TEST_TIKTOK,
        on_click=tiktok.test_tiktok,
        icon=":material/network_check:",
        help="Read TikTok now: which ad accounts answer, and how many posts they hold.",
        disabled=not config.ready,
    )
    result = tiktok.take_test_result()
    if result is None:
        return
    if not result.ok:
        st.error("TikTok could not be read:", icon=":material/error:")
        st.text(result.message)
        return
    posts = sum(n for _, n in result.accounts)
    st.success(
        f"TikTok answered: {plural(len(result.accounts), 'ad account')}, {plural(posts, 'post')} in Ads Manager.",
        icon=":material/check:",
    )
    for account, count in result.accounts:
        st.text(f"Ad account {account}: {plural(count, 'post')}")
    for line in result.errors:
        st.text(line)


def _tiktok_setup(config: TikTokConfig) -> None:
    """What is set up (never the token), what is wrong with it, and when TikTok was last read."""
    if config.problem:
        st.error("The TikTok settings need fixing:", icon=":material/settings:")
        st.text(config.problem)
        return
    st.text(
        f"Set up: Sparkwatch checks the sheet against {plural(len(config.advertiser_ids), 'TikTok ad account')}: "
        + ", ".join(config.advertiser_ids)
    )
    st.text(_TIKTOK_ORIGIN_WORDS.get(config.origin, ""))
    checked = st.session_state.get(tiktok.KEY_OUTCOME)
    if checked is None:
        return
    if checked.read_at is not None:
        posts = plural(len(checked.read.held), "post")
        st.text(f"Last read at {source.clock(checked.read_at)}: {posts} in Ads Manager.")
    if checked.error is not None:
        st.text("The latest read failed (see the note at the top of the page).")
