"""Deck conditions compiled to plain functions of the state, once per deck and condition.

The condition tree (wargame.deck.conditions) is checked when the deck loads; here each name
becomes a getter and each node a closure, so evaluating a condition is a few attribute reads.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from wargame.deck import conditions as cond
from wargame.deck.models import Condition, Deck, condition_tree

if TYPE_CHECKING:
    from wargame.engine.state import State

Getter = Callable[["State"], Any]
Predicate = Callable[["State"], bool]

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}

# id(deck) -> (deck, {condition: predicate}); the deck is kept so its id cannot be reused.
_CACHE: dict[int, tuple[Deck, dict[Condition, Predicate]]] = {}


def band_of(deck: Deck, index: float) -> str:
    """The id of the band the index lies in."""
    current = deck.escalation.bands[0].id
    for band in deck.escalation.bands:
        if index >= band.from_:
            current = band.id
    return current


def getter(deck: Deck, parts: tuple[str, ...]) -> Getter:
    """A function giving the value of a condition-language name in a state."""
    head = parts[0]
    if len(parts) == 1:
        if head in ("index", "turn"):
            return operator.attrgetter(head)
        if head == "band":
            return lambda state: band_of(deck, state.index)
        if _is_flag(deck, head):
            return lambda state: state.flags[head]
        return lambda state: state.tracks[head]
    key = parts[1]
    if head == "injected":
        return lambda state: state.injected.get(key, 0) > 0
    if head == "taken":
        return lambda state: state.taken.get(key, 0)
    attribute = "escalation" if parts[2] == "escalation" else "deescalation"

    def team_points(state: State) -> float:
        team = state.playing_team_of(key)
        return 0.0 if team is None else float(getattr(team, attribute))

    return team_points


def _is_flag(deck: Deck, name: str) -> bool:
    return any(flag.id == name for flag in deck.flags)


def _operand(deck: Deck, operand: cond.Operand) -> Getter:
    if isinstance(operand, cond.Name):
        return getter(deck, operand.parts)
    value = operand.value
    return lambda state: value


# The most common shapes get closures of their own: a condition is evaluated for every action on
# every menu and every card, every turn, and each nested call costs (`wargame simulate`).


def _compare(deck: Deck, node: cond.Compare) -> Predicate:
    compare = _OPERATORS[node.op]
    if isinstance(node.left, cond.Name) and isinstance(node.right, cond.Value):
        value, parts = node.right.value, node.left.parts
        if len(parts) == 1 and parts[0] not in ("index", "turn", "band"):
            name = parts[0]
            if _is_flag(deck, name):
                return lambda state: compare(state.flags[name], value)
            return lambda state: compare(state.tracks[name], value)
        left = getter(deck, parts)
        return lambda state: compare(left(state), value)
    left, right = _operand(deck, node.left), _operand(deck, node.right)
    return lambda state: compare(left(state), right(state))


def _all_of(items: tuple[Predicate, ...]) -> Predicate:
    if len(items) == 2:
        first, second = items
        return lambda state: first(state) and second(state)
    return lambda state: all(item(state) for item in items)


def _any_of(items: tuple[Predicate, ...]) -> Predicate:
    if len(items) == 2:
        first, second = items
        return lambda state: first(state) or second(state)
    return lambda state: any(item(state) for item in items)


def _compile(deck: Deck, node: cond.Node) -> Predicate:
    if isinstance(node, cond.Compare):
        return _compare(deck, node)
    if isinstance(node, cond.Truth):
        value = getter(deck, node.name.parts)
        return lambda state: bool(value(state))
    if isinstance(node, cond.AllOf):
        return _all_of(tuple(_compile(deck, item) for item in node.items))
    if isinstance(node, cond.AnyOf):
        return _any_of(tuple(_compile(deck, item) for item in node.items))
    if isinstance(node, cond.NotOf):
        inner = _compile(deck, node.item)
        return lambda state: not inner(state)
    constant = node.value
    return lambda state: constant


def predicate(deck: Deck, condition: Condition) -> Predicate:
    """The compiled form of a deck condition (compiled once per deck)."""
    entry = _CACHE.get(id(deck))
    if entry is None or entry[0] is not deck:
        entry = (deck, {})
        _CACHE[id(deck)] = entry
    compiled = entry[1].get(condition)
    if compiled is None:
        compiled = _compile(deck, condition_tree(condition))
        entry[1][condition] = compiled
    return compiled
