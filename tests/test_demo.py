import datetime as dt

from lib.demo import demo_table
from lib.diagnose import diagnose, health_counts, issue_counts
from lib.normalize import normalize


def judged(today: dt.date):
    norm = normalize(demo_table(today))
    return norm, diagnose(norm.frame, today)


def test_demo_has_every_state_and_issue_on_any_date():
    for today in (dt.date(2026, 11, 22), dt.date(2027, 2, 28), dt.date(2030, 7, 1)):
        norm, rows = judged(today)
        assert 40 <= len(rows) <= 80
        assert all(health_counts(rows).values()), health_counts(rows)
        assert all(issue_counts(rows).values()), issue_counts(rows)


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
