"""Fixtures for every test: each test gets its own data folder, and no user database is touched."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from wargame.store import Store

REPO = Path(__file__).resolve().parents[1]
MINI_DECK = REPO / "tests" / "fixtures" / "mini.yaml"
BALTIC_DECK = REPO / "decks" / "baltic_drone_spillover_2026.yaml"


@pytest.fixture(autouse=True)
def isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """WARGAME_DATA_DIR points at a fresh folder; WARGAME_DB is unset."""
    data_dir = tmp_path_factory.mktemp("wargame-data")
    monkeypatch.setenv("WARGAME_DATA_DIR", str(data_dir))
    monkeypatch.delenv("WARGAME_DB", raising=False)
    yield data_dir


@pytest.fixture
def open_store(db_url: str) -> Iterator[Callable[[], Store]]:
    """Opens Stores on the test's `db_url` (as many as a test wants, e.g. two writers) and closes them.

    `db_url` comes from the conftest of the tests' folder.
    """
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
