"""The fold's fast paths give exactly the state of applying each event by its handler.

`apply_all` unpacks each event once, adds notes inline and builds notes, index points and
adjudications with `tuple.__new__`; these tests check the result against what the log says
(notes computed from the log by hand), against the state a controller builds command by command,
and against folds of every prefix of a log with notes, adjudications, undo and redo.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from tests.engine.conftest import BALTIC_PATH
from wargame.deck import Deck, load_deck_file
from wargame.engine import commands as c
from wargame.engine import events as ev
from wargame.engine.bots import choose_move
from wargame.engine.events import Event
from wargame.engine.fold import active_events, apply, apply_all, fold
from wargame.engine.state import Adjudication, IndexPoint, Note, State
from wargame.errors import DamagedEventError

from .conftest import Driver

NOTE_TEXTS = (
    "plain",
    'quoted "words", a [bracket], a {brace} and a back\\slash',
    "Équipe <b>bleue</b> — ✓ 東京",
    "two\nlines\tand a tab",
    "",
)


@pytest.fixture(scope="module")
def baltic() -> Deck:
    return load_deck_file(BALTIC_PATH).deck


def played(deck: Deck, seed: int, turns: int = 4) -> Driver:
    """A bot-played session with notes (some of a team) before and after moves, adjudications of
    every move, and an undone note, an undone adjudication and a redone one."""
    rng = random.Random(seed)
    driver = Driver(deck)
    driver.create(teams=tuple(c.TeamSetup(team.id, team.name, (team.id,)) for team in deck.teams), seed=seed)
    team_ids = [team.id for team in deck.teams]
    while not driver.state.ended and driver.state.turn <= turns:
        state = driver.state
        if state.phase == "moves" and state.turn not in state.revealed_turns:
            for number, text in enumerate(NOTE_TEXTS):
                author = rng.choice([None, *team_ids])
                driver.run(c.AddNote(f"{text} ({state.turn}.{number})", author))
            driver.run(c.AddNote("undone"))
            driver.undo()
            for team in state.active_teams():
                driver.run(choose_move(deck, state, team.id, "cooperative", rng))
        if state.phase == "adjudication":
            for decision in state.decisions_in_turn(state.turn):
                delta = rng.choice((-2.0, -1.0, 1.0, 2.0))
                driver.run(c.Adjudicate(decision.team, delta, "why", decision.seq))
            driver.undo()
            driver.redo()
            driver.run(c.AddNote("after the adjudication"))
        driver.advance()
    return driver


def turns_by_hand(events: list[Event]) -> dict[int, int]:
    """The turn each event that counts happened in, by seq."""
    turn, turns = 0, {}
    for event in active_events(events):
        if event.kind == ev.TURN_STARTED:
            turn = int(event.data["turn"])
        turns[event.seq] = turn
    return turns


def notes_by_hand(events: list[Event]) -> list[tuple[int, int, str, str | None]]:
    """The notes a log holds: each `note_added` that counts, with the turn it was added in."""
    turns = turns_by_hand(events)
    return [
        (event.seq, turns[event.seq], event.data["text"], event.data.get("team"))
        for event in active_events(events)
        if event.kind == ev.NOTE_ADDED
    ]


@pytest.mark.parametrize("seed", [1, 2])
def test_the_fold_of_a_log_is_the_state_built_command_by_command(baltic: Deck, seed: int) -> None:
    driver = played(baltic, seed)
    folded = fold(baltic, driver.log)
    assert folded == driver.state
    assert len(folded.notes) > 4 * len(NOTE_TEXTS) and folded.adjudications and folded.history


@pytest.mark.parametrize("seed", [1, 2])
def test_notes_are_exactly_those_of_the_log(baltic: Deck, seed: int) -> None:
    driver = played(baltic, seed)
    notes = fold(baltic, driver.log).notes
    assert [tuple(note) for note in notes] == notes_by_hand(driver.log)
    assert all(type(note) is Note for note in notes)
    assert {note.text.split(" (")[0] for note in notes} >= set(NOTE_TEXTS) | {"after the adjudication"}
    assert "undone" not in {note.text for note in notes}
    assert any(note.team is not None for note in notes) and any(note.team is None for note in notes)


def test_index_points_and_adjudications_are_their_named_tuples(baltic: Deck) -> None:
    log = played(baltic, 3).log
    state, turns = fold(baltic, log), turns_by_hand(log)
    assert state.history and all(type(point) is IndexPoint for point in state.history)
    assert state.adjudications and all(type(a) is Adjudication for a in state.adjudications)
    assert all(point.turn == turns[point.seq] for point in state.history)
    adjudicated = {e.seq: e.data for e in active_events(log) if e.kind == ev.ADJUDICATED}
    assert [a.seq for a in state.adjudications] == list(adjudicated)
    for a in state.adjudications:
        data = adjudicated[a.seq]
        assert tuple(a) == (a.seq, turns[a.seq], data["team"], data["delta"], "why", data["decision_seq"])
    first = state.adjudications[0]
    assert first.decision_seq in {decision.seq for decision in state.decisions}
    assert any(point.cause.startswith("adjudication:") for point in state.history)
    assert any(point.cause.startswith("move:") for point in state.history)


def test_every_prefix_folds_as_the_events_applied_one_by_one(baltic: Deck) -> None:
    """Applying events one at a time (`apply`) and in one go (`apply_all`, from any iterable)
    give the same state after every event of a log without undo."""
    log = [event for event in active_events(played(baltic, 4, turns=2).log)]
    one_by_one = State()
    for count, event in enumerate(log, start=1):
        apply(baltic, one_by_one, event)
        if count % 7 == 0 or count == len(log):
            in_one_go = State()
            apply_all(baltic, in_one_go, iter(log[:count]))
            assert in_one_go == one_by_one == fold(baltic, log[:count])


def test_a_note_without_text_and_an_unknown_kind_are_refused(baltic: Deck) -> None:
    created = played(baltic, 5, turns=0).log[:1]
    with pytest.raises(DamagedEventError, match=r"^event #2 \(note_added\) cannot be replayed"):
        fold(baltic, [*created, Event(2, ev.NOTE_ADDED, {"team": None}, 2)])
    with pytest.raises(DamagedEventError, match=r"^event #2 \(no_such_kind\) cannot be replayed"):
        fold(baltic, [*created, Event(2, "no_such_kind", {}, 2)])


def test_a_damaged_event_is_named_whatever_its_kind(baltic: Deck) -> None:
    """Data edited by hand into the wrong shape: one clear error naming the event, never a KeyError."""
    log = played(baltic, 5, turns=2).log
    for position in (0, 3, len(log) // 2, len(log) - 1):
        event = log[position]
        shapes: list[dict[str, Any]] = [{}, {key: [] for key in event.data}]
        for data in shapes:
            damaged = [*log[:position], Event(event.seq, event.kind, data, event.cmd), *log[position + 1 :]]
            try:
                fold(baltic, damaged)
            except DamagedEventError as exc:
                assert str(exc).startswith(f"event #{event.seq} ({event.kind})"), exc


def test_a_number_too_large_for_a_float_is_damage_too(baltic: Deck) -> None:
    """JSON integers have no limit; an adjudication's delta is read as a float."""
    log = played(baltic, 5, turns=1).log
    adjudicated = next(event for event in log if event.kind == ev.ADJUDICATED)
    data = {**adjudicated.data, "delta": 10**400}
    damaged = [event if event is not adjudicated else event._replace(data=data) for event in log]
    with pytest.raises(
        DamagedEventError, match=rf"^event #{adjudicated.seq} \(adjudicated\) cannot be replayed"
    ):
        fold(baltic, damaged)


@pytest.mark.parametrize(
    "kind", [ev.TURN_STARTED, ev.DECISION_RECORDED, ev.DECISIONS_REVEALED, ev.TURN_ENDED]
)
@pytest.mark.parametrize("turn", [10**400, 0, 101])
def test_a_turn_the_rules_never_allow_is_damage(baltic: Deck, kind: str, turn: int) -> None:
    """A hand-edited turn of 10**400 passed the fold and broke the report's chart."""
    log = played(baltic, 5, turns=1).log
    edited = next(event for event in log if event.kind == kind)
    damaged = [e if e is not edited else e._replace(data={**e.data, "turn": turn}) for e in log]
    with pytest.raises(DamagedEventError, match=rf"^event #{edited.seq} \({kind}\) cannot be replayed"):
        fold(baltic, damaged)
