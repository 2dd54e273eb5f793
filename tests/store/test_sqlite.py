"""SQLite specifics: the durability settings are really in effect on every connection."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from wargame.errors import StoreError
from wargame.store import Store, StoreNotWritable
from wargame.store.db import BUSY_TIMEOUT_MS, shown_url

from .helpers import first_events, make_session, sqlite_url

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


@pytest.mark.parametrize(
    "name", ["wargame.sqlite3", "a folder #1/wargame?.sqlite3"], ids=["plain", "awkward"]
)
def test_sqlite_query_arguments_are_handed_to_sqlite(tmp_path: Path, name: str) -> None:
    """`?mode=ro` and SQLite's other URI parameters reach SQLite (no "ignored" warning: warnings
    fail tests), whatever characters the path holds; SQLAlchemy's `file:` form works too."""
    path = tmp_path / name
    with Store(sqlite_url(path)) as store:
        session_id = make_session(store)
    before = path.read_bytes()
    urls = [f"{sqlite_url(path)}?mode=ro", f"{sqlite_url(path)}?immutable=1"]
    if "?" not in name:
        urls.append(f"sqlite:///file:{path.as_posix()}?mode=ro&uri=true")
    for url in urls:
        with Store(url) as store:
            assert store.events(session_id) == first_events()
            with pytest.raises(StoreNotWritable, match=r"is read-only .*; nothing was written"):
                make_session(store)
    assert path.read_bytes() == before


def test_a_read_only_url_opens_a_database_that_is_not_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "wargame.sqlite3"
    Store(sqlite_url(path)).close()
    with sqlite3.connect(path) as raw:
        raw.execute("PRAGMA journal_mode = DELETE")
    with Store(f"{sqlite_url(path)}?mode=ro") as store:
        assert store.sessions() == []
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("delete",)


@pytest.mark.parametrize("query", ["timeout=30", "timeout=30&mode=ro", "check_same_thread=false"])
def test_the_sqlite_driver_s_own_arguments_still_work(tmp_path: Path, query: str) -> None:
    """`?timeout=30` opened a database before the store handed SQLite its URI parameters."""
    path = tmp_path / "wargame.sqlite3"
    with Store(sqlite_url(path)) as store:
        session_id = make_session(store)
    with Store(f"{sqlite_url(path)}?{query}") as store:
        assert store.events(session_id) == first_events()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "isolation_level=SERIALIZABLE",
            "a SQLite URL takes no query argument 'isolation_level' (only cache, ",
        ),
        ("mode=ro&foo=1&bar=2", "a SQLite URL takes no query argument 'bar', 'foo' (only cache, immutable"),
        ("mode=ro&mode=rw", "the query argument 'mode' is given twice"),
        ("mode=nonsense", "no such access mode: nonsense"),
    ],
    ids=["the-store-s-own-transactions", "unknown", "twice", "bad-value"],
)
def test_other_query_arguments_are_refused_in_one_line(tmp_path: Path, query: str, message: str) -> None:
    url = f"{sqlite_url(tmp_path / 'wargame.sqlite3')}?{query}"
    with pytest.raises(StoreError) as caught:
        Store(url)
    assert str(caught.value).startswith(f"cannot open database {shown_url(url)}: {message}")
    assert not (tmp_path / "wargame.sqlite3").exists()
