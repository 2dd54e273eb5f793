"""Print HTML to a PDF file with Qt's rich-text engine (no browser): A4, paginated, with a footer.

The document is laid out once as one long page and cut into pages by `wargame.ui.pagination`
(one pass, so the time grows with the length of the document); each page draws its slices of
that layout. `write_pdf` needs a QGuiApplication for fonts; it makes one if none exists, choosing
the offscreen platform first when there is no display, so the command line works on a headless
machine. Lengths in the HTML (`px`) are 1/96 inch; fonts are in points.
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import NamedTuple

from wargame.errors import WargameError
from wargame.ui.pagination import Page, paginate
from wargame.ui.qt import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QGuiApplication,
    QMarginsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QRectF,
    QSizeF,
    Qt,
    QTextDocument,
)

BASE_FONT_PT = 11
FOOTER_FONT_PT = 8
MARGINS_MM = QMarginsF(16, 15, 16, 12)  # left, top, right, bottom
FOOTER_GAP_MM = 4
RESOLUTION_DPI = 300
FONT_FAMILIES = ["DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "Helvetica"]

_app: QGuiApplication | None = None  # kept alive for the process when we made it


def ensure_gui_application() -> None:
    """Make a QGuiApplication unless one exists (the offscreen platform when there is no display)."""
    global _app
    if QGuiApplication.instance() is not None:
        return
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless and not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    _app = QGuiApplication(["wargame"])


def write_pdf(html: str, path: str | os.PathLike[str], title: str) -> int:
    """Lay `html` out on A4 pages and write them to `path`; returns the number of pages.

    Raises WargameError (one line) when the file cannot be written.
    """
    return print_pdf(path, title, lambda setup, _painter: _lay_out_html(html, setup))


class PageSetup(NamedTuple):
    """An A4 PDF being written: the writer, the body's rectangle on each page, and the footer's."""

    writer: QPdfWriter
    title: str
    body: QRectF
    footer_font: QFont
    footer_height: float


PageDrawer = Callable[[QPainter], None]


def print_pdf(
    path: str | os.PathLike[str], title: str, lay_out: Callable[[PageSetup, QPainter], Sequence[PageDrawer]]
) -> int:
    """Write an A4 PDF at `path`: `lay_out` gives a drawer of each page's body (it may set up the
    painter it is given); each page gets its footer. Returns the number of pages.

    Raises WargameError (one line) when the file cannot be written.
    """
    ensure_gui_application()
    target = Path(path)
    _check_writable(target)
    with _none_references_kept():
        setup = _page_setup(target, title)
        painter = QPainter()
        if not painter.begin(setup.writer):
            raise WargameError(f"cannot write {target}: the PDF could not be started")
        try:
            pages = lay_out(setup, painter)
            for index, draw_page in enumerate(pages):
                if index:
                    setup.writer.newPage()
                draw_page(painter)
                _draw_footer(painter, setup, index, len(pages))
        finally:
            painter.end()
    if not target.is_file() or target.stat().st_size == 0:
        raise WargameError(f"cannot write {target}: nothing was written")
    return len(pages)


def _page_setup(target: Path, title: str) -> PageSetup:
    writer = QPdfWriter(str(target))
    writer.setTitle(title)
    writer.setCreator("wargame")
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    dots_per_mm = RESOLUTION_DPI / 25.4
    paint = writer.pageLayout().paintRectPixels(RESOLUTION_DPI)
    footer_font = font_of(FOOTER_FONT_PT)
    footer_height = _line_height(footer_font, writer) + FOOTER_GAP_MM * dots_per_mm
    body = QRectF(0, 0, paint.width(), paint.height() - footer_height)
    return PageSetup(writer, title, body, footer_font, footer_height)


def _lay_out_html(html: str, setup: PageSetup) -> list[PageDrawer]:
    document = QTextDocument()
    document.documentLayout().setPaintDevice(setup.writer)  # lay out in the writer's units
    document.setDefaultFont(font_of(BASE_FONT_PT))
    document.setDocumentMargin(0)
    document.setPageSize(QSizeF(setup.body.width(), -1))  # one long page: paginate() cuts it
    document.setHtml(html)
    context = QAbstractTextDocumentLayout.PaintContext()
    context.palette.setColor(QPalette.ColorRole.Text, QColor("black"))
    return [
        partial(_draw_page, document=document, body=setup.body, page=page, context=context)
        for page in paginate(document, setup.body.height())
    ]


@contextmanager
def _none_references_kept() -> Iterator[None]:
    """Give back the references to None that PySide6 drops while printing.

    PySide6 6.12 on Python 3.11 takes one reference from None at every call of a Qt method that
    returns nothing (None is immortal from Python 3.12 on, so only 3.11 is hurt). A report of a
    thousand pages makes some 10,000 such calls: None's count falls to zero and the interpreter
    aborts ("deallocating None"), at the latest when it exits. The count is put back afterwards;
    the garbage collector waits meanwhile, so that what it frees is not counted as lost.
    """
    collecting = gc.isenabled()
    gc.disable()
    before = sys.getrefcount(None)
    try:
        yield
    finally:
        for _ in range(before - sys.getrefcount(None)):
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
        if collecting:
            gc.enable()


def _check_writable(target: Path) -> None:
    """Fail in one line before Qt tries (QPdfWriter only prints a warning on failure)."""
    if target.is_dir():
        raise WargameError(f"cannot write {target}: it is a folder")
    if not target.parent.is_dir():
        raise WargameError(f"cannot write {target}: no such folder {target.parent}")
    try:
        with target.open("ab"):
            pass
    except OSError as exc:
        raise WargameError(f"cannot write {target}: {exc.strerror or exc}") from None


def font_of(points: float) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(points)
    return font


def _line_height(font: QFont, writer: QPdfWriter) -> float:
    return font.pointSizeF() * 1.4 * writer.resolution() / 72


def _draw_page(
    painter: QPainter,
    document: QTextDocument,
    body: QRectF,
    page: Page,
    context: QAbstractTextDocumentLayout.PaintContext,
) -> None:
    """Draw the slices of the one long layout that `page` shows, and the borders it adds."""
    layout = document.documentLayout()
    for piece in page.slices:
        painter.save()
        painter.translate(body.left(), body.top() + piece.at - piece.top)
        view = QRectF(0, piece.top, body.width(), piece.bottom - piece.top)
        painter.setClipRect(view)
        context.clip = view
        layout.draw(painter, context)
        painter.restore()
    for rule in page.rules:
        area = QRectF(rule.left, rule.top, rule.right - rule.left, rule.bottom - rule.top)
        painter.fillRect(area.translated(body.left(), body.top()), QColor(rule.colour))


def _draw_footer(painter: QPainter, setup: PageSetup, index: int, count: int) -> None:
    """The page's footer: the title and "page n of m", right-aligned under the body."""
    painter.save()
    painter.setFont(setup.footer_font)
    painter.setPen(QColor("#666666"))
    area = QRectF(setup.body.left(), setup.body.bottom(), setup.body.width(), setup.footer_height)
    text = f"{setup.title}  ·  page {index + 1} of {count}"
    painter.drawText(area, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom), text)
    painter.restore()
