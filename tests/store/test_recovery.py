"""A damaged SQLite file is recognised, and set aside whole (nothing deleted)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from tests.store.helpers import sqlite_url
from wargame.store import Store
from wargame.store.recovery import damaged_sqlite_file, set_aside


def test_only_a_damaged_file_opened_for_writing_is_offered_to_be_set_aside(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not the bytes of a database" * 50)
    healthy = tmp_path / "healthy.sqlite3"
    Store(sqlite_url(healthy)).close()
    assert damaged_sqlite_file(sqlite_url(damaged), "cannot open: file is not a database") == damaged
    assert damaged_sqlite_file(sqlite_url(damaged), "some other error") == damaged  # by its header
    assert damaged_sqlite_file(f"{sqlite_url(damaged)}?mode=ro", "file is not a database") is None
    assert damaged_sqlite_file(sqlite_url(healthy), "database is locked") is None
    assert damaged_sqlite_file(sqlite_url(tmp_path / "missing.sqlite3"), "not a database") is None
    assert damaged_sqlite_file("postgresql+psycopg://db.example/wargame", "malformed") is None


def test_set_aside_renames_the_file_and_its_companions(tmp_path: Path) -> None:
    path = tmp_path / "wargame.sqlite3"
    for suffix, content in (("", b"main"), ("-wal", b"wal"), ("-shm", b"shm")):
        path.with_name(path.name + suffix).write_bytes(content)
    kept = set_aside(path, datetime(2026, 11, 25, 9, 30, 5))
    assert kept == tmp_path / "wargame.sqlite3.damaged-20261125-093005"
    assert sorted(file.name for file in tmp_path.iterdir()) == [
        "wargame.sqlite3.damaged-20261125-093005",
        "wargame.sqlite3.damaged-20261125-093005-shm",
        "wargame.sqlite3.damaged-20261125-093005-wal",
    ]
    assert kept.read_bytes() == b"main"
