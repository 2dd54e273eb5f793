"""Opening the database the user named (or the default one)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from wargame.errors import DamagedEventError, WargameError

if TYPE_CHECKING:
    from wargame.store import Store


def database_url(args: argparse.Namespace) -> str:
    """The URL given with --db, else $WARGAME_DB or the default SQLite file."""
    url = getattr(args, "db", None)
    if url is None:
        from wargame.store import default_database_url

        return default_database_url()
    if not url.strip():
        raise WargameError("--db was given an empty database URL")
    return str(url)


def open_store(args: argparse.Namespace) -> Store:
    from wargame.store import Store

    try:
        return Store(database_url(args))
    except WargameError as exc:
        if getattr(args, "db", None) is None and os.environ.get("WARGAME_DB", "").strip():
            raise WargameError(f"{exc} (the database URL comes from $WARGAME_DB)") from exc
        raise


@contextmanager
def naming_the_session(session_id: str) -> Iterator[None]:
    """A stored event that cannot be replayed (DamagedEventError names it) named with its session."""
    try:
        yield
    except DamagedEventError as exc:
        raise DamagedEventError(f"session {session_id}: {exc}") from exc
