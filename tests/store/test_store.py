"""Store behaviour against a real database (every test runs on each `db_url`)."""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text

from wargame.engine.events import DECISION_RECORDED, SESSION_ENDED, TURN_STARTED, Event
from wargame.errors import StoreError
from wargame.store import SessionInfo, Store, deck_hash, eventlog, new_session_id
from wargame.store.store import SessionBusy

from .helpers import DECK_TEXT, first_events, make_session


def turn(seq: int, number: int = 1, cmd: int = 2) -> Event:
    return Event(seq=seq, kind=TURN_STARTED, data={"turn": number}, cmd=cmd)


def decision(seq: int, team: str = "blue", cmd: int = 3) -> Event:
    return Event(
        seq=seq, kind=DECISION_RECORDED, data={"team": team, "choice": "hold", "notes": ["a", 1]}, cmd=cmd
    )


# -- create, append, read ----------------------------------------------------------------------


def test_create_append_and_read_back(store: Store) -> None:
    session_id = make_session(store)
    store.append(session_id, [turn(2), decision(3)], current_turn=1)
    store.append(session_id, [decision(4, "red", cmd=4)])

    assert store.events(session_id) == [*first_events(), turn(2), decision(3), decision(4, "red", cmd=4)]
    assert store.events(session_id, upto=2) == [*first_events(), turn(2)]
    assert store.events(session_id, upto=0) == []
    info = store.session(session_id)
    assert (info.event_count, info.current_turn, info.status, info.outcome) == (4, 1, "running", None)


def test_session_info_is_a_plain_summary(store: Store) -> None:
    before = datetime.now(UTC)
    session_id = make_session(store, seed=2**63 - 1)
    info = store.session(session_id)

    assert isinstance(info, SessionInfo)
    assert not hasattr(info, "deck_text")
    assert store.deck_text(session_id) == DECK_TEXT
    assert info.deck_hash == deck_hash(DECK_TEXT)
    assert info.seed == 2**63 - 1
    assert (info.deck_id, info.deck_title, info.deck_version) == ("test-deck", "Test deck", "1")
    assert (info.deck_origin, info.class_label, info.facilitator) == (
        "builtin:test-deck",
        "Year 10 History",
        "Ms Rivera",
    )
    assert (info.status, info.current_turn, info.outcome, info.event_count) == ("running", 0, None, 1)
    assert info.created_at.utcoffset() == UTC.utcoffset(None)  # aware, and UTC
    assert before <= info.created_at == info.updated_at <= datetime.now(UTC)
    with pytest.raises(AttributeError):
        info.status = "ended"  # type: ignore[misc]


def test_append_updates_the_summary_row(store: Store) -> None:
    session_id = make_session(store)
    created = store.session(session_id)
    store.append(session_id, [turn(2, number=3)], current_turn=3)
    store.append(
        session_id,
        [Event(seq=3, kind=SESSION_ENDED, data={"outcome": "blue"}, cmd=5)],
        status="ended",
        outcome="blue wins",
    )
    info = store.session(session_id)
    assert (info.event_count, info.current_turn, info.status, info.outcome) == (3, 3, "ended", "blue wins")
    assert info.updated_at >= created.updated_at
    assert info.created_at == created.created_at


def test_outcome_is_kept_unless_given_and_none_clears_it(store: Store) -> None:
    session_id = make_session(store)
    store.append(session_id, [turn(2)], status="ended", outcome="blue wins")
    store.append(session_id, [decision(3)], current_turn=2)
    assert store.session(session_id).outcome == "blue wins"
    store.append(session_id, [decision(4)], status="running", outcome=None)  # the end was undone
    info = store.session(session_id)
    assert (info.status, info.outcome, info.current_turn) == ("running", None, 2)


def test_payload_round_trips_unicode_and_nesting(store: Store) -> None:
    data = {"name": "Équipe 北", "nested": {"list": [1, 2.5, None, True], "empty": {}}, "nul": "a\x00b"}
    session_id = make_session(store, events=[Event(seq=1, kind="session_created", data=data, cmd=0)])
    assert store.events(session_id)[0].data == data


def test_sessions_newest_first(store: Store) -> None:
    ids = [make_session(store, class_label=f"class {n}") for n in range(3)]
    listed = store.sessions()
    assert sorted(info.id for info in listed) == sorted(ids)
    created = [info.created_at for info in listed]
    assert created == sorted(created, reverse=True)
    if len(set(created)) == len(created):  # (a coarse clock may give two sessions one timestamp)
        assert [info.class_label for info in listed] == ["class 2", "class 1", "class 0"]


def test_reopening_reads_everything_back(db_url: str) -> None:
    with Store(db_url) as first:
        session_id = make_session(first)
        first.append(session_id, [turn(2), decision(3)], current_turn=1, status="ended", outcome="draw")
        written = (first.session(session_id), first.events(session_id), first.sessions())
    with Store(db_url) as again:
        assert (again.session(session_id), again.events(session_id), again.sessions()) == written
        assert again.deck_text(session_id) == DECK_TEXT


# -- refusals ----------------------------------------------------------------------------------


def test_unknown_session(store: Store) -> None:
    missing = new_session_id()
    for call in (
        lambda: store.session(missing),
        lambda: store.events(missing),
        lambda: store.deck_text(missing),
        lambda: store.append(missing, [turn(1)]),
    ):
        with pytest.raises(StoreError, match=f"no session {missing}") as caught:
            call()
        assert caught.value.written is False


def test_create_session_refusals(store: Store) -> None:
    session_id = make_session(store)
    with pytest.raises(StoreError, match="exists already"):
        make_session(store, session_id=session_id)
    with pytest.raises(StoreError, match="not a session id"):
        make_session(store, session_id="not-hex")
    with pytest.raises(StoreError, match="seed"):
        make_session(store, seed=2**63)
    with pytest.raises(StoreError, match="expected seq 1, got 2"):
        make_session(store, events=[turn(2)])
    assert [info.id for info in store.sessions()] == [session_id]


def test_non_contiguous_seqs_are_refused(store: Store) -> None:
    session_id = make_session(store)
    store.append(session_id, [turn(2)])

    with pytest.raises(StoreError, match="expected seq 3, got 4") as gap:
        store.append(session_id, [decision(4)])
    with pytest.raises(StoreError, match="expected seq 4, got 5") as inner_gap:
        store.append(session_id, [decision(3), decision(5)])
    with pytest.raises(StoreError, match="changed by another writer") as behind:
        store.append(session_id, [decision(2)])
    for caught in (gap, inner_gap, behind):
        assert caught.value.written is False
        assert "nothing was written" in str(caught.value)
    assert store.events(session_id) == [*first_events(), turn(2)]
    assert store.session(session_id).event_count == 2


def test_unknown_status_refused(store: Store) -> None:
    session_id = make_session(store)
    with pytest.raises(StoreError, match="unknown session status 'paused'"):
        store.append(session_id, [turn(2)], status="paused")
    assert store.session(session_id).event_count == 1


def test_batch_with_one_unstorable_event_stores_none(store: Store) -> None:
    session_id = make_session(store)
    bad = Event(seq=3, kind=DECISION_RECORDED, data={"team": {"a set"}}, cmd=3)
    with pytest.raises(StoreError, match=r"event 3 .* not JSON") as caught:
        store.append(session_id, [turn(2), bad, decision(4)], current_turn=1)
    assert caught.value.written is False
    assert store.events(session_id) == first_events()
    assert store.session(session_id).current_turn == 0


@pytest.mark.parametrize(
    "data", [{"where": (1, 2)}, {1: "int key"}, {"x": float("nan")}], ids=["tuple", "int-key", "nan"]
)
def test_payload_that_would_not_replay_identically_is_refused(store: Store, data: dict) -> None:
    session_id = make_session(store)
    with pytest.raises(StoreError, match="event 2"):
        store.append(session_id, [Event(seq=2, kind=DECISION_RECORDED, data=data, cmd=2)])
    assert store.events(session_id) == first_events()


def test_batch_failing_inside_the_database_stores_none(db_url: str, store: Store) -> None:
    """The third insert of a batch fails in the database itself: the first two are rolled back."""
    session_id = make_session(store)
    engine = create_engine(db_url)
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse_boom BEFORE INSERT ON events WHEN NEW.kind = 'boom' "
                "BEGIN SELECT RAISE(ABORT, 'boom refused'); END"
            )
        else:
            conn.exec_driver_sql(
                "CREATE FUNCTION refuse_boom() RETURNS trigger AS $$ BEGIN IF NEW.kind = 'boom' THEN "
                "RAISE EXCEPTION 'boom refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            )
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse_boom BEFORE INSERT ON events "
                "FOR EACH ROW EXECUTE FUNCTION refuse_boom()"
            )
    engine.dispose()

    batch = [turn(2), decision(3), Event(seq=4, kind="boom", data={}, cmd=4)]
    with pytest.raises(StoreError, match="boom refused; nothing was written") as caught:
        store.append(session_id, batch, current_turn=1)
    assert caught.value.written is False
    assert "\n" not in str(caught.value)
    assert store.events(session_id) == first_events()
    info = store.session(session_id)
    assert (info.event_count, info.current_turn) == (1, 0)


# -- two writers -------------------------------------------------------------------------------


BUSY = (
    r"session [0-9a-f]{12} is being run by another instance of wargame "
    r"\(on .+, process \d+\) since \d{4}-\d\d-\d\d \d\d:\d\d UTC; "
)


def lease_held_elsewhere(db_url: str, session_id: str, *, until: datetime | None = None) -> None:
    """Make the session's lease belong to an instance on another computer (the real thing, with
    two processes, is in tests/reliability/test_two_instances.py)."""
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE sessions SET lease_holder = 'laptop-7 4242 0badcafe', lease_since = :since, "
                    "lease_until = :until WHERE id = :id"
                ),
                {
                    "since": datetime(2026, 3, 2, 9, 15, tzinfo=UTC),
                    "until": until or datetime.now(UTC) + timedelta(minutes=5),
                    "id": session_id,
                },
            )
    finally:
        engine.dispose()


def test_no_writes_while_another_instance_holds_the_lease(db_url: str, store: Store) -> None:
    session_id = make_session(store)
    lease_held_elsewhere(db_url, session_id)
    busy = (
        f"session {session_id[:12]} is being run by another instance of wargame "
        "(on laptop-7, process 4242) since 2026-03-02 09:15 UTC; "
    )
    with pytest.raises(SessionBusy) as caught:
        store.append(session_id, [turn(2)])
    assert str(caught.value) == busy + "nothing was written"
    assert caught.value.written is False
    with pytest.raises(SessionBusy) as caught:
        store.take_lease(session_id)
    assert str(caught.value) == busy + "opened read-only"
    store.release_lease(session_id)  # not ours: left alone
    with pytest.raises(SessionBusy):
        store.append(session_id, [turn(2)])
    assert store.events(session_id) == first_events()

    store.take_lease(session_id, force=True)  # the user chose to take the session over
    store.append(session_id, [turn(2)])
    assert store.verify(session_id).ok


def test_an_expired_lease_is_taken_over(db_url: str, store: Store) -> None:
    session_id = make_session(store)
    lease_held_elsewhere(db_url, session_id, until=datetime.now(UTC) - timedelta(seconds=1))
    store.append(session_id, [turn(2)])


def test_the_lease_of_a_crashed_process_of_this_computer_is_taken_over(db_url: str, store: Store) -> None:
    session_id = make_session(store)
    dead = subprocess.Popen(["true"])  # a process of this computer that has ended, as if SIGKILLed
    dead.wait()
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE sessions SET lease_holder = :holder"),
                {"holder": f"{socket.gethostname()} {dead.pid} deadbeef"},
            )
    finally:
        engine.dispose()
    store.append(session_id, [turn(2)])


def test_stores_of_one_process_share_its_lease(open_store: Callable[[], Store]) -> None:
    """One app instance may open several stores (a review window, a report): they do not conflict."""
    console, review = open_store(), open_store()
    session_id = make_session(console)
    review.append(session_id, [turn(2)])
    console.append(session_id, [decision(3)])
    console.close()  # releases the lease
    review.append(session_id, [decision(4)])


def test_second_writer_of_the_same_seq_is_refused(open_store: Callable[[], Store]) -> None:
    console, other = open_store(), open_store()
    session_id = make_session(console)
    console.append(session_id, [turn(2)])

    with pytest.raises(StoreError, match="changed by another writer") as caught:
        other.append(session_id, [decision(2, "red"), decision(3, "red")])
    assert caught.value.written is False
    for store in (console, other):
        assert store.events(session_id) == [*first_events(), turn(2)]
        assert store.session(session_id).event_count == 2


def test_the_database_key_stops_a_writer_with_a_stale_view(
    open_store: Callable[[], Store], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer that read the log before the other committed collides on (session_id, seq)."""
    console, other = open_store(), open_store()
    session_id = make_session(console)
    console.append(session_id, [turn(2)])
    first = console.stored_events(session_id)[0]
    # The head as read before turn(2) was stored.
    monkeypatch.setattr(eventlog, "read_head", lambda conn, session_id: (1, first.hash))

    with pytest.raises(StoreError, match="changed by another writer while saving events 2-3") as caught:
        other.append(session_id, [decision(2, "red"), decision(3, "red")], current_turn=9)
    assert caught.value.written is False
    monkeypatch.undo()
    assert other.events(session_id) == [*first_events(), turn(2)]
    assert other.session(session_id).current_turn == 0
    assert other.verify(session_id).ok


def test_concurrent_writers_of_one_seq_exactly_one_wins(open_store: Callable[[], Store]) -> None:
    writers = [open_store() for _ in range(6)]
    session_id = make_session(writers[0])
    barrier = threading.Barrier(len(writers))
    outcomes: list[str] = []

    def write(index: int, store: Store) -> None:
        barrier.wait()
        try:
            store.append(session_id, [decision(2, f"team-{index}")])
            outcomes.append(f"ok {index}")
        except StoreError as exc:
            assert exc.written is False
            outcomes.append(str(exc))

    threads = [threading.Thread(target=write, args=(n, store)) for n, store in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    winners = [outcome for outcome in outcomes if outcome.startswith("ok")]
    assert len(winners) == 1, outcomes
    assert all("changed by another writer" in outcome for outcome in outcomes if outcome not in winners)
    winner = int(winners[0].split()[1])
    assert writers[0].events(session_id) == [*first_events(), decision(2, f"team-{winner}")]


# -- resolve_id --------------------------------------------------------------------------------


def test_resolve_id_by_unique_prefix(store: Store) -> None:
    ids = ["abc0" + "0" * 28, "abc1" + "0" * 28, "def0" + "0" * 28]
    for session_id in ids:
        make_session(store, session_id=session_id)

    assert store.resolve_id("d") == ids[2]
    assert store.resolve_id("ABC1") == ids[1]
    assert store.resolve_id(f"  {ids[0]} ") == ids[0]
    with pytest.raises(StoreError, match=r"abc is ambiguous: 2 session ids start with it .*give more digits"):
        store.resolve_id("abc")
    with pytest.raises(StoreError, match="no session id starts with 9"):
        store.resolve_id("9")
    with pytest.raises(StoreError, match="not a session id"):
        store.resolve_id("ab%")
    with pytest.raises(StoreError, match="no session id given"):
        store.resolve_id(" ")
