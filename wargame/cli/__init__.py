"""The `wargame` command line: thin sub-commands over the deck loader, engine, store and controller.

Exit codes: 0 success, 1 any failure (a one-line message, or `FILE:LINE:COLUMN: message` lines
for decks and move scripts; never a traceback), 2 usage errors.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from wargame import __version__
from wargame.cli import deck_commands, demo_commands, play_commands, report_commands, session_commands
from wargame.cli.output import fail
from wargame.deck import DeckError
from wargame.errors import WargameError


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="database URL (SQLAlchemy form, e.g. sqlite:////path/file.sqlite3 or "
        "postgresql+psycopg://user@host/db); default: $WARGAME_DB or a SQLite file in your data folder",
    )
    parser = argparse.ArgumentParser(
        prog="wargame",
        description="Run classroom tabletop wargames. Without a sub-command, starts the desktop app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"wargame {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    deck_commands.register(commands, common)
    play_commands.register(commands, common)
    session_commands.register(commands, common)
    report_commands.register(commands, common)
    demo_commands.register(commands, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        handler = getattr(args, "handler", None)
        if handler is None:
            return _start_app(getattr(args, "db", None))
        return int(handler(args))
    except DeckError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    except WargameError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("interrupted")
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except Exception as exc:  # a bug: say so in one line, keep the traceback for debugging only
        if os.environ.get("WARGAME_DEBUG"):
            raise
        return fail(f"internal error: {type(exc).__name__}: {exc} (set WARGAME_DEBUG=1 to see details)")


def _start_app(db_url: str | None) -> int:
    from wargame.ui.app import run_app  # Qt is imported only when the desktop app starts

    return run_app(db_url)
