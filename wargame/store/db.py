"""Open a SQLAlchemy engine for a database URL and turn driver failures into one-line StoreErrors.

Any SQLAlchemy URL works (``sqlite:///path``, ``postgresql+psycopg://user@host/db``...). SQLite
files get the settings an append-only log needs (see `_sqlite_on_connect`).
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_plus, urlsplit

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from wargame.errors import StoreError

BUSY_TIMEOUT_MS = 10_000
"""How long a SQLite writer waits for another one to finish before giving up."""

CONNECT_TIMEOUT_S = 10
"""How long to wait for a database server to answer (unless the URL says otherwise)."""

SERVER_LINK = {
    "connect_timeout": CONNECT_TIMEOUT_S,
    # A link that drops silently (the wifi goes) is noticed in about half a minute instead of
    # the system's two hours: unanswered data, or unanswered probes on an idle connection.
    "tcp_user_timeout": 30_000,
    "keepalives": 1,
    "keepalives_idle": 15,
    "keepalives_interval": 5,
    "keepalives_count": 3,
}
"""libpq settings for a PostgreSQL server's connections (each unless the URL gives it)."""

WRITE_OPTION = "wargame_write"
"""Execution option marking a write transaction: on SQLite it begins with BEGIN IMMEDIATE."""

EXAMPLE_URLS = "e.g. sqlite:///path/to/wargame.sqlite3 or postgresql+psycopg://user@host/dbname"

# Errors a driver or the file system may raise while opening a database, besides SQLAlchemy's own.
OPEN_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError, sqlite3.Error, OSError)


# Query arguments whose value is a secret (libpq's password and sslpassword, other drivers'
# passwd, pwd, passphrase, tokens...): matched anywhere in the argument's name, in any case.
_SECRET_ARGUMENT = re.compile(r"password|passwd|pwd|passphrase|secret|token", re.IGNORECASE)
_QUERY_ARGUMENT = re.compile(r"(^|&)([^=&#]*)=([^&#]*)")  # in a query string


def shown_url(url: str) -> str:
    """The URL as it may appear in a message or a log: the password replaced by ***, whether it
    stands before the host (`user:pw@`) or in the query string (`?password=pw`)."""
    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        shown = re.sub(r"^([^:/?#]*:/*[^/:@?#]*:)[^/@?#]*@", r"\1***@", url)
    before, mark, query = shown.partition("?")
    return before + mark + _QUERY_ARGUMENT.sub(_hide_secret_argument, query)


def _hide_secret_argument(match: re.Match[str]) -> str:
    separator, name, value = match.groups()
    if _SECRET_ARGUMENT.search(unquote_plus(name)):
        value = "***"
    return f"{separator}{name}={value}"


def reason(exc: BaseException) -> str:
    """The first line of what the driver (or SQLAlchemy) said, without SQLAlchemy's decorations."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    line = text.splitlines()[0].strip() if text else ""
    return line or type(exc).__name__


def database_file(url: str) -> Path | None:
    """The file of a SQLite database URL; None for another database, one in memory or a bad URL."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        return None
    database = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or parsed.query.get("mode") == "memory":
        return None
    if database.startswith("file:"):
        database = unquote(urlsplit(database).path)
    return Path(database) if database not in ("", ":memory:") else None


# The failures that retrying will not mend until someone acts (SQLite's primary result codes,
# which its extended codes keep in their low byte, and PostgreSQL's SQLSTATEs).
_SQLITE_READONLY, _SQLITE_FULL = 8, 13
_PG_READ_ONLY_TRANSACTION, _PG_DISK_FULL = "25006", "53100"


def lasting_refusal(exc: BaseException, shown: str, file: Path | None) -> str | None:
    """Why the database refuses to write, in words, when that will not pass by itself: its file,
    its folder or the connection is read-only, or its disk is full. None for any other failure.

    `shown` is the database's URL as messages show it, `file` its SQLite file (see `database_file`).
    """
    orig = getattr(exc, "orig", None) or exc
    code = getattr(orig, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    sqlstate = getattr(orig, "sqlstate", None)
    if primary == _SQLITE_READONLY or sqlstate == _PG_READ_ONLY_TRANSACTION:
        return _read_only(shown, file, reason(exc))
    if primary == _SQLITE_FULL or sqlstate == _PG_DISK_FULL:
        return f"the disk holding {file if file else f'the database {shown}'} is full"
    return None


def _read_only(shown: str, file: Path | None, why: str) -> str:
    if file is not None:
        if file.exists() and not os.access(file, os.W_OK):
            return f"the database file {file} is read-only"
        if not os.access(file.parent, os.W_OK):  # (SQLite writes its journal files beside the file)
            return f"the folder {file.parent} holding the database is read-only"
    return f"the database {shown} is read-only ({why})"


def failure(exc: BaseException, shown: str, file: Path | None) -> str:
    """What went wrong, in one line: a lasting refusal in words (see `lasting_refusal`), else
    what the driver said."""
    return lasting_refusal(exc, shown, file) or reason(exc)


_SQLITE_UNIQUE = ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY")


def is_unique_violation(exc: SQLAlchemyError) -> bool:
    """Whether a failed write broke a unique key (rather than, say, a trigger or a check)."""
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) == "23505":  # PostgreSQL: unique_violation
        return True
    if getattr(orig, "sqlite_errorname", None) in _SQLITE_UNIQUE:
        return True
    text = str(orig).lower()
    return "unique" in text or "duplicate" in text


def open_engine(url: str) -> Engine:
    """Create an engine for `url`; no connection is made yet. Raises StoreError for a bad URL."""
    shown = shown_url(url)
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StoreError(f"{shown!r} is not a database URL ({EXAMPLE_URLS})") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed, shown)
        connect_args: dict[str, Any] = {}
        if parsed.get_backend_name() == "postgresql":
            connect_args = {key: value for key, value in SERVER_LINK.items() if key not in parsed.query}
        # pre_ping: a long-running app outlives server connections (laptop sleep, wifi changes).
        return create_engine(parsed, connect_args=connect_args, pool_pre_ping=True)
    except NoSuchModuleError:
        raise StoreError(
            f"cannot open database {shown}: unknown database driver {parsed.drivername!r} ({EXAMPLE_URLS})"
        ) from None
    except ImportError as exc:
        raise StoreError(
            f"cannot open database {shown}: its driver is not installed (Python module {exc.name!r})"
        ) from None
    except (SQLAlchemyError, TypeError, ValueError) as exc:
        raise StoreError(f"cannot open database {shown}: {reason(exc)}") from exc


SQLITE_URI_ARGUMENTS = ("cache", "immutable", "mode", "nolock", "psow", "vfs")
"""The query arguments a SQLite URL may carry (`sqlite:////path/file.sqlite3?mode=ro`): SQLite's own
URI parameters, handed to SQLite in a `file:` URI. `uri=true`, which SQLAlchemy's form of such URLs
needs, is accepted and implied."""

SQLITE_DRIVER_ARGUMENTS = ("cached_statements", "check_same_thread", "detect_types", "timeout")
"""Python's sqlite3 module's own arguments, which SQLAlchemy reads from the URL (`?timeout=30`)."""


def _sqlite_engine(parsed: URL, shown: str) -> Engine:
    arguments = _sqlite_arguments(parsed, shown)
    database = parsed.database or ""
    in_memory = database in ("", ":memory:") or arguments.get("mode") == "memory"
    read_only = sqlite_read_only(arguments)
    if not in_memory and not read_only and not database.startswith("file:"):
        _prepare_folder(Path(database), shown)
    if set(arguments) & set(SQLITE_URI_ARGUMENTS):
        parsed = _as_sqlite_uri(parsed, arguments)  # (SQLAlchemy takes the driver's own out again)
    if in_memory:
        # One shared connection, so every session of the store sees the same (test) database.
        engine = create_engine(parsed, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        engine = create_engine(parsed)
    # A read-only connection cannot switch the file to WAL (every file the app made is WAL already).
    event.listen(engine, "connect", _sqlite_on_connect(wal=not in_memory and not read_only))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_arguments(parsed: URL, shown: str) -> dict[str, str]:
    """The URL's query arguments for SQLite; StoreError for any other (rather than SQLAlchemy's
    warning that it ignores them)."""
    unknown = sorted(set(parsed.query) - {*SQLITE_URI_ARGUMENTS, *SQLITE_DRIVER_ARGUMENTS, "uri"})
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        known = ", ".join((*SQLITE_URI_ARGUMENTS, *SQLITE_DRIVER_ARGUMENTS))
        raise StoreError(
            f"cannot open database {shown}: a SQLite URL takes no query argument {names} (only {known})"
        )
    arguments = {}
    for name, value in parsed.query.items():
        if not isinstance(value, str):  # (a tuple: the argument was repeated)
            raise StoreError(f"cannot open database {shown}: the query argument {name!r} is given twice")
        if name != "uri":
            arguments[name] = value
    return arguments


def _as_sqlite_uri(parsed: URL, arguments: dict[str, str]) -> URL:
    """The URL with its database as a `file:` URI and `uri=true`, so that SQLite gets `arguments`
    (SQLAlchemy hands SQLite the database as given, followed by the query arguments)."""
    database = parsed.database or ":memory:"
    if database == ":memory:":
        database = "file::memory:"
    elif not database.startswith("file:"):
        database = Path(database).absolute().as_uri()  # (quotes '?', '#', '%' and spaces)
    return parsed.set(database=database, query={**arguments, "uri": "true"})


def sqlite_read_only(arguments: Mapping[str, object]) -> bool:
    """Whether a SQLite URL's arguments open its file read-only (`mode=ro`, `immutable=1`)."""
    return arguments.get("mode") == "ro" or _true(str(arguments.get("immutable", "0")))


def _true(value: str) -> bool:
    """A SQLite URI boolean."""
    return value.lower() in ("1", "yes", "true", "on")


def _prepare_folder(path: Path, shown: str) -> None:
    if path.is_dir():
        raise StoreError(f"cannot open database {shown}: {path} is a folder, not a database file")
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StoreError(f"cannot open database {shown}: {folder} is not a folder") from None
    except OSError as exc:
        why = exc.strerror or str(exc)
        raise StoreError(f"cannot open database {shown}: cannot create folder {folder} ({why})") from None


def _sqlite_on_connect(*, wal: bool) -> Callable[[Any, Any], None]:
    """Settings applied to every new SQLite connection.

    Durability: in WAL mode with ``synchronous=FULL`` every commit is fsynced before it returns,
    so an event the store has acknowledged survives a power cut or an OS crash, not only a crash
    of the app. ``synchronous=NORMAL`` (the usual WAL setting) would only survive a process crash:
    the last commits could vanish with the power. Sessions write a handful of events a minute, so
    the cost of an fsync per command is invisible, and a lost decision in class is not.
    WAL also lets readers (review windows, reports) read while the facilitator's console writes.
    """

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (see _sqlite_begin) instead of the sqlite3 module's
        # legacy transaction handling, which leaves SELECTs and DDL outside the transaction.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if wal:
                _switch_to_wal(cursor)
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.execute("PRAGMA foreign_keys = ON")
        finally:
            cursor.close()

    return on_connect


def _switch_to_wal(cursor: Any) -> None:
    """Put the database in WAL mode, waiting up to the busy timeout like any other statement.

    Connections that switch a new database file to WAL at the same moment (two first opens) can be
    refused at once with "database is locked": SQLite does not wait on a lock that another
    connection waiting on it could deadlock with, so the busy timeout does not apply. Retry then.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.005)


def _sqlite_begin(conn: Connection) -> None:
    """BEGIN IMMEDIATE for writes: take the write lock before reading the last seq, so two writers
    queue up (busy timeout) instead of failing on a stale snapshot. Reads use a plain BEGIN."""
    write = bool(conn.get_execution_options().get(WRITE_OPTION, False))
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def for_writing(engine: Engine) -> Engine:
    """The same engine (same pool) with write transactions marked (see `_sqlite_begin`)."""
    return engine.execution_options(**{WRITE_OPTION: True})
