"""Printing helpers and what the commands print: valid JSON, plain words."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from wargame.cli import main
from wargame.cli.output import plural, print_json
from wargame.engine.commands import EndSession


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


def test_demo_out_that_is_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    assert main(["demo", "--out", str(afile)]) == 1
    assert (
        capsys.readouterr().err
        == f"wargame: error: {afile} is a file, not a folder: give --out a folder for the screenshots\n"
    )


def test_an_outcome_without_debrief_questions_has_no_heading() -> None:
    from tests.engine.conftest import Driver, load_mini
    from wargame.ui.outcome_view import outcome_html

    mini = load_mini()
    deck = mini.model_copy(
        update={"outcomes": tuple(o.model_copy(update={"debrief": ()}) for o in mini.outcomes)}
    )
    driver = Driver(deck).create()
    driver.advance()
    driver.run(EndSession())
    assert "Debrief questions" not in outcome_html(deck, driver.state)
    assert "Debrief questions" in outcome_html(mini, driver.state)
