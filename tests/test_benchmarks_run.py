"""`python -m benchmarks --check-only` runs every figure once on small data and prints its table.

No timing is asserted here: budgets are for `python -m benchmarks`, on a quiet machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_benchmarks_check_only_prints_the_table(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path))
    results = REPO / "benchmarks" / "results.md"
    before = results.read_text(encoding="utf-8") if results.exists() else None
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--check-only"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "| figure | measured | baseline | ratio | budget | result |" in done.stdout
    for figure in ("first painted main window", "storing one decision", "folding it", "one UI step",
                   "simulate", "session browser", "PDF report", "memory"):  # fmt: skip
        assert figure in done.stdout
    assert "could not be measured" not in done.stdout, done.stderr[-2000:]
    assert (results.read_text(encoding="utf-8") if results.exists() else None) == before  # writes nothing
