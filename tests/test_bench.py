"""Smoke test: the benchmark runs end to end at 1,000 rows and writes its table.

Speed itself is never asserted here; `python bench/run.py` owns the budgets.
"""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from bench.synthetic import synthetic_table
from lib.diagnose import diagnose
from lib.normalize import normalize

ROOT = Path(__file__).resolve().parents[1]


def test_synthetic_sheet_is_deterministic_and_messy():
    today = dt.date(2026, 11, 22)
    a = synthetic_table(2_000, today)
    assert a == synthetic_table(2_000, today)
    norm = normalize(a)
    assert 0 < len(norm.problems) < 100
    health = diagnose(norm.frame, today)["health"].value_counts()
    assert (health > 0).sum() >= 5


def test_benchmark_smoke_at_1000_rows(tmp_path):
    out = tmp_path / "RESULTS.md"
    run = subprocess.run(
        [sys.executable, "bench/run.py", "--sizes", "1000", "--quick", "--out", str(out), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode in (0, 1), run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    measures = result["sizes"]["1000"]
    assert measures["normalize_diagnose_s"] > 0 and measures["figures_json_mb"] > 0
    assert "| normalise + diagnose (s, median) |" in out.read_text()


def test_a_core_run_keeps_the_browser_runs_already_recorded(tmp_path):
    """`bench/run.py` rewrites its own table; the browser runs appended below it are a history, kept."""
    from bench.run import write_results

    out = tmp_path / "RESULTS.md"
    browser_run = "## Browser, run 2026-12-04 21:26 on x86_64\n\n| measure | value | goal |\n|---|---:|---:|\n"
    out.write_text("# Benchmark results\n\nRun 2026-12-01 old core table.\n\n" + browser_run)
    write_results(out, {1000: {"normalize_diagnose_s": 0.1}}, {}, [])
    text = out.read_text()
    assert "old core table" not in text
    assert "| normalise + diagnose (s, median) | 0.100 |" in text
    assert text.endswith(browser_run)
