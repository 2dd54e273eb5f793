"""Fuzzed decks: thousands of generated and mutated decks, and the only exception that ever leaves
the loader is DeckError, each of whose problems has a file, a line >= 1 and a column >= 1.

Mutations start from the mini deck and the Baltic deck: random character and line edits, key
deletions and duplications, type swaps at random places of the parsed deck, and bytes that are not
UTF-8; generated decks are random YAML documents. (Refusal of Python tags, alias bombs, deep nesting
and oversized files is tested case by case in tests/deck/test_malformed.py.)
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.deck import DeckError, load_deck_file, load_deck_text

from .conftest import MINI, REPO

pytestmark = pytest.mark.slow  # about 30 seconds in all

BALTIC = REPO / "decks" / "baltic_drone_spillover_2026.yaml"
MINI_TEXT = MINI.read_text(encoding="utf-8")
BALTIC_TEXT = BALTIC.read_text(encoding="utf-8")
MINI_DATA = yaml.safe_load(MINI_TEXT)
BALTIC_DATA = yaml.safe_load(BALTIC_TEXT)
NAME = "fuzzed.yaml"


def fuzz(examples: int) -> settings:
    """Settings for one fuzz test: `examples` examples, no per-example deadline."""
    return settings(max_examples=examples, deadline=None, suppress_health_check=SLOW_IS_FINE)


SLOW_IS_FINE = (
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.large_base_example,
)

# Characters that matter to YAML, plus some that matter to nobody.
YAML_CHARS = st.sampled_from([*":-[]{},#&*!|>'\"%@`?\n\t ", "\x00", "\ufeff", "é", "北", "0", "a", "\r"])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=20),
)


def check_loader(text: str) -> None:
    """Load `text`: a valid deck or a DeckError with located problems; anything else fails the test."""
    try:
        load_deck_text(text, NAME)
    except DeckError as exc:
        assert exc.problems, "a DeckError without problems"
        for problem in exc.problems:
            assert problem.file == NAME, problem
            assert problem.line >= 1 and problem.column >= 1, problem
            assert problem.message, problem


@st.composite
def edited_text(draw: st.DrawFn, base: str) -> str:
    """`base` with a few random character edits (insert, delete, replace) at random places."""
    text = base
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.text(YAML_CHARS, min_size=1, max_size=4))
        if kind == "insert":
            text = text[:at] + piece + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 40)) :]
        else:
            text = text[:at] + piece + text[at + len(piece) :]
    return text


@st.composite
def edited_lines(draw: st.DrawFn, base: str) -> str:
    """`base` with lines deleted, duplicated, swapped, indented or dedented."""
    lines = base.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "indent", "dedent"]))
        if kind == "delete":
            del lines[at]
        elif kind == "duplicate":
            lines.insert(at, lines[at])
        elif kind == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "indent":
            lines[at] = "  " + lines[at]
        else:
            lines[at] = lines[at][2:] if lines[at].startswith("  ") else lines[at]
        if not lines:
            break
    return "".join(lines)


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*path, index))
    return found


@st.composite
def edited_structure(draw: st.DrawFn, base: Any) -> str:
    """The parsed deck with keys deleted or duplicated and values swapped for other types, dumped."""
    data = copy.deepcopy(base)
    paths = _paths(data)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            last = path[-1]
            kind = draw(st.sampled_from(["delete", "duplicate", "swap", "swap", "rename"]))
            if kind == "delete":
                del parent[last]
            elif kind == "duplicate" and isinstance(parent, list):
                parent.insert(last, parent[last])
            elif kind == "duplicate" and isinstance(parent, dict):
                parent[f"{last}"] = parent[last]
            elif kind == "rename" and isinstance(parent, dict):
                parent[draw(st.text(max_size=8))] = parent.pop(last)
            else:
                parent[last] = draw(st.one_of(SCALARS, st.lists(SCALARS, max_size=3), st.just({})))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier edit removed this place
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    if draw(st.booleans()):  # a duplicated key, written twice in the text
        lines = text.splitlines(keepends=True)
        at = draw(st.integers(0, len(lines) - 1))
        lines.insert(at, lines[at])
        text = "".join(lines)
    return text


YAML_VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=10), SCALARS), children, max_size=4),
    ),
    max_leaves=30,
)


@fuzz(1000)
@given(edited_text(MINI_TEXT))
def test_character_edits_of_mini(text: str) -> None:
    check_loader(text)


@fuzz(700)
@given(edited_lines(MINI_TEXT))
def test_line_edits_of_mini(text: str) -> None:
    check_loader(text)


@fuzz(300)
@given(edited_structure(MINI_DATA))
def test_structure_edits_of_mini(text: str) -> None:
    check_loader(text)


@fuzz(80)
@given(st.one_of(edited_text(BALTIC_TEXT), edited_lines(BALTIC_TEXT)))
def test_text_edits_of_the_baltic_deck(text: str) -> None:
    check_loader(text)


@fuzz(40)
@given(edited_structure(BALTIC_DATA))
def test_structure_edits_of_the_baltic_deck(text: str) -> None:
    check_loader(text)


@fuzz(800)
@given(YAML_VALUES)
def test_generated_documents(data: Any) -> None:
    check_loader(yaml.safe_dump(data, allow_unicode=True))


@fuzz(800)
@given(st.text(YAML_CHARS, max_size=200))
def test_generated_text(text: str) -> None:
    check_loader(text)


@fuzz(300)
@given(at=st.integers(0, len(MINI_TEXT.encode())), junk=st.binary(min_size=1, max_size=8))
def test_bytes_that_are_not_utf8(tmp_path_factory: Any, at: int, junk: bytes) -> None:
    raw = MINI_TEXT.encode()
    path = Path(tmp_path_factory.mktemp("fuzz")) / NAME
    path.write_bytes(raw[:at] + junk + raw[at:])
    try:
        load_deck_file(path)
    except DeckError as exc:
        for problem in exc.problems:
            assert problem.file == str(path)
            assert problem.line >= 1 and problem.column >= 1, problem
