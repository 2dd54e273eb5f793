"""A damaged SQLite file: recognise it, and set it aside so that a new database can start.

Nothing is deleted: the file (with its -wal and -shm companions) is renamed beside itself, for
whoever can repair it (`sqlite3 FILE .recover`) or wants its sessions back later.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from wargame.store.db import database_file, sqlite_read_only

SQLITE_HEADER = b"SQLite format 3\x00"
_DAMAGE_WORDS = ("not a database", "malformed", "file is encrypted")
_COMPANIONS = ("", "-wal", "-shm", "-journal")


def damaged_sqlite_file(url: str, error: str) -> Path | None:
    """The SQLite file behind `url` if it is damaged (not a database, or a malformed one), judged
    by its first bytes or by the error opening it gave; None otherwise (locked, a newer schema, a
    server that is down: nothing that setting the file aside would mend), and for a URL that
    opens it read-only (no new database could be made in its place)."""
    path = database_file(url)
    if path is None or not path.is_file() or sqlite_read_only(make_url(url).query):
        return None
    if any(words in error for words in _DAMAGE_WORDS):
        return path
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError:
        return None
    return path if header and header != SQLITE_HEADER else None


def set_aside(path: Path, now: datetime) -> Path:
    """Rename the damaged database `path` (and its companions) to `NAME.damaged-YYYYMMDD-HHMMSS`;
    returns the new name of the file itself. OSError if it cannot be renamed."""
    target = path.with_name(f"{path.name}.damaged-{now:%Y%m%d-%H%M%S}")
    for suffix in _COMPANIONS:
        source = path.with_name(path.name + suffix)
        if source.exists():
            source.rename(target.with_name(target.name + suffix))
    return target
