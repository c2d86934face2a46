"""The issue rules: one typed rule per issue, and nothing else spelling issue or health ids."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from lib.rules import BLOCKING, BY_PRIORITY, RULES, TIKTOK_ONLY, IssueId, check_registry
from lib.vocab import HealthId

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = sorted(
    {
        *ROOT.glob("lib/**/*.py"),
        *ROOT.glob("ui/*.py"),
        *ROOT.glob("pages/*.py"),
        ROOT / "streamlit_app.py",
        *ROOT.glob("bench/*.py"),
    }
)
IDS = {i.value for i in IssueId} | {h.value for h in HealthId}

WORD_TABLES = {"lib/vocab.py": "_VALUES", "lib/headers.py": "_words"}
"""Where the same letters are words a team types in its sheet, not ids: vocab's value tables
(dict keys) and the header words (arguments of `_words`)."""


def _allowed(tree: ast.Module, path: str) -> set[int]:
    """Ids of the string nodes that may spell an id: enum definitions and the sheet-word tables."""
    allowed: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") == "StrEnum" for b in node.bases):
            allowed |= {id(n) for n in ast.walk(node)}
        if isinstance(node, ast.AnnAssign | ast.Assign) and WORD_TABLES.get(path) == "_VALUES":
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(getattr(t, "id", "").endswith("_VALUES") for t in targets) and isinstance(node.value, ast.Dict):
                allowed |= {id(k) for k in node.value.keys if k is not None}
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "_words" and path in WORD_TABLES:
            allowed |= {id(a) for a in node.args}
    return allowed


def _id_literals(path: Path, root: Path = ROOT) -> list[str]:
    rel = path.relative_to(root).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    allowed = _allowed(tree, rel)
    return [
        f"{rel}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in IDS and id(node) not in allowed
    ]


def test_no_issue_or_health_id_is_spelled_outside_its_definition():
    """A typo in a bare string ('code_expird' in issues) would mean 'never', silently; a typo in
    `IssueId.CODE_EXPIRD` fails at import."""
    found = [hit for path in PRODUCT for hit in _id_literals(path)]
    assert found == []


def test_the_literal_scan_finds_a_bare_id(tmp_path):
    """The scan above must be able to fail: a module spelling an id is caught."""
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "bad.py").write_text('WANTED = ("code_expired", "ok")\n', encoding="utf-8")
    assert _id_literals(tmp_path / "lib" / "bad.py", tmp_path) == ["lib/bad.py:1: 'code_expired'", "lib/bad.py:1: 'ok'"]


def test_every_issue_id_has_one_rule_and_the_registry_holds():
    assert list(RULES) == list(IssueId)
    check_registry()


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda rules: rules[1:], "every IssueId needs exactly one rule"),
        (lambda rules: (*rules, rules[0]), "every IssueId needs exactly one rule"),
        (
            lambda rules: (dataclasses.replace(rules[0], priority=rules[1].priority), *rules[1:]),
            "share a priority",
        ),
        (lambda rules: (dataclasses.replace(rules[0], ask=None), *rules[1:]), "needs an ask"),
    ],
)
def test_a_broken_registry_is_refused_with_a_real_exception(change, complaint):
    """Not an `assert`: `python -O` would strip it and the product would run on a broken table."""
    with pytest.raises(RuntimeError, match=complaint):
        check_registry(change(tuple(RULES.values())))


def test_what_stops_the_ad_today_comes_before_what_stops_it_later():
    later = [RULES[i].priority for i in (IssueId.EXPIRING_SOON, IssueId.EXPIRES_BEFORE_CAMPAIGN_END)]
    stopped = (IssueId.CODE_REVOKED, IssueId.CODE_EXPIRED, IssueId.MISSING_CODE)
    now = [RULES[i].priority for i in (*BLOCKING, *stopped)]
    assert max(now) < min(later)
    assert BY_PRIORITY[0] == IssueId.CODE_REVOKED


def test_tiktok_only_issues_never_flag_on_a_sheet_read_alone(demo_diagnosed):
    """Their flags read TikTok's columns, absent from a sheet read alone: no guess is ever flagged."""
    assert TIKTOK_ONLY == (IssueId.POST_DELETED, IssueId.NOT_IN_ADS_MANAGER, IssueId.SHEET_END_DIFFERS)
    flagged = demo_diagnosed["issues"].map(lambda ids: bool(set(ids) & set(TIKTOK_ONLY)))
    assert not flagged.any()


def test_a_deleted_post_stops_the_ad_and_an_unapplied_code_is_the_advertisers():
    assert IssueId.POST_DELETED in BLOCKING
    assert RULES[IssueId.NOT_IN_ADS_MANAGER].roles == ("advertiser",)
    assert RULES[IssueId.SHEET_END_DIFFERS].ask is None
