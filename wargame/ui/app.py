"""Starting the desktop app."""

from __future__ import annotations

import os
import sys

from wargame.errors import WargameError
from wargame.store import Store, default_database_url
from wargame.ui.main_window import MainWindow
from wargame.ui.qt import QApplication, QMessageBox, QtCore, QtWidgets
from wargame.ui.style import apply_style


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName("wargame")
    app.setApplicationName("wargame")
    apply_style(app)
    return app


def run_app(db_url: str | None = None) -> int:
    """Open the database and show the main window; returns the exit code."""
    app = make_application()
    url = db_url or default_database_url()
    try:
        store = Store(url)
    except WargameError as exc:
        print(f"wargame: error: {exc}", file=sys.stderr)
        QMessageBox.critical(None, "wargame: cannot open the database", str(exc))
        return 1
    window = MainWindow(store)
    window.resume_last()
    if os.environ.get("WARGAME_EXIT_AFTER_FIRST_PAINT") == "1":
        exit_after_first_paint(app, window)
    window.show()
    try:
        return app.exec()
    finally:
        store.close()


class _FirstPaint(QtCore.QObject):
    """Quits the application once `window` (or a widget in it) has been painted."""

    def __init__(self, app: QApplication, window: QtCore.QObject) -> None:
        super().__init__(app)
        self.app, self.window = app, window

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:
        painted = event.type() == QtCore.QEvent.Type.Paint and isinstance(watched, QtWidgets.QWidget)
        if painted and watched.window() is self.window:
            self.app.removeEventFilter(self)
            QtCore.QTimer.singleShot(0, self.app.quit)
        return False


def exit_after_first_paint(app: QApplication, window: QtCore.QObject) -> None:
    """Quit right after the window's first paint: `WARGAME_EXIT_AFTER_FIRST_PAINT=1` sets it, so
    `python -m benchmarks` can time the start of `wargame` to its first painted window."""
    app.installEventFilter(_FirstPaint(app, window))
