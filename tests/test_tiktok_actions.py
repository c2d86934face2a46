"""lib.tiktok.actions and lib.actionlog: plans, pre-checks, unbinding, the log — against the fake API."""

from __future__ import annotations

import datetime as dt

from lib.actionlog import read_actions
from lib.codes import mask_code
from lib.diagnose import diagnose
from lib.normalize import normalize
from lib.reconcile import reconcile
from lib.tiktok.actions import APPLIED, NOT_TRIED, REFUSED, UNBOUND, apply_codes, apply_plan, unbind_plan, unbind_posts
from lib.tiktok.api import TikTokApi
from lib.tiktok.read import read_tiktok
from lib.tiktok.settings import TikTokConfig
from tests.fakes.fake_tiktok import ADVERTISER, TOKEN, FakeTikTok, item
from tests.fakes.tracking_sheet import TODAY, code, tracking_sheet

VIDEO = 7300000000000000000
END = dt.datetime(2027, 3, 1, 12, tzinfo=dt.UTC)
PAST = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)


def diagnosed_with(fake: FakeTikTok, *rows: dict[str, str]):
    frame = normalize(tracking_sheet(*rows)).frame
    read = read_tiktok(
        TikTokConfig(TOKEN, (ADVERTISER,), fake.base), frame["code"].tolist(), api=TikTokApi(TOKEN, fake.base)
    )
    return diagnose(reconcile(frame, read, dt.UTC).frame, TODAY)


def test_the_apply_plan_pre_checks_each_code():
    posts = {ADVERTISER: [item(code(0), str(VIDEO), end=END)]}
    with FakeTikTok(posts=posts) as fake:
        rows = diagnosed_with(
            fake,
            {"Status": "pending"},  # already held by TikTok
            {"Status": "pending"},  # ready
            {"Status": "pending", "Code": "#Xk29fQ 7pL"},  # damaged
            {"Status": "pending", "Expires": "2026-11-01"},  # ended
            {
                "Status": "pending",
                "Code": code(1),
                "Post URL": f"https://www.tiktok.com/@amy/video/{VIDEO + 1}",
            },  # the same code for the same post, twice
        )
    plan = apply_plan(rows).set_index("row")
    assert bool(plan.loc[3, "ready"]) and plan["ready"].sum() == 1
    assert plan.loc[2, "reason"].startswith("Already in an ad account")
    assert "shape" in plan.loc[4, "reason"] and "ended" in plan.loc[5, "reason"]
    assert "applied once" in plan.loc[6, "reason"]
    assert plan.loc[3, "shown"] == mask_code(code(1))


def test_unbind_removes_ended_and_deleted_posts_and_logs_each(tmp_path):
    posts = {
        ADVERTISER: [
            item(code(0), str(VIDEO), end=PAST, status="EXPIRED"),
            item(code(1), str(VIDEO + 1), end=END, post_status="AUDIT_DELETE"),
            item(code(2), str(VIDEO + 2), end=END),
        ]
    }
    log = tmp_path / "log.jsonl"
    with FakeTikTok(posts=posts, unbind_errors={str(VIDEO + 1): (40002, "item not bound")}) as fake:
        rows = diagnosed_with(fake, {}, {}, {})
        plan = unbind_plan(rows)
        assert plan["item_id"].tolist() == [str(VIDEO), str(VIDEO + 1)]
        run = unbind_posts(TikTokApi(TOKEN, fake.base), plan, who="sam", log=log)
        assert fake.unbound == [(ADVERTISER, str(VIDEO))]
    assert [r.outcome for r in run.results] == [UNBOUND, REFUSED]
    assert [(e.action, e.outcome, e.post) for e in read_actions(log)] == [
        ("unbind", UNBOUND, "https://www.tiktok.com/@amy/video/7300000000000000000"),
        ("unbind", REFUSED, "https://www.tiktok.com/@amy/video/7300000000000000001"),
    ]
    assert code(0) not in log.read_text(encoding="utf-8")


def test_a_run_stops_at_a_failure_that_is_not_about_one_code(tmp_path):
    with FakeTikTok(posts={ADVERTISER: []}) as fake:
        rows = diagnosed_with(fake, {"Status": "pending"}, {"Status": "pending"})
        fake.always.add("server_error")
        run = apply_codes(TikTokApi(TOKEN, fake.base), ADVERTISER, apply_plan(rows), who="sam", log=tmp_path / "l")
    assert [r.outcome for r in run.results] == [NOT_TRIED, NOT_TRIED]
    assert run.stopped and "problem on its side" in run.stopped
    assert list(read_actions(tmp_path / "l")) == []
    assert APPLIED not in {r.outcome for r in run.results}
