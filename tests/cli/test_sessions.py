"""`wargame sessions ...`, `wargame db upgrade`, `wargame deck ...`, the global --db and usage errors."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from wargame.cli import build_parser
from wargame.deck import load_deck_file
from wargame.engine import commands as c
from wargame.session import SessionController
from wargame.store import SCHEMA_VERSION, Store, default_database_url

from .conftest import (
    BALTIC_ID,
    BALTIC_PATH,
    BALTIC_TEAMS,
    MINI,
    Result,
    assert_one_line_error,
    run_wargame,
    sqlite_url,
)

Cli = Callable[..., Result]
WriteScript = Callable[..., Path]

#: Text that CSV must quote: commas, double quotes, a newline, and some non-ASCII.
AWKWARD_RATIONALE = 'Talk first, then "verify", they said;\nsecond line — déjà vu'
AWKWARD_REASON = 'Red\'s "offer", in fact a threat,\nwas noted'

SCRIPT = """
seed: 3
turns:
  - moves:
      red: {action: talk, rationale: "Talk first, then \\"verify\\", they said;\\nsecond line — déjà vu"}
      blue: {free_text: "We wait, and watch", predict: "Red blinks"}
    adjudications:
      - {team: red, delta: 2, reason: "Red's \\"offer\\", in fact a threat,\\nwas noted"}
  - moves:
      blue: {action: accept}
"""


@pytest.fixture
def script(write_script: WriteScript) -> Path:
    return write_script(SCRIPT)


def play(cli: Cli, script: Path, *extra: str) -> dict[str, Any]:
    result = cli("play", "--deck", MINI, "--script", script, "--json", *extra)
    assert result.code == 0, result.err
    return result.json()


@pytest.fixture
def played(cli: Cli, script: Path) -> dict[str, Any]:
    """A finished session in the default database: the `play --json` summary."""
    return play(cli, script)


def test_script_carries_the_awkward_text(script: Path) -> None:
    import yaml

    data = yaml.safe_load(script.read_text(encoding="utf-8"))
    assert data["turns"][0]["moves"]["red"]["rationale"] == AWKWARD_RATIONALE
    assert data["turns"][0]["adjudications"][0]["reason"] == AWKWARD_REASON


# --- sessions list -------------------------------------------------------------------------------


def test_list_empty(cli: Cli, default_db: Path) -> None:
    result = cli("sessions", "list")
    assert result.code == 0
    assert result.out == f"no sessions in {sqlite_url(default_db)}\n"
    assert cli("sessions", "list", "--json").json() == []


def test_list(cli: Cli, script: Path) -> None:
    first = play(cli, script)
    second = play(cli, script)

    result = cli("sessions", "list")
    assert result.code == 0
    header, rule, *rows = result.out.splitlines()
    assert header.split() == ["id", "created", "(UTC)", "deck", "class", "status", "turn", "outcome"]
    assert set(rule) <= {"-", " "}
    assert [row.split()[0] for row in rows] == [second["session_id"][:12], first["session_id"][:12]]
    assert rows[0].split()[3:] == ["mini", "-", "ended", "3", "channel"]

    listed = cli("sessions", "list", "--json").json()
    assert [info["id"] for info in listed] == [second["session_id"], first["session_id"]]  # newest first
    info = listed[0]
    assert info["deck_id"] == "mini"
    assert info["deck_title"] == "Mini crisis"
    assert info["seed"] == 3
    assert info["status"] == "ended"
    assert info["outcome"] == "channel"
    assert info["event_count"] == second["events"]
    assert datetime.fromisoformat(info["created_at"]) <= datetime.fromisoformat(info["updated_at"])
    assert datetime.fromisoformat(info["created_at"]).utcoffset() is not None


# --- sessions show -------------------------------------------------------------------------------


def test_show(cli: Cli, played: dict[str, Any]) -> None:
    session_id = played["session_id"]
    result = cli("sessions", "show", session_id)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == f"session {session_id}  (Mini crisis, seed 3)"
    assert "status: ended" in lines[1]
    assert lines[2].startswith("turn 3 of 3")
    assert "outcome: channel" in lines[2]
    # (The rationale and reason hold newlines, which describe() passes through: skip those lines.)
    timeline = [line for line in lines[4:] if re.match(r" *\d+  ", line)]
    assert [int(line.split()[0]) for line in timeline] == list(range(1, played["events"] + 1))
    assert timeline[0].split(maxsplit=1) == [
        "1",
        "Session created: Mini crisis (seed 3; teams: Red, Blue, Green)",
    ]
    # Revealed moves are shown with their content.
    assert any("Red: Propose a channel" in line for line in timeline)


def test_show_json(cli: Cli, played: dict[str, Any]) -> None:
    result = cli("sessions", "show", played["session_id"], "--json")
    assert result.code == 0, result.err
    shown = result.json()
    assert shown["session"]["id"] == played["session_id"]
    assert shown["state"] == played
    timeline = shown["timeline"]
    assert [item["seq"] for item in timeline] == list(range(1, played["events"] + 1))
    assert timeline[-1]["kind"] == "session_ended"
    assert timeline[-1]["text"] == "Session ended (last turn): Channel works"


def test_show_hides_moves_not_yet_revealed(cli: Cli, default_db: Path) -> None:
    loaded = load_deck_file(MINI)
    teams = (c.TeamSetup("red", "Red", ("red",)), c.TeamSetup("blue", "Blue", ("blue",)))
    with Store(default_database_url()) as store:
        session = SessionController.create(loaded, c.CreateSession(seed=1, teams=teams), store)
        for command in (c.Advance(), c.Advance(), c.Advance()):
            session.execute(command)
        session.execute(c.SubmitDecision("red", action="talk", rationale="secret plan"))
    result = cli("sessions", "show", session.session_id, "--json")
    assert result.code == 0, result.err
    shown = result.json()
    assert shown["session"]["status"] == "running"
    assert shown["state"]["outcome"] is None
    assert shown["timeline"][-1]["text"] == "Red: move recorded"
    assert "secret plan" not in result.out


# --- sessions export -------------------------------------------------------------------------------


def test_export_json(cli: Cli, played: dict[str, Any], default_db: Path) -> None:
    result = cli("sessions", "export", played["session_id"], "--format", "json")
    assert result.code == 0, result.err
    exported = result.json()
    assert exported["format"] == "wargame-session"
    assert exported["version"] == 1
    assert exported["session"]["id"] == played["session_id"]
    assert exported["deck_text"] == MINI.read_text(encoding="utf-8")
    with Store(sqlite_url(default_db)) as store:
        stored = [event.to_dict() for event in store.events(played["session_id"])]
    assert exported["events"] == stored
    decision = next(e for e in exported["events"] if e["kind"] == "decision_recorded")
    assert decision["data"]["rationale"] == AWKWARD_RATIONALE
    # JSON is the default format.
    assert cli("sessions", "export", played["session_id"]).out == result.out


def test_export_csv(cli: Cli, played: dict[str, Any]) -> None:
    events = cli("sessions", "export", played["session_id"]).json()["events"]
    result = cli("sessions", "export", played["session_id"], "--format", "csv")
    assert result.code == 0, result.err
    rows = list(csv.reader(io.StringIO(result.out, newline="")))
    assert rows[0] == ["seq", "cmd", "kind", "turn", "team", "description", "data"]
    body = rows[1:]
    assert len(body) == len(events)
    for row, event in zip(body, events, strict=True):
        assert len(row) == 7
        assert row[0] == str(event["seq"])
        assert row[1] == str(event["cmd"])
        assert row[2] == event["kind"]
        assert row[3] == str(event["data"].get("turn", ""))
        assert row[4] == (event["data"].get("team") or "")
        assert json.loads(row[6]) == event["data"]

    by_kind = {row[2]: row for row in reversed(body)}  # the first row of each kind
    assert json.loads(by_kind["decision_recorded"][6])["rationale"] == AWKWARD_RATIONALE
    assert by_kind["adjudicated"][4] == "red"
    # Descriptions are one line: typed newlines fold into spaces (the data column keeps them).
    assert by_kind["adjudicated"][5] == " ".join(f"Adjudication: Red +2 ({AWKWARD_REASON})".split())
    assert json.loads(by_kind["adjudicated"][6])["reason"] == AWKWARD_REASON


def test_export_to_a_file(cli: Cli, played: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    result = cli("sessions", "export", played["session_id"], "--format", "csv", "-o", target)
    assert result.code == 0, result.err
    assert result.out == ""
    assert result.err == (
        f"wrote {played['events']} events of session {played['session_id'][:12]} to {target}\n"
    )
    direct = cli("sessions", "export", played["session_id"], "--format", "csv").out
    assert target.read_text(encoding="utf-8") == direct
    by_suffix = tmp_path / "by_suffix.CSV"  # no --format: the file's suffix says which
    assert cli("sessions", "export", played["session_id"], "-o", by_suffix).code == 0
    assert by_suffix.read_text(encoding="utf-8") == direct
    as_json = tmp_path / "events.json"
    assert cli("sessions", "export", played["session_id"], "-o", as_json).code == 0
    assert json.loads(as_json.read_text(encoding="utf-8"))["events"]


def test_export_to_an_impossible_file(cli: Cli, played: dict[str, Any], tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "folder" / "out.json"
    result = cli("sessions", "export", played["session_id"], "--output", target)
    assert_one_line_error(result, f"cannot write {target}")


def test_export_unknown_format_exits_2(cli: Cli, played: dict[str, Any]) -> None:
    assert cli("sessions", "export", played["session_id"], "--format", "xml").code == 2


# --- session ids -------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["show"], ["show", "--json"], ["export"], ["export", "--format", "csv"]])
def test_prefix_ids(cli: Cli, played: dict[str, Any], command: list[str]) -> None:
    session_id = played["session_id"]
    full = cli("sessions", command[0], session_id, *command[1:])
    assert full.code == 0
    for prefix in (session_id[:1], session_id[:6], session_id[:12].upper(), f"  {session_id[:8]} "):
        by_prefix = cli("sessions", command[0], prefix, *command[1:])
        assert by_prefix.code == 0, by_prefix.err
        assert by_prefix.out == full.out


@pytest.fixture
def two_similar_sessions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    ids = ["abcd" + "0" * 28, "abcd" + "1" * 28]
    supply: Iterator[str] = iter(ids)
    monkeypatch.setattr("wargame.session.controller.new_session_id", lambda: next(supply))
    loaded = load_deck_file(MINI)
    teams = (c.TeamSetup("red", "Red", ("red",)),)
    with Store(default_database_url()) as store:
        for _ in ids:
            SessionController.create(loaded, c.CreateSession(seed=1, teams=teams), store)
    return ids


@pytest.mark.parametrize("command", [["show"], ["show", "--json"], ["export"], ["export", "--format", "csv"]])
def test_ambiguous_and_unknown_ids(cli: Cli, two_similar_sessions: list[str], command: list[str]) -> None:
    def run(session_id: str) -> Result:
        return cli("sessions", command[0], session_id, *command[1:])

    line = assert_one_line_error(run("abc"), "abc is ambiguous: 2 session ids start with it")
    assert "abcd111…" in line and "abcd000…" in line  # the prefix and 4 more digits of each
    assert_one_line_error(run("abcd"), "ambiguous")
    assert run("abcd1").code == 0
    assert run("ABCD0").code == 0
    assert_one_line_error(run("abce"), "no session id starts with abce")
    assert_one_line_error(run("f" * 32), "no session id starts with")
    assert_one_line_error(run("xyz"), "'xyz' is not a session id")
    assert_one_line_error(run("abcd-0000"), "is not a session id")
    assert_one_line_error(run("  "), "no session id given")
    assert_one_line_error(run("a" * 33), "is not a session id")


# --- --db before and after the sub-command ----------------------------------------------------------


@pytest.mark.parametrize(
    "position",
    ["before", "between", "after"],
)
def test_db_option_anywhere(cli: Cli, script: Path, db_url: str, db_path: Path, position: str) -> None:
    def args(*command: str) -> list[str]:
        if position == "before":
            return ["--db", db_url, *command]
        if position == "between":
            return [command[0], "--db", db_url, *command[1:]]
        return [*command, "--db", db_url]

    played = cli(*args("play", "--deck", str(MINI), "--script", str(script), "--json"))
    assert played.code == 0, played.err
    session_id = played.json()["session_id"]
    assert db_path.exists()

    listed = cli(*args("sessions", "list", "--json"))
    assert [info["id"] for info in listed.json()] == [session_id]
    assert cli(*args("sessions", "show", session_id[:8])).code == 0
    assert cli(*args("sessions", "export", session_id[:8])).json()["session"]["id"] == session_id
    assert cli(*args("db", "upgrade")).out == f"database schema is up to date (version {SCHEMA_VERSION})\n"
    # The default database never saw it.
    assert cli("sessions", "list", "--json").json() == []


def test_db_from_the_environment(
    cli: Cli, script: Path, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WARGAME_DB", db_url)
    session_id = play(cli, script)["session_id"]
    assert [info["id"] for info in cli("--db", db_url, "sessions", "list", "--json").json()] == [session_id]
    other = sqlite_url(tmp_path / "other.sqlite3")
    assert cli("--db", other, "sessions", "list", "--json").json() == []  # --db wins over $WARGAME_DB
    monkeypatch.setenv("WARGAME_DB", "bogus")
    refused = cli("sessions", "list")
    assert refused.code == 1 and "'bogus' is not a database URL" in refused.err
    assert refused.err.rstrip().endswith("(the database URL comes from $WARGAME_DB)")


# --- database errors: one line, exit 1 -----------------------------------------------------------


@pytest.fixture
def not_a_database(tmp_path: Path) -> Path:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"These are my lesson notes, not a database. " * 50)
    return path


def bad_urls(tmp_path: Path, not_a_database: Path) -> dict[str, tuple[str, str]]:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    return {
        "unknown-driver": ("nosuch://x", "unknown database driver 'nosuch'"),
        "not-a-url": ("not a url", "is not a database URL"),
        "not-a-database": (sqlite_url(not_a_database), "file is not a database"),
        "a-folder": (sqlite_url(folder), "is a folder, not a database file"),
    }


COMMANDS = [
    pytest.param(["sessions", "list"], id="list"),
    pytest.param(["sessions", "list", "--json"], id="list-json"),
    pytest.param(["sessions", "show", "abc"], id="show"),
    pytest.param(["sessions", "export", "abc", "--format", "csv"], id="export"),
    pytest.param(["db", "upgrade"], id="upgrade"),
    pytest.param(["play", "--deck", str(MINI), "--script", "SCRIPT"], id="play"),
]


@pytest.mark.parametrize("which", ["unknown-driver", "not-a-url", "not-a-database", "a-folder"])
@pytest.mark.parametrize("command", COMMANDS)
def test_bad_database_is_one_line(
    cli: Cli, script: Path, tmp_path: Path, not_a_database: Path, which: str, command: list[str]
) -> None:
    url, message = bad_urls(tmp_path, not_a_database)[which]
    command = [str(script) if arg == "SCRIPT" else arg for arg in command]
    before = not_a_database.read_bytes()
    for args in (["--db", url, *command], [*command, "--db", url]):
        result = cli(*args)
        assert result.out == ""
        assert_one_line_error(result, message)
    assert not_a_database.read_bytes() == before


def test_bad_database_end_to_end(not_a_database: Path) -> None:
    done = run_wargame("sessions", "list", "--db", sqlite_url(not_a_database))
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert (
        done.stderr
        == f"wargame: error: cannot open database {sqlite_url(not_a_database)}: file is not a database\n"
    )
    done = run_wargame("--db", "nosuch://x", "db", "upgrade")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_a_password_in_the_query_string_is_not_printed() -> None:
    url = "postgresql+psycopg://127.0.0.1:1/wg?user=fac&password=TOPSECRET"
    done = run_wargame("--db", url, "sessions", "list")
    assert done.returncode == 1
    assert "TOPSECRET" not in done.stderr + done.stdout
    assert done.stderr.startswith(
        "wargame: error: cannot open database postgresql+psycopg://127.0.0.1:1/wg?password=***&user=fac: "
    )
    assert len(done.stderr.splitlines()) == 1


def test_a_sqlite_url_with_query_arguments_prints_no_warning(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    Store(sqlite_url(path)).close()
    done = run_wargame("--db", f"{sqlite_url(path)}?mode=ro", "sessions", "list")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("no sessions in ")
    done = run_wargame("--db", f"{sqlite_url(path)}?timeout=5", "sessions", "list")  # the driver's own
    assert (done.returncode, done.stderr) == (0, "")
    done = run_wargame("--db", f"{sqlite_url(path)}?colour=blue", "sessions", "list")
    assert done.returncode == 1
    assert done.stderr == (
        f"wargame: error: cannot open database {sqlite_url(path)}?colour=blue: a SQLite URL takes no query "
        "argument 'colour' (only cache, immutable, mode, nolock, psow, vfs, cached_statements, "
        "check_same_thread, detect_types, timeout)\n"
    )


# --- db upgrade ----------------------------------------------------------------------------------------


def test_db_upgrade_fresh(cli: Cli, db_url: str, db_path: Path) -> None:
    result = cli("--db", db_url, "db", "upgrade")
    assert result.code == 0, result.err
    assert result.out == f"database schema upgraded from version 0 to {SCHEMA_VERSION}\n"
    assert db_path.exists()
    again = cli("db", "upgrade", "--db", db_url)
    assert again.code == 0
    assert again.out == f"database schema is up to date (version {SCHEMA_VERSION})\n"
    assert cli("--db", db_url, "sessions", "list", "--json").json() == []


def test_db_upgrade_default_database(cli: Cli, default_db: Path) -> None:
    result = cli("db", "upgrade")
    assert result.code == 0, result.err
    assert default_db.exists()


# --- deck ------------------------------------------------------------------------------------------------


def test_deck_show_builtin_json(cli: Cli) -> None:
    result = cli("deck", "show", BALTIC_ID, "--json")
    assert result.code == 0, result.err
    deck = result.json()
    assert deck["id"] == BALTIC_ID
    assert [team["id"] for team in deck["teams"]] == BALTIC_TEAMS
    assert deck["turns"]["count"] == 6


def test_deck_show_file_json(cli: Cli) -> None:
    deck = cli("deck", "show", MINI, "--json").json()
    assert [team["id"] for team in deck["teams"]] == ["red", "blue", "green"]
    assert deck["groupings"][0]["members"] == ["blue", "green"]
    assert [action["id"] for action in deck["actions"]] == ["talk", "accept", "posture", "strike"]


def test_deck_show_text(cli: Cli) -> None:
    result = cli("deck", "show", MINI)
    assert result.code == 0
    assert result.out.startswith("Mini crisis  (mini v1, en)\n")
    assert "Outcomes (tested in order):" in result.out


@pytest.mark.parametrize("reference", ["no_such_deck", "nowhere/deck.yaml", "missing.yaml"])
def test_deck_show_unknown(cli: Cli, reference: str) -> None:
    result = cli("deck", "show", reference, "--json")
    assert result.code == 1
    assert result.out == ""
    assert len(result.err_lines) == 1
    assert result.err_lines[0].startswith(f"{reference}:1:1: ")


def test_deck_validate(cli: Cli, tmp_path: Path) -> None:
    good = cli("deck", "validate", MINI, BALTIC_PATH)
    assert good.code == 0, good.err
    assert good.out.splitlines()[0] == f"{MINI}: ok (mini v1: 3 teams, 4 actions, 4 cards, 3 outcomes)"
    assert good.out.splitlines()[1].startswith(f"{BALTIC_PATH}: ok ({BALTIC_ID} v")

    text = MINI.read_text(encoding="utf-8")
    assert text.count("    teams: [red]\n") == 1
    assert text.count("    escalation: -6\n") == 1
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        text.replace("    teams: [red]\n", "    teams: [purple]\n").replace(
            "    escalation: -6\n", "    escalation: lots\n"
        ),
        encoding="utf-8",
    )
    lines = broken.read_text(encoding="utf-8").splitlines()
    bad_team = next(i for i, line in enumerate(lines, 1) if "[purple]" in line)
    bad_value = next(i for i, line in enumerate(lines, 1) if "lots" in line)

    result = cli("deck", "validate", broken, MINI)
    assert result.code == 1
    assert result.out.startswith(f"{MINI}: ok")  # the good file is still checked
    assert len(result.err_lines) == 2
    assert result.err_lines[0].startswith(f"{broken}:{bad_value}:17: actions[1].escalation: ")
    assert result.err_lines[1] == f"{broken}:{bad_team}:13: unknown team 'purple' (teams: blue, green, red)"


# --- usage ------------------------------------------------------------------------------------------------


def command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                paths.extend(command_paths(sub, (*prefix, name)))
    return paths


ALL_COMMANDS = command_paths(build_parser())


def test_every_command_is_known() -> None:
    assert set(ALL_COMMANDS) >= {
        (),
        ("deck",),
        ("deck", "validate"),
        ("deck", "show"),
        ("deck", "schema"),
        ("play",),
        ("simulate",),
        ("sessions",),
        ("sessions", "list"),
        ("sessions", "show"),
        ("sessions", "export"),
        ("db",),
        ("db", "upgrade"),
    }


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=lambda path: " ".join(path) or "wargame")
def test_help_everywhere(cli: Cli, command: tuple[str, ...], default_db: Path) -> None:
    result = cli(*command, "--help")
    assert result.code == 0
    assert result.out.startswith("usage: wargame")
    assert "--db" in result.out
    assert result.err == ""
    assert not default_db.exists()


def test_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.code == 0
    assert re.fullmatch(r"wargame \S+\n", result.out)


@pytest.mark.parametrize(
    "args",
    [
        ["bogus"],
        ["deck"],
        ["deck", "bogus"],
        ["sessions"],
        ["sessions", "bogus"],
        ["db"],
        ["db", "downgrade"],
        ["sessions", "show"],
        ["sessions", "list", "--bogus"],
        ["--db"],
        ["--nosuch-option", "sessions", "list"],
    ],
)
def test_usage_errors_exit_2(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("usage: wargame")
    assert "Traceback" not in result.err


def test_unknown_command_end_to_end() -> None:
    done = run_wargame("bogus")
    assert done.returncode == 2
    assert "invalid choice: 'bogus'" in done.stderr
    assert "Traceback" not in done.stderr
