"""Whole sessions of real decks: every team passes but one, which takes a valid action each turn."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.conftest import BALTIC_PATH, MINI_PATH, Driver
from wargame.deck import Deck, DeckError, load_deck_file
from wargame.engine import commands as c
from wargame.engine import events as ev
from wargame.errors import RuleError


def load_or_skip(path: Path) -> Deck:
    if not path.exists():
        pytest.skip(f"{path.name} does not exist yet")
    try:
        return load_deck_file(path).deck
    except DeckError as exc:
        pytest.skip(f"{path.name} does not load: {str(exc).splitlines()[0]}")


def targets_for(deck: Deck, driver: Driver, target: str, mover: str) -> list[str | None]:
    if target == "none":
        return [None]
    if target == "place":
        return [place.id for place in deck.places]
    return [team.id for team in driver.state.active_teams() if team.id != mover]


def take_a_valid_action(deck: Deck, driver: Driver, mover: str, turn: int) -> str:
    """Submit the first action on the mover's menu the rules accept (rotating the start each turn)."""
    menu = [action for action in deck.actions if mover in action.teams]
    assert menu, f"{mover} has no actions"
    start = turn % len(menu)
    for action in menu[start:] + menu[:start]:
        for target in targets_for(deck, driver, action.target, mover):
            try:
                driver.run(c.SubmitDecision(team=mover, action=action.id, target=target, rationale="test"))
            except RuleError:
                continue
            return action.id
    raise AssertionError(f"turn {turn}: no action on {mover}'s menu is available")


def play_through(deck: Deck, seed: int = 11) -> Driver:
    driver = Driver(deck).create(teams=[c.TeamSetup(t.id, t.name, (t.id,)) for t in deck.teams], seed=seed)
    mover = next(team.id for team in deck.teams if any(team.id in a.teams for a in deck.actions))
    driver.advance()
    while not driver.state.ended:
        assert driver.state.turn <= deck.turns.count
        driver.advance_to("moves")
        take_a_valid_action(deck, driver, mover, driver.state.turn)
        driver.pass_others(mover)
        turn = driver.state.turn
        while not driver.state.ended and driver.state.turn == turn:
            driver.advance()
    return driver


def check_ended_with_a_deck_outcome(deck: Deck, driver: Driver) -> None:
    state = driver.state
    assert state.ended
    assert state.outcome in {outcome.id for outcome in deck.outcomes}
    assert state.end_reason in {"early_end", "last_turn"}
    if state.end_reason == "last_turn":
        assert state.turn == deck.turns.count
    assert driver.kinds()[-1] == ev.SESSION_ENDED
    assert driver.folded() == state
    assert [e.seq for e in driver.log] == list(range(1, len(driver.log) + 1))
    low, high = deck.escalation.min, deck.escalation.max
    assert all((low is None or i >= low) and (high is None or i <= high) for i in state.index_by_turn)


@pytest.mark.parametrize("path", [MINI_PATH, BALTIC_PATH], ids=["mini", "baltic"])
def test_play_a_deck_end_to_end(path: Path) -> None:
    deck = load_or_skip(path)
    driver = play_through(deck)
    check_ended_with_a_deck_outcome(deck, driver)
    moves = [d for d in driver.state.decisions if not d.passed]
    assert moves
    assert {d.turn for d in moves} == set(range(1, driver.state.turn + 1))
