"""Storage functions. Each takes the DB session it works in; the caller owns its scope
(transaction, commit, error handling), as `Store` does."""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from wargame.store.models import EventRecord, SessionRecord


class Keep(enum.Enum):
    """Type of KEEP: "leave this field as it is" where None is a value of its own."""

    KEEP = enum.auto()


KEEP = Keep.KEEP


def get_session(db: Session, session_id: str) -> SessionRecord | None:
    """The session row."""
    return db.get(SessionRecord, session_id)


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


def read_events(db: Session, session_id: str) -> Sequence[EventRecord]:
    """The session's events in seq order, as records (with their times and hashes)."""
    query = select(EventRecord).where(EventRecord.session_id == session_id)
    return db.exec(query.order_by(col(EventRecord.seq))).all()


def delete_sessions_before(db: Session, cutoff: datetime, only: Collection[str] | None = None) -> int:
    """Delete the sessions created before `cutoff` (of `only`, if given) and their events; returns
    how many sessions."""
    query = select(SessionRecord.id).where(col(SessionRecord.created_at) < cutoff)
    if only is not None:
        query = query.where(col(SessionRecord.id).in_(list(only)))
    ids = list(db.exec(query).all())
    if not ids:
        return 0
    db.execute(delete(EventRecord).where(col(EventRecord.session_id).in_(ids)))
    db.execute(delete(SessionRecord).where(col(SessionRecord.id).in_(ids)))
    return len(ids)
