"""The report's PDF painter: every text of the report on its pages, headers repeated, no line cut.

The layout tests place blocks on pages without writing a PDF and check where everything went;
the end-to-end tests print a played session and read the text back with pdftotext.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.report.helpers import ADJUDICATION_REASON, PREDICTION, SCRIPT_RATIONALE, play_mini
from wargame.report import load_replay
from wargame.report.blocks import Block, Heading, Paragraph, Span, Table, lines, plain
from wargame.store import Store
from wargame.ui.print_text import Fonts, TextBox
from wargame.ui.qt import QApplication, QPdfWriter
from wargame.ui.report_pdf import Band, Layout, Placed, write_report_pdf

PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext is not installed (Debian/Ubuntu: apt-get install poppler-utils)"
)
WIDTH, HEIGHT = 2000.0, 3000.0  # device pixels at 300 dpi: about an A4 body


@pytest.fixture(scope="module")
def fonts(qapp: QApplication, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fonts]:
    writer = QPdfWriter(str(tmp_path_factory.mktemp("fonts") / "unused.pdf"))
    writer.setResolution(300)
    yield Fonts(writer)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'report.sqlite3'}"


def pages_of(fonts: Fonts, blocks: list[Block]) -> list[list[Placed]]:
    return Layout(fonts, WIDTH, HEIGHT).lay_out(blocks)


def bottom(placed: Placed) -> float:
    _, y, height, _ = placed
    return y + height


def pieces_of(pages: list[list[Placed]], unit: object) -> list[Placed]:
    return [placed for page in pages for placed in page if placed[0] is unit]


def assert_every_line_shown_once(pieces: list[Placed]) -> None:
    """Each box's parts follow on from each other, end at a line's end, and cover all its lines."""
    unit = pieces[0][0]
    assert isinstance(unit, Band)
    for index, (_, box) in enumerate(unit.boxes):
        parts = [placed[3][index] for placed in pieces if placed[3] is not None]
        assert parts[0][0] == 0 and parts[-1][1] == box.height
        assert all(a[1] == b[0] for a, b in pairwise(parts))  # no gap, no repeat
        assert all(end in box.line_bottoms for _, end in parts if end)  # no line cut


def text_of(pdf: Path, page: int | None = None) -> str:
    assert PDFTOTEXT is not None
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        [PDFTOTEXT, "-layout", *pages, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_a_long_table_repeats_its_header_on_every_page_and_no_row_is_cut(fonts: Fonts) -> None:
    rows = [(plain(n), plain(f"row {n} " + "word " * (n % 40))) for n in range(400)]
    pages = pages_of(fonts, [Heading("Rows", 2), Table(("#", "Text"), rows, widths=(10, 90), numeric=(0,))])
    assert len(pages) > 3
    header = pages[0][1][0]
    for page in pages[1:]:
        assert page[0][0] is header  # the header row first on every following page
    placed_rows = [p for page in pages for p in page if isinstance(p[0], Band) and p[0] is not header][1:]
    assert len(placed_rows) == 400  # every row once, none split (each is far shorter than a page)
    assert all(part is None for _, _, _, part in placed_rows)
    assert all(bottom(p) <= HEIGHT + 0.01 for page in pages for p in page)


def test_a_cell_taller_than_a_page_is_split_between_its_lines_and_nothing_is_lost(fonts: Fonts) -> None:
    tall = lines(*(plain(f"line {n}") for n in range(300)))
    pages = pages_of(fonts, [Table(("#", "Text"), [(plain(1), tall)], widths=(10, 90))])
    pieces = [p for page in pages for p in page[1:]]  # after each page's header row
    assert len(pieces) == len(pages) > 1
    assert_every_line_shown_once(pieces)
    assert all(bottom(p) <= HEIGHT + 0.01 for page in pages for p in page)


def test_cells_with_lines_of_different_heights_split_without_losing_a_line(fonts: Fonts) -> None:
    """Small text beside plain text beside mixed styles: no end is shared by every cell's lines,
    so each cell's lines flow over the pages on their own."""
    small = lines(*(plain(f"small line {n}", "small") for n in range(400)))
    plain_text = lines(*(plain(f"plain line {n}") for n in range(300)))
    mixed = lines(*((Span(f"bold {n} ", "bold"), Span("code", "code")) for n in range(250)))
    table = Table(("A", "B", "C"), [(small, plain_text, mixed)], widths=(30, 30, 40))
    pages = pages_of(fonts, [Paragraph(plain("Before the table.")), table])
    row = pages[0][-1][0]
    pieces = pieces_of(pages, row)
    assert len(pieces) > 2
    assert_every_line_shown_once(pieces)
    assert all(bottom(p) <= HEIGHT + 0.01 for page in pages for p in page)
    first = pieces[0]
    assert bottom(first) > HEIGHT * 0.9  # the first page is filled, not cut early


def test_a_unit_that_fits_alone_at_the_top_of_a_page_is_placed_whole(fonts: Fonts) -> None:
    long_heading = Heading("A heading of many words " * 30, 2)
    pages = pages_of(
        fonts,
        [
            *(Heading(f"Heading {n}", 2) for n in range(60)),
            long_heading,
            Table(("#", "Text"), [(plain(1), plain("one"))], widths=(10, 90)),
        ],
    )
    for page in pages:
        for unit, _, height, part in page:
            assert part is None and height == unit.content + 2 * unit.pad
    assert len(pages) <= 4  # 60 headings fill about three pages (they once took a page each)


def test_a_table_header_taller_than_the_page_still_ends(fonts: Fonts) -> None:
    header = "a header of many words " * 60
    rows = [(plain(n), lines(*(plain(f"line {k}") for k in range(12)))) for n in range(3)]
    layout = Layout(fonts, WIDTH, 400.0)  # a page shorter than the header
    pages = layout.lay_out([Table(("#", header), rows, widths=(10, 90))])
    assert len(pages) < 100
    for row in {id(p[0]): p[0] for page in pages for p in page if p[0] is not pages[0][0][0]}.values():
        assert_every_line_shown_once(pieces_of(pages, row))


def test_a_line_break_survives_a_paragraph_style(fonts: Fonts) -> None:
    paragraph = Paragraph(lines(plain("first"), plain("second")), "muted")
    band = pages_of(fonts, [paragraph])[0][0][0]
    assert isinstance(band, Band)
    assert len(band.boxes[0][1].line_bottoms) == 2


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["heading", "text", "table"]), st.integers(1, 60)), max_size=40))
def test_a_heading_or_a_table_header_is_never_the_last_thing_on_a_page(
    fonts: Fonts, plan: list[tuple[str, int]]
) -> None:
    blocks: list[Block] = []
    for number, (kind, size) in enumerate(plan):
        if kind == "heading" and blocks[-3:] and all(isinstance(b, Heading) for b in blocks[-3:]):
            continue  # runs of up to three headings (a longer run flows as text does: see below)
        if kind == "heading":
            blocks.append(Heading(f"Heading {number}", 2 + number % 2))
        elif kind == "text":
            blocks.append(Paragraph(plain(" ".join(["text"] * size * 8))))
        else:
            rows = [(plain(n), plain("cell " * (n * 7 % 90))) for n in range(size)]
            blocks.append(Table(("#", "Text"), rows, widths=(10, 90)))
    pages = pages_of(fonts, blocks)
    for page in pages[:-1]:
        last = page[-1][0]
        assert isinstance(last, Band)
        assert not last.keep_with_next, "a heading was left at the foot of a page"
        assert not last.shade, "a table's header row was left at the foot of a page"
    assert all(bottom(p) <= HEIGHT + 0.01 for page in pages for p in page)


def test_numbers_never_wrap_and_a_long_word_does(fonts: Fonts) -> None:
    number = TextBox(fonts, plain("10030"), 9, 10_000)
    assert len(number.line_bottoms) == 1
    table = Table(("#", "Text"), [(plain("10030"), plain("x" * 400))], widths=(2, 98), numeric=(0,))
    row = pages_of(fonts, [table])[0][1][0]
    assert isinstance(row, Band)
    assert len(row.boxes[0][1].line_bottoms) == 1  # the narrow numeric column was widened
    assert len(row.boxes[1][1].line_bottoms) > 1  # a word wider than its column wraps anywhere


@needs_pdftotext
def test_the_printed_report_holds_the_report_text(qapp: QApplication, store: Store, tmp_path: Path) -> None:
    session_id = play_mini(store)
    replay = load_replay(store, session_id)
    pdf = tmp_path / "report.pdf"
    pages = write_report_pdf(replay, pdf)
    text = " ".join(text_of(pdf).split())
    for expected in (
        "After-action report — Mini crisis",
        replay.info.id,
        "Outcome: War",
        "Debrief questions",
        "What went wrong?",
        SCRIPT_RATIONALE,  # typed text printed as it was typed
        ADJUDICATION_REASON,
        PREDICTION,
        "They were lost.",
        "Turn 3 ended",
        "Escalation index",  # the chart's legend, drawn from its SVG
    ):
        assert expected in text, expected
    for page in range(1, pages + 1):
        assert f"page {page} of {pages}" in text_of(pdf, page)


@needs_pdftotext
def test_every_timeline_entry_is_printed_once(qapp: QApplication, store: Store, tmp_path: Path) -> None:
    session_id = play_mini(store)
    replay = load_replay(store, session_id)
    pdf = tmp_path / "report.pdf"
    write_report_pdf(replay, pdf)
    printed = text_of(pdf)
    for entry in replay.timeline():
        assert f"{entry.seq} " in printed
    assert printed.count("Session ended") == 1
