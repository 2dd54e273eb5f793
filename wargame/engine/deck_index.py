"""Lookups into a deck by id, and each team's action menu, built once per deck."""

from __future__ import annotations

from dataclasses import dataclass, field

from wargame.deck.models import Action, Card, Deck, Track
from wargame.engine.predicates import Predicate, predicate

# id(deck) -> index; the index holds the deck, so the id cannot be reused while cached.
_INDEXES: dict[int, DeckIndex] = {}


@dataclass(frozen=True)
class DeckIndex:
    deck: Deck
    actions: dict[str, Action]
    cards: dict[str, Card]
    tracks: dict[str, Track]
    phase_ids: tuple[str, ...] = ()
    _menus: dict[tuple[str, ...], tuple[Action, ...]] = field(default_factory=dict)
    _checked_menus: dict[tuple[str, ...], tuple[tuple[Action, Predicate | None], ...]] = field(
        default_factory=dict
    )

    def menu(self, members: tuple[str, ...]) -> tuple[Action, ...]:
        """The actions a team playing these deck teams may take, in deck order."""
        menu = self._menus.get(members)
        if menu is None:
            wanted = set(members)
            menu = tuple(action for action in self.deck.actions if wanted.intersection(action.teams))
            self._menus[members] = menu
        return menu

    def checked_menu(self, members: tuple[str, ...]) -> tuple[tuple[Action, Predicate | None], ...]:
        """The menu with each action's compiled `requires` condition (None: always available)."""
        checked = self._checked_menus.get(members)
        if checked is None:
            checked = tuple(
                (action, None if action.requires is None else predicate(self.deck, action.requires))
                for action in self.menu(members)
            )
            self._checked_menus[members] = checked
        return checked


def deck_index(deck: Deck) -> DeckIndex:
    index = _INDEXES.get(id(deck))
    if index is None or index.deck is not deck:
        index = DeckIndex(
            deck=deck,
            actions={action.id: action for action in deck.actions},
            cards={card.id: card for card in deck.cards},
            tracks={track.id: track for track in deck.tracks},
            phase_ids=deck.phase_ids,
        )
        _INDEXES[id(deck)] = index
    return index
