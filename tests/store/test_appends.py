"""Appends with a remembered log head: a store that wrote a session keeps the seq and hash of its
last event and checks, in the one UPDATE of the session row, that its lease and that count still
hold. These tests change the log behind a store's back and check that it notices every time
(every test runs on each `db_url`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, insert, text, update

from wargame.engine.events import NOTE_ADDED, Event
from wargame.errors import StoreError
from wargame.store import DamagedRow, SessionBusy, Store, StoredSession
from wargame.store.chain import event_hash
from wargame.store.models import EventRecord, SessionRecord, table_of
from wargame.store.store import encode_payload

from .helpers import DECK_TEXT, first_events, make_session, sqlite_url

Sql = Callable[..., Any]


def note(seq: int, text: str = "", cmd: int | None = None) -> Event:
    return Event(
        seq=seq, kind=NOTE_ADDED, data={"text": text or f"note {seq}"}, cmd=seq if cmd is None else cmd
    )


@pytest.fixture
def sql(db_url: str) -> Iterator[Sql]:
    """Run a statement on the database behind the stores' backs (another program, an old release)."""
    engine = create_engine(db_url)

    def run(statement: Any) -> None:
        with engine.begin() as conn:
            conn.execute(statement)

    yield run
    engine.dispose()


def insert_behind_the_back(sql: Sql, store: Store, session_id: str, event: Event, *, count: bool) -> None:
    """Store `event` with SQL, chained correctly; with `count`, also update the session's event count
    (as the app does), else leave the session row alone (the lease stays with `store`)."""
    prev = store.chain_head(session_id)
    payload = encode_payload(event.data)
    sql(
        insert(table_of(EventRecord)).values(
            session_id=session_id,
            seq=event.seq,
            kind=event.kind,
            cmd=event.cmd,
            payload=payload,
            recorded_at=datetime.now(UTC),
            prev_hash=prev,
            hash=event_hash(prev, session_id, event.seq, event.kind, event.cmd, payload),
        )
    )
    if count:
        sessions = table_of(SessionRecord)
        sql(update(sessions).where(sessions.c.id == session_id).values(event_count=event.seq))


def test_a_second_store_writing_in_between_is_noticed(open_store: Callable[[], Store]) -> None:
    console, other = open_store(), open_store()  # one process: they share its lease
    session_id = make_session(console)
    console.append(session_id, [note(2)])  # console remembers the head: event 2
    other.append(session_id, [note(3, "other"), note(4, "other")])

    with pytest.raises(StoreError, match="changed by another writer") as caught:
        console.append(session_id, [note(3, "console")])
    assert caught.value.written is False
    console.append(session_id, [note(5, "console")])  # chained onto the other store's event 4

    assert console.events(session_id) == [
        *first_events(),
        note(2),
        note(3, "other"),
        note(4, "other"),
        note(5, "console"),
    ]
    assert console.verify(session_id).ok
    assert console.session(session_id).event_count == 5


def test_events_counted_behind_the_back_are_noticed(store: Store, sql: Sql) -> None:
    session_id = make_session(store)
    store.append(session_id, [note(2)])
    insert_behind_the_back(sql, store, session_id, note(3, "elsewhere"), count=True)

    with pytest.raises(StoreError, match=r"changed by another writer \(it has 3 events"):
        store.append(session_id, [note(3)])
    store.append(session_id, [note(4)])

    assert store.events(session_id)[2:] == [note(3, "elsewhere"), note(4)]
    assert store.verify(session_id).ok


def test_the_database_key_stops_a_stale_remembered_head(store: Store, sql: Sql) -> None:
    """A writer that stored an event without counting it: the lease and the count still match what
    the store remembers, so only the (session_id, seq) key can stop the store's append."""
    session_id = make_session(store)
    store.append(session_id, [note(2)], current_turn=1)
    insert_behind_the_back(sql, store, session_id, note(3, "elsewhere"), count=False)

    with pytest.raises(StoreError, match="changed by another writer while saving events 3-4") as caught:
        store.append(session_id, [note(3), note(4)], current_turn=2, status="ended", outcome="draw")
    assert caught.value.written is False
    info = store.session(session_id)  # the summary update was rolled back with the events
    assert (info.event_count, info.current_turn, info.status, info.outcome) == (2, 1, "running", None)

    store.append(session_id, [note(4)])  # the head is read again: event 3
    assert store.events(session_id)[2:] == [note(3, "elsewhere"), note(4)]
    assert store.verify(session_id).ok
    assert store.session(session_id).event_count == 4


def test_a_lease_taken_elsewhere_stops_the_next_append(db_url: str, store: Store, sql: Sql) -> None:
    session_id = make_session(store)
    store.append(session_id, [note(2)])
    sessions = table_of(SessionRecord)
    sql(
        update(sessions)
        .where(sessions.c.id == session_id)
        .values(
            lease_holder="laptop-7 4242 0badcafe",
            lease_since=datetime.now(UTC),
            lease_until=datetime.now(UTC) + timedelta(minutes=5),
        )
    )
    with pytest.raises(SessionBusy, match="being run by another instance"):
        store.append(session_id, [note(3)])
    assert store.events(session_id) == [*first_events(), note(2)]


def test_seq_and_hash_continue_after_reopening(db_url: str) -> None:
    with Store(db_url) as first:
        session_id = make_session(first)
        first.append(session_id, [note(2), note(3)])
        head = first.chain_head(session_id)
    with Store(db_url) as again:
        with pytest.raises(StoreError, match=r"it has 3 events, this write starts at event 3"):
            again.append(session_id, [note(3)])
        again.append(session_id, [note(4)])
        again.append(session_id, [note(5)])
        assert [stored.prev_hash for stored in again.stored_events(session_id)][3] == head
        assert again.verify(session_id).ok
        assert again.session(session_id).event_count == 5


def test_appends_alternating_between_stores_keep_the_summary(open_store: Callable[[], Store]) -> None:
    """Whether a store remembers the head (its own last append) or not (the other one wrote), the
    session row is updated the same way."""
    one, two = open_store(), open_store()
    session_id = make_session(one)
    expected: dict[str, Any] = {"event_count": 1, "current_turn": 0, "status": "running", "outcome": None}
    changes: list[dict[str, Any]] = [
        {"current_turn": 1},
        {},
        {"status": "ended", "outcome": "blue wins"},
        {"current_turn": 2},
        {"status": "running", "outcome": None},
        {"outcome": "draw"},
    ]
    for seq, change in enumerate(changes, start=2):
        for writer in (one, two) if seq % 2 else (one,):  # sometimes one after the other, sometimes again
            expected["event_count"] += 1
            writer.append(session_id, [note(expected["event_count"])], **change)
            expected.update(change)
            info = writer.session(session_id)
            assert {name: getattr(info, name) for name in expected} == expected
    assert one.verify(session_id).ok


def test_a_session_deleted_and_imported_again_continues_from_the_import(store: Store) -> None:
    session_id = make_session(store)
    store.append(session_id, [note(2)])
    info, deck_text, exported = (
        store.session(session_id),
        store.deck_text(session_id),
        store.stored_events(session_id),
    )
    store.append(session_id, [note(3, "lost")])  # remembered, then deleted with the session

    assert store.delete_sessions_before(datetime.now(UTC) + timedelta(days=1)) == 1
    store.import_session(info, deck_text, exported)
    store.append(session_id, [note(3, "after the import")])

    assert store.events(session_id) == [*first_events(), note(2), note(3, "after the import")]
    assert store.verify(session_id).ok


def test_load_reads_the_summary_the_deck_and_the_events(store: Store) -> None:
    session_id = make_session(store)
    store.append(session_id, [note(2)], current_turn=1)
    loaded = store.load(session_id)
    assert loaded == StoredSession(store.session(session_id), DECK_TEXT, [*first_events(), note(2)])
    with pytest.raises(StoreError, match="no session 0123"):
        store.load("0123" + "0" * 28)


# -- damaged payloads --------------------------------------------------------------------------


def set_payloads(db_url: str, session_id: str, payloads: dict[int, str]) -> None:
    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            for seq, payload in payloads.items():
                conn.execute(
                    text("UPDATE events SET payload = :payload WHERE session_id = :id AND seq = :seq"),
                    {"payload": payload, "id": session_id, "seq": seq},
                )
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ('{"text": "cut sh', "event 3 of session .* is damaged: its stored data is not JSON"),
        ('{"text": "one"},{"text": "two"}', "event 3 of session .* is damaged: .*Extra data"),
        ("", "event 3 of session .* is damaged"),
    ],
)
def test_a_damaged_payload_is_a_store_error(store: Store, db_url: str, payload: str, message: str) -> None:
    session_id = make_session(store)
    store.append(session_id, [note(2), note(3), note(4)])
    set_payloads(db_url, session_id, {3: payload})
    with pytest.raises(StoreError, match=message) as caught:
        store.events(session_id)
    assert caught.value.written is False
    assert store.events(session_id, upto=2) == [*first_events(), note(2)]
    assert not store.verify(session_id).ok


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ('{"text": 1e999}', "it holds a number out of range (1e999)"),
        ('{"text": -Infinity}', "its stored data is not JSON (-Infinity is not a JSON number)"),
        ('{"text": NaN}', "its stored data is not JSON (NaN is not a JSON number)"),
    ],
    ids=["out-of-range", "infinity", "nan"],
)
def test_a_number_json_does_not_have_is_damage(store: Store, db_url: str, payload: str, message: str) -> None:
    """What the json module would read as a float the fold cannot use (an infinite turn...)."""
    session_id = make_session(store)
    store.append(session_id, [note(2), note(3), note(4)])
    set_payloads(db_url, session_id, {3: payload})
    for read in (store.events, store.load, store.stored_events):
        with pytest.raises(
            DamagedRow, match=f"^{re.escape(f'event 3 of session {session_id} is damaged: {message}')}$"
        ):
            read(session_id)


def test_payloads_that_join_into_fewer_items_are_found(store: Store, db_url: str) -> None:
    """The log is decoded as one JSON array: two damaged payloads that make one item together
    are found by decoding each payload by itself."""
    session_id = make_session(store)
    store.append(session_id, [note(2), note(3), note(4)])
    set_payloads(db_url, session_id, {2: '{"a": [1', 3: "2]}"})
    with pytest.raises(StoreError, match=r"event 2 of session .* is damaged"):
        store.events(session_id)


def test_payloads_edited_to_shift_the_items_fail_verification(store: Store, db_url: str) -> None:
    """Payloads crafted so that the array keeps one item per row are read as those items (an edit
    can make events say anything); the hash chain reports the first edited event."""
    session_id = make_session(store)
    store.append(session_id, [note(2), note(3), note(4)])
    set_payloads(db_url, session_id, {2: '{"a":1},{"b":2}', 3: '{"c":[1', 4: "2]}"})
    assert [event.data for event in store.events(session_id)[1:]] == [{"a": 1}, {"b": 2}, {"c": [1, 2]}]
    check = store.verify(session_id)
    assert (check.ok, check.first_bad_seq) == (False, 2)


# -- damaged event numbers (SQLite: a column keeps whatever it is given) ------------------------


def sqlite_session(tmp_path: Path) -> tuple[Store, str, str]:
    url = sqlite_url(tmp_path / "wargame.sqlite3")
    store = Store(url)
    session_id = make_session(store)
    store.append(session_id, [note(2), note(3), note(4)])
    return store, url, session_id


def set_column(url: str, session_id: str, seq: int, column: str, value: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(f"UPDATE events SET {column} = {value} WHERE session_id = :id AND seq = :seq"),
                {"id": session_id, "seq": seq},
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("cmd", "'abc'", "event 3 of session {id} is damaged: its cmd holds 'abc', not a whole number"),
        ("cmd", "2.5", "event 3 of session {id} is damaged: its cmd holds 2.5, not a whole number"),
        ("cmd", "x'00'", "event 3 of session {id} is damaged: its cmd holds b'\\x00', not a whole number"),
        (
            "seq",
            "'x'",
            "the event at position 4 (in seq order) of session {id} is damaged: "
            "its seq holds 'x', not a whole number",
        ),
        (
            "seq",
            "3.5",
            "the event at position 3 (in seq order) of session {id} is damaged: "
            "its seq holds 3.5, not a whole number",
        ),
    ],
    ids=["cmd-text", "cmd-float", "cmd-bytes", "seq-text", "seq-float"],
)
def test_an_event_number_that_is_not_a_number_is_damage(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    store, url, session_id = sqlite_session(tmp_path)
    with store:
        set_column(url, session_id, 3, column, value)
        for read in (store.events, store.load, store.stored_events):
            with pytest.raises(DamagedRow, match=f"^{re.escape(message.format(id=session_id))}$"):
                read(session_id)
        assert not store.verify(session_id).ok


def test_a_last_event_number_that_is_not_a_number_stops_appends(tmp_path: Path) -> None:
    store, url, session_id = sqlite_session(tmp_path)
    with store:
        set_column(url, session_id, 4, "seq", "'x'")
        message = (
            f"the last stored event of session {session_id} is damaged: its seq holds 'x', not a whole number"
        )
        with pytest.raises(DamagedRow, match=f"^{re.escape(message)}$"):
            store.chain_head(session_id)
    with Store(url) as other, pytest.raises(DamagedRow, match=f"^{re.escape(message)}$"):
        other.append(session_id, [note(4)])  # (a store that does not remember the log's head)
