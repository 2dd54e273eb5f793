"""Argument helpers shared by the sub-commands: bounded whole numbers and late usage errors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable


def whole_number(least: int, most: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number from `least` (up to `most`, if given)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"must be at least {least}, not {value}")
        if most is not None and value > most:
            raise argparse.ArgumentTypeError(f"must be at most {most}, not {value}")
        return value

    return parse


def usage_error(parser: argparse.ArgumentParser, message: str) -> int:
    """A usage error found after parsing (it needed the deck), printed as argparse prints its own.

    Returns the exit code, 2; unlike `parser.error` it does not raise SystemExit.
    """
    parser.print_usage(sys.stderr)
    print(f"{parser.prog}: error: {message}", file=sys.stderr)
    return 2
