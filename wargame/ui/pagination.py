"""Page breaks for a QTextDocument laid out once as one long page, in one pass.

Qt's own pagination splits table rows line by line and has no keep-with-next; fixing that by
adding page breaks and laying the document out again after each one took time growing with the
square of the document (2,000 events: 142 s). Here the document is laid out once with no page
height, and one walk over its top-level blocks and table rows cuts it into page slices:

- a text line is never cut; a table row shorter than KEEP_ROW_MAX of a page moves whole to the
  next page, unless that would leave more than MAX_GAP of the page blank and the row holds no
  table (a card);
- a heading moves to the next page with the first line or row of what follows it (and of the
  item after a short note), so it is never stranded at the foot of a page;
- a table that goes on over a page repeats its header rows; a row split by the page is closed
  with its border at the foot and reopened below the header (the `Rule`s the page draws);
- page breaks in the document (`page-break-before/after: always`) are kept.

Lengths are in the document's units (device pixels of the layout's paint device).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from wargame.ui.qt import (
    QAbstractTextDocumentLayout,
    QGuiApplication,
    Qt,
    QTextBlock,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextTable,
    QTextTableCell,
    QtGui,
)

KEEP_ROW_MAX = 0.45  # a table row shorter than this share of a page is never split across pages
MAX_GAP = 0.18  # ... unless moving it would leave more than this share of the page blank
NEAR_TOP = 0.05  # an item this close to the top of its page is never moved to the next
SHORT_NOTE = 0.15  # a block this short between a heading and what follows stays with both
BEFORE = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
AFTER = QTextFormat.PageBreakFlag.PageBreak_AlwaysAfter
CSS_DPI = 96  # Qt's rich text lengths (padding, borders) are in 1/96 inch on most screens
PROPORTIONAL = QtGui.QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
TOP_PADDING = QTextFormat.Property.TableCellTopPadding
BOTTOM_PADDING = QTextFormat.Property.TableCellBottomPadding
LEFT_PADDING = QTextFormat.Property.TableCellLeftPadding
RIGHT_PADDING = QTextFormat.Property.TableCellRightPadding
TOP_BORDER = QTextFormat.Property.TableCellTopBorder
BOTTOM_BORDER = QTextFormat.Property.TableCellBottomBorder
LEFT_BORDER = QTextFormat.Property.TableCellLeftBorder
RIGHT_BORDER = QTextFormat.Property.TableCellRightBorder


@dataclass(frozen=True)
class Slice:
    """The document from y `top` to `bottom` (exclusive), drawn at y `at` of the page."""

    top: float
    bottom: float
    at: float


@dataclass(frozen=True)
class Rule:
    """A filled rectangle in page coordinates: a border of a table row split by the page."""

    left: float
    top: float
    right: float
    bottom: float
    colour: str


@dataclass
class Page:
    """What one page shows: the repeated table header first (if any), then the body."""

    slices: list[Slice] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)


@dataclass(frozen=True)
class _Edges:
    """Padding and border around the content of a table row, in document units."""

    top: float  # padding + border above the content
    bottom: float  # padding + border below the content
    padding_top: float
    padding_bottom: float
    border_top: float
    border_bottom: float
    colour: str


def paginate(document: QTextDocument, height: float) -> list[Page]:
    """Cut `document` (laid out with no page height) into pages `height` high."""
    if height <= 0:
        raise ValueError("the page height must be positive")
    document.size()  # lay out
    return _Paginator(document, height).run()


class _Rows:
    """Geometry of the rows of one table, read from the layout when first asked for."""

    def __init__(self, layout: QAbstractTextDocumentLayout, table: QTextTable, scale: float) -> None:
        self.layout = layout
        self.table = table
        self.scale = scale
        self.count = table.rows()
        self.columns = table.columns()
        fmt = table.format()
        self.headers = min(fmt.headerRowCount(), self.count - 1) if self.count > 1 else 0
        self.collapse = fmt.borderCollapse()
        self.table_format = fmt
        self.break_before = bool(fmt.pageBreakPolicy() & BEFORE)
        self.break_after = bool(fmt.pageBreakPolicy() & AFTER)
        self.with_tables = {table.cellAt(child.firstPosition()).row() for child in table.childFrames()}
        self._content: dict[int, tuple[float, float]] = {}
        self._edges: dict[int, _Edges] = {}

    def cells(self, row: int) -> list[QTextTableCell]:
        """The cells that start in `row` (a cell spanning rows belongs to its first)."""
        found = []
        for column in range(self.columns):
            cell = self.table.cellAt(row, column)
            if cell.isValid() and cell.row() == row and cell.column() == column:
                found.append(cell)
        return found

    def first_top(self, row: int) -> float | None:
        """The top of the content of `row`'s first cell: never above where the row starts, so
        when it is on the page every row above ends on the page (a cheap test, no cell format)."""
        for column in range(self.columns):
            cell = self.table.cellAt(row, column)
            if cell.isValid() and cell.row() == row:
                return self.layout.blockBoundingRect(cell.firstCursorPosition().block()).top()
        return None

    def content(self, row: int) -> tuple[float, float]:
        """The top and bottom of the contents of `row`'s cells (no padding, no border)."""
        known = self._content.get(row)
        if known is not None:
            return known
        top, bottom = float("inf"), float("-inf")
        for cell in self.cells(row):
            top = min(top, self.layout.blockBoundingRect(cell.firstCursorPosition().block()).top())
            bottom = max(bottom, _block_bottom(self.layout, cell.lastCursorPosition().block()))
        if top > bottom:  # every cell is the rest of a cell spanning rows above: no height of its own
            above = self.content(row - 1)[1] if row else 0.0
            top = bottom = above
        self._content[row] = (top, bottom)
        return top, bottom

    def edges(self, row: int) -> _Edges:
        known = self._edges.get(row)
        if known is not None:
            return known
        cells = self.cells(row)
        fmt = cells[0].format().toTableCellFormat() if cells else QtGui.QTextTableCellFormat()
        table = self.table_format
        spacing = 0.0 if self.collapse else table.cellSpacing() / 2
        padding, border = table.cellPadding(), table.border()
        padding_top = self.length(fmt, TOP_PADDING, padding)
        padding_bottom = self.length(fmt, BOTTOM_PADDING, padding)
        if self.collapse:
            border_top = self.length(fmt, TOP_BORDER, border)
            border_bottom = self.length(fmt, BOTTOM_BORDER, border)
            brush = fmt.bottomBorderBrush()
            if brush.style() == Qt.BrushStyle.NoBrush:
                brush = table.borderBrush()
            colour = brush.color().name()
        else:  # each cell has a border of its own and the spacing between cells; rules are not drawn
            border_top = border_bottom = border * self.scale
            colour = ""
        edges = _Edges(
            top=padding_top + border_top + spacing * self.scale,
            bottom=padding_bottom + border_bottom + spacing * self.scale,
            padding_top=padding_top,
            padding_bottom=padding_bottom,
            border_top=border_top if self.collapse else 0.0,
            border_bottom=border_bottom if self.collapse else 0.0,
            colour=colour,
        )
        self._edges[row] = edges
        return edges

    def box(self, row: int) -> tuple[float, float]:
        """`row` with its padding and borders: from the top of the line above it to the bottom
        of the line below it (with separate borders, to the middle of the spacing). The bottom
        is read from where the next row starts when there is one: that is exact."""
        top, bottom = self.content(row)
        box_top = top - self.edges(row).top
        if row + 1 < self.count:
            below = self.content(row + 1)[0] - self.edges(row + 1).top
            return box_top, below + (self.edges(row + 1).border_top if self.collapse else 0.0)
        return box_top, bottom + self.edges(row).bottom

    def columns_x(self, row: int) -> list[tuple[float, float, float, float]]:
        """For each cell of `row`: the outer left, inner left, inner right and outer right x of
        its borders (the inner ones are where the padding starts)."""
        found = []
        padding, border = self.table_format.cellPadding(), self.table_format.border()
        for cell in self.cells(row):
            fmt = cell.format().toTableCellFormat()
            rect = self.layout.blockBoundingRect(cell.firstCursorPosition().block())
            inner_left = rect.left() - self.length(fmt, LEFT_PADDING, padding)
            inner_right = rect.right() + self.length(fmt, RIGHT_PADDING, padding)
            outer_left = inner_left - self.length(fmt, LEFT_BORDER, border)
            outer_right = inner_right + self.length(fmt, RIGHT_BORDER, border)
            found.append((outer_left, inner_left, inner_right, outer_right))
        return found

    def length(self, fmt: QtGui.QTextTableCellFormat, prop: QTextFormat.Property, fallback: float) -> float:
        """A padding or border of a cell (the table's when the cell sets none), in document units."""
        return (fmt.doubleProperty(prop) if fmt.hasProperty(prop) else fallback) * self.scale

    def lines(self, row: int) -> list[tuple[float, float]]:
        """The top and bottom of every text line in `row`'s cells (tables inside them included)."""
        found: list[tuple[float, float]] = []
        for cell in self.cells(row):
            block = cell.firstCursorPosition().block()
            last = cell.lastPosition()
            while block.isValid() and block.position() <= last:
                found.extend(_block_lines(self.layout, block))
                block = block.next()
        return found

    def keep(self, row: int, limit: float, page: float) -> bool:
        """Whether `row` moves whole to the next page rather than being split at `limit`."""
        top, bottom = self.box(row)
        if bottom - top > KEEP_ROW_MAX * page:
            return False
        return limit - top <= MAX_GAP * page or row in self.with_tables


def _css_scale(device: QtGui.QPaintDevice | None) -> float:
    """Device pixels per CSS pixel, as Qt's layout reckons them: the paint device's dpi over the
    default one (96, or the primary screen's logical dpi unless Qt.AA_Use96Dpi is set)."""
    if device is None:
        return 1.0
    screen = QGuiApplication.primaryScreen()
    if QGuiApplication.testAttribute(Qt.ApplicationAttribute.AA_Use96Dpi) or screen is None:
        default = CSS_DPI
    else:
        default = round(screen.logicalDotsPerInchY())
    return device.logicalDpiY() / default


def _block_bottom(layout: QAbstractTextDocumentLayout, block: QTextBlock) -> float:
    """Where `block` ends: blockBoundingRect stops at its last line's own height, but with a
    proportional line height (CSS line-height: 1.4) the layout gives that line more room."""
    rect = layout.blockBoundingRect(block)
    fmt = block.blockFormat()
    text_layout = block.layout()
    count = text_layout.lineCount()
    if not count or fmt.lineHeightType() != PROPORTIONAL:
        return rect.bottom()
    last = text_layout.lineAt(count - 1)
    extra = last.height() * (fmt.lineHeight() / 100 - 1)
    return rect.bottom() + max(0.0, extra)


def _block_lines(layout: QAbstractTextDocumentLayout, block: QTextBlock) -> list[tuple[float, float]]:
    """The top and bottom of each line of `block` in document coordinates."""
    text_layout = block.layout()
    count = text_layout.lineCount()
    if not count:
        return []
    origin = layout.blockBoundingRect(block).top() - text_layout.boundingRect().top()
    lines = []
    for index in range(count):
        line = text_layout.lineAt(index)
        top = origin + line.y()
        lines.append((top, top + line.height()))
    return lines


@dataclass
class _Item:
    """A top-level block or table, in document order."""

    top: float  # where a page that starts with this item starts
    bottom: float
    break_before: bool
    break_after: bool
    heading: bool = False
    block: QTextBlock | None = None
    rows: _Rows | None = None
    frame: QTextFrame | None = None  # a frame that is not a table: kept whole when it fits


class _Paginator:
    def __init__(self, document: QTextDocument, height: float) -> None:
        self.document = document
        self.layout = document.documentLayout()
        self.height = height
        self.scale = _css_scale(self.layout.paintDevice())
        self.pages: list[Page] = []
        self.page = Page()
        self.top = 0.0  # the document y where the body of the current page starts
        self.at = 0.0  # ... and the page y it is drawn at (below a repeated table header)
        self.head: Slice | None = None
        self.placed = False  # whether the current page shows anything yet
        self.last_bottom = 0.0

    @property
    def limit(self) -> float:
        """The document y where the current page is full."""
        return self.top + self.height - self.at

    def run(self) -> list[Page]:
        items = self._items()
        pending_break = False
        for index, item in enumerate(items):
            if item.block is not None and not item.block.text():
                pending_break = pending_break or item.break_before or item.break_after
                continue  # an empty block: Qt hides it before and after tables
            if (item.break_before or pending_break) and self.placed:
                self._cut_before(item)
            pending_break = False
            if item.heading:
                self._keep_with_next(items, index)
            if item.rows is not None:
                self._place_table(item, item.rows)
            else:
                self._place_block(item)
            self.placed = True
            self.last_bottom = max(self.last_bottom, item.bottom)
            pending_break = item.break_after
        self._close(max(self.last_bottom, self.document.size().height()))
        return self.pages

    # --- items ------------------------------------------------------------------------------

    def _items(self) -> list[_Item]:
        items = []
        it = self.document.rootFrame().begin()
        while not it.atEnd():
            frame = it.currentFrame()
            if isinstance(frame, QTextTable):
                rows = _Rows(self.layout, frame, self.scale)
                if rows.count:
                    top = rows.box(0)[0]
                    bottom = rows.box(rows.count - 1)[1]
                    items.append(_Item(top, bottom, rows.break_before, rows.break_after, rows=rows))
            elif frame is not None:
                rect = self.layout.frameBoundingRect(frame)
                policy = frame.frameFormat().pageBreakPolicy()
                items.append(
                    _Item(rect.top(), rect.bottom(), bool(policy & BEFORE), bool(policy & AFTER), frame=frame)
                )
            else:
                block = it.currentBlock()
                fmt = block.blockFormat()
                policy = fmt.pageBreakPolicy()
                items.append(
                    _Item(
                        self.layout.blockBoundingRect(block).top(),
                        _block_bottom(self.layout, block),
                        bool(policy & BEFORE),
                        bool(policy & AFTER),
                        heading=fmt.headingLevel() > 0,
                        block=block,
                    )
                )
            it += 1
        return items

    def _first_bottom(self, item: _Item) -> float:
        """Where the first piece of `item` that may not be split ends: its first line, or a table's
        header rows and first row (only its first line if that row may split)."""
        if item.rows is not None:
            rows = item.rows
            first = rows.headers
            if rows.keep(first, self.limit, self.height):
                return rows.box(first)[1]
            lines = rows.lines(first)
            return min((bottom for _, bottom in lines), default=rows.box(first)[1]) + rows.edges(first).bottom
        if item.block is not None:
            lines = _block_lines(self.layout, item.block)
            return lines[0][1] if lines else item.bottom
        return item.bottom

    def _keep_with_next(self, items: list[_Item], index: int) -> None:
        """Move the heading `items[index]` to the next page unless what follows it starts on this one."""
        heading = items[index]
        if heading.top - self.top <= NEAR_TOP * self.height:
            return
        group_bottom = self._group_bottom(items, index)
        if group_bottom > self.limit and group_bottom - heading.top <= self.height:
            self._cut_before(heading)

    def _group_bottom(self, items: list[_Item], index: int) -> float:
        """Where the heading `items[index]` and what must stay with it end: the first piece of the
        next item (through a heading that follows, and past a short note to the item after it)."""
        following = [
            position
            for position in range(index + 1, min(len(items), index + 8))
            if (block := items[position].block) is None or block.text()
        ]
        if not following:
            return items[index].bottom
        nxt = items[following[0]]
        if nxt.heading:
            return self._group_bottom(items, following[0])
        if (
            len(following) > 1
            and nxt.block is not None
            and nxt.bottom - nxt.top <= SHORT_NOTE * self.height
            and not nxt.break_after
            and not items[following[1]].break_before
        ):
            return self._first_bottom(items[following[1]])
        return self._first_bottom(nxt)

    # --- placing ----------------------------------------------------------------------------

    def _place_block(self, item: _Item) -> None:
        if item.bottom <= self.limit:
            return
        if item.block is None:  # a frame that is not a table: whole on the next page, or cut
            if item.top > self.top and item.bottom - item.top <= self.height:
                self._cut_before(item)
            while item.bottom > self.limit:
                self._cut(self.limit, self.limit)
            return
        for top, bottom in _block_lines(self.layout, item.block):
            while bottom > self.limit:
                if top > self.top:
                    self._cut(top, top)
                else:  # a line taller than the page: cut through it
                    self._cut(self.limit, self.limit)

    def _place_table(self, item: _Item, rows: _Rows) -> None:
        first = rows.headers
        if (
            self._first_bottom(item) > self.limit
            and item.top - self.top > NEAR_TOP * self.height
            and self.placed
        ):
            self._cut_before(item)
        row = first
        while row < rows.count:
            if row + 1 < rows.count:
                following = rows.first_top(row + 1)
                if following is not None and following <= self.limit:
                    row += 1  # the next row starts on this page, so this one ends on it
                    continue
            top, bottom = rows.box(row)
            if bottom <= self.limit:
                row += 1
                continue
            starts_page = top <= self.top + 1
            if row > first and not starts_page and rows.keep(row, self.limit, self.height):
                self._cut_between_rows(rows, row)
                continue
            split = self._split_point(rows, row)
            if split is None:
                if row > first and not starts_page:
                    self._cut_between_rows(rows, row)
                    continue
                split = max(self.limit - rows.edges(row).bottom, self.top + 1)  # cut through a line
            self._cut_in_row(rows, row, split)

    def _split_point(self, rows: _Rows, row: int) -> float | None:
        """The lowest y on this page where no text line of `row` is cut (None: none below its top)."""
        limit = self.limit - rows.edges(row).bottom
        lines = rows.lines(row)
        content_top = max(rows.content(row)[0], self.top)
        candidates = sorted({top for top, _ in lines if content_top < top <= limit}, reverse=True)
        for y in candidates:
            if not any(top < y < bottom for top, bottom in lines):
                return y
        return None

    # --- cutting ----------------------------------------------------------------------------

    def _header(self, rows: _Rows) -> Slice | None:
        """The header rows of `rows` to repeat at the top of a page (None: none, or too tall)."""
        if not rows.headers:
            return None
        top = rows.box(0)[0]
        bottom = rows.box(rows.headers - 1)[1]
        if bottom - top > KEEP_ROW_MAX * self.height:
            return None
        return Slice(top, bottom, top - math.floor(top))  # drawn a whole number of pixels up

    def _cut_before(self, item: _Item) -> None:
        """End the page before `item`; the next page starts with it (after its top margin)."""
        top = item.top
        if item.block is not None:
            margin = item.block.blockFormat().topMargin() * self.scale
            top = max(self.last_bottom, top - margin)
        if top <= self.top:
            return
        self._cut(top, top)

    def _cut_between_rows(self, rows: _Rows, row: int) -> None:
        """End the page after row `row - 1`; the next starts with the header rows, then `row`."""
        line_top = rows.box(row)[0]
        end = rows.box(row - 1)[1]
        head = self._header(rows)
        if head is None:
            self._cut(end, line_top)
        else:  # the line above the row lies on the line below the header
            below_head = head.at + head.bottom - head.top
            self._cut(end, line_top, below_head - rows.edges(row).border_top, head)

    def _cut_in_row(self, rows: _Rows, row: int, y: float) -> None:
        """End the page at `y` inside row `row`, closing its cells with their borders, and go on
        with the rest of the row on the next page, below the header rows (or reopened)."""
        edges = rows.edges(row)
        colour = edges.colour
        ruled = bool(colour) and edges.border_bottom > 0
        columns = [tuple(math.floor(x) for x in cell) for cell in rows.columns_x(row)] if ruled else []
        top = math.floor(y) + self.at - self.top  # page y (the shift is a whole number)
        foot = top + round(edges.padding_bottom)
        line = max(1, round(edges.border_bottom))
        for outer_left, inner_left, inner_right, outer_right in columns:
            self.page.rules.append(Rule(outer_left, top, inner_left, foot, colour))
            self.page.rules.append(Rule(inner_right, top, outer_right, foot, colour))
            self.page.rules.append(Rule(outer_left, foot, outer_right, foot + line, colour))
        head = self._header(rows)
        top_line = head.at + head.bottom - head.top if head is not None else max(1, round(edges.border_top))
        self._cut(y, y, top_line + edges.padding_top, head)
        for outer_left, inner_left, inner_right, outer_right in columns:
            if head is None:
                self.page.rules.append(Rule(outer_left, 0.0, outer_right, top_line, colour))
            self.page.rules.append(Rule(outer_left, top_line, inner_left, self.at, colour))
            self.page.rules.append(Rule(inner_right, top_line, outer_right, self.at, colour))

    def _cut(self, end: float, next_top: float, at: float = 0.0, head: Slice | None = None) -> None:
        """End the current page at document y `end`; the next page draws from `next_top` on,
        at about page y `at` (below `head`, a repeated table header): moved by a whole number of
        pixels, so that Qt's table lines, drawn on whole pixels, stay sharp and meet the rules."""
        self._close(end)
        self.top, self.at, self.head = next_top, next_top + round(at - next_top), head
        self.placed = False

    def _close(self, end: float) -> None:
        """End the current page at document y `end` (what lies below the page is only the
        blank margin above the item that starts the next one)."""
        if self.head is not None:
            self.page.slices.append(self.head)
        self.page.slices.append(Slice(self.top, max(min(end, self.limit), self.top), self.at))
        self.pages.append(self.page)
        self.page = Page()
