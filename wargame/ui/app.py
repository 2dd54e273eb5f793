"""Starting the desktop app: the main window paints first, then the database opens.

The store (SQLAlchemy, the engine, the deck loader) takes several times longer to import and open
than Qt takes to show a window, so `run_app` shows the real main window with its start page saying
"Opening the database…", and opens the store once that window has been painted.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from wargame.ui.main_window import MainWindow
from wargame.ui.qt import QApplication, QtCore, QtWidgets
from wargame.ui.style import application_arguments, apply_style

OPEN_AT_LATEST_MS = 1000
"""The database opens right after the main window's first paint, or after this long without one."""


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(application_arguments(argv if argv is not None else sys.argv[:1]))
    app.setOrganizationName("wargame")
    app.setApplicationName("wargame")
    apply_style(app)
    return app


def run_app(db_url: str | None = None) -> int:
    """Show the main window, then open the database and resume; returns the exit code.

    The exit code is 1 if the database never opened (the window said why).
    """
    app = make_application()
    window = MainWindow()
    if os.environ.get("WARGAME_EXIT_AFTER_FIRST_PAINT") == "1":
        # `python -m benchmarks` times the start of `wargame` to its first painted window.
        after_first_paint(window, app.quit)
    else:
        after_first_paint(window, lambda: open_and_resume(window, db_url), at_latest_ms=OPEN_AT_LATEST_MS)
    window.show()
    try:
        code = app.exec()
    finally:
        if window.store is not None:
            window.store.close()
    return 1 if window.store_error is not None else code


def open_and_resume(window: MainWindow, db_url: str | None) -> None:
    """`window.start(db_url)`; a database that did not open is also reported on stderr."""
    if not window.start(db_url):
        print(f"wargame: error: {window.store_error}", file=sys.stderr)


class _FirstPaint(QtCore.QObject):
    """Runs `then` once, from the event loop, right after `window` is first painted (or when
    `at_latest_ms` have passed, if given and it has not been painted by then)."""

    def __init__(
        self, window: QtWidgets.QWidget, then: Callable[[], object], at_latest_ms: int | None
    ) -> None:
        super().__init__(window)
        self.window, self.then, self.done = window, then, False
        if at_latest_ms is not None:
            QtCore.QTimer.singleShot(at_latest_ms, self, self.fire)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        if watched is self.window and event.type() == QtCore.QEvent.Type.Paint:
            self.fire()
        return False

    def fire(self) -> None:
        if not self.done:
            self.done = True
            self.window.removeEventFilter(self)
            QtCore.QTimer.singleShot(0, self.then)


def after_first_paint(
    window: QtWidgets.QWidget, then: Callable[[], object], at_latest_ms: int | None = None
) -> None:
    """Call `then` once `window` has been painted for the first time (and the paint is on screen),
    or after `at_latest_ms` if that comes first (a window started minimized may not paint for long).

    The window paints itself before its children (its background, from the style sheet). The filter
    watches the window alone: an application-wide Python filter would make PySide6 wrap every event
    of every widget, building their Python classes and enums, which costs more than the paint.
    """
    window.installEventFilter(_FirstPaint(window, then, at_latest_ms))
