"""`wargame deck brief` end to end: real PDFs, rendered back to images with pdftoppm and looked at.

The rendering tests need pdftoppm (Debian/Ubuntu: `apt-get install poppler-utils`) and are
skipped without it. The in-process tests request pytest-qt's `qapp`, so the PDF writer finds a
QApplication and does not make a QGuiApplication of its own that later widget tests would trip on.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.conftest import Cli, Result, cli_runner
from tests.conftest import MINI_DECK, REPO
from wargame.briefing import team_brief
from wargame.deck import Deck, resolve_deck
from wargame.ui.pdf import write_pdf
from wargame.ui.qt import QApplication, QImage, QTextDocument

BALTIC_ID = "baltic_drone_spillover_2026"
PDFTOPPM = shutil.which("pdftoppm")
needs_pdftoppm = pytest.mark.skipif(
    PDFTOPPM is None, reason="pdftoppm is not installed (Debian/Ubuntu: apt-get install poppler-utils)"
)
MIN_INK = 0.004  # share of non-white pixels on a page that is not blank


@pytest.fixture
def cli(qapp: QApplication, capsys: pytest.CaptureFixture[str]) -> Cli:
    return cli_runner(capsys)  # with a QApplication for the PDF writer to find


def render(pdf: Path, folder: Path) -> list[Path]:
    """Each page of `pdf` as a PNG at 50 dpi."""
    assert PDFTOPPM is not None
    folder.mkdir(exist_ok=True)
    subprocess.run([PDFTOPPM, "-r", "50", "-png", str(pdf), str(folder / "page")], check=True, timeout=120)
    return sorted(folder.glob("page-*.png"))


def ink(png: Path) -> float:
    """The share of a page image's pixels that are not white."""
    image = QImage(str(png)).convertToFormat(QImage.Format.Format_Grayscale8)
    assert not image.isNull(), png
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    data = bytes(image.constBits())
    dark = sum(
        sum(1 for value in data[row * stride : row * stride + width] if value < 200) for row in range(height)
    )
    return dark / (width * height)


def pages_written(run: Result, path: Path) -> int:
    match = re.fullmatch(rf"wrote {re.escape(str(path))} \((\d+) pages?\)\n", run.out)
    assert match, run.out
    return int(match.group(1))


@needs_pdftoppm
@pytest.mark.parametrize("deck_ref", [str(MINI_DECK), BALTIC_ID], ids=["mini", "baltic"])
def test_three_pdfs_render_and_no_page_is_blank(cli: Cli, tmp_path: Path, deck_ref: str) -> None:
    deck = resolve_deck(deck_ref).deck
    team = deck.teams[0].id
    jobs = {
        "team": (["--team", team], deck.turns.count + 1),  # at least the brief and one sheet a turn
        "cards": (["--cards"], 2),  # the cards, then the ground truths on a page of their own
        "guide": (["--facilitator"], 2),
    }
    for name, (flags, at_least) in jobs.items():
        pdf = tmp_path / f"{name}.pdf"
        run = cli("deck", "brief", deck_ref, *flags, "-o", pdf)
        assert (run.code, run.err) == (0, ""), run
        pages = pages_written(run, pdf)
        assert pages >= at_least, name
        assert pdf.read_bytes().startswith(b"%PDF-")
        images = render(pdf, tmp_path / name)
        assert len(images) == pages, name
        blank = [(image.name, round(ink(image), 4)) for image in images if ink(image) < MIN_INK]
        assert blank == [], f"{name}: blank pages {blank}"


@needs_pdftoppm
def test_a_grouping_brief(cli: Cli, tmp_path: Path, mini: Deck) -> None:
    pdf = tmp_path / "allies.pdf"
    run = cli("deck", "brief", MINI_DECK, "--team", "allies", "-o", pdf)
    assert run.code == 0, run
    assert len(render(pdf, tmp_path / "allies")) == pages_written(run, pdf) >= mini.turns.count + 1


def test_write_pdf_counts_pages_and_honours_page_breaks(qapp: QApplication, tmp_path: Path) -> None:
    html = "<p>one</p>" + '<div style="page-break-before: always;"></div><p>two</p>' * 2
    assert write_pdf(html, tmp_path / "breaks.pdf", "Breaks") == 3
    assert write_pdf("<p>x</p>", tmp_path / "one.pdf", "One") == 1


def test_escaped_deck_text_prints_as_text(qapp: QApplication, mini: Deck) -> None:
    deck = mini.model_copy(
        update={"teams": (mini.teams[0].model_copy(update={"briefing": "<script>alert(1)</script>"}),)}
    )
    document = QTextDocument()
    document.setHtml(team_brief(deck, "red"))
    assert "<script>alert(1)</script>" in document.toPlainText()


def test_unknown_team_is_one_line_and_exit_1(cli: Cli, tmp_path: Path) -> None:
    run = cli("deck", "brief", MINI_DECK, "--team", "purple", "-o", tmp_path / "x.pdf")
    assert run.code == 1
    assert run.err.count("\n") == 1 and "Traceback" not in run.err
    assert run.err.startswith("wargame: error: ")
    assert "teams: red, blue, green" in run.err and "groupings: allies" in run.err
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize(
    "flags",
    [[], ["--team", "red", "--cards"], ["--cards", "--facilitator"], ["--cards", "--no-such-flag"]],
    ids=["none", "team+cards", "cards+facilitator", "unknown-flag"],
)
def test_usage_errors_exit_2(cli: Cli, tmp_path: Path, flags: list[str]) -> None:
    run = cli("deck", "brief", MINI_DECK, *flags, "-o", tmp_path / "x.pdf")
    assert run.code == 2, run
    assert "usage:" in run.err


def test_output_is_required(cli: Cli) -> None:
    assert cli("deck", "brief", MINI_DECK, "--cards").code == 2


@pytest.mark.parametrize("where", ["missing-folder", "a-folder"])
def test_unwritable_output_is_one_line_and_exit_1(cli: Cli, tmp_path: Path, where: str) -> None:
    target = tmp_path / "missing" / "x.pdf" if where == "missing-folder" else tmp_path
    run = cli("deck", "brief", MINI_DECK, "--cards", "-o", target)
    assert run.code == 1
    assert run.out == ""
    assert run.err.count("\n") == 1 and "Traceback" not in run.err
    assert run.err.startswith(f"wargame: error: cannot write {target}")


def test_works_on_a_headless_machine(tmp_path: Path) -> None:
    """With no display and no QT_QPA_PLATFORM, the command picks the offscreen platform itself."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(REPO)
    pdf = tmp_path / "cards.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "wargame", "deck", "brief", str(MINI_DECK), "--cards", "-o", str(pdf)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {pdf} (")
    assert pdf.read_bytes().startswith(b"%PDF-")
