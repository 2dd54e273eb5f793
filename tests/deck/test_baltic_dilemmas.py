"""Every team of the Baltic deck has a real dilemma (review findings A and B).

One team plays a fixed strategy while the seven others play at random, as in the reviewer's
check. Neither "always de-escalate" nor "always escalate" may be that team's clearly best
strategy, and one move of the other kind must pay: mixed into the pure strategy, it raises the
team's mean objective points. The games are seeded, so the means are the same on every run.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from tests.engine.conftest import Driver
from wargame.deck import load_deck_file
from wargame.deck.models import Action, Deck
from wargame.engine import commands as c
from wargame.engine.bots import available_actions, choose_move
from wargame.engine.state import State, objective_score

DECK_PATH = Path(__file__).resolve().parents[2] / "decks" / "baltic_drone_spillover_2026.yaml"
GAMES = 100
MARGIN = 0.25  # objective points: a pure strategy may beat the alternatives by no more than this

Strategy = Callable[[State, Sequence[Action], random.Random], list[str]]

# The one move of the other kind each team's mixed strategy makes (once), before or between
# the moves of the pure strategy it mixes with.
MIXES: dict[str, tuple[str, int]] = {
    # team: (action taken once, sign of the pure strategy it is mixed into)
    "latvia": ("request_article4", -1),
    "lithuania": ("threaten_kaliningrad", -1),
    "estonia": ("shoot_down_drone", -1),
    "poland": ("reinforce_air_policing", -1),
    "belarus": ("snap_exercise", -1),
    "russia": ("russia_airspace_incursion", -1),
    "ukraine": ("ukraine_deconflict_with_baltics", +1),
    "nato": ("invoke_article5", -1),
}

# Latvia's objectives (no strike on Latvia, allies at its side, a calm public) turn on other
# teams' moves and the cards; against random play no strategy of its own moves them much.
FLAT = {"latvia"}


@pytest.fixture(scope="module")
def deck() -> Deck:
    return load_deck_file(DECK_PATH).deck


def pure(sign: int) -> Strategy:
    """Always the strongest available move of one kind (-1: de-escalating, +1: escalating)."""

    def prefs(state: State, offer: Sequence[Action], rng: random.Random) -> list[str]:
        moves = [a for a in offer if a.escalation * sign > 0]
        rng.shuffle(moves)
        moves.sort(key=lambda a: -sign * a.escalation)
        return [a.id for a in moves]

    return prefs


def mixed(once: str, sign: int) -> Strategy:
    """`once` as soon as it is available (the first time only), otherwise the pure strategy."""
    base = pure(sign)

    def prefs(state: State, offer: Sequence[Action], rng: random.Random) -> list[str]:
        first = [once] if state.taken.get(once, 0) == 0 else []
        return first + base(state, offer, rng)

    return prefs


def play(deck: Deck, run: int, team: str, strategy: Strategy | None) -> State:
    session_seed = random.Random(f"session:{run}").randrange(2**31)
    bots = random.Random(f"bots:{run}")
    picks = random.Random(f"picks:{run}")
    driver = Driver(deck).create(
        teams=tuple(c.TeamSetup(t.id, t.name, (t.id,)) for t in deck.teams), seed=session_seed
    )
    state, run_command = driver.state, driver.run  # no undo here: the driver keeps this state object
    while not state.ended:
        if state.phase == "moves":
            for playing in state.active_teams():
                if playing.id != team or strategy is None:
                    run_command(choose_move(deck, state, playing.id, "random", bots))
                    continue
                offer = available_actions(deck, state, team)
                ids = {a.id for a in offer}
                choice = next((a for a in strategy(state, offer, picks) if a in ids), "hold_course")
                action = deck.action(choice)
                target = None
                if action.target == "team":
                    targets = [
                        t.id
                        for t in deck.teams
                        if t.id != team and (not action.targets or t.id in action.targets)
                    ]
                    target = picks.choice(targets)
                elif action.target == "place":
                    target = "riga"
                run_command(c.SubmitDecision(team=team, action=choice, target=target))
        run_command(c.Advance())
    return state


def mean_points(deck: Deck, team: str, strategy: Strategy | None) -> float:
    return statistics.mean(
        objective_score(deck, play(deck, run, team, strategy), team) for run in range(GAMES)
    )


@pytest.mark.parametrize("team", sorted(MIXES))
def test_no_pure_strategy_is_clearly_best(deck: Deck, team: str) -> None:
    once, sign = MIXES[team]
    assert team in deck.action(once).teams
    dove = mean_points(deck, team, pure(-1))
    hawk = mean_points(deck, team, pure(+1))
    others = {
        "random": mean_points(deck, team, None),
        f"{once} once": mean_points(deck, team, mixed(once, sign)),
    }
    for name, value, rival in (("always de-escalate", dove, hawk), ("always escalate", hawk, dove)):
        best_other = max(rival, *others.values())
        assert value <= best_other + MARGIN, (
            f"{team}: {name} {value:.2f} beats all of {others} and {rival:.2f}"
        )
    if team in FLAT:
        return
    base = dove if sign < 0 else hawk
    assert others[f"{once} once"] >= base + MARGIN, (
        f"{team}: {once} once does not pay ({others}, pure {base:.2f})"
    )
