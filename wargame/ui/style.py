"""The app's look: one stylesheet from assets/, and the colours of the escalation bands."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from wargame.ui.qt import QtWidgets

# Ordered light to dark and blue to red, distinguishable for the common colour-blindnesses
# (ColorBrewer RdYlBu, reversed); every band also carries its name, never colour alone.
BAND_COLOURS = ("#4575b4", "#91bfdb", "#e0f3f8", "#fee090", "#fc8d59", "#d73027", "#a50026")


def band_colour(position: int, count: int) -> str:
    """The colour of band `position` of `count` bands, spread over the palette."""
    if count <= 1:
        return BAND_COLOURS[0]
    step = (len(BAND_COLOURS) - 1) / (count - 1)
    return BAND_COLOURS[round(position * step)]


@cache
def assets_dir() -> Path:
    """`assets/` of the checkout, else the installed package `wargame.assets`."""
    checkout = Path(__file__).resolve().parents[2] / "assets"
    if checkout.is_dir():
        return checkout
    import importlib.resources  # (an installed app only: it costs milliseconds at the start)

    return Path(str(importlib.resources.files("wargame.assets")))


STYLE = "Fusion"
"""Qt's style under the style sheet, so the app looks the same on every platform."""


def application_arguments(argv: list[str]) -> list[str]:
    """`argv` for QApplication, choosing `STYLE` (`-style`, which Qt reads and removes).

    Chosen at construction, since `QApplication.setStyle` returns the style, and PySide6 builds its
    Python class with every enum of QStyle on the way (about 4 ms before the first paint).
    """
    program = argv[:1] or ["wargame"]
    return [*program, "-style", STYLE, *argv[1:]]


def apply_style(app: QtWidgets.QApplication) -> None:
    """Use the app's stylesheet (with `STYLE` underneath: see `application_arguments`)."""
    app.setStyleSheet((assets_dir() / "style.qss").read_text(encoding="utf-8"))
