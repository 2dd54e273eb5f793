"""The shared screen: the projector display the room sees, where teams also step up to enter moves.

A second top-level window that follows the session live (it listens to the session controller,
like the console): the scenario, turn, phase and countdown; the current inject; the escalation
gauge and index chart; the map; who has moved (never what) until the reveal, then every move; at
the end the outcome and its debrief questions. Dark text on white throughout, every colour
paired with a name, and every font size computed from the window's height so the same layout
reads from 1280×720 to 3840×2160.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wargame.deck.models import Deck
from wargame.engine import commands as c
from wargame.engine.describe import move_with_target, short_team_name
from wargame.engine.events import Event
from wargame.engine.state import Decision, State, TeamState
from wargame.errors import WargameError
from wargame.session import SessionController
from wargame.session.steps import phase_title
from wargame.store import SessionBusy, StoreUnavailable
from wargame.ui.chart import IndexChart, show_index
from wargame.ui.dialogs import MoveDialog
from wargame.ui.map_view import MapView
from wargame.ui.qt import QtCore, QtGui, QtWidgets, plain_tip
from wargame.ui.style import band_colour
from wargame.ui.turn_cards import TurnCards
from wargame.ui.widgets import (
    EscalationGauge,
    PhaseTimer,
    band_text,
    narrow_combo,
    reflow,
    set_stretch,
    source_line,
)

TEXT = "#111111"
BACKGROUND = "#ffffff"
ALERT = "#b00020"
# Font sizes in pixels at a window 1080 pixels high; scaled with the height (body ≈ 21 pt there).
SIZES = {
    "body": 28,
    "small": 24,
    "title": 34,
    "position": 44,
    "countdown": 104,
    "card_title": 44,
    "card_text": 34,
    "outcome_title": 68,
    "outcome_text": 36,
}
MIDDLE_SHARE = 0.16  # of the window's height: the index row (band, gauge and chart)
MOVE_PHASES = ("inject", "deliberation", "moves")


def moves_open(state: State) -> bool:
    """Whether teams may enter moves now (the console's rule: before the turn's reveal)."""
    return (
        state.started
        and not state.ended
        and state.phase in MOVE_PHASES
        and state.turn not in state.revealed_turns
    )


def can_move(deck: Deck, state: State, team_id: str) -> bool:
    moved = state.decisions_in_turn(state.turn, team_id)
    return moves_open(state) and len(moved) < deck.moves_per_turn and not any(d.passed for d in moved)


def team_colour(deck: Deck, team: TeamState) -> str:
    """A session team's colour: its first deck team's (always shown beside its name)."""
    for member in team.members:
        found = next((t for t in deck.teams if t.id == member), None)
        if found is not None:
            return found.colour
    return "#595959"


class FitText(QtWidgets.QWidget):
    """Word-wrapped text in the largest size (up to `max_px`) that fits the space it is given."""

    def __init__(
        self, text: str = "", *, bold: bool = False, parent: QtWidgets.QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._text = text
        self.bold = bold
        self.max_px = 30
        self.min_px = 14
        self.colour = QtGui.QColor(TEXT)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Ignored)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        self._text = text
        self.setAccessibleName(text)
        self.update()

    def fitted_font(self) -> QtGui.QFont:
        """The largest font (whole pixels, from max_px down to min_px) whose wrapped text fits."""
        font = QtGui.QFont(self.font())
        font.setBold(self.bold)
        flags = int(QtCore.Qt.TextFlag.TextWordWrap)
        for size in range(self.max_px, self.min_px - 1, -1):
            font.setPixelSize(size)
            needed = QtGui.QFontMetrics(font).boundingRect(
                0, 0, max(self.width(), 1), 100000, flags, self._text
            )
            if needed.height() <= self.height():
                break
        return font

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        painter = QtGui.QPainter(self)
        painter.setFont(self.fitted_font())
        painter.setPen(self.colour)
        flags = int(QtCore.Qt.TextFlag.TextWordWrap) | int(
            QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft
        )
        painter.drawText(self.rect(), flags, self._text)
        painter.end()


@dataclass(frozen=True)
class BoardRow:
    colour: str
    name: str
    detail: str

    @property
    def text(self) -> str:
        return f"{self.name}: {self.detail}"


class TeamBoard(QtWidgets.QWidget):
    """The teams in rows: a colour swatch, the name in bold, and a status or a move.

    A row's type shrinks so that every row's whole text fits: on one line while the type stays
    large, else wrapped, a long row (a free-text move) taking more of the board's height than a
    short one; only at `min_px` is a row cut short.
    """

    LINE_HEIGHT = 1.25  # a line's height, in type sizes
    ONE_LINE_LEAST = 0.75  # one line a row is kept while the type is at least this share of the largest

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[BoardRow] = []
        self.columns = 1
        self.max_px = 28
        self.min_px = 10  # the smallest type a row shrinks to so as to show all its text
        # what was sized, the size, and each row laid out at that size (kept for painting)
        self._sized: tuple[object, int, list[QtGui.QTextLayout]] | None = None
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Ignored)

    def set_rows(self, rows: list[BoardRow], columns: int = 1) -> None:
        self.rows, self.columns = rows, max(columns, 1)
        self.setAccessibleName("; ".join(row.text for row in rows))
        self.update()

    def texts(self) -> list[str]:
        return [row.text for row in self.rows]

    def rows_per_column(self) -> int:
        return -(-len(self.rows) // self.columns)

    def text_px(self) -> int:
        """The rows' type size (see the class)."""
        return self._sizing()[0]

    def line_counts(self) -> list[int]:
        """How many lines each row takes whole at `text_px`."""
        return [layout.lineCount() for layout in self._sizing()[1]]

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        if not self.rows:
            return
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        size, layouts = self._sizing()
        counts = [layout.lineCount() for layout in layouts]
        line = size * self.LINE_HEIGHT
        column_width = self.width() / self.columns
        for column, positions in enumerate(self._columns()):
            shown = _capped([counts[p] for p in positions], int(self.height() / line))
            gap = (self.height() - sum(shown) * line) / max(len(positions), 1)
            top = gap / 2
            for position, lines in zip(positions, shown, strict=True):
                row, layout = self.rows[position], layouts[position]
                self._draw_row(painter, row, layout, column * column_width, top, size, lines)
                top += lines * line + gap
        painter.end()

    def _draw_row(
        self,
        painter: QtGui.QPainter,
        row: BoardRow,
        layout: QtGui.QTextLayout,
        left: float,
        top: float,
        size: int,
        lines: int,
    ) -> None:
        swatch = QtCore.QRectF(left + 2, top + size * (self.LINE_HEIGHT - 1) / 2, size, size)
        painter.setPen(QtGui.QPen(QtGui.QColor(TEXT), 1.5))
        painter.setBrush(QtGui.QColor(row.colour))
        painter.drawRect(swatch)
        painter.setPen(QtGui.QColor(TEXT))
        origin = QtCore.QPointF(swatch.right() + size * 0.5, top)
        cut = layout.lineCount() > lines
        for index in range(lines - 1 if cut else lines):
            layout.lineAt(index).draw(painter, origin)
        if cut:
            self._draw_cut(painter, layout, lines - 1, origin, size)

    def _draw_cut(
        self,
        painter: QtGui.QPainter,
        layout: QtGui.QTextLayout,
        index: int,
        origin: QtCore.QPointF,
        size: int,
    ) -> None:
        """Line `index` of the row and what follows it, cut short with an ellipsis."""
        line = layout.lineAt(index)
        bold, plain = self._fonts(size)
        start = line.textStart()
        name_end = layout.text().index(": ") + 2
        x, baseline = origin.x(), origin.y() + line.y() + line.ascent()
        room = self._text_width(size)
        if start < name_end:  # the name begins this line: in bold, then the detail
            painter.setFont(bold)
            name = layout.text()[start:name_end]
            painter.drawText(QtCore.QPointF(x, baseline), name)
            advance = QtGui.QFontMetricsF(bold).horizontalAdvance(name)
            x, room, start = x + advance, room - advance, name_end
        painter.setFont(plain)
        elided = QtCore.Qt.TextElideMode.ElideRight
        painter.drawText(
            QtCore.QPointF(x, baseline),
            QtGui.QFontMetrics(plain).elidedText(layout.text()[start:], elided, int(room)),
        )

    def row_layout(self, row: BoardRow, size: int) -> QtGui.QTextLayout:
        """The row's text laid out in its column at type `size`: the name in bold, wrapped at words."""
        bold, plain = self._fonts(size)
        layout = QtGui.QTextLayout(f"{row.name}: {row.detail}", plain)
        name = QtGui.QTextLayout.FormatRange()
        name.start, name.length = 0, len(row.name) + 1
        name.format.setFont(bold)
        layout.setFormats([name])
        option = QtGui.QTextOption()
        option.setWrapMode(QtGui.QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        width = self._text_width(size)
        layout.beginLayout()
        y = 0.0
        while (line := layout.createLine()).isValid():
            line.setLineWidth(width)
            line.setPosition(QtCore.QPointF(0, y + (size * self.LINE_HEIGHT - line.height()) / 2))
            y += size * self.LINE_HEIGHT
        layout.endLayout()
        return layout

    def _text_width(self, size: int) -> float:
        """The room for a row's name and detail in its column, after the swatch and the gaps."""
        return self.width() / self.columns - 2 - size * 2

    def _columns(self) -> list[range]:
        per_column = max(self.rows_per_column(), 1)
        return [
            range(start, min(start + per_column, len(self.rows)))
            for start in range(0, len(self.rows), per_column)
        ]

    def _sizing(self) -> tuple[int, list[QtGui.QTextLayout]]:
        key = (self.size(), self.columns, tuple(self.rows), self.max_px, self.min_px)
        if self._sized is None or self._sized[0] != key:
            size = self._find_text_px()
            self._sized = (key, size, self._layouts(size))
        return self._sized[1], self._sized[2]

    def _layouts(self, size: int) -> list[QtGui.QTextLayout]:
        return [self.row_layout(row, size) for row in self.rows]

    def _find_text_px(self) -> int:
        largest = max(min(self.max_px, int(self.height() / max(self.rows_per_column(), 1) * 0.62)), 10)
        if not self.rows or largest <= self.min_px:
            return largest
        bold, plain = self._fonts(largest)
        widest = max(self._row_width(row, bold, plain, largest) for row in self.rows)
        column_width = self.width() / self.columns
        if widest <= column_width:
            return largest
        one_line = int(largest * column_width / widest * 0.97)  # 0.97: a margin for hinting
        if one_line >= max(largest * self.ONE_LINE_LEAST, self.min_px):
            return one_line
        low, high = self.min_px, largest  # the largest size at which every row fits whole, if any
        if not self._fits(low):
            return low
        while low < high:
            middle = (low + high + 1) // 2
            low, high = (middle, high) if self._fits(middle) else (low, middle - 1)
        return low

    def _fits(self, size: int) -> bool:
        """Whether every row, wrapped at type `size`, fits its column's height whole."""
        counts, line = [layout.lineCount() for layout in self._layouts(size)], size * self.LINE_HEIGHT
        return all(sum(counts[p] for p in positions) * line <= self.height() for positions in self._columns())

    def _fonts(self, size: int) -> tuple[QtGui.QFont, QtGui.QFont]:
        """The bold (name) and plain (detail) fonts of a row, `size` pixels high."""
        bold, plain = QtGui.QFont(self.font()), QtGui.QFont(self.font())
        bold.setPixelSize(size)
        bold.setBold(True)
        plain.setPixelSize(size)
        return bold, plain

    @staticmethod
    def _row_width(row: BoardRow, bold: QtGui.QFont, plain: QtGui.QFont, size: int) -> float:
        """The width a row takes on one line: swatch, gaps, name and detail."""
        name = QtGui.QFontMetricsF(bold).horizontalAdvance(f"{row.name}: ")
        return 2 + size * 2 + name + QtGui.QFontMetricsF(plain).horizontalAdvance(row.detail)


def _capped(counts: list[int], room: int) -> list[int]:
    """Line counts cut down, the longest first, until they fit `room` lines (one each at least)."""
    shown = list(counts)
    while sum(shown) > room and max(shown) > 1:
        shown[shown.index(max(shown))] -= 1
    return shown


class RoomGauge(EscalationGauge):
    """The escalation bar for the room: numbered bands (named where they fit), the index marked.

    The full name of the current band is in the label above it (`SharedScreen.band_label`).
    """

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        width, height = self.width() - 2, self.height()
        bar_top, bar_height = height * 0.12, height * 0.76
        bands = self.deck.escalation.bands
        current = max((n for n, b in enumerate(bands) if self.index >= b.from_), default=0)
        for position, band in enumerate(bands):
            start = self._x(band.from_, width)
            end = self._x(bands[position + 1].from_, width) if position + 1 < len(bands) else width
            rect = QtCore.QRectF(1 + start, bar_top, end - start, bar_height)
            painter.fillRect(rect, QtGui.QColor(band_colour(position, len(bands))))
            dark = band_colour(position, len(bands)) in ("#4575b4", "#d73027", "#a50026")
            painter.setPen(QtGui.QColor("#ffffff" if dark else TEXT))
            font = QtGui.QFont(self.font())
            font.setBold(position == current)
            painter.setFont(font)
            label = band_text(QtGui.QFontMetrics(font), position, band.label, int(rect.width()) - 8)
            painter.drawText(rect.adjusted(4, 0, -4, 0), int(QtCore.Qt.AlignmentFlag.AlignVCenter), label)
        marker = 1 + self._x(self.index, width)
        painter.setPen(QtGui.QPen(QtGui.QColor("#ffffff"), 7))
        painter.drawLine(QtCore.QPointF(marker, 0), QtCore.QPointF(marker, height))
        painter.setPen(QtGui.QPen(QtGui.QColor(TEXT), 4))
        painter.drawLine(QtCore.QPointF(marker, 0), QtCore.QPointF(marker, height))
        painter.end()


class SharedScreen(QtWidgets.QWidget):
    """The projector display of one session; teams enter their moves on it one at a time.

    `timer` is the console's phase timer, mirrored here. Signals: `entry_opened(team_id)`,
    `entry_closed()`, `closed()`.
    """

    entry_opened = QtCore.Signal(str)
    entry_closed = QtCore.Signal()
    closed = QtCore.Signal()
    # a move entered here could not be stored (StoreUnavailable: it is kept for a retry, or
    # SessionBusy): the console shows it and retries, as for a move entered there
    store_failed = QtCore.Signal(object)

    def __init__(
        self, session: SessionController, timer: PhaseTimer | None = None, cards: TurnCards | None = None
    ) -> None:
        """`timer` and `cards` are the console's (its countdown, the card it shows), if it has one."""
        super().__init__(None)
        self.session = session
        self.timer = timer
        self.cards = cards if cards is not None else TurnCards(self)
        self.cards.changed.connect(self._show_card)
        self.entry: MoveDialog | None = None
        self.entry_team: str | None = None
        self._scaled_for = QtCore.QSize()
        deck = session.deck
        self.setObjectName("sharedScreen")
        self.setWindowTitle(f"Shared screen — {deck.title}")
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.DefaultContextMenu)

        # Header: scenario, turn and phase, countdown.
        self.title = self._label("ssTitle", deck.title)
        self.title.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        self.position = self._label("ssPosition", "")
        self.countdown = self._label("ssCountdown", "00:00")
        self.countdown.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.timer_state = self._label("ssTimerState", "")
        self.timer_state.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        header = QtWidgets.QHBoxLayout()
        titles = QtWidgets.QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.position)
        header.addLayout(titles, 1)
        clock = QtWidgets.QVBoxLayout()
        clock.setSpacing(0)
        clock.addWidget(self.countdown)
        clock.addWidget(self.timer_state)
        header.addLayout(clock)

        self.pages = QtWidgets.QStackedWidget()
        self.room = self._build_room(deck, session.state.turn_count)
        self.entry_page = self._build_entry_page()
        self.outcome_page = self._build_outcome_page()
        for page in (self.room, self.entry_page, self.outcome_page):
            self.pages.addWidget(page)

        layout = QtWidgets.QVBoxLayout(self)
        # The window takes the size it is given (a 720-line projector): its content scales to it
        # rather than setting a minimum size from a larger screen's type.
        layout.setSizeConstraint(QtWidgets.QLayout.SizeConstraint.SetNoConstraint)
        self.outer = layout
        layout.addLayout(header)
        layout.addWidget(self.pages, 1)

        QtGui.QShortcut(QtGui.QKeySequence(QtCore.Qt.Key.Key_F11), self, self.toggle_full_screen)
        QtGui.QShortcut(QtGui.QKeySequence(QtCore.Qt.Key.Key_Escape), self, self.leave_full_screen)
        if timer is not None:
            timer.destroyed.connect(self._timer_gone)
            timer.changed.connect(self.show_timer)
        session.add_listener(self._on_events)
        self._listening = True
        self.resize(1280, 720)
        self._apply_scale()
        self.refresh()

    # --- building -----------------------------------------------------------------------------
    @staticmethod
    def _label(name: str, text: str, wrap: bool = False) -> QtWidgets.QLabel:
        label = QtWidgets.QLabel(text)
        label.setObjectName(name)
        label.setWordWrap(wrap)
        label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        if wrap:
            label.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Preferred)
        return label

    def _build_room(self, deck: Deck, turn_count: int) -> QtWidgets.QWidget:
        self.map = MapView(deck)
        self.card = QtWidgets.QFrame()
        self.card.setObjectName("ssCard")
        self.card_heading = self._label("ssHeading", "Inject")
        self.card_title = self._label("ssCardTitle", "", wrap=True)
        self.card_text = FitText()
        self.card_source = self._label("ssSource", "", wrap=True)
        card_layout = QtWidgets.QVBoxLayout(self.card)
        card_layout.addWidget(self.card_heading)
        card_layout.addWidget(self.card_title)
        card_layout.addWidget(self.card_text, 1)
        card_layout.addWidget(self.card_source)

        self.band_label = self._label("ssBand", "", wrap=True)
        self.gauge = RoomGauge(deck)
        self.gauge.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)
        self.chart = IndexChart(deck, turn_count)
        self.chart.chart().legend().setVisible(False)
        self.chart.setMinimumSize(80, 60)
        self.chart.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Ignored)
        self.chart.setToolTip("The escalation index over the turns; dots are injects")
        self.chart.setBackgroundBrush(QtGui.QColor(BACKGROUND))
        self.chart.chart().setBackgroundVisible(False)
        self.chart.chart().setMargins(QtCore.QMargins(0, 0, 0, 0))
        for axis in (self.chart.x_axis, self.chart.y_axis):
            axis.setTitleVisible(False)
        show_index(self.chart.y_axis, deck, labels=3)
        escalation = QtWidgets.QVBoxLayout()
        escalation.addWidget(self.band_label, 1)
        escalation.addWidget(self.gauge)
        chart_box = QtWidgets.QVBoxLayout()
        chart_box.setSpacing(0)
        chart_box.addWidget(self._label("ssHeading", "Index by turn"))
        chart_box.addWidget(self.chart, 1)
        # The index row keeps its height while the card and the board trade room at the reveal:
        # resizing the chart costs a frame, and it has nothing more to show. It is served first (a
        # weight far above the others') up to a share of the window's height (`_apply_scale`), and
        # gives way only on a screen too small for everything.
        self.middle = QtWidgets.QWidget()
        middle = QtWidgets.QHBoxLayout(self.middle)
        middle.setContentsMargins(0, 0, 0, 0)
        middle.addLayout(escalation, 2)
        middle.addLayout(chart_box, 1)
        self.board_heading = self._label("ssHeading", "Teams")
        self.board = TeamBoard()

        self.right = QtWidgets.QVBoxLayout()
        self.right.addWidget(self.card, 6)
        self.right.addWidget(self.middle, 100)
        self.right.addWidget(self.board_heading)
        self.right.addWidget(self.board, 2)
        right = self.right

        self.entry_label = self._label("ssHeading", "Teams: enter your move here")
        self.entry_bar = QtWidgets.QWidget()
        self.entry_row = QtWidgets.QGridLayout(self.entry_bar)
        self.entry_row.setContentsMargins(0, 0, 0, 0)
        self.entry_buttons: dict[str, QtWidgets.QPushButton] = {}

        body = QtWidgets.QHBoxLayout()
        body.addWidget(self.map, 9)
        body.addLayout(right, 11)
        room = QtWidgets.QWidget()
        layout = QtWidgets.QVBoxLayout(room)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(body, 1)
        layout.addWidget(self.entry_label)
        layout.addWidget(self.entry_bar)
        return room

    def _build_entry_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        self.entry_title = self._label("ssCardTitle", "", wrap=True)
        self.entry_note = self._label("ssSource", "", wrap=True)
        self.entry_error = self._label("ssError", "", wrap=True)
        self.entry_error.setVisible(False)
        self.entry_scroll = QtWidgets.QScrollArea()
        self.entry_scroll.setWidgetResizable(True)
        self.entry_scroll.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        layout = QtWidgets.QVBoxLayout(page)
        layout.addWidget(self.entry_title)
        layout.addWidget(self.entry_note)
        layout.addWidget(self.entry_error)
        layout.addWidget(self.entry_scroll, 1)
        return page

    def _build_outcome_page(self) -> QtWidgets.QWidget:
        page = QtWidgets.QWidget()
        self.outcome_heading = self._label("ssHeading", "Outcome")
        self.outcome_title = self._label("ssOutcomeTitle", "", wrap=True)
        self.outcome_text = FitText()
        self.debrief_heading = self._label("ssCardTitle", "Debrief questions")
        self.debrief_text = FitText()
        layout = QtWidgets.QVBoxLayout(page)
        layout.addWidget(self.outcome_heading)
        layout.addWidget(self.outcome_title)
        layout.addWidget(self.outcome_text, 2)
        layout.addWidget(self.debrief_heading)
        layout.addWidget(self.debrief_text, 3)
        return page

    # --- following the session ------------------------------------------------------------------
    def _on_events(self, events: Sequence[Event], state: State) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Redraw everything from the controller's state."""
        session, state, deck = self.session, self.session.state, self.session.deck
        if state.started:
            self.position.setText(f"Turn {state.turn} of {state.turn_count} · {phase_title(state.phase)}")
        else:
            self.position.setText(f"Starting soon · {state.turn_count} turns")
        if state.ended:
            self.position.setText(f"Session ended after turn {state.turn} of {state.turn_count}")
        self.cards.update_from(state)
        self._show_card()
        bands = deck.escalation.bands
        position = next(n for n, b in enumerate(bands) if b.id == session.band)
        self.gauge.set_index(state.index, bands[position].label)
        self.band_label.setText(
            f"Escalation index {state.index:g} · band {position + 1} of {len(bands)}: {bands[position].label}"
        )
        self.chart.update_from(state)
        self.map.update_from(state)
        self._show_board(deck, state)
        self._show_entry_buttons(deck, state)
        if self.entry_team is not None and not can_move(deck, state, self.entry_team):
            self.close_entry()  # moved from the console meanwhile, or the moves closed
        self._show_outcome(deck, state)
        if self.entry_team is None:
            self.pages.setCurrentWidget(self.outcome_page if state.ended else self.room)
        self.show_timer()

    def _show_card(self) -> None:
        deck, injection = self.session.deck, self.cards.current
        if injection is None:
            self.card_heading.setText("Inject")
            self.card_title.setText("No inject yet")
            self.card_text.setText("The turn's inject appears here when the turn starts.")
            self.card_source.setText("")
            return
        card = deck.card(injection.card)
        which = f" {self.cards.position + 1} of {self.cards.count}" if self.cards.count > 1 else ""
        self.card_heading.setText(f"Inject{which} · turn {injection.turn}")
        self.card_title.setText(card.title)
        self.card_text.setText(reflow(card.text))
        self.card_source.setText(source_line(deck, card))

    def _show_board(self, deck: Deck, state: State) -> None:
        teams = state.active_teams()
        revealed = state.turn in state.revealed_turns
        # After the reveal the moves need the room; the inject was read out already.
        set_stretch(self.right, self.card, 0 if revealed else 6)
        set_stretch(self.right, self.board, 1 if revealed else 2)
        self.card_text.setVisible(not revealed)
        self.card_source.setVisible(not revealed)
        if revealed:
            self.board_heading.setText(f"Moves of turn {state.turn}")
            rows = [self._move_row(deck, state, d) for d in state.decisions_in_turn(state.turn)]
            self.board.set_rows(rows, 1)
            self._size_board()
            return
        submitted = state.submitted_teams()
        self.board_heading.setText(
            f"Moves this turn: {len(submitted & {t.id for t in teams})} of {len(teams)} submitted"
            if state.started
            else "Teams"
        )
        rows = []
        for team in teams:
            if not state.started:
                status = "ready"
            elif team.id in submitted:
                status = "✔ moved"
            else:
                status = "… waiting"
            rows.append(BoardRow(team_colour(deck, team), short_team_name(team.name), status))
        self.board.set_rows(rows, 2 if len(rows) > 4 else 1)
        self._size_board()

    def _size_board(self) -> None:
        """Room for every row of the board in body type; the inject card gives way."""
        per_column = self.board.rows_per_column()
        self.board.setMinimumHeight(round(per_column * self.px("body") * 1.25))

    def _move_row(self, deck: Deck, state: State, decision: Decision) -> BoardRow:
        team = state.teams[decision.team]
        detail = move_with_target(deck, state, decision)
        return BoardRow(team_colour(deck, team), short_team_name(team.name), detail)

    def _share_entry_row(self, per_row: int) -> None:
        """Each column of team buttons as wide as its longest name needs, in proportion: a merged
        team's long name ('Lithuania and Estonia') is not cut to fit an even share."""
        buttons = list(self.entry_buttons.values())
        for column in range(self.entry_row.columnCount()):
            names = buttons[column::per_row] if column < per_row else []
            if not names:
                self.entry_row.setColumnStretch(column, 0)
                continue
            metrics = names[0].fontMetrics()
            widest = max(metrics.horizontalAdvance(button.text()) for button in names)
            self.entry_row.setColumnStretch(column, widest + metrics.height() * 2)  # + padding and border

    def _show_entry_buttons(self, deck: Deck, state: State) -> None:
        ready = [t for t in state.active_teams() if can_move(deck, state, t.id)]
        if [t.id for t in ready] != list(self.entry_buttons):
            for button in self.entry_buttons.values():
                self.entry_row.removeWidget(button)
                button.hide()  # now: a deferred delete waits for the event loop
                button.deleteLater()
            self.entry_buttons = {}
            per_row = len(ready) if len(ready) <= 8 else -(-len(ready) // 2)
            for position, team in enumerate(ready):
                button = QtWidgets.QPushButton(short_team_name(team.name))
                button.setObjectName("ssTeamButton")
                button.setToolTip(plain_tip(f"{team.name}: enter your move here (nobody else's shows)"))
                button.setAccessibleName(f"Enter the move of {team.name}")
                button.setSizePolicy(QtWidgets.QSizePolicy.Policy.Ignored, QtWidgets.QSizePolicy.Policy.Fixed)
                button.setStyleSheet(f"QPushButton {{ border-left: 0.6em solid {team_colour(deck, team)}; }}")
                button.clicked.connect(lambda _checked=False, chosen=team.id: self.open_entry(chosen))
                self.entry_row.addWidget(button, *divmod(position, per_row))
                self.entry_buttons[team.id] = button
            self._share_entry_row(per_row)
        self.entry_bar.setVisible(bool(ready))
        self.entry_label.setVisible(bool(ready))

    def _show_outcome(self, deck: Deck, state: State) -> None:
        if not state.ended or state.outcome is None:
            return
        outcome = deck.outcome(state.outcome)
        band = next(b.label for b in deck.escalation.bands if b.id == self.session.band)
        self.outcome_title.setText(outcome.title)
        self.outcome_text.setText(
            f"{reflow(outcome.description)}\n\nThe escalation index ended at {state.index:g}: {band}."
        )
        self.debrief_text.setText("\n".join(f"{n}. {q}" for n, q in enumerate(outcome.debrief, start=1)))
        self.debrief_heading.setVisible(bool(outcome.debrief))

    # --- the countdown --------------------------------------------------------------------------
    def show_timer(self) -> None:
        """Mirror the console's phase timer (at each of its changes)."""
        if self.timer is None:
            self.countdown.setText("")
            self.timer_state.setText("")
            return
        minutes, seconds = divmod(self.timer.remaining, 60)
        text = f"{minutes:02d}:{seconds:02d}"
        state = self.timer.state if self.session.state.started and not self.session.state.ended else "idle"
        words = {"running": "running", "paused": "paused", "alert": "TIME IS UP", "idle": ""}[state]
        if self.countdown.text() != text or self.countdown.property("state") != state:
            self.countdown.setText(text if state != "idle" else "")
            self.countdown.setProperty("state", state)
            self.countdown.style().unpolish(self.countdown)
            self.countdown.style().polish(self.countdown)
        self.timer_state.setText(words)

    def _timer_gone(self) -> None:
        self.timer = None

    # --- team entry -----------------------------------------------------------------------------
    def open_entry(self, team_id: str) -> bool:
        """Switch to the entry view for one team (only while that team may still move)."""
        state, deck = self.session.state, self.session.deck
        if not can_move(deck, state, team_id):
            return False
        self.close_entry(announce=False)
        team = state.teams[team_id]
        form = MoveDialog(deck, state, team_id)
        form.setWindowFlags(QtCore.Qt.WindowType.Widget)  # embedded: a page of this window
        form.setObjectName("ssEntry")
        form.accepted.connect(self._submit_entry)
        form.rejected.connect(self.close_entry)
        for box in (form.action_box, form.target_box):  # long action labels must not widen the window
            narrow_combo(box)
        self.entry, self.entry_team = form, team_id
        self.entry_title.setText(f"{team.name}: enter your move — turn {state.turn}")
        self.entry_note.setText(
            f"Only {team.name} should look now. Nobody else's move shows here, and this one "
            "disappears as soon as you submit it."
        )
        self.entry_error.setVisible(False)
        self.entry_scroll.setWidget(form)
        form.show()
        self.pages.setCurrentWidget(self.entry_page)
        self._apply_scale(force=True)
        form.action_box.setFocus()
        self.entry_opened.emit(team_id)
        return True

    def _submit_entry(self) -> None:
        if self.entry is None:
            return
        command: c.SubmitDecision = self.entry.command()
        try:
            self.session.execute(command)
        except StoreUnavailable as exc:
            self.close_entry()  # the move is kept, and stored when the database is back
            self.store_failed.emit(exc)
            return
        except WargameError as exc:
            if isinstance(exc, SessionBusy):
                self.store_failed.emit(exc)
            self.entry.show()  # the dialog hid itself on accept: keep the form, say why
            self.entry_error.setText(str(exc))
            self.entry_error.setVisible(True)
            return
        self.close_entry()

    def close_entry(self, announce: bool = True) -> None:
        """Leave the entry view; the form and everything typed in it are discarded."""
        if self.entry is None:
            return
        form, self.entry, self.entry_team = self.entry, None, None
        self.entry_scroll.takeWidget()
        form.hide()
        form.deleteLater()
        self.entry_title.setText("")
        self.entry_note.setText("")
        self.entry_error.setVisible(False)
        self.pages.setCurrentWidget(self.outcome_page if self.session.state.ended else self.room)
        if announce:
            self.entry_closed.emit()

    # --- the window -----------------------------------------------------------------------------
    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def leave_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()

    def send_to_screen(self, screen: QtGui.QScreen) -> None:
        """Move the window to another monitor (keeping full screen if it was)."""
        full = self.isFullScreen()
        if full:
            self.showNormal()
        self.setScreen(screen)
        area = screen.availableGeometry()
        self.move(area.topLeft())
        if full:
            self.showFullScreen()

    def screen_menu(self, parent: QtWidgets.QWidget | None = None) -> QtWidgets.QMenu:
        """Full screen, and "Send to screen" with every connected monitor."""
        menu = QtWidgets.QMenu(parent or self)
        full = menu.addAction("Leave full screen (Esc)" if self.isFullScreen() else "Full screen (F11)")
        full.triggered.connect(self.toggle_full_screen)
        send = menu.addMenu("Send to screen")
        for number, screen in enumerate(QtGui.QGuiApplication.screens(), start=1):
            size = screen.geometry().size()
            action = send.addAction(f"{number}: {screen.name()} ({size.width()}×{size.height()})")
            action.triggered.connect(lambda _checked=False, chosen=screen: self.send_to_screen(chosen))
        return menu

    def contextMenuEvent(self, event: QtGui.QContextMenuEvent) -> None:
        self.screen_menu().exec(event.globalPos())

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        super().resizeEvent(event)
        self._apply_scale()

    def showEvent(self, event: QtGui.QShowEvent) -> None:
        """Shown again after it was closed (its window's close button): follow the session again,
        from where it stands now."""
        super().showEvent(event)
        if not self._listening:
            self.session.add_listener(self._on_events)
            self._listening = True
            self.refresh()

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self._listening:
            self.session.remove_listener(self._on_events)
            self._listening = False
        self.closed.emit()
        super().closeEvent(event)

    # --- sizes ----------------------------------------------------------------------------------
    def scale(self) -> float:
        """The window's size against 1920×1080, by its tighter side: a 4:3 or 16:10 projector
        (1024×768, 1280×800) has the width of its type, not its height."""
        return min(self.height() / 1080, self.width() / 1920)

    def px(self, name: str) -> int:
        """A font size of SIZES in pixels, for the window's current size (`scale`)."""
        return max(round(SIZES[name] * self.scale()), 11)

    def _apply_scale(self, force: bool = False) -> None:
        if self.size() == self._scaled_for and not force:
            return
        self._scaled_for = self.size()
        px = self.px
        pad = max(round(10 * self.scale()), 4)
        self.outer.setContentsMargins(pad * 2, pad, pad * 2, pad)
        self.setStyleSheet(
            f"""
            #sharedScreen {{ background: {BACKGROUND}; }}
            #sharedScreen QWidget {{ color: {TEXT}; font-size: {px("body")}px; }}
            #sharedScreen QLabel#ssTitle {{ font-size: {px("title")}px; font-weight: bold; }}
            #sharedScreen QLabel#ssPosition {{ font-size: {px("position")}px; font-weight: bold; }}
            #sharedScreen QLabel#ssCountdown {{
                font-size: {px("countdown")}px; font-weight: bold; font-family: monospace;
                padding: 0 {pad}px; border-radius: {pad}px;
            }}
            #sharedScreen QLabel#ssCountdown[state="alert"] {{ color: #ffffff; background: {ALERT}; }}
            #sharedScreen QLabel#ssTimerState {{ font-size: {px("small")}px; font-weight: bold; }}
            #sharedScreen QLabel#ssHeading {{ font-size: {px("small")}px; font-weight: bold; color: #333; }}
            #sharedScreen QLabel#ssCardTitle {{ font-size: {px("card_title")}px; font-weight: bold; }}
            #sharedScreen QLabel#ssSource {{ font-size: {px("small")}px; font-style: italic; color: #333; }}
            #sharedScreen QLabel#ssBand {{ font-size: {px("body")}px; font-weight: bold; }}
            #sharedScreen QLabel#ssError {{ color: {ALERT}; font-weight: bold; }}
            #sharedScreen QLabel#ssOutcomeTitle {{ font-size: {px("outcome_title")}px; font-weight: bold; }}
            #sharedScreen QFrame#ssCard {{
                background: #fffdf5; border: {max(pad // 3, 2)}px solid {TEXT}; border-radius: {pad}px;
            }}
            #sharedScreen QFrame#ssCard QLabel {{ background: transparent; border: none; }}
            #sharedScreen QPushButton {{
                padding: {pad // 2}px {pad * 2}px; border: 2px solid {TEXT}; border-radius: {pad // 2}px;
                background: #ffffff; font-weight: bold;
            }}
            #sharedScreen QPushButton:disabled {{ color: #6b6b6b; border-color: #9a9a9a; }}
            #sharedScreen QComboBox, #sharedScreen QPlainTextEdit {{
                background: #ffffff; border: 2px solid #444444; padding: {pad // 3}px;
            }}
            #sharedScreen QComboBox:disabled, #sharedScreen QPlainTextEdit:disabled {{
                background: #dcdcdc; color: #6b6b6b; border-color: #9a9a9a;
            }}
            #sharedScreen QDialog#ssEntry, #sharedScreen QScrollArea {{ background: {BACKGROUND}; }}
            """
        )
        self.middle.setMaximumHeight(round(self.height() * MIDDLE_SHARE))
        self.card_text.max_px = px("card_text")
        self.card_text.min_px = px("small") - 4
        for text in (self.outcome_text, self.debrief_text):
            text.max_px = px("outcome_text")
            text.min_px = px("small") - 4
        self.board.max_px = px("body")
        self.board.min_px = px("small")
        self._size_board()
        self.gauge.ensurePolished()
        self.gauge.setFixedHeight(round(self.gauge.fontMetrics().height() * 1.8))
        self._scale_chart(px("small") - 6)
        if self.entry is not None:
            self.entry.ensurePolished()
            line = self.entry.fontMetrics().height()
            for box in (self.entry.free_text, self.entry.rationale, self.entry.predict):
                box.setMaximumHeight(line * 3 + pad)
            self.entry.description.setMinimumHeight(line * 3)

    def _scale_chart(self, size: int) -> None:
        """Axis labels in the small size less a third: the chart shows a trend, not figures."""
        size = round(size * 0.8)
        font = QtGui.QFont(self.font())
        font.setPixelSize(max(size, 10))
        for axis in (self.chart.x_axis, self.chart.y_axis):
            axis.setLabelsFont(font)
            axis.setTitleFont(font)
        self.chart.cards.setMarkerSize(max(size * 0.6, 8))
        pen = QtGui.QPen(QtGui.QColor("#1f5fa8"), max(size / 7, 2))
        self.chart.line.setPen(pen)
