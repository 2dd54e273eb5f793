"""Small display widgets of the console: phase stepper, phase timer, escalation gauge, inject card."""

from __future__ import annotations

import re

from wargame.deck.models import Card, Deck
from wargame.session.steps import phase_title
from wargame.ui.qt import QtCore, QtGui, QtWidgets, plain_label, plain_tip
from wargame.ui.style import band_colour


def _restyle(widget: QtWidgets.QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def set_stretch(layout: QtWidgets.QBoxLayout, widget: QtWidgets.QWidget, stretch: int) -> None:
    """Give `widget` its share of `layout`, only if it changes: setting even the same stretch
    invalidates the layout (a relayout of the window at every command)."""
    if layout.stretch(layout.indexOf(widget)) != stretch:
        layout.setStretchFactor(widget, stretch)


MIN_CUT_NAME = 5  # letters of a band's name worth showing before an ellipsis


def short_band_name(label: str) -> str:
    """A band's name without its closing remark in brackets: 'Intense crisis (rungs 10–12)' →
    'Intense crisis'; the name itself when that would leave nothing."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", label) or label


def band_text(metrics: QtGui.QFontMetrics, position: int, label: str, room: int) -> str:
    """A band's number and name as they fit in `room` pixels: whole, else without the name's
    bracketed remark, else that cut short, else the number alone. The number tells apart bands
    whose cut names read the same ('2. Traditional crisis: h…', '3. Traditional crisis: h…')."""
    number = f"{position + 1}."
    for name in (label, short_band_name(label)):
        if metrics.horizontalAdvance(f"{number} {name}") <= room:
            return f"{number} {name}"
    cut = metrics.elidedText(f"{number} {short_band_name(label)}", QtCore.Qt.TextElideMode.ElideRight, room)
    if len(cut) - len(number) - 2 >= MIN_CUT_NAME:
        return cut
    return str(position + 1) if metrics.horizontalAdvance(str(position + 1)) <= room else ""


def narrow_combo(box: QtWidgets.QComboBox, characters: int = 12) -> None:
    """Let a combo box be as narrow as `characters` letters: its longest choice must not widen
    the window (a narrower box shortens the choice shown; the list that drops down is whole)."""
    box.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(characters)


class PhaseStepper(QtWidgets.QWidget):
    """The phases of a turn in a row, the current one highlighted and those done shaded.

    Where the row has no room for every phase's name (a 1024- or 1366-pixel laptop), the phases
    show their numbers and only the current one its name: the row's minimum width is that.
    """

    def __init__(self, phases: tuple[str, ...], parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._position: tuple[int, int, str | None] | None = None  # what the labels show now
        self._compact = False
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # the labels' own minimum (their full names) must not hold the row wide: see minimumSizeHint
        layout.setSizeConstraint(QtWidgets.QLayout.SizeConstraint.SetNoConstraint)
        self.turn_label = QtWidgets.QLabel("Not started")
        self.turn_label.setObjectName("subtitle")
        layout.addWidget(self.turn_label)
        self.labels: dict[str, QtWidgets.QLabel] = {}
        self.names: dict[str, str] = {}
        for number, phase in enumerate(phases, start=1):
            self.names[phase] = f"{number}. {phase_title(phase)}"
            label = QtWidgets.QLabel(self.names[phase])
            label.setObjectName("phaseStep")
            label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
            self.labels[phase] = label
            layout.addWidget(label)
        layout.addStretch(1)
        self.phases = phases

    def _width(self, compact: bool) -> int:
        """The row's width with every name (or, `compact`, with numbers and the longest name)."""
        layout = self.layout()
        assert layout is not None
        labels = list(self.labels.values())
        for widget in (*labels, self.turn_label):
            widget.ensurePolished()  # the style sheet's padding and bold type
        metrics = labels[0].fontMetrics()
        padding = max(label.sizeHint().width() - metrics.horizontalAdvance(label.text()) for label in labels)
        texts = [str(n) for n in range(1, len(labels) + 1)] if compact else list(self.names.values())
        widths = [metrics.horizontalAdvance(text) + padding for text in texts]
        if compact:
            widest = max(metrics.horizontalAdvance(name) + padding for name in self.names.values())
            widths.append(widest - min(widths))  # the current phase keeps its name
        return self.turn_label.sizeHint().width() + sum(widths) + layout.spacing() * len(labels)

    def sizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(self._width(compact=False), super().sizeHint().height())

    def minimumSizeHint(self) -> QtCore.QSize:
        return QtCore.QSize(self._width(compact=True), super().minimumSizeHint().height())

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:
        compact = self.width() < self._width(compact=False)
        if compact != self._compact:
            self._compact = compact
            self._name_labels()
        super().resizeEvent(event)

    def _name_labels(self) -> None:
        for number, (phase, label) in enumerate(self.labels.items(), start=1):
            shown = str(number) if self._compact and not label.property("current") else self.names[phase]
            if label.text() != shown:
                label.setText(shown)
            label.setToolTip(("Current phase: " if label.property("current") else "") + self.names[phase])

    def set_position(self, turn: int, turn_count: int, phase: str | None) -> None:
        if (turn, turn_count, phase) == self._position:
            return  # restyling the labels costs a style-sheet pass each: only when the phase moves
        self._position = (turn, turn_count, phase)
        self.turn_label.setText(f"Turn {turn} of {turn_count}" if turn else f"{turn_count} turns")
        self.updateGeometry()  # the turn's label is part of the row's width
        current = self.phases.index(phase) if phase in self.phases else -1
        for position, (name, label) in enumerate(self.labels.items()):
            looks = (name == phase, 0 <= position < current)
            if (label.property("current"), label.property("done")) == looks:
                continue  # a restyle costs a style-sheet pass: only the labels that change
            label.setProperty("current", looks[0])
            label.setProperty("done", looks[1])
            _restyle(label)
        self._name_labels()

    def current_phase(self) -> str | None:
        for name, label in self.labels.items():
            if label.property("current"):
                return name
        return None


class PhaseTimer(QtWidgets.QWidget):
    """A countdown the facilitator controls: start, pause, add a minute; an alert at zero.

    Signals: `expired` when the countdown reaches zero, `changed` whenever what it shows does.
    """

    expired = QtCore.Signal()
    changed = QtCore.Signal()

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.remaining = 0
        self.running = False
        self.ran_out = False  # the countdown reached zero (a phase with no time set is idle, not late)
        self._ticker = QtCore.QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.tick)
        self.display = QtWidgets.QLabel("00:00")
        self.display.setObjectName("timer")
        self.display.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        font = QtGui.QFont("monospace")  # as the stylesheet sets it, to size the label for the longest time
        font.setStyleHint(QtGui.QFont.StyleHint.Monospace)
        font.setPointSize(26)
        font.setBold(True)
        self.display.setMinimumWidth(QtGui.QFontMetrics(font).horizontalAdvance("000:00") + 24)
        self.state_label = QtWidgets.QLabel("Paused")
        self.state_label.setObjectName("timerState")
        self.start_button = QtWidgets.QPushButton("Start")
        self.start_button.setToolTip("Start or pause the phase timer (Ctrl+T)")
        self.start_button.clicked.connect(self.toggle)
        self.add_button = QtWidgets.QPushButton("+1 min")
        self.add_button.setToolTip("Give this phase one more minute (Ctrl+M)")
        self.add_button.clicked.connect(self.add_minute)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.display)
        column = QtWidgets.QVBoxLayout()
        column.addWidget(self.state_label)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.add_button)
        column.addLayout(buttons)
        layout.addLayout(column)
        self._show()

    def reset(self, minutes: float) -> None:
        """A new phase: the countdown is set to its minutes and paused."""
        self.pause()
        self.remaining = round(minutes * 60)
        self.ran_out = False
        self._show()

    def restore(self, remaining: int, ran_out: bool) -> None:
        """The countdown where it stood when the session was closed, paused."""
        self.pause()
        self.remaining, self.ran_out = max(0, remaining), ran_out
        self._show()

    def start(self) -> None:
        if self.remaining <= 0:
            return
        self.running = True
        self._ticker.start()
        self._show()

    def pause(self) -> None:
        self.running = False
        self._ticker.stop()
        self._show()

    def toggle(self) -> None:
        self.pause() if self.running else self.start()

    def add_minute(self) -> None:
        self.remaining += 60
        self.ran_out = False
        self._show()

    def tick(self) -> None:
        if not self.running:
            return
        self.remaining = max(0, self.remaining - 1)
        if self.remaining == 0:
            self.ran_out = True
            self.pause()
            QtWidgets.QApplication.beep()
            self.expired.emit()
        self._show()

    @property
    def state(self) -> str:
        if self.remaining == 0:
            return "alert" if self.ran_out else "idle"
        return "running" if self.running else "paused"

    def _show(self) -> None:
        minutes, seconds = divmod(self.remaining, 60)
        state = self.state
        self.display.setText("--:--" if state == "idle" else f"{minutes:02d}:{seconds:02d}")
        self.display.setProperty("state", state)
        _restyle(self.display)
        self.state_label.setText(
            {"running": "● Running", "paused": "‖ Paused", "alert": "Time is up!", "idle": "No phase yet"}[
                state
            ]
        )
        self.start_button.setText("Pause" if self.running else "Start")
        self.changed.emit()


class EscalationGauge(QtWidgets.QWidget):
    """The escalation index on its bands: a bar with every band named and the index marked."""

    def __init__(self, deck: Deck, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.deck = deck
        self.index = float(deck.escalation.start)
        self.band_label = ""
        bands = deck.escalation.bands
        self.low = deck.escalation.min if deck.escalation.min is not None else min(b.from_ for b in bands)
        top = deck.escalation.max
        self.high = top if top is not None else max(b.from_ for b in bands) + 20
        self.setMinimumHeight(self.fontMetrics().height() * 5)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Expanding, QtWidgets.QSizePolicy.Policy.Fixed)

    def set_index(self, index: float, band_label: str) -> None:
        self.index = index
        self.band_label = band_label
        self.setToolTip(f"Escalation index {index:g}: {band_label}")
        self.update()

    def _x(self, value: float, width: float) -> float:
        span = (self.high - self.low) or 1
        return (min(max(value, self.low), self.high) - self.low) / span * width

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:
        painter = QtGui.QPainter(self)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        line = metrics.height()
        width = self.width() - 2
        bar_top, bar_height = line * 1.6, line * 1.6
        bands = self.deck.escalation.bands
        for position, band in enumerate(bands):
            start = self._x(band.from_, width)
            end = self._x(bands[position + 1].from_, width) if position + 1 < len(bands) else width
            rect = QtCore.QRectF(1 + start, bar_top, end - start, bar_height)
            painter.fillRect(rect, QtGui.QColor(band_colour(position, len(bands))))
            painter.setPen(QtGui.QColor("#1b1f24"))
            label = band_text(metrics, position, band.label, int(rect.width()) - 6)
            painter.drawText(rect.adjusted(3, 0, -3, 0), int(QtCore.Qt.AlignmentFlag.AlignVCenter), label)
        marker = 1 + self._x(self.index, width)
        painter.setPen(QtGui.QPen(QtGui.QColor("#111111"), 3))
        painter.drawLine(
            QtCore.QPointF(marker, bar_top - 4), QtCore.QPointF(marker, bar_top + bar_height + 4)
        )
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        current = max((n for n, band in enumerate(bands) if self.index >= band.from_), default=0)
        text = painter.fontMetrics().elidedText(
            f"Escalation index {self.index:g} · band {current + 1} of {len(bands)}: {self.band_label}",
            QtCore.Qt.TextElideMode.ElideRight,
            int(width),
        )
        text_width = painter.fontMetrics().horizontalAdvance(text)
        left = min(max(marker - text_width / 2, 0), max(width - text_width, 0))
        painter.drawText(QtCore.QPointF(left, line * 1.1), text)
        painter.end()


class CardView(QtWidgets.QFrame):
    """The current inject card, in type large enough to read aloud from.

    When the turn has several cards, arrows step through them. Signals: `step_requested(delta)`,
    -1 for the previous card and +1 for the next.
    """

    step_requested = QtCore.Signal(int)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.setStyleSheet("CardView { background: #fffdf5; border: 2px solid #d8c88a; border-radius: 8px; }")
        self.heading = QtWidgets.QLabel("Inject")
        self.heading.setObjectName("subtitle")
        self.previous_card = self._arrow(
            "◀ Previous", "The turn's previous card (also on the shared screen)", -1
        )
        self.next_card = self._arrow("Next card ▶", "The turn's next card (also on the shared screen)", 1)
        self.card_count = QtWidgets.QLabel("")
        self.card_count.setObjectName("cardCount")
        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.previous_card)
        top.addWidget(self.card_count)
        top.addWidget(self.next_card)
        self.title = plain_label("No card yet")
        self.title.setObjectName("cardTitle")
        self.title.setWordWrap(True)
        self.text = plain_label("The turn's inject appears here when the turn starts.")
        self.text.setObjectName("cardText")
        self.text.setWordWrap(True)
        self.text.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
        self.source = plain_label()
        self.source.setObjectName("cardSource")
        self.source.setWordWrap(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.source)
        self.compact = False
        self._show_position(0, 0)

    def _arrow(self, text: str, tip: str, delta: int) -> QtWidgets.QPushButton:
        button = QtWidgets.QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(lambda: self.step_requested.emit(delta))
        return button

    def _show_position(self, position: int, count: int) -> None:
        several = count > 1
        for widget in (self.previous_card, self.card_count, self.next_card):
            widget.setVisible(several)
        self.card_count.setText(f"Card {position + 1} of {count}" if several else "")
        self.previous_card.setEnabled(position > 0)
        self.next_card.setEnabled(position < count - 1)

    def show_card(
        self, deck: Deck, card: Card | None, heading: str = "Inject", position: int = 0, count: int = 1
    ) -> None:
        """`card`, the `position`-th (from 0) of the turn's `count` cards."""
        self.heading.setText(heading)
        self._show_position(position, count if card is not None else 0)
        if card is None:
            self.title.setText("No card yet")
            self.text.setText("The turn's inject appears here when the turn starts.")
            self.source.setText("")
            self._show_tooltip()
            return
        self.title.setText(card.title)
        self.text.setText(reflow(card.text))
        self.source.setText(source_line(deck, card))
        self._show_tooltip()

    def set_compact(self, compact: bool) -> None:
        """Only the heading and title (the text in a tooltip): after the reveal the card has been
        read out, and the moves need the room."""
        self.compact = compact
        self.text.setVisible(not compact)
        self.source.setVisible(not compact)
        self._show_tooltip()

    def _show_tooltip(self) -> None:
        whole = f"{self.text.text()}\n\n{self.source.text()}".strip()
        self.setToolTip(plain_tip(whole) if self.compact else "")


def source_line(deck: Deck, card: Card) -> str:
    """Who the card's content comes from, as players see it."""
    if card.hypothetical:
        return "Hypothetical: a plausible consequence, not reported in the sources"
    source = next((s for s in deck.sources if s.id == card.source), None)
    if source is None:
        return card.source
    who = ", ".join(part for part in (source.author, source.outlet, source.date) if part)
    return f"Source: {source.title}" + (f" ({who})" if who else "")


def reflow(text: str) -> str:
    """Deck text as paragraphs: single line breaks (YAML wrapping) become spaces."""
    paragraphs = [" ".join(part.split()) for part in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)
