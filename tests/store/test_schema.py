"""Schema versions and migrations."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Connection, Engine, create_engine, inspect
from sqlmodel import SQLModel

from wargame.engine.events import Event
from wargame.errors import StoreError
from wargame.store import SCHEMA_VERSION, Store, upgrade
from wargame.store.db import open_engine
from wargame.store.schema import MIGRATIONS, Migration, check_steps, migrate

from .helpers import add_v1_session, first_events, make_session


def recorded_version(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT version FROM schema_info WHERE id = 1").scalar_one())


def set_version(url: str, version: int) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE schema_info SET version = {version} WHERE id = 1")
    engine.dispose()


def _add_room(conn: Connection) -> None:
    """A made-up next step, to exercise upgrading an older database."""
    conn.exec_driver_sql("ALTER TABLE sessions ADD COLUMN room VARCHAR")


NEXT = SCHEMA_VERSION + 1
WITH_NEXT = (*MIGRATIONS, Migration(NEXT, "sessions.room", _add_room))


def test_migrations_are_numbered_in_order() -> None:
    check_steps()
    assert MIGRATIONS[0].version == 1
    assert MIGRATIONS[-1].version == SCHEMA_VERSION
    with pytest.raises(ValueError, match="numbered"):
        check_steps((MIGRATIONS[0], Migration(3, "skips 2", _add_room)))


def test_a_new_database_gets_the_current_schema(db_url: str) -> None:
    Store(db_url).close()
    engine = create_engine(db_url)
    try:
        assert recorded_version(engine) == SCHEMA_VERSION
        names = set(inspect(engine).get_table_names())
        assert {"schema_info", "sessions", "events"} <= names
    finally:
        engine.dispose()


def test_the_models_match_the_migrated_tables(db_url: str) -> None:
    """models.py (the ORM view) and the migrations (the real tables) must not drift apart."""
    Store(db_url).close()
    engine = create_engine(db_url)
    inspector = inspect(engine)
    try:
        for name in ("schema_info", "sessions", "events"):
            model = SQLModel.metadata.tables[name]
            columns = {column["name"]: column for column in inspector.get_columns(name)}
            assert set(columns) == set(model.columns.keys()), name
            for wanted in model.columns:
                assert columns[wanted.name]["nullable"] == wanted.nullable, (name, wanted.name)
        uniques = [tuple(u["column_names"]) for u in inspector.get_unique_constraints("events")]
        assert ("session_id", "seq") in uniques
        assert any(index["column_names"] == ["session_id"] for index in inspector.get_indexes("events"))
        assert [fk["referred_table"] for fk in inspector.get_foreign_keys("events")] == ["sessions"]
    finally:
        engine.dispose()


def test_a_newer_database_is_refused_clearly(db_url: str) -> None:
    Store(db_url).close()
    set_version(db_url, SCHEMA_VERSION + 1)
    with pytest.raises(StoreError) as caught:
        Store(db_url)
    message = str(caught.value)
    assert "was written by a newer wargame" in message
    assert f"(schema {SCHEMA_VERSION + 1}, this release knows {SCHEMA_VERSION})" in message
    with pytest.raises(StoreError, match="newer wargame"):
        upgrade(db_url)


def test_upgrade_is_idempotent_and_keeps_data(db_url: str) -> None:
    assert upgrade(db_url) == (0, SCHEMA_VERSION)
    assert upgrade(db_url) == (SCHEMA_VERSION, SCHEMA_VERSION)
    with Store(db_url) as store:
        session_id = make_session(store)
    assert upgrade(db_url) == (SCHEMA_VERSION, SCHEMA_VERSION)
    with Store(db_url) as store:
        assert store.events(session_id) == first_events()


def test_an_older_database_is_upgraded_step_by_step(db_url: str) -> None:
    engine = open_engine(db_url)
    try:
        assert migrate(engine, db_url, MIGRATIONS[:1]) == (0, 1)
        session_id = add_v1_session(engine)  # a version-1 database with data in it

        assert migrate(engine, db_url, WITH_NEXT) == (1, NEXT)
        assert migrate(engine, db_url, WITH_NEXT) == (NEXT, NEXT)
        assert recorded_version(engine) == NEXT
        assert "room" in {column["name"] for column in inspect(engine).get_columns("sessions")}
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM events").scalar_one() == 3
    finally:
        engine.dispose()
    # This release does not know the made-up step, so the upgraded database is now "newer".
    with pytest.raises(StoreError, match=rf"schema {NEXT}, this release knows {SCHEMA_VERSION}"):
        Store(db_url)
    assert session_id


def test_version_1_events_are_chained_by_the_upgrade(db_url: str) -> None:
    engine = open_engine(db_url)
    try:
        migrate(engine, db_url, MIGRATIONS[:1])
        session_id = add_v1_session(engine)
    finally:
        engine.dispose()
    assert upgrade(db_url) == (1, SCHEMA_VERSION)
    with Store(db_url) as store:
        check = store.verify(session_id)
        assert check.ok, check
        assert check.events == 3
        assert [event.seq for event in store.events(session_id)] == [1, 2, 3]
        store.append(session_id, [Event(seq=4, kind="note_added", data={"text": "after"}, cmd=4)])
        assert store.verify(session_id).ok


def test_a_failed_step_leaves_the_previous_version(db_url: str) -> None:
    def broken(conn: Connection) -> None:
        conn.exec_driver_sql("ALTER TABLE sessions ADD COLUMN half_done VARCHAR")
        conn.exec_driver_sql("ALTER TABLE no_such_table ADD COLUMN x VARCHAR")

    engine = open_engine(db_url)
    try:
        migrate(engine, db_url)
        with pytest.raises(Exception, match="no_such_table"):
            migrate(engine, db_url, (*MIGRATIONS, Migration(NEXT, "broken", broken)))
        assert recorded_version(engine) == SCHEMA_VERSION
        assert "half_done" not in {column["name"] for column in inspect(engine).get_columns("sessions")}
    finally:
        engine.dispose()


def test_tables_of_another_app_are_not_taken_over(db_url: str) -> None:
    engine = open_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE sessions (id VARCHAR PRIMARY KEY)")
    engine.dispose()
    with pytest.raises(StoreError, match="tables named like wargame's but no schema version"):
        Store(db_url)


def test_many_first_opens_at_once_create_the_schema_once(db_url: str) -> None:
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def open_and_close() -> None:
        barrier.wait()
        try:
            Store(db_url).close()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_and_close) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    engine = create_engine(db_url)
    try:
        assert recorded_version(engine) == SCHEMA_VERSION
    finally:
        engine.dispose()
