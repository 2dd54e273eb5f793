"""Two app instances on one database (SQLite file or PostgreSQL server), as two real processes:
each runs its own sessions without interference, and never do both write one session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from wargame.deck import load_deck_file
from wargame.engine import commands as c
from wargame.session import SessionController
from wargame.session.script import load_script, play_script
from wargame.store import SessionBusy, Store

from .conftest import MINI, MINI_SCRIPT, REPO


class Instance:
    """Another wargame process (tests/reliability/instance.py), driven line by line."""

    def __init__(self, url: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.instance", url],
            cwd=REPO,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=dict(os.environ),
        )

    def ask(self, line: str) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer, "the other instance died"
        return dict(json.loads(answer))

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        assert self.process.stdout is not None
        self.process.stdout.close()


@pytest.fixture
def other(db_url: str) -> Iterator[Instance]:
    instance = Instance(db_url)
    yield instance
    instance.stop()


def test_a_running_session_opens_read_only_in_a_second_instance(db_url: str, other: Instance) -> None:
    session_id = other.ask("create")["session_id"]
    assert other.ask("note first")["stored"] == [2]

    with Store(db_url) as store:
        second = SessionController.open(store, session_id, write=True)
        assert second.read_only is not None
        assert second.read_only.startswith(f"session {session_id[:12]} is being run by another instance")
        assert f"process {other.process.pid})" in second.read_only
        assert second.read_only.endswith("; opened read-only")
        with pytest.raises(SessionBusy, match="opened read-only"):
            second.execute(c.AddNote("from the second instance"))

        # Opened for reading only (a review window), a command still cannot slip in.
        review = SessionController.open(store, session_id)
        assert review.read_only is None
        with pytest.raises(SessionBusy, match="nothing was written") as caught:
            review.execute(c.AddNote("from the review window"))
        assert caught.value.written is False
        assert review.read_only is not None  # from now on it says so up front

        assert other.ask("note second")["stored"] == [3]  # the first instance carries on
        assert [event.data.get("text") for event in store.events(session_id)[1:]] == ["first", "second"]

        # Once the first instance lets go, the second may take the session on.
        assert other.ask("close") == {"closed": True}
        third = SessionController.open(store, session_id, write=True)
        assert third.read_only is None
        assert [event.seq for event in third.execute(c.AddNote("third"))] == [4]
        answer = other.ask("note too late")
        assert answer["type"] == "SessionBusy"
        assert "is being run by another instance" in answer["error"]
        assert [event.seq for event in store.events(session_id)] == [1, 2, 3, 4]
        assert store.verify(session_id).ok


def test_two_instances_run_their_own_sessions_side_by_side(db_url: str) -> None:
    """Two `wargame play` processes on one database at once: neither disturbs the other."""
    loaded = load_deck_file(MINI)
    expected = play_script(loaded, load_script(MINI_SCRIPT, loaded.deck), None).events
    command = [sys.executable, "-m", "wargame", "play", "--db", db_url, "--deck", str(MINI)]
    command += ["--script", str(MINI_SCRIPT), "--json"]
    processes = [
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ)
        )
        for _ in range(3)
    ]
    results = [process.communicate(timeout=120) for process in processes]
    for process, (_out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err
    ids = [json.loads(out)["session_id"] for out, _ in results]
    with Store(db_url) as store:
        assert sorted(info.id for info in store.sessions()) == sorted(ids)
        for session_id in ids:
            assert store.events(session_id) == expected
            assert store.verify(session_id).ok
