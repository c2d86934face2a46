"""The error decoder on the Troubleshooter page, in the real app (AppTest)."""

from __future__ import annotations

import pytest
from app_helpers import TROUBLESHOOTER, assert_clean, markdown_texts, open_app

from lib.decoder import decode_error
from lib.vocab import ISSUES, ROLES, SYMPTOMS
from ui import decoder, troubleshooter


def paste(at, text: str):
    at.text_input(key=decoder.KEY_TEXT).input(text).run()
    assert_clean(at)
    return at


def pick(at, label: str):
    at.selectbox(key=decoder.KEY_PICK).select(label).run()
    assert_clean(at)
    return at


def shown(at) -> str:
    return "\n".join(markdown_texts(at))


def picker_buttons(at) -> list:
    return [b for b in at.main.button if b.key and b.key.startswith("decoder_to_picker_")]


def symptoms(at) -> list[str]:
    return at.multiselect(key=troubleshooter.KEY_SYMPTOMS).value


def test_the_section_is_on_the_troubleshooter_page_and_quiet_until_used(demo_page):
    at = demo_page(TROUBLESHOOTER)
    assert "Ads Manager shows an error?" in [s.value for s in at.main.subheader]
    assert at.text_input(key=decoder.KEY_TEXT).label == "Paste the error Ads Manager shows"
    assert not picker_buttons(at)
    assert not any(decoder.UNKNOWN in i.value for i in at.main.info)


@pytest.mark.parametrize(
    ("text", "name", "symptom"),
    [
        ("Error 4025: the authorization code has expired", "auth_code_expired", "code_rejected"),
        ("AUTH_CODE_NOT_FOUND", "auth_code_not_found", "code_stopped_working"),
        ("4013", "auth_code_format_error", "code_rejected"),
    ],
)
def test_a_pasted_error_explains_itself_and_leads_to_its_cause(text, name, symptom):
    at = paste(open_app(TROUBLESHOOTER), text)
    error = decode_error(name)
    page = shown(at)
    assert error.meaning in page and error.fix in page
    for role in error.roles:
        assert f"{ROLES[role].label} ({ROLES[role].where})" in page
    assert f"**Likely cause in the symptom picker:** {ISSUES[error.cause].label}" in page
    assert symptoms(at) == []

    (button,) = picker_buttons(at)
    button.click().run()
    assert_clean(at)
    assert symptoms(at) == [symptom]
    causes = [m for m in markdown_texts(at) if m.startswith("#### ")]
    assert f"#### {1 + SYMPTOMS[symptom].causes.index(error.cause)}. {ISSUES[error.cause].label}" in causes
    if name == "auth_code_expired":
        assert causes[0] == f"#### 1. {ISSUES['code_expired'].label}"


def test_picking_a_format_error_from_the_list_points_to_the_format_advice():
    at = pick(open_app(TROUBLESHOOTER), "4027 · story_video_not_supported")
    assert decode_error("4027").meaning in shown(at)
    assert "Likely cause in the symptom picker" not in shown(at)
    picker_buttons(at)[0].click().run()
    assert symptoms(at) == ["format_not_supported"]
    assert f"#### 1. {SYMPTOMS['format_not_supported'].label}" in markdown_texts(at)


def test_an_error_without_a_cause_has_no_pointer():
    at = paste(open_app(TROUBLESHOOTER), "video_deleted")
    assert decode_error("video_deleted").meaning in shown(at)
    assert not picker_buttons(at)


def test_an_ambiguous_number_shows_every_error_it_stands_for():
    at = paste(open_app(TROUBLESHOOTER), "4002")
    assert decoder.SEVERAL in [c.value for c in at.main.caption]
    page = shown(at)
    assert decode_error("video_deleted").meaning in page and decode_error("video_unavailable").meaning in page


@pytest.mark.parametrize("text", ["something went wrong", "<script>alert(1)</script>", "**bold** 40250"])
def test_unknown_text_says_so_and_points_to_the_picker(text):
    at = paste(open_app(TROUBLESHOOTER), text)
    assert [i.value for i in at.main.info if i.value == decoder.UNKNOWN] == [decoder.UNKNOWN]
    assert not picker_buttons(at)
    assert not at.get("html")
    assert text not in shown(at)  # the pasted text is never echoed as markdown


def test_the_last_one_touched_counts():
    at = pick(open_app(TROUBLESHOOTER), "4042 · carousel_duet_not_supported")
    assert decode_error("4042").meaning in shown(at)
    paste(at, "auth_code_expired")
    assert at.selectbox(key=decoder.KEY_PICK).value is None
    assert decode_error("4025").meaning in shown(at) and decode_error("4042").meaning not in shown(at)
    pick(at, "4013 · auth_code_format_error")
    assert at.text_input(key=decoder.KEY_TEXT).value == ""
    assert decode_error("4013").meaning in shown(at) and decode_error("4025").meaning not in shown(at)
