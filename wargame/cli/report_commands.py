"""`wargame report ID --format html|pdf -o FILE [--pseudonymise]`: the after-action report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from wargame.cli.output import add_pseudonymise_option
from wargame.cli.stores import naming_the_session, open_store


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    report = commands.add_parser(
        "report",
        help="a session's after-action report (HTML in one file, or PDF)",
        description="Write a stored session's after-action report: scenario, teams, timeline, escalation "
        "chart, decisions and rationales, adjudications, outcome with its source and debrief questions.",
        parents=[common],
    )
    report.add_argument("session_id", metavar="ID", help="a session id or a unique prefix of one")
    report.add_argument(
        "--format", choices=("html", "pdf"), help="default: from the suffix of FILE (html when in doubt)"
    )
    report.add_argument(
        "-o", "--output", metavar="FILE", help="where to write (HTML: standard output if omitted)"
    )
    add_pseudonymise_option(report)
    report.set_defaults(handler=write_report)


def write_report(args: argparse.Namespace) -> int:
    from wargame.report import load_replay, report_html, write_report_html

    fmt = args.format or ("pdf" if args.output and Path(args.output).suffix.lower() == ".pdf" else "html")
    if fmt == "pdf" and not args.output:
        print("wargame report: error: a PDF needs -o FILE", file=sys.stderr)
        return 2
    store = open_store(args)
    try:
        session_id = store.resolve_id(args.session_id)
        with naming_the_session(session_id):
            replay = load_replay(store, session_id, pseudonymise=args.pseudonymise)
    finally:
        store.close()
    if replay.integrity:
        print(
            f"wargame: warning: the session's stored log does not verify: {replay.integrity}", file=sys.stderr
        )
    with naming_the_session(session_id):  # (the report replays the events as it is written)
        if not args.output:
            sys.stdout.write(report_html(replay))
            return 0
        if fmt == "html":
            write_report_html(replay, args.output)
            pages = 1
        else:
            from wargame.ui.report_pdf import write_report_pdf  # Qt is loaded only for a PDF

            pages = write_report_pdf(replay, args.output)
    what = f"{pages} page(s)" if fmt == "pdf" else "one HTML file"
    print(f"wrote the report of session {replay.info.id[:12]} to {args.output} ({what})", file=sys.stderr)
    return 0
