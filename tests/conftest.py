"""Fixtures for every test: each test gets its own data folder, and no user database is touched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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
