"""A stored mini-deck session for the report tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.report.helpers import play_mini
from wargame.store import Store


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'report.sqlite3'}"


@pytest.fixture
def session_id(store: Store) -> str:
    return play_mini(store)
