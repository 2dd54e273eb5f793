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
    """A move for `team_id` under `policy`, drawn with `rng` (a pass if nothing is available)."""
    members = state.teams[team_id].members
    offer = available(deck, state, members)
    actions = offer.actions
    if not actions:
        return SubmitDecision(team=team_id)
    cum_weights = offer.derived.get(policy)
    if cum_weights is None:
        weigh = WEIGHTS[policy]
        cum_weights = offer.derived[policy] = list(accumulate(weigh(action.escalation) for action in actions))
    # cum_weights: the same draw as weights=..., without summing them again for every move
    action = rng.choices(actions, cum_weights=cum_weights)[0]
    return SubmitDecision(team=team_id, action=action.id, target=_target(deck, offer, members, action, rng))


def _target(
    deck: Deck, offer: Available, members: tuple[str, ...], action: Action, rng: random.Random
) -> str | None:
    if action.target == "team":
        # kept with the menu's answer (one per team playing `members`), not rebuilt every turn
        key = ("targets", action.id)
        others = offer.derived.get(key)
        if others is None:
            others = offer.derived[key] = [
                team.id
                for team in deck.teams
                if team.id not in members and (not action.targets or team.id in action.targets)
            ]
        return rng.choice(others) if others else None
    if action.target == "place":
        return rng.choice(deck.places).id if deck.places else None
    return None
