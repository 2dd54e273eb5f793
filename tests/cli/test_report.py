"""`wargame report`, `wargame sessions export --pseudonymise` and `wargame sessions delete`."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.report.helpers import PLAYERS, SCRIPT_RATIONALE, play_mini
from wargame.store import Store

from .conftest import Result, assert_one_line_error, run_wargame

Cli = Callable[..., Result]


@pytest.fixture
def stored(db_url: str) -> str:
    with Store(db_url) as store:
        return play_mini(store)


def test_report_html(cli: Cli, db_url: str, stored: str, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = cli("report", stored[:8], "--format", "html", "-o", out, "--db", db_url)
    assert result.code == 0, result
    assert "one HTML file" in result.err
    html = out.read_text(encoding="utf-8")
    assert "Outcome: War" in html and "&lt;script&gt;" in html and SCRIPT_RATIONALE not in html
    assert "Alice Smith" in html
    to_stdout = cli("report", stored, "--pseudonymise", "--db", db_url)
    assert to_stdout.code == 0 and "Player 1" in to_stdout.out and "Alice Smith" not in to_stdout.out


def test_report_pdf(db_url: str, stored: str, tmp_path: Path) -> None:
    # In a subprocess: the PDF needs a Qt application, which must not leak into the Qt widget tests.
    out = tmp_path / "report.pdf"
    result = run_wargame("report", stored, "-o", out, "--db", db_url)  # the format from the suffix
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert "page(s)" in result.stderr
    missing = tmp_path / "no" / "such" / "report.pdf"
    failed = run_wargame("report", stored, "-o", missing, "--db", db_url)
    assert failed.returncode == 1
    assert failed.stderr.count("\n") == 1 and "cannot write" in failed.stderr


def test_report_errors(cli: Cli, db_url: str, stored: str, tmp_path: Path) -> None:
    assert_one_line_error(
        cli("report", "ffff", "--format", "html", "--db", db_url), "no session id starts with ffff"
    )
    assert_one_line_error(
        cli("report", stored, "--format", "html", "-o", tmp_path / "x" / "r.html", "--db", db_url),
        "cannot write",
    )
    assert cli("report", stored, "--format", "pdf", "--db", db_url).code == 2
    assert cli("report", stored, "--format", "docx", "--db", db_url).code == 2


def test_export_pseudonymised(cli: Cli, db_url: str, stored: str) -> None:
    document = json.loads(cli("sessions", "export", stored, "--pseudonymise", "--db", db_url).out)
    text = json.dumps(document["events"], ensure_ascii=False)
    for name in PLAYERS["red"]:
        assert name not in text
    assert document["events"][0]["data"]["teams"][0]["players"] == ["Player 1", "Player 2"]
    assert document["pseudonymised"] is True
    assert document["session"]["facilitator"] == "Prof. Facil"
    again = json.loads(cli("sessions", "export", stored, "--pseudonymise", "--db", db_url).out)
    assert again["events"] == document["events"]
    rows = list(
        csv.reader(
            io.StringIO(
                cli("sessions", "export", stored, "--format", "csv", "--pseudonymise", "--db", db_url).out
            )
        )
    )
    flat = json.dumps(rows, ensure_ascii=False)
    assert "Alice Smith" not in flat and "Dana" not in flat and "Player 4" in flat
    plain = cli("sessions", "export", stored, "--format", "csv", "--db", db_url).out
    assert "Alice Smith" in plain


def _age(db_url: str, session_id: str, days: int) -> None:
    """Make a session look older (test set-up only: straight to the database)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE sessions SET created_at = :when WHERE id = :id"),
            {"when": (datetime.now(UTC) - timedelta(days=days)).replace(tzinfo=None), "id": session_id},
        )
    engine.dispose()


def test_delete_asks_and_deletes_only_old_sessions(
    cli: Cli, db_url: str, stored: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(db_url) as store:
        recent = play_mini(store, class_label="IR 102")
    _age(db_url, stored, 400)
    cutoff = (datetime.now(UTC) - timedelta(days=30)).strftime("%Y-%m-%d")
    monkeypatch.setattr("sys.stdin", io.StringIO("no\n"))
    refused = cli("sessions", "delete", "--before", cutoff, "--db", db_url)
    assert refused.code == 1 and "not confirmed" in refused.err and stored[:12] in refused.out
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    closed = cli("sessions", "delete", "--before", cutoff, "--db", db_url)
    assert closed.code == 1 and "no confirmation" in closed.err
    with Store(db_url) as store:
        assert len(store.sessions()) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO("yes\n"))
    done = cli("sessions", "delete", "--before", cutoff, "--db", db_url)
    assert done.code == 0 and "deleted 1 session(s)" in done.out
    with Store(db_url) as store:
        assert [info.id for info in store.sessions()] == [recent]
    nothing = cli("sessions", "delete", "--before", cutoff, "--yes", "--db", db_url)
    assert nothing.code == 0 and "no sessions created before" in nothing.out
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d")
    forced = cli("sessions", "delete", "--before", tomorrow, "--yes", "--db", db_url)
    assert forced.code == 0 and "deleted 1 session(s)" in forced.out


def test_delete_refuses_a_bad_date(cli: Cli, db_url: str) -> None:
    for bad in ("31/12/2025", "2026-13-45"):  # a bad value is a usage error, as elsewhere
        result = cli("sessions", "delete", "--before", bad, "--yes", "--db", db_url)
        assert result.code == 2 and f"{bad!r} is not a date: write it as YYYY-MM-DD" in result.err
        assert "Traceback" not in result.err
    assert cli("sessions", "delete", "--db", db_url).code == 2
