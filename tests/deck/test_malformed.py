"""Malformed decks: every problem is reported, at the right place, as `FILE:LINE:COLUMN: message`.

Each case is `malformed/NAME.yaml` with the exact expected output lines in `malformed/NAME.expected`
(FILE is the path relative to the repository root, which is the path the tests pass in). Most
cases are `valid/small.yaml` with one defect. To add a case, write the YAML file, check the
loader's output by hand, and save it as the `.expected` file.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wargame.cli import main
from wargame.deck import DeckError, load_deck_file, load_deck_text

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
MALFORMED = HERE / "malformed"
BASE = HERE / "valid" / "small.yaml"
MINI = REPO / "tests" / "fixtures" / "mini.yaml"
SHIPPED_DECKS = sorted((REPO / "decks").glob("*.yaml"))

# Cases with no .expected file, tested on their own below.
SPECIAL = {"billion_laughs"}
CASES = sorted(path.stem for path in MALFORMED.glob("*.yaml") if path.stem not in SPECIAL)
# The cases made from valid/small.yaml (the others are empty, not a mapping, or a bomb).
DERIVED = [name for name in CASES if b"\nid: small\n" in (MALFORMED / f"{name}.yaml").read_bytes()]


def rel(name: str) -> str:
    """The path a case is loaded by (relative to the repository root, the tests' working folder)."""
    return f"tests/deck/malformed/{name}.yaml"


def expected_lines(name: str) -> list[str]:
    return (MALFORMED / f"{name}.expected").read_text(encoding="utf-8").splitlines()


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("WARGAME_DEBUG", raising=False)


def problem_lines(path: str) -> list[str]:
    with pytest.raises(DeckError) as info:
        load_deck_file(path)
    return [str(problem) for problem in info.value.problems]


# --- the case files themselves ---------------------------------------------------------------


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 24


def test_every_case_has_its_expected_output() -> None:
    yamls = {path.stem for path in MALFORMED.glob("*.yaml")} - SPECIAL
    expected = {path.stem for path in MALFORMED.glob("*.expected")}
    assert yamls == expected


def test_the_base_deck_and_mini_are_valid() -> None:
    assert load_deck_file(BASE).deck.id == "small"
    assert load_deck_file(MINI).deck.id == "mini"


@pytest.mark.parametrize("name", DERIVED)
def test_derived_cases_differ_little_from_the_base(name: str) -> None:
    """A case derived from valid/small.yaml changes only a few lines (so it has one defect)."""
    data = (MALFORMED / f"{name}.yaml").read_bytes()
    lines = data.decode("utf-8", errors="replace").splitlines()[1:]
    base = BASE.read_text(encoding="utf-8").splitlines()[1:]
    changed = [line for line in difflib.ndiff(base, lines) if line[:1] in "+-"]
    assert 0 < len(changed) <= 12, changed


# --- the loader --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CASES)
def test_loader_reports_exactly_the_expected_problems(name: str, in_repo: None) -> None:
    with pytest.raises(DeckError) as info:
        load_deck_file(rel(name))
    lines = [str(problem) for problem in info.value.problems]
    assert lines == expected_lines(name)
    assert str(info.value) == "\n".join(lines)


@pytest.mark.parametrize("name", [name for name in CASES if name != "non_utf8"])
def test_loading_the_text_reports_the_same(name: str) -> None:
    text = (MALFORMED / f"{name}.yaml").read_text(encoding="utf-8")
    with pytest.raises(DeckError) as info:
        load_deck_text(text, rel(name))
    assert [str(problem) for problem in info.value.problems] == expected_lines(name)


def test_five_problems_are_all_reported_at_once_sorted_by_line(in_repo: None) -> None:
    lines = problem_lines(rel("five_problems"))
    assert lines == expected_lines("five_problems")
    assert len(lines) == 5
    numbers = [int(line.split(":")[1]) for line in lines]
    assert numbers == sorted(numbers)
    assert len(set(numbers)) == 5
    messages = "\n".join(lines)
    for fragment in (
        "unknown field 'author'",
        "is not a colour",
        "start (120) is outside the range 0..100",
        "unknown team 'purple'",
        "unknown name 'strikes'",
    ):
        assert fragment in messages


def _column_char(name: str, line_text: str) -> tuple[str, int, int]:
    """The source line, column and character a one-problem case's message points at."""
    (line,) = expected_lines(name)
    _, number, column, _ = line.split(":", 3)
    source = (MALFORMED / f"{name}.yaml").read_text(encoding="utf-8").splitlines()[int(number) - 1]
    assert line_text in source
    return source, int(column), int(number)


@pytest.mark.parametrize(
    ("name", "condition_text", "pointed_at"),
    [
        # A ')' that is never closed: the end of the text, i.e. the closing quote of the scalar.
        ("condition_unbalanced_paren", '"strike or (index >= 80"', '"'),
        ("condition_stray_paren", '"strike) or index >= 80"', ")"),
        ("condition_unknown_flag", '"strikes or index >= 80"', "s"),
        ("condition_bad_named_value", "\"channel != 'open'\"", "'"),
        ("condition_plain_scalar", "strike or injected.openning", "i"),
    ],
)
def test_condition_problems_point_inside_the_string(
    name: str, condition_text: str, pointed_at: str, in_repo: None
) -> None:
    source, column, _ = _column_char(name, condition_text)
    start = source.index(condition_text) + 1  # 1-based column of the scalar's first character
    assert start < column <= start + len(condition_text) - 1
    assert source[column - 1] == pointed_at


def test_stray_paren_column_is_the_paren(in_repo: None) -> None:
    source, column, _ = _column_char("condition_stray_paren", "strike)")
    assert source[column - 1 :].startswith(") or index")


def test_unknown_name_column_is_the_name(in_repo: None) -> None:
    source, column, _ = _column_char("condition_unknown_flag", "strikes")
    assert source[column - 1 :].startswith("strikes or")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    assert problem_lines(str(missing)) == [f"{missing}:1:1: no such file"]
    assert problem_lines(str(tmp_path)) == [f"{tmp_path}:1:1: is a directory, not a deck file"]


def test_many_aliases_are_refused_quickly(in_repo: None) -> None:
    (line,) = problem_lines(rel("alias_bomb_many_aliases"))
    assert "too many aliases" in line


BOMB_SCRIPT = """
import sys
from wargame.deck import DeckError, load_deck_file
try:
    load_deck_file(sys.argv[1])
except DeckError as exc:
    print(exc)
    sys.exit(1)
"""


def test_billion_laughs_is_refused_quickly(in_repo: None) -> None:
    result = subprocess.run(
        [sys.executable, "-c", BOMB_SCRIPT, rel("billion_laughs")],
        capture_output=True,
        text=True,
        timeout=3,
        check=False,
    )
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    (line,) = result.stdout.splitlines()
    assert line.startswith(f"{rel('billion_laughs')}:")
    assert "alias" in line


def test_a_deeply_nested_condition_is_a_located_problem() -> None:
    text = BASE.read_text(encoding="utf-8")
    condition = 'condition: "strike or index >= 80"'
    deep = 'condition: "' + "(" * 300 + "strike" + ")" * 300 + '"'
    with pytest.raises(DeckError) as info:
        load_deck_text(text.replace(condition, deep), "deep.yaml")
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == ("deep.yaml", 71)
    assert problem.message.startswith("condition: ")


# --- the command line --------------------------------------------------------------------------


@pytest.mark.parametrize("name", CASES)
def test_cli_validate_prints_the_problems_and_fails(
    name: str, in_repo: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["deck", "validate", rel(name)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert err.splitlines() == expected_lines(name)


def test_cli_validate_reports_every_file(in_repo: None, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["deck", "validate", rel("unknown_place"), "tests/fixtures/mini.yaml", rel("bad_colour")])
    out, err = capsys.readouterr()
    assert code == 1
    (ok_line,) = out.splitlines()
    assert ok_line.startswith("tests/fixtures/mini.yaml: ok (mini v1: 3 teams, ")
    assert err.splitlines() == expected_lines("unknown_place") + expected_lines("bad_colour")


def test_wargame_command_on_a_malformed_deck(in_repo: None) -> None:
    """End to end: the installed entry point, in a subprocess; one line per problem, no traceback."""
    script = Path(sys.executable).with_name("wargame")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "wargame"]
    env = {key: value for key, value in os.environ.items() if key != "WARGAME_DEBUG"}
    result = subprocess.run(
        [*command, "deck", "validate", rel("unknown_team_in_action")],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert result.returncode == 1, result
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == expected_lines("unknown_team_in_action")
    assert "unknown team 'purple'" in result.stderr


def test_there_is_a_shipped_deck() -> None:
    assert SHIPPED_DECKS


@pytest.mark.parametrize("path", SHIPPED_DECKS, ids=lambda path: path.name)
def test_shipped_deck_validates(path: Path, in_repo: None, capsys: pytest.CaptureFixture[str]) -> None:
    relative = path.relative_to(REPO).as_posix()
    code = main(["deck", "validate", relative])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith(f"{relative}: ok (")


def test_all_shipped_decks_validate_in_one_run(in_repo: None, capsys: pytest.CaptureFixture[str]) -> None:
    paths = [path.relative_to(REPO).as_posix() for path in SHIPPED_DECKS]
    assert main(["deck", "validate", *paths]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert len(out.splitlines()) == len(paths)
