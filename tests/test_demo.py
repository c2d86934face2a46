import datetime as dt

from lib.demo import demo_table, demo_tiktok_read
from lib.diagnose import diagnose, health_counts, issue_counts
from lib.normalize import normalize
from lib.reconcile import reconcile
from lib.rules import TIKTOK_ONLY


def judged(today: dt.date):
    norm = normalize(demo_table(today))
    return norm, diagnose(norm.frame, today)


def test_demo_has_every_state_and_issue_on_any_date():
    for today in (dt.date(2026, 11, 22), dt.date(2027, 2, 28), dt.date(2030, 7, 1)):
        norm, rows = judged(today)
        assert 40 <= len(rows) <= 80
        assert all(health_counts(rows).values()), health_counts(rows)
        # The sheet alone shows every issue a sheet can show, and none only TikTok can.
        counts = issue_counts(rows)
        assert all(n for i, n in counts.items() if i not in TIKTOK_ONLY), counts
        assert not any(counts[i] for i in TIKTOK_ONLY), counts
        # With the demo's TikTok answer: every state and every issue.
        checked = diagnose(reconcile(norm.frame, demo_tiktok_read(today), dt.UTC).frame, today)
        assert all(health_counts(checked).values()), health_counts(checked)
        assert all(issue_counts(checked).values()), issue_counts(checked)


def test_demo_is_a_realistic_team_sheet():
    norm, rows = judged(dt.date(2026, 11, 22))
    assert rows["campaign"].nunique() >= 3
    assert rows["brand"].nunique() >= 2
    assert rows["owner"].nunique() >= 3
    # A couple of cells a person has to fix, reported with their sheet rows.
    assert len(norm.problems) >= 2
    assert set(norm.problems["column"]) >= {"TikTok handle", "Authorized on"}


def test_demo_is_deterministic_and_relative_to_the_day():
    a = demo_table(dt.date(2026, 11, 22))
    assert a == demo_table(dt.date(2026, 11, 22))
    _, first = judged(dt.date(2026, 11, 22))
    _, later = judged(dt.date(2027, 5, 1))
    assert first["days_left"].tolist() == later["days_left"].tolist()


def test_the_demo_tiktok_answer_is_deterministic_and_holds_posts_the_sheet_lacks():
    a, b = demo_tiktok_read(dt.date(2026, 11, 22)), demo_tiktok_read(dt.date(2026, 11, 22))
    assert a.posts.equals(b.posts)
    norm, _ = judged(dt.date(2026, 11, 22))
    only = reconcile(norm.frame, a, dt.UTC).ads_manager_only
    assert len(only) == 2 and only["code"].str.contains("••••", regex=False).all()
