"""The installed Qt binding keeps Python's books: a bug there ends a class mid-session."""

from __future__ import annotations

import gc
import sys

from pytestqt.qtbot import QtBot

from wargame.ui.qt import QtWidgets


def test_qt_calls_that_return_nothing_keep_their_references_to_none(qtbot: QtBot) -> None:
    # PySide6 6.12.0 on Python 3.11 takes one reference from None at each such call: the console
    # makes thousands an hour (timer ticks, refreshes), and at zero the interpreter aborts.
    label = QtWidgets.QLabel()
    qtbot.addWidget(label)
    collecting = gc.isenabled()
    gc.disable()  # what the collector frees meanwhile would look like lost references
    try:
        before = sys.getrefcount(None)
        for _ in range(2000):
            label.setText("tick")
            label.setEnabled(True)
        lost = before - sys.getrefcount(None)
    finally:
        if collecting:
            gc.enable()
    assert lost < 100, f"each Qt call returning nothing lost a reference to None ({lost} in 4,000 calls)"
