"""Fixtures for the reliability tests: the mini deck, fresh databases (SQLite; PostgreSQL when
WARGAME_TEST_PG_URL is set, as `./dev test` does) and the command to stop and start that server."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.store.helpers import PG_URL_ENV, fresh_postgres, sqlite_url
from wargame.deck import LoadedDeck, load_deck_file
from wargame.engine import commands as c

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "mini.yaml"
MINI_SCRIPT = REPO / "tests" / "store" / "data" / "v1_moves.yaml"
PG_CTL_ENV = "WARGAME_TEST_PG_CTL"

SETUP = c.CreateSession(
    seed=5,
    teams=(
        c.TeamSetup("red", "Red", ("red",)),
        c.TeamSetup("blue", "Blue", ("blue",)),
        c.TeamSetup("green", "Green", ("green",)),
    ),
    class_label="7B",
    facilitator="Ms Ozols",
)


@pytest.fixture
def loaded() -> LoadedDeck:
    return load_deck_file(MINI)


def pg_base_url() -> str:
    base = os.environ.get(PG_URL_ENV, "").strip()
    if not base:
        pytest.skip(f"set {PG_URL_ENV} (./dev test does) to run this against PostgreSQL")
    return base


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a SQLite file, or a PostgreSQL database if configured."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "data" / "wargame.sqlite3")
        return
    with fresh_postgres(pg_base_url()) as url:
        yield url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database (skips without a server)."""
    with fresh_postgres(pg_base_url()) as url:
        yield url


@pytest.fixture
def pg_ctl() -> Callable[[str], None]:
    """`pg_ctl(action)` stops or starts the test run's PostgreSQL server (./dev test exports how)."""
    command = os.environ.get(PG_CTL_ENV, "").strip()
    if not command:
        pytest.skip(f"set {PG_CTL_ENV} (./dev test does when it starts the server) to stop and start it")

    def run(action: str) -> None:
        extra = ["-m", "fast"] if action == "stop" else []
        subprocess.run([*shlex.split(command), action, *extra], cwd="/", check=True, capture_output=True)

    return run
