"""The session browser of the review window: every stored session, sortable, searchable, filtered.

Rows come from `Store.sessions()`; outcome titles are read from each session's stored deck
(parsed once per distinct deck text). Nothing here writes to the store.

With a thousand sessions every call from Qt into the Python model counts, so the model sorts its
own rows in Python (the proxy only filters) and column widths are measured once per refresh from
the row texts, instead of Qt asking `data()` for every cell of every row at each sort and layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property
from operator import methodcaller
from typing import Any

from wargame.deck import DeckError, load_deck_text
from wargame.deck.models import Deck
from wargame.errors import WargameError
from wargame.store import SessionInfo, Store, UnreadableSession
from wargame.ui.qt import ModelIndex as Index
from wargame.ui.qt import QtCore, QtWidgets, plain_label
from wargame.ui.widgets import narrow_combo

COLUMNS = ("Date (UTC)", "Deck", "Class", "Facilitator", "Turns", "Outcome", "Status", "Id")
ANY = "(any)"
SEARCH_CHARACTERS = 24
WIDEST_COLUMN = 30  # characters: a longer text (a deck's title) is cut, whole in its tooltip
DATE_COLUMN, TURNS_COLUMN = 0, 4


@dataclass(frozen=True)
class SessionRow:
    info: SessionInfo
    outcome_title: str

    def texts(self) -> tuple[str, ...]:
        return self._texts

    @cached_property
    def _texts(self) -> tuple[str, ...]:  # asked for every cell painted, sorted and filtered
        info = self.info
        return (
            info.created_at.strftime("%Y-%m-%d %H:%M"),
            info.deck_title,
            info.class_label or "—",
            info.facilitator or "—",
            str(info.current_turn),
            self.outcome_title,
            info.status,
            info.id[:12],
        )

    def sort_key(self, column: int) -> Any:
        """What column `column` sorts by: the time, the turn number, else the text ignoring case."""
        if column == DATE_COLUMN:
            return self.info.created_at
        if column == TURNS_COLUMN:
            return self.info.current_turn
        return self._texts[column].lower()


def session_rows(store: Store, unreadable: list[UnreadableSession] | None = None) -> list[SessionRow]:
    """Every stored session with its outcome's title (read from the deck stored with it); those
    whose stored row cannot be read are added to `unreadable` (see `Store.sessions`)."""
    decks: dict[str, Deck | None] = {}
    rows = []
    for info in store.sessions(unreadable):
        title = "—"
        if info.outcome:
            if info.deck_hash not in decks:
                try:
                    decks[info.deck_hash] = load_deck_text(store.deck_text(info.id), info.deck_id).deck
                except (DeckError, WargameError):
                    decks[info.deck_hash] = None
            deck = decks[info.deck_hash]
            title = (
                next((o.title for o in deck.outcomes if o.id == info.outcome), info.outcome)
                if deck
                else info.outcome
            )
        rows.append(SessionRow(info, title))
    return rows


def unreadable_note(unreadable: list[UnreadableSession]) -> str:
    """A line naming the sessions that are not listed because their stored rows are damaged."""
    if not unreadable:
        return ""
    named = "; ".join(f"{session.id[:12]} ({session.reason})" for session in unreadable[:3])
    more = f" and {len(unreadable) - 3} more" if len(unreadable) > 3 else ""
    return f"Not listed, their stored rows are damaged: {named}{more}"


class SessionRowsModel(QtCore.QAbstractTableModel):
    """The sessions in the order of the last `sort` (the store's order, newest first, before any)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[SessionRow] = []
        self._listed: list[SessionRow] = []  # as the store listed them: ties keep this order
        self._sort_column = -1
        self._sort_order = QtCore.Qt.SortOrder.AscendingOrder

    def set_rows(self, rows: list[SessionRow]) -> None:
        self.beginResetModel()
        self._listed = list(rows)
        self.rows = self._sorted()
        self.endResetModel()

    def sort(self, column: int, order: QtCore.Qt.SortOrder = QtCore.Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows by `column` (-1: as listed), keeping selections and other persistent indexes."""
        self._sort_column, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        before = self.rows
        self.rows = self._sorted()
        now_at = {id(row): number for number, row in enumerate(self.rows)}
        kept = self.persistentIndexList()
        self.changePersistentIndexList(
            kept, [self.index(now_at[id(before[index.row()])], index.column()) for index in kept]
        )
        self.layoutChanged.emit()

    def _sorted(self) -> list[SessionRow]:
        if not 0 <= self._sort_column < len(COLUMNS):
            return list(self._listed)
        descending = self._sort_order == QtCore.Qt.SortOrder.DescendingOrder
        # sorted() is stable, with reverse=True too: equal rows stay in the store's order.
        return sorted(self._listed, key=methodcaller("sort_key", self._sort_column), reverse=descending)

    def rowCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = QtCore.Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == QtCore.Qt.ItemDataRole.DisplayRole:
            return row.texts()[index.column()]
        if role == QtCore.Qt.ItemDataRole.ToolTipRole:  # the whole text of a cell cut to its column
            return f"{row.texts()[index.column()]}\n\nSession {row.info.id} — double-click to replay it"
        return None

    def headerData(
        self, section: int, orientation: QtCore.Qt.Orientation, role: int = QtCore.Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == QtCore.Qt.ItemDataRole.DisplayRole and orientation == QtCore.Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


class SessionFilter(QtCore.QSortFilterProxyModel):
    """Search text (any column) plus deck, outcome, class and a date range. Sorting is passed on
    to the source model, which sorts in Python once rather than calling `data()` per comparison."""

    def __init__(self, source: SessionRowsModel) -> None:
        super().__init__()
        self.source = source
        self.setSourceModel(source)
        self.search = ""
        self.deck = ANY
        self.outcome = ANY
        self.class_label = ANY
        self.since: date | None = None
        self.until: date | None = None

    def sort(self, column: int, order: QtCore.Qt.SortOrder = QtCore.Qt.SortOrder.AscendingOrder) -> None:
        self.source.sort(column, order)

    def set_filters(self, **values: Any) -> None:
        for key, value in values.items():
            setattr(self, key, value)
        self.invalidate()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        row = self.source.rows[source_row]
        texts = row.texts()
        if self.search and not any(self.search.lower() in text.lower() for text in (*texts, row.info.id)):
            return False
        if self.deck != ANY and row.info.deck_title != self.deck:
            return False
        if self.outcome != ANY and row.outcome_title != self.outcome:
            return False
        if self.class_label != ANY and (row.info.class_label or "—") != self.class_label:
            return False
        day = row.info.created_at.date()
        if self.since is not None and day < self.since:
            return False
        return not (self.until is not None and day > self.until)


class SessionBrowser(QtWidgets.QWidget):
    """Signals: `open_requested(session_id)`, `selection_changed()`."""

    open_requested = QtCore.Signal(str)
    selection_changed = QtCore.Signal()

    def __init__(self, store: Store, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.model = SessionRowsModel()
        self.proxy = SessionFilter(self.model)
        self.search = QtWidgets.QLineEdit()
        self.search.setPlaceholderText("Search class, facilitator, deck, outcome, id…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.search.fontMetrics().horizontalAdvance("x" * SEARCH_CHARACTERS))
        self.deck_box = QtWidgets.QComboBox()
        self.outcome_box = QtWidgets.QComboBox()
        self.class_box = QtWidgets.QComboBox()
        for box in (self.deck_box, self.outcome_box, self.class_box):
            # A narrow window shortens a box's choice, never the search box; the whole choice is
            # in its tooltip and in the list that drops down (widened in refresh()).
            box.currentTextChanged.connect(box.setToolTip)
            narrow_combo(box)
        self.since = QtWidgets.QDateEdit()
        self.until = QtWidgets.QDateEdit()
        # the first and last day of the sessions at the last refresh: a date there follows new sessions
        self._date_bounds: tuple[date, date] | None = None
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.table = QtWidgets.QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, QtCore.Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)  # widths: see fit_columns
        self.table.doubleClicked.connect(self._open_index)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())
        self.unreadable_note = ""
        self.count_label = plain_label()
        self.count_label.setWordWrap(True)
        self.count_label.setObjectName("subtitle")

        # Two rows of filters: in one, they held the window at least 1,200 pixels wide.
        search_row, choice_row = QtWidgets.QHBoxLayout(), QtWidgets.QHBoxLayout()
        search_row.addWidget(self.search, 1)
        for row, label, widget in (
            (search_row, "Created from", self.since),
            (search_row, "to", self.until),
            (choice_row, "Deck", self.deck_box),
            (choice_row, "Outcome", self.outcome_box),
            (choice_row, "Class", self.class_box),
        ):
            row.addWidget(QtWidgets.QLabel(label))
            row.addWidget(widget, 0 if row is search_row else 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addLayout(choice_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.search.textChanged.connect(self._apply)
        for box in (self.deck_box, self.outcome_box, self.class_box):
            box.currentTextChanged.connect(self._apply)
        self.since.dateChanged.connect(self._apply)
        self.until.dateChanged.connect(self._apply)

    def refresh(self) -> None:
        """Read the sessions again (keeps the filters that still apply)."""
        unreadable: list[UnreadableSession] = []
        rows = session_rows(self.store, unreadable)
        self.unreadable_note = unreadable_note(unreadable)
        self.model.set_rows(rows)
        self.fit_columns()
        for box, values in (
            (self.deck_box, {row.info.deck_title for row in rows}),
            (self.outcome_box, {row.outcome_title for row in rows}),
            (self.class_box, {row.info.class_label or "—" for row in rows}),
        ):
            current = box.currentText()
            box.blockSignals(True)
            box.clear()
            box.addItems([ANY, *sorted(values)])
            box.setCurrentText(current if current in values else ANY)
            box.setToolTip(box.currentText())  # signals are blocked here
            box.view().setMinimumWidth(
                box.view().sizeHintForColumn(0) + box.view().verticalScrollBar().sizeHint().width()
            )
            box.blockSignals(False)
        days = [row.info.created_at.date() for row in rows] or [date.today()]
        bounds = (min(days), max(days))
        for edit, old, new in zip((self.since, self.until), self._date_bounds or bounds, bounds, strict=True):
            if self._date_bounds is None or edit.date().toPython() == old:  # not narrowed by the user
                edit.blockSignals(True)
                edit.setDate(QtCore.QDate(new.year, new.month, new.day))
                edit.blockSignals(False)
        self._date_bounds = bounds
        self._apply()

    def fit_columns(self) -> None:
        """Make each column as wide as its header and its widest cell in any session, filtered out or
        not: what ResizeToContents finds, but measured once per refresh rather than at every layout,
        and from the row texts rather than by asking the model about every cell."""
        table, header, rows = self.table, self.table.horizontalHeader(), self.model.rows
        table.ensurePolished()  # the style sheet's font, before the first show too
        option = QtWidgets.QStyleOptionViewItem()
        table.initViewItemOption(option)
        delegate, metrics = table.itemDelegate(), table.fontMetrics()
        grid = 1 if table.showGrid() else 0
        advance = cache(metrics.horizontalAdvance)  # many cells share a text
        widest_allowed = metrics.averageCharWidth() * WIDEST_COLUMN
        for column in range(len(COLUMNS)):
            width = header.sectionSizeHint(column)
            if rows:
                widest = max(range(len(rows)), key=lambda number: advance(rows[number].texts()[column]))
                cell = delegate.sizeHint(option, self.model.index(widest, column))
                width = max(width, min(cell.width() + grid, widest_allowed))
            header.resizeSection(column, width)

    def _apply(self) -> None:
        since, until = self.since.date(), self.until.date()
        self.proxy.set_filters(
            search=self.search.text().strip(),
            deck=self.deck_box.currentText() or ANY,
            outcome=self.outcome_box.currentText() or ANY,
            class_label=self.class_box.currentText() or ANY,
            since=date(since.year(), since.month(), since.day()),
            until=date(until.year(), until.month(), until.day()),
        )
        self.count_label.setText(
            f"{self.proxy.rowCount()} of {self.model.rowCount()} sessions shown · "
            "double-click one to replay it; "
            "select several of one deck to compare them"
            + (f"\n{self.unreadable_note}" if self.unreadable_note else "")
        )

    def visible_ids(self) -> list[str]:
        return [self._id_at(self.proxy.index(row, 0)) for row in range(self.proxy.rowCount())]

    def selected_ids(self) -> list[str]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self._id_at(self.proxy.index(row, 0)) for row in rows]

    def select_ids(self, ids: list[str]) -> None:
        selection = self.table.selectionModel()
        selection.clearSelection()
        for row in range(self.proxy.rowCount()):
            if self._id_at(self.proxy.index(row, 0)) in ids:
                selection.select(
                    self.proxy.index(row, 0),
                    QtCore.QItemSelectionModel.SelectionFlag.Select
                    | QtCore.QItemSelectionModel.SelectionFlag.Rows,
                )

    def _id_at(self, index: Index) -> str:
        return self.model.rows[self.proxy.mapToSource(index).row()].info.id

    def _open_index(self, index: Index) -> None:
        self.open_requested.emit(self._id_at(index))
