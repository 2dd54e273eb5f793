"""Tamper evidence: every stored event is hash-chained; `Store.verify` finds the first altered or
missing event after someone edits the database directly with SQL (every test runs on each `db_url`)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import create_engine, text

from wargame.engine.events import DECISION_RECORDED, NOTE_ADDED, TURN_STARTED, Event
from wargame.store import Store
from wargame.store.chain import event_hash
from wargame.store.store import encode_payload

from .helpers import make_session


def events_2_to_6() -> list[Event]:
    return [
        Event(seq=2, kind=TURN_STARTED, data={"turn": 1}, cmd=2),
        Event(seq=3, kind=DECISION_RECORDED, data={"team": "red", "action": "talk"}, cmd=3),
        Event(seq=4, kind=DECISION_RECORDED, data={"team": "blue", "free_text": "<b>wait</b>"}, cmd=4),
        Event(seq=5, kind=NOTE_ADDED, data={"text": "Équipe bleue hésite"}, cmd=5),
        Event(seq=6, kind=NOTE_ADDED, data={"text": "last"}, cmd=6),
    ]


@pytest.fixture
def session_id(store: Store) -> str:
    session_id = make_session(store)
    store.append(session_id, events_2_to_6()[:2])
    store.append(session_id, events_2_to_6()[2:])
    return session_id


@pytest.fixture
def sql(db_url: str) -> Iterator[Callable[..., None]]:
    """Run SQL on the database behind the store's back, as someone with database access could."""
    engine = create_engine(db_url)

    def run(statement: str, **params: object) -> None:
        with engine.begin() as conn:
            conn.execute(text(statement), params)

    yield run
    engine.dispose()


def test_the_hash_formula_is_stable() -> None:
    """Printed reports carry chain heads: the formula must never change silently."""
    assert event_hash("0" * 64, "a" * 32, 1, "session_created", 1, '{"seed":7}') == (
        "6e0de2fd73bf3671b74271dcef0d6ac69ad15355b5adacbd787f18c381dcbdae"
    )


def test_an_untouched_session_verifies(store: Store, session_id: str) -> None:
    check = store.verify(session_id)
    assert check.ok
    assert check.events == 6
    assert check.head == store.chain_head(session_id) == store.stored_events(session_id)[-1].hash
    assert check.summary() == f"OK: 6 events, chain head {check.head[:12]}"


def test_each_event_links_to_the_one_before(store: Store, session_id: str) -> None:
    stored = store.stored_events(session_id)
    assert stored[0].prev_hash == store.session(session_id).deck_hash
    for before, after in itertools.pairwise(stored):
        assert after.prev_hash == before.hash
    for item in stored:
        payload = encode_payload(item.event.data)
        expected = event_hash(
            item.prev_hash, session_id, item.event.seq, item.event.kind, item.event.cmd, payload
        )
        assert item.hash == expected


def test_a_changed_payload_is_found(store: Store, session_id: str, sql: Callable[..., None]) -> None:
    sql(
        "UPDATE events SET payload = :payload WHERE session_id = :id AND seq = 3",
        payload=encode_payload({"team": "red", "action": "strike"}),
        id=session_id,
    )
    check = store.verify(session_id)
    assert not check.ok
    assert check.first_bad_seq == 3
    assert check.summary() == "ALTERED: event #3 (decision_recorded) does not match its hash"
    assert check.events == 2


def test_a_changed_kind_or_cmd_is_found(store: Store, session_id: str, sql: Callable[..., None]) -> None:
    sql("UPDATE events SET cmd = 9 WHERE session_id = :id AND seq = 5", id=session_id)
    assert store.verify(session_id).first_bad_seq == 5
    sql("UPDATE events SET cmd = 5, kind = 'adjudicated' WHERE session_id = :id AND seq = 5", id=session_id)
    assert store.verify(session_id).first_bad_seq == 5


def test_a_deleted_event_is_found(store: Store, session_id: str, sql: Callable[..., None]) -> None:
    sql("DELETE FROM events WHERE session_id = :id AND seq = 4", id=session_id)
    check = store.verify(session_id)
    assert (check.ok, check.first_bad_seq) == (False, 4)
    assert check.summary() == "MISSING: event #4 (the next stored event is #5)"


def test_a_deleted_last_event_is_found(store: Store, session_id: str, sql: Callable[..., None]) -> None:
    sql("DELETE FROM events WHERE session_id = :id AND seq = 6", id=session_id)
    check = store.verify(session_id)
    assert check.summary() == "MISSING: event #6 (the session records 6 events, 5 are stored)"


def test_renumbered_events_are_found(store: Store, session_id: str, sql: Callable[..., None]) -> None:
    """Delete an event and renumber the rest so the seqs have no gap: the hashes give it away."""
    sql("DELETE FROM events WHERE session_id = :id AND seq = 4", id=session_id)
    for seq in (5, 6):
        sql(
            "UPDATE events SET seq = :new WHERE session_id = :id AND seq = :old",
            new=seq - 1,
            old=seq,
            id=session_id,
        )
    sql("UPDATE sessions SET event_count = 5 WHERE id = :id", id=session_id)
    check = store.verify(session_id)
    assert (check.ok, check.first_bad_seq) == (False, 4)
    assert check.summary().startswith("ALTERED: event #4")


def test_reordered_events_are_found(store: Store, session_id: str, sql: Callable[..., None]) -> None:
    swap = "UPDATE events SET seq = :new WHERE session_id = :id AND seq = :old"
    sql(swap, old=3, new=-3, id=session_id)
    sql(swap, old=4, new=3, id=session_id)
    sql(swap, old=-3, new=4, id=session_id)
    check = store.verify(session_id)
    assert (check.ok, check.first_bad_seq) == (False, 3)


def test_a_rehashed_event_breaks_the_next_link(
    store: Store, session_id: str, sql: Callable[..., None]
) -> None:
    """Whoever changes an event and recomputes its hash must also rewrite every later one."""
    stored = store.stored_events(session_id)
    payload = encode_payload({"team": "blue", "free_text": "attack"})
    forged = event_hash(stored[2].hash, session_id, 4, DECISION_RECORDED, 4, payload)
    sql(
        "UPDATE events SET payload = :payload, hash = :hash WHERE session_id = :id AND seq = 4",
        payload=payload,
        hash=forged,
        id=session_id,
    )
    check = store.verify(session_id)
    assert (check.ok, check.first_bad_seq) == (False, 5)
    assert check.summary() == (
        "ALTERED: event #5 (note_added) does not follow event #4 "
        "(an event was changed, removed or reordered here)"
    )


def test_a_fully_rewritten_chain_changes_the_head(
    store: Store, session_id: str, sql: Callable[..., None]
) -> None:
    """A forger who rewrites every later hash too passes `verify`, but not a printed chain head."""
    printed_head = store.chain_head(session_id)
    stored = store.stored_events(session_id)
    prev = stored[2].hash
    for item in stored[3:]:
        data = {"team": "blue", "free_text": "attack"} if item.event.seq == 4 else item.event.data
        payload = encode_payload(data)
        digest = event_hash(prev, session_id, item.event.seq, item.event.kind, item.event.cmd, payload)
        sql(
            "UPDATE events SET payload = :payload, prev_hash = :prev, hash = :hash "
            "WHERE session_id = :id AND seq = :seq",
            payload=payload,
            prev=prev,
            hash=digest,
            id=session_id,
            seq=item.event.seq,
        )
        prev = digest
    assert store.verify(session_id).ok
    assert store.chain_head(session_id) != printed_head


def test_a_changed_deck_is_found(store: Store, session_id: str, sql: Callable[..., None]) -> None:
    sql("UPDATE sessions SET deck_text = 'id: other' WHERE id = :id", id=session_id)
    check = store.verify(session_id)
    assert (check.ok, check.first_bad_seq) == (False, 0)
    assert "deck text" in check.summary()


def test_a_session_made_in_two_stores_chains_across_them(open_store: Callable[[], Store]) -> None:
    first, second = open_store(), open_store()
    session_id = make_session(first)
    first.append(session_id, events_2_to_6()[:1])
    first.close()
    second.append(session_id, events_2_to_6()[1:])
    assert second.verify(session_id).ok
