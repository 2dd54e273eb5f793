"""Opening the database the user named (or the default one)."""

from __future__ import annotations

import argparse

from wargame.store import Store, default_database_url


def database_url(args: argparse.Namespace) -> str:
    return getattr(args, "db", None) or default_database_url()


def open_store(args: argparse.Namespace) -> Store:
    return Store(database_url(args))
