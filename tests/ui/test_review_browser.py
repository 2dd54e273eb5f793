"""The session browser: the model sorts its own rows (the proxy only filters) and the column widths are
measured from the row texts, so the results must match what Qt's sorting and sizing gave."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from tests.report.helpers import play_mini
from wargame.store import SessionInfo, Store
from wargame.ui.qt import QtCore, QtWidgets
from wargame.ui.review import ReviewWindow
from wargame.ui.review_browser import (
    COLUMNS,
    WIDEST_COLUMN,
    SessionBrowser,
    SessionFilter,
    SessionRow,
    SessionRowsModel,
)

ASCENDING, DESCENDING = QtCore.Qt.SortOrder.AscendingOrder, QtCore.Qt.SortOrder.DescendingOrder
START = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'browser.sqlite3'}"


def row(number: int, *, turn: int, class_label: str, hours: int) -> SessionRow:
    info = SessionInfo(
        id=f"{number:032x}",
        deck_id="mini",
        deck_title="Mini",
        deck_version="1",
        deck_hash="0" * 64,
        deck_origin="builtin:mini",
        seed=number,
        class_label=class_label,
        facilitator="",
        created_at=START + timedelta(hours=hours),
        updated_at=START + timedelta(hours=hours),
        status="running",
        current_turn=turn,
        outcome=None,
        event_count=10,
    )
    return SessionRow(info, "—")


@pytest.fixture
def model() -> SessionRowsModel:
    # As the store lists them: newest first. Rows 2 and 4 tie on class, 1 and 3 on turn.
    rows = [
        row(1, turn=10, class_label="b", hours=40),
        row(2, turn=2, class_label="A", hours=30),
        row(3, turn=10, class_label="c", hours=20),
        row(4, turn=9, class_label="a", hours=10),
    ]
    built = SessionRowsModel()
    built.set_rows(rows)
    return built


def ids(model: SessionRowsModel) -> list[int]:
    return [int(r.info.id, 16) for r in model.rows]


def test_turns_sort_as_numbers_and_dates_as_times(model: SessionRowsModel) -> None:
    assert ids(model) == [1, 2, 3, 4]  # unsorted: the store's order
    model.sort(COLUMNS.index("Turns"), ASCENDING)
    assert ids(model) == [2, 4, 1, 3]  # as text "10" < "2" < "9"
    model.sort(COLUMNS.index("Date (UTC)"), ASCENDING)
    assert ids(model) == [4, 3, 2, 1]
    model.sort(-1)
    assert ids(model) == [1, 2, 3, 4]


def test_sorting_ignores_case_and_ties_keep_the_store_order_either_way(model: SessionRowsModel) -> None:
    column = COLUMNS.index("Class")
    model.sort(column, ASCENDING)
    assert ids(model) == [2, 4, 1, 3]
    model.sort(COLUMNS.index("Turns"), DESCENDING)  # a sort in between must not change the ties
    model.sort(column, DESCENDING)
    assert ids(model) == [3, 1, 2, 4]


def test_new_rows_come_sorted_by_the_last_sort(model: SessionRowsModel) -> None:
    model.sort(COLUMNS.index("Turns"), ASCENDING)
    model.set_rows([row(7, turn=5, class_label="x", hours=1), *model.rows])
    assert ids(model) == [2, 7, 4, 1, 3]


def test_the_proxy_passes_sorting_on_and_keeps_its_filter(qtbot: QtBot, model: SessionRowsModel) -> None:
    proxy = SessionFilter(model)
    proxy.set_filters(class_label="a")
    proxy.sort(COLUMNS.index("Turns"), DESCENDING)
    assert ids(model) == [1, 3, 4, 2]
    shown = [proxy.index(r, COLUMNS.index("Id")).data() for r in range(proxy.rowCount())]
    assert shown == [model.rows[2].texts()[-1]]  # only row 4 has class "a"


@pytest.fixture
def stored(store: Store) -> Store:
    """The store with three sessions, the oldest with the longest class label."""
    for number, label in enumerate(("IR 101 with a long class label to widen the column", "IR 102", "IR 3")):
        play_mini(store, class_label=label, seed=5 + number, strike=number != 1)
    return store


@pytest.fixture
def window(qtbot: QtBot, stored: Store) -> ReviewWindow:
    review = ReviewWindow(stored)
    qtbot.addWidget(review)
    review.show()
    return review


@pytest.fixture
def browser(window: ReviewWindow) -> SessionBrowser:
    return window.browser


def test_a_selection_stays_on_its_session_when_sorted(browser: SessionBrowser, store: Store) -> None:
    assert browser.visible_ids() == [info.id for info in store.sessions()]  # newest first
    chosen = browser.visible_ids()[2]  # IR 101, the oldest
    browser.select_ids([chosen])
    browser.table.sortByColumn(COLUMNS.index("Class"), ASCENDING)
    assert browser.visible_ids()[0] == chosen  # it moved
    assert browser.selected_ids() == [chosen]
    browser.search.setText("IR 10")
    browser.table.sortByColumn(COLUMNS.index("Class"), DESCENDING)
    assert browser.visible_ids()[1] == chosen
    assert browser.selected_ids() == [chosen]


@pytest.fixture
def large_font(qapp: QtWidgets.QApplication) -> Iterator[None]:
    """A style sheet font, which a widget only takes on once polished (as the app's style.qss)."""
    qapp.setStyleSheet("QWidget { font-size: 17pt; }")
    yield
    qapp.setStyleSheet("")


@pytest.mark.usefixtures("large_font")
def test_columns_are_as_wide_as_their_widest_cell(qtbot: QtBot, stored: Store) -> None:
    browser = SessionBrowser(stored)  # on its own: nothing has polished it before it measures
    qtbot.addWidget(browser)
    browser.refresh()
    browser.show()
    table, header = browser.table, browser.table.horizontalHeader()

    widest_allowed = table.fontMetrics().averageCharWidth() * WIDEST_COLUMN  # longer texts are cut

    def check() -> None:
        for column in range(len(COLUMNS) - 1):  # the last one stretches
            fitted = max(header.sectionSizeHint(column), min(table.sizeHintForColumn(column), widest_allowed))
            assert header.sectionSize(column) == fitted, COLUMNS[column]

    check()
    class_column = COLUMNS.index("Class")
    assert header.sectionSize(class_column) > header.sectionSizeHint(class_column)
    wide = header.sectionSize(class_column)
    browser.search.setText("IR 102")  # the widest session is filtered out: the width stays
    browser.refresh()
    assert header.sectionSize(class_column) == wide
    browser.search.clear()
    check()


def test_a_session_whose_row_is_damaged_is_named_under_the_list(
    window: ReviewWindow, browser: SessionBrowser, stored: Store
) -> None:
    damaged, *others = [info.id for info in stored.sessions()]
    with stored._write() as conn:  # as another program might have written it
        conn.execute(text("UPDATE sessions SET created_at = 'garbage' WHERE id = :id"), {"id": damaged})
    browser.refresh()
    assert browser.visible_ids() == others
    note = (
        f"Not listed, their stored rows are damaged: {damaged[:12]} "
        "(its created_at holds 'garbage', not a time)"
    )
    assert browser.count_label.text().endswith(f"\n{note}")
