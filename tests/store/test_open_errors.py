"""Opening a bad database URL gives a one-line StoreError naming the URL, never a raw exception."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from wargame.errors import StoreError
from wargame.store import Store, upgrade

from .helpers import sqlite_url


def open_error(url: str) -> str:
    with pytest.raises(StoreError) as caught:
        Store(url)
    assert type(caught.value) is StoreError
    assert caught.value.written is False
    message = str(caught.value)
    assert "\n" not in message
    for leak in ("Traceback", "Background on this error", "sqlalche.me", "sqlalchemy."):
        assert leak not in message
    return message


def test_malformed_url() -> None:
    message = open_error("not a url at all")
    assert message.startswith("'not a url at all' is not a database URL")
    assert "sqlite:///" in message  # shows what a URL looks like


def test_unknown_driver() -> None:
    assert open_error("nosuchdriver://x") == (
        "cannot open database nosuchdriver://x: unknown database driver 'nosuchdriver' "
        "(e.g. sqlite:///path/to/wargame.sqlite3 or postgresql+psycopg://user@host/dbname)"
    )
    assert "unknown database driver 'postgresql+nosuch'" in open_error("postgresql+nosuch://u@h/d")


def test_missing_driver_module() -> None:
    pytest.importorskip("sqlalchemy")
    try:
        import pymysql  # noqa: F401
    except ImportError:
        assert "driver is not installed" in open_error("mysql+pymysql://u@127.0.0.1:1/d")
    else:
        pytest.skip("pymysql is installed")


def test_unreachable_server_hides_the_password() -> None:
    message = open_error("postgresql+psycopg://nobody:s3cret@127.0.0.1:1/x")
    assert message.startswith("cannot open database postgresql+psycopg://nobody:***@127.0.0.1:1/x: ")
    assert "s3cret" not in message
    assert "refused" in message.lower()


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql+psycopg://127.0.0.1:1/wg?user=fac&password=TOPSECRET",
            "postgresql+psycopg://127.0.0.1:1/wg?password=***&user=fac",
        ),
        (
            "postgresql+psycopg://fac:TOPSECRET@127.0.0.1:1/wg?sslpassword=TOPSECRET&sslmode=require",
            "postgresql+psycopg://fac:***@127.0.0.1:1/wg?sslmode=require&sslpassword=***",
        ),
        (
            "postgresql+psycopg://127.0.0.1:1/wg?PassWord=TOPSECRET&api_token=TOPSECRET&application_name=x",
            "postgresql+psycopg://127.0.0.1:1/wg?PassWord=***&api_token=***&application_name=x",
        ),
    ],
    ids=["password", "sslpassword", "other-secrets"],
)
def test_a_password_in_the_query_string_is_hidden(url: str, shown: str) -> None:
    """libpq takes the password as a query argument too: hidden there like before the host."""
    message = open_error(url)
    assert message.startswith(f"cannot open database {shown}: ")
    assert "TOPSECRET" not in message


def test_a_password_in_an_unparseable_url_is_hidden() -> None:
    message = open_error("postgres:/fac:TOPSECRET@?password=TOPSECRET&pwd=TOPSECRET")
    assert "TOPSECRET" not in message
    assert message.startswith("'postgres:/fac:***@?password=***&pwd=***' is not a database URL")


def test_a_text_file_is_not_a_database(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("Lesson plan: a wargame about trade routes.\n" * 50)
    url = sqlite_url(notes)
    assert open_error(url) == f"cannot open database {url}: file is not a database"
    assert notes.read_text().startswith("Lesson plan")  # untouched


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    assert open_error(url) == f"cannot open database {url}: {tmp_path} is a folder, not a database file"


def test_a_folder_that_cannot_be_created_under_a_file(tmp_path: Path) -> None:
    (tmp_path / "plain-file").write_text("x")
    url = sqlite_url(tmp_path / "plain-file" / "sub" / "wargame.sqlite3")
    message = open_error(url)
    assert message.startswith(f"cannot open database {url}: ")
    assert "plain-file" in message


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs Linux /proc (read-only even for root)")
def test_a_folder_that_cannot_be_created_in_a_read_only_place() -> None:
    url = "sqlite:////proc/nonexistent-dir-that-cannot-be-created/wargame.sqlite3"
    message = open_error(url)
    assert message.startswith(f"cannot open database {url}: cannot create folder ")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_only_folder(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as root: folder permissions are not enforced")
        url = sqlite_url(locked / "new" / "wargame.sqlite3")
        assert "Permission denied" in open_error(url)
        assert "unable to open" in open_error(sqlite_url(locked / "wargame.sqlite3"))
    finally:
        locked.chmod(stat.S_IRWXU)


def test_upgrade_reports_the_same_way(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unknown database driver"):
        upgrade("nosuchdriver://x")
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database" * 100)
    with pytest.raises(StoreError, match="file is not a database"):
        upgrade(sqlite_url(notes))


def test_a_server_link_that_drops_silently_is_noticed(monkeypatch: pytest.MonkeyPatch) -> None:
    """libpq's timeouts and keepalives: a query on a dead link fails in about half a minute
    (the move is kept) rather than freezing the app for the system's two hours."""
    from wargame.store import db

    given: dict[str, object] = {}

    def engine(url: object, **kwargs: object) -> object:
        given.update(kwargs)
        return object()

    monkeypatch.setattr(db, "create_engine", engine)
    db.open_engine("postgresql+psycopg://teacher@db.example/wargame?connect_timeout=3")
    connect_args = given["connect_args"]
    assert isinstance(connect_args, dict)
    assert connect_args["tcp_user_timeout"] == 30_000 and connect_args["keepalives"] == 1
    assert "connect_timeout" not in connect_args  # the URL's own setting stands
