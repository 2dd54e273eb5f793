"""A database made by the first release (schema 1) opens, upgrades and verifies.

`data/schema_v1.sqlite3` was written by `wargame play` of the first release (commit 1b80bb6, the
last with schema 1) with the mini deck and `data/v1_moves.yaml`:

    git archive 1b80bb6 wargame decks assets | tar -x -C /tmp/v1
    PYTHONPATH=/tmp/v1 python -m wargame play --db sqlite:///tests/store/data/schema_v1.sqlite3 \\
        --deck tests/fixtures/mini.yaml --script tests/store/data/v1_moves.yaml

Tests work on a copy: the committed file must stay at schema 1.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from wargame.cli import main
from wargame.session import SessionController
from wargame.store import SCHEMA_VERSION, Store

from .helpers import sqlite_url

V1_FILE = Path(__file__).resolve().parent / "data" / "schema_v1.sqlite3"


@pytest.fixture
def v1_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "old.sqlite3"
    shutil.copyfile(V1_FILE, copy)
    with closing(sqlite3.connect(copy)) as raw:
        assert raw.execute("SELECT version FROM schema_info").fetchone() == (1,)
    return copy


def test_wargame_db_upgrade_brings_it_up_to_date(v1_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["db", "upgrade", "--db", sqlite_url(v1_copy)]) == 0
    assert capsys.readouterr().out == f"database schema upgraded from version 1 to {SCHEMA_VERSION}\n"
    with Store(sqlite_url(v1_copy)) as store:
        [info] = store.sessions()
        check = store.verify(info.id)
        assert check.ok, check
        assert check.events == info.event_count == 42
        assert main(["sessions", "verify", info.id, "--db", sqlite_url(v1_copy)]) == 0
        assert capsys.readouterr().out == f"OK: 42 events, chain head {check.head[:12]}\n"


def test_opening_it_upgrades_it_and_its_session_reopens(v1_copy: Path) -> None:
    with Store(sqlite_url(v1_copy)) as store:
        [info] = store.sessions()
        assert (info.deck_id, info.status, info.outcome) == ("mini", "ended", "channel")
        session = SessionController.open(store, info.id, write=True)
        assert session.state.ended
        assert session.read_only is None
        assert session.state.outcome == "channel"
        assert [event.seq for event in session.events] == list(range(1, 43))
        session.close()
        assert store.verify(info.id).ok
