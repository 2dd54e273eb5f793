"""Fixtures for the store tests: a fresh database URL (SQLite file; PostgreSQL when configured).

Set WARGAME_TEST_PG_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres) to also run
every `db_url` test against PostgreSQL: each test gets a fresh database, or a fresh schema if the
role may not create databases. Without it the postgres cases are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .helpers import database_urls, sqlite_url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty database: a SQLite file, or a PostgreSQL database if configured."""
    yield from database_urls(request.param, tmp_path, "store")


@pytest.fixture
def sqlite_db_url(tmp_path: Path) -> str:
    """For tests about SQLite itself (pragmas, files)."""
    return sqlite_url(tmp_path / "data" / "wargame.sqlite3")
