"""Storage functions. Each takes the DB session it works in; the caller owns its scope
(transaction, commit, error handling), as `Store` does."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from wargame.store.models import EventRecord, SessionRecord


class Keep(enum.Enum):
    """Type of KEEP: "leave this field as it is" where None is a value of its own."""

    KEEP = enum.auto()


KEEP = Keep.KEEP


def get_session(db: Session, session_id: str) -> SessionRecord | None:
    return db.get(SessionRecord, session_id)


def list_sessions(db: Session) -> Sequence[SessionRecord]:
    """Every session, newest first."""
    query = select(SessionRecord).order_by(col(SessionRecord.created_at).desc(), col(SessionRecord.id).desc())
    return db.exec(query).all()


def ids_starting_with(db: Session, prefix: str) -> list[str]:
    """Ids of the sessions whose id starts with `prefix`, newest session first."""
    query = (
        select(SessionRecord.id)
        .where(col(SessionRecord.id).startswith(prefix, autoescape=True))
        .order_by(col(SessionRecord.created_at).desc())
    )
    return list(db.exec(query).all())


def last_seq(db: Session, session_id: str) -> int:
    """The seq of the session's last stored event; 0 when it has none."""
    query = select(func.max(EventRecord.seq)).where(EventRecord.session_id == session_id)
    return int(db.exec(query).one() or 0)


def read_events(db: Session, session_id: str, upto: int | None = None) -> Sequence[EventRecord]:
    """The session's events in seq order; with `upto`, only those with seq <= upto."""
    query = select(EventRecord).where(EventRecord.session_id == session_id)
    if upto is not None:
        query = query.where(EventRecord.seq <= upto)
    return db.exec(query.order_by(col(EventRecord.seq))).all()


def add_session(db: Session, record: SessionRecord) -> None:
    db.add(record)


def add_events(db: Session, records: Sequence[EventRecord]) -> None:
    db.add_all(records)


def update_summary(
    db: Session,
    record: SessionRecord,
    *,
    event_count: int,
    updated_at: datetime,
    current_turn: int | None = None,
    status: str | None = None,
    outcome: str | Keep | None = KEEP,
) -> None:
    """Refresh the session row after an append. None leaves `current_turn` and `status` unchanged;
    `outcome` is kept unless given (None clears it, as when the end of a session is undone)."""
    record.event_count = event_count
    record.updated_at = updated_at
    if current_turn is not None:
        record.current_turn = current_turn
    if status is not None:
        record.status = status
    if not isinstance(outcome, Keep):
        record.outcome = outcome
    db.add(record)
