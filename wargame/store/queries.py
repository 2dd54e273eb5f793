"""Storage functions. Each takes the DB session it works in; the caller owns its scope
(transaction, commit, error handling), as `Store` does."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from wargame.store.models import EventRecord, SessionRecord


class Keep(enum.Enum):
    """Type of KEEP: "leave this field as it is" where None is a value of its own."""

    KEEP = enum.auto()


KEEP = Keep.KEEP


def get_session(db: Session, session_id: str, *, for_update: bool = False) -> SessionRecord | None:
    """The session row; `for_update` locks it until the transaction ends (PostgreSQL; on SQLite
    the write transaction already holds the database's write lock)."""
    return db.get(SessionRecord, session_id, with_for_update=for_update)


def list_sessions(db: Session) -> Sequence[SessionRecord]:
    """Every session, newest first."""
    query = (
        select(SessionRecord)
        .options(defer(SessionRecord.deck_text))  # type: ignore[arg-type]  # a list needs no deck text
        .order_by(col(SessionRecord.created_at).desc(), col(SessionRecord.id).desc())
    )
    return db.exec(query).all()


def ids_starting_with(db: Session, prefix: str) -> list[str]:
    """Ids of the sessions whose id starts with `prefix`, newest session first."""
    query = (
        select(SessionRecord.id)
        .where(col(SessionRecord.id).startswith(prefix, autoescape=True))
        .order_by(col(SessionRecord.created_at).desc())
    )
    return list(db.exec(query).all())


def last_hash(db: Session, session_id: str) -> str:
    """The hash of the session's last stored event; "" when it has none."""
    query = (
        select(EventRecord.hash)
        .where(EventRecord.session_id == session_id)
        .order_by(col(EventRecord.seq).desc())
        .limit(1)
    )
    return db.exec(query).first() or ""


def read_events(db: Session, session_id: str, upto: int | None = None) -> Sequence[EventRecord]:
    """The session's events in seq order; with `upto`, only those with seq <= upto."""
    query = select(EventRecord).where(EventRecord.session_id == session_id)
    if upto is not None:
        query = query.where(EventRecord.seq <= upto)
    return db.exec(query.order_by(col(EventRecord.seq))).all()


def delete_sessions_before(db: Session, cutoff: datetime) -> int:
    """Delete the sessions created before `cutoff` and their events; returns how many sessions."""
    ids = list(db.exec(select(SessionRecord.id).where(col(SessionRecord.created_at) < cutoff)).all())
    if not ids:
        return 0
    db.execute(delete(EventRecord).where(col(EventRecord.session_id).in_(ids)))
    db.execute(delete(SessionRecord).where(col(SessionRecord.id).in_(ids)))
    return len(ids)
