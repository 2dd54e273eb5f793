"""Where the default database lives."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from wargame.store import default_data_dir, default_database_url

ENV = ("WARGAME_DB", "WARGAME_DATA_DIR", "XDG_DATA_HOME", "APPDATA")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: tmp_path / "home"))


def database_path(url: str) -> Path:
    database = make_url(url).database
    assert database is not None
    return Path(database)


def test_wargame_db_wins(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WARGAME_DATA_DIR", str(tmp_path / "ignored"))
    monkeypatch.setenv("WARGAME_DB", "postgresql+psycopg://teacher@school-server/wargame")
    assert default_database_url() == "postgresql+psycopg://teacher@school-server/wargame"


def test_wargame_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WARGAME_DATA_DIR", str(tmp_path / "my data?%"))
    url = default_database_url()
    assert url.startswith("sqlite:///")
    assert database_path(url) == tmp_path / "my data?%" / "wargame.sqlite3"


def test_empty_variables_are_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("WARGAME_DB", "")
    monkeypatch.setenv("WARGAME_DATA_DIR", " ")
    assert database_path(default_database_url()) == tmp_path / "home/.local/share/wargame/wargame.sqlite3"


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("linux", {}, "home/.local/share/wargame"),
        ("linux", {"XDG_DATA_HOME": "{tmp}/xdg"}, "xdg/wargame"),
        ("linux", {"XDG_DATA_HOME": "relative/xdg"}, "home/.local/share/wargame"),
        ("darwin", {}, "home/Library/Application Support/wargame"),
        ("win32", {"APPDATA": "{tmp}/Roaming"}, "Roaming/wargame"),
        ("win32", {}, "home/AppData/Roaming/wargame"),
    ],
)
def test_platform_data_dirs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platform: str, env: dict[str, str], expected: str
) -> None:
    monkeypatch.setattr(sys, "platform", platform)
    for name, value in env.items():
        monkeypatch.setenv(name, value.format(tmp=tmp_path))
    assert default_data_dir() == tmp_path / expected
    assert database_path(default_database_url()) == tmp_path / expected / "wargame.sqlite3"
