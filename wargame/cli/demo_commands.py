"""`wargame demo`: a scripted session through the real windows, offscreen, saved as screenshots."""

from __future__ import annotations

import argparse
import functools
from pathlib import Path
from typing import Any

from wargame.cli.arguments import usage_error, whole_number
from wargame.cli.output import fail


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    demo = commands.add_parser(
        "demo",
        help="play a scripted session through the real windows offscreen and save screenshots",
        parents=[common],
    )
    demo.add_argument("--deck", default=None, metavar="PATH|ID")  # default: DEFAULT_DECK_ID
    demo.add_argument("--out", required=True, metavar="DIR", type=Path, help="folder for the PNG screenshots")
    demo.add_argument(
        "--turns",
        type=whole_number(1),
        default=None,
        metavar="N",
        help="play only N turns, from 1 to the deck's number of turns (default: all of them)",
    )
    demo.set_defaults(handler=functools.partial(demo_session, demo))


def demo_session(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from wargame.deck import DEFAULT_DECK_ID, resolve_deck

    loaded = resolve_deck(args.deck or DEFAULT_DECK_ID)
    count = loaded.deck.turns.count
    if args.turns is not None and args.turns > count:
        return usage_error(parser, f"argument --turns: the deck has {count} turns, not {args.turns}")

    if args.out.exists() and not args.out.is_dir():
        return fail(f"{args.out} is a file, not a folder: give --out a folder for the screenshots")

    from wargame.ui.demo import run_demo  # Qt only when the demo runs

    saved = run_demo(loaded, args.out, getattr(args, "db", None), args.turns)
    for path in saved:
        print(path)
    print(f"saved {len(saved)} screenshots in {args.out}")
    return 0
