"""Starting the desktop app."""

from __future__ import annotations

import sys

from wargame.errors import WargameError
from wargame.store import Store, default_database_url
from wargame.ui.main_window import MainWindow
from wargame.ui.qt import QApplication, QMessageBox
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
    window.show()
    try:
        return app.exec()
    finally:
        store.close()
