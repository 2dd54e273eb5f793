"""Fixtures for the session controller tests: the mini deck and SQLite file stores."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import URL

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


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return URL.create(
        "sqlite", database=(tmp_path / "data" / "wargame.sqlite3").as_posix()
    ).render_as_string()
