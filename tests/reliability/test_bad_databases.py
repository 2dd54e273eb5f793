"""A wrong database URL, a file that is not a database, an unreachable server or a database from a
newer release: every command says so in one line and exits 1, never with a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from tests.store.helpers import sqlite_url
from wargame.store import SCHEMA_VERSION, Store

COMMANDS = [
    ["sessions", "list"],
    ["sessions", "verify", "abc"],
    ["sessions", "import", "export.json"],
    ["sessions", "export", "abc"],
    ["db", "upgrade"],
]


def newer_database(path: Path) -> str:
    url = sqlite_url(path)
    Store(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE schema_info SET version = {SCHEMA_VERSION + 1}")
    engine.dispose()
    return url


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command[:2]))
@pytest.mark.parametrize("which", ["wrong-url", "not-a-database", "unreachable-server", "newer-release"])
def test_one_line_and_exit_1(tmp_path: Path, command: list[str], which: str) -> None:
    notes = tmp_path / "notes.sqlite3"
    notes.write_text("Lesson plan, week 3\n" * 40, encoding="utf-8")
    (tmp_path / "export.json").write_text(
        '{"format": "wargame-session", "chain": [], "session": {"id": "x"}}', encoding="utf-8"
    )
    url, message = {
        "wrong-url": ("postgres:/nobody@", "is not a database URL"),
        "not-a-database": (sqlite_url(notes), "file is not a database"),
        "unreachable-server": ("postgresql+psycopg://nobody:secret@127.0.0.1:1/x", "Connection refused"),
        "newer-release": (newer_database(tmp_path / "newer.sqlite3"), "was written by a newer wargame"),
    }[which]
    done = subprocess.run(
        [sys.executable, "-m", "wargame", *command, "--db", url],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env={**os.environ, "WARGAME_DEBUG": ""},
        check=False,
    )
    assert done.returncode == 1, done
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    if command[1:2] == ["import"] and which != "not-a-database":
        # The export is checked first; a damaged one is refused before the database is opened.
        assert lines == [lines[0]] and "cannot import" in lines[0]
        return
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("wargame: error: ")
    assert "secret" not in lines[0]
    if command[1:2] == ["import"]:
        assert "cannot import" in lines[0]
    else:
        assert message in lines[0], lines[0]
