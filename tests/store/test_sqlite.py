"""SQLite specifics: the durability settings are really in effect on every connection."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from sqlalchemy.engine import make_url

from wargame.store import Store
from wargame.store.db import BUSY_TIMEOUT_MS

from .helpers import first_events, make_session

PRAGMAS = ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
EXPECTED = ("wal", 2, 1, BUSY_TIMEOUT_MS)  # synchronous 2 = FULL


def pragmas(store: Store) -> tuple[object, ...]:
    with store._engine.connect() as conn:
        return tuple(conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in PRAGMAS)


def test_wal_and_synchronous_full_are_in_effect(sqlite_db_url: str) -> None:
    with Store(sqlite_db_url) as store:
        assert pragmas(store) == EXPECTED
        # A second, concurrent connection from the pool gets the same settings.
        results: list[tuple[object, ...]] = []
        with store._engine.connect():
            thread = threading.Thread(target=lambda: results.append(pragmas(store)))
            thread.start()
            thread.join()
        assert results == [EXPECTED]
    database = make_url(sqlite_db_url).database
    assert database is not None
    with sqlite3.connect(database) as raw:  # WAL is recorded in the file itself
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_foreign_keys_are_enforced(sqlite_db_url: str) -> None:
    with Store(sqlite_db_url) as store, store._engine.connect() as conn:
        try:
            conn.exec_driver_sql(
                "INSERT INTO events (session_id, seq, kind, cmd, payload, recorded_at) "
                "VALUES ('0000', 1, 'x', 0, '{}', '2024-01-01')"
            )
        except Exception as exc:  # any refusal will do; the point is that it is refused
            assert "FOREIGN KEY" in str(exc)
        else:
            raise AssertionError("an event of a missing session was accepted")


def test_the_parent_folder_is_created(tmp_path: Path) -> None:
    database = tmp_path / "a" / "b" / "wargame.sqlite3"
    with Store(f"sqlite:///{database}") as store:
        make_session(store)
    assert database.is_file()


def test_in_memory_database_for_quick_tests() -> None:
    with Store("sqlite://") as store:
        session_id = make_session(store)
        assert store.events(session_id) == first_events()
