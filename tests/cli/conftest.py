"""Fixtures for the command-line tests.

Every test gets its own data folder ($WARGAME_DATA_DIR under tmp_path, $WARGAME_DB unset), so the
default database is a fresh SQLite file that no other test (and no real user data) can see.
`cli(...)` runs `wargame.cli.main` in-process and returns its exit code and captured output;
`run_wargame(...)` runs `python -m wargame` as a subprocess for end-to-end checks.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import URL

from wargame.cli import main

REPO = Path(__file__).resolve().parents[2]
MINI = REPO / "tests" / "fixtures" / "mini.yaml"
BALTIC_ID = "baltic_drone_spillover_2026"
BALTIC_PATH = REPO / "decks" / f"{BALTIC_ID}.yaml"
DATA = Path(__file__).resolve().parent / "data"
BALTIC_TEAMS = ["latvia", "lithuania", "estonia", "poland", "belarus", "russia", "ukraine", "nato"]


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def sqlite_url(path: Path) -> str:
    return URL.create("sqlite", database=path.as_posix()).render_as_string()


def assert_one_line_error(result: Result, *fragments: str) -> str:
    """Exit 1, nothing on stdout, one `wargame: error: ...` line on stderr (no traceback)."""
    assert result.code == 1, result
    assert "Traceback" not in result.err
    assert len(result.err_lines) == 1, result.err
    line = result.err_lines[0]
    assert line.startswith("wargame: error: "), line
    for fragment in fragments:
        assert fragment in line
    return line


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("WARGAME_DATA_DIR", str(folder))
    monkeypatch.delenv("WARGAME_DB", raising=False)
    monkeypatch.delenv("WARGAME_DEBUG", raising=False)
    return folder


@pytest.fixture
def default_db(data_dir: Path) -> Path:
    """Where the default database lives in these tests."""
    return data_dir / "wargame.sqlite3"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "x.sqlite3"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """An explicit database, passed with --db (the form the issue uses)."""
    return f"sqlite:///{tmp_path}/x.sqlite3"


Cli = Callable[..., Result]


def cli_runner(capsys: pytest.CaptureFixture[str]) -> Cli:
    """`wargame ARGS…` run in this process: its exit code and what it printed."""

    def run(*args: str | Path) -> Result:
        capsys.readouterr()
        code = main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    return cli_runner(capsys)


@pytest.fixture
def write_script(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a move script (dedented) to tmp_path and return its path."""

    def write(text: str, name: str = "moves.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


def run_wargame(*args: str | Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m wargame ARGS` in a subprocess (with the test's environment)."""
    return subprocess.run(
        [sys.executable, "-m", "wargame", *(str(arg) for arg in args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=dict(os.environ),
        check=False,
    )
