"""The store: sessions and their append-only event logs in any SQLAlchemy database.

Every public method runs in its own transaction and either completes or raises StoreError (whose
`written` says whether anything was stored); no SQLAlchemy exception or ORM object leaves it.
A Store may be shared by threads: each call takes its own connection from the pool.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import socket
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace, TracebackType
from typing import Any

from sqlalchemy import Connection, Row, String, insert, select, type_coerce, update
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError, SQLAlchemyError
from sqlmodel import Session

from wargame.engine.events import Event
from wargame.errors import StoreError
from wargame.store import eventlog, queries
from wargame.store.chain import ChainRow, VerifyResult, event_hash, verify_rows, wrong_type
from wargame.store.db import (
    OPEN_ERRORS,
    database_file,
    failure,
    for_writing,
    is_unique_violation,
    lasting_refusal,
    open_engine,
    reason,
    shown_url,
)
from wargame.store.eventlog import DamagedRow, EventLog, EventRow
from wargame.store.models import SESSION_STATUSES, EventRecord, SessionRecord, table_of
from wargame.store.queries import KEEP, Keep
from wargame.store.schema import migrate

_SESSIONS = table_of(SessionRecord)
_EVENTS = table_of(EventRecord)
_NOT_IN_INFO = {"deck_text", "lease_holder", "lease_since", "lease_until"}
_INFO_COLUMNS = [column for column in _SESSIONS.c if column.name not in _NOT_IN_INFO]  # SessionInfo's
_TIMES = ("created_at", "updated_at")
_SESSION_ID = re.compile(r"[0-9a-f]{32}")
_MAX_SEED = 2**63  # seeds are stored as signed 64-bit integers
_SQLITE_ERROR = 1  # SQLite's result code for an error in the SQL or the schema (no such table...)

LEASE_SECONDS = 120
"""How long a session stays reserved for the instance that last wrote it (or renewed its lease)."""


class StoreUnavailable(StoreError):
    """The database could not be reached or was busy (server down, network gone, file locked).

    Nothing was written; the same write may be tried again once the database is back.
    """


class StoreNotWritable(StoreUnavailable):
    """The database was reached but takes no writes until someone acts: its file, its folder or
    the connection is read-only, or its disk is full.

    Nothing was written; the same write may be tried again once that is mended, but trying again
    by itself changes nothing. (A StoreUnavailable, so that a move kept for a retry is kept here too.)
    """


class SessionBusy(StoreError):
    """Another app instance holds the session's lease: it is the one writing that session."""


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as stored: with the time it was recorded and its links in the hash chain."""

    event: Event
    recorded_at: datetime
    prev_hash: str
    hash: str


def new_session_id() -> str:
    """A fresh session id: 32 lowercase hex digits (uuid4)."""
    return uuid.uuid4().hex


def deck_hash(deck_text: str) -> str:
    """The sha256 hex digest of a deck's text, as stored with a session."""
    return hashlib.sha256(deck_text.encode("utf-8")).hexdigest()


def encode_payload(data: dict[str, Any]) -> str:
    """An event's data as stored: sorted keys, compact, ASCII-escaped (portable to any database)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False)


@dataclass(frozen=True, slots=True)
class UnreadableSession:
    """A session `Store.sessions` leaves out: its row cannot be read, and why."""

    id: str
    reason: str


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """A session's summary row (all but the deck text: see `Store.deck_text`). Times are UTC."""

    id: str
    deck_id: str
    deck_title: str
    deck_version: str
    deck_hash: str
    deck_origin: str
    seed: int
    class_label: str
    facilitator: str
    created_at: datetime
    updated_at: datetime
    status: str
    current_turn: int
    outcome: str | None
    event_count: int


@dataclass(frozen=True, slots=True)
class StoredSession:
    """What reopening a session needs: its summary, the deck text it was created from, its events."""

    info: SessionInfo
    deck_text: str
    events: list[Event]

    @property
    def deck_file(self) -> str:
        """The name the stored deck's problems are reported under (it has no file of its own)."""
        return f"{self.info.deck_id} (stored with session {self.info.id[:8]})"


class Store:
    """Sessions and events in the database at `url`, whose schema it creates or upgrades on opening."""

    def __init__(self, url: str) -> None:
        self.display_url = shown_url(url)
        """The URL with any password hidden: safe for messages and logs."""
        self.instance = f"{socket.gethostname()} {os.getpid()} {uuid.uuid4().hex[:8]}"
        """Who this store writes as: leases name it (host, process id and a random token)."""
        self._leases: set[str] = set()
        self._heads: dict[str, tuple[int, str]] = {}
        """(seq, hash) of the last event of each session this store wrote: see `_append`."""
        self._engine = open_engine(url)
        self._file = database_file(url)
        """The SQLite file, if the database is one: messages name it, or its folder or disk."""
        try:
            migrate(self._engine, self.display_url)
        except StoreError:
            self._engine.dispose()
            raise
        except OPEN_ERRORS as exc:
            self._engine.dispose()
            raise StoreError(f"cannot open database {self.display_url}: {self._failure(exc)}") from exc
        self._write_engine = for_writing(self._engine)
        self._log = EventLog(self._engine.dialect)
        # What reading may raise: SQLAlchemy's errors, and the driver's own (see EventLog.read).
        self._read_errors: tuple[type[BaseException], ...] = (
            SQLAlchemyError,
            self._engine.dialect.loaded_dbapi.Error,
        )

    def close(self) -> None:
        """Release the leases this store holds (if the database is reachable), close every connection."""
        for session_id in list(self._leases):
            with contextlib.suppress(StoreError):  # else the lease runs out by itself
                self.release_lease(session_id)
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.display_url!r})"

    # -- writing -------------------------------------------------------------------------------

    def create_session(
        self,
        *,
        session_id: str,
        deck_id: str,
        deck_title: str,
        deck_version: str,
        deck_text: str,
        deck_origin: str,
        seed: int,
        class_label: str,
        facilitator: str,
        first_events: Sequence[Event],
    ) -> None:
        """Store a new session (status "running", turn 0) and its first events in one transaction.

        `session_id` comes from `new_session_id()`; the deck hash is computed from `deck_text`.
        """
        if not _SESSION_ID.fullmatch(session_id):
            raise StoreError(f"{session_id!r} is not a session id (32 hex digits); nothing was written")
        if not 0 <= seed < _MAX_SEED:
            raise StoreError(f"seed {seed} is out of range (0 to 2**63 - 1); nothing was written")
        _check_follows(session_id, 0, first_events)
        payloads = [_payload(session_id, event) for event in first_events]
        now = _now()
        digest = deck_hash(deck_text)
        rows = _event_rows(session_id, first_events, payloads, now, digest)
        values = {
            "id": session_id,
            "deck_id": deck_id,
            "deck_title": deck_title,
            "deck_version": deck_version,
            "deck_hash": digest,
            "deck_text": deck_text,
            "deck_origin": deck_origin,
            "seed": seed,
            "class_label": class_label,
            "facilitator": facilitator,
            "created_at": now,
            "updated_at": now,
            "status": "running",
            "current_turn": 0,
            "outcome": None,
            "event_count": len(first_events),
            "lease_holder": self.instance,
            "lease_since": now,
            "lease_until": now + timedelta(seconds=LEASE_SECONDS),
        }
        try:
            with self._write() as conn:
                if _exists(conn, session_id):
                    raise StoreError(f"a session {session_id} exists already; nothing was written")
                conn.execute(insert(_SESSIONS).values(values))
                self._log.insert(conn, rows)
        except IntegrityError as exc:
            if not is_unique_violation(exc):
                raise self._nothing_written(f"session {session_id}", exc) from exc
            raise StoreError(
                f"a session {session_id} was created by another writer; nothing was written"
            ) from exc
        except SQLAlchemyError as exc:
            raise self._nothing_written(f"session {session_id}", exc) from exc
        self._leases.add(session_id)
        self._heads[session_id] = (rows[-1].seq, rows[-1].hash) if rows else (0, digest)

    def append(
        self,
        session_id: str,
        events: Sequence[Event],
        *,
        current_turn: int | None = None,
        status: str | None = None,
        outcome: str | Keep | None = KEEP,
    ) -> None:
        """Store `events` after the session's last one, in one transaction, committed on return.

        The event count, `updated_at` and the summary fields given are updated in the same
        transaction: None leaves `current_turn` or `status` unchanged; `outcome` is kept unless
        passed, and None clears it. If another writer stored any of these seqs first, or on any database
        failure, nothing is written and StoreError(written=False) is raised.
        """
        if status is not None and status not in SESSION_STATUSES:
            raise StoreError(f"unknown session status {status!r}; nothing was written")
        what = f"events {_seq_range(events)} of session {session_id}"
        # Refuse unstorable data before touching the database.
        payloads = [_payload(session_id, event) for event in events]
        summary: dict[str, Any] = {}
        if current_turn is not None:
            summary["current_turn"] = current_turn
        if status is not None:
            summary["status"] = status
        if not isinstance(outcome, Keep):
            summary["outcome"] = outcome
        try:
            self._append(session_id, events, payloads, summary, _now())
        except IntegrityError as exc:
            if not is_unique_violation(exc):
                raise self._nothing_written(what, exc) from exc
            # The (session_id, seq) key: a writer that read the log before ours was committed.
            raise StoreError(
                f"session {session_id} was changed by another writer while saving events "
                f"{_seq_range(events)}; nothing was written"
            ) from exc
        except SQLAlchemyError as exc:
            raise self._nothing_written(what, exc) from exc

    def _append(
        self,
        session_id: str,
        events: Sequence[Event],
        payloads: Sequence[str],
        summary: dict[str, Any],
        now: datetime,
    ) -> None:
        """The transaction of `append`.

        A store remembers the head of each log it wrote (the last seq and hash) and holds the
        session's lease, so an append is usually one UPDATE of the session row (which checks that the
        lease is still ours and that the row still counts the remembered seq: no other writer came
        in between) and the INSERT of the events. Otherwise (first write, lease lost, another writer,
        any failure before) it locks the row, checks the lease and reads the head from the events table.
        The `(session_id, seq)` key stops a stale writer either way.
        """
        until = now + timedelta(seconds=LEASE_SECONDS)
        try:
            with self._write() as conn:
                head = self._heads.get(session_id)
                if (
                    head is None
                    or not _continues(head[0], events)
                    or not self._log.renew(
                        conn,
                        session_id,
                        holder=self.instance,
                        last_seq=head[0],
                        event_count=events[-1].seq if events else head[0],
                        now=now,
                        lease_until=until,
                        summary=summary,
                    )
                ):
                    head = self._lock_for_append(conn, session_id, events, summary, now)
                rows = _event_rows(session_id, events, payloads, now, head[1])
                self._log.insert(conn, rows)
        except BaseException:
            self._heads.pop(session_id, None)  # read it from the database next time
            raise
        self._heads[session_id] = (rows[-1].seq, rows[-1].hash) if rows else head
        self._leases.add(session_id)

    def _lock_for_append(
        self,
        conn: Connection,
        session_id: str,
        events: Sequence[Event],
        summary: dict[str, Any],
        now: datetime,
    ) -> tuple[int, str]:
        """Lock the session row, check its lease, read the log's head (last seq and hash, the deck
        hash for an empty log) and update the row for the events that follow it."""
        row = self._locked_session(conn, session_id, "; nothing was written")
        lease = self._lease_values(row, now, what="nothing was written")
        found = eventlog.read_head(conn, session_id)
        last, prev = found if found is not None else (0, row.deck_hash)
        _check_follows(session_id, last, events)
        conn.execute(
            update(_SESSIONS)
            .where(_SESSIONS.c.id == session_id)
            .values(event_count=events[-1].seq if events else last, updated_at=now, **lease, **summary)
        )
        return last, prev

    def import_session(
        self,
        info: SessionInfo,
        deck_text: str,
        events: Sequence[StoredEvent],
        summary_check: Callable[[], str | None] | None = None,
    ) -> None:
        """Store a session exported from another database exactly as it was: same id, summary,
        events, times and hashes. Refused (nothing written) if the id exists here already, if the
        deck text, the events or their hashes do not form an intact chain, or if `summary_check` (asked
        once the chain holds) finds a problem."""
        session_id = info.id
        if not _SESSION_ID.fullmatch(session_id):
            raise StoreError(f"{session_id!r} is not a session id (32 hex digits); nothing was imported")
        if not 0 <= info.seed < _MAX_SEED:
            raise StoreError(f"seed {info.seed} is out of range; nothing was imported")
        if info.status not in SESSION_STATUSES:
            raise StoreError(f"unknown session status {info.status!r}; nothing was imported")
        rows = [
            EventRow(
                session_id=session_id,
                seq=stored.event.seq,
                kind=stored.event.kind,
                cmd=stored.event.cmd,
                payload=_payload(session_id, stored.event),
                recorded_at=stored.recorded_at,
                prev_hash=stored.prev_hash,
                hash=stored.hash,
            )
            for stored in events
        ]
        chain = map(_chain_row, rows)
        check = verify_rows(session_id, info.deck_hash, deck_hash(deck_text), chain, len(rows))
        if not check.ok:
            raise StoreError(f"session {session_id} does not verify: {check.problem}; nothing was imported")
        if info.event_count != len(rows):
            raise StoreError(
                f"session {session_id} records {info.event_count} events but {len(rows)} are given; "
                "nothing was imported"
            )
        problem = summary_check() if summary_check is not None else None
        if problem:
            raise StoreError(f"session {session_id} does not verify: {problem}; nothing was imported")
        values = {
            "id": session_id,
            "deck_id": info.deck_id,
            "deck_title": info.deck_title,
            "deck_version": info.deck_version,
            "deck_hash": info.deck_hash,
            "deck_text": deck_text,
            "deck_origin": info.deck_origin,
            "seed": info.seed,
            "class_label": info.class_label,
            "facilitator": info.facilitator,
            "created_at": info.created_at,
            "updated_at": info.updated_at,
            "status": info.status,
            "current_turn": info.current_turn,
            "outcome": info.outcome,
            "event_count": info.event_count,
        }
        exists = f"session {session_id} exists already in {self.display_url}; nothing was imported"
        try:
            with self._write() as conn:
                if _exists(conn, session_id):
                    raise StoreError(exists)
                conn.execute(insert(_SESSIONS).values(values))
                self._log.insert(conn, rows)
        except IntegrityError as exc:
            if is_unique_violation(exc):
                raise StoreError(exists) from exc
            raise self._nothing_written(f"session {session_id}", exc) from exc
        except SQLAlchemyError as exc:
            raise self._nothing_written(f"session {session_id}", exc) from exc

    # -- leases --------------------------------------------------------------------------------

    def take_lease(self, session_id: str, *, force: bool = False) -> None:
        """Reserve the session for this store's writes (every append also does), for LEASE_SECONDS.

        Raises SessionBusy if another instance holds an unexpired lease (unless `force`: the user
        chose to take the session over, say after that laptop crashed) and StoreError on failure.
        A lease held by a process of this computer that no longer runs is taken over silently.
        """
        now = _now()
        try:
            with self._write() as conn:
                row = self._locked_session(conn, session_id)
                lease = self._lease_values(row, now, what="opened read-only", force=force)
                conn.execute(update(_SESSIONS).where(_SESSIONS.c.id == session_id).values(**lease))
        except SQLAlchemyError as exc:
            raise self._nothing_written(f"the lease of session {session_id}", exc) from exc
        self._leases.add(session_id)

    def release_lease(self, session_id: str) -> None:
        """Give up this store's lease on the session (if it holds it): another instance may write now."""
        self._leases.discard(session_id)
        self._heads.pop(session_id, None)
        try:
            with self._write() as conn:
                conn.execute(
                    update(_SESSIONS)
                    .where(_SESSIONS.c.id == session_id, _SESSIONS.c.lease_holder == self.instance)
                    .values(lease_holder=None, lease_since=None, lease_until=None)
                )
        except SQLAlchemyError as exc:
            raise self._nothing_written(f"the lease of session {session_id}", exc) from exc

    def _locked_session(self, conn: Connection, session_id: str, after: str = "") -> Row[*tuple[Any, ...]]:
        """The session row's lease columns and deck hash, locked until the transaction ends
        (PostgreSQL; on SQLite the write transaction already holds the database's write lock)."""
        table = _SESSIONS.c
        columns = (table.id, table.deck_hash, table.lease_holder, table.lease_since, table.lease_until)
        row = conn.execute(select(*columns).where(table.id == session_id).with_for_update()).first()
        if row is None:
            raise StoreError(f"no session {session_id} in {self.display_url}{after}")
        return row

    def _lease_values(
        self, row: Row[*tuple[Any, ...]], now: datetime, *, what: str, force: bool = False
    ) -> dict[str, Any]:
        """Check the lease of a session row locked for update: the lease columns that make it (or
        keep it) ours. Raises SessionBusy if another running instance holds it (unless `force`)."""
        values: dict[str, Any] = {
            "lease_holder": self.instance,
            "lease_until": now + timedelta(seconds=LEASE_SECONDS),
        }
        holder = row.lease_holder
        if holder != self.instance:
            until = _utc(row.lease_until) if row.lease_until is not None else None
            if holder and until is not None and until > now and not force and _another_instance(holder):
                raise SessionBusy(_busy_message(row.id, holder, row.lease_since, what))
            values["lease_since"] = now
        return values

    # -- tamper evidence -----------------------------------------------------------------------

    def verify(self, session_id: str) -> VerifyResult:
        """Check the session's hash chain: OK, or the first altered or missing event."""
        # Only the columns the chain covers: a damaged time elsewhere in a row does not stop it.
        session = _SESSIONS.c
        events = _EVENTS.c
        with self._read() as conn, conn.begin():
            record = conn.execute(
                select(session.deck_hash, session.deck_text, session.event_count).where(
                    session.id == session_id
                )
            ).first()
            if record is None:
                raise StoreError(f"no session {session_id} in {self.display_url}")
            with _damaged_row(session_id):
                event_count = _stored_number("event_count", record.event_count)
            rows = conn.execute(
                select(events.seq, events.kind, events.cmd, events.payload, events.prev_hash, events.hash)
                .where(events.session_id == session_id)
                .order_by(events.seq)
            )
            text = record.deck_text
            return verify_rows(
                session_id,
                record.deck_hash,
                deck_hash(text) if isinstance(text, str) else "",  # (not text: not the deck either)
                map(_chain_row, rows),
                event_count,
            )

    def chain_head(self, session_id: str) -> str:
        """The hash of the session's last stored event (the deck hash if it has none)."""
        with self._reading() as db:
            record = self._require(db, session_id)
            head = eventlog.read_head(db.connection(), session_id)
            return (head[1] if head is not None else "") or record.deck_hash

    def stored_events(self, session_id: str) -> list[StoredEvent]:
        """The session's events with their recording times and hashes (for a lossless export)."""
        with self._reading() as db, _damaged_row(session_id):
            self._require(db, session_id)
            records = queries.read_events(db, session_id)
            rows = [(record.seq, record.kind, record.cmd, record.payload) for record in records]
            events = eventlog.events_from_rows(session_id, rows)
            return [
                StoredEvent(event, _utc(record.recorded_at), *_hashes(session_id, record))
                for event, record in zip(events, records, strict=True)
            ]

    def delete_sessions_before(self, moment: datetime, only: Collection[str] | None = None) -> int:
        """Delete every session created before `moment` (UTC if naive) and all its events, in one
        transaction; returns how many sessions were deleted. With `only`, just those of these ids
        (the ones the user was shown). The one deliberate deletion: old sessions removed for
        students' privacy (`wargame sessions delete`)."""
        cutoff = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        self._heads.clear()
        try:
            with self._writing() as db:
                return queries.delete_sessions_before(db, cutoff, only)
        except SQLAlchemyError as exc:
            what = f"the deletion of sessions created before {cutoff:%Y-%m-%d}"
            raise self._nothing_written(what, exc) from exc

    # -- reading -------------------------------------------------------------------------------

    def events(self, session_id: str, upto: int | None = None) -> list[Event]:
        """The session's events in seq order; with `upto`, only those with seq <= upto."""
        with self._read() as conn:
            events = self._log.read(conn, session_id, upto)
            if not events and not _exists(conn, session_id):
                raise StoreError(f"no session {session_id} in {self.display_url}")
            return events

    def load(self, session_id: str) -> StoredSession:
        """The session's summary, deck text and events, read in one transaction."""
        with self._read() as conn, conn.begin(), _damaged_row(session_id):
            row = conn.execute(select(_SESSIONS).where(_SESSIONS.c.id == session_id)).first()
            if row is None:
                raise StoreError(f"no session {session_id} in {self.display_url}")
            info = _info(row)
            events = self._log.read(conn, session_id)
        return StoredSession(info, row.deck_text, events)

    def session(self, session_id: str) -> SessionInfo:
        """The session's summary row."""
        with self._read() as conn, _damaged_row(session_id):
            row = conn.execute(select(*_INFO_COLUMNS).where(_SESSIONS.c.id == session_id)).first()
            if row is None:
                raise StoreError(f"no session {session_id} in {self.display_url}")
            return _info(row)

    def deck_text(self, session_id: str) -> str:
        """The full text of the deck the session was created from."""
        with self._read() as conn:
            text = conn.execute(select(_SESSIONS.c.deck_text).where(_SESSIONS.c.id == session_id)).scalar()
        if text is None:
            raise StoreError(f"no session {session_id} in {self.display_url}")
        return str(text)

    def sessions(self, unreadable: list[UnreadableSession] | None = None) -> list[SessionInfo]:
        """Every session, newest first.

        A session whose row holds a value that cannot be read (a time that is not a time, written
        by hand or by another program) is left out so that the others are still listed; each one
        is added to `unreadable`, with why, when it is given.
        """
        try:
            with self._reading() as db:
                return [_info(record) for record in queries.list_sessions(db)]
        except (ValueError, TypeError):
            pass  # read them again one row at a time, the times as the text stored
        columns = [
            type_coerce(column, String).label(column.name) if column.name in _TIMES else column
            for column in _INFO_COLUMNS
        ]
        with self._read() as conn:
            rows = conn.execute(select(*columns)).all()
        infos = []
        for row in rows:
            values = dict(row._mapping)
            try:
                for name in _TIMES:
                    values[name] = _stored_time(name, values[name])
                infos.append(_info(SimpleNamespace(**values)))
            except ValueError as exc:
                if unreadable is not None:
                    unreadable.append(UnreadableSession(row.id, str(exc)))
        return sorted(infos, key=lambda info: (info.created_at, info.id), reverse=True)

    def resolve_id(self, prefix: str) -> str:
        """The id of the one session whose id starts with `prefix` (as git resolves commits)."""
        wanted = prefix.strip().lower()
        if not wanted:
            raise StoreError("no session id given")
        if not re.fullmatch(r"[0-9a-f]{1,32}", wanted):
            raise StoreError(f"{prefix!r} is not a session id: ids are made of hex digits 0-9 and a-f")
        with self._reading() as db:
            matches = queries.ids_starting_with(db, wanted)
        if not matches:
            raise StoreError(f"no session id starts with {wanted} in {self.display_url}")
        if len(matches) > 1:
            shown = ", ".join(match[: len(wanted) + 4] + "…" for match in matches[:5])
            more = ", …" if len(matches) > 5 else ""
            raise StoreError(
                f"{wanted} is ambiguous: {len(matches)} session ids start with it ({shown}{more}); "
                "give more digits"
            )
        return matches[0]

    # -- internals -----------------------------------------------------------------------------

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """A write transaction (BEGIN IMMEDIATE on SQLite), committed if the block succeeds."""
        with Session(self._write_engine) as db:
            yield db
            db.commit()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction on a plain connection (BEGIN IMMEDIATE on SQLite), committed if the
        block succeeds, rolled back if it raises."""
        with self._write_engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """A plain connection for reading; database failures become StoreError(written=False)."""
        try:
            with self._engine.connect() as conn:
                yield conn
        except self._read_errors as exc:
            raise StoreError(f"cannot read database {self.display_url}: {self._failure(exc)}") from exc

    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """A read-only scope; database failures become StoreError(written=False)."""
        try:
            with Session(self._engine) as db:
                yield db
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read database {self.display_url}: {self._failure(exc)}") from exc

    def _require(self, db: Session, session_id: str) -> SessionRecord:
        with _damaged_row(session_id):
            record = queries.get_session(db, session_id)
        if record is None:
            raise StoreError(f"no session {session_id} in {self.display_url}")
        return record

    def _failure(self, exc: BaseException) -> str:
        return failure(exc, self.display_url, self._file)

    def _nothing_written(self, what: str, exc: SQLAlchemyError) -> StoreError:
        refusal = lasting_refusal(exc, self.display_url, self._file)
        if refusal is not None:
            return StoreNotWritable(f"could not save {what}: {refusal}; nothing was written", written=False)
        if _unreachable(exc):
            return StoreUnavailable(
                f"the database {self.display_url} is unreachable or busy ({reason(exc)}): "
                f"could not save {what}; nothing was written",
                written=False,
            )
        return StoreError(
            f"could not save {what} to {self.display_url}: {reason(exc)}; nothing was written", written=False
        )


def _unreachable(exc: SQLAlchemyError) -> bool:
    """Whether a failure is about reaching the database (worth retrying) rather than the data.
    (Asked once `lasting_refusal` found none: a read-only file or a full disk is an
    OperationalError too, and so is SQLite's plain SQL error, such as a table that is gone.)"""
    if isinstance(exc, OperationalError | InterfaceError):
        return getattr(exc.orig, "sqlite_errorcode", None) != _SQLITE_ERROR
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def _another_instance(holder: str) -> bool:
    """Whether a lease holder is another running instance of the app: not this process (an app
    instance may open several stores), nor a process of this computer that has ended (it crashed)."""
    host, _, rest = holder.partition(" ")
    pid_text = rest.partition(" ")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return True
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    if os.name != "posix":
        return True  # no cheap liveness check: wait for the lease to run out
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists (owned by someone else)
    return True


def _busy_message(session_id: str, holder: str, since: datetime | None, what: str) -> str:
    host, _, rest = holder.partition(" ")
    pid = rest.partition(" ")[0]
    when = f" since {_utc(since):%Y-%m-%d %H:%M} UTC" if since is not None else ""
    return (
        f"session {session_id[:12]} is being run by another instance of wargame "
        f"(on {host}, process {pid}){when}; {what}"
    )


def _now() -> datetime:
    return datetime.now(UTC)


@contextmanager
def _damaged_row(session_id: str) -> Iterator[None]:
    """A stored value of the session that cannot be read becomes a DamagedRow saying so."""
    try:
        yield
    except (ValueError, TypeError) as exc:
        raise DamagedRow(f"session {session_id} cannot be read: a stored value is damaged ({exc})") from exc


def _stored_time(name: str, value: Any) -> datetime:
    """A time column read as the text stored (SQLite) or as a time (PostgreSQL's driver)."""
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError(f"its {name} holds {value!r}, not a time") from None


def _stored_number(name: str, value: Any) -> int:
    """A whole-number column as read; ValueError if it holds anything else (SQLite keeps what it is
    given: a hand edit can leave text there)."""
    problem = wrong_type(name, value, int)
    if problem:
        raise ValueError(problem)
    return value


def _utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time the store writes is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _seq_range(events: Sequence[Event]) -> str:
    if not events:
        return "(none)"
    first, last = events[0].seq, events[-1].seq
    return str(first) if first == last else f"{first}-{last}"


def _check_follows(session_id: str, last: int, events: Sequence[Event]) -> None:
    """Refuse events whose seqs do not continue the log from `last` without gaps."""
    for offset, event in enumerate(events):
        expected = last + 1 + offset
        if event.seq == expected:
            continue
        if offset == 0 and event.seq <= last:
            raise StoreError(
                f"session {session_id} was changed by another writer (it has {last} events, this write "
                f"starts at event {event.seq}); nothing was written"
            )
        raise StoreError(
            f"events for session {session_id} must continue its log without gaps: expected seq {expected}, "
            f"got {event.seq}; nothing was written"
        )


def _continues(last: int, events: Sequence[Event]) -> bool:
    """Whether `events` continue a log whose last seq is `last` without gaps."""
    return all(event.seq == last + offset for offset, event in enumerate(events, start=1))


def _event_rows(
    session_id: str, events: Sequence[Event], payloads: Sequence[str], now: datetime, prev: str
) -> list[EventRow]:
    """Rows for `events` (stored as `payloads`), hash-chained onto `prev` (the last stored hash,
    or the deck hash)."""
    rows = []
    for event, payload in zip(events, payloads, strict=True):
        digest = event_hash(prev, session_id, event.seq, event.kind, event.cmd, payload)
        rows.append(EventRow(session_id, event.seq, event.kind, event.cmd, payload, now, prev, digest))
        prev = digest
    return rows


def _exists(conn: Connection, session_id: str) -> bool:
    return conn.execute(select(_SESSIONS.c.id).where(_SESSIONS.c.id == session_id)).first() is not None


def _chain_row(row: EventRow | Row[*tuple[Any, ...]]) -> ChainRow:
    return ChainRow(row.seq, row.kind, row.cmd, row.payload, row.prev_hash, row.hash)


def _payload(session_id: str, event: Event) -> str:
    """The stored form of an event's data; refused unless it reads back equal (replay = live)."""
    where = f"event {event.seq} ({event.kind}) of session {session_id}"
    try:
        payload = encode_payload(event.data)
    except (TypeError, ValueError) as exc:
        raise StoreError(
            f"{where} cannot be stored: its data is not JSON ({exc}); nothing was written"
        ) from exc
    if json.loads(payload) != event.data:
        raise StoreError(
            f"{where} cannot be stored: its data would not read back the same (use lists, not tuples, "
            "and string keys); nothing was written"
        )
    return payload


def _hashes(session_id: str, record: EventRecord) -> tuple[str, str]:
    """An event's prev_hash and hash; DamagedRow if either is not text."""
    for name, value in (("prev_hash", record.prev_hash), ("hash", record.hash)):
        problem = wrong_type(name, value, str)
        if problem:
            raise DamagedRow(f"event {record.seq} of session {session_id} is damaged: {problem}")
    return record.prev_hash, record.hash


def _info(record: SessionRecord | Row[*tuple[Any, ...]] | SimpleNamespace) -> SessionInfo:
    return SessionInfo(
        id=record.id,
        deck_id=record.deck_id,
        deck_title=record.deck_title,
        deck_version=record.deck_version,
        deck_hash=record.deck_hash,
        deck_origin=record.deck_origin,
        seed=_stored_number("seed", record.seed),
        class_label=record.class_label,
        facilitator=record.facilitator,
        created_at=_utc(record.created_at),
        updated_at=_utc(record.updated_at),
        status=record.status,
        current_turn=_stored_number("current_turn", record.current_turn),
        outcome=record.outcome,
        event_count=_stored_number("event_count", record.event_count),
    )
