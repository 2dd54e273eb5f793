"""Find decks: a file path, or the id of a deck that ships with the app."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from wargame.deck.loader import DeckError, LoadedDeck, load_deck_file, load_deck_text
from wargame.deck.located_yaml import Problem

DEFAULT_DECK_ID = "baltic_drone_spillover_2026"


def builtin_deck_dir() -> Path:
    """The folder of the decks that ship with the app (source checkout or installed package)."""
    checkout = Path(__file__).resolve().parents[2] / "decks"
    if checkout.is_dir():
        return checkout
    return Path(str(importlib.resources.files("wargame.decks")))


def builtin_deck_ids() -> list[str]:
    """Ids of the built-in decks (a built-in deck's file is named after its id)."""
    return sorted(path.stem for path in builtin_deck_dir().glob("*.yaml"))


def resolve_deck(reference: str) -> LoadedDeck:
    """Load a deck named by a file path or by a built-in deck's id."""
    path = Path(reference)
    if path.suffix in (".yaml", ".yml") or path.exists() or "/" in reference:
        return load_deck_file(path)
    builtin = builtin_deck_dir() / f"{reference}.yaml"
    if builtin.is_file():
        loaded = load_deck_file(builtin)
        return load_deck_text(loaded.text, str(builtin), origin=f"builtin:{reference}")
    known = ", ".join(builtin_deck_ids()) or "none"
    raise DeckError(
        [Problem(reference, 1, 1, f"no such deck file or built-in deck id (built-in decks: {known})")]
    )
