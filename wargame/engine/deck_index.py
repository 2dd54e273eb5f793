"""Lookups into a deck by id, and each team's action menu, built once per deck."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from wargame.deck.models import Action, Card, Deck, Effects, Modifier, Track
from wargame.engine.predicates import Predicate, predicate

CheckedCards = tuple[tuple[Card, Predicate | None], ...]


class Scoring(NamedTuple):
    """What an action or card is worth: its value and effects, unless a modifier's `when` holds.

    Each modifier is (compiled `when`, value, effects, note), with the action's or card's own
    value and effects filled in where the modifier leaves them out.
    """

    value: float
    effects: Effects
    modifiers: tuple[tuple[Predicate, float, Effects, str], ...]


def _scoring(deck: Deck, escalation: float, effects: Effects, modifiers: tuple[Modifier, ...]) -> Scoring:
    return Scoring(
        float(escalation),
        effects,
        tuple(
            (
                predicate(deck, modifier.when),
                float(modifier.escalation if modifier.escalation is not None else escalation),
                modifier.effects if modifier.effects is not None else effects,
                modifier.note,
            )
            for modifier in modifiers
        ),
    )


# id(deck) -> index; the index holds the deck, so the id cannot be reused while cached.
_INDEXES: dict[int, DeckIndex] = {}


@dataclass(frozen=True)
class DeckIndex:
    deck: Deck
    actions: dict[str, Action]
    cards: dict[str, Card]
    tracks: dict[str, Track]
    phase_ids: tuple[str, ...] = ()
    team_ids: frozenset[str] = frozenset()
    place_ids: frozenset[str] = frozenset()
    # each card with its compiled `when` condition, as the inject step looks them up (deck order)
    scheduled: dict[int, CheckedCards] = field(default_factory=dict)
    triggered: CheckedCards = ()
    weighted: CheckedCards = ()
    early_outcomes: tuple[tuple[str, Predicate | None], ...] = ()
    action_scoring: dict[str, Scoring] = field(default_factory=dict)
    card_scoring: dict[str, Scoring] = field(default_factory=dict)
    # what other engine modules derive from the deck and keep with it (e.g. each menu's answers)
    derived: dict[Any, Any] = field(default_factory=dict)
    _menus: dict[tuple[str, ...], tuple[Action, ...]] = field(default_factory=dict)
    _menu_ids: dict[tuple[str, ...], frozenset[str]] = field(default_factory=dict)

    def menu(self, members: tuple[str, ...]) -> tuple[Action, ...]:
        """The actions a team playing these deck teams may take, in deck order."""
        menu = self._menus.get(members)
        if menu is None:
            wanted = set(members)
            menu = tuple(action for action in self.deck.actions if wanted.intersection(action.teams))
            self._menus[members] = menu
        return menu

    def checked_menu(self, members: tuple[str, ...]) -> tuple[tuple[Action, Predicate | None], ...]:
        """The menu with each action's compiled `requires` condition (None: always available).

        Not kept: its one caller, `wargame.engine.availability`, keeps what it builds from it.
        """
        return tuple(
            (action, None if action.requires is None else predicate(self.deck, action.requires))
            for action in self.menu(members)
        )

    def menu_ids(self, members: tuple[str, ...]) -> frozenset[str]:
        """The ids of `menu(members)`."""
        ids = self._menu_ids.get(members)
        if ids is None:
            ids = self._menu_ids[members] = frozenset(action.id for action in self.menu(members))
        return ids


def deck_index(deck: Deck) -> DeckIndex:
    index = _INDEXES.get(id(deck))
    if index is None or index.deck is not deck:
        index = _build(deck)
        _INDEXES[id(deck)] = index
    return index


def _checked(deck: Deck, cards: list[Card]) -> CheckedCards:
    return tuple(
        (card, None if card.when.condition is None else predicate(deck, card.when.condition))
        for card in cards
    )


def _build(deck: Deck) -> DeckIndex:
    scheduled: dict[int, list[Card]] = {}
    for card in deck.cards:
        if card.when.turn is not None:
            scheduled.setdefault(card.when.turn, []).append(card)
    triggered = [
        card
        for card in deck.cards
        if card.when.turn is None and card.when.weight is None and card.when.condition is not None
    ]
    return DeckIndex(
        deck=deck,
        actions={action.id: action for action in deck.actions},
        cards={card.id: card for card in deck.cards},
        tracks={track.id: track for track in deck.tracks},
        phase_ids=deck.phase_ids,
        team_ids=frozenset(team.id for team in deck.teams),
        place_ids=frozenset(place.id for place in deck.places),
        scheduled={turn: _checked(deck, cards) for turn, cards in scheduled.items()},
        triggered=_checked(deck, triggered),
        weighted=_checked(deck, [card for card in deck.cards if card.when.weight is not None]),
        early_outcomes=tuple(
            (outcome.id, None if outcome.condition is None else predicate(deck, outcome.condition))
            for outcome in deck.outcomes
            if outcome.early_end
        ),
        action_scoring={
            action.id: _scoring(deck, action.escalation, action.effects, action.modifiers)
            for action in deck.actions
        },
        card_scoring={
            card.id: _scoring(deck, card.escalation, card.effects, card.modifiers) for card in deck.cards
        },
    )
