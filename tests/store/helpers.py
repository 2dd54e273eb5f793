"""Helpers for the store tests: URLs, a fresh PostgreSQL database, a ready-made session."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ProgrammingError

from wargame.engine.events import SESSION_CREATED, Event
from wargame.store import Store, deck_hash, new_session_id
from wargame.store.store import encode_payload

PG_URL_ENV = "WARGAME_TEST_PG_URL"

DECK_TEXT = "id: test-deck\ntitle: Test deck\nversion: '1'\n"


def sqlite_url(path: Path) -> str:
    return URL.create("sqlite", database=path.as_posix()).render_as_string()


@contextmanager
def fresh_postgres(base_url: str) -> Iterator[str]:
    """A new, empty database (or schema) on the server at `base_url`, dropped afterwards."""
    name = f"wargame_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT", pool_pre_ping=True)  # (servers restart)
    try:
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        except ProgrammingError:  # no CREATEDB privilege: a schema in the given database instead
            with admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
            url = make_url(base_url).update_query_dict({"options": f"-csearch_path={name}"})
            try:
                yield url.render_as_string(hide_password=False)
            finally:
                with admin.connect() as conn:
                    conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
            return
        try:
            yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


def add_v1_session(engine: Engine) -> str:
    """Insert a session of three events the way the first release (schema 1) stored them."""
    session_id = new_session_id()
    now = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sessions (id, deck_id, deck_title, deck_version, deck_hash, deck_text, "
                "deck_origin, seed, class_label, facilitator, created_at, updated_at, status, current_turn, "
                "outcome, event_count) VALUES (:id, 'test-deck', 'Test deck', '1', :hash, :text, "
                "'builtin:test-deck', 7, '7B', 'Ms Ozols', :now, :now, 'running', 1, NULL, 3)"
            ),
            {"id": session_id, "hash": deck_hash(DECK_TEXT), "text": DECK_TEXT, "now": now},
        )
        for seq, kind, data in (
            (1, "session_created", {"deck": "test-deck", "seed": 7}),
            (2, "turn_started", {"turn": 1}),
            (3, "note_added", {"text": "Équipe <b>bleue</b>"}),
        ):
            conn.execute(
                text(
                    "INSERT INTO events (session_id, seq, kind, cmd, payload, recorded_at) "
                    "VALUES (:id, :seq, :kind, :cmd, :payload, :now)"
                ),
                {
                    "id": session_id,
                    "seq": seq,
                    "kind": kind,
                    "cmd": seq,
                    "payload": encode_payload(data),
                    "now": now,
                },
            )
    return session_id


def first_events() -> list[Event]:
    return [Event(seq=1, kind=SESSION_CREATED, data={"deck": "test-deck", "seed": 7}, cmd=1)]


def make_session(store: Store, *, events: list[Event] | None = None, **fields: Any) -> str:
    """Create a session with sensible fields (overridable) and return its id."""
    session_id = fields.pop("session_id", None) or new_session_id()
    values: dict[str, Any] = {
        "deck_id": "test-deck",
        "deck_title": "Test deck",
        "deck_version": "1",
        "deck_text": DECK_TEXT,
        "deck_origin": "builtin:test-deck",
        "seed": 7,
        "class_label": "Year 10 History",
        "facilitator": "Ms Rivera",
    }
    values.update(fields)
    store.create_session(
        session_id=session_id, first_events=first_events() if events is None else events, **values
    )
    return session_id


def database_urls(kind: str, tmp_path: Path, tests: str) -> Iterator[str]:
    """Yield a fresh, empty database URL of `kind` ("sqlite" or "postgres") for a `db_url` fixture.

    PostgreSQL needs WARGAME_TEST_PG_URL; without it the test is skipped, naming `tests`.
    """
    if kind == "sqlite":
        yield sqlite_url(tmp_path / "data" / "wargame.sqlite3")
        return
    base = os.environ.get(PG_URL_ENV, "").strip()
    if not base:
        pytest.skip(f"set {PG_URL_ENV} to run the {tests} tests against PostgreSQL")
    with fresh_postgres(base) as url:
        yield url
