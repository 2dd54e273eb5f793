"""Printing helpers: JSON output is always valid JSON."""

from __future__ import annotations

import json
import math

import pytest

from wargame.cli.output import plural, print_json


def test_json_has_no_infinity_or_nan(capsys: pytest.CaptureFixture[str]) -> None:
    print_json({"index": [1.5, math.inf], "scores": {"red": -math.inf, "blue": math.nan}, "turns": (2, 3)})
    out = capsys.readouterr().out
    assert json.loads(out, parse_constant=pytest.fail) == {
        "index": [1.5, None],
        "scores": {"red": None, "blue": None},
        "turns": [2, 3],
    }


def test_plural() -> None:
    assert [plural(n, "team") for n in (0, 1, 2)] == ["0 teams", "1 team", "2 teams"]
