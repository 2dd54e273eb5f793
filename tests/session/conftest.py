"""Fixtures for the session controller tests: the mini deck and stores (SQLite; PostgreSQL if configured)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.store.helpers import database_urls
from wargame.deck import LoadedDeck, load_deck_file
from wargame.engine import commands as c

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini.yaml"

SOLO_TEAMS = (
    c.TeamSetup("red", "Red", ("red",)),
    c.TeamSetup("blue", "Blue", ("blue",)),
    c.TeamSetup("green", "Green", ("green",)),
)
SETUP = c.CreateSession(seed=5, teams=SOLO_TEAMS, class_label="7B", facilitator="Ms Ozols")


@pytest.fixture
def loaded() -> LoadedDeck:
    return load_deck_file(MINI)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL database if WARGAME_TEST_PG_URL is set."""
    yield from database_urls(request.param, tmp_path, "session")
