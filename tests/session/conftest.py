"""Fixtures for the session controller tests: the mini deck and SQLite file stores."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from wargame.deck import LoadedDeck, load_deck_file
from wargame.engine import commands as c
from wargame.store import Store

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


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return URL.create(
        "sqlite", database=(tmp_path / "data" / "wargame.sqlite3").as_posix()
    ).render_as_string()


@pytest.fixture
def open_store(db_url: str) -> Iterator[Callable[[], Store]]:
    """Opens Stores on the test's database file (as many as a test wants) and closes them all."""
    stores: list[Store] = []

    def opener() -> Store:
        stores.append(Store(db_url))
        return stores[-1]

    yield opener
    for store in stores:
        store.close()


@pytest.fixture
def store(open_store: Callable[[], Store]) -> Store:
    return open_store()
