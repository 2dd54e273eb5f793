"""The session controller: decide, commit, then apply and announce; reopen exactly where it stood."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from wargame.deck import DeckError, LoadedDeck, load_deck_file
from wargame.engine import commands as c
from wargame.engine.events import Event
from wargame.engine.fold import fold
from wargame.engine.rules import undo_redo_stacks
from wargame.engine.state import State
from wargame.errors import RuleError, StoreError
from wargame.session import SessionController
from wargame.store import Store, deck_hash, new_session_id

from .conftest import MINI, SETUP

OpenStore = Callable[[], Store]

#: Turn 1 of the mini deck, command by command (phases: inject, deliberation, moves, reveal,
#: adjudication, scoring), with roster changes and a note on the way.
TURN_1: list[c.Command] = [
    c.Advance(),  # turn 1 starts: the inject phase, the scheduled card
    c.AddPlayer("red", "Anna"),
    c.Advance(),  # deliberation
    c.RenameTeam("green", "Greens"),
    c.Advance(),  # moves
    c.SubmitDecision("red", action="talk", rationale="A line to blue"),
    c.SubmitDecision("blue", free_text="We watch", predict="Red blinks"),
    c.SubmitDecision("green", action="posture", target="red"),
    c.Advance(),  # the moves are revealed; the reveal phase
    c.Advance(),  # adjudication
    c.Adjudicate("blue", -2.0, "Watching calmly helped"),
    c.AddNote("Blue asked for time", team="blue"),
    c.Advance(),  # scoring
    c.Advance(),  # turn 1 ends, turn 2 starts with a random card
]
MOVES_PHASE = TURN_1.index(c.Advance(), 4) + 1  # commands to run to reach turn 1's moves phase
REVEALED = TURN_1.index(c.SubmitDecision("green", action="posture", target="red")) + 2


def run(session: SessionController, commands: Sequence[c.Command]) -> None:
    for command in commands:
        session.execute(command)


def play_out(session: SessionController) -> None:
    """Play to the end: every team passes, the facilitator advances."""
    for _ in range(200):
        if session.state.ended:
            return
        state = session.state
        waiting = [team.id for team in state.active_teams() if team.id not in state.submitted_teams()]
        if state.phase == "moves" and state.turn not in state.revealed_turns and waiting:
            session.execute(c.SubmitDecision(waiting[0]))
        else:
            session.execute(c.Advance())
    raise AssertionError("the session did not end")


def assert_same(live: SessionController, other: SessionController) -> None:
    assert other.session_id == live.session_id
    assert other.events == live.events
    assert other.state == live.state
    assert other.scores() == live.scores()
    assert other.band == live.band
    assert (other.can_undo(), other.can_redo()) == (live.can_undo(), live.can_redo())
    # the live controller's stacks were kept up to date command by command; the other's read whole
    assert live.undo_redo_stacks() == other.undo_redo_stacks() == undo_redo_stacks(live.events)
    assert other.loaded.text == live.loaded.text


def assert_stored(store: Store, session: SessionController) -> None:
    """The store holds exactly the controller's log, and a summary that matches its state."""
    assert store.events(session.session_id) == session.events
    info = store.session(session.session_id)
    assert info.event_count == len(session.events)
    assert info.current_turn == session.state.turn
    assert info.status == ("ended" if session.state.ended else "running")
    assert info.outcome == session.state.outcome


# --- creating and reopening ---------------------------------------------------------------------


def test_create_stores_the_session(loaded: LoadedDeck, store: Store) -> None:
    session = SessionController.create(loaded, SETUP, store)
    info = store.session(session.session_id)
    assert info.deck_id == "mini"
    assert info.deck_title == "Mini crisis"
    assert info.deck_version == "1"
    assert info.deck_origin == str(MINI)
    assert info.seed == 5
    assert (info.class_label, info.facilitator) == ("7B", "Ms Ozols")
    assert (info.status, info.current_turn, info.outcome, info.event_count) == ("running", 0, None, 1)
    assert store.deck_text(session.session_id) == MINI.read_text(encoding="utf-8")
    assert info.deck_hash == deck_hash(loaded.text)
    [created] = session.events
    assert (created.seq, created.kind, created.cmd) == (1, "session_created", 1)
    assert store.events(session.session_id) == [created]
    assert session.state.teams.keys() == {"red", "blue", "green"}
    assert not session.can_undo()


def test_reopen_matches_the_live_session_after_every_command(
    loaded: LoadedDeck, open_store: OpenStore
) -> None:
    writer, reader = open_store(), open_store()
    live = SessionController.create(loaded, SETUP, writer)
    assert_same(live, SessionController.open(reader, live.session_id))
    for command in TURN_1:
        live.execute(command)
        assert_same(live, SessionController.open(reader, live.session_id))
        assert_stored(reader, live)
        assert live.state == fold(live.deck, live.events)  # the live state is the fold of its log


def test_play_to_the_end_and_reopen(loaded: LoadedDeck, open_store: OpenStore) -> None:
    live = SessionController.create(loaded, SETUP, open_store())
    run(live, TURN_1)
    play_out(live)
    assert live.state.ended
    assert live.state.end_reason == "last_turn"
    reader = open_store()
    reopened = SessionController.open(reader, live.session_id)
    assert_same(live, reopened)
    assert_stored(reader, live)
    with pytest.raises(RuleError, match="the session has ended"):
        reopened.execute(c.Advance())
    assert reader.events(live.session_id) == live.events


def test_reopened_session_continues_as_the_live_one_would(loaded: LoadedDeck, open_store: OpenStore) -> None:
    """Numbering (seq and cmd) and state carry on across a reopen: same events as one unbroken run."""
    first = SessionController.create(loaded, SETUP, open_store())
    run(first, TURN_1[:7])
    reopened = SessionController.open(open_store(), first.session_id)
    run(reopened, TURN_1[7:])
    play_out(reopened)

    unbroken = SessionController(loaded, "0" * 32, first.events[:1], None)  # same first event, not stored
    run(unbroken, TURN_1)
    play_out(unbroken)
    assert reopened.events == unbroken.events
    assert reopened.state == unbroken.state


def test_session_without_a_store(loaded: LoadedDeck, store: Store) -> None:
    seen: list[list[Event]] = []
    session = SessionController.create(loaded, SETUP, None)
    session.add_listener(lambda events, _state: seen.append(list(events)))
    run(session, TURN_1)
    assert len(seen) == len(TURN_1)
    assert store.sessions() == []


# --- listeners ------------------------------------------------------------------------------------------


def test_listeners_are_called_after_the_commit(
    loaded: LoadedDeck, open_store: OpenStore, db_url: str
) -> None:
    session = SessionController.create(loaded, SETUP, open_store())
    calls: list[tuple[list[Event], State]] = []

    def listener(events: Sequence[Event], state: State) -> None:
        # Another connection (as another window or process would) already sees the events.
        with Store(db_url) as other:
            stored = other.events(session.session_id)
        assert stored[-len(events) :] == list(events)
        assert stored == session.events  # the controller's log already includes them, too
        assert state is session.state
        assert state == fold(session.deck, stored)
        calls.append((list(events), copy.deepcopy(state)))

    order: list[str] = []
    session.add_listener(listener)
    session.add_listener(lambda _events, _state: order.append("second"))
    for command in TURN_1[:MOVES_PHASE]:
        new = session.execute(command)
        assert calls[-1][0] == new
    assert len(calls) == len(order) == MOVES_PHASE

    # A refused command is not announced.
    with pytest.raises(RuleError):
        session.execute(c.Advance())  # nobody has moved yet
    assert len(calls) == MOVES_PHASE

    session.remove_listener(listener)
    session.execute(TURN_1[MOVES_PHASE])
    assert len(calls) == MOVES_PHASE
    assert len(order) == MOVES_PHASE + 1


def test_listeners_hear_undo_with_the_refolded_state(loaded: LoadedDeck, store: Store) -> None:
    session = SessionController.create(loaded, SETUP, store)
    run(session, TURN_1[:MOVES_PHASE])
    heard: list[State] = []
    session.add_listener(lambda _events, state: heard.append(copy.deepcopy(state)))
    session.execute(c.Undo())
    assert heard == [session.state]
    assert heard[0].phase == "deliberation"


# --- refusals: state and store unchanged -----------------------------------------------------------


def snapshot(store: Store, session: SessionController) -> tuple[object, ...]:
    return (
        copy.deepcopy(session.state),
        session.events,
        store.events(session.session_id),
        store.session(session.session_id).event_count,
        store.session(session.session_id).current_turn,
        (session.can_undo(), session.can_redo()),
    )


RULE_ERRORS = [
    pytest.param(0, c.SubmitDecision("red", action="talk"), "has not started", id="move-before-start"),
    pytest.param(0, c.Undo(), "nothing to undo", id="undo-nothing"),
    pytest.param(0, c.Redo(), "nothing to redo", id="redo-nothing"),
    pytest.param(0, c.InjectCard("opening"), "has not started", id="card-before-start"),
    pytest.param(0, c.CreateSession(seed=1, teams=SETUP.teams), "already exists", id="create-again"),
    pytest.param(
        MOVES_PHASE, c.Advance(), "cannot reveal yet: waiting for Red, Blue, Greens", id="reveal-early"
    ),
    pytest.param(
        MOVES_PHASE, c.SubmitDecision("blue", action="accept"), "not available now", id="accept-early"
    ),
    pytest.param(MOVES_PHASE, c.SubmitDecision("purple"), "unknown team 'purple'", id="unknown-team"),
    pytest.param(
        MOVES_PHASE, c.SubmitDecision("green", action="strike"), "not on this team's menu", id="menu"
    ),
    pytest.param(MOVES_PHASE, c.InjectCard("nosuch"), "unknown card 'nosuch'", id="unknown-card"),
    pytest.param(
        MOVES_PHASE, c.Adjudicate("red", 1, "why"), "after this turn's moves are revealed", id="adj"
    ),
    pytest.param(REVEALED, c.SubmitDecision("red", action="talk"), "before the reveal", id="late-move"),
    pytest.param(REVEALED, c.Adjudicate("red", 1, "  "), "needs a written reason", id="no-reason"),
    pytest.param(REVEALED, c.RemoveTeam("purple"), "unknown team", id="remove-unknown"),
]


@pytest.mark.parametrize(("prefix", "command", "message"), RULE_ERRORS)
def test_rule_error_leaves_state_and_store_unchanged(
    loaded: LoadedDeck, open_store: OpenStore, prefix: int, command: c.Command, message: str
) -> None:
    store = open_store()
    session = SessionController.create(loaded, SETUP, store)
    run(session, TURN_1[:prefix])
    before = snapshot(store, session)
    heard: list[object] = []
    session.add_listener(lambda events, _state: heard.append(events))

    with pytest.raises(RuleError, match=message):
        session.execute(command)

    assert snapshot(store, session) == before
    assert heard == []
    # The next command numbers on as if the refused one had never been tried.
    last = session.events[-1]
    new = session.execute(TURN_1[prefix])
    assert new[0].seq == last.seq + 1
    assert {event.cmd for event in new} == {last.cmd + 1}
    assert_same(session, SessionController.open(open_store(), session.session_id))


SECOND_WRITER = [
    pytest.param(0, c.Advance(), c.Advance(), id="both-start-turn-1"),
    pytest.param(
        MOVES_PHASE,
        c.SubmitDecision("red", action="talk"),
        c.SubmitDecision("blue", action="talk"),
        id="both-record-a-move",
    ),
    pytest.param(MOVES_PHASE, c.AddNote("first"), c.Undo(), id="undo-loses"),
    pytest.param(REVEALED, c.Advance(), c.Adjudicate("red", 3, "later"), id="adjudication-loses"),
]


@pytest.mark.parametrize(("prefix", "theirs", "ours"), SECOND_WRITER)
def test_store_error_leaves_state_unchanged_and_writes_nothing(
    loaded: LoadedDeck, open_store: OpenStore, prefix: int, theirs: c.Command, ours: c.Command
) -> None:
    ours_store = open_store()
    session = SessionController.create(loaded, SETUP, ours_store)
    run(session, TURN_1[:prefix])
    other = SessionController.open(open_store(), session.session_id)
    heard: list[object] = []
    session.add_listener(lambda events, _state: heard.append(events))
    state_before = copy.deepcopy(session.state)
    events_before = session.events

    other.execute(theirs)  # the other writer stores the next seq first
    with pytest.raises(StoreError, match="another writer") as caught:
        session.execute(ours)

    assert caught.value.written is False
    assert session.state == state_before
    assert session.events == events_before
    assert heard == []
    assert_stored(ours_store, other)  # only the other writer's events are in the store
    assert_same(other, SessionController.open(ours_store, session.session_id))
    # Still refused until it is reopened; the state stays put each time.
    with pytest.raises(StoreError):
        session.execute(ours)
    assert session.state == state_before


# --- undo and redo ----------------------------------------------------------------------------------------


def test_undo_and_redo_persist(loaded: LoadedDeck, open_store: OpenStore) -> None:
    store, reader = open_store(), open_store()
    session = SessionController.create(loaded, SETUP, store)
    states = [copy.deepcopy(session.state)]
    for command in TURN_1[:REVEALED]:
        session.execute(command)
        states.append(copy.deepcopy(session.state))
    assert session.state.revealed_turns == {1}

    session.execute(c.Undo())  # the reveal
    assert session.state == states[-2]
    assert_same(session, SessionController.open(reader, session.session_id))
    session.execute(c.Undo())  # green's move
    assert session.state == states[-3]
    assert session.can_undo() and session.can_redo()
    assert_same(session, SessionController.open(reader, session.session_id))
    assert_stored(reader, session)

    session.execute(c.Redo())  # green's move again
    assert session.state == states[-2]
    reopened = SessionController.open(reader, session.session_id)
    assert_same(session, reopened)

    # The reopened controller redoes the reveal, and the first one is now out of date.
    reopened.execute(c.Redo())
    assert reopened.state == states[-1]
    assert not reopened.can_redo()
    with pytest.raises(StoreError):
        session.execute(c.Redo())
    session = SessionController.open(store, session.session_id)
    assert_same(reopened, session)


def test_a_new_command_clears_redo(loaded: LoadedDeck, open_store: OpenStore) -> None:
    session = SessionController.create(loaded, SETUP, open_store())
    run(session, TURN_1[:MOVES_PHASE])
    session.execute(c.SubmitDecision("red", action="talk"))
    session.execute(c.Undo())
    session.execute(c.SubmitDecision("red", action="posture", target="blue", rationale="changed my mind"))
    assert not session.can_redo()
    with pytest.raises(RuleError, match="nothing to redo"):
        session.execute(c.Redo())
    reopened = SessionController.open(open_store(), session.session_id)
    assert_same(session, reopened)
    [decision] = reopened.state.decisions
    assert decision.action == "posture"


def test_undo_the_start_of_a_turn(loaded: LoadedDeck, open_store: OpenStore) -> None:
    store = open_store()
    session = SessionController.create(loaded, SETUP, store)
    fresh = copy.deepcopy(session.state)
    started = session.execute(c.Advance())
    assert [event.kind for event in started] == ["turn_started", "phase_changed", "card_injected"]
    undone = session.execute(c.Undo())
    assert [event.data["target"] for event in undone] == [4, 3, 2]
    assert session.state == fresh
    assert store.session(session.session_id).current_turn == 0
    assert_same(session, SessionController.open(open_store(), session.session_id))


def test_undo_the_end_of_the_session(loaded: LoadedDeck, open_store: OpenStore) -> None:
    store = open_store()
    session = SessionController.create(loaded, SETUP, store)
    play_out(session)
    outcome = session.state.outcome
    assert outcome is not None
    assert store.session(session.session_id).status == "ended"

    session.execute(c.Undo())
    assert not session.state.ended
    assert session.state.outcome is None
    info = store.session(session.session_id)
    assert (info.status, info.outcome) == ("running", None)
    assert_same(session, SessionController.open(open_store(), session.session_id))

    session.execute(c.Redo())
    assert session.state.outcome == outcome
    info = store.session(session.session_id)
    assert (info.status, info.outcome) == ("ended", outcome)
    assert_same(session, SessionController.open(open_store(), session.session_id))


# --- the deck stored with the session ------------------------------------------------------------------


@pytest.mark.parametrize("change", ["edited", "not-a-deck", "deleted"])
def test_reopen_uses_the_stored_deck_text(
    loaded: LoadedDeck, open_store: OpenStore, tmp_path: Path, change: str
) -> None:
    copied = tmp_path / "decks" / "mini.yaml"
    copied.parent.mkdir()
    shutil.copyfile(MINI, copied)
    original = copied.read_text(encoding="utf-8")
    live = SessionController.create(load_deck_file(copied), SETUP, open_store())
    run(live, TURN_1)

    if change == "edited":
        assert original.count("escalation: -4\n") == 1
        copied.write_text(
            original.replace("title: Mini crisis", "title: Another crisis").replace(
                "escalation: -4\n", "escalation: -40\n"
            ),
            encoding="utf-8",
        )
        assert load_deck_file(copied).deck.action("talk").escalation == -40
    elif change == "not-a-deck":
        copied.write_text("id: [this is not, a deck\n", encoding="utf-8")
    else:
        copied.unlink()

    reopened = SessionController.open(open_store(), live.session_id)
    assert reopened.loaded.text == original
    assert reopened.deck.title == "Mini crisis"
    assert reopened.deck.action("talk").escalation == -4
    assert "stored with session" in reopened.loaded.origin
    assert_same(live, reopened)
    reopened.execute(c.Advance())  # and it plays on with the stored deck
    assert reopened.state == fold(live.deck, reopened.events)


# --- creating: refused by the rules or by the store -------------------------------------------------


def test_create_refused_by_the_rules_stores_nothing(loaded: LoadedDeck, store: Store) -> None:
    with pytest.raises(RuleError, match="at least one team"):
        SessionController.create(loaded, c.CreateSession(seed=1, teams=()), store)
    with pytest.raises(RuleError, match="unknown team 'purple'"):
        SessionController.create(
            loaded, c.CreateSession(seed=1, teams=(c.TeamSetup("p", "P", ("purple",)),)), store
        )
    assert store.sessions() == []


def test_create_refused_by_the_store_stores_nothing(loaded: LoadedDeck, store: Store) -> None:
    with pytest.raises(StoreError, match="out of range") as caught:
        SessionController.create(loaded, c.CreateSession(seed=2**63, teams=SETUP.teams), store)
    assert caught.value.written is False
    assert store.sessions() == []


# --- the log's head across undo, reopening and stores -----------------------------------------------


def test_the_chain_continues_through_undo_redo_and_reopening(
    loaded: LoadedDeck, open_store: OpenStore
) -> None:
    """Each store remembers the head of the logs it wrote; undo, redo, a second store writing and
    reopening must all leave one intact chain."""
    first, second = open_store(), open_store()
    session = SessionController.create(loaded, SETUP, first)
    run(session, TURN_1[:REVEALED])
    session.execute(c.Undo())
    session.execute(c.Redo())
    session.execute(c.Undo())
    assert first.verify(session.session_id).ok

    elsewhere = SessionController.open(second, session.session_id, write=True)
    elsewhere.execute(c.Redo())
    elsewhere.execute(c.AddNote("written by the second store"))
    with pytest.raises(StoreError, match="changed by another writer"):
        session.execute(c.AddNote("written from a stale view"))

    session = SessionController.open(first, session.session_id, write=True)
    run(session, TURN_1[REVEALED:])
    session.execute(c.Undo())
    check = first.verify(session.session_id)
    assert check.ok and check.events == len(session.events)
    assert_stored(second, session)
    assert_same(session, SessionController.open(open_store(), session.session_id))


def test_opening_for_writing_a_session_whose_deck_no_longer_loads_keeps_no_lease(
    db_url: str, store: Store
) -> None:
    session_id = new_session_id()
    store.create_session(
        session_id=session_id,
        deck_id="broken",
        deck_title="Broken",
        deck_version="1",
        deck_text="id: [this is not, a deck\n",
        deck_origin="builtin:broken",
        seed=1,
        class_label="",
        facilitator="",
        first_events=[Event(seq=1, kind="session_created", data={}, cmd=1)],
    )
    store.release_lease(session_id)
    with pytest.raises(DeckError, match="stored with session"):
        SessionController.open(store, session_id, write=True)
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            holder = conn.execute(
                text("SELECT lease_holder FROM sessions WHERE id = :id"), {"id": session_id}
            )
            assert holder.scalar() is None
    finally:
        engine.dispose()


@pytest.mark.parametrize("newest", [True, False], ids=["newest-deleted", "one-in-the-middle-deleted"])
def test_a_session_whose_log_does_not_match_its_record_opens_read_only(
    db_url: str, loaded: LoadedDeck, store: Store, newest: bool
) -> None:
    """Writing on would bring the record in line with the log, and `verify` could no longer tell."""
    session = SessionController.create(loaded, SETUP, store)
    run(session, TURN_1)
    recorded = len(session.events)
    stored, last = (recorded - 2, recorded - 2) if newest else (recorded - 1, recorded)
    store.release_lease(session.session_id)
    engine = create_engine(db_url)
    edit = "seq > :seq" if newest else "seq = :seq"
    try:
        with engine.begin() as conn:
            conn.execute(
                text(f"DELETE FROM events WHERE session_id = :id AND {edit}"),
                {"id": session.session_id, "seq": stored if newest else 5},
            )
    finally:
        engine.dispose()

    reopened = SessionController.open(store, session.session_id, write=True)
    assert reopened.read_only is not None and reopened.log_altered
    assert f"({recorded} events recorded, {stored} stored, the last numbered {last})" in reopened.read_only
    assert f"wargame sessions verify {session.session_id[:12]}" in reopened.read_only
    with pytest.raises(StoreError, match="do not match its record"):
        reopened.execute(c.Advance())
    assert store.session(session.session_id).event_count == recorded
    assert not store.verify(session.session_id).ok
    assert SessionController.open(store, session.session_id, write=True).read_only is not None


def test_an_intact_session_reopens_for_writing(loaded: LoadedDeck, store: Store) -> None:
    session = SessionController.create(loaded, SETUP, store)
    run(session, TURN_1[:MOVES_PHASE])
    store.release_lease(session.session_id)
    reopened = SessionController.open(store, session.session_id, write=True)
    assert reopened.read_only is None and not reopened.log_altered
