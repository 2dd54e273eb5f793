"""The `wargame` command line: thin sub-commands over the deck loader, engine, store and controller.

Exit codes: 0 success, 1 any failure (a one-line message, or `FILE:LINE:COLUMN: message` lines
for decks and move scripts; never a traceback), 2 usage errors.

Importing this package is cheap: the sub-command modules import the deck loader, engine, store and
controller inside their commands, and the plain desktop start (no arguments, or only `--db URL`)
skips building the sub-command parsers, so the window paints before any of them is loaded.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from wargame import __version__
from wargame.cli.output import fail
from wargame.errors import WargameError

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

_DB_OPTION = "--db"


def build_parser() -> argparse.ArgumentParser:
    import argparse

    from wargame.cli import deck_commands, demo_commands, play_commands, report_commands, session_commands

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        _DB_OPTION,
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


def plain_start(argv: Sequence[str]) -> tuple[bool, str | None]:
    """`(True, URL or None)` when `argv` is the plain desktop start: nothing, or only `--db URL`.

    Parsed by hand so that the start builds no sub-command parser (some need the engine); it
    accepts only forms the full parser reads the same way, and anything else goes to that parser.
    """
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == _DB_OPTION and not argv[1].startswith("-"):
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith(_DB_OPTION + "="):
        return True, argv[0].removeprefix(_DB_OPTION + "=")
    return False, None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        is_plain, db_url = plain_start(arguments)
        if is_plain:
            return _start_app(db_url)
        parser = build_parser()
        try:
            args = parser.parse_args(arguments)
        except SystemExit as exc:
            return int(exc.code or 0)
        handler = getattr(args, "handler", None)
        if handler is None:
            return _start_app(getattr(args, "db", None))
        return int(handler(args))
    except WargameError as exc:
        from wargame.deck.loader import DeckError  # loaded already if a deck (or script) failed

        if not isinstance(exc, DeckError):
            return fail(str(exc))
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
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
