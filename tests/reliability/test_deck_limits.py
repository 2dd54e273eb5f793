"""Decks over the size limit and documents nested too deeply are refused quickly, with a located
message (Python tags and alias bombs: tests/deck/test_malformed.py)."""

from __future__ import annotations

import time

import pytest

from wargame.deck import DeckError, load_deck_text
from wargame.deck.located_yaml import MAX_DEPTH, MAX_DOCUMENT_BYTES


def refusal(text: str) -> list[str]:
    started = time.monotonic()
    with pytest.raises(DeckError) as caught:
        load_deck_text(text, "hostile.yaml")
    assert time.monotonic() - started < 5
    return [str(problem) for problem in caught.value.problems]


def test_a_deck_over_the_size_limit_is_refused() -> None:
    text = "id: big\nnotes: |\n" + "  padding padding padding\n" * (MAX_DOCUMENT_BYTES // 20)
    assert refusal(text) == [f"hostile.yaml:1:1: file is larger than {MAX_DOCUMENT_BYTES} bytes"]


@pytest.mark.parametrize("opening", ["[", "{a: "], ids=["lists", "mappings"])
@pytest.mark.parametrize("depth", [MAX_DEPTH + 5, MAX_DEPTH * 50], ids=["deep", "very-deep"])
def test_a_deeply_nested_document_is_refused(opening: str, depth: int) -> None:
    closing = "]" if opening == "[" else "}"
    [message] = refusal("id: deep\nx: " + opening * depth + "1" + closing * depth + "\n")
    if depth == MAX_DEPTH + 5:
        assert message.startswith("hostile.yaml:2:")
        assert message.endswith(f"nested more than {MAX_DEPTH} levels deep")
    else:  # the parser itself gives up: still one located line
        assert message == "hostile.yaml:1:1: YAML error: the document is nested too deeply"


def test_python_tags_are_refused() -> None:
    [message] = refusal("id: !!python/object/apply:os.system ['echo pwned']\n")
    assert message.startswith("hostile.yaml:1:5: YAML error: ")
    assert "no Python or custom tags" in message
