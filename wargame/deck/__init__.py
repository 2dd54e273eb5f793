"""Scenario decks: YAML files loaded into typed, checked models."""

from __future__ import annotations

from wargame.deck.catalog import DEFAULT_DECK_ID, builtin_deck_dir, builtin_deck_ids, resolve_deck
from wargame.deck.loader import DeckError, LoadedDeck, load_deck_file, load_deck_text
from wargame.deck.located_yaml import Problem
from wargame.deck.models import Deck

__all__ = [
    "DEFAULT_DECK_ID",
    "Deck",
    "DeckError",
    "LoadedDeck",
    "Problem",
    "builtin_deck_dir",
    "builtin_deck_ids",
    "load_deck_file",
    "load_deck_text",
    "resolve_deck",
]
