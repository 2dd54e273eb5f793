"""The PDF writer (wargame.ui.pdf) as a whole: pages written, and the interpreter left intact."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from wargame.ui.pdf import write_pdf
from wargame.ui.qt import QApplication

ROWS = "".join(f"<tr><td>{i}</td><td>row {i}<br>second line</td></tr>" for i in range(400))
HTML = f"<h1>Long</h1><table border='1'><thead><tr><th>#</th><th>Text</th></tr></thead>{ROWS}</table>"


def test_a_long_table_makes_many_pages(qapp: QApplication, tmp_path: Path) -> None:
    pages = write_pdf(HTML, tmp_path / "long.pdf", "Long")
    assert 10 <= pages <= 40
    assert (tmp_path / "long.pdf").read_bytes().startswith(b"%PDF-")


def test_printing_leaves_none_with_its_references(qapp: QApplication, tmp_path: Path) -> None:
    """PySide6 6.12 on Python 3.11 drops a reference to None at every Qt call that returns
    nothing; write_pdf makes thousands and must give them back, or None is freed and the
    interpreter aborts (from Python 3.12 on None is immortal and this holds trivially)."""
    write_pdf(HTML, tmp_path / "warm.pdf", "Warm")  # imports and caches settle first
    gc.collect()
    gc.disable()
    try:
        before = sys.getrefcount(None)
        write_pdf(HTML, tmp_path / "long.pdf", "Long")
        after = sys.getrefcount(None)
    finally:
        gc.enable()
    assert after >= before - 20, f"None lost {before - after} references"
