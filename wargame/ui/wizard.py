"""The "new session" wizard: deck, class, teams, turns and timing, seed, then a summary.

Build, exec, return (novelWriter's dialog shape): `ask_new_session(parent)` gives the chosen
deck and the `CreateSession` command to run, or None when the facilitator cancels. The last
deck, class label, facilitator name and minutes per phase are remembered in QSettings.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wargame.deck import DEFAULT_DECK_ID, Deck, DeckError, LoadedDeck, builtin_deck_ids, load_deck_file
from wargame.deck import resolve_deck as resolve_builtin_deck
from wargame.deck.models import Grouping, Team
from wargame.engine.commands import CreateSession, TeamSetup
from wargame.ui.qt import (
    QCheckBox,
    QColor,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFont,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QIcon,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPainter,
    QPixmap,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSettings,
    QSpinBox,
    Qt,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

SEED_MAX = 2**31 - 1
MINUTES_MAX = 240.0
SETTINGS = "new_session"
DECK_FILE_FILTER = "Deck files (*.yaml *.yml);;All files (*)"

PHASE_LABELS = {
    "inject": ("&Inject", "Cards (news, incidents) are read out to the class."),
    "deliberation": ("&Deliberation", "Teams discuss the situation and their options."),
    "moves": ("&Moves", "Each team hands in its move for the turn."),
    "reveal": ("&Reveal", "All moves are shown at once."),
    "adjudication": ("&Adjudication", "The facilitator rules on the moves' effects."),
    "scoring": ("S&coring", "The escalation index and the teams' points are updated."),
}

SEED_TOOLTIP = (
    "The random seed decides the random cards drawn during the session.\n"
    "The same deck, the same seed and the same moves replay exactly the same session:\n"
    "note it down (it is also stored with the session) to replay a run with another class."
)


# --- decks ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeckChoice:
    """One entry of the deck list: a deck that loaded, or the problems that stopped it.

    `key` is what the settings remember: `builtin:ID` or `file:PATH`.
    """

    key: str
    loaded: LoadedDeck | None
    problems: tuple[str, ...] = ()

    @property
    def reference(self) -> str:
        return self.key.partition(":")[2]

    @property
    def is_file(self) -> bool:
        return self.key.startswith("file:")


def load_choice(key: str) -> DeckChoice:
    """Load the deck a settings key names; any failure becomes `FILE:LINE:COLUMN: message` lines."""
    kind, _, reference = key.partition(":")
    try:
        loaded = load_deck_file(reference) if kind == "file" else resolve_builtin_deck(reference)
    except DeckError as exc:
        return DeckChoice(key, None, tuple(str(problem) for problem in exc.problems))
    except Exception as exc:  # never a traceback in the wizard: show whatever went wrong as a line
        return DeckChoice(key, None, (f"{reference}:1:1: cannot load this deck: {exc}",))
    return DeckChoice(key, loaded)


def parse_players(text: str) -> tuple[str, ...]:
    """Comma-separated player names, trimmed, empty ones dropped."""
    return tuple(name.strip() for name in text.split(",") if name.strip())


def swatch(colours: list[str], size: int) -> QIcon:
    """A square icon in a team's colour (a grouping: one stripe per member), with a thin border."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor("#ffffff"))
    painter = QPainter(pixmap)
    for index, colour in enumerate(colours):
        left = index * size // len(colours)
        right = (index + 1) * size // len(colours)
        painter.fillRect(left, 0, right - left, size, QColor(colour))
    painter.setPen(QColor("#404040"))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return QIcon(pixmap)


def format_minutes(minutes: float) -> str:
    whole = round(minutes)
    if abs(minutes - whole) > 1e-9:
        return f"{minutes:g} min"
    hours, rest = divmod(whole, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


def bold(widget: QLabel) -> QLabel:
    font = widget.font()
    font.setBold(True)
    widget.setFont(font)
    return widget


def monospace() -> QFont:
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


# --- page 1: the deck -------------------------------------------------------------------------


class DeckPage(QWizardPage):
    """A built-in deck or a deck file; a broken deck shows its problems and cannot be chosen."""

    def __init__(self, settings: QSettings) -> None:
        super().__init__()
        self.setTitle("Deck")
        self.setSubTitle("Choose the scenario to play: a deck that comes with wargame, or a deck file.")
        self._choices: list[DeckChoice] = []

        self.deck_list = QListWidget()
        self.deck_list.setToolTip("The decks you can play. Select one to see what it is about.")
        self.deck_list.setAlternatingRowColors(True)
        self.deck_list.setWordWrap(True)
        list_label = QLabel("&Decks:")
        list_label.setBuddy(self.deck_list)
        self.open_button = QPushButton("&Open a deck file…")
        self.open_button.setToolTip("Play a deck from a YAML file, e.g. one you wrote or were sent")
        self.open_button.clicked.connect(self._ask_for_file)

        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label = QLabel(
            "This deck cannot be used. Fix these problems in the file, then open it again:"
        )
        self.problems_label.setObjectName("hint")
        self.problems_label.setWordWrap(True)
        self.problems_box = QPlainTextEdit()
        self.problems_box.setReadOnly(True)
        self.problems_box.setFont(monospace())
        self.problems_box.setToolTip("Each line is FILE:LINE:COLUMN: what is wrong there")

        header = QHBoxLayout()
        header.addWidget(list_label)
        header.addStretch(1)
        header.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.deck_list, 2)
        layout.addWidget(self.details, 3)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems_box, 3)

        for deck_id in builtin_deck_ids():
            self._add_choice(load_choice(f"builtin:{deck_id}"))
        self.deck_list.currentRowChanged.connect(self._show_current)
        self._select_initial(str(settings.value(f"{SETTINGS}/deck", "")))

    # the current choice

    def current_choice(self) -> DeckChoice | None:
        row = self.deck_list.currentRow()
        return self._choices[row] if 0 <= row < len(self._choices) else None

    def current_deck(self) -> LoadedDeck | None:
        choice = self.current_choice()
        return choice.loaded if choice is not None else None

    def isComplete(self) -> bool:
        return self.current_deck() is not None

    # choosing

    def open_deck_file(self, path: str | Path) -> DeckChoice:
        """Load a deck file into the list (replacing an earlier load of the same file) and select it."""
        choice = load_choice(f"file:{Path(path).resolve()}")
        self._add_choice(choice)
        self.deck_list.setCurrentRow(self._row_of(choice.key))
        return choice

    def _ask_for_file(self) -> None:
        settings = QSettings()
        folder = str(settings.value(f"{SETTINGS}/deck_folder", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self, "Open a deck file", folder, DECK_FILE_FILTER)
        if path:
            settings.setValue(f"{SETTINGS}/deck_folder", str(Path(path).parent))
            self.open_deck_file(path)

    def _select_initial(self, remembered: str) -> None:
        if remembered.startswith("file:") and Path(remembered[5:]).is_file():
            choice = load_choice(remembered)
            self._add_choice(choice)
            if choice.loaded is not None:
                self.deck_list.setCurrentRow(self._row_of(choice.key))
                return
        for key in (remembered, f"builtin:{DEFAULT_DECK_ID}"):
            row = self._row_of(key)
            if row >= 0 and self._choices[row].loaded is not None:
                self.deck_list.setCurrentRow(row)
                return
        self.deck_list.setCurrentRow(0 if self._choices else -1)
        self._show_current()

    def _row_of(self, key: str) -> int:
        return next((row for row, choice in enumerate(self._choices) if choice.key == key), -1)

    def _add_choice(self, choice: DeckChoice) -> None:
        row = self._row_of(choice.key)
        if row < 0:
            self._choices.append(choice)
            item = QListWidgetItem()
            self.deck_list.addItem(item)
        else:
            self._choices[row] = choice
            item = self.deck_list.item(row)
        where = f"file {Path(choice.reference).name}" if choice.is_file else "built-in"
        if choice.loaded is not None:
            deck = choice.loaded.deck
            item.setText(f"{deck.title}\n{deck.id} · version {deck.version} · {where}")
            item.setToolTip(choice.reference)
        else:
            count = len(choice.problems)
            item.setText(
                f"⚠ {Path(choice.reference).name}\n"
                f"cannot be used: {count} problem{'s' if count != 1 else ''} · {where}"
            )
            item.setToolTip(f"{choice.reference}: select it to see what is wrong")
        if row >= 0 and row == self.deck_list.currentRow():
            self._show_current()

    def _show_current(self) -> None:
        choice = self.current_choice()
        broken = choice is not None and choice.loaded is None
        self.problems_label.setVisible(broken)
        self.problems_box.setVisible(broken)
        self.details.setVisible(not broken)
        if choice is None:
            self.details.setText("No deck found.")
        elif choice.loaded is None:
            self.problems_box.setPlainText("\n".join(choice.problems))
        else:
            self.details.setText(deck_details(choice.loaded.deck, choice))
        self.completeChanged.emit()


def deck_details(deck: Deck, choice: DeckChoice) -> str:
    """Rich text describing a deck: title, facts, summary."""
    facts = [
        f"id {deck.id}",
        f"version {deck.version}",
        f"{len(deck.teams)} teams",
        f"{deck.turns.count} turns",
        f"{len(deck.cards)} cards",
    ]
    source = f"<br>File: {html.escape(choice.reference)}" if choice.is_file else ""
    summary = html.escape(" ".join(deck.summary.split()))
    return (
        f"<p><b>{html.escape(deck.title)}</b><br>{html.escape(' · '.join(facts))}{source}</p><p>{summary}</p>"
    )


# --- page 2: the class ------------------------------------------------------------------------


class ClassPage(QWizardPage):
    """Class label and facilitator name: both optional, both remembered."""

    def __init__(self, settings: QSettings) -> None:
        super().__init__()
        self.setTitle("Class")
        self.setSubTitle(
            "Who is playing: these label the session in the list of sessions. Both are optional."
        )
        self.class_edit = QLineEdit(str(settings.value(f"{SETTINGS}/class_label", "")))
        self.class_edit.setPlaceholderText("e.g. IR 101, Tuesday group")
        self.class_edit.setToolTip("A label for the class or group playing (optional, remembered)")
        self.class_edit.setClearButtonEnabled(True)
        self.facilitator_edit = QLineEdit(str(settings.value(f"{SETTINGS}/facilitator", "")))
        self.facilitator_edit.setPlaceholderText("Your name")
        self.facilitator_edit.setToolTip("Who runs this session (optional, remembered)")
        self.facilitator_edit.setClearButtonEnabled(True)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("C&lass label:", self.class_edit)
        form.addRow("&Facilitator:", self.facilitator_edit)

    def class_label(self) -> str:
        return self.class_edit.text().strip()

    def facilitator(self) -> str:
        return self.facilitator_edit.text().strip()


# --- page 3: teams ----------------------------------------------------------------------------


class TeamsPage(QWizardPage):
    """Which deck teams play (alone or merged in a grouping) and who plays them.

    A deck team is never played twice: checking a grouping disables its members' rows and the
    groupings that share a member with it.
    """

    def __init__(self, deck_source: Callable[[], LoadedDeck | None]) -> None:
        super().__init__()
        self.setTitle("Teams")
        self.setSubTitle(
            "Tick the teams that play and type their players' names, separated by commas. "
            "With a small class, play several teams as one."
        )
        self._deck_source = deck_source
        self._deck_key: tuple[str, str] | None = None
        self._deck: Deck | None = None
        self.team_boxes: dict[str, QCheckBox] = {}
        self.team_players: dict[str, QLineEdit] = {}
        self.grouping_boxes: dict[str, QCheckBox] = {}
        self.grouping_players: dict[str, QLineEdit] = {}

        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self.status_label)

    def initializePage(self) -> None:
        self.set_deck(self._deck_source())

    def cleanupPage(self) -> None:
        """Going back keeps what was typed (QWizardPage's default would reset fields)."""

    def set_deck(self, loaded: LoadedDeck | None) -> None:
        """Build one row per deck team and one option per grouping (only when the deck changed)."""
        key = (loaded.origin, loaded.sha256) if loaded is not None else None
        if key == self._deck_key:
            return
        self._deck_key = key
        self._deck = loaded.deck if loaded is not None else None
        self._build_rows()

    def _build_rows(self) -> None:
        for widgets in (self.team_boxes, self.team_players, self.grouping_boxes, self.grouping_players):
            widgets.clear()
        content = QWidget()
        self._scroll.setWidget(content)  # the scroll area deletes the previous rows
        grid = QGridLayout(content)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(grid.horizontalSpacing() * 2)
        deck = self._deck
        if deck is None:
            return
        icon_size = self.fontMetrics().height()
        grid.addWidget(bold(QLabel("Team")), 0, 0)
        grid.addWidget(bold(QLabel("Players (comma-separated, optional)")), 0, 1)
        row = 1
        for team in deck.teams:
            box = QCheckBox(team.name)
            box.setChecked(True)
            box.setIcon(swatch([team.colour], icon_size))
            box.setToolTip(f"Tick if a group of students plays {team.name}")
            box.toggled.connect(self._update)
            players = QLineEdit()
            players.setPlaceholderText("e.g. Anna, Jonas")
            players.setToolTip(f"The names of the students playing {team.name}, separated by commas")
            players.setClearButtonEnabled(True)
            self.team_boxes[team.id] = box
            self.team_players[team.id] = players
            grid.addWidget(box, row, 0)
            grid.addWidget(players, row, 1)
            row += 1
        if deck.groupings:
            heading = bold(QLabel("Play as one team"))
            heading.setToolTip("For a small class: one group of students plays several deck teams together")
            grid.addWidget(heading, row, 0, 1, 2, Qt.AlignmentFlag.AlignBottom)
            grid.setRowMinimumHeight(row, icon_size * 2)
            row += 1
        for grouping in deck.groupings:
            members = [deck.team(member) for member in grouping.members]
            box = QCheckBox(grouping_label(grouping, deck))
            box.setToolTip(
                f"Tick to play {' + '.join(t.name for t in members)} as one team, {grouping.name}: "
                "it may take any of their actions and is scored on all their objectives"
            )
            box.toggled.connect(self._update)
            players = QLineEdit()
            players.setPlaceholderText("e.g. Anna, Jonas, Mia")
            players.setToolTip(f"The names of the students playing {grouping.name}, separated by commas")
            players.setClearButtonEnabled(True)
            self.grouping_boxes[grouping.id] = box
            self.grouping_players[grouping.id] = players
            grid.addWidget(box, row, 0, 1, 2)
            icon = QLabel()
            icon.setPixmap(swatch([t.colour for t in members], icon_size).pixmap(icon_size, icon_size))
            name = QLabel(f"{grouping.name}:")
            name.setBuddy(players)
            row_widget = QWidget()
            row_layout = QHBoxLayout(row_widget)
            row_layout.setContentsMargins(icon_size * 2, 0, 0, 0)
            row_layout.addWidget(icon)
            row_layout.addWidget(name)
            row_layout.addStretch(1)
            grid.addWidget(row_widget, row + 1, 0)
            grid.addWidget(players, row + 1, 1)
            row_widget.setVisible(False)
            players.setVisible(False)
            box.toggled.connect(row_widget.setVisible)
            box.toggled.connect(players.setVisible)
            row += 2
        grid.setRowStretch(row, 1)
        self._update()

    def _checked_groupings(self) -> list[Grouping]:
        deck = self._deck
        if deck is None:
            return []
        return [g for g in deck.groupings if self.grouping_boxes[g.id].isChecked()]

    def _update(self) -> None:
        deck = self._deck
        if deck is None:
            return
        covered = {member: g for g in self._checked_groupings() for member in g.members}
        for team in deck.teams:
            grouping = covered.get(team.id)
            box, players = self.team_boxes[team.id], self.team_players[team.id]
            box.setEnabled(grouping is None)
            players.setEnabled(grouping is None and box.isChecked())
            box.setText(team.name if grouping is None else f"{team.name}  (in {grouping.name})")
        for grouping in deck.groupings:
            box = self.grouping_boxes[grouping.id]
            if box.isChecked():
                continue
            clash = next((covered[m] for m in grouping.members if m in covered), None)
            box.setEnabled(clash is None)
            box.setToolTip(
                f"Cannot be played together with {clash.name}: a deck team may be played only once"
                if clash is not None
                else f"Tick to play {grouping.name} as one team"
            )
        setups = self.team_setups()
        if setups:
            self.status_label.setObjectName("")
            self.status_label.setText(
                f"{len(setups)} team{'s' if len(setups) != 1 else ''} will play: "
                + ", ".join(setup.name for setup in setups)
            )
        else:
            self.status_label.setObjectName("hint")
            self.status_label.setText("Tick at least one team to play.")
        self.status_label.style().unpolish(self.status_label)
        self.status_label.style().polish(self.status_label)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return bool(self.team_setups())

    def team_setups(self) -> tuple[TeamSetup, ...]:
        """The playing teams in deck order; a grouping stands where its first member would."""
        deck = self._deck
        if deck is None:
            return ()
        covered = {member: g for g in self._checked_groupings() for member in g.members}
        setups: list[TeamSetup] = []
        done: set[str] = set()
        for team in deck.teams:
            grouping = covered.get(team.id)
            if grouping is not None:
                if grouping.id not in done:
                    done.add(grouping.id)
                    players = parse_players(self.grouping_players[grouping.id].text())
                    setups.append(TeamSetup(grouping.id, grouping.name, grouping.members, players))
            elif self.team_boxes[team.id].isChecked():
                players = parse_players(self.team_players[team.id].text())
                setups.append(TeamSetup(team.id, team.name, (team.id,), players))
        return tuple(setups)


def grouping_label(grouping: Grouping, deck: Deck) -> str:
    """`Baltic states (Latvia + Lithuania + Estonia)`."""
    members: list[Team] = [deck.team(member) for member in grouping.members]
    return f"{grouping.name} ({' + '.join(team.name for team in members)})"


# --- page 4: turns, timing and seed -----------------------------------------------------------


class TimingPage(QWizardPage):
    """Number of turns, minutes per phase (remembered per deck) and the random seed."""

    def __init__(self, deck_source: Callable[[], LoadedDeck | None], settings: QSettings) -> None:
        super().__init__()
        self.setTitle("Turns and timing")
        self.setSubTitle("How long the session runs, and the seed that makes it replayable.")
        self._deck_source = deck_source
        self._settings = settings
        self._deck_key: tuple[str, str] | None = None
        self._deck: Deck | None = None
        self.minutes_spins: dict[str, QDoubleSpinBox] = {}

        self.turns_spin = QSpinBox()
        self.turns_spin.setToolTip("How many turns to play; the deck is written for its full number")
        self.turns_spin.valueChanged.connect(self._update_total)
        self.turns_of = QLabel()
        turns_row = QHBoxLayout()
        turns_row.addWidget(self.turns_spin)
        turns_row.addWidget(self.turns_of, 1)

        self.minutes_box = QGroupBox("Minutes per phase")
        self.minutes_form = QFormLayout()
        self.defaults_button = QPushButton("Use the dec&k's timings")
        self.defaults_button.setToolTip("Set every phase back to the minutes the deck suggests")
        self.defaults_button.clicked.connect(self._use_deck_minutes)
        self.total_label = QLabel()
        self.total_label.setWordWrap(True)
        box_layout = QVBoxLayout(self.minutes_box)
        box_layout.addLayout(self.minutes_form)
        box_layout.addWidget(self.total_label)
        defaults_row = QHBoxLayout()
        defaults_row.addWidget(self.defaults_button)
        defaults_row.addStretch(1)
        box_layout.addLayout(defaults_row)

        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, SEED_MAX)
        self.seed_spin.setValue(new_seed())
        self.seed_spin.setToolTip(SEED_TOOLTIP)
        self.seed_spin.setGroupSeparatorShown(False)
        self.new_seed_button = QPushButton("Ne&w seed")
        self.new_seed_button.setToolTip("Pick another random seed")
        self.new_seed_button.clicked.connect(lambda: self.seed_spin.setValue(new_seed()))
        seed_hint = QLabel("Same deck + same seed + same moves = the same session, to replay a run.")
        seed_hint.setWordWrap(True)
        seed_hint.setToolTip(SEED_TOOLTIP)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.seed_spin)
        seed_row.addWidget(self.new_seed_button)
        seed_row.addStretch(1)

        form = QFormLayout()
        form.addRow("&Turns:", turns_row)
        seed_label = QLabel("S&eed:")
        seed_label.setBuddy(self.seed_spin)
        seed_label.setToolTip(SEED_TOOLTIP)
        form.addRow(seed_label, seed_row)
        form.addRow("", seed_hint)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.minutes_box)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.set_deck(self._deck_source())

    def cleanupPage(self) -> None:
        """Going back keeps the values (QWizardPage's default would reset fields)."""

    def set_deck(self, loaded: LoadedDeck | None) -> None:
        """Set turns and minutes to the deck's (minutes as last used with this deck), once per deck."""
        key = (loaded.origin, loaded.sha256) if loaded is not None else None
        if key == self._deck_key:
            return
        self._deck_key = key
        self._deck = deck = loaded.deck if loaded is not None else None
        while self.minutes_form.rowCount():
            self.minutes_form.removeRow(0)
        self.minutes_spins.clear()
        if deck is None:
            return
        self.turns_spin.setRange(1, deck.turns.count)
        self.turns_spin.setValue(deck.turns.count)
        self.turns_of.setText(f"of the deck's {deck.turns.count}")
        for phase in deck.turns.phases:
            label, help_text = PHASE_LABELS.get(phase.id, (phase.id.capitalize(), ""))
            spin = QDoubleSpinBox()
            spin.setRange(0.5, MINUTES_MAX)
            spin.setSingleStep(0.5)
            spin.setDecimals(1)
            spin.setSuffix(" min")
            spin.setValue(self._remembered_minutes(deck.id, phase.id, phase.minutes))
            spin.setToolTip(f"{help_text} The deck suggests {phase.minutes:g} minutes.".strip())
            spin.valueChanged.connect(self._update_total)
            self.minutes_spins[phase.id] = spin
            self.minutes_form.addRow(f"{label}:", spin)
        self._update_total()

    def _remembered_minutes(self, deck_id: str, phase: str, default: float) -> float:
        value = self._settings.value(f"{SETTINGS}/minutes/{deck_id}/{phase}")
        try:
            minutes = float(str(value)) if value is not None else default
        except ValueError:
            return default
        return minutes if 0.5 <= minutes <= MINUTES_MAX else default

    def _use_deck_minutes(self) -> None:
        if self._deck is not None:
            for phase in self._deck.turns.phases:
                self.minutes_spins[phase.id].setValue(phase.minutes)

    def _update_total(self) -> None:
        per_turn = sum(self.phase_minutes().values())
        self.total_label.setText(
            f"One turn: {format_minutes(per_turn)}.  "
            f"{self.turns_spin.value()} turns: {format_minutes(per_turn * self.turns_spin.value())} "
            "(plus the briefing and the debrief)."
        )

    def phase_minutes(self) -> dict[str, float]:
        return {phase: spin.value() for phase, spin in self.minutes_spins.items()}

    def remember(self, settings: QSettings) -> None:
        if self._deck is not None:
            for phase, minutes in self.phase_minutes().items():
                settings.setValue(f"{SETTINGS}/minutes/{self._deck.id}/{phase}", minutes)


def new_seed() -> int:
    return secrets.randbelow(SEED_MAX + 1)


# --- page 5: summary --------------------------------------------------------------------------


class SummaryPage(QWizardPage):
    """What will be created, before the facilitator starts the session."""

    def __init__(self, describe: Callable[[], str]) -> None:
        super().__init__()
        self.setTitle("Ready to start")
        self.setSubTitle("Check the session below, then start it. Go back to change anything.")
        self._describe = describe
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.summary_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def initializePage(self) -> None:
        self.summary_label.setText(self._describe())


KEY_CELL = "padding: 0 16px 10px 0"
VALUE_CELL = "padding-bottom: 10px"


def summary_html(loaded: LoadedDeck, setup: CreateSession) -> str:
    """The summary page's text: a two-column table of what will be created."""
    deck = loaded.deck
    escape = html.escape
    origin = loaded.origin.removeprefix("builtin:")
    team_lines = "<br>".join(
        f"<b>{escape(team.name)}</b>"
        + (
            f" ({escape(' + '.join(deck.team(m).name for m in team.members))})"
            if len(team.members) > 1
            else ""
        )
        + f": {escape(', '.join(team.players)) if team.players else '<i>no players named yet</i>'}"
        for team in setup.teams
    )
    minutes = "<br>".join(
        f"{escape(PHASE_LABELS.get(phase, (phase, ''))[0].replace('&', ''))}: {value:g} min"
        for phase, value in setup.phase_minutes.items()
    )
    per_turn = sum(setup.phase_minutes.values())
    turns = setup.turns if setup.turns is not None else deck.turns.count
    rows = [
        ("Deck", f"{escape(deck.title)}<br>{escape(origin)} · version {escape(deck.version)}"),
        ("Class", escape(setup.class_label) or "<i>none</i>"),
        ("Facilitator", escape(setup.facilitator) or "<i>none</i>"),
        ("Teams", team_lines),
        ("Turns", f"{turns} (about {format_minutes(per_turn * turns)} of play)"),
        ("Minutes per phase", minutes),
        ("Seed", f"{setup.seed}"),
    ]
    body = "".join(
        f"<tr><td style='{KEY_CELL}'><b>{key}</b></td><td style='{VALUE_CELL}'>{value}</td></tr>"
        for key, value in rows
    )
    return f"<table>{body}</table>"


# --- the wizard -------------------------------------------------------------------------------


class NewSessionWizard(QWizard):
    """The "new session" wizard; `session_setup()` gives the deck and command once it is accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New session")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Start session")
        self.button(QWizard.WizardButton.FinishButton).setToolTip("Create the session and open it")
        settings = QSettings()
        self.deck_page = DeckPage(settings)
        self.class_page = ClassPage(settings)
        self.teams_page = TeamsPage(self.deck_page.current_deck)
        self.timing_page = TimingPage(self.deck_page.current_deck, settings)
        self.summary_page = SummaryPage(self._summary)
        for page in (self.deck_page, self.class_page, self.teams_page, self.timing_page, self.summary_page):
            self.addPage(page)
        metrics = self.fontMetrics()
        self.resize(metrics.averageCharWidth() * 100, metrics.height() * 36)

    def session_setup(self) -> tuple[LoadedDeck, CreateSession]:
        """The chosen deck and the command that creates the session (valid after the wizard is accepted)."""
        loaded = self.deck_page.current_deck()
        if loaded is None:
            raise RuntimeError("no usable deck is chosen")
        self.teams_page.set_deck(loaded)
        self.timing_page.set_deck(loaded)
        teams = self.teams_page.team_setups()
        if not teams:
            raise RuntimeError("no team is chosen to play")
        setup = CreateSession(
            seed=self.timing_page.seed_spin.value(),
            teams=teams,
            class_label=self.class_page.class_label(),
            facilitator=self.class_page.facilitator(),
            turns=self.timing_page.turns_spin.value(),
            phase_minutes=self.timing_page.phase_minutes(),
        )
        return loaded, setup

    def accept(self) -> None:
        self._remember()
        super().accept()

    def _summary(self) -> str:
        try:
            loaded, setup = self.session_setup()
        except RuntimeError as exc:
            return html.escape(f"Cannot start yet: {exc}.")
        return summary_html(loaded, setup)

    def _remember(self) -> None:
        settings = QSettings()
        choice = self.deck_page.current_choice()
        if choice is not None and choice.loaded is not None:
            settings.setValue(f"{SETTINGS}/deck", choice.key)
        settings.setValue(f"{SETTINGS}/class_label", self.class_page.class_label())
        settings.setValue(f"{SETTINGS}/facilitator", self.class_page.facilitator())
        self.timing_page.remember(settings)


def ask_new_session(parent: QWidget | None = None) -> tuple[LoadedDeck, CreateSession] | None:
    """Build, exec, return: None when cancelled (novelWriter's dialog shape)."""
    wizard = NewSessionWizard(parent)
    try:
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return None
        return wizard.session_setup()
    finally:
        wizard.deleteLater()
