"""Decks for the briefing tests: the mini fixture, the Baltic deck, and variants made in the test."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import yaml

from tests.conftest import BALTIC_DECK, MINI_DECK
from wargame.deck import Deck, load_deck_file, load_deck_text

Variant = Callable[[Callable[[dict[str, Any]], None]], Deck]


@pytest.fixture(scope="session")
def mini() -> Deck:
    return load_deck_file(MINI_DECK).deck


@pytest.fixture(scope="session")
def baltic() -> Deck:
    return load_deck_file(BALTIC_DECK).deck


@pytest.fixture
def mini_variant() -> Variant:
    """A deck made from tests/fixtures/mini.yaml after `change` edits its data (a dict)."""

    def make(change: Callable[[dict[str, Any]], None]) -> Deck:
        data = yaml.safe_load(MINI_DECK.read_text(encoding="utf-8"))
        change(data)
        return load_deck_text(yaml.safe_dump(data, allow_unicode=True), "variant.yaml").deck

    return make
