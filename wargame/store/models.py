"""The ORM view of the current schema: one row per session, one row per event.

The tables are created and changed by the numbered migrations in `schema.py`, not from these
classes; a test checks that the two agree.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Table, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

SESSION_STATUSES = ("running", "ended")


class SessionRecord(SQLModel, table=True):
    """A session's summary row, with the deck it was created from (text and hash)."""

    __tablename__ = "sessions"

    id: str = Field(primary_key=True, max_length=32)  # uuid4().hex
    deck_id: str
    deck_title: str
    deck_version: str
    deck_hash: str = Field(max_length=64)  # sha256 hex of deck_text (UTF-8)
    deck_text: str = Field(sa_type=Text)
    deck_origin: str  # a file path or "builtin:ID"
    seed: int = Field(sa_type=BigInteger)
    class_label: str
    facilitator: str
    created_at: datetime = Field(sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(sa_type=DateTime(timezone=True))
    status: str  # one of SESSION_STATUSES
    current_turn: int
    outcome: str | None = None
    event_count: int
    # The instance writing the session (see `Store.take_lease`); None when nobody holds it.
    lease_holder: str | None = None
    lease_since: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    lease_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class EventRecord(SQLModel, table=True):
    """One stored event. `(session_id, seq)` is unique: two writers of one seq collide here."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("session_id", "seq", name="uq_events_session_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: str = Field(foreign_key="sessions.id", index=True, max_length=32)
    seq: int
    kind: str
    cmd: int
    payload: str = Field(sa_type=Text)  # json.dumps(data, sort_keys=True, compact separators)
    recorded_at: datetime = Field(sa_type=DateTime(timezone=True))
    prev_hash: str = Field(max_length=64)  # the previous event's hash; the deck hash for event 1
    hash: str = Field(max_length=64)  # see chain.py


class SchemaInfo(SQLModel, table=True):
    """A single row (id 1) holding the schema version the database is at."""

    __tablename__ = "schema_info"

    id: int = Field(primary_key=True)
    version: int


def table_of(model: type[SQLModel]) -> Table:
    """The Core table of a table model (SQLModel sets `__table__` at run time; its types lack it)."""
    return model.__table__  # type: ignore[attr-defined]
