"""The hash chain that makes a session's stored history tamper-evident.

Each event row stores `prev_hash` (the hash of the event before it; for event 1, the session's
deck hash) and `hash` = sha256(prev_hash + canonical JSON of [session_id, seq, kind, cmd, payload]),
where payload is the stored JSON text. Changing, deleting or reordering any stored event, or the
deck a session was created from, breaks the chain from that point on; the hash of the last event
(the chain head) printed on a report pins the whole history up to it.

Pure functions, no database: the store, the migration that back-fills old rows and `verify` use them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass


def event_hash(prev_hash: str, session_id: str, seq: int, kind: str, cmd: int, payload: str) -> str:
    """The hash of one event given the hash before it."""
    content = json.dumps([session_id, seq, kind, cmd, payload], separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def short(digest: str) -> str:
    """The first 12 hex digits of a hash: what reports and messages print."""
    return digest[:12]


@dataclass(frozen=True, slots=True)
class ChainRow:
    """What verification needs of one stored event."""

    seq: int
    kind: str
    cmd: int
    payload: str
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """The outcome of checking a session's chain.

    `head` is the hash of the last event that checked out (the deck hash for an empty log);
    `first_bad_seq` is the first altered or missing event (0 for the deck itself), None when ok.
    """

    ok: bool
    events: int
    head: str
    first_bad_seq: int | None = None
    problem: str = ""

    def summary(self) -> str:
        """One line: `OK: N events, chain head XXXX` or `ALTERED: ...` / `MISSING: ...`."""
        if self.ok:
            return f"OK: {self.events} events, chain head {short(self.head)}"
        return self.problem


def verify_rows(
    session_id: str, deck_hash: str, deck_text_hash: str, rows: Iterable[ChainRow], event_count: int
) -> VerifyResult:
    """Check the rows of one session (in seq order) against the chain and the session row.

    `deck_hash` is the hash stored with the session, `deck_text_hash` the hash of the deck text as
    stored now, and `event_count` the count the session row records.
    """
    if deck_text_hash != deck_hash:
        problem = "ALTERED: the deck text stored with the session no longer matches its hash"
        return VerifyResult(False, 0, deck_hash, 0, problem)
    prev = deck_hash
    count = 0
    for row in rows:
        expected_seq = count + 1
        if type(row.seq) is not int:
            return VerifyResult(
                False,
                count,
                prev,
                expected_seq,
                f"ALTERED: the event at position {expected_seq} holds seq {row.seq!r}, not a whole number",
            )
        if row.seq != expected_seq:
            return VerifyResult(
                False,
                count,
                prev,
                expected_seq,
                f"MISSING: event #{expected_seq} (the next stored event is #{row.seq})",
            )
        unreadable = _unreadable(row)
        if unreadable:
            return VerifyResult(False, count, prev, row.seq, f"ALTERED: event #{row.seq}: {unreadable}")
        if event_hash(row.prev_hash, session_id, row.seq, row.kind, row.cmd, row.payload) != row.hash:
            return VerifyResult(
                False, count, prev, row.seq, f"ALTERED: event #{row.seq} ({row.kind}) does not match its hash"
            )
        if row.prev_hash != prev:
            after = f"event #{row.seq - 1}" if row.seq > 1 else "the session's deck"
            return VerifyResult(
                False,
                count,
                prev,
                row.seq,
                f"ALTERED: event #{row.seq} ({row.kind}) does not follow {after} "
                "(an event was changed, removed or reordered here)",
            )
        prev = row.hash
        count += 1
    if event_count > count:
        return VerifyResult(
            False,
            count,
            prev,
            count + 1,
            f"MISSING: event #{count + 1} (the session records {event_count} events, {count} are stored)",
        )
    return VerifyResult(True, count, prev)


_COLUMN_TYPES = (("kind", str), ("cmd", int), ("payload", str), ("prev_hash", str), ("hash", str))


def _unreadable(row: ChainRow) -> str | None:
    """What makes a row's values not an event's (a hand edit: SQLite keeps what it is given), or None."""
    for name, kind in _COLUMN_TYPES:
        problem = wrong_type(name, getattr(row, name), kind)
        if problem:
            return problem
    return None


def wrong_type(name: str, value: object, kind: type[int] | type[str]) -> str | None:
    """ "its NAME holds VALUE, not a whole number" (or "not text") when a stored column's `value` is
    not of `kind` (SQLite keeps whatever a hand edit puts in a column), else None."""
    if type(value) is kind:
        return None
    return f"its {name} holds {_shown(value)}, not {'a whole number' if kind is int else 'text'}"


def _shown(value: object) -> str:
    """A damaged value for a message that may be printed in a report: short ones as they are, a
    long one (a payload holds what students typed) by its type and size only."""
    shown = repr(value)
    if len(shown) <= 24:
        return shown
    size = len(value) if isinstance(value, str | bytes) else len(shown)
    return f"{'bytes' if isinstance(value, bytes) else type(value).__name__} of length {size}"
