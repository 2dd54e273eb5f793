"""Printing helpers shared by the sub-commands."""

from __future__ import annotations

import math
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the plain start of the app does not import argparse (see wargame.cli.main)
    import argparse


def fail(message: str) -> int:
    """Print a one-line error to stderr; returns exit code 1."""
    print(f"wargame: error: {message}", file=sys.stderr)
    return 1


def print_json(value: Any) -> None:
    import json  # (not needed by the desktop app's start)

    json.dump(_finite(value), sys.stdout, indent=2, sort_keys=False, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def _finite(value: Any) -> Any:
    """`value` with every infinite or NaN number as null: JSON has no such numbers."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def plural(count: int, word: str) -> str:
    """'1 team', '3 teams'."""
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def table(rows: list[list[str]], headers: list[str]) -> str:
    """A plain-text table with columns padded to their widest cell."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(headers, widths, strict=False)).rstrip()]
    lines.append("  ".join("-" * width for width in widths))
    for row in rows:
        lines.append(
            "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)).rstrip()
        )
    return "\n".join(lines)


def add_pseudonymise_option(parser: argparse.ArgumentParser) -> None:
    """`--pseudonymise` (or `--pseudonymize`): player names replaced in what a command writes."""
    parser.add_argument(
        "--pseudonymise",
        "--pseudonymize",
        action="store_true",
        help="replace player names with stable pseudonyms (Player 1, Player 2, …)",
    )
