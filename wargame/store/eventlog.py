"""The event log's hot paths at the level of the database driver: storing a command's events and
reading a whole log back.

A command stores one event or a few, and reopening a session reads thousands. For both,
SQLAlchemy's per-statement work (compiling, the ORM's unit of work, one Row object per row) cost
several times what the database itself does (see `python -m benchmarks`). So these few statements
are compiled once per store for its dialect and handed to the driver as they are: writes through
`Connection.exec_driver_sql` (SQLAlchemy still turns driver errors into its own, which the store
sorts into "unreachable", "unique key" and the rest), the log read on the driver's own cursor.
Everything else in the store stays plain SQLAlchemy.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any

import msgspec
from sqlalchemy import Connection, DateTime, Dialect, select, text

from wargame.engine.events import Event, events_from_columns
from wargame.errors import StoreError
from wargame.store.chain import wrong_type
from wargame.store.models import EventRecord, table_of

Params = tuple[Any, ...] | Mapping[str, Any]

_INSERT_EVENT = (
    "INSERT INTO events (session_id, seq, kind, cmd, payload, recorded_at, prev_hash, hash) "
    "VALUES (:session_id, :seq, :kind, :cmd, :payload, :recorded_at, :prev_hash, :hash)"
)
_READ_EVENTS = "SELECT seq, kind, cmd, payload FROM events WHERE session_id = :session_id"
_SUMMARY_COLUMNS = ("current_turn", "status", "outcome")

_SEQ, _KIND, _CMD, _PAYLOAD = (
    itemgetter(0),
    itemgetter(1),
    itemgetter(2),
    itemgetter(3),
)  # a read row's columns


class DamagedRow(StoreError):
    """A stored value of a session cannot be read (a time that is not a time, an event number that
    is not a number..., written by hand or by another program): its rows were altered outside the app."""


@dataclass(frozen=True, slots=True)
class DriverStatement:
    """SQL written with `:name` markers, compiled for one dialect's parameter style."""

    sql: str
    order: tuple[str, ...] | None
    """The order of the parameters for a positional style (`?`); None: the driver takes names."""

    @classmethod
    def compile(cls, sql: str, dialect: Dialect) -> DriverStatement:
        compiled = text(sql).compile(dialect=dialect)
        order = tuple(compiled.positiontup or ()) if compiled.positional else None
        return cls(compiled.string, order)

    def params(self, values: Mapping[str, Any]) -> Params:
        """The parameters as the driver takes them."""
        if self.order is None:
            return values
        return tuple(values[name] for name in self.order)


@dataclass(frozen=True, slots=True)
class EventRow:
    """One events row to insert: the event's stored form and its links in the hash chain."""

    session_id: str
    seq: int
    kind: str
    cmd: int
    payload: str
    recorded_at: datetime
    prev_hash: str
    hash: str


class EventLog:
    """The hot statements of one store, compiled for its database's dialect."""

    def __init__(self, dialect: Dialect) -> None:
        self._dialect = dialect
        self._time: Callable[[Any], Any] = DateTime(timezone=True).dialect_impl(dialect).bind_processor(
            dialect
        ) or (lambda value: value)
        self._insert = DriverStatement.compile(_INSERT_EVENT, dialect)
        self._read = DriverStatement.compile(_READ_EVENTS + " ORDER BY seq", dialect)
        self._read_upto = DriverStatement.compile(_READ_EVENTS + " AND seq <= :upto ORDER BY seq", dialect)
        self._renewals: dict[tuple[str, ...], DriverStatement] = {}

    def insert(self, conn: Connection, rows: Sequence[EventRow]) -> None:
        """Insert the rows in the connection's transaction (one executemany for several)."""
        params = [
            self._insert.params(
                {
                    "session_id": row.session_id,
                    "seq": row.seq,
                    "kind": row.kind,
                    "cmd": row.cmd,
                    "payload": row.payload,
                    "recorded_at": self._time(row.recorded_at),
                    "prev_hash": row.prev_hash,
                    "hash": row.hash,
                }
            )
            for row in rows
        ]
        if len(params) == 1:
            conn.exec_driver_sql(self._insert.sql, params[0])
        elif params:
            conn.exec_driver_sql(self._insert.sql, params)

    def renew(
        self,
        conn: Connection,
        session_id: str,
        *,
        holder: str,
        last_seq: int,
        event_count: int,
        now: datetime,
        lease_until: datetime,
        summary: Mapping[str, Any],
    ) -> bool:
        """Update the session row after an append, but only if `holder` holds its lease and it
        still counts `last_seq` events: whether it did (the row is then locked until the end of the
        transaction). `summary` holds the fields of `_SUMMARY_COLUMNS` to change.

        This one statement is the whole check of an append whose writer already holds the lease and
        knows the log's head: any other writer since then changed the lease or the count.
        """
        columns = tuple(name for name in _SUMMARY_COLUMNS if name in summary)
        statement = self._renewals.get(columns)
        if statement is None:
            assignments = "".join(f", {name} = :{name}" for name in columns)
            statement = DriverStatement.compile(
                "UPDATE sessions SET event_count = :event_count, updated_at = :updated_at, "
                f"lease_until = :lease_until{assignments} "
                "WHERE id = :session_id AND lease_holder = :holder AND event_count = :last_seq",
                self._dialect,
            )
            self._renewals[columns] = statement
        values = {
            **summary,
            "event_count": event_count,
            "updated_at": self._time(now),
            "lease_until": self._time(lease_until),
            "session_id": session_id,
            "holder": holder,
            "last_seq": last_seq,
        }
        result = conn.exec_driver_sql(statement.sql, statement.params(values))
        return result.rowcount == 1

    def read(self, conn: Connection, session_id: str, upto: int | None = None) -> list[Event]:
        """The session's events in seq order (with `upto`, those with seq <= upto), read on the
        driver's cursor. Driver errors are the driver's own (see `Store.events`)."""
        values: dict[str, str | int]
        if upto is None:
            statement, values = self._read, {"session_id": session_id}
        else:
            statement, values = self._read_upto, {"session_id": session_id, "upto": upto}
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(statement.sql, statement.params(values))
            rows = cursor.fetchall()
        finally:
            cursor.close()
        return events_from_rows(session_id, rows)


def events_from_rows(session_id: str, rows: Sequence[Sequence[Any]]) -> list[Event]:
    """Events made from rows of (seq, kind, cmd, payload) as read. DamagedRow names the first row
    whose seq or cmd is not a whole number or whose payload cannot be read (a hand edit: on SQLite
    a column holds whatever was put in it).

    The numbers are checked by summing each column, at C speed: anything else (text, bytes, NULL, a
    float) fails the sum or makes it no int. Only then are the rows looked at one by one.
    """
    seqs, cmds = list(map(_SEQ, rows)), list(map(_CMD, rows))
    if not (_whole_numbers(seqs) and _whole_numbers(cmds)):
        raise _damaged_numbers(session_id, rows)
    return events_from_columns(seqs, map(_KIND, rows), decode_payloads(session_id, rows), cmds)


def _whole_numbers(values: list[Any]) -> bool:
    try:
        return type(sum(values)) is int
    except TypeError:
        return False


def _damaged_numbers(session_id: str, rows: Sequence[Sequence[Any]]) -> DamagedRow:
    for position, (seq, _kind, cmd, *_rest) in enumerate(rows, start=1):
        problem = wrong_type("seq", seq, int)
        if problem:
            where = f"the event at position {position} (in seq order) of session {session_id}"
            return DamagedRow(f"{where} is damaged: {problem}")
        problem = wrong_type("cmd", cmd, int)
        if problem:
            return DamagedRow(f"event {seq} of session {session_id} is damaged: {problem}")
    return DamagedRow(f"session {session_id} cannot be read: an event's number is damaged")


def read_head(conn: Connection, session_id: str) -> tuple[int, str] | None:
    """(seq, hash) of the session's last stored event; None when it has none."""
    events = table_of(EventRecord)
    query = (
        select(events.c.seq, events.c.hash)
        .where(events.c.session_id == session_id)
        .order_by(events.c.seq.desc())
        .limit(1)
    )
    row = conn.execute(query).first()
    if row is None:
        return None
    problem = wrong_type("seq", row.seq, int)
    if problem:
        raise DamagedRow(f"the last stored event of session {session_id} is damaged: {problem}")
    return row.seq, str(row.hash)


def loads(text: str) -> Any:
    """JSON text decoded as `json.loads` does, twice as fast for a long log, except that a number
    JSON does not have (NaN, Infinity, or one beyond a float's range, like 1e999) is refused with
    ValueError: the store never writes one (`encode_payload`), and the fold cannot use one.

    msgspec's decoder takes half the time of the standard library's on a 10,000-event log and
    gives the same values, integers beyond 64 bits included (orjson reads those as floats). What
    it refuses (the numbers above, a lone surrogate escape) is read by `json.loads`, which refuses
    those numbers too.
    """
    try:
        return msgspec.json.decode(text)
    except msgspec.DecodeError:
        return _strict_loads(text)


class OutOfRange(ValueError):
    """A number in stored JSON beyond a float's range."""


def _strict_loads(text: str) -> Any:
    return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise OutOfRange(f"it holds a number out of range ({text})")
    return value


def decode_payloads(session_id: str, rows: Sequence[Sequence[Any]]) -> list[Any]:
    """The decoded payloads (the fourth column) of `rows`.

    Decoded as one JSON array (`loads`): one decode instead of one per row takes a third of the
    time. The array's
    text is made by one join, its brackets on its first and last items: wrapping the joined text
    in them would copy its megabyte or so once more (~0.5 ms for a 10,000-event log). Each payload
    the store writes is one JSON object (`encode_payload`), so the array has one item per row; if
    it has not, or does not parse, each payload is decoded by itself to name the first damaged one.
    Payloads edited on purpose so that the array still has one item per row are read as the items
    they make up, not refused: an edit can make an event say anything anyway, and `Store.verify`
    (the hash chain) reports either.
    """
    if not rows:
        return []
    try:
        payloads = list(map(_PAYLOAD, rows))
        payloads[0] = "[" + payloads[0]
        payloads[-1] += "]"
        datas = loads(",".join(payloads))
    except (ValueError, TypeError):
        datas = None
    if isinstance(datas, list) and len(datas) == len(rows):
        return datas
    decoded = []
    for row in rows:
        try:
            decoded.append(_strict_loads(row[3]))
        except OutOfRange as exc:
            raise DamagedRow(f"event {row[0]} of session {session_id} is damaged: {exc}") from exc
        except (ValueError, TypeError) as exc:
            raise DamagedRow(
                f"event {row[0]} of session {session_id} is damaged: its stored data is not JSON ({exc})"
            ) from exc
    return decoded
