"""The database becomes unreachable mid-session: the move is kept, the user is told, and it is
stored exactly once when the database is back (PostgreSQL stopped and restarted; SQLite locked)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.store.helpers import sqlite_url
from wargame.deck import LoadedDeck
from wargame.engine import commands as c
from wargame.engine.events import Event
from wargame.errors import StoreError
from wargame.session import SessionController
from wargame.store import Store, StoreUnavailable, db

from .conftest import SETUP

NOTE = c.AddNote("Red's envoy <b>arrives</b> late", team="red")


def check_pending_then_retry(
    session: SessionController, store: Store, make_reachable: Callable[[], object]
) -> None:
    before = session.events
    told: list[list[Event]] = []
    session.add_listener(lambda events, _state: told.append(list(events)))

    with pytest.raises(StoreUnavailable) as caught:
        session.execute(NOTE)
    message = str(caught.value)
    assert "unreachable" in message
    assert "The move is kept: it will be stored when the database is back" in message
    assert "\n" not in message
    assert caught.value.written is False
    assert session.pending_command == NOTE
    assert session.events == before
    assert told == []
    with pytest.raises(StoreError, match="a move is still waiting to be stored"):
        session.execute(c.AddNote("another"))

    make_reachable()
    stored = session.retry_pending()
    assert [event.kind for event in stored] == ["note_added"]
    assert session.pending_command is None
    assert told == [stored]
    assert session.events == [*before, *stored]
    assert store.events(session.session_id) == session.events  # stored once, no duplicate
    assert store.verify(session.session_id).ok
    session.execute(c.AddNote("and the session goes on"))
    assert SessionController.open(store, session.session_id).events == session.events


def test_a_locked_sqlite_file_keeps_the_move(
    loaded: LoadedDeck, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "wargame.sqlite3"
    with Store(sqlite_url(path)) as store:
        session = SessionController.create(loaded, SETUP, store)
        session.execute(c.Advance())
        blocker = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            blocker.execute("BEGIN EXCLUSIVE")  # another program holds the file's write lock
            check_pending_then_retry(session, store, lambda: blocker.execute("COMMIT"))
        finally:
            blocker.close()


@pytest.mark.postgres
def test_a_stopped_postgresql_server_keeps_the_move(
    loaded: LoadedDeck, pg_url: str, pg_ctl: Callable[[str], None]
) -> None:
    with Store(pg_url) as store:
        session = SessionController.create(loaded, SETUP, store)
        session.execute(c.Advance())
        pg_ctl("stop")
        try:
            with pytest.raises(StoreUnavailable):  # still down: still kept
                session.execute(NOTE)
            with pytest.raises(StoreUnavailable, match="still kept"):
                session.retry_pending()
            assert session.pending_command == NOTE
            session.discard_pending()
            check_pending_then_retry(session, store, lambda: pg_ctl("start"))
        finally:
            if not _server_up(pg_url):
                pg_ctl("start")


def _server_up(url: str) -> bool:
    try:
        Store(url).close()
    except StoreError:
        return False
    return True


def test_a_commit_that_went_through_before_the_link_dropped_is_not_stored_twice(
    loaded: LoadedDeck, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server took the commit but the answer was lost: the retry finds the events stored."""
    with Store(sqlite_url(tmp_path / "wargame.sqlite3")) as store:
        session = SessionController.create(loaded, SETUP, store)
        real_append = store.append

        def append_then_lose_the_answer(*args: object, **kwargs: object) -> None:
            real_append(*args, **kwargs)  # type: ignore[arg-type]
            raise StoreUnavailable("the database is unreachable (server closed the connection)")

        monkeypatch.setattr(store, "append", append_then_lose_the_answer)
        with pytest.raises(StoreUnavailable):
            session.execute(NOTE)
        monkeypatch.undo()
        assert len(store.events(session.session_id)) == len(session.events) + 1
        stored = session.retry_pending()
        assert store.events(session.session_id) == session.events
        assert session.events[-len(stored) :] == stored
        assert session.state == SessionController.open(store, session.session_id).state
        assert session.state.notes[-1].text == NOTE.text
