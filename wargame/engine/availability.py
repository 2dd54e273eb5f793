"""Which actions a team may take now: its menu filtered by each action's `requires` condition.

Bots ask this for every move and the rules check every submitted action against it, so the
answer is memoised on the state (`State.memo`) until an event changes what conditions read.
"""

from __future__ import annotations

from wargame.deck.models import Action, Deck
from wargame.engine.deck_index import deck_index
from wargame.engine.state import State


def available_actions(deck: Deck, state: State, members: tuple[str, ...]) -> tuple[Action, ...]:
    """The actions of the menu of a team playing `members` whose `requires` holds now (deck order)."""
    key = ("available", members)
    available: tuple[Action, ...] | None = state.memo.get(key)
    if available is None:
        menu = deck_index(deck).checked_menu(members)
        available = tuple(action for action, requires in menu if requires is None or requires(state))
        state.memo[key] = available
    return available


def available_action_ids(deck: Deck, state: State, members: tuple[str, ...]) -> frozenset[str]:
    """The ids of `available_actions` (for checking a submitted move)."""
    key = ("available_ids", members)
    ids: frozenset[str] | None = state.memo.get(key)
    if ids is None:
        ids = state.memo[key] = frozenset(action.id for action in available_actions(deck, state, members))
    return ids
