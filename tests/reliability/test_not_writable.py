"""A database that is reached but takes no writes (a read-only file, folder or connection, a full
disk) is named as such, and told apart from one that is unreachable or busy: it is a
StoreNotWritable (still a StoreUnavailable, so the desktop app keeps the move for a retry), and the
command line, which keeps nothing, never says a move is kept.

SQLite refuses writes here by its own settings where the real cause cannot be set up in a test: a
full disk by `PRAGMA max_page_count`, a read-only connection by `PRAGMA query_only` (each gives the
error SQLite gives for the real thing). Read-only files and folders are real: their permissions,
enforced for root too by running the command without the capabilities that bypass them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection

from tests.cli.conftest import Cli, cli_runner
from tests.store.helpers import sqlite_url
from wargame.deck import LoadedDeck
from wargame.engine import commands as c
from wargame.engine.events import NOTE_ADDED, Event
from wargame.errors import StoreError
from wargame.session import SessionController
from wargame.store import Store, StoreNotWritable, StoreUnavailable, db

from .conftest import MINI, MINI_SCRIPT, SETUP

BIG_NOTE = c.AddNote("A long note. " * 380, team="red")  # longer than a page: needs new pages
NO_PAGE_LIMIT = 4_294_967_294


class Refusal:
    """SQLite's own settings, applied at the start of every transaction of the stores opened
    after `install`: `full` allows the file no new page, `read_only` no write at all."""

    def __init__(self) -> None:
        self.full = False
        self.read_only = False

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        begin = db._sqlite_begin

        def begin_and_refuse(conn: Connection) -> None:
            begin(conn)
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar() if self.full else NO_PAGE_LIMIT
            conn.exec_driver_sql(f"PRAGMA max_page_count = {pages}")
            conn.exec_driver_sql(f"PRAGMA query_only = {int(self.read_only)}")

        monkeypatch.setattr(db, "_sqlite_begin", begin_and_refuse)


@pytest.fixture
def refusal(monkeypatch: pytest.MonkeyPatch) -> Refusal:
    refusal = Refusal()
    refusal.install(monkeypatch)
    return refusal


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.delenv("WARGAME_DEBUG", raising=False)
    return cli_runner(capsys)


def test_a_full_disk_is_named_and_the_move_is_kept_for_the_app(
    loaded: LoadedDeck, tmp_path: Path, refusal: Refusal
) -> None:
    path = tmp_path / "wargame.sqlite3"
    with Store(sqlite_url(path)) as store:
        session = SessionController.create(loaded, SETUP, store)
        before = session.events
        refusal.full = True
        seq = len(before) + 1
        with pytest.raises(StoreNotWritable) as caught:
            store.append(session.session_id, [Event(seq, NOTE_ADDED, {"text": BIG_NOTE.text}, seq)])
        assert str(caught.value) == (
            f"could not save events {seq} of session {session.session_id}: "
            f"the disk holding {path} is full; nothing was written"
        )
        assert isinstance(caught.value, StoreUnavailable) and caught.value.written is False

        with pytest.raises(StoreUnavailable, match=f"the disk holding {path} is full") as kept:
            session.execute(BIG_NOTE)
        assert "unreachable" not in str(kept.value)
        assert session.pending_command == BIG_NOTE and session.events == before
        refusal.full = False  # space was freed
        session.retry_pending()
        assert store.events(session.session_id) == session.events
        assert session.state.notes[-1].text == BIG_NOTE.text


def test_a_read_only_connection_is_named(loaded: LoadedDeck, tmp_path: Path, refusal: Refusal) -> None:
    url = sqlite_url(tmp_path / "wargame.sqlite3")
    with Store(url) as store:
        session = SessionController.create(loaded, SETUP, store)
        refusal.read_only = True
        with pytest.raises(StoreNotWritable) as caught:
            store.take_lease(session.session_id)
        assert str(caught.value) == (
            f"could not save the lease of session {session.session_id}: the database {url} is read-only "
            "(attempt to write a readonly database); nothing was written"
        )
    with Store(f"{url}?mode=ro") as store, pytest.raises(StoreNotWritable, match=r"\?mode=ro is read-only"):
        store.take_lease(session.session_id)


@pytest.mark.postgres
def test_a_read_only_postgresql_database_is_named(loaded: LoadedDeck, pg_url: str) -> None:
    with Store(pg_url) as store:
        session = SessionController.create(loaded, SETUP, store)
        with store._engine.begin() as conn:
            database = conn.exec_driver_sql("SELECT current_database()").scalar()
            conn.exec_driver_sql(f'ALTER DATABASE "{database}" SET default_transaction_read_only = on')
    with Store(pg_url) as store:  # (the setting holds for new connections)
        with pytest.raises(StoreNotWritable) as caught:
            store.take_lease(session.session_id)
        assert re.fullmatch(
            f"could not save the lease of session {session.session_id}: the database "
            rf"{re.escape(store.display_url)} is read-only \(cannot execute .* in a read-only transaction\); "
            "nothing was written",
            str(caught.value),
        ), caught.value
        with store._engine.begin() as conn:
            conn.exec_driver_sql("SET TRANSACTION READ WRITE")
            conn.exec_driver_sql(f'ALTER DATABASE "{database}" RESET default_transaction_read_only')


def test_the_command_line_never_says_the_move_is_kept(
    cli: Cli, tmp_path: Path, refusal: Refusal, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`wargame play` keeps nothing: the store's own message, naming what could not be saved."""
    from wargame.cli import play_commands

    progress = play_commands._progress

    def progress_then_refuse(session: SessionController, events: list[object]) -> None:
        progress(session, events)  # type: ignore[arg-type]
        refusal.read_only = len(session.events) >= 10

    monkeypatch.setattr(play_commands, "_progress", progress_then_refuse)
    url = sqlite_url(tmp_path / "wargame.sqlite3")
    result = cli("play", "--db", url, "--deck", MINI, "--script", MINI_SCRIPT, "--progress")
    assert result.code == 1 and result.out == ""
    *stored, error = result.err.splitlines()
    assert len(stored) >= 10 and all(line.startswith("stored ") for line in stored)
    session_id, last = stored[-1].split()[1:3]
    assert error == (
        f"wargame: error: could not save events {int(last) + 1} of session {session_id}: "
        f"the database {url} is read-only (attempt to write a readonly database); nothing was written"
    )


# -- real read-only files and folders ----------------------------------------------------------


@pytest.fixture
def unprivileged() -> list[str]:
    """A prefix that runs a command without the power to write what its permissions forbid:
    nothing for a normal user; for root, `setpriv` dropping the capabilities that bypass them."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: file permissions are not enforced")
    caps = "-dac_override,-dac_read_search,-fowner"
    prefix = [setpriv, f"--bounding-set={caps}", f"--inh-caps={caps}"]
    if subprocess.run([*prefix, "true"], check=False).returncode != 0:
        pytest.skip("running as root and cannot drop capabilities: file permissions are not enforced")
    return prefix


@pytest.fixture
def played(tmp_path: Path, cli: Cli) -> Iterator[Path]:
    """A database file holding a played session, in its own folder (permissions put back after)."""
    folder = tmp_path / "class"
    path = folder / "wargame.sqlite3"
    result = cli("play", "--db", sqlite_url(path), "--deck", MINI, "--script", MINI_SCRIPT, "--json")
    assert result.code == 0, result.err
    yield path
    folder.chmod(0o755)
    path.chmod(0o644)


def run(prefix: list[str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "wargame", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "WARGAME_DEBUG": ""},
        check=False,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_only_database_file_is_named(played: Path, unprivileged: list[str]) -> None:
    played.chmod(0o444)
    url = sqlite_url(played)
    listed = run(unprivileged, "sessions", "list", "--json", "--db", url)  # reading works
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)) == 1
    done = run(unprivileged, "play", "--db", url, "--deck", MINI, "--script", MINI_SCRIPT)
    assert done.returncode == 1
    assert done.stderr.startswith("wargame: error: could not save session ")
    assert done.stderr.endswith(f": the database file {played} is read-only; nothing was written\n")
    assert "unreachable" not in done.stderr and "kept" not in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_only_folder_is_named(played: Path, unprivileged: list[str]) -> None:
    played.parent.chmod(0o555)  # SQLite cannot make its journal files beside the database
    done = run(unprivileged, "sessions", "list", "--db", sqlite_url(played))
    assert done.returncode == 1
    assert done.stderr == (
        f"wargame: error: cannot open database {sqlite_url(played)}: "
        f"the folder {played.parent} holding the database is read-only\n"
    )


def test_other_failures_are_still_unreachable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A busy file is not a read-only one: it stays a plain StoreUnavailable."""
    import sqlite3

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "wargame.sqlite3"
    with Store(sqlite_url(path)) as store:
        blocker = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            blocker.execute("BEGIN EXCLUSIVE")
            with pytest.raises(StoreUnavailable) as caught:
                store.take_lease("0" * 32)
        finally:
            blocker.close()
    assert type(caught.value) is StoreUnavailable
    assert "is unreachable or busy (database is locked)" in str(caught.value)
    assert isinstance(caught.value, StoreError)


def test_a_table_that_is_gone_is_not_unreachable(loaded: LoadedDeck, tmp_path: Path) -> None:
    """SQLite's plain SQL error (here: a table renamed behind the app's back) will not pass by
    retrying either: a StoreError saying what SQLite said, and no move kept."""
    import sqlite3

    path = tmp_path / "wargame.sqlite3"
    with Store(sqlite_url(path)) as store:
        session = SessionController.create(loaded, SETUP, store)
        with sqlite3.connect(path) as other:
            other.execute("ALTER TABLE events RENAME TO events_old")
        with pytest.raises(StoreError) as caught:
            session.execute(c.AddNote("a note"))
    assert not isinstance(caught.value, StoreUnavailable)
    assert str(caught.value) == (
        f"could not save events {len(session.events) + 1} of session {session.session_id} to "
        f"{sqlite_url(path)}: no such table: events; nothing was written"
    )
    assert session.pending_command is None
