"""Page breaks of the PDF writer (wargame.ui.pagination): what each page shows of the one long layout.

The documents are small HTML pages laid out at 96 dpi (no paint device) on pages 300 px high.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from wargame.ui.pagination import Page, Slice, paginate
from wargame.ui.qt import QApplication, QSizeF, QTextBlock, QTextDocument, QTextTable

PAGE = 300.0
CSS = (
    "<style>table { border-collapse: collapse; } th, td { border: 1px solid #aaa; padding: 3px 6px; }</style>"
)
HEAD = "<thead><tr><th>a</th><th>b</th></tr></thead>"


@dataclass(frozen=True)
class Line:
    top: float
    bottom: float
    text: str


def laid_out(html: str, width: float = 400) -> QTextDocument:
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setPageSize(QSizeF(width, -1))
    document.setHtml(html)
    return document


def lines(document: QTextDocument) -> list[Line]:
    """Every text line of the document, tables included, in document coordinates."""
    found = []
    block = document.begin()
    while block.isValid():
        found.extend(block_lines(document, block))
        block = block.next()
    assert found and all(line.bottom > line.top for line in found)
    return found


def block_lines(document: QTextDocument, block: QTextBlock) -> list[Line]:
    layout = document.documentLayout()
    text_layout = block.layout()
    origin = layout.blockBoundingRect(block).top() - text_layout.boundingRect().top()
    found = []
    for index in range(text_layout.lineCount()):
        line = text_layout.lineAt(index)
        text = block.text()[line.textStart() : line.textStart() + line.textLength()].strip("\u2028 ")
        found.append(Line(origin + line.y(), origin + line.y() + line.height(), text))
    return [line for line in found if line.text.strip()]


def body(page: Page) -> Slice:
    return page.slices[-1]


def page_of(pages: list[Page], line: Line) -> int:
    """The page whose body shows `line` whole (fails if none or more than one does)."""
    showing = [
        index
        for index, page in enumerate(pages)
        if body(page).top <= line.top and line.bottom <= body(page).bottom
    ]
    assert len(showing) == 1, f"{line} is shown whole on pages {showing}"
    return showing[0]


def check_fits(pages: list[Page]) -> None:
    """No page shows more than fits on it."""
    for index, page in enumerate(pages):
        for piece in page.slices:
            assert piece.at + piece.bottom - piece.top <= PAGE + 1, f"page {index + 1} overflows"


def rows_table(count: int, lines_per_row: int, header: bool = True) -> str:
    cell = "<td>row {}" + "<br>more" * (lines_per_row - 1) + "</td><td>{}</td>"
    rows = "".join("<tr>" + cell.format(i, i) + "</tr>" for i in range(count))
    return f"<table width='100%' cellspacing='0'>{HEAD if header else ''}<tbody>{rows}</tbody></table>"


def test_every_line_is_on_exactly_one_page_and_pages_are_in_order(qapp: QApplication) -> None:
    paragraphs = "".join(f"<p>Paragraph {i} " + "word " * (i % 40) + "</p>" for i in range(60))
    document = laid_out(CSS + "<h1>Title</h1>" + paragraphs + rows_table(40, 2) + paragraphs)
    pages = paginate(document, PAGE)
    check_fits(pages)
    shown = [page_of(pages, line) for line in lines(document) if line.text not in ("a", "b")]
    assert shown == sorted(shown)  # in document order
    assert set(shown) == set(range(len(pages)))  # no page without text
    height = document.size().height()
    assert height / PAGE <= len(pages) <= 1.5 * height / PAGE + 1


def test_short_table_rows_never_straddle_a_page_and_the_header_repeats(qapp: QApplication) -> None:
    document = laid_out(CSS + "<h2>Heading</h2>" + rows_table(60, 3))
    pages = paginate(document, PAGE)
    check_fits(pages)
    table = next(frame for frame in document.rootFrame().childFrames() if isinstance(frame, QTextTable))
    layout = document.documentLayout()
    for row in range(1, table.rows()):
        blocks = [table.cellAt(row, column).firstCursorPosition().block() for column in range(2)]
        row_lines = [line for block in blocks for line in block_lines(document, block)]
        assert len({page_of(pages, line) for line in row_lines}) == 1, f"row {row} straddles a page"
    header = layout.blockBoundingRect(table.cellAt(0, 0).firstCursorPosition().block())
    assert len(pages) >= 5
    for page in pages[1:]:
        head = page.slices[0]
        assert len(page.slices) == 2 and head.top <= header.top() and header.bottom() <= head.bottom
        assert head.at < 1  # at the top of the page
        assert not page.rules  # no row was split, so no border was drawn by hand


def test_a_row_taller_than_the_page_is_split_between_lines_and_closed(qapp: QApplication) -> None:
    document = laid_out(CSS + "<p>intro</p>" + rows_table(3, 30))
    pages = paginate(document, PAGE)
    check_fits(pages)
    for line in lines(document):
        if line.text not in ("a", "b"):
            page_of(pages, line)  # whole on one page: no line is cut
    split = [page for page in pages if page.rules]
    assert len(split) >= 2  # the pages that end inside a row close its borders
    assert all(rule.colour == "#aaaaaa" and rule.right > rule.left for page in split for rule in page.rules)


def test_a_split_row_is_cut_where_no_cell_has_a_line_across(qapp: QApplication) -> None:
    small = "small" + "<br>small" * 40
    big = "<span style='font-size: 19pt;'>big" + "<br>big" * 14 + "</span>"
    row = f"<tr><td>{small}</td><td>{big}</td></tr>"
    document = laid_out(CSS + f"<p>intro</p><table cellspacing='0'>{row}</table>")
    pages = paginate(document, PAGE)
    assert len(pages) >= 3
    for line in lines(document):
        page_of(pages, line)  # the lines of both cells are whole on one page


def test_a_row_that_would_leave_a_big_gap_splits_but_a_card_moves_whole(qapp: QApplication) -> None:
    filler = "<p>filler</p>" * 8  # two thirds of the page: a row moved would leave a third blank
    split_row = rows_table(1, 8, header=False)  # 40 % of the page: too tall for the rest of it
    card = "<table><tr><td>card</td></tr></table>"
    card_row = (
        "<table width='100%' cellspacing='0'><tr><td>row 0"
        + "<br>more" * 7
        + f"</td><td>{card}</td></tr></table>"
    )
    for row_html, moves in ((split_row, False), (card_row, True)):
        document = laid_out(CSS + filler + row_html)
        pages = paginate(document, PAGE)
        row_lines = [line for line in lines(document) if line.text in ("row 0", "more", "card")]
        first_page = {page_of(pages, line) for line in row_lines}
        assert (first_page == {1}) is moves, row_html


def test_a_heading_is_never_left_at_the_foot_of_a_page(qapp: QApplication) -> None:
    sections = "".join(
        f"<h2>Section {i}</h2>" + (f"<p>note {i}</p>" if i % 2 else "") + rows_table(1 + i % 4, 4)
        for i in range(12)
    )
    document = laid_out(CSS + sections)
    pages = paginate(document, PAGE)
    all_lines = lines(document)
    headings = [index for index, line in enumerate(all_lines) if line.text.startswith("Section")]
    assert len(headings) == 12
    for index in headings:
        following = [line for line in all_lines[index + 1 :] if line.text not in ("a", "b", "")]
        nxt = following[0] if not following[0].text.startswith("note") else following[1]
        assert page_of(pages, all_lines[index]) == page_of(pages, nxt), all_lines[index].text


@pytest.mark.parametrize(
    ("html", "count"),
    [
        ("<p>one</p><div style='page-break-before: always;'></div><p>two</p>", 2),
        ("<p style='page-break-after: always;'>one</p><p>two</p><p>three</p>", 2),
        ("<p>one</p><table style='page-break-before: always;'><tr><td>two</td></tr></table>", 2),
        ("<p>one</p>", 1),
    ],
    ids=["before", "after", "table", "none"],
)
def test_page_breaks_in_the_document_are_kept(qapp: QApplication, html: str, count: int) -> None:
    document = laid_out(html)
    pages = paginate(document, PAGE)
    assert len(pages) == count
    assert [page_of(pages, line) for line in lines(document)][-1] == count - 1
