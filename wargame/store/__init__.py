"""Persistence: sessions and their append-only event logs (SQLModel over any SQLAlchemy database).

No Qt here. `Store` is the only way in; `upgrade` is for `wargame db upgrade`.
"""

from __future__ import annotations

from wargame.store.chain import VerifyResult
from wargame.store.eventlog import DamagedRow
from wargame.store.paths import default_data_dir, default_database_url
from wargame.store.schema import SCHEMA_VERSION, upgrade
from wargame.store.store import (
    SessionBusy,
    SessionInfo,
    Store,
    StoredEvent,
    StoredSession,
    StoreNotWritable,
    StoreUnavailable,
    UnreadableSession,
    deck_hash,
    new_session_id,
)

__all__ = [
    "SCHEMA_VERSION",
    "DamagedRow",
    "SessionBusy",
    "SessionInfo",
    "Store",
    "StoreNotWritable",
    "StoreUnavailable",
    "StoredEvent",
    "StoredSession",
    "UnreadableSession",
    "VerifyResult",
    "deck_hash",
    "default_data_dir",
    "default_database_url",
    "new_session_id",
    "upgrade",
]
