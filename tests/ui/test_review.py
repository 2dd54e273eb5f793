"""The review window: browse, replay (scrub and check the state against the engine's fold), decisions,
compare and export — and never a new event."""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import MINI_DECK
from tests.report.helpers import MERGED_ID, MERGED_NAME, SCRIPT_RATIONALE, play_merged, play_mini
from wargame.deck import load_deck_file
from wargame.engine import commands as c
from wargame.engine.fold import fold
from wargame.engine.state import objective_score
from wargame.errors import WargameError
from wargame.report import load_replay
from wargame.session import SessionController
from wargame.store import Store
from wargame.ui.qt import QtCore, QtGui, QtWidgets
from wargame.ui.review import COMPARE_TAB, REPLAY_TAB, TAB_TITLES, TEAMS_TAB, ReviewWindow, report_file_name
from wargame.ui.review_browser import ANY, COLUMNS, SessionRow
from wargame.ui.review_compare import CompareView
from wargame.ui.review_replay import ReplayView
from wargame.ui.review_teams import TeamDecisionsView

SHOTS = os.environ.get("WARGAME_REVIEW_SHOTS")  # a folder: save screenshots of every tab there


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'review.sqlite3'}"


@pytest.fixture
def sessions(store: Store) -> list[str]:
    return [
        play_mini(store, class_label="IR 101"),
        play_mini(store, class_label="IR 102", seed=9, strike=False),
        play_mini(store, class_label="IR 103", seed=11),
    ]


@pytest.fixture
def window(qtbot: QtBot, store: Store, sessions: list[str]) -> ReviewWindow:
    review = ReviewWindow(store)
    qtbot.addWidget(review)
    review.show()
    return review


def event_counts(store: Store) -> dict[str, int]:
    return {info.id: len(store.events(info.id)) for info in store.sessions()}


def shoot(window: ReviewWindow, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        window.grab().save(str(Path(SHOTS) / f"review-{name}.png"))


def table_texts(table: QtWidgets.QTableWidget, column: int) -> list[str]:
    texts = []
    for row in range(table.rowCount()):
        item = table.item(row, column)
        assert item is not None, f"no item at row {row}, column {column}"
        texts.append(item.text())
    return texts


def test_scrubbing_shows_the_state_of_the_fold(
    window: ReviewWindow, store: Store, sessions: list[str]
) -> None:
    before = event_counts(store)
    shoot(window, "sessions")
    window.open_session(sessions[0])
    view = window.replay_view
    events = store.events(sessions[0])
    assert window.replay is not None
    deck = window.replay.deck
    assert window.tabs.currentWidget() is view
    assert view.slider.maximum() == len(events)
    for count in (5, 12, 30):
        view.slider.setValue(count)
        state = fold(deck, events[:count])
        assert view.index_label.text() == f"Index {state.index:g}"
        assert view.timeline.currentRow() == count - 1
        teams = list(state.teams.values())
        assert table_texts(view.teams, 0) == [team.name for team in teams]
        assert table_texts(view.teams, 1) == [f"+{team.escalation:g}" for team in teams]
        assert table_texts(view.teams, 2) == [f"−{team.deescalation:g}" for team in teams]
        assert table_texts(view.teams, 3) == [str(objective_score(deck, state, team.id)) for team in teams]
        assert table_texts(view.cards, 1) == [deck.card(i.card).title for i in state.injections]
        revealed = [d for d in state.decisions if d.revealed]
        assert view.moves.rowCount() == len(revealed)
        assert table_texts(view.moves, 5) == [d.rationale or "—" for d in revealed]
        if count == 12:
            shoot(window, "replay")
    view.slider.setValue(9)  # moves recorded, not yet revealed: their content stays hidden
    assert view.moves.rowCount() == 0
    assert "move recorded" in view.timeline.item(7).text()
    assert SCRIPT_RATIONALE not in view.timeline.item(7).text()
    assert "They were lost." in table_texts(view.cards, 4)  # ground truth
    assert event_counts(store) == before


def one_spaced(text: str) -> str:
    return " ".join(text.split())


def shown_tip(tip: str) -> str:
    """A tooltip's text as it shows (a tooltip reads text that looks like HTML as rich text)."""
    if not QtGui.Qt.mightBeRichText(tip):
        return tip
    document = QtGui.QTextDocument()
    document.setHtml(tip)
    return document.toPlainText()


def test_timeline_rows_are_one_line_each_with_the_whole_line_in_their_tooltips(
    window: ReviewWindow, sessions: list[str]
) -> None:
    replay = window.open_session(sessions[0])
    assert replay is not None
    view = window.replay_view
    timeline = view.timeline
    splitter = view.findChild(QtWidgets.QSplitter)
    assert splitter is not None
    splitter.setSizes([1, 10_000])  # the timeline as narrow as it goes: many rows are too long for it
    QtWidgets.QApplication.processEvents()
    metrics, width = timeline.fontMetrics(), timeline.viewport().width()
    items = [timeline.item(row) for row in range(timeline.count())]
    assert any(metrics.horizontalAdvance(item.text()) > width for item in items)
    rects = [timeline.visualItemRect(item) for item in items]
    assert {rect.height() for rect in rects} == {rects[0].height()}
    assert rects[0].height() < 2 * metrics.height()  # one line a row
    assert all(below.top() == above.bottom() + 1 for above, below in pairwise(rects))  # no gaps
    assert timeline.horizontalScrollBar().maximum() == 0  # no scrolling sideways: a long row ends in "…"
    assert timeline.textElideMode() == QtCore.Qt.TextElideMode.ElideRight
    for count in (9, len(replay.events)):  # a move's row before and after its turn's reveal
        view.slider.setValue(count)
        whole = [one_spaced(f"#{entry.seq} {entry.text}") for entry in replay.timeline(count)]
        assert [one_spaced(shown_tip(item.toolTip())) for item in items] == whole
        assert one_spaced(view.current.text()) == whole[count - 1]  # the scrubber's event, whole
        assert view.current.isVisibleTo(view)


def test_clicking_the_chart_and_the_timeline_moves_the_scrubber(
    window: ReviewWindow, store: Store, sessions: list[str]
) -> None:
    before = event_counts(store)
    window.open_session(sessions[0])
    view = window.replay_view
    assert view.chart is not None
    replay = window.replay
    assert replay is not None
    strike = next(p for p in replay.state.history if p.cause == "move:red:strike")
    x = next(px for px, py, _cause, seq in view.chart.points if seq == strike.seq and py == strike.index)
    assert view.chart.click_at(x + 0.01) == strike.seq
    assert view.slider.value() == replay.count_at_seq(strike.seq)
    assert view.index_label.text() == f"Index {strike.index:g}"
    view.timeline.setCurrentRow(3)
    assert view.slider.value() == 4
    view.slider.setValue(1)
    assert view.index_label.text() == "Index 20"
    assert event_counts(store) == before


def test_decisions_by_team(window: ReviewWindow, store: Store, sessions: list[str]) -> None:
    before = event_counts(store)
    window.open_session(sessions[0])
    window.tabs.setCurrentWidget(window.teams_view)
    view = window.teams_view
    assert [view.team_box.itemText(i) for i in range(view.team_box.count())] == ["Red", "Blue", "Green"]
    assert table_texts(view.table, 4)[0] == SCRIPT_RATIONALE  # shown as typed: a table cell is plain text
    assert table_texts(view.table, 7)[0] == "Blue: Exercise near the border\nGreen: Pass"
    assert view.summary.text().startswith("Red · players: ")  # not "Red plays Red"
    view.team_box.setCurrentIndex(1)
    assert table_texts(view.table, 5)[0] == "+3: Tone was hostile & loud"
    shoot(window, "decisions")
    assert event_counts(store) == before


def test_a_tab_built_when_first_shown_shows_the_open_session(
    window: ReviewWindow, sessions: list[str]
) -> None:
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == list(TAB_TITLES)
    window.open_session(sessions[0])
    window.pseudonymise_action.setChecked(True)  # reopens the session, before its Decisions tab exists
    window.open_session(sessions[1])
    window.tabs.tabBar().setCurrentIndex(TEAMS_TAB)  # as a click on the tab does
    view = window.tabs.currentWidget()
    assert isinstance(view, TeamDecisionsView) and view is window.teams_view
    assert window.tabs.currentIndex() == TEAMS_TAB
    assert view.replay is window.replay
    assert view.replay is not None and view.replay.info.id == sessions[1]
    assert table_texts(view.table, 4)[-1] == "Keep talking"  # session 1's red player did not strike
    assert "Player 1, Player 2" in view.summary.text()
    assert "Alice Smith" not in view.summary.text()
    window.open_session(sessions[0])  # once built, the tab follows the open session
    assert table_texts(window.teams_view.table, 4)[-1] == "Now or never"


def test_decision_rows_grow_with_their_text_when_the_columns_narrow(
    window: ReviewWindow, sessions: list[str], qtbot: QtBot
) -> None:
    window.open_session(sessions[0])
    window.tabs.setCurrentIndex(TEAMS_TAB)
    table = window.teams_view.table
    tall = table.rowHeight(0)
    window.resize(500, window.height())  # as narrow as the window goes: the long texts wrap more
    qtbot.waitUntil(lambda: table.rowHeight(0) > tall)
    least = table.verticalHeader().minimumSectionSize()  # a one-line row keeps the header's least height
    assert all(
        table.rowHeight(row) == max(table.sizeHintForRow(row), least) for row in range(table.rowCount())
    )


def test_long_filter_choices_never_squeeze_the_search_box(window: ReviewWindow, qtbot: QtBot) -> None:
    browser = window.browser
    long_title = "Baltic Drone Spillover, 2026: Sirens on NATO's Eastern Flank (second edition)"
    browser.deck_box.addItem(long_title)
    browser.deck_box.setCurrentText(long_title)
    assert browser.deck_box.toolTip() == long_title  # the whole choice, however narrow the box
    window.resize(window.minimumSizeHint().width(), window.height())
    qtbot.waitUntil(lambda: window.width() <= window.minimumSizeHint().width() + 1)
    needed = browser.search.fontMetrics().horizontalAdvance("x" * 20)
    assert browser.search.width() >= needed  # the placeholder stays readable
    browser.deck_box.setCurrentText(ANY)


def test_tabs_shown_before_any_session_is_opened(window: ReviewWindow, qtbot: QtBot) -> None:
    window.tabs.setCurrentIndex(REPLAY_TAB)
    replay = window.tabs.currentWidget()
    assert isinstance(replay, ReplayView) and replay.replay is None
    assert replay.title.text().startswith("Open a session from the Sessions tab")
    qtbot.keyClick(window.tabs.tabBar(), QtCore.Qt.Key.Key_Right)
    qtbot.keyClick(window.tabs.tabBar(), QtCore.Qt.Key.Key_Right)
    compare = window.tabs.currentWidget()
    assert window.tabs.currentIndex() == COMPARE_TAB
    assert isinstance(compare, CompareView) and compare.comparison is None
    assert isinstance(window.tabs.widget(TEAMS_TAB), TeamDecisionsView)  # passed through on the way
    assert window.replay_view is replay and window.compare_view is compare  # built once


def test_browser_filters_and_search(window: ReviewWindow, store: Store, sessions: list[str]) -> None:
    browser = window.browser
    assert browser.proxy.rowCount() == 3
    browser.search.setText("ir 102")
    assert browser.visible_ids() == [sessions[1]]
    browser.search.clear()
    browser.outcome_box.setCurrentText("War")
    assert sorted(browser.visible_ids()) == sorted([sessions[0], sessions[2]])
    browser.outcome_box.setCurrentText("(any)")
    browser.class_box.setCurrentText("IR 103")
    assert browser.visible_ids() == [sessions[2]]
    browser.class_box.setCurrentText("(any)")
    tomorrow = QtCore.QDate.currentDate().addDays(2)
    browser.since.setDate(tomorrow)
    browser.until.setDate(tomorrow)
    assert browser.visible_ids() == []
    window.refresh()
    assert browser.visible_ids() == []  # Refresh keeps the dates the user chose
    browser.since.setDate(QtCore.QDate(2000, 1, 1))
    browser.until.setDate(QtCore.QDate.currentDate())
    assert browser.proxy.rowCount() == 3
    browser.table.sortByColumn(2, QtCore.Qt.SortOrder.AscendingOrder)
    assert browser.visible_ids() == sessions
    play_mini(store, class_label="IR 104", seed=13)
    window.refresh()
    assert browser.proxy.rowCount() == 4  # a new session of today shows: it is inside the range chosen


def test_compare_and_export(window: ReviewWindow, store: Store, sessions: list[str], tmp_path: Path) -> None:
    before = event_counts(store)
    window.browser.select_ids(sessions)
    assert window.compare_action.isEnabled()
    assert window.compare_sessions(window.browser.selected_ids())
    view = window.compare_view
    assert view.comparison is not None and view.comparison.outcomes == {"War": 2, "Muddling through": 1}
    assert len(view.chart_view.chart().series()) == 3
    assert table_texts(view.rises, 3)[0] == "Red: Strike"
    shoot(window, "compare")
    window.pseudonymise_action.setChecked(True)
    window.open_session(sessions[0])
    assert "Player 1, Player 2" in table_texts(window.replay_view.teams, 4)
    html_path, pdf_path = tmp_path / "r.html", tmp_path / "r.pdf"
    window.export_report(html_path)
    html = html_path.read_text(encoding="utf-8")
    assert "Alice Smith" not in html and "Player 1" in html
    pages = window.export_report(pdf_path)
    assert pages >= 2 and pdf_path.read_bytes().startswith(b"%PDF")
    assert window.statusBar().currentMessage() == f"Report written to {pdf_path} ({pages} pages)"
    assert QtWidgets.QApplication.overrideCursor() is None  # the wait cursor is gone
    with pytest.raises(WargameError):
        window.export_report(tmp_path / "no" / "such" / "folder.pdf")
    assert window.statusBar().currentMessage().startswith("The report was not written")
    assert QtWidgets.QApplication.overrideCursor() is None
    assert event_counts(store) == before


def test_a_merged_team_is_called_by_its_name_in_compare_and_on_the_replay_chart(
    window: ReviewWindow, store: Store, sessions: list[str]
) -> None:
    merged = play_merged(store)
    assert window.compare_sessions([sessions[0], merged])
    view = window.compare_view
    assert f"{MERGED_NAME}: Exercise near the border" in table_texts(view.rises, 3)
    shown = [*table_texts(view.rises, 3), *table_texts(view.rises, 4), *table_texts(view.preceding, 0)]
    assert not [text for text in shown if MERGED_ID in text]
    replay = window.open_session(merged)
    assert replay is not None
    adjudication = next(p for p in replay.state.history if p.cause.startswith("adjudication:"))
    window.replay_view.jump_to_seq(adjudication.seq)
    assert window.replay_view.chart is not None
    assert window.replay_view.chart.toolTip().startswith(f"Last change: Adjudication ({MERGED_NAME}) ·")


def test_the_report_pdf_has_pages_that_are_not_blank(store: Store, tmp_path: Path, qtbot: QtBot) -> None:
    from wargame.ui.report_pdf import write_report_pdf

    session_id = play_mini(store)
    pages = write_report_pdf(load_replay(store, session_id), tmp_path / "report.pdf")
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(tmp_path / "report.pdf"), str(tmp_path / "page")], check=True
    )
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == pages >= 2
    for path in images:
        image = QtGui.QImage(str(path))
        dark = sum(
            1
            for y in range(0, image.height(), 3)
            for x in range(0, image.width(), 3)
            if QtGui.QColor(image.pixel(x, y)).lightness() < 160
        )
        assert dark > 40, f"{path.name} looks blank"  # a page of 15 table rows in 9 pt has ~90


def test_the_review_window_fits_a_1024_pixel_screen_and_shows_the_outcome(
    window: ReviewWindow, qtbot: QtBot
) -> None:
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        assert window.minimumSizeHint().width() <= 1024, window.tabs.tabText(tab)
    window.tabs.setCurrentIndex(0)
    browser = window.browser
    long_title = "Baltic Drone Spillover, 2026: Sirens on NATO's Eastern Flank (second edition)"
    first = browser.model.rows[0]
    browser.model.set_rows([SessionRow(replace(first.info, deck_title=long_title), "War")])
    browser.fit_columns()
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    header, table = browser.table.horizontalHeader(), browser.table
    outcome = COLUMNS.index("Outcome")
    right = header.sectionViewportPosition(outcome) + header.sectionSize(outcome)
    assert right <= table.viewport().width()  # no scrolling sideways to see how a session ended
    deck = browser.model.index(0, COLUMNS.index("Deck"))
    assert long_title in browser.model.data(deck, QtCore.Qt.ItemDataRole.ToolTipRole)


@pytest.mark.parametrize(
    ("class_label", "expected"),
    [
        ("IR 2025/26 <i>sec</i> A", "report-IR_2025_26_i_sec_i_A-abcdef12.pdf"),
        ("Class Ω", "report-Class_Ω-abcdef12.pdf"),
        ("../..", "report-session-abcdef12.pdf"),
        ("", "report-session-abcdef12.pdf"),
    ],
)
def test_the_suggested_report_name_is_one_file_name(class_label: str, expected: str) -> None:
    assert report_file_name(class_label, "abcdef1234") == expected


def test_a_long_move_leaves_every_column_of_the_replay_in_view(qtbot: QtBot, store: Store) -> None:
    teams = tuple(c.TeamSetup(team, team.capitalize(), (team,)) for team in ("red", "blue", "green"))
    session = SessionController.create(load_deck_file(MINI_DECK), c.CreateSession(seed=1, teams=teams), store)
    session.execute(c.Advance())
    while session.state.phase != "moves":
        session.execute(c.Advance())
    long_move = "We propose " + "a very long plan " * 280  # ~4,800 characters
    session.execute(c.SubmitDecision("red", free_text=long_move, rationale="x" * 400))  # one unbroken word
    session.execute(c.SubmitDecision("blue"))
    session.execute(c.SubmitDecision("green"))
    session.execute(c.Advance())  # the reveal
    session.close()
    review = ReviewWindow(store)
    qtbot.addWidget(review)
    review.resize(1280, 800)
    review.show()
    replay = review.open_session(session.session_id)
    assert replay is not None
    view = review.replay_view
    view.slider.setValue(len(replay.events))
    stack = view.moves.parentWidget()
    tabs = stack.parentWidget() if stack is not None else None
    assert isinstance(tabs, QtWidgets.QTabWidget)
    tabs.setCurrentWidget(view.moves)
    QtWidgets.QApplication.processEvents()
    shoot(review, "long-move")
    table = view.moves
    header = table.horizontalHeader()
    widths = [header.sectionSize(column) for column in range(table.columnCount())]
    assert sum(widths) <= table.viewport().width() + 1, widths  # Team, Target and Score are in view
    move = table.item(0, 2)
    assert move is not None and move.text().endswith("…") and len(move.text()) <= 300
    assert "a very long plan" in move.toolTip() and move.toolTip().count("\n") > 10  # all of it, wrapped
