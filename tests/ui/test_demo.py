"""`wargame demo` plays a scripted session through the real windows and saves every main screen."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from wargame.cli import main
from wargame.ui.demo import plugin_notices_dropped
from wargame.ui.qt import QtCore, QtGui


def run_wargame(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m wargame ARGS` in a subprocess, offscreen, with this checkout's package."""
    return subprocess.run(
        [sys.executable, "-m", "wargame", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)},
        timeout=timeout,
        check=False,
    )


def _shared(name: str) -> tuple[str, str]:
    """The shared screen saved at both sizes."""
    return f"shared-1920-{name}", f"shared-1280-{name}"


EXPECTED = (
    "start-page",
    "wizard-deck",
    "wizard-class",
    "wizard-teams",
    "wizard-timing",
    "wizard-summary",
    "turn1-inject",
    *_shared("turn1-inject"),
    "turn1-deliberation",
    *_shared("turn1-deliberation"),
    "turn1-moves",
    *_shared("turn1-moves"),
    *_shared("turn1-team-entry"),
    "move-dialog",
    "turn1-moves-submitted",
    *_shared("turn1-moves-submitted"),
    "turn1-reveal",
    *_shared("turn1-reveal"),
    "turn1-adjudication",
    *_shared("turn1-adjudication"),
    "adjudication-dialog",
    "turn1-adjudicated",
    "turn1-scoring",
    *_shared("turn1-scoring"),
    "outcome",
    *_shared("outcome"),
)
SHARED_SIZES = {"1920": (1920, 1080), "1280": (1280, 720)}


def test_demo_saves_every_main_screen(tmp_path: Path) -> None:
    out = tmp_path / "shots"
    result = run_wargame("demo", "--out", str(out), "--turns", "2", timeout=120)
    assert result.returncode == 0, result.stderr
    names = [path.stem.split("-", 1)[1] for path in sorted(out.glob("*.png"))]
    assert names == list(EXPECTED)
    for path in out.glob("*.png"):
        image = QtGui.QImage(str(path))
        kind = path.stem.split("-")
        if kind[1] == "shared":  # the shared screen exactly at the size it was asked for
            assert (image.width(), image.height()) == SHARED_SIZES[kind[2]], path.name
        assert image.width() >= 500 and image.height() >= 250, path.name
        samples = [image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)]
        background = max(set(samples), key=samples.count)
        drawn = sum(1 for pixel in samples if pixel != background) / len(samples)
        assert drawn > 0.01, f"{path.name} looks blank ({drawn:.1%} of it differs from the background)"
    assert "Traceback" not in result.stderr
    assert "This plugin does not support" not in result.stderr  # the offscreen plugin's notices


@pytest.mark.qt_log_ignore("^another message$", "^This plugin does not support raise", "^after the demo$")
def test_the_demo_drops_only_the_offscreen_plugin_notices(qtlog: Any) -> None:
    with plugin_notices_dropped():
        QtCore.qWarning("This plugin does not support propagateSizeHints()")
        QtCore.qWarning("This plugin does not support raise()")
        QtCore.qWarning("another message")
        QtCore.qWarning("This plugin does not support raise() either")
    QtCore.qWarning("This plugin does not support raise()")
    QtCore.qWarning("after the demo")
    assert [record.message for record in qtlog.records] == [
        "another message",
        "This plugin does not support raise() either",
        "This plugin does not support raise()",
        "after the demo",
    ]


def test_demo_with_a_broken_deck_fails_cleanly(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("id: broken\nteams: [\n", encoding="utf-8")
    result = run_wargame("demo", "--deck", str(broken), "--out", str(tmp_path / "o"))
    assert result.returncode == 1
    assert f"{broken}:" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("turns", "message"),
    [
        ("0", "argument --turns: must be at least 1, not 0"),
        ("-1", "argument --turns: must be at least 1, not -1"),
        ("7", "argument --turns: the deck has 6 turns, not 7"),
        ("99", "argument --turns: the deck has 6 turns, not 99"),
        ("two", "argument --turns: 'two' is not a whole number"),
    ],
)
def test_demo_refuses_a_number_of_turns_outside_the_deck_as_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], turns: str, message: str
) -> None:
    """Refused before any window opens, as every other bad argument is: usage, one line, exit 2."""
    out = tmp_path / "shots"
    code = main(["demo", "--out", str(out), "--turns", turns])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.startswith("usage: wargame demo")
    assert captured.err.splitlines()[-1] == f"wargame demo: error: {message}"
    assert not out.exists()


def test_demo_refuses_an_unusable_folder(tmp_path: Path) -> None:
    """A refused session must end the demo with a message, not wait in a message box offscreen."""
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder", encoding="utf-8")
    db = ["--db", f"sqlite:///{tmp_path / 'demo.sqlite3'}"]
    result = run_wargame(*db, "demo", "--out", str(a_file), "--turns", "6")
    assert result.returncode == 1, result.stderr
    assert f"{a_file} is a file, not a folder" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
