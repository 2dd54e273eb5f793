"""Text that people type (class, facilitator, team and player names, moves, notes, reasons) is shown
as typed on every screen: never read as Qt rich text, where `<b>` would turn bold and an unclosed
tag would swallow the rest of a label."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import MINI_DECK
from wargame.deck import load_deck_file
from wargame.engine import commands as c
from wargame.session import SessionController
from wargame.store import Store
from wargame.ui.main_window import MainWindow
from wargame.ui.qt import QtCore, QtGui, QtWidgets
from wargame.ui.review import TEAMS_TAB, ReviewWindow

MARK = "<i>mark</i>"  # what a rich-text label would show as an italic "mark"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'user-text.sqlite3'}"


def marked_session(store: Store) -> SessionController:
    """A session in its second turn where every text a person types holds MARK."""
    setup = c.CreateSession(
        seed=3,
        teams=(
            c.TeamSetup("red", f"Red {MARK}", ("red",), (f"Ann {MARK}",)),
            c.TeamSetup("blue", f"Blue {MARK}", ("blue",)),
            c.TeamSetup("green", "Green", ("green",)),
        ),
        class_label=f"IR {MARK}",
        facilitator=f"Prof {MARK}",
    )
    session = SessionController.create(load_deck_file(MINI_DECK), setup, store)
    session.execute(c.Advance())
    session.execute(c.AddNote(f"note {MARK}", team="red"))
    while session.state.phase != "moves":
        session.execute(c.Advance())
    session.execute(c.SubmitDecision("red", free_text=f"move {MARK}", rationale=f"why {MARK}"))
    session.execute(c.SubmitDecision("blue", action="talk", rationale=f"talk {MARK}"))
    session.execute(c.SubmitDecision("green"))
    session.execute(c.Advance())  # the reveal
    first = session.state.decisions[0].seq
    session.execute(c.Adjudicate("red", 2, f"reason {MARK}", decision_seq=first))
    session.execute(c.RenameTeam("green", f"Greens {MARK}"))
    while session.state.turn < 2:
        session.execute(c.Advance())
    return session


def rendered_as_rich_text(label: QtWidgets.QLabel) -> bool:
    text_format = label.textFormat()
    if text_format == QtCore.Qt.TextFormat.AutoText:
        return QtGui.Qt.mightBeRichText(label.text())
    return text_format in (QtCore.Qt.TextFormat.RichText, QtCore.Qt.TextFormat.MarkdownText)


def tooltips(window: QtWidgets.QWidget) -> list[str]:
    """The tooltips of the window's widgets and of the items of its tables and lists."""
    tips = [widget.toolTip() for widget in window.findChildren(QtWidgets.QWidget)]
    for table in window.findChildren(QtWidgets.QTableWidget):
        items = (
            table.item(row, column)
            for row in range(table.rowCount())
            for column in range(table.columnCount())
        )
        tips += [item.toolTip() for item in items if item is not None]
    for listing in window.findChildren(QtWidgets.QListWidget):
        tips += [listing.item(row).toolTip() for row in range(listing.count())]
    return tips


def shown_texts(window: QtWidgets.QWidget) -> list[str]:
    """Label texts and tooltips that show a typed text (as it is, or escaped for rich text)."""
    texts = [label.text() for label in window.findChildren(QtWidgets.QLabel)] + tooltips(window)
    return [text for text in texts if MARK in text or html.escape(MARK) in text]


def misread(window: QtWidgets.QWidget) -> list[str]:
    """Labels and tooltips that would show a typed MARK as rich text (an italic "mark")."""
    labels = [
        label.text()
        for label in window.findChildren(QtWidgets.QLabel)
        if MARK in label.text() and rendered_as_rich_text(label)
    ]
    return labels + [tip for tip in tooltips(window) if MARK in tip and QtGui.Qt.mightBeRichText(tip)]


@pytest.mark.qt_log_ignore("^This plugin does not support raise\\(\\)$")  # offscreen: raise_() is a no-op
def test_the_console_and_the_shared_screen_show_typed_text_as_typed(qtbot: QtBot, store: Store) -> None:
    session = marked_session(store)
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.show_console(session)
    shared = window.open_shared_screen()
    assert shared is not None
    QtWidgets.QApplication.processEvents()
    assert shown_texts(window), "the console shows none of the typed texts: the check would see nothing"
    assert misread(window) == [], "\n".join(misread(window))
    assert misread(shared) == []


def test_the_review_window_shows_typed_text_as_typed(qtbot: QtBot, store: Store) -> None:
    session = marked_session(store)
    session_id = session.session_id
    session.close()
    review = ReviewWindow(store)
    qtbot.addWidget(review)
    review.show()
    replay = review.open_session(session_id)
    assert replay is not None
    review.replay_view.slider.setValue(len(replay.events))
    review.tabs.setCurrentIndex(TEAMS_TAB)
    review.teams_view.show_team("red")
    QtWidgets.QApplication.processEvents()
    assert shown_texts(review), "the review shows none of the typed texts: the check would see nothing"
    assert misread(review) == []
    assert review.compare_sessions([session_id])
    chart = review.compare_view.chart_view.chart()
    comparison = review.compare_view.comparison
    assert comparison is not None
    names = [series.name() for series in chart.series()]
    assert names == [html.escape(curve.label) for curve in comparison.curves]
    assert MARK in comparison.curves[0].label  # a legend's names are rich text: escaped
