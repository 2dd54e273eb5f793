"""Policy bots: pick a team's move for simulations (`wargame simulate`)."""

from __future__ import annotations

import random
from collections.abc import Callable
from itertools import accumulate

from wargame.deck.models import Action, Deck
from wargame.engine.availability import Available, available
from wargame.engine.commands import SubmitDecision
from wargame.engine.state import State

POLICIES = ("random", "cooperative", "hawkish")


def _random_weight(value: float) -> float:
    return 1.0


def _cooperative_weight(value: float) -> float:
    """Mostly de-escalating moves; now and then a signal."""
    if value < 0:
        return 8.0
    if value == 0:
        return 2.0
    return 1.0 if value <= 4 else 0.1


def _hawkish_weight(value: float) -> float:
    """Mostly escalating moves, the stronger the likelier; rarely a conciliatory one."""
    if value >= 12:
        return 6.0
    if value > 0:
        return 3.0
    return 0.5 if value == 0 else 0.2


WEIGHTS: dict[str, Callable[[float], float]] = {
    "random": _random_weight,
    "cooperative": _cooperative_weight,
    "hawkish": _hawkish_weight,
}


def available_actions(deck: Deck, state: State, team_id: str) -> tuple[Action, ...]:
    """The actions on a team's menu whose `requires` condition holds now."""
    return available(deck, state, state.teams[team_id].members).actions


def choose_move(deck: Deck, state: State, team_id: str, policy: str, rng: random.Random) -> SubmitDecision:
    """A move for `team_id` under `policy`, drawn with `rng` (a pass if nothing is available).

    An action that needs a target the team has none of (a place in a deck without places, a team
    other than itself) is never drawn."""
    members = state.teams[team_id].members
    offer = available(deck, state, members)
    menu = offer.derived.get(policy)
    if menu is None:
        menu = offer.derived[policy] = _weighted_menu(deck, offer, members, WEIGHTS[policy])
    actions, cum_weights = menu
    if not actions:
        return SubmitDecision(team=team_id)
    # cum_weights: the same draw as weights=..., without summing them again for every move
    action = rng.choices(actions, cum_weights=cum_weights)[0]
    targets = _targets(deck, offer, members, action)
    target = rng.choice(targets) if targets else None
    return SubmitDecision(team=team_id, action=action.id, target=target)


def _weighted_menu(
    deck: Deck, offer: Available, members: tuple[str, ...], weigh: Callable[[float], float]
) -> tuple[tuple[Action, ...], list[float]]:
    """The actions on offer that the team can take, with their cumulative weights."""
    actions = tuple(
        action
        for action in offer.actions
        if action.target == "none" or _targets(deck, offer, members, action)
    )
    return actions, list(accumulate(weigh(action.escalation) for action in actions))


def _targets(deck: Deck, offer: Available, members: tuple[str, ...], action: Action) -> list[str]:
    """The targets a team playing `members` may give `action` (none for an action without one)."""
    if action.target == "none":
        return []
    # kept with the menu's answer (one per team playing `members`), not rebuilt every turn
    key = ("targets", action.id)
    targets: list[str] | None = offer.derived.get(key)
    if targets is None:
        if action.target == "place":
            targets = [place.id for place in deck.places]
        else:
            targets = [
                team.id
                for team in deck.teams
                if team.id not in members and (not action.targets or team.id in action.targets)
            ]
        offer.derived[key] = targets
    return targets
