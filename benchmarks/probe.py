"""Small programs the benchmarks run as separate processes: `python -m benchmarks.probe WHAT [ARGS]`.

- `bare-paint`: the baseline of the first-paint figure, a bare PySide6 script that shows one
  QMainWindow and quits after its first paint (as `wargame` does with WARGAME_EXIT_AFTER_FIRST_PAINT=1).
- `memory-bare`: resident memory (kB) of a process showing a bare QMainWindow.
- `memory-console URL SESSION_ID`: resident memory (kB) with the session open in the console.
"""

from __future__ import annotations

import sys

BARE_PAINT = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

app = QApplication(sys.argv[:1])
window = QMainWindow()


class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget) and watched.window() is window:
            app.removeEventFilter(self)
            QTimer.singleShot(0, app.quit)
        return False


first_paint = FirstPaint()
app.installEventFilter(first_paint)
window.show()
sys.exit(app.exec())
"""


def rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _settle(app: object) -> None:
    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    for _ in range(5):
        app.processEvents()


def memory_bare() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    _settle(app)
    return rss_kb()


def memory_console(url: str, session_id: str) -> int:
    from wargame.store import Store
    from wargame.ui.app import make_application
    from wargame.ui.main_window import MainWindow

    app = make_application()
    store = Store(url)
    window = MainWindow(store)
    window.resize(1280, 800)
    window.show()
    if window.open_session(session_id) is None:
        raise SystemExit("the session did not open")
    _settle(app)
    return rss_kb()


def main(argv: list[str]) -> int:
    what = argv[0]
    if what == "bare-paint":
        exec(compile(BARE_PAINT, "bare_paint", "exec"), {"__name__": "__main__"})
        return 0
    if what == "memory-bare":
        print(memory_bare())
        return 0
    if what == "memory-console":
        print(memory_console(argv[1], argv[2]))
        return 0
    raise SystemExit(f"unknown probe {what!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
