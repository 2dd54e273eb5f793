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
from functools import partial
from itertools import pairwise
from pathlib import Path

from wargame.deck import DEFAULT_DECK_ID, Deck, DeckError, LoadedDeck, builtin_deck_ids, load_deck_file
from wargame.deck import resolve_deck as resolve_builtin_deck
from wargame.deck.models import MINUTES_MAX, Grouping, Team
from wargame.engine.commands import CreateSession, TeamSetup
from wargame.engine.describe import short_team_name
from wargame.ui.qt import (
    QCheckBox,
    QCloseEvent,
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
    QMessageBox,
    QPainter,
    QPixmap,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSettings,
    QSize,
    QSpinBox,
    Qt,
    QValidator,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
    Signal,
    size_within,
)

SEED_MAX = 2**31 - 1
SETTINGS = "new_session"
DECK_FILE_FILTER = "Deck files (*.yaml *.yml);;All files (*)"
PLAYERS_PLACEHOLDER = "Names, separated by commas"

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
    """Comma-separated player names, trimmed, empty ones dropped, each name once (the first
    spelling of names that differ only in case: "Ann, ann" is one student)."""
    kept: dict[str, str] = {}
    for name in typed_names(text):
        kept.setdefault(name_key(name), name)
    return tuple(kept.values())


def typed_names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def name_key(name: str) -> str:
    return name.casefold()


def player_notes(typed: dict[str, str]) -> list[str]:
    """What the Teams page says about the names `typed` for each playing team (by its name):
    names typed twice for a team (counted once), names typed for two teams (flagged)."""
    notes = []
    teams_of: dict[str, list[str]] = {}
    spelling: dict[str, str] = {}
    for team, text in typed.items():
        keys = [name_key(name) for name in typed_names(text)]
        kept = parse_players(text)
        if len(kept) < len(keys):
            twice = [name for name in kept if keys.count(name_key(name)) > 1]
            notes.append(f"{', '.join(twice)}: typed more than once for {team}, counted once.")
        for name in kept:
            teams_of.setdefault(name_key(name), []).append(team)
            spelling.setdefault(name_key(name), name)
    for key, teams in teams_of.items():
        if len(teams) > 1:
            notes.append(
                f"{spelling[key]} is named for {and_list(teams)}: "
                "if they are different students, add an initial."
            )
    return notes


def and_list(items: list[str]) -> str:
    """`Latvia, Lithuania and Estonia`."""
    return " and ".join(filter(None, [", ".join(items[:-1]), items[-1]])) if items else ""


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


def plain_scroll_area(widget: QWidget | None = None) -> QScrollArea:
    """A frameless scroll area that shows the page's background (content grows with the text size)."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.viewport().setAutoFillBackground(False)
    if widget is not None:
        set_scroll_widget(scroll, widget)
    return scroll


def set_scroll_widget(scroll: QScrollArea, widget: QWidget) -> None:
    scroll.setWidget(widget)
    widget.setAutoFillBackground(False)  # after setWidget, which turns it on


def repolish(widget: QWidget) -> None:
    """Apply the stylesheet again after a change of object name."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def escape(text: str) -> str:
    """Text for Qt rich text (no attributes are built from text, so quotes stay as they are)."""
    return html.escape(text, quote=False)


def heading(text: str) -> str:
    """A page title, larger than the body text (the wizard shows titles as rich text)."""
    return f"<span style='font-size: x-large'>{escape(text)}</span>"


def in_page_button(text: str) -> QPushButton:
    """A button on a wizard page that Enter never presses: Enter means Next (or Start) everywhere."""
    button = QPushButton(text)
    button.setAutoDefault(False)
    return button


def monospace() -> QFont:
    font = QFont("monospace")
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


# --- page 1: the deck -------------------------------------------------------------------------


class DeckPage(QWizardPage):
    """A built-in deck or a deck file; a broken deck shows its problems and cannot be chosen."""

    def __init__(self, settings: QSettings) -> None:
        super().__init__()
        self.setTitle(heading("Deck"))
        self.setSubTitle("Choose the scenario to play: a deck that comes with wargame, or a deck file.")
        self._choices: list[DeckChoice] = []

        self.deck_list = QListWidget()
        self.deck_list.setToolTip("The decks you can play. Select one to see what it is about.")
        self.deck_list.setAlternatingRowColors(True)
        self.deck_list.setWordWrap(True)
        self.deck_list.setSpacing(2)
        list_label = QLabel("&Decks:")
        list_label.setBuddy(self.deck_list)
        self.open_button = in_page_button("&Open a deck file…")
        self.open_button.setToolTip("Play a deck from a YAML file, e.g. one you wrote or were sent")
        self.open_button.clicked.connect(self._ask_for_file)

        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label = QLabel()
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
        layout.addWidget(self.deck_list, 1)
        self.details_scroll = plain_scroll_area(self.details)
        layout.addWidget(self.details_scroll, 3)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems_box, 3)
        QWidget.setTabOrder(self.deck_list, self.open_button)  # the page opens on the list

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
        """The deck used last if it still loads, else the default deck, else the first one."""
        if remembered.startswith("file:") and Path(remembered.removeprefix("file:")).is_file():
            self._add_choice(load_choice(remembered))  # listed even if it broke since, to show why
        rows = [self._row_of(key) for key in (remembered, f"builtin:{DEFAULT_DECK_ID}")]
        usable = [row for row in rows if row >= 0 and self._choices[row].loaded is not None]
        self.deck_list.setCurrentRow(usable[0] if usable else (0 if self._choices else -1))
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
        self.details_scroll.setVisible(not broken)
        if choice is None:
            self.details.setText("No deck found.")
        elif choice.loaded is None:
            again = "open it again" if choice.is_file else "start a new session again"
            self.problems_label.setText(
                f"This deck cannot be used. Fix these problems in its file, then {again}:"
            )
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
    source = f"<br>File: {escape(choice.reference)}" if choice.is_file else ""
    paragraphs = [" ".join(part.split()) for part in deck.summary.split("\n\n") if part.strip()]
    summary = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    return f"<p><b>{escape(deck.title)}</b><br>{escape(' · '.join(facts))}{source}</p>{summary}"


# --- page 2: the class ------------------------------------------------------------------------


class ClassPage(QWizardPage):
    """Class label and facilitator name: both optional, both remembered."""

    def __init__(self, settings: QSettings) -> None:
        super().__init__()
        self.setTitle(heading("Class"))
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
        remembered = QLabel("Both are remembered for your next session.")
        remembered.setWordWrap(True)
        form.addRow("", remembered)
        self._remembered = (self.class_edit.text(), self.facilitator_edit.text())

    def is_edited(self) -> bool:
        return (self.class_edit.text(), self.facilitator_edit.text()) != self._remembered

    def class_label(self) -> str:
        return self.class_edit.text().strip()

    def facilitator(self) -> str:
        return self.facilitator_edit.text().strip()


# --- page 3: teams ----------------------------------------------------------------------------


class DeckDependentPage(QWizardPage):
    """A page built from the deck chosen on the first page: rebuilt only when that deck changes.

    Going back keeps what was entered (QWizardPage's default would reset fields).
    """

    def __init__(self, deck_source: Callable[[], LoadedDeck | None]) -> None:
        super().__init__()
        self._deck_source = deck_source
        self._deck_key: tuple[str, str] | None = None
        self._deck: Deck | None = None

    def initializePage(self) -> None:
        self.set_deck(self._deck_source())

    def cleanupPage(self) -> None:
        """Keep the values on going back."""

    def set_deck(self, loaded: LoadedDeck | None) -> None:
        key = (loaded.origin, loaded.sha256) if loaded is not None else None
        if key == self._deck_key:
            return
        self._deck_key = key
        self._deck = loaded.deck if loaded is not None else None
        self._show_deck(self._deck)

    def _show_deck(self, deck: Deck | None) -> None:
        """Build the page for a newly chosen deck (None: no usable deck); each page defines it."""


class TeamsPage(DeckDependentPage):
    """Which deck teams play (alone or merged in a grouping) and who plays them.

    A deck team is never played twice: checking a grouping disables its members' rows and the
    groupings that share a member with it.
    """

    def __init__(self, deck_source: Callable[[], LoadedDeck | None]) -> None:
        super().__init__(deck_source)
        self.setTitle(heading("Teams"))
        self.setSubTitle(
            "Tick the teams that play and type their players' names, separated by commas. "
            "With a small class, play several teams as one."
        )
        self.team_boxes: dict[str, QCheckBox] = {}
        self.team_players: dict[str, QLineEdit] = {}
        self.grouping_boxes: dict[str, QCheckBox] = {}
        self.grouping_players: dict[str, QLineEdit] = {}
        self.grouping_notes: dict[str, QLabel] = {}
        self.grouping_descriptions: dict[str, QLabel] = {}

        self._scroll = plain_scroll_area()
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.players_note = QLabel()
        self.players_note.setObjectName("hint")
        self.players_note.setWordWrap(True)
        self.players_note.setVisible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self.players_note)
        layout.addWidget(self.status_label)

    def _show_deck(self, deck: Deck | None) -> None:
        """One row per deck team and one option per grouping."""
        self._build_rows()

    def _build_rows(self) -> None:
        self.team_boxes.clear()
        self.team_players.clear()
        self.grouping_boxes.clear()
        self.grouping_players.clear()
        self.grouping_notes.clear()
        self.grouping_descriptions.clear()
        content = QWidget()
        set_scroll_widget(self._scroll, content)  # the scroll area deletes the previous rows
        grid = QGridLayout(content)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        grid.setHorizontalSpacing(grid.horizontalSpacing() * 2)
        deck = self._deck
        if deck is None:
            return
        icon_size = self.fontMetrics().height()
        grid.addWidget(bold(QLabel("Team")), 0, 0)
        grid.addWidget(bold(QLabel("Players (optional)")), 0, 1)
        row = 1
        for team in deck.teams:
            box = QCheckBox(short_team_name(team.name))  # the whole name in its tooltip
            box.setChecked(True)
            box.setIcon(swatch([team.colour], icon_size))
            box.setToolTip(f"Tick if a group of students plays {team.name}")
            box.toggled.connect(self._update)
            players = QLineEdit()
            players.setMinimumWidth(self.fontMetrics().averageCharWidth() * 20)
            players.setToolTip(f"The names of the students playing {team.name}, separated by commas")
            players.setClearButtonEnabled(True)
            players.textChanged.connect(self._update)
            self.team_boxes[team.id] = box
            self.team_players[team.id] = players
            grid.addWidget(box, row, 0)
            grid.addWidget(players, row, 1)
            row += 1
        if deck.groupings:
            groupings_title = bold(QLabel("Play as one team"))
            groupings_title.setToolTip(
                "For a small class: one group of students plays several deck teams together"
            )
            grid.addWidget(groupings_title, row, 0, 1, 2, Qt.AlignmentFlag.AlignBottom)
            grid.setRowMinimumHeight(row, icon_size * 2)
            row += 1
        for grouping in deck.groupings:
            members = [deck.team(member) for member in grouping.members]
            member_names = " + ".join(team.name for team in members)
            box = QCheckBox(short_team_name(grouping.name))
            box.setIcon(swatch([team.colour for team in members], icon_size))
            box.setToolTip(
                f"Tick to play {member_names} as one team, {grouping.name}: "
                "it may take any of their actions and is scored on all their objectives"
            )
            box.setAccessibleDescription(grouping_label(grouping, deck))
            box.toggled.connect(partial(self._take_members_players, grouping))
            box.toggled.connect(self._update)
            description = QLabel(f"{member_names} as one team")
            description.setWordWrap(True)
            note = QLabel()
            note.setWordWrap(True)
            note.setIndent(icon_size * 2)
            note.setVisible(False)
            players = QLineEdit()
            players.setPlaceholderText(PLAYERS_PLACEHOLDER)
            players.setToolTip(f"The names of the students playing {grouping.name}, separated by commas")
            players.setClearButtonEnabled(True)
            players.textChanged.connect(self._update)
            players_label = QLabel("Players:")
            players_label.setIndent(icon_size * 2)
            players_label.setBuddy(players)
            self.grouping_boxes[grouping.id] = box
            self.grouping_descriptions[grouping.id] = description
            self.grouping_notes[grouping.id] = note
            self.grouping_players[grouping.id] = players
            grid.addWidget(box, row, 0)
            grid.addWidget(description, row, 1)
            grid.addWidget(note, row + 1, 0, 1, 2)
            grid.addWidget(players_label, row + 2, 0)
            grid.addWidget(players, row + 2, 1)
            for widget in (players_label, players):
                widget.setVisible(False)
                box.toggled.connect(widget.setVisible)
            row += 3
        grid.setRowStretch(row, 1)
        self._update()

    def is_edited(self) -> bool:
        """Whether anything differs from the page as first shown: every team ticked, no names."""
        return (
            any(
                field.text().strip()
                for field in [*self.team_players.values(), *self.grouping_players.values()]
            )
            or not all(box.isChecked() for box in self.team_boxes.values())
            or any(box.isChecked() for box in self.grouping_boxes.values())
        )

    def _take_members_players(self, grouping: Grouping, checked: bool) -> None:
        """A grouping ticked with no names of its own takes those typed for its members."""
        field = self.grouping_players[grouping.id]
        if checked and not field.text().strip():
            field.setText(", ".join(parse_players(self._typed_for_members(grouping))))

    def _typed_for_members(self, grouping: Grouping) -> str:
        """The names typed for a grouping's members, as one comma-separated text."""
        return ", ".join(self.team_players[member].text() for member in grouping.members)

    def _show_player_notes(self, setups: tuple[TeamSetup, ...]) -> None:
        deck = self._deck
        assert deck is not None
        fields = {**self.team_players, **self.grouping_players}
        notes = player_notes({setup.name: fields[setup.id].text() for setup in setups})
        for grouping in self._checked_groupings():
            notes.extend(self._unused_member_names(grouping))
        self.players_note.setText("\n".join(notes))
        self.players_note.setVisible(bool(notes))

    def _unused_member_names(self, grouping: Grouping) -> list[str]:
        """Names typed for a ticked grouping's members that its own players leave out."""
        playing = {name_key(name) for name in parse_players(self.grouping_players[grouping.id].text())}
        typed = self._typed_for_members(grouping)
        unused = [name for name in parse_players(typed) if name_key(name) not in playing]
        if not unused:
            return []
        deck = self._deck
        assert deck is not None
        typed_for = and_list(
            [deck.team(m).name for m in grouping.members if self.team_players[m].text().strip()]
        )
        return [
            f"Not playing: {', '.join(unused)}, typed for {typed_for} "
            f"but not among the players of {grouping.name}."
        ]

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
            name = short_team_name(team.name)
            box.setText(name if grouping is None else f"{name}  (in {short_team_name(grouping.name)})")
            if grouping is not None:
                players.setPlaceholderText(f"Played in {grouping.name}")
            else:
                players.setPlaceholderText(PLAYERS_PLACEHOLDER if box.isChecked() else "Not playing")
        for grouping in deck.groupings:
            box, note = self.grouping_boxes[grouping.id], self.grouping_notes[grouping.id]
            clash = None
            if not box.isChecked():
                clash = next((covered[m] for m in grouping.members if m in covered), None)
            box.setEnabled(clash is None)
            self.grouping_descriptions[grouping.id].setEnabled(clash is None)
            note.setVisible(clash is not None)
            if clash is not None:
                shared = [deck.team(m).name for m in grouping.members if m in clash.members]
                note.setText(
                    f"Not with {clash.name}: {' + '.join(shared)} would be played twice. "
                    f"Untick {clash.name} to choose this instead."
                )
        setups = self.team_setups()
        self._show_player_notes(setups)
        if setups:
            self.status_label.setObjectName("")
            self.status_label.setText(
                f"{len(setups)} team{'s' if len(setups) != 1 else ''} will play: "
                + ", ".join(setup.name for setup in setups)
            )
        else:
            self.status_label.setObjectName("hint")
            self.status_label.setText("Tick at least one team to play.")
        repolish(self.status_label)
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
    """`Baltic states (Latvia + Lithuania + Estonia)`; a name with brackets gets a colon instead."""
    members: list[Team] = [deck.team(member) for member in grouping.members]
    names = " + ".join(team.name for team in members)
    return f"{grouping.name}: {names}" if "(" in grouping.name else f"{grouping.name} ({names})"


# --- page 4: turns, timing and seed -----------------------------------------------------------


class ClampingSpinBox(QSpinBox):
    """A spin box that takes a typed number out of its range as the nearest one in it, and says so
    (QSpinBox refuses the keystroke and, on leaving, falls back to its minimum without a word).

    Signals: `clamped(typed)` when a typed number was brought into the range.
    """

    clamped = Signal(int)

    def validate(self, input: str, pos: int) -> tuple[QValidator.State, str, int]:
        state, text, pos = super().validate(input, pos)
        if state == QValidator.State.Invalid and typed_number(text) is not None:
            state = QValidator.State.Intermediate  # fixup() brings it into the range
        return state, text, pos

    def fixup(self, input: str) -> str:
        typed = typed_number(input)
        if typed is None:
            return input
        allowed = min(max(typed, self.minimum()), self.maximum())
        if allowed != typed:
            self.clamped.emit(typed)
        return str(allowed)


def typed_number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


class TimingPage(DeckDependentPage):
    """Number of turns, minutes per phase (remembered per deck) and the random seed."""

    def __init__(self, deck_source: Callable[[], LoadedDeck | None], settings: QSettings) -> None:
        super().__init__(deck_source)
        self.setTitle(heading("Turns and timing"))
        self.setSubTitle("How long the session runs, and the seed that makes it replayable.")
        self._settings = settings
        self.minutes_spins: dict[str, QDoubleSpinBox] = {}

        self.turns_spin = ClampingSpinBox()
        self.turns_spin.setToolTip("How many turns to play; the deck is written for its full number")
        self.turns_spin.valueChanged.connect(self._update_total)
        self.turns_spin.valueChanged.connect(self._forget_clamped_turns)
        self.turns_spin.clamped.connect(self._say_clamped_turns)
        self._clamped_turns: int | None = None
        self.turns_of = QLabel()
        self.turns_hint = QLabel()
        self.turns_hint.setObjectName("hint")
        self.turns_hint.setVisible(False)
        turns_label = QLabel("&Turns:")
        turns_label.setBuddy(self.turns_spin)
        turns_row = QHBoxLayout()
        turns_row.addWidget(self.turns_spin)
        turns_row.addWidget(self.turns_of, 1)

        self.minutes_form = QFormLayout()
        self.minutes_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.minutes_form.addRow(turns_label, turns_row)
        self.minutes_form.addRow("", self.turns_hint)
        minutes_heading = bold(QLabel("Minutes per phase"))
        minutes_heading.setToolTip(
            "The phase timer counts these down; you can always move on earlier or later"
        )
        self.total_label = QLabel()
        self.total_label.setWordWrap(True)
        self.defaults_button = in_page_button("Use the dec&k's timings")
        self.defaults_button.setToolTip("Set every phase back to the minutes the deck suggests")
        self.defaults_button.clicked.connect(self._use_deck_minutes)
        self.phase_form = QFormLayout()
        self.phase_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        defaults_row = QHBoxLayout()
        defaults_row.addWidget(self.total_label, 1)
        defaults_row.addWidget(self.defaults_button)
        length_box = QGroupBox("Length of the session")
        length_layout = QVBoxLayout(length_box)
        length_layout.addLayout(self.minutes_form)
        length_layout.addWidget(minutes_heading)
        length_layout.addLayout(self.phase_form)
        length_layout.addLayout(defaults_row)

        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, SEED_MAX)
        self.seed_spin.setValue(new_seed())
        self._first_seed = self.seed_spin.value()
        self._first_length: tuple[int, dict[str, float]] | None = None
        self.seed_spin.setToolTip(SEED_TOOLTIP)
        self.seed_spin.setGroupSeparatorShown(False)
        self.new_seed_button = in_page_button("Ne&w seed")
        self.new_seed_button.setToolTip("Pick another random seed")
        self.new_seed_button.clicked.connect(lambda: self.seed_spin.setValue(new_seed()))
        seed_label = QLabel("S&eed:")
        seed_label.setBuddy(self.seed_spin)
        seed_label.setToolTip(SEED_TOOLTIP)
        seed_hint = QLabel(
            "The same deck, seed and moves replay the same session: "
            "to replay a run with another class, type its seed here."
        )
        seed_hint.setWordWrap(True)
        seed_hint.setToolTip(SEED_TOOLTIP)
        seed_row = QHBoxLayout()
        seed_row.addWidget(seed_label)
        seed_row.addWidget(self.seed_spin)
        seed_row.addWidget(self.new_seed_button)
        seed_row.addStretch(1)
        seed_box = QGroupBox("Random seed")
        seed_layout = QVBoxLayout(seed_box)
        seed_layout.addLayout(seed_row)
        seed_layout.addWidget(seed_hint)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addWidget(length_box)
        content_layout.addWidget(seed_box)
        content_layout.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_scroll_area(content))  # a deck's many phases on a small screen

    def _show_deck(self, deck: Deck | None) -> None:
        """Turns and minutes from the deck (minutes as last used with this deck)."""
        while self.phase_form.rowCount():
            self.phase_form.removeRow(0)
        self.minutes_spins.clear()
        self._first_length = None
        if deck is None:
            return
        self.turns_hint.setVisible(False)
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
            phase_label = QLabel(f"{label}:")
            phase_label.setBuddy(spin)
            phase_label.setToolTip(help_text)
            self.phase_form.addRow(phase_label, spin)
        self._follow_the_screen_with_tab()
        self._update_total()
        self._first_length = self._length()

    def _length(self) -> tuple[int, dict[str, float]]:
        return self.turns_spin.value(), self.phase_minutes()

    def is_edited(self) -> bool:
        """Whether the turns, minutes or seed differ from those first shown."""
        return self.seed_spin.value() != self._first_seed or (
            self._first_length is not None and self._length() != self._first_length
        )

    def _follow_the_screen_with_tab(self) -> None:
        """Tab goes down the page as drawn: the minute boxes were made after the buttons below them."""
        order = [
            self.turns_spin,
            *self.minutes_spins.values(),
            self.defaults_button,
            self.seed_spin,
            self.new_seed_button,
        ]
        for before, after in pairwise(order):
            QWidget.setTabOrder(before, after)

    def _say_clamped_turns(self, typed: int) -> None:
        low, high = self.turns_spin.minimum(), self.turns_spin.maximum()
        self._clamped_turns = min(max(typed, low), high)
        self.turns_hint.setText(
            f"{typed} is not possible: {low} to {high} turns. Set to {self._clamped_turns}."
        )
        self.turns_hint.setVisible(True)

    def _forget_clamped_turns(self, turns: int) -> None:
        if turns != self._clamped_turns:
            self._clamped_turns = None
            self.turns_hint.setVisible(False)

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


def phase_name(phase: str) -> str:
    return PHASE_LABELS.get(phase, (phase.capitalize(), ""))[0].replace("&", "")


def new_seed() -> int:
    return secrets.randbelow(SEED_MAX + 1)


# --- page 5: summary --------------------------------------------------------------------------


class SummaryPage(QWizardPage):
    """What will be created, before the facilitator starts the session."""

    def __init__(self, describe: Callable[[], str]) -> None:
        super().__init__()
        self.setTitle(heading("Ready to start"))
        self.setSubTitle("Check the session below, then start it. Go back to change anything.")
        self._describe = describe
        self.summary_label = QLabel()
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setWordWrap(True)
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_scroll_area(self.summary_label))

    def initializePage(self) -> None:
        self.summary_label.setText(self._describe())


KEY_CELL = "padding: 0 16px 10px 0"
VALUE_CELL = "padding-bottom: 10px"


def summary_html(loaded: LoadedDeck, setup: CreateSession) -> str:
    """The summary page's text: a two-column table of what will be created."""
    deck = loaded.deck
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
    per_turn = sum(setup.phase_minutes.values())
    minutes = (
        " · ".join(f"{escape(phase_name(phase))} {value:g}" for phase, value in setup.phase_minutes.items())
        + f"<br>{format_minutes(per_turn)} a turn"
    )
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
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)  # the same on every platform
        self.setTitleFormat(Qt.TextFormat.RichText)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Start session")
        finish = self.button(QWizard.WizardButton.FinishButton)
        finish.setToolTip("Create the session and open it")
        finish.setObjectName("primary")  # the app stylesheet's look for the one main action
        repolish(finish)
        self._ask_before_discarding = True
        settings = QSettings()
        self.deck_page = DeckPage(settings)
        self.class_page = ClassPage(settings)
        self.teams_page = TeamsPage(self.deck_page.current_deck)
        self.timing_page = TimingPage(self.deck_page.current_deck, settings)
        self.summary_page = SummaryPage(self._summary)
        for page in (self.deck_page, self.class_page, self.teams_page, self.timing_page, self.summary_page):
            self.addPage(page)
        self.ensurePolished()  # the app stylesheet's font, so the size follows the text size
        self.resize(self.default_size((parent or self).screen().availableGeometry().size()))

    def default_size(self, screen: QSize) -> QSize:
        """About 100 characters by 36 lines of the app's text, or less on a small `screen` (its
        available size)."""
        metrics = self.fontMetrics()
        return size_within(screen, QSize(metrics.averageCharWidth() * 100, metrics.height() * 36))

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

    def reject(self) -> None:
        """Escape, Cancel and the window's close button: ask first if that would lose typing."""
        if self._ask_before_discarding and self.is_edited() and not ask_discard(self):
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._ask_before_discarding = event.spontaneous()  # the close button, not a program's close()
        try:
            super().closeEvent(event)  # rejects
        finally:
            self._ask_before_discarding = True

    def is_edited(self) -> bool:
        """Whether the facilitator typed or changed anything that cancelling would lose."""
        return any(page.is_edited() for page in (self.class_page, self.teams_page, self.timing_page))

    def _summary(self) -> str:
        try:
            loaded, setup = self.session_setup()
        except RuntimeError as exc:
            return escape(f"Cannot start yet: {exc}.")
        return summary_html(loaded, setup)

    def _remember(self) -> None:
        settings = QSettings()
        choice = self.deck_page.current_choice()
        if choice is not None and choice.loaded is not None:
            settings.setValue(f"{SETTINGS}/deck", choice.key)
        settings.setValue(f"{SETTINGS}/class_label", self.class_page.class_label())
        settings.setValue(f"{SETTINGS}/facilitator", self.class_page.facilitator())
        self.timing_page.remember(settings)


def ask_discard(parent: QWidget) -> bool:
    """Build, exec, return: whether the facilitator chose to throw away the new session."""
    box = QMessageBox(QMessageBox.Icon.Question, "New session", "Discard this new session?", parent=parent)
    box.setInformativeText("What you typed and chose in it will be lost.")
    discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


def ask_new_session(parent: QWidget | None = None) -> tuple[LoadedDeck, CreateSession] | None:
    """Build, exec, return: None when cancelled (novelWriter's dialog shape)."""
    wizard = NewSessionWizard(parent)
    try:
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return None
        return wizard.session_setup()
    finally:
        wizard.deleteLater()
