"""`State.memo`: values derived from what conditions read, kept until an event changes it.

The memo is only right if every event kind that keeps it really leaves alone everything a deck
condition can read; these tests play whole sessions with the bots and check both that invariant
and that the memoised answers equal a fresh evaluation at every step.
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest

from tests.engine.conftest import BALTIC_PATH, load_mini
from wargame.deck import Deck, load_deck_file
from wargame.engine import commands as c
from wargame.engine.availability import available_action_ids, available_actions
from wargame.engine.bots import POLICIES, choose_move
from wargame.engine.deck_index import deck_index
from wargame.engine.events import Event
from wargame.engine.fold import _KEEPS_MEMO, apply
from wargame.engine.rules import decide
from wargame.engine.state import State, holds
from wargame.errors import RuleError


def condition_inputs(state: State) -> tuple[Any, ...]:
    """Everything the condition language can read (see wargame.engine.predicates.getter)."""
    return (
        state.index,
        state.turn,
        dict(state.tracks),
        dict(state.flags),
        dict(state.injected),
        dict(state.taken),
        {
            team.id: (team.members, team.active, team.escalation, team.deescalation)
            for team in state.teams.values()
        },
    )


def fresh_available(deck: Deck, state: State, members: tuple[str, ...]) -> list[str]:
    return [action.id for action in deck_index(deck).menu(members) if holds(deck, state, action.requires)]


def play(deck: Deck, seed: int, policy: str, check: Any) -> None:
    """A bot-played session; `check(before, after, events)` runs after every command."""
    rng = random.Random(seed)
    state = State()
    log: list[Event] = []
    teams = tuple(c.TeamSetup(team.id, team.name, (team.id,)) for team in deck.teams)
    cmd = 1
    log.extend(decide(deck, state, log, c.CreateSession(seed=seed, teams=teams), cmd=cmd))
    while not state.ended:
        commands: list[c.Command] = []
        if state.phase == "moves":
            commands = [choose_move(deck, state, team.id, policy, rng) for team in state.active_teams()]
        for command in [*commands, c.Advance()]:
            cmd += 1
            before = copy.deepcopy(state)
            try:
                events = decide(deck, state, log, command, cmd=cmd)
            except RuleError:
                continue
            log.extend(events)
            check(before, state, events)


@pytest.fixture(scope="module")
def baltic() -> Deck:
    return load_deck_file(BALTIC_PATH).deck


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("seed", range(6))
def test_memoised_availability_matches_a_fresh_evaluation(baltic: Deck, policy: str, seed: int) -> None:
    checked = 0

    def check(before: State, state: State, events: list[Event]) -> None:
        nonlocal checked
        for team in state.teams.values():
            expected = fresh_available(baltic, state, team.members)
            assert [action.id for action in available_actions(baltic, state, team.members)] == expected
            assert available_action_ids(baltic, state, team.members) == frozenset(expected)
            checked += 1

    play(baltic, seed, policy, check)
    assert checked > 100


@pytest.mark.parametrize("deck_name", ["baltic", "mini"])
@pytest.mark.parametrize("policy", POLICIES)
def test_event_kinds_that_keep_the_memo_change_nothing_conditions_read(
    baltic: Deck, deck_name: str, policy: str
) -> None:
    deck = baltic if deck_name == "baltic" else load_mini()
    seen: set[str] = set()

    def check(before: State, state: State, events: list[Event]) -> None:
        for event in events:  # replayed one by one on the state before the command
            inputs = condition_inputs(before)
            apply(deck, before, event)
            if event.kind in _KEEPS_MEMO:
                seen.add(event.kind)
                assert condition_inputs(before) == inputs, event
        assert repr(before) == repr(state)

    for seed in range(4):
        play(deck, seed, policy, check)
    assert {"phase_changed", "decision_recorded", "turn_ended"} <= seen


def test_an_event_that_changes_the_index_clears_the_memo(baltic: Deck) -> None:
    def check(before: State, state: State, events: list[Event]) -> None:
        if any(event.kind == "decisions_revealed" for event in events):
            assert not state.memo

    play(baltic, 1, "hawkish", check)
