"""Where the database lives unless the user says otherwise."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sqlalchemy.engine import URL

DATABASE_FILENAME = "wargame.sqlite3"


def default_data_dir() -> Path:
    """The app's data folder: $WARGAME_DATA_DIR, else the platform's per-user data folder."""
    override = os.environ.get("WARGAME_DATA_DIR", "").strip()
    if override:
        return Path(override).expanduser().absolute()
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "wargame"
    if sys.platform == "win32":
        appdata = os.environ.get("APPDATA", "").strip()
        return (Path(appdata) if appdata else home / "AppData" / "Roaming") / "wargame"
    xdg = os.environ.get("XDG_DATA_HOME", "").strip()
    # The XDG spec says to ignore a relative XDG_DATA_HOME.
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else home / ".local" / "share"
    return base / "wargame"


def default_database_url() -> str:
    """$WARGAME_DB if set, else the SQLite file `wargame.sqlite3` in `default_data_dir()`."""
    url = os.environ.get("WARGAME_DB", "").strip()
    if url:
        return url
    path = default_data_dir() / DATABASE_FILENAME
    # URL.create quotes characters such as '?' or '%' that a hand-built URL would garble.
    return URL.create("sqlite", database=path.as_posix()).render_as_string(hide_password=False)
