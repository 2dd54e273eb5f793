"""The report's PDF painter: every text of the report on its pages, headers repeated, no line cut.

The layout tests place blocks on pages without writing a PDF and check where everything went;
the end-to-end tests print a played session and read the text back with pdftotext.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.report.helpers import ADJUDICATION_REASON, PREDICTION, SCRIPT_RATIONALE, play_mini
from wargame.report import load_replay
from wargame.report.blocks import Block, Heading, Paragraph, Table, lines, plain
from wargame.store import Store
from wargame.ui.print_text import Fonts, TextBox
from wargame.ui.qt import QApplication, QPdfWriter
from wargame.ui.report_pdf import Band, Layout, Placed
from wargame.ui.review_pdf import write_report_pdf

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
    unit, y, start, end = placed
    return y + end - start + 2 * unit.pad


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
    assert all(start == 0 and end == unit.content for unit, _, start, end in placed_rows)
    assert all(bottom(p) <= HEIGHT + 0.01 for page in pages for p in page)


def test_a_cell_taller_than_a_page_is_split_between_its_lines_and_nothing_is_lost(fonts: Fonts) -> None:
    tall = lines(*(plain(f"line {n}") for n in range(300)))
    pages = pages_of(fonts, [Table(("#", "Text"), [(plain(1), tall)], widths=(10, 90))])
    pieces = [p for page in pages for p in page[1:]]  # after each page's header row
    assert len(pieces) == len(pages) > 1
    unit = pieces[0][0]
    box = unit.boxes[1][1]
    assert [p[2] for p in pieces[1:]] == [p[3] for p in pieces[:-1]]  # contiguous pieces
    assert pieces[0][2] == 0 and pieces[-1][3] == unit.content
    for _, _, _, end in pieces[:-1]:
        assert end in box.line_bottoms  # every cut falls between two lines
    assert all(bottom(p) <= HEIGHT + 0.01 for page in pages for p in page)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["heading", "text", "table"]), st.integers(1, 60)), max_size=40))
def test_a_heading_or_a_table_header_is_never_the_last_thing_on_a_page(
    fonts: Fonts, plan: list[tuple[str, int]]
) -> None:
    blocks: list[Block] = []
    for number, (kind, size) in enumerate(plan):
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
