"""`python -m benchmarks [--quick] [--check-only] [--only NAME ...]`: measure, print, record.

Each figure is measured against a baseline run in the same process or the same run (or against an
absolute budget where there is none), repeated for a median. The table is printed and written to
`benchmarks/results.md` (between its markers; the notes around them are kept) with a description
of the machine. `--quick` runs in under a minute; `--check-only` runs every figure once on small
data to check that the benchmarks work, and writes nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from benchmarks import figures, generate
from benchmarks.figures import Row, Settings
from benchmarks.machine import describe_machine
from benchmarks.table import render_table, write_results

RESULTS = Path(__file__).resolve().parent / "results.md"
FIGURES = ("paint", "store", "open", "ui", "simulate", "browser", "reports", "memory")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats: a run under a minute")
    parser.add_argument(
        "--check-only", action="store_true", help="every figure once on small data; writes no results"
    )
    parser.add_argument("--only", nargs="+", choices=FIGURES, help="measure only these figures")
    parser.add_argument(
        "--out", type=Path, default=None, help=f"where to write the table (default {RESULTS})"
    )
    args = parser.parse_args(argv)
    wanted = set(args.only or FIGURES)
    with tempfile.TemporaryDirectory(prefix="wargame-bench-") as folder:
        work = Path(folder)
        # Qt settings and the app's data go to the temporary folder, never the user's.
        os.environ["XDG_CONFIG_HOME"] = str(work / "config")
        os.environ["WARGAME_DATA_DIR"] = str(work / "data")
        os.environ.pop("WARGAME_DB", None)
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        settings = Settings(quick=args.quick, check_only=args.check_only, work=work)
        rows = run(settings, wanted)
    mode = "check only" if args.check_only else "quick" if args.quick else "full"
    table = render_table(rows)
    print(table)
    failed = [row for row in rows if not row.ok]
    print(f"\n{len(rows) - len(failed)} of {len(rows)} figures within budget ({mode} run)")
    if not args.check_only:
        target = args.out or RESULTS
        write_results(target, describe_machine(), table, mode)
        print(f"wrote {target}")
    return 0


def run(settings: Settings, wanted: set[str]) -> list[Row]:
    events = 300 if settings.check_only else generate.BIG_EVENTS
    count = 30 if settings.check_only else 1_000
    rows: list[Row] = []
    big: generate.Built | None = None
    many: str | None = None

    def needs_big() -> generate.Built:
        nonlocal big
        if big is None:
            started = time.perf_counter()
            big = generate.big_session(settings.work, events=events)
            _say(f"generated a session of {big.events:,} events in {time.perf_counter() - started:.1f} s")
        return big

    def needs_many() -> str:
        nonlocal many
        if many is None:
            started = time.perf_counter()
            many = generate.many_sessions(settings.work, count=count)
            _say(f"generated {count:,} sessions in {time.perf_counter() - started:.1f} s")
        return many

    plan: list[tuple[str, Callable[[], list[Row]]]] = [
        ("paint", lambda: figures.first_paint(settings)),
        ("store", lambda: figures.store_decision(settings)),
        ("open", lambda: figures.open_big(settings, needs_big())),
        ("ui", lambda: figures.ui_steps(settings, needs_big())),
        ("simulate", lambda: figures.simulate_throughput(settings)),
        ("browser", lambda: figures.session_browser(settings, needs_many(), count)),
        ("reports", lambda: figures.reports(settings, needs_big())),
        ("memory", lambda: figures.memory(settings, needs_big())),
    ]
    for name, measure in plan:
        if name not in wanted:
            continue
        started = time.perf_counter()
        try:
            rows.extend(measure())
        except Exception as exc:  # one broken figure must not hide the others
            traceback.print_exc()
            rows.append(
                Row(
                    f"{name}: could not be measured", 0.0, None, "", "", False, f"{type(exc).__name__}: {exc}"
                )
            )
        _say(f"{name}: {time.perf_counter() - started:.1f} s")
    return rows


def _say(text: str) -> None:
    print(f"  … {text}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
