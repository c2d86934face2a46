"""The Troubleshooter page in the real app (AppTest): symptoms → causes → fix, checked against a row."""

from __future__ import annotations

import re

import pytest
from app_helpers import (
    HOSTILE,
    TROUBLESHOOTER,
    assert_clean,
    assert_shown_literally,
    expected,
    hostile_table,
    open_app,
    page_notes,
)

from lib import troubleshoot as ts
from lib.rules import RULES
from lib.symptoms import SYMPTOMS
from lib.vocab import HARD_REFRESH_NOTE, ROLES
from lib.words import human_date as day
from ui import troubleshooter


def cause_blocks(at):
    """Each cause's container, in order, as (title, markdown texts, plain texts)."""
    blocks = []
    for n in range(1, len(RULES) + len(SYMPTOMS) + 1):
        try:
            block = at.get_by_key(f"troubleshooter_cause_{n}")
        except KeyError:
            break
        texts = [m.value for m in block.markdown]
        blocks.append((block.subheader[0].value, texts, [t.value for t in block.text]))
    return blocks


def test_before_picking_it_asks_and_shows_the_role_checklist(demo_page):
    at = demo_page(TROUBLESHOOTER)
    assert [t.value for t in at.title] == ["Troubleshooter"]
    assert page_notes(at)[0].startswith("Pick what you see")
    assert any(i.value == HARD_REFRESH_NOTE for i in at.info)
    checklist = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert [line.split("**")[1] for line in checklist] == [r.label for r in ROLES.values()]


@pytest.mark.parametrize("symptom_id", list(SYMPTOMS))
def test_every_symptom_gives_a_cause_with_steps_and_a_role(symptom_id):
    at = open_app(TROUBLESHOOTER)
    at.multiselect(key=troubleshooter.KEY_SYMPTOMS).select(symptom_id).run()
    assert_clean(at)
    blocks = cause_blocks(at)
    expected_causes = ts.rank_causes([symptom_id])
    assert [title for title, _, _ in blocks] == [f"{n}. {c.title}" for n, c in enumerate(expected_causes, 1)]
    for (_, texts, _), cause in zip(blocks, expected_causes, strict=True):
        steps = next(t for t in texts if t.startswith("**How to fix it:**"))
        assert "\n1. " in steps and cause.steps[0] in steps
        who = next(t for t in texts if t.startswith("**Who:**"))
        assert cause.who in who and ROLES[cause.roles[0]].where in who


def test_the_post_picker_names_creator_and_campaign_in_plain_words(demo_page):
    """It once offered '@glowwithnia · video 7301000000000000001 (sheet row 2)': a 19-digit id, no campaign."""
    picker = demo_page(TROUBLESHOOTER).selectbox(key=troubleshooter.KEY_ROW)
    assert picker.options[:3] == [
        "@glowwithnia · Summer Glow · post 1 of 4 (sheet row 2)",
        "@runwithraf · Run Club (sheet row 3)",
        "@kai.cooks · Holiday Drop (sheet row 4)",
    ]
    assert not [option for option in picker.options if re.search(r"\d{6}", option)]
    diagnosed = expected()
    for option, (_, row) in zip(picker.options, diagnosed.sort_values("row").iterrows(), strict=True):
        assert option.endswith(f"(sheet row {row['row']})")
        if isinstance(row["campaign"], str):
            assert f" · {row['campaign']}" in option


def test_picking_a_row_confirms_and_rules_out_causes():
    diagnosed = expected()
    row = diagnosed.loc[diagnosed["health"] == "expired"].iloc[0]
    at = open_app(TROUBLESHOOTER)
    at.multiselect(key=troubleshooter.KEY_SYMPTOMS).select("preview_gone").run()
    at.selectbox(key=troubleshooter.KEY_ROW).select(int(row["row"])).run()
    assert_clean(at)
    blocks = cause_blocks(at)
    assert blocks[0][0] == "1. Code expired"
    assert troubleshooter.VERDICT_BADGES["confirmed"] in blocks[0][1]
    ago = -int(row["days_left"])
    assert blocks[0][2] == [f"This code expired {ago} days ago, on {day(row['expires'].date())}."]
    public = next(b for b in blocks if b[0].endswith("Post is not public"))
    assert troubleshooter.VERDICT_BADGES["ruled_out"] in public[1]
    assert public[2] == ["The post is public: not this."]
    assert blocks[-1] is public  # ruled out goes last

    (message,) = at.code
    assert message.value.startswith(f"Hi {row['creator']}!")
    assert row["post"] in message.value and "days." in message.value


def test_without_a_row_the_message_is_a_template_for_the_top_creator_cause():
    at = open_app(TROUBLESHOOTER)
    at.multiselect(key=troubleshooter.KEY_SYMPTOMS).select("wont_attach").select("wrong_video").run()
    (message,) = at.code
    assert message.value.startswith("Hi there!")
    assert "each post needs its own" in message.value  # duplicate_code: the only creator-facing cause
    assert any("Same code on different posts" in c.value for c in at.caption)


def test_only_org_admin_causes_get_no_message():
    at = open_app(TROUBLESHOOTER)
    at.multiselect(key=troubleshooter.KEY_SYMPTOMS).select("wrong_identity").run()
    assert not at.code
    assert len(cause_blocks(at)) == 1


@pytest.mark.parametrize("handle", HOSTILE)
def test_html_in_a_creator_cell_shows_literally(monkeypatch, handle):
    monkeypatch.setattr("lib.demo.demo_table", hostile_table)
    at = open_app(TROUBLESHOOTER)
    picker = at.selectbox(key=troubleshooter.KEY_ROW)
    assert any(option.startswith(f"@{handle} · ") for option in picker.options)
    at.multiselect(key=troubleshooter.KEY_SYMPTOMS).select("preview_gone").run()
    row = next(n for n, label in ts.row_choices(expected()).items() if label.startswith(f"@{handle}"))
    at.selectbox(key=troubleshooter.KEY_ROW).select(row).run()
    assert_clean(at)
    (message,) = at.code
    assert message.value.startswith(f"Hi @{handle}!")
    assert_shown_literally(at, [message.value, *at.selectbox(key=troubleshooter.KEY_ROW).options])
