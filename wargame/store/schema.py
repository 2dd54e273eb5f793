"""Schema versions: numbered migration steps, applied in order, each in its own transaction.

The database records its version in the one-row ``schema_info`` table. Opening a database at an
older version runs the missing steps; a database at a newer version than this release knows is
refused, since this release cannot know what the newer one stored.

Adding a migration: append a `Migration(n + 1, ...)` to MIGRATIONS whose function changes the
tables with plain SQLAlchemy Core (on SQLite, column changes other than ADD COLUMN need a table
copy), update `models.py` to match, and add a test that upgrades a version-n database.
Each step describes the tables as they were at its version, never by importing `models.py`,
so that an old step keeps doing what it did when a database at that version was new.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    column,
    inspect,
    select,
    table,
    update,
)

from wargame.errors import StoreError
from wargame.store.chain import event_hash
from wargame.store.db import OPEN_ERRORS, database_file, failure, for_writing, open_engine, shown_url


@dataclass(frozen=True, slots=True)
class Migration:
    """One step: `apply` takes the database from version `version - 1` to `version`."""

    version: int
    summary: str
    apply: Callable[[Connection], None]


def _v1_initial(conn: Connection) -> None:
    metadata = MetaData()
    Table(
        "schema_info",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=False),
        Column("version", Integer, nullable=False),
    )
    Table(
        "sessions",
        metadata,
        Column("id", String(32), primary_key=True),
        Column("deck_id", String, nullable=False),
        Column("deck_title", String, nullable=False),
        Column("deck_version", String, nullable=False),
        Column("deck_hash", String(64), nullable=False),
        Column("deck_text", Text, nullable=False),
        Column("deck_origin", String, nullable=False),
        Column("seed", BigInteger, nullable=False),
        Column("class_label", String, nullable=False),
        Column("facilitator", String, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False),
        Column("updated_at", DateTime(timezone=True), nullable=False),
        Column("status", String, nullable=False),
        Column("current_turn", Integer, nullable=False),
        Column("outcome", String, nullable=True),
        Column("event_count", Integer, nullable=False),
    )
    Table(
        "events",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("session_id", String(32), ForeignKey("sessions.id"), nullable=False),
        Column("seq", Integer, nullable=False),
        Column("kind", String, nullable=False),
        Column("cmd", Integer, nullable=False),
        Column("payload", Text, nullable=False),
        Column("recorded_at", DateTime(timezone=True), nullable=False),
        UniqueConstraint("session_id", "seq", name="uq_events_session_seq"),
        Index("ix_events_session_id", "session_id"),
    )
    metadata.create_all(conn)


def _v2_hash_chain_and_lease(conn: Connection) -> None:
    """Events get `prev_hash` and `hash` (the tamper-evident chain, back-filled for stored events);
    sessions get the lease columns that keep two app instances from writing one session."""
    timestamp = DateTime(timezone=True).compile(dialect=conn.dialect)
    for name in ("prev_hash", "hash"):
        conn.exec_driver_sql(f"ALTER TABLE events ADD COLUMN {name} VARCHAR(64) NOT NULL DEFAULT ''")
    conn.exec_driver_sql("ALTER TABLE sessions ADD COLUMN lease_holder VARCHAR")
    conn.exec_driver_sql(f"ALTER TABLE sessions ADD COLUMN lease_since {timestamp}")
    conn.exec_driver_sql(f"ALTER TABLE sessions ADD COLUMN lease_until {timestamp}")
    sessions = table("sessions", column("id"), column("deck_hash"))
    events = table(
        "events",
        column("id"),
        column("session_id"),
        column("seq"),
        column("kind"),
        column("cmd"),
        column("payload"),
        column("prev_hash"),
        column("hash"),
    )
    for session_id, deck_hash in conn.execute(select(sessions.c.id, sessions.c.deck_hash)).all():
        prev = deck_hash
        rows = conn.execute(
            select(events.c.id, events.c.seq, events.c.kind, events.c.cmd, events.c.payload)
            .where(events.c.session_id == session_id)
            .order_by(events.c.seq)
        ).all()
        for row_id, seq, kind, cmd, payload in rows:
            digest = event_hash(prev, session_id, seq, kind, cmd, payload)
            conn.execute(update(events).where(events.c.id == row_id).values(prev_hash=prev, hash=digest))
            prev = digest


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema: schema_info, sessions, events", _v1_initial),
    Migration(2, "hash-chained events, session leases", _v2_hash_chain_and_lease),
)

SCHEMA_VERSION = MIGRATIONS[-1].version
"""The schema version this release writes."""

_schema_info = table("schema_info", column("id"), column("version"))
_OUR_TABLES = ("sessions", "events")
_PG_LOCK_KEY = 0x5741_5247_414D_45  # any constant: serialises migrations across processes


def current_version(conn: Connection, shown: str) -> int:
    """The version recorded in the database; 0 for an empty database."""
    inspector = inspect(conn)
    # Our tables first: outside a transaction each look may see a newer state (PostgreSQL), and
    # schema_info is committed with them, so seeing them first and it second is always consistent.
    ours = any(inspector.has_table(name) for name in _OUR_TABLES)
    if not inspector.has_table("schema_info"):
        if ours:
            raise StoreError(f"database {shown} has tables named like wargame's but no schema version")
        return 0
    version = conn.execute(select(_schema_info.c.version).where(_schema_info.c.id == 1)).scalar()
    return int(version) if version is not None else 0


def migrate(engine: Engine, shown: str, steps: Sequence[Migration] = MIGRATIONS) -> tuple[int, int]:
    """Bring the database up to the last of `steps`; return (version before, version after).

    Each step runs in its own transaction, which also re-reads the version under a lock, so two
    processes opening one database at once apply each step once. SQLAlchemy errors propagate.
    """
    latest = steps[-1].version
    with engine.connect() as conn:  # the usual case, up to date, needs no write lock
        before = current_version(conn, shown)
    if before == latest:
        return before, before
    while True:
        with for_writing(engine).begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_LOCK_KEY})")
            version = current_version(conn, shown)
            if version > latest:
                raise StoreError(
                    f"database {shown} was written by a newer wargame "
                    f"(schema {version}, this release knows {latest}); upgrade wargame to open it"
                )
            pending = [step for step in steps if step.version > version]
            if not pending:
                return before, version
            step = pending[0]
            step.apply(conn)
            _set_version(conn, step.version)


def _set_version(conn: Connection, version: int) -> None:
    done = conn.execute(update(_schema_info).where(_schema_info.c.id == 1).values(version=version))
    if done.rowcount == 0:
        conn.execute(_schema_info.insert().values(id=1, version=version))


def upgrade(url: str) -> tuple[int, int]:
    """Open the database at `url`, apply any pending migrations and close it (`wargame db upgrade`).

    Returns (version before, version after); raises StoreError on any failure.
    """
    engine = open_engine(url)
    try:
        return migrate(engine, shown_url(url))
    except StoreError:
        raise
    except OPEN_ERRORS as exc:
        why = failure(exc, shown_url(url), database_file(url))
        raise StoreError(f"cannot upgrade database {shown_url(url)}: {why}") from exc
    finally:
        engine.dispose()


def check_steps(steps: Sequence[Migration] = MIGRATIONS) -> None:
    """Raise ValueError unless the steps are numbered 1, 2, 3... in order (a test runs this)."""
    numbers = [step.version for step in steps]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValueError(f"migrations must be numbered 1..n in order, got {numbers}")


__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "Migration",
    "check_steps",
    "current_version",
    "migrate",
    "upgrade",
]
