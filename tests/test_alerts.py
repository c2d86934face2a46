"""Alerts: the message, and its delivery to a real local webhook receiver (including failures)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib import alerts
from lib.alerts import (
    ALERT_STATES,
    WebhookError,
    action_line,
    alert_payload,
    alert_rows,
    alert_text,
    post_webhook,
    webhook_body,
    webhook_host,
)
from lib.codes import MASK, mask_code
from lib.demo import demo_table
from lib.diagnose import HEALTH_DTYPE, diagnose
from lib.normalize import normalize
from lib.report import records
from lib.rules import ISSUE_ORDER
from lib.vocab import HEALTH_ORDER
from lib.words import redact
from tests.fakes.tracking_sheet import TODAY, day, judged
from tests.fakes.tracking_sheet import code as tracking_code
from tests.fakes.webhook import SECRET_PATH, DrippingServer, WebhookReceiver, clear_proxies


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    clear_proxies(monkeypatch)


@pytest.fixture
def receiver():
    with WebhookReceiver() as running:
        yield running


def demo() -> tuple:
    normalized = normalize(demo_table(TODAY))
    return diagnose(normalized.frame, TODAY), normalized.problems


def test_nothing_to_say_when_all_is_well():
    frame = judged(
        {"Creator": "fine"},
        {"Creator": "waiting", "Code": ""},  # pending: not an alert
        {"Creator": "undated", "Expires": ""},  # unknown: not an alert
        {"Creator": "later", "Expires": day(8)},  # outside the 7-day window
        today=TODAY,
    )
    assert alert_rows(frame).empty
    assert alert_text("sheet", TODAY, 7, frame) is None
    assert alert_payload("sheet", TODAY, 7, frame) is None


def test_message_lists_the_rows_to_act_on_with_codes_masked():
    frame = judged(
        {"Creator": "gone", "Status": "revoked"},
        {"Creator": "late", "Expires": day(-3)},
        {"Creator": "stuck", "Identity": "custom"},
        {"Creator": "soon", "Expires": day(2)},
        {"Creator": "fine"},
        {"Creator": "waiting", "Code": ""},
        today=TODAY,
    )
    payload = alert_payload("team-sheet.csv", TODAY, 7, frame)
    assert set(payload) == {"text"}
    text = payload["text"]
    lines = text.split("\n")
    assert lines[0] == (
        "Sparkwatch · 4 Spark Ads authorizations need action (revoked: 1, expired: 1, blocked: 1, expiring soon: 1)"
    )
    assert lines[1] == "team-sheet.csv · 2026-11-22 · warning window 7 days"
    listed = [line for line in lines if line.startswith("• ")]
    assert [re.search(r"@\w+", line).group(0) for line in listed] == ["@gone", "@late", "@stuck", "@soon"]
    assert "Revoked — Code withdrawn by the creator → Creator, Advertiser" in listed[0]
    assert "Expired · ended 3 days ago — Code expired → Creator, Advertiser" in listed[1]
    assert "Blocked · 191 days left — Ad uses a custom identity → Media buyer" in listed[2]
    assert "Expiring soon · 2 days left — Expires soon → Creator" in listed[3]
    for line, code in zip(listed, alert_rows(frame)["code"], strict=True):
        assert f"code {mask_code(code)}" in line
        assert code not in text
    assert "@fine" not in text and "@waiting" not in text


def test_a_one_day_window_reads_in_the_singular():
    frame = judged({"Creator": "soon", "Expires": day(1)}, today=TODAY)
    assert alert_text("sheet", TODAY, 1, frame).split("\n")[1] == "sheet · 2026-11-22 · warning window 1 day"


def test_sheet_text_cannot_ping_a_channel_or_make_links():
    frame = judged({"Creator": "<!channel>", "Status": "revoked"}, today=TODAY)
    text = alert_text("a&b <sheet>", TODAY, 7, frame)
    assert "<" not in text and ">" not in text.replace("→", "")
    assert "@&lt;!channel&gt;" in text
    assert "a&amp;b &lt;sheet&gt;" in text


def test_long_lists_are_cut_and_counted_and_sheet_problems_mentioned():
    frame, problems = demo()
    rows = alert_rows(frame)
    assert len(rows) > 5
    text = alert_text("demo", TODAY, 7, frame, problems, max_lines=5)
    assert text.count("\n• ") == 5
    assert f"… and {len(rows) - 5} more" in text
    assert len(problems) > 1 and f"Also: {len(problems)} cells in the sheet could not be read" in text
    assert set(rows["health"]) <= set(ALERT_STATES)
    assert MASK in text
    assert not any(code in text for code in frame["code"].dropna())


def test_action_line_is_the_same_words_the_check_command_prints():
    frame = judged({"Creator": "", "Expires": ""}, today=TODAY)
    (record,) = records(frame)
    assert action_line(record) == (
        "row     2  (no creator)             Expiry unknown — The sheet does not say when this code ends."
    )
    # Days read as everywhere else (lib.words.days_left): 'yesterday' and 'tomorrow' as words.
    dated = judged(*({"Creator": f"c{n}", "Expires": day(n)} for n in (-2, -1, 0, 1, 9)), today=TODAY)
    said = {r["creator"]: action_line(r) for r in records(dated)}
    assert "Expired · ended 2 days ago — " in said["@c-2"]
    assert "Expired · ended yesterday — " in said["@c-1"]
    assert "Expiring soon · ends today — " in said["@c0"]
    assert "Expiring soon · ends tomorrow — " in said["@c1"]
    assert "OK · 9 days left — " in said["@c9"]


def test_posting_delivers_the_payload_as_json(receiver):
    frame, problems = demo()
    payload = alert_payload("demo", TODAY, 7, frame, problems)
    post_webhook(receiver.url, payload)
    assert receiver.payloads == [payload]
    (request,) = receiver.received
    assert request.path == SECRET_PATH
    assert request.headers["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("status", "reply", "said"),
    [
        (404, b"no_service", "HTTP 404: no_service"),
        (403, b"invalid_token", "HTTP 403: invalid_token"),
        (500, b"<html><body>Internal error with stack trace ...</body></html>", "HTTP 500)"),
    ],
)
def test_a_refusing_webhook_gives_a_plain_reason_without_the_secret(status, reply, said):
    with WebhookReceiver(status=status, reply=reply) as refusing:
        with pytest.raises(WebhookError) as caught:
            post_webhook(refusing.url, {"text": "hi"})
        assert len(refusing.received) == 1
    message = str(caught.value)
    assert said in message
    assert f"The webhook at {webhook_host(refusing.url)} refused the alert" in message
    assert SECRET_PATH not in message and "s3cret" not in message
    assert "html" not in message


def test_a_redirect_is_not_followed(receiver):
    with WebhookReceiver(status=302, location=receiver.url) as redirecting, pytest.raises(WebhookError, match="302"):
        post_webhook(redirecting.url, {"text": "hi"})
    assert receiver.received == []


def test_a_hanging_webhook_fails_within_the_timeout():
    with WebhookReceiver(hang=True) as hanging:
        with pytest.raises(WebhookError, match=r"did not answer within 0\.5 seconds"):
            post_webhook(hanging.url, {"text": "hi"}, timeout=0.5)
        url = hanging.url
    assert "s3cret" not in webhook_host(url)


@pytest.mark.timeout(20)
def test_a_webhook_that_answers_one_byte_at_a_time_fails_at_the_deadline():
    """The timeout used to bound each read: a webhook dripping its answer held the alert for ever."""
    with DrippingServer(drip_head=True) as slow:
        with pytest.raises(WebhookError, match=r"did not answer within 1\.5 seconds"):
            post_webhook(slow.url, {"text": "hi"}, timeout=1.5)
        assert slow.requests == 1


@pytest.mark.timeout(20)
def test_a_webhook_that_accepts_and_then_drips_its_reply_has_the_alert():
    """The status says 'accepted': the alert is delivered, whatever the reply's body does next."""
    with DrippingServer(content_type="text/plain") as slow:
        post_webhook(slow.url, {"text": "hi"}, timeout=1.5)
        assert slow.requests == 1


@pytest.mark.timeout(20)
def test_a_webhook_that_refuses_and_then_drips_its_reason_fails_at_the_deadline():
    with (
        DrippingServer(status=500, body=b"no_service" * 1000) as slow,
        pytest.raises(WebhookError, match=r"refused the alert \(HTTP 500\)"),
    ):
        post_webhook(slow.url, {"text": "hi"}, timeout=1.5)


def test_an_unreachable_webhook_says_so():
    stopped = WebhookReceiver().start()
    url = stopped.url
    stopped.stop()
    with pytest.raises(WebhookError) as caught:
        post_webhook(url, {"text": "hi"}, timeout=2)
    assert str(caught.value).startswith(f"Could not reach the webhook at {webhook_host(url)} (connection refused)")
    assert "s3cret" not in str(caught.value)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/x", "hooks.slack.com/services/x", ""])
def test_only_web_addresses_are_accepted(url):
    with pytest.raises(WebhookError, match="must be a full link starting with https://"):
        post_webhook(url, {"text": "hi"})


# --------------------------------------------------------------------------- mentions

MENTION_CELLS = [
    "channel", "here", "everyone", "all", "someone", "@here", "@everyone", "EVERYONE", "Channel.", "all_",
    "<!channel>", "<!here>", "<!everyone>", "<@U024BE7LH>", "<@123456789012345678>", "<@!123456789012345678>",
    "<@&123456789012345678>", "<#123456789012345678>", "x@here",
]  # fmt: skip


def mattermost_mentions(text: str) -> set[str]:
    """The channel-wide mentions Mattermost finds in a message: its word split and suffix trimming."""
    found = set()
    for word in re.split(r"[^\w.:\-@]+", text):
        word = word.lstrip(":.-_").lower()
        while word:
            if word in ("@here", "@channel", "@all"):
                found.add(word)
                break
            if word[-1] not in ".-:_":
                break
            word = word[:-1]
    return found


def discord_mentions(text: str) -> list[str]:
    """What Discord pings for: @everyone / @here anywhere, and <@id>, <@!id>, <@&role>, <#channel>."""
    return re.findall(r"@(?:everyone|here)|<[@#][!&]?\d+>", text, flags=re.IGNORECASE)


def slack_mentions(text: str) -> list[str]:
    """Slack reads mentions and links only inside `<…>`."""
    return re.findall(r"<[^>]*>", text)


def test_no_cell_can_mention_a_whole_channel_on_slack_mattermost_or_discord():
    frame = judged(*({"Creator": cell, "Status": "revoked"} for cell in MENTION_CELLS), today=TODAY)
    text = alert_text("@channel <!here> sheet", TODAY, 7, frame, max_lines=100)
    assert text.count("\n• ") == len(MENTION_CELLS)
    assert slack_mentions(text) == []
    assert mattermost_mentions(text) == set()
    assert discord_mentions(text) == []
    # Still readable: the words are there, with an invisible character after the `@`.
    visible = text.replace("\u200b", "")
    for word in ("@channel", "@here", "@everyone", "@all", "@someone"):
        assert word in visible.lower()
    assert "@&lt;@&amp;123456789012345678&gt;" in visible
    # An ordinary handle is left alone, whatever it starts with.
    ordinary = judged(
        {"Creator": "allison", "Status": "revoked"}, {"Creator": "all_stars", "Status": "revoked"}, today=TODAY
    )
    assert "@allison" in alert_text("sheet", TODAY, 7, ordinary) and "@all_stars" in alert_text(
        "sheet", TODAY, 7, ordinary
    )


@pytest.mark.parametrize(
    "url",
    [
        "https://discord.com/api/webhooks/123/abc/slack",
        "https://discordapp.com/api/webhooks/123/abc/slack",
        "https://ptb.discord.com/api/webhooks/123/abc/slack",
        "https://canary.discord.com/api/webhooks/123/abc/slack",
    ],
)
def test_a_discord_webhook_is_also_told_to_mention_nobody(url):
    payload = {"text": "hi @\u200beveryone"}
    assert webhook_body(url, payload) == {"text": "hi @\u200beveryone", "allowed_mentions": {"parse": []}}
    assert payload == {"text": "hi @\u200beveryone"}  # the caller's payload is not changed


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.slack.com/services/T0/B0/x",
        "https://chat.example.com/hooks/abc",
        "https://discord.com.evil.test/x",
    ],
)
def test_other_webhooks_get_the_plain_slack_payload(url):
    assert webhook_body(url, {"text": "hi"}) == {"text": "hi"}


def test_the_posted_message_is_inert_too(receiver):
    frame = judged(*({"Creator": cell, "Status": "revoked"} for cell in MENTION_CELLS), today=TODAY)
    post_webhook(receiver.url, alert_payload("sheet", TODAY, 7, frame))
    (payload,) = receiver.payloads
    assert payload == webhook_body(receiver.url, payload)
    text = payload["text"]
    assert slack_mentions(text) == [] and mattermost_mentions(text) == set() and discord_mentions(text) == []


# --- every action line at once ------------------------------------------------------------------

CREATOR_PIECES = ["@amy", "Zoë", " ", "\xa0", "\t", "\n", "\x1b[2J", "\u202e", "\u2068", "مرحبا", "😀", "e\u0301"]
CREATOR_PIECES += ["%23", "#", "ＡＢ", "\u200b", "A" * 12, "abc+/" * 5, "x" * 30]
CREATOR_PIECES += [CODE := tracking_code(7), CODE[1:], CODE[:30] + "\u200b" + CODE[30:]]
# A code percent-encoded, no 20 of its characters together.
CREATOR_PIECES += ["%23" + "%2B".join(["Qx7Lm2Vb9Kp"] * 6)[:73] + "%3D"]


@given(
    st.lists(
        st.tuples(
            st.integers(1, 200_000),
            st.none() | st.lists(st.sampled_from(CREATOR_PIECES), max_size=4).map("".join),
            st.sampled_from(list(HEALTH_ORDER)),
            st.none() | st.integers(-400, 400),
            st.lists(st.sampled_from(ISSUE_ORDER), max_size=3, unique=True).map(tuple),
        ),
        max_size=30,
    ),
    st.booleans(),
)
def test_the_action_text_is_every_rows_action_line(rows, redacted):
    """The command line's list, built from columns, says for each row what `action_line` says."""
    frame = pd.DataFrame(
        {
            "row": pd.Series([r[0] for r in rows], dtype="int64"),
            "creator": pd.Series([r[1] for r in rows], dtype="string"),
            "health": pd.Series([r[2].value for r in rows], dtype=HEALTH_DTYPE),
            "days_left": pd.Series([r[3] for r in rows], dtype="Int64"),
            "issues": pd.Series([r[4] for r in rows], dtype=object),
        }
    )
    expected = ""
    for row, creator, health, days, issues in rows:
        cell = alerts._creator_cell(creator)
        words = alerts._action_words(health, days, issues)
        expected += f"  row {row:>5}  {redact(cell) if redacted else cell} {words}\n"
    assert alerts.action_text(frame, indent="  ", redacted=redacted) == expected
