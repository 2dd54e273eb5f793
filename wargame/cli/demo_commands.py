"""`wargame demo`: a scripted session through the real windows, offscreen, saved as screenshots."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    demo = commands.add_parser(
        "demo",
        help="play a scripted session through the real windows offscreen and save screenshots",
        parents=[common],
    )
    demo.add_argument("--deck", default=None, metavar="PATH|ID")  # default: DEFAULT_DECK_ID
    demo.add_argument("--out", required=True, metavar="DIR", type=Path, help="folder for the PNG screenshots")
    demo.add_argument(
        "--turns", type=int, default=None, metavar="N", help="play only N turns (default: the deck's)"
    )
    demo.set_defaults(handler=demo_session)


def demo_session(args: argparse.Namespace) -> int:
    from wargame.deck import DEFAULT_DECK_ID
    from wargame.ui.demo import run_demo  # Qt only when the demo runs

    saved = run_demo(args.deck or DEFAULT_DECK_ID, args.out, getattr(args, "db", None), args.turns)
    for path in saved:
        print(path)
    print(f"saved {len(saved)} screenshots in {args.out}")
    return 0
