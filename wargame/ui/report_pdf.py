"""The after-action report printed as PDF: its blocks laid out and cut into A4 pages directly.

Qt's rich text needed 9 s for a 10,000-event session (parsing HTML, a general table layout with
collapsed borders, then drawing 1,165 pages through it). The report's shape is simple, so here
each block becomes bands: a heading, a paragraph, a list item or one table row is a band of text
boxes side by side. One pass places the bands on pages:

- a line is never cut by the page edge: a band that does not fit goes whole to the next page,
  unless it is taller than KEEP_WHOLE of a page; then each of its boxes (a row's cells, whose
  lines may differ in height) flows on over the pages between its own lines;
- a heading goes to the next page with the start of what follows it, never alone at the foot;
- a table that goes on over a page repeats its header row; a heading may start a new page.

A second pass draws the pages with their footers ("page n of m" needs the count first).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from wargame.report import Replay
from wargame.report.blocks import (
    BOLD,
    Block,
    Cell,
    Chart,
    Heading,
    ItemList,
    Paragraph,
    Span,
    Table,
    plain,
    restyled,
)
from wargame.report.sections import report_blocks, report_title
from wargame.ui.pdf import RESOLUTION_DPI, PageDrawer, PageSetup, print_pdf
from wargame.ui.print_text import Fonts, TextBox
from wargame.ui.qt import QColor, QPainter, QRectF, QtCore, QtGui, QtSvg

KEEP_WHOLE = 0.4  # a band taller than this share of a page may be split between its lines
MAX_LEAD = 0.8  # at most this share of a page is kept with a heading (the start of what follows)
POINT = RESOLUTION_DPI / 72  # device pixels per point at the PDF writer's resolution
BODY_PT, TABLE_PT = 10.0, 9.0
HEADINGS = {1: (18.0, 0.0, 4.0), 2: (13.0, 14.0, 5.0), 3: (11.0, 9.0, 3.0)}  # size, space before, after
PARAGRAPH_AFTER, TABLE_AFTER, ITEM_AFTER = 5.0, 9.0, 2.0  # points
CELL_PAD_X, CELL_PAD_Y = 4.0, 2.0  # points
LIST_INDENT = 20.0  # points
CHART_WIDTH_SHARE = 0.95  # of the page's width
BORDER, SHADE, RULE = "#aaaaaa", "#ececec", "#bbbbbb"


@dataclass
class Band:
    """Text boxes side by side (a table row, a paragraph, a heading, a list item).

    Lengths in the band's content run from 0 to `content`; each piece of a band placed on a page
    also gets `pad` above and below. `edges` are the x of a table row's vertical borders; `shade`
    the x ranges of its header cells.
    """

    boxes: list[tuple[float, TextBox]]
    pad: float = 0.0
    edges: tuple[float, ...] = ()
    shade: tuple[tuple[float, float], ...] = ()
    rule: bool = False
    keep_with_next: bool = False  # a heading: never the last band on its page
    space_before: float = 0.0
    space_after: float = 0.0
    new_page: bool = False
    content: float = field(init=False)

    def __post_init__(self) -> None:
        self.content = max((box.height for _, box in self.boxes), default=0.0)

    @property
    def whole(self) -> float:
        """The band's height placed whole: its content and its padding above and below."""
        return self.content + 2 * self.pad

    @property
    def splittable(self) -> bool:
        return True

    def fit(self, starts: Sequence[float], room: float) -> list[float]:
        """Where each box's lines stop when `room` is left below where they start (no line cut)."""
        return [max(start, box.cut(start + room)) for (_, box), start in zip(self.boxes, starts, strict=True)]

    def next_lines(self, starts: Sequence[float]) -> list[float]:
        """Each box's end after one more line (for a line taller than a whole page)."""
        return [box.next_bottom(start) for (_, box), start in zip(self.boxes, starts, strict=True)]

    def done(self, ends: Sequence[float]) -> bool:
        return all(end >= box.height for (_, box), end in zip(self.boxes, ends, strict=True))

    def draw(self, painter: QPainter, y: float, height: float, part: Part) -> None:
        bottom = y + height
        for left, right in self.shade:
            painter.fillRect(QRectF(left, y, right - left, height), QColor(SHADE))
        for index, (x, box) in enumerate(self.boxes):
            if part is None:
                box.draw(painter, x, y + self.pad)
            elif part[index][1] > part[index][0]:
                box.draw(painter, x, y + self.pad, *part[index])
        if self.edges:
            painter.setPen(QtGui.QPen(QColor(BORDER), 0.6 * POINT))
            left, right = self.edges[0], self.edges[-1]
            lines = [QtCore.QLineF(left, y, right, y), QtCore.QLineF(left, bottom, right, bottom)]
            lines.extend(QtCore.QLineF(x, y, x, bottom) for x in self.edges)
            painter.drawLines(lines)
        if self.rule:
            painter.setPen(QtGui.QPen(QColor(RULE), 0.6 * POINT))
            width = max(box.width for _, box in self.boxes)
            painter.drawLine(QtCore.QLineF(0, bottom, width, bottom))


@dataclass
class ChartBand:
    """The escalation chart, drawn from its SVG as vector graphics; never split."""

    svg: str
    width: float
    content: float
    space_before: float = 0.0
    space_after: float = 0.0
    new_page: bool = False
    pad: float = 0.0
    splittable: bool = False

    @property
    def whole(self) -> float:
        return self.content  # a chart has no padding

    def draw(self, painter: QPainter, y: float, height: float, part: Part) -> None:
        renderer = QtSvg.QSvgRenderer(QtCore.QByteArray(self.svg.encode("utf-8")))
        renderer.render(painter, QRectF(0, y, self.width, self.content))


Unit = Band | ChartBand
Part = tuple[tuple[float, float], ...] | None  # each box's lines shown (from, to); None: all of them
Placed = tuple[Unit, float, float, Part]  # the unit, its y on the page, its height there, its part


class Pager:
    """Places units one after another on pages of `height`, repeating a table's header row."""

    def __init__(self, height: float) -> None:
        self.height = height
        self.pages: list[list[Placed]] = [[]]
        self.y = 0.0
        self.top = 0.0  # where the page's own content starts (below a repeated header)
        self.header: Band | None = None

    @property
    def at_top(self) -> bool:
        return self.y <= self.top

    def new_page(self) -> None:
        self.pages.append([])
        self.y = self.top = 0.0
        if self.header is not None:
            self._put(self.header, self.header.whole, None)
            self.top = self.y

    def place(self, unit: Unit, lead: float = 0.0) -> None:
        """Place `unit`; `lead` is what must fit on the same page after it (keep with next)."""
        if unit.new_page and self.pages[-1]:
            self.new_page()
        whole = unit.whole
        while True:
            if not self.at_top:
                self.y += unit.space_before
            room = self.height - self.y
            with_lead = whole + (lead + unit.space_after if lead else 0.0)
            if with_lead <= room or (self.at_top and (whole <= room or not unit.splittable)):
                self._put(unit, whole, None)
                break
            tall = unit.content > KEEP_WHOLE * self.height
            if not self.at_top and (not tall or not unit.splittable or lead):
                self.new_page()
                continue
            assert isinstance(unit, Band)  # only bands split
            self._split(unit)
            break
        self.y += unit.space_after

    def _split(self, band: Band) -> None:
        """Place a band taller than the room left over pages; each box's lines flow on their own,
        as cells of one row may have lines of different heights."""
        starts = [0.0] * len(band.boxes)
        while True:
            ends = band.fit(starts, max(0.0, self.height - self.y - 2 * band.pad))
            if ends == starts:  # not one more line fits here
                if not self.at_top:
                    self.new_page()
                    continue
                ends = band.next_lines(starts)  # a line taller than a page: drawn past its foot
            height = max(end - start for start, end in zip(starts, ends, strict=True)) + 2 * band.pad
            self._put(band, height, tuple(zip(starts, ends, strict=True)))
            if band.done(ends):
                return
            self.new_page()
            starts = ends

    def _put(self, unit: Unit, height: float, part: Part) -> None:
        self.pages[-1].append((unit, self.y, height, part))
        self.y += height


class Layout:
    """Turns report blocks into units of the page's `width` and places them with a Pager."""

    def __init__(self, fonts: Fonts, width: float, height: float) -> None:
        self.fonts, self.width = fonts, width
        self.pager = Pager(height)

    def lay_out(self, blocks: Sequence[Block]) -> list[list[Placed]]:
        headings: list[Unit] = []  # headings wait for the start of what follows them
        for block in blocks:
            header, units = self._units(block)
            if units and isinstance(units[0], Band) and units[0].keep_with_next:
                headings.extend(units)
                continue
            start = (self._extent(header) if header else 0.0) + (self._extent(units[0]) if units else 0.0)
            self._place_headings(headings, start)
            headings = []
            if header is not None:
                self.pager.place(header, lead=self._extent(units[0]) if units else 0.0)
                self.pager.header = header
            for unit in units:
                self.pager.place(unit)
            self.pager.header = None
        self._place_headings(headings, 0.0)
        return self.pager.pages

    def _place_headings(self, headings: list[Unit], start: float) -> None:
        """Place headings so that each shares its page with the ones after it and `start` below.

        A run of headings taller than MAX_LEAD of a page cannot all stay together: its first ones
        are placed as text is (it once took a page for each).
        """
        leads, lead = [], start
        for heading in reversed(headings):
            leads.append(lead)
            lead += self._extent(heading) + heading.space_after
        for heading, after in zip(headings, reversed(leads), strict=True):
            self.pager.place(heading, lead=after if after <= MAX_LEAD * self.pager.height else 0.0)

    def _extent(self, unit: Unit) -> float:
        """The height `unit` needs on a page to start there (a tall one may be split)."""
        height = unit.whole
        if unit.splittable:
            height = min(height, KEEP_WHOLE * self.pager.height)
        return height + unit.space_before

    def _units(self, block: Block) -> tuple[Band | None, list[Unit]]:
        if isinstance(block, Heading):
            size, before, after = HEADINGS.get(block.level, HEADINGS[3])
            box = TextBox(self.fonts, (Span(block.text, BOLD),), size, self.width)
            band = Band(
                [(0.0, box)],
                pad=POINT,
                rule=block.level == 2,
                keep_with_next=True,
                space_before=before * POINT,
                space_after=after * POINT,
                new_page=block.new_page,
            )
            return None, [band]
        if isinstance(block, Paragraph):
            box = TextBox(self.fonts, restyled(block.spans, block.style), BODY_PT, self.width)
            return None, [Band([(0.0, box)], space_after=PARAGRAPH_AFTER * POINT)]
        if isinstance(block, ItemList):
            return None, [
                self._item(number, item, block.ordered) for number, item in enumerate(block.items, 1)
            ]
        if isinstance(block, Table):
            return self._table(block)
        return None, [self._chart(block)]

    def _item(self, number: int, item: Cell, ordered: bool) -> Band:
        indent = LIST_INDENT * POINT
        mark = TextBox(self.fonts, plain(f"{number}." if ordered else "•"), BODY_PT, indent * 0.7, right=True)
        text = TextBox(self.fonts, item, BODY_PT, self.width - indent)
        return Band([(0.0, mark), (indent, text)], space_after=ITEM_AFTER * POINT)

    def _table(self, table: Table) -> tuple[Band | None, list[Unit]]:
        edges = [0.0]
        for width in self._column_widths(table):
            edges.append(edges[-1] + width)
        numeric = set(table.numeric)
        header = None
        if not table.label_column:
            header = self._row(tuple(plain(h) for h in table.headers), edges, set(), shade=len(table.headers))
        labels = 1 if table.label_column else 0
        rows: list[Unit] = [self._row(row, edges, numeric, shade=labels) for row in table.rows]
        if rows:
            rows[-1].space_after = TABLE_AFTER * POINT
        elif header is not None:
            header.space_after = TABLE_AFTER * POINT
        return header, rows

    def _column_widths(self, table: Table) -> list[float]:
        """The table's widths on the page; a numeric column is widened to its longest number (taken
        from the widest other column), so that numbers never wrap."""
        total = sum(table.widths)
        widths = [self.width * share / total for share in table.widths]
        metrics = self.fonts.metrics(TABLE_PT)
        for column in table.numeric:
            longest = max(
                (cell[0].text for row in table.rows for cell in row[column : column + 1]), key=len, default=""
            )
            needed = metrics.horizontalAdvance(longest + "0") + 2 * CELL_PAD_X * POINT
            widest = max(range(len(widths)), key=lambda c: -1.0 if c in table.numeric else widths[c])
            extra = min(max(0.0, needed - widths[column]), widths[widest] / 2)  # never all of it
            widths[column] += extra
            widths[widest] -= extra
        return widths

    def _row(self, cells: tuple[Cell, ...], edges: list[float], numeric: set[int], shade: int = 0) -> Band:
        """A table row; its first `shade` cells are headers (grey, bold)."""
        pad_x = CELL_PAD_X * POINT
        boxes = []
        for column, cell in enumerate(cells):
            if column < shade:
                cell = restyled(cell, BOLD)
            width = edges[column + 1] - edges[column] - 2 * pad_x
            boxes.append(
                (edges[column] + pad_x, TextBox(self.fonts, cell, TABLE_PT, width, right=column in numeric))
            )
        shaded = ((edges[0], edges[shade]),) if shade else ()
        return Band(boxes, pad=CELL_PAD_Y * POINT, edges=tuple(edges), shade=shaded)

    def _chart(self, chart: Chart) -> ChartBand:
        width = self.width * CHART_WIDTH_SHARE
        return ChartBand(
            chart.svg, width, width * chart.height / chart.width, space_after=PARAGRAPH_AFTER * POINT
        )


def write_report_pdf(replay: Replay, path: str | os.PathLike[str]) -> int:
    """Write the report of `replay` as a PDF; returns the page count (WargameError if not writable)."""
    blocks = report_blocks(replay)
    return print_pdf(path, report_title(replay), partial(_lay_out_blocks, blocks))


def _lay_out_blocks(blocks: Sequence[Block], setup: PageSetup, painter: QPainter) -> list[PageDrawer]:
    pages = Layout(Fonts(setup.writer), setup.body.width(), setup.body.height()).lay_out(blocks)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return [partial(_draw_placed, placed=placed) for placed in pages]


def _draw_placed(painter: QPainter, placed: Sequence[Placed]) -> None:
    for unit, y, height, part in placed:
        unit.draw(painter, y, height, part)
