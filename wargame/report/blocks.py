"""The after-action report as data: headings, paragraphs, lists, tables and the chart, in order.

`wargame.report.sections` says what the report holds; `html_report` writes these blocks as
HTML, and the PDF painter (`wargame.ui.report_pdf`) lays the same blocks out on pages itself,
which is far faster than Qt's rich text for a report of a thousand pages. Text here is plain
(never HTML): each writer escapes or draws it as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

# The styles a span may have, written as space-separated words (like CSS classes).
BOLD, ITALIC, CODE, SMALL, MUTED, TRUTH = "bold", "italic", "code", "small", "muted", "truth"


class Span(NamedTuple):
    """A run of text in one style ("" is plain; e.g. "small muted")."""

    text: str
    style: str = ""


LINE_BREAK = Span("", "break")  # a forced line break inside a paragraph or a cell

Cell = tuple[Span, ...]


class Heading(NamedTuple):
    text: str
    level: int  # 1 (the title), 2 (a section) or 3 (a sub-section)
    new_page: bool = False  # the heading starts a new page when printed


class Paragraph(NamedTuple):
    spans: Cell
    style: str = ""  # applies to every span (e.g. "small muted")


class ItemList(NamedTuple):
    items: tuple[Cell, ...]
    ordered: bool = True


class Table(NamedTuple):
    """Rows of cells under a header row; `widths` in percent of the page's width.

    With `label_column`, the table has no header row and the first cell of each row is a label
    (a two-column table of facts).
    """

    headers: tuple[str, ...]
    rows: Sequence[tuple[Cell, ...]]
    widths: tuple[int, ...]
    numeric: tuple[int, ...] = ()  # columns aligned right
    label_column: bool = False


class Chart(NamedTuple):
    """The escalation chart: an SVG document `width` × `height` CSS pixels."""

    svg: str
    width: int
    height: int
    description: str


Block = Heading | Paragraph | ItemList | Table | Chart


def plain(text: object, style: str = "") -> Cell:
    """A cell of one span."""
    return (Span(str(text), style),)


def restyled(cell: Cell, style: str) -> Cell:
    """The cell with `style` added to each of its spans (line breaks stay line breaks)."""
    if not style:
        return cell
    return tuple(
        span if span == LINE_BREAK else Span(span.text, f"{span.style} {style}".strip()) for span in cell
    )


def lines(*cells: Cell) -> Cell:
    """Cells joined by line breaks (empty cells left out)."""
    joined: list[Span] = []
    for cell in cells:
        if not cell:
            continue
        if joined:
            joined.append(LINE_BREAK)
        joined.extend(cell)
    return tuple(joined)
