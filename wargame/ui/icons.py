"""Icons from assets/icons (SVG), by name."""

from __future__ import annotations

from functools import cache

from wargame.ui.qt import QtGui
from wargame.ui.style import assets_dir


@cache
def icon(name: str) -> QtGui.QIcon:
    """The icon `assets/icons/NAME.svg` (an empty icon if the file is missing)."""
    path = assets_dir() / "icons" / f"{name}.svg"
    return QtGui.QIcon(str(path)) if path.is_file() else QtGui.QIcon()
