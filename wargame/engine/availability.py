"""Which actions a team may take now: its menu filtered by each action's `requires` condition.

Bots ask this for every move and the rules check every submitted action against it. A menu has
few conditions, so it has few distinct answers: each answer is built once per menu and found
again by the pattern of its conditions' results, and the state memoises the current one
(`State.memo`) until an event changes what conditions read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wargame.deck.models import Action, Deck
from wargame.engine.deck_index import deck_index
from wargame.engine.predicates import Predicate
from wargame.engine.state import State


@dataclass(frozen=True)
class Available:
    """The actions of a menu whose conditions hold, in deck order."""

    actions: tuple[Action, ...]
    ids: frozenset[str]
    # what callers derive from this answer and want to keep with it (e.g. a bot's weights)
    derived: dict[Any, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class _Menu:
    actions: tuple[Action, ...]
    conditional: tuple[tuple[int, Predicate], ...]  # (position in the menu, compiled `requires`)
    answers: dict[tuple[bool, ...], Available] = field(default_factory=dict)

    def now(self, state: State) -> Available:
        pattern = tuple([requires(state) for _, requires in self.conditional])
        answer = self.answers.get(pattern)
        if answer is None:
            results = zip(self.conditional, pattern, strict=True)
            closed = {position for (position, _), holds in results if not holds}
            actions = tuple(action for position, action in enumerate(self.actions) if position not in closed)
            answer = self.answers[pattern] = Available(actions, frozenset(action.id for action in actions))
        return answer


def _menu(deck: Deck, members: tuple[str, ...]) -> _Menu:
    index = deck_index(deck)
    key = ("available", members)
    menu: _Menu | None = index.derived.get(key)
    if menu is None:
        checked = index.checked_menu(members)
        menu = index.derived[key] = _Menu(
            tuple(action for action, _ in checked),
            tuple(
                (position, requires) for position, (_, requires) in enumerate(checked) if requires is not None
            ),
        )
    return menu


def available(deck: Deck, state: State, members: tuple[str, ...]) -> Available:
    """What the menu of a team playing `members` offers now."""
    key = ("available", members)
    answer: Available | None = state.memo.get(key)
    if answer is None:
        answer = state.memo[key] = _menu(deck, members).now(state)
    return answer


def available_actions(deck: Deck, state: State, members: tuple[str, ...]) -> tuple[Action, ...]:
    """The actions of the menu of a team playing `members` whose `requires` holds now (deck order)."""
    return available(deck, state, members).actions


def available_action_ids(deck: Deck, state: State, members: tuple[str, ...]) -> frozenset[str]:
    """The ids of `available_actions` (for checking a submitted move)."""
    return available(deck, state, members).ids
