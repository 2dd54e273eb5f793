"""Print HTML to a PDF file with Qt's rich-text engine (no browser): A4, paginated, with a footer.

`write_pdf` needs a QGuiApplication for fonts; it makes one if none exists, choosing the
offscreen platform first when there is no display, so the command line works on a headless
machine. Lengths in the HTML (`px`) are 1/96 inch; fonts are in points.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

from wargame.errors import WargameError
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
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextTable,
    QTextTableCell,
)

BASE_FONT_PT = 11
FOOTER_FONT_PT = 8
MARGINS_MM = QMarginsF(16, 15, 16, 12)  # left, top, right, bottom
FOOTER_GAP_MM = 4
RESOLUTION_DPI = 300
KEEP_ROW_MAX = 0.45  # a table row shorter than this share of a page is never split across pages
MAX_GAP = 0.18  # ... unless moving it would leave more than this share of the page blank
MAX_PASSES = 400
CLIP_SLACK = 3  # device pixels
FONT_FAMILIES = ["DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "Helvetica"]
BEFORE = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
AFTER = QTextFormat.PageBreakFlag.PageBreak_AlwaysAfter
ADDED = QTextFormat.Property.UserProperty + 1  # marks the page breaks keep_together added

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
    ensure_gui_application()
    target = Path(path)
    _check_writable(target)

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
    footer_font = _font(FOOTER_FONT_PT)
    footer_height = _line_height(footer_font, writer) + FOOTER_GAP_MM * dots_per_mm
    body = QRectF(0, 0, paint.width(), paint.height() - footer_height)

    document = QTextDocument()
    document.documentLayout().setPaintDevice(writer)  # lay out in the writer's units
    document.setDefaultFont(_font(BASE_FONT_PT))
    document.setDocumentMargin(0)
    document.setPageSize(QSizeF(body.width(), body.height()))
    document.setHtml(html)
    keep_together(document)
    pages = max(1, document.pageCount())

    painter = QPainter()
    if not painter.begin(writer):
        raise WargameError(f"cannot write {target}: the PDF could not be started")
    try:
        for index in range(pages):
            if index:
                writer.newPage()
            _draw_page(painter, document, body, index)
            _draw_footer(
                painter, footer_font, body, footer_height, f"{title}  ·  page {index + 1} of {pages}"
            )
    finally:
        painter.end()
    if not target.is_file() or target.stat().st_size == 0:
        raise WargameError(f"cannot write {target}: nothing was written")
    return pages


def keep_together(document: QTextDocument) -> None:
    """Move short table rows that straddle a page boundary, and headings stranded at the foot of
    a page, to the next page (Qt splits rows line by line and has no keep-with-next). A row that
    would leave much of its page blank is left to split, unless it holds a table (a card).

    A straddling row moves by a page break after each cell of the row above it (that row then
    reaches the foot of the page, and Qt repeats the table header above the moved row), or by a
    page break before the whole table when it is the first row. One fix at a time, in document
    order, so that each fix sees the pages the earlier ones made.
    """
    height = document.pageSize().height()
    if height <= 0:
        return
    for _ in range(MAX_PASSES):
        document.pageCount()  # lay out
        fix = _first_problem(document, height)
        if fix is None:
            return
        fix()


def _first_problem(document: QTextDocument, height: float) -> Callable[[], None] | None:
    """A function that fixes the first problem in document order (None: no problem)."""
    layout = document.documentLayout()
    problems: list[tuple[float, Callable[[], None]]] = []
    block = document.begin()
    while block.isValid():
        if block.blockFormat().headingLevel() and not _has_break(block, BEFORE):
            top = layout.blockBoundingRect(block).top()
            if _stranded(document, block, height):
                problems.append((top, partial(_set_break, block, BEFORE)))
                break
        block = block.next()
    for table in _tables(document.rootFrame()):
        first = table.format().headerRowCount()
        for row in range(first, table.rows()):
            cells = _row_cells(table, row)
            if not cells:
                continue
            top = min(layout.blockBoundingRect(cell.firstCursorPosition().block()).top() for cell in cells)
            bottom = max(
                layout.blockBoundingRect(cell.lastCursorPosition().block()).bottom() for cell in cells
            )
            if bottom - top > KEEP_ROW_MAX * height or int(top // height) == int((bottom - 1) // height):
                continue
            gap = height - top % height  # what moving the row would leave blank
            if gap > MAX_GAP * height and not _holds_table(table, cells):
                continue  # a split row reads better than a big empty box; cards never split
            if row > first:
                above = [cell.lastCursorPosition().block() for cell in _row_cells(table, row - 1)]
                if any(_has_break(end, AFTER) for end in above):
                    continue
                problems.append((top, partial(_set_breaks, above, AFTER)))
            elif top % height > 0.05 * height and not table.format().pageBreakPolicy() & BEFORE:
                heading = _heading_before(document, table, height)
                if heading is not None:
                    problems.append((top, partial(_set_break, heading, BEFORE)))
                else:
                    problems.append((top, partial(_break_before_table, table)))
            else:
                continue
            break
    if not problems:
        return None
    return min(problems, key=lambda problem: problem[0])[1]


def _stranded(document: QTextDocument, heading: QTextBlock, height: float) -> bool:
    """A heading is stranded when the block after it starts on a later page, or when the block
    after that does (a short note between a heading and its table) without a forced page break."""
    layout = document.documentLayout()
    top = layout.blockBoundingRect(heading).top()
    if top % height < 0.05 * height:
        return False
    page = int(top // height)
    following = []
    block = heading.next()
    while block.isValid() and len(following) < 2:
        if block.text().strip():
            following.append(block)
        block = block.next()
    for index, block in enumerate(following):
        if int(layout.blockBoundingRect(block).top() // height) > page:
            return index == 0 or not _forced_break(document, block)
    return False


def _heading_before(document: QTextDocument, table: QTextTable, height: float) -> QTextBlock | None:
    """A heading right before `table` (at most one short block between them) on the same page."""
    layout = document.documentLayout()
    page = int(layout.blockBoundingRect(document.findBlock(table.firstPosition())).top() // height)
    block = document.findBlock(table.firstPosition()).previous()
    seen = 0
    while block.isValid() and seen < 2:
        if block.text().strip():
            if block.blockFormat().headingLevel():
                same_page = int(layout.blockBoundingRect(block).top() // height) == page
                return block if same_page and not _has_break(block, BEFORE) else None
            seen += 1
        block = block.previous()
    return None


def _forced_break(document: QTextDocument, block: QTextBlock) -> bool:
    """Whether the document starts a page at `block` on purpose (a break of its own, not one this
    module added, on the block or on a table the block opens)."""
    if _has_break(block, BEFORE) and not block.blockFormat().boolProperty(ADDED):
        return True
    frame = document.frameAt(block.position())
    while frame is not None and frame != document.rootFrame():
        fmt = frame.frameFormat()
        if (
            fmt.pageBreakPolicy() & BEFORE
            and not fmt.boolProperty(ADDED)
            and block.position() <= frame.firstPosition() + 1
        ):
            return True
        frame = frame.parentFrame()
    return False


def _holds_table(table: QTextTable, cells: list[QTextTableCell]) -> bool:
    """Whether one of `cells` (a row of `table`) holds a table of its own (a card, say)."""
    start = min(cell.firstPosition() for cell in cells)
    end = max(cell.lastPosition() for cell in cells)
    return any(
        isinstance(child, QTextTable) and start <= child.firstPosition() <= end
        for child in table.childFrames()
    )


def _row_cells(table: QTextTable, row: int) -> list[QTextTableCell]:
    cells = [table.cellAt(row, column) for column in range(table.columns())]
    return [cell for cell in cells if cell.isValid() and cell.row() == row]


def _has_break(block: QTextBlock, flag: QTextFormat.PageBreakFlag) -> bool:
    return bool(block.blockFormat().pageBreakPolicy() & flag)


def _set_break(block: QTextBlock, flag: QTextFormat.PageBreakFlag) -> None:
    fmt = block.blockFormat()
    fmt.setPageBreakPolicy(fmt.pageBreakPolicy() | flag)
    fmt.setProperty(ADDED, True)
    QTextCursor(block).setBlockFormat(fmt)


def _set_breaks(blocks: list[QTextBlock], flag: QTextFormat.PageBreakFlag) -> None:
    for block in blocks:
        _set_break(block, flag)


def _break_before_table(table: QTextTable) -> None:
    fmt = table.format()
    fmt.setPageBreakPolicy(fmt.pageBreakPolicy() | BEFORE)
    fmt.setProperty(ADDED, True)
    table.setFormat(fmt)


def _tables(frame: QTextFrame) -> list[QTextTable]:
    found: list[QTextTable] = []
    for child in frame.childFrames():
        if isinstance(child, QTextTable):
            found.append(child)
        found.extend(_tables(child))
    return found


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


def _font(points: float) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(points)
    return font


def _line_height(font: QFont, writer: QPdfWriter) -> float:
    return font.pointSizeF() * 1.4 * writer.resolution() / 72


def _draw_page(painter: QPainter, document: QTextDocument, body: QRectF, index: int) -> None:
    """Draw page `index` of the paginated document into `body` (QTextDocument.print's recipe)."""
    painter.save()
    painter.translate(body.left(), body.top() - index * body.height())
    # Qt paints a zero-height sliver of a table that starts the next page at the very foot of
    # this one; stopping the clip a hair (0.25 mm) short of the page foot keeps it off.
    view = QRectF(0, index * body.height(), body.width(), body.height() - CLIP_SLACK)
    painter.setClipRect(view)
    context = QAbstractTextDocumentLayout.PaintContext()
    context.clip = view
    context.palette.setColor(QPalette.ColorRole.Text, QColor("black"))
    document.documentLayout().draw(painter, context)
    painter.restore()


def _draw_footer(painter: QPainter, font: QFont, body: QRectF, height: float, text: str) -> None:
    painter.save()
    painter.setFont(font)
    painter.setPen(QColor("#666666"))
    area = QRectF(body.left(), body.bottom(), body.width(), height)
    painter.drawText(area, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom), text)
    painter.restore()
