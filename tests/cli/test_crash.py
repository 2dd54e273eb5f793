"""Kill `wargame play` at random moments: what it reported as stored is stored, and the session goes on.

`--progress` prints `stored SESSION_ID SEQ KIND` only after the event's transaction committed, so
every such line must survive a SIGKILL that comes at any later moment, and the database must stay
a sound SQLite file whose session reopens and can continue.
"""

from __future__ import annotations

import contextlib
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from wargame.deck import resolve_deck
from wargame.engine import commands as c
from wargame.session import SessionController
from wargame.session.script import load_script, play_script
from wargame.store import Store

from .conftest import BALTIC_ID, DATA, sqlite_url

SCRIPT = DATA / "baltic_6_turns.yaml"
KILLS = 50
PLAY_TO_THE_END_EVERY = 10  # every kill checks the session resumes; every 10th also plays it to the end
DEADLINE_S = 30  # for one process to report what the test waits for


def expected_events() -> list[tuple[int, str]]:
    """The (seq, kind) of every event the script stores, from a run in memory."""
    loaded = resolve_deck(BALTIC_ID)
    session = play_script(loaded, load_script(SCRIPT, loaded.deck), None)
    return [(event.seq, event.kind) for event in session.events]


def parse_stored(line: str) -> tuple[str, int, str]:
    word, session_id, seq, kind = line.split()
    assert word == "stored", line
    return session_id, int(seq), kind


def play_and_kill(db: Path, kill_after: int, delay: float) -> list[str]:
    """Start `wargame play --progress`, SIGKILL it `delay` seconds after its `kill_after`th stored
    line (so the kill falls at varying points of the next write); return all its stderr lines."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wargame",
            "play",
            "--progress",
            "--db",
            sqlite_url(db),
            "--deck",
            BALTIC_ID,
            "--script",
            str(SCRIPT),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)
        lines.put(None)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    seen: list[str] = []
    try:
        deadline = time.monotonic() + DEADLINE_S
        while sum(line.startswith("stored ") for line in seen) < kill_after:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                break  # the process ended by itself
            seen.append(line)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
    finally:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait(timeout=DEADLINE_S)
        reader.join(timeout=DEADLINE_S)
        assert process.stderr is not None
        process.stderr.close()
    # Lines it wrote before it died (complete ones only) were also reported: keep them too.
    while (line := lines.get_nowait()) is not None:
        seen.append(line)
    return [line.rstrip("\n") for line in seen if line.endswith("\n")]


def continue_session(session: SessionController) -> None:
    """Take the session on to its end with commands the rules accept."""
    for _ in range(400):
        state = session.state
        if state.ended:
            return
        waiting = [team.id for team in state.active_teams() if team.id not in state.submitted_teams()]
        if state.phase == "moves" and state.turn not in state.revealed_turns and waiting:
            session.execute(c.SubmitDecision(waiting[0], action="hold_course"))
        else:
            session.execute(c.Advance())
    raise AssertionError("the session did not end")


@pytest.mark.slow
def test_killed_play_keeps_what_it_reported(tmp_path: Path) -> None:
    expected = expected_events()
    assert len(expected) > 100
    rng = random.Random(20260601)
    # (stored lines to wait for, then seconds to wait before the SIGKILL)
    moments = [(0, rng.uniform(0.1, 0.6))]  # while it starts, checks the script or creates the session
    moments += [
        (kill_after, rng.choice([0.0, rng.uniform(0, 0.02)]))
        for kill_after in sorted(rng.sample(range(1, len(expected)), KILLS - 2))
    ]
    moments.append((len(expected) - 1, 0.0))  # just before the session ends

    for number, (kill_after, delay) in enumerate(moments):
        db = tmp_path / f"kill-{number}" / "wargame.sqlite3"
        lines = play_and_kill(db, kill_after, delay)
        reported = [parse_stored(line) for line in lines if line.startswith("stored ")]
        assert len(reported) >= kill_after, lines
        assert not [line for line in lines if not line.startswith("stored ")], lines  # no traceback
        check_database(db, reported, expected, to_the_end=number % PLAY_TO_THE_END_EVERY == 0)
    assert len(moments) == KILLS


def check_database(
    db: Path, reported: list[tuple[str, int, str]], expected: list[tuple[int, str]], *, to_the_end: bool
) -> None:
    if not db.exists():
        assert reported == []  # killed before it opened the database
        return
    with contextlib.closing(sqlite3.connect(db)) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    with Store(sqlite_url(db)) as store:
        sessions = [info.id for info in store.sessions()]
        if reported:
            assert {session_id for session_id, _, _ in reported} == set(sessions)
        assert len(sessions) <= 1
        if not sessions:
            return  # killed before it created the session: nothing half-made either
        [session_id] = sessions
        stored = [(event.seq, event.kind) for event in store.events(session_id)]
        # Every reported event is there; the log is a gapless prefix of the script's events.
        assert [(seq, kind) for _, seq, kind in reported] == stored[: len(reported)]
        assert stored[0] == (1, "session_created")
        assert stored == expected[: len(stored)]
        assert store.session(session_id).event_count == len(stored)

        assert store.verify(session_id).ok  # the hash chain is intact too
        session = SessionController.open(store, session_id, write=True)
        assert session.read_only is None  # the dead process's lease does not hold the session
        assert [(event.seq, event.kind) for event in session.events] == stored
        if not to_the_end and not session.state.ended:
            session.execute(c.AddNote("resumed after the crash"))
            assert store.events(session_id)[-1].kind == "note_added"
            return
        continue_session(session)
        assert session.state.ended
        assert store.session(session_id).status == "ended"
        reopened = SessionController.open(store, session_id)
        assert reopened.events == session.events
        assert reopened.state == session.state
