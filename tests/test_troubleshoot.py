"""The symptom picker's logic: ranking causes, and checking them against one real diagnosed row."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from lib import troubleshoot as ts
from lib.demo import demo_table
from lib.diagnose import diagnose
from lib.normalize import normalize
from lib.rules import RULES
from lib.symptoms import SYMPTOMS
from lib.vocab import ROLES
from tests.fakes.tracking_sheet import TODAY


def code(n: int) -> str:
    return f"#Code{n:02d}" + ("Xy9+/Zq8" * 8)[:57] + "="


HEADER = [
    "Creator",
    "Post URL",
    "Spark code",
    "Access",
    "Expires",
    "Campaign end",
    "Visibility",
    "Identity",
    "Creator region",
    "Ad account region",
    "Ad delivery",
]
ROWS = {
    # creator: the row's cells after the creator
    "expired": [
        "https://x.test/video/1",
        code(1),
        "code",
        "2026-11-19",
        "2027-01-01",
        "public",
        "creator",
        "US",
        "US",
        "",
    ],
    "fine": [
        "https://x.test/video/2",
        code(2),
        "code",
        "2027-03-01",
        "2027-01-01",
        "public",
        "creator",
        "US",
        "US",
        "",
    ],
    "private": ["https://x.test/video/3", code(3), "code", "2027-03-01", "", "private", "", "GB", "US", ""],
    "bc": ["https://x.test/video/4", "", "business center", "", "", "", "", "", "", "no"],
    "bcok": ["https://x.test/video/5", "", "business center", "", "", "", "", "", "", "yes"],
    "unknown": ["https://x.test/video/6", code(6), "code", "", "", "", "", "", "", ""],
    "pending": ["https://x.test/video/7", "", "code", "", "2026-12-10", "", "", "", "", ""],
    "soon": ["https://x.test/video/8", code(8), "code", "2026-11-25", "2026-12-01", "public", "", "", "", ""],
}


@pytest.fixture(scope="module")
def _diagnosed_rows() -> pd.DataFrame:
    """The rows above diagnosed once for the module (the tests only read them)."""
    table = [HEADER] + [[name, *cells] for name, cells in ROWS.items()]
    return diagnose(normalize(table).frame, TODAY)


@pytest.fixture
def rows(_diagnosed_rows) -> dict[str, pd.Series]:
    frame = _diagnosed_rows
    return {name: frame.loc[frame["creator"] == f"@{name}"].iloc[0].copy() for name in ROWS}


def verdicts(row: pd.Series) -> dict[str, ts.Verdict]:
    return {issue_id: ts.check_cause(ts.issue_cause(issue_id), row) for issue_id in RULES}


@pytest.mark.parametrize("symptom_id", list(SYMPTOMS))
def test_every_symptom_gives_causes_with_steps_a_role_and_a_place(symptom_id):
    causes = ts.rank_causes([symptom_id])
    assert causes
    for cause in causes:
        assert cause.steps and all(step.strip() for step in cause.steps)
        assert cause.who and cause.roles and set(cause.roles) <= set(ROLES)
        assert cause.where and all(cause.where)
        assert cause.why
        assert cause.explains == (symptom_id,)
    expected = list(SYMPTOMS[symptom_id].causes) or [f"advice:{symptom_id}"]
    assert [c.key for c in causes] == expected


def test_a_cause_explaining_more_picked_symptoms_ranks_first():
    causes = ts.rank_causes(["preview_missing", "code_rejected"])
    # code_expired is only 4th for the preview, but it explains both symptoms.
    assert causes[0].key == "code_expired"
    assert causes[0].explains == ("preview_missing", "code_rejected")
    assert [c.key for c in causes[1:]] == [
        "missing_code",  # first for the preview
        "bc_not_shared",  # second for the preview ...
        "invalid_code_format",  # ... tied with the second for the code, picked later
        "custom_identity",
        "code_revoked",
    ]


def test_ties_keep_the_symptoms_order_and_advice_comes_last():
    causes = ts.rank_causes(["caption_change", "preview_gone", "ad_stopped", "preview_gone"])
    assert [c.key for c in causes] == [
        "code_expired",
        "code_revoked",
        "post_not_public",
        "expires_before_campaign_end",
        "advice:caption_change",
    ]
    assert [len(c.explains) for c in causes] == [2, 2, 2, 1, 1]
    advice = causes[-1]
    assert advice.issue_id is None
    assert advice.title == SYMPTOMS["caption_change"].label
    assert advice.steps == SYMPTOMS["caption_change"].advice[1:]


def test_no_symptom_no_cause():
    assert ts.rank_causes([]) == []


def test_an_expired_code_is_confirmed_with_how_long_ago(rows):
    v = verdicts(rows["expired"])
    assert v["code_expired"] == ts.Verdict("confirmed", "This code expired 3 days ago, on 19 Nov 2026.")
    assert v["expires_before_campaign_end"].state == "confirmed"
    assert "43 days before the campaign ends on 1 Jan 2027" in v["expires_before_campaign_end"].reason
    assert v["post_not_public"] == ts.Verdict("ruled_out", "The post is public: not this.")
    assert v["custom_identity"].state == "ruled_out"
    assert v["region_mismatch"].reason == "Both are in the same region (US): not this."
    assert v["bc_not_shared"].state == "ruled_out"
    assert v["missing_code"].state == "ruled_out"
    assert code(1) not in v["missing_code"].reason and "••••" in v["missing_code"].reason
    assert v["code_revoked"].state == "possible"  # a sheet can't know about a silent revoke


def test_a_healthy_row_confirms_nothing(rows):
    v = verdicts(rows["fine"])
    assert not [i for i, verdict in v.items() if verdict.state == "confirmed"]
    assert v["code_expired"].reason == "The code is valid until 1 Mar 2027 (99 days left): not this."
    assert v["expires_before_campaign_end"].state == "ruled_out"


def test_private_post_and_region_mismatch_are_confirmed(rows):
    v = verdicts(rows["private"])
    assert v["post_not_public"] == ts.Verdict("confirmed", "The sheet says the post is private.")
    assert v["region_mismatch"].reason == "The creator's region (GB) differs from the ad account's (US)."
    assert v["custom_identity"].state == "possible"  # identity not in the sheet
    assert v["expires_before_campaign_end"].state == "possible"  # no campaign end


def test_business_center_rows_rule_out_code_causes(rows):
    bc, bcok = verdicts(rows["bc"]), verdicts(rows["bcok"])
    assert bc["bc_not_shared"].state == "confirmed"
    assert bcok["bc_not_shared"].reason == "The account is linked with Ad Delivery permission: not this."
    for issue_id in ("code_expired", "code_revoked", "missing_code", "invalid_code_format", "expiring_soon"):
        assert bc[issue_id].state == "ruled_out", issue_id


def test_unknown_facts_give_possible_not_a_guess(rows):
    v = verdicts(rows["unknown"])
    for issue_id in ("code_expired", "post_not_public", "custom_identity", "region_mismatch"):
        assert v[issue_id].state == "possible", issue_id


def test_no_code_yet_points_at_missing_code(rows):
    v = verdicts(rows["pending"])
    assert v["missing_code"].state == "confirmed"
    assert v["code_expired"].state == "ruled_out"
    assert "No code received" in v["code_expired"].reason


def test_expiring_soon_says_when(rows):
    v = verdicts(rows["soon"])
    assert v["expiring_soon"] == ts.Verdict("confirmed", "This code ends in 3 days, on 25 Nov 2026.")


def test_every_issue_is_confirmed_on_a_demo_row_that_has_it(demo_with_tiktok):
    """The demo with its TikTok answer: TikTok-only issues show there, and the picker says TikTok confirms."""
    frame = demo_with_tiktok
    for issue_id in RULES:
        row = frame.loc[frame["issues"].map(lambda ids, i=issue_id: i in ids)].iloc[0]
        verdict = ts.check_cause(ts.issue_cause(issue_id), row)
        assert verdict.state == "confirmed", (issue_id, verdict)
        assert verdict.reason.endswith(".")


def test_checking_puts_confirmed_first_and_ruled_out_last(rows):
    judged = ts.check_causes(ts.rank_causes(["ad_stopped"]), rows["expired"])
    assert [(c.key, v.state) for c, v in judged] == [
        ("code_expired", "confirmed"),
        ("expires_before_campaign_end", "confirmed"),
        ("code_revoked", "possible"),
        ("post_not_public", "ruled_out"),
    ]


def test_advice_causes_cannot_be_checked_in_the_sheet(rows):
    (cause,) = ts.rank_causes(["format_not_supported"])
    assert ts.check_cause(cause, rows["fine"]).state == "possible"


def test_top_creator_cause_skips_causes_the_sheet_rules_out(rows):
    judged = ts.check_causes(ts.rank_causes(["preview_gone"]), rows["private"])
    assert ts.top_creator_cause(judged).key == "post_not_public"
    assert ts.top_creator_cause([(ts.issue_cause("custom_identity"), None)]) is None
    plain = [(c, None) for c in ts.rank_causes(["wont_attach", "wrong_video"])]
    assert ts.top_creator_cause(plain).key == "duplicate_code"


def test_message_for_a_row_names_creator_post_and_a_duration_covering_the_campaign(rows, today):
    text = ts.cause_message(ts.issue_cause("code_expired"), today, rows["expired"])
    assert text.startswith("Hi @expired!")
    assert "https://x.test/video/1" in text
    # Campaign ends 1 Jan 2027: 40 days + 14 days margin -> 60 days.
    assert "60 days" in text
    soon = ts.cause_message(ts.issue_cause("expiring_soon"), today, rows["soon"])
    # Campaign ends 1 Dec 2026: 9 + 14 = 23 days -> 30 days.
    assert "30 days" in soon and "ends in 3 days" in soon


def test_message_without_a_row_is_a_template(today):
    text = ts.cause_message(ts.issue_cause("missing_code"), today)
    assert text.startswith("Hi there!")
    assert "the post we agreed on" in text and "60 days" in text


def test_only_creator_facing_causes_get_a_message(today):
    for issue_id in RULES:
        message = ts.cause_message(ts.issue_cause(issue_id), today)
        assert (message is not None) == RULES[issue_id].needs_creator, issue_id


def test_row_choices_label_each_row_plainly(today):
    table = [
        ["Creator", "Post URL"],
        ["b", "https://x.test/p/9"],
        ["", "https://x.test/video/12"],
        ["a", ""],
        ["b", "https://x.test/p/10"],
    ]
    choices = ts.row_choices(diagnose(normalize(table).frame, today))
    assert choices == {
        2: "@b · post 1 of 2 (sheet row 2)",
        3: "(no creator) (sheet row 3)",
        4: "@a · no post link (sheet row 4)",
        5: "@b · post 2 of 2 (sheet row 5)",
    }


def test_row_choices_name_creator_and_campaign_and_never_a_video_id(today):
    """The picker once read '@glowwithnia · video 7301000000000000001 (sheet row 2)', with no campaign."""
    frame = diagnose(normalize(demo_table(today)).frame, today)
    choices = ts.row_choices(frame)
    assert choices[2] == "@glowwithnia · Summer Glow · post 1 of 4 (sheet row 2)"
    assert choices[3] == "@runwithraf · Run Club (sheet row 3)"
    assert choices[13] == "@coach.leo · Run Club · post 1 of 2 (sheet row 13)"
    assert choices[14] == "@coach.leo · Run Club · post 2 of 2 (sheet row 14)"
    assert not [label for label in choices.values() if re.search(r"\d{6}", label)]
    assert len(set(choices.values())) == len(choices)


def test_a_row_with_no_campaign_says_so_when_others_have_one(today):
    table = [["Creator", "Post URL", "Campaign"], ["b", "https://x.test/p/9", ""], ["b", "https://x.test/p/10", "Run"]]
    assert ts.row_choices(diagnose(normalize(table).frame, today)) == {
        2: "@b · no campaign (sheet row 2)",
        3: "@b · Run (sheet row 3)",
    }


def test_role_checklist_names_every_role_and_what_it_fixes_here():
    checklist = ts.role_checklist(ts.rank_causes(["wont_attach"]))
    assert [label for label, *_ in checklist] == [r.label for r in ROLES.values()]
    fixes = {label: fixes for label, _, _, fixes in checklist}
    assert fixes["Advertiser"] == ("Regions don't match",)
    assert fixes["Org admin"] == ("Not shared in Business Center",)
    assert fixes["Creator"] == ()
