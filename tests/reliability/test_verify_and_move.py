"""`wargame sessions verify` reports OK or the first altered or missing event; `sessions show` and the
JSON export print the chain head; `sessions export`/`sessions import` move a session between
databases (SQLite and PostgreSQL) with the same events and the same hashes, and only once."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.cli.conftest import Cli, Result, cli_runner
from tests.store.helpers import sqlite_url
from wargame.store import Store

from .conftest import MINI, MINI_SCRIPT


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.delenv("WARGAME_DEBUG", raising=False)
    return cli_runner(capsys)


def one_line_error(result: Result, fragment: str) -> None:
    assert result.code == 1, result
    assert result.out == ""
    assert "Traceback" not in result.err
    assert len(result.err.splitlines()) == 1, result.err
    assert result.err.startswith("wargame: error: ")
    assert fragment in result.err, result.err


@pytest.fixture
def source(tmp_path: Path) -> str:
    return sqlite_url(tmp_path / "source.sqlite3")


@pytest.fixture
def played(cli: Cli, source: str) -> str:
    result = cli("play", "--db", source, "--deck", MINI, "--script", MINI_SCRIPT, "--json")
    assert result.code == 0, result.err
    return str(json.loads(result.out)["session_id"])


def sql(url: str, statement: str, **params: object) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(statement), params)
    finally:
        engine.dispose()


def test_verify_ok_and_the_head_on_show(cli: Cli, source: str, played: str) -> None:
    with Store(source) as store:
        head = store.chain_head(played)
        count = len(store.events(played))
    result = cli("sessions", "verify", played[:6], "--db", source)
    assert (result.code, result.err) == (0, "")
    assert result.out == f"OK: {count} events, chain head {head[:12]}\n"

    shown = cli("sessions", "show", played, "--db", source)
    assert f"chain head: {head[:12]} ({count} events" in shown.out
    assert json.loads(cli("sessions", "show", played, "--json", "--db", source).out)["chain_head"] == head


def test_verify_reports_the_first_altered_event(cli: Cli, source: str, played: str) -> None:
    sql(
        source,
        "UPDATE events SET payload = replace(payload, 'talk', 'strike') WHERE session_id = :id AND seq = 7",
        id=played,
    )
    sql(source, "DELETE FROM events WHERE session_id = :id AND seq = 12", id=played)
    result = cli("sessions", "verify", played, "--db", source)
    assert result.code == 1
    assert re.fullmatch(r"ALTERED: event #7 \(\w+\) does not match its hash\n", result.out), result.out


def test_verify_reports_a_missing_event(cli: Cli, source: str, played: str) -> None:
    sql(source, "DELETE FROM events WHERE session_id = :id AND seq = 12", id=played)
    result = cli("sessions", "verify", played, "--db", source)
    assert result.code == 1
    assert result.out == "MISSING: event #12 (the next stored event is #13)\n"


def test_verify_reports_a_summary_its_events_contradict(cli: Cli, source: str, played: str) -> None:
    """The summary row is not hash-chained: an edited outcome or class label is caught by the fold."""
    with Store(source) as store:
        outcome = store.session(played).outcome
    sql(source, "UPDATE sessions SET class_label = 'FAKE CLASS' WHERE id = :id", id=played)
    result = cli("sessions", "verify", played, "--db", source)
    assert result.code == 1
    assert result.out == (
        "ALTERED: the session's summary does not match its events: "
        "its summary says class_label 'FAKE CLASS' where its events say ''\n"
    )
    sql(source, "UPDATE sessions SET class_label = '', outcome = 'nonsense' WHERE id = :id", id=played)
    result = cli("sessions", "verify", played, "--db", source)
    assert result.code == 1 and f"its events say {outcome!r}" in result.out


def test_export_then_import_is_lossless(
    cli: Cli, source: str, played: str, db_url: str, tmp_path: Path
) -> None:
    exported = tmp_path / "session.json"
    assert cli("sessions", "export", played, "--format", "json", "-o", exported, "--db", source).code == 0
    document = json.loads(exported.read_text(encoding="utf-8"))
    assert len(document["chain"]) == len(document["events"])

    result = cli("sessions", "import", exported, "--db", db_url)
    assert result.code == 0, result.err
    assert result.out.startswith(f"imported session {played} ({len(document['events'])} events, chain head ")
    with Store(source) as before, Store(db_url) as after:
        assert after.stored_events(played) == before.stored_events(played)  # events, times, hashes
        assert after.session(played) == before.session(played)
        assert after.deck_text(played) == before.deck_text(played)
        assert after.chain_head(played) == before.chain_head(played) == document["chain_head"]
        assert after.verify(played).ok
    # ... and back again: the second export is the same document.
    again = tmp_path / "again.json"
    assert cli("sessions", "export", played, "-o", again, "--db", db_url).code == 0
    assert json.loads(again.read_text(encoding="utf-8")) == document

    one_line_error(cli("sessions", "import", exported, "--db", db_url), "exists already")
    with Store(db_url) as after:
        assert len(after.sessions()) == 1


def test_an_altered_export_is_refused(cli: Cli, source: str, played: str, tmp_path: Path) -> None:
    exported = tmp_path / "session.json"
    cli("sessions", "export", played, "-o", exported, "--db", source)
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["events"][6]["data"]["rationale"] = "rewritten history"
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(document), encoding="utf-8")
    target = sqlite_url(tmp_path / "target.sqlite3")
    one_line_error(cli("sessions", "import", altered, "--db", target), "does not verify: ALTERED: event #7")

    del document["events"][-1], document["chain"][-1]
    document["events"][6] = json.loads(exported.read_text(encoding="utf-8"))["events"][6]
    shortened = tmp_path / "shortened.json"
    shortened.write_text(json.dumps(document), encoding="utf-8")
    one_line_error(cli("sessions", "import", shortened, "--db", target), "records")

    document = json.loads(exported.read_text(encoding="utf-8"))
    document["session"]["status"] = "running"  # a header its (intact) events contradict
    relabelled = tmp_path / "relabelled.json"
    relabelled.write_text(json.dumps(document), encoding="utf-8")
    one_line_error(
        cli("sessions", "import", relabelled, "--db", target),
        "does not verify: its summary says status 'running' where its events say 'ended'",
    )
    with Store(target) as store:
        assert store.sessions() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("not json {", "not JSON"),
        ('{"format": "other"}', "not a session exported by"),
        ('{"format": "wargame-session", "version": 1, "events": []}', "no hashes"),
        (
            '{"format": "wargame-session", "version": 99, "session": {}}',
            "the export was made by a newer wargame (export version 99; this wargame reads version 1)",
        ),
        ('{"format": "wargame-session", "version": 0, "chain": []}', "unknown export version 0"),
        ('{"format": "wargame-session", "version": "1", "chain": []}', "unknown export version '1'"),
        ('{"format": "wargame-session", "chain": [], "session": {}}', "incomplete or damaged (missing 'id')"),
        ('{"format": "wargame-session", "pseudonymised": true, "chain": []}', "pseudonymised"),
        ("[" * 100_000, "not JSON"),
    ],
    ids=[
        "missing",
        "not-json",
        "other-format",
        "no-chain",
        "newer-version",
        "version-zero",
        "version-not-a-number",
        "incomplete",
        "pseudonymised",
        "deep",
    ],
)
def test_a_broken_export_is_one_line(cli: Cli, tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "export.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    one_line_error(cli("sessions", "import", path, "--db", sqlite_url(tmp_path / "t.sqlite3")), message)


def list_with_one_damaged(cli: Cli, source: str, played: str, assignment: str, why: str) -> str:
    """Play a second session, damage `played`'s row (`assignment`, SQL), and check that `sessions
    list --json` lists the second, names `played` and why on stderr, and exits 1; returns the
    second session's id."""
    other = json.loads(cli("play", "--db", source, "--deck", MINI, "--script", MINI_SCRIPT, "--json").out)
    sql(source, f"UPDATE sessions SET {assignment} WHERE id = :id", id=played)
    listed = cli("sessions", "list", "--json", "--db", source)
    assert listed.code == 1
    assert [info["id"] for info in json.loads(listed.out)] == [other["session_id"]]
    assert listed.err == f"wargame: error: session {played} is not listed: {why}\n"
    return str(other["session_id"])


def test_a_damaged_time_in_one_row_leaves_the_other_sessions_listed(
    cli: Cli, source: str, played: str
) -> None:
    """A time that is not a time (a hand edit, another program) in one session's row: `sessions
    list` still lists the others and names it, `verify` says ALTERED, reading it is one line."""
    other = list_with_one_damaged(
        cli, source, played, "created_at = 'garbage'", "its created_at holds 'garbage', not a time"
    )
    table = cli("sessions", "list", "--db", source)
    assert table.code == 1 and other[:12] in table.out and played[:12] not in table.out

    result = cli("sessions", "verify", played, "--db", source)
    assert result.code == 1
    assert result.out.startswith(f"ALTERED: session {played} cannot be read: a stored value is damaged")
    one_line_error(cli("sessions", "show", played, "--db", source), "a stored value is damaged")
    assert cli("sessions", "verify", other, "--db", source).code == 0


@pytest.mark.parametrize("stored", ["1700000000", "x'00'"])  # a Unix time, bytes
def test_a_time_that_is_not_text_is_damaged_too(cli: Cli, source: str, played: str, stored: str) -> None:
    other = json.loads(cli("play", "--db", source, "--deck", MINI, "--script", MINI_SCRIPT, "--json").out)
    sql(source, f"UPDATE sessions SET updated_at = {stored} WHERE id = :id", id=played)
    listed = cli("sessions", "list", "--json", "--db", source)
    assert listed.code == 1 and "Traceback" not in listed.err
    assert [info["id"] for info in json.loads(listed.out)] == [other["session_id"]]
    assert f"session {played} is not listed: its updated_at holds " in listed.err
    one_line_error(cli("sessions", "show", played, "--db", source), "a stored value is damaged")


def test_delete_removes_only_the_sessions_it_showed(cli: Cli, source: str, played: str) -> None:
    """A session whose row cannot be read is not listed, so it is not deleted either."""
    other = json.loads(cli("play", "--db", source, "--deck", MINI, "--script", MINI_SCRIPT, "--json").out)
    sql(source, "UPDATE sessions SET updated_at = 'garbage' WHERE id = :id", id=played)
    result = cli("sessions", "delete", "--before", "2999-01-01", "--yes", "--db", source)
    assert result.code == 1
    assert f"session {played} is not listed and is kept: its updated_at holds 'garbage'" in result.err
    assert "1 session(s) created before 2999-01-01 will be deleted" in result.out
    assert other["session_id"][:12] in result.out and "deleted 1 session(s)" in result.out
    engine = create_engine(source)
    try:
        with engine.connect() as conn:
            left = conn.execute(text("SELECT id FROM sessions")).scalars().all()
            events = conn.execute(text("SELECT DISTINCT session_id FROM events")).scalars().all()
    finally:
        engine.dispose()
    assert left == [played] and events == [played]


def test_a_damaged_event_time_is_one_line_and_the_chain_still_verifies(
    cli: Cli, source: str, played: str, tmp_path: Path
) -> None:
    sql(source, "UPDATE events SET recorded_at = 'zz' WHERE session_id = :id AND seq = 3", id=played)
    assert cli("sessions", "verify", played, "--db", source).out.startswith("OK: ")  # times are not chained
    exported = cli("sessions", "export", played, "--db", source, "-o", str(tmp_path / "out.json"))
    one_line_error(exported, "a stored value is damaged (Invalid isoformat string: 'zz')")


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        (
            "UPDATE events SET cmd = 'abc' WHERE session_id = :id AND seq = 30",
            "event 30 of session {id} is damaged: its cmd holds 'abc', not a whole number",
        ),
        (
            "UPDATE events SET seq = 'x' WHERE session_id = :id AND seq = 30",
            "the event at position {count} (in seq order) of session {id} is damaged: "
            "its seq holds 'x', not a whole number",
        ),
        (
            r"""UPDATE events SET payload = '{"turn"\:1e999}' WHERE session_id = :id AND seq = 2""",
            "event 2 of session {id} is damaged: it holds a number out of range (1e999)",
        ),
        (
            "UPDATE sessions SET event_count = 'abc' WHERE id = :id",
            "session {id} cannot be read: a stored value is damaged (its event_count holds 'abc', "
            "not a whole number)",
        ),
        (
            """UPDATE events SET payload = '{"turn":"abc"}' WHERE session_id = :id AND seq = 2""",
            "session {id}: event #2 (turn_started) cannot be replayed: its data is damaged",
        ),
    ],
    ids=["cmd", "seq", "payload-number", "event-count", "payload-replay"],
)
def test_a_damaged_stored_value_is_one_line_naming_the_session(
    cli: Cli, source: str, played: str, tmp_path: Path, statement: str, message: str
) -> None:
    """A hand edit the chain catches (`verify`) but reading must survive too: `show`, `export` and
    `report` name the session and the event (by its position if its number is what is damaged),
    and write no file."""
    with Store(source) as store:
        count = len(store.events(played))
    sql(source, statement, id=played)
    expected = message.format(id=played, count=count)
    exported, report = tmp_path / "export.json", tmp_path / "report.html"
    for command in (
        ["sessions", "show", played],
        ["sessions", "show", played, "--json"],
        ["sessions", "export", played, "-o", str(exported)],
        ["sessions", "export", played, "--format", "csv"],
        ["report", played, "-o", str(report)],
    ):
        one_line_error(cli(*command, "--db", source), expected)
    assert not exported.exists() and not report.exists()
    assert cli("sessions", "verify", played, "--db", source).out.startswith(("ALTERED: ", "MISSING: "))


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (
            "UPDATE events SET cmd = 'abc' WHERE session_id = :id AND seq = 30",
            "ALTERED: event #30: its cmd holds 'abc', not a whole number",
        ),
        (
            "UPDATE events SET kind = x'00' WHERE session_id = :id AND seq = 5",
            "ALTERED: event #5: its kind holds b'\\x00', not text",
        ),
        ("UPDATE events SET payload = 7 WHERE session_id = :id AND seq = 5", "ALTERED: event #5 ("),
        (
            "UPDATE events SET seq = 'x' WHERE session_id = :id AND seq = 30",
            "MISSING: event #30 (the next stored event is #31)",
        ),
        (
            "UPDATE events SET seq = 'x' WHERE session_id = :id "
            "AND seq = (SELECT max(seq) FROM events WHERE session_id = :id)",
            "ALTERED: the event at position {count} holds seq 'x', not a whole number",
        ),
        (
            "UPDATE sessions SET event_count = 'abc' WHERE id = :id",
            "ALTERED: session {id} cannot be read: a stored value is damaged "
            "(its event_count holds 'abc', not a whole number)",
        ),
        (
            "UPDATE sessions SET deck_text = x'00' WHERE id = :id",
            "ALTERED: the deck text stored with the session no longer matches its hash",
        ),
    ],
    ids=["cmd", "kind", "payload-not-text", "seq", "last-seq", "event-count", "deck-text"],
)
def test_verify_says_altered_for_a_value_that_cannot_be_read(
    cli: Cli, source: str, played: str, statement: str, expected: str
) -> None:
    with Store(source) as store:
        count = len(store.events(played))
    sql(source, statement, id=played)
    result = cli("sessions", "verify", played, "--db", source)
    assert (result.code, result.err) == (1, "")
    assert result.out.startswith(expected.format(id=played, count=count)), result.out


def test_a_session_whose_count_is_damaged_is_named_and_the_others_listed(
    cli: Cli, source: str, played: str
) -> None:
    list_with_one_damaged(
        cli, source, played, "current_turn = 'three'", "its current_turn holds 'three', not a whole number"
    )


def test_a_damaged_payload_is_described_not_printed(cli: Cli, source: str, played: str) -> None:
    """A payload holds what students typed: a message (which a report may print) gives its size."""
    sql(
        source,
        "UPDATE events SET payload = CAST(payload AS BLOB) WHERE session_id = :id AND seq = 7",
        id=played,
    )
    result = cli("sessions", "verify", played, "--db", source)
    assert result.code == 1
    assert re.fullmatch(r"ALTERED: event #7: its payload holds bytes of length \d+, not text\n", result.out)
