"""Policy bots never draw an action they could not take for want of a target."""

from __future__ import annotations

import random

import pytest

from tests.engine.conftest import load_mini
from wargame.deck import Deck
from wargame.engine import simulate
from wargame.engine.bots import POLICIES
from wargame.engine.commands import SubmitDecision
from wargame.engine.simulate import play_session
from wargame.engine.state import State


def taken(deck: Deck, policy: str, runs: int = 20) -> set[str]:
    """The actions taken over `runs` simulated sessions (each played to its outcome)."""
    actions: set[str] = set()
    for run in range(runs):
        state, _ = play_session(deck, 1, run, policy)
        assert state.outcome is not None
        actions.update(d.action for d in state.decisions if d.action is not None)
    return actions


@pytest.mark.parametrize("policy", POLICIES)
def test_without_places_no_bot_takes_an_action_on_a_place(policy: str) -> None:
    deck = load_mini().model_copy(update={"places": ()})  # (validation would refuse this deck)
    assert "strike" in {action.id for action in deck.actions if action.target == "place"}
    assert "strike" not in taken(deck, policy)


@pytest.mark.parametrize("policy", POLICIES)
def test_a_team_alone_takes_no_action_on_another_team(policy: str) -> None:
    mini = load_mini()
    deck = mini.model_copy(update={"teams": mini.teams[:1], "groupings": ()})
    assert "posture" in {action.id for action in deck.actions if action.target == "team"}
    assert "posture" not in taken(deck, policy)


def test_actions_with_targets_are_still_taken() -> None:
    assert {"posture", "strike"} <= taken(load_mini(), "hawkish")


def test_a_refused_move_is_a_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(deck: Deck, state: State, team_id: str, policy: str, rng: random.Random) -> SubmitDecision:
        return SubmitDecision(team=team_id, action="strike")  # (a strike needs a place)

    monkeypatch.setattr(simulate, "choose_move", refused)
    state, _ = play_session(load_mini(), 1, 0, "random")
    assert state.outcome is not None
    assert state.decisions and all(decision.passed for decision in state.decisions)


def test_mean_index_has_one_value_per_turn_of_the_deck_even_when_every_run_ends_early() -> None:
    deck = load_mini()
    assert len(simulate.play_one(deck, 0, 0, "hawkish").index_by_turn) < deck.turns.count
    result = simulate.simulate(deck, runs=1, seed=0, policy="hawkish")
    assert len(result["mean_index_by_turn"]) == deck.turns.count
    assert all(isinstance(value, float) for value in result["mean_index_by_turn"])
