"""The "new session" wizard, driven through its widgets like a facilitator would."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QPoint, QRect
from pytestqt.qtbot import QtBot

from tests.conftest import MINI_DECK
from wargame.deck import DEFAULT_DECK_ID, resolve_deck
from wargame.engine.commands import TeamSetup
from wargame.session import SessionController
from wargame.ui import wizard as wizard_module
from wargame.ui.qt import (
    QApplication,
    QCheckBox,
    QCloseEvent,
    QLabel,
    QMessageBox,
    QScrollArea,
    QSettings,
    QSize,
    Qt,
    QTimer,
    QWidget,
    QWizard,
    QWizardPage,
)
from wargame.ui.wizard import NewSessionWizard, TeamsPage, ask_new_session

NEXT = QWizard.WizardButton.NextButton
FINISH = QWizard.WizardButton.FinishButton
Page = TypeVar("Page", bound=QWizardPage)


@pytest.fixture
def make_wizard(qtbot: QtBot) -> Callable[[], NewSessionWizard]:
    def build() -> NewSessionWizard:
        wizard = NewSessionWizard()
        qtbot.addWidget(wizard)
        wizard.show()
        return wizard

    return build


def choose_file(monkeypatch: pytest.MonkeyPatch, wizard: NewSessionWizard, path: Path, qtbot: QtBot) -> None:
    """Click "Open a deck file…" and answer the file dialog with `path`."""

    class FileDialog:
        @staticmethod
        def getOpenFileName(*args: object) -> tuple[str, str]:
            return str(path), "Deck files (*.yaml *.yml)"

    monkeypatch.setattr(wizard_module, "QFileDialog", FileDialog)
    qtbot.mouseClick(wizard.deck_page.open_button, Qt.MouseButton.LeftButton)


def click(qtbot: QtBot, wizard: NewSessionWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isEnabled() and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def go_to(qtbot: QtBot, wizard: NewSessionWizard, page: QWizardPage) -> None:
    while wizard.currentPage() is not page:
        click(qtbot, wizard, NEXT)


def at_page(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, wizard: NewSessionWizard, page: Page) -> Page:
    """`page` of the wizard, with the mini deck chosen on the first."""
    choose_file(monkeypatch, wizard, MINI_DECK, qtbot)
    go_to(qtbot, wizard, page)
    return page


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed where the keyboard focus is, as a facilitator would."""
    widget = focused()
    assert widget is not None
    qtbot.keyClick(widget, key, modifier)


def on_page(widget: QWidget, page: QWidget) -> QRect:
    return QRect(widget.mapTo(page, QPoint(0, 0)), widget.size())


def shown_active(qtbot: QtBot, wizard: NewSessionWizard) -> NewSessionWizard:
    wizard.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is wizard)
    return wizard


def finish(qtbot: QtBot, wizard: NewSessionWizard) -> None:
    go_to(qtbot, wizard, wizard.summary_page)
    with qtbot.waitSignal(wizard.accepted):
        click(qtbot, wizard, FINISH)


def test_the_default_path_plays_every_team_with_the_decks_turns_and_minutes(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard]
) -> None:
    wizard = make_wizard()
    assert wizard.deck_page.isComplete(), wizard.deck_page.problems_box.toPlainText()
    finish(qtbot, wizard)

    loaded, setup = wizard.session_setup()
    deck = loaded.deck
    assert deck.id == DEFAULT_DECK_ID
    assert setup.teams == tuple(TeamSetup(t.id, t.name, (t.id,), ()) for t in deck.teams)
    assert setup.turns == deck.turns.count
    assert setup.phase_minutes == {phase.id: phase.minutes for phase in deck.turns.phases}
    assert 0 <= setup.seed <= 2**31 - 1
    assert setup.seed == wizard.timing_page.seed_spin.value()
    assert (setup.class_label, setup.facilitator) == ("", "")
    # The engine accepts what the wizard made.
    session = SessionController.create(loaded, setup, None)
    assert [team.id for team in session.state.teams.values()] == [t.id for t in deck.teams]


def test_the_deck_page_describes_the_selected_deck(make_wizard: Callable[[], NewSessionWizard]) -> None:
    wizard = make_wizard()
    page = wizard.deck_page
    deck = resolve_deck(DEFAULT_DECK_ID).deck
    item = page.deck_list.currentItem()
    assert deck.title in item.text() and deck.id in item.text()
    details = page.details.text()
    assert deck.title in details and f"version {deck.version}" in details
    assert deck.summary.split()[0] in details
    assert page.problems_box.isHidden()


def test_a_grouping_merges_its_members_and_disables_their_rows(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = make_wizard()
    teams = at_page(qtbot, monkeypatch, wizard, wizard.teams_page)
    allies = teams.grouping_boxes["allies"]
    assert allies.text() == "Allies"
    assert teams.grouping_descriptions["allies"].text() == "Blue + Green as one team"
    assert teams.grouping_players["allies"].isHidden()

    allies.setChecked(True)
    for member in ("blue", "green"):
        assert not teams.team_boxes[member].isEnabled()
        assert not teams.team_players[member].isEnabled()
        assert "Allies" in teams.team_boxes[member].text()
    assert teams.team_boxes["red"].isEnabled()
    assert teams.grouping_players["allies"].isVisible()
    teams.grouping_players["allies"].setText("Mia, Noah")
    teams.team_players["red"].setText("Anna")
    assert "2 teams will play: Red, Allies" in teams.status_label.text()
    finish(qtbot, wizard)

    _, setup = wizard.session_setup()
    assert setup.teams == (
        TeamSetup("red", "Red", ("red",), ("Anna",)),
        TeamSetup("allies", "Allies", ("blue", "green"), ("Mia", "Noah")),
    )

    wizard.back()
    wizard.back()
    allies.setChecked(False)
    assert teams.team_boxes["blue"].isEnabled() and teams.team_players["green"].isEnabled()
    assert [team.id for team in wizard.session_setup()[1].teams] == ["red", "blue", "green"]


def test_overlapping_groupings_cannot_both_be_played(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = MINI_DECK.read_text(encoding="utf-8").replace(
        "  - {id: allies, name: Allies, members: [blue, green]}",
        "  - {id: allies, name: Allies, members: [blue, green]}\n"
        "  - {id: front, name: Front (red and blue), members: [red, blue]}",
    )
    deck_file = tmp_path / "two_groupings.yaml"
    deck_file.write_text(text, encoding="utf-8")
    wizard = make_wizard()
    choose_file(monkeypatch, wizard, deck_file, qtbot)
    teams = wizard.teams_page
    go_to(qtbot, wizard, teams)
    front = teams.grouping_boxes["front"]
    assert teams.grouping_descriptions["front"].text() == "Red + Blue as one team"

    teams.grouping_boxes["allies"].setChecked(True)
    assert not front.isEnabled()
    note = teams.grouping_notes["front"]
    assert note.isVisible() and "Blue would be played twice" in note.text()

    teams.grouping_boxes["allies"].setChecked(False)
    assert front.isEnabled() and note.isHidden()
    front.setChecked(True)
    assert not teams.grouping_boxes["allies"].isEnabled()
    _, setup = wizard.session_setup()
    assert [(t.id, t.members) for t in setup.teams] == [("front", ("red", "blue")), ("green", ("green",))]


def test_player_names_are_split_on_commas_and_trimmed(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = make_wizard()
    teams = at_page(qtbot, monkeypatch, wizard, wizard.teams_page)
    teams.team_players["red"].setText("  Anna ,Jonas,, Mia  ,")
    teams.team_players["blue"].setText("Kārlis, Eva")
    qtbot.keyClicks(teams.team_players["blue"], " , Ola ")  # typed, as a facilitator would
    teams.team_boxes["green"].setChecked(False)
    assert not teams.team_players["green"].isEnabled()
    finish(qtbot, wizard)

    _, setup = wizard.session_setup()
    assert setup.teams == (
        TeamSetup("red", "Red", ("red",), ("Anna", "Jonas", "Mia")),
        TeamSetup("blue", "Blue", ("blue",), ("Kārlis", "Eva", "Ola")),
    )
    summary = wizard.summary_page.summary_label.text()
    assert "Anna, Jonas, Mia" in summary and "Kārlis, Eva" in summary and "Green" not in summary


def test_a_name_typed_twice_for_a_team_counts_once_and_a_name_in_two_teams_is_flagged(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = shown_active(qtbot, make_wizard())
    teams = at_page(qtbot, monkeypatch, wizard, wizard.teams_page)
    note = teams.players_note
    assert note.isHidden()
    type_into(qtbot, teams.team_players["red"], "Ann, Ann, ann , Bob")
    assert note.isVisible() and note.objectName() == "hint"
    assert note.text() == "Ann: typed more than once for Red, counted once."
    type_into(qtbot, teams.team_players["blue"], "BOB, Eva")
    assert note.text().splitlines() == [
        "Ann: typed more than once for Red, counted once.",
        "Bob is named for Red and Blue: if they are different students, add an initial.",
    ]
    teams.team_boxes["blue"].setChecked(False)  # not playing: its names are not counted
    assert note.text() == "Ann: typed more than once for Red, counted once."
    finish(qtbot, wizard)

    loaded, setup = wizard.session_setup()
    assert setup.teams[0] == TeamSetup("red", "Red", ("red",), ("Ann", "Bob"))
    session = SessionController.create(loaded, setup, None)
    assert tuple(session.state.teams["red"].players) == ("Ann", "Bob")


def test_a_ticked_grouping_takes_the_names_typed_for_its_members(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = shown_active(qtbot, make_wizard())
    teams = at_page(qtbot, monkeypatch, wizard, wizard.teams_page)
    type_into(qtbot, teams.team_players["blue"], "Mia, Noah")
    type_into(qtbot, teams.team_players["green"], "noah, Ola")
    qtbot.mouseClick(teams.grouping_boxes["allies"], Qt.MouseButton.LeftButton)
    assert teams.grouping_boxes["allies"].isChecked()
    assert teams.grouping_players["allies"].text() == "Mia, Noah, Ola"
    assert teams.players_note.isHidden()
    go_to(qtbot, wizard, wizard.summary_page)
    assert "Mia, Noah, Ola" in wizard.summary_page.summary_label.text()
    assert wizard.session_setup()[1].teams[1] == TeamSetup(
        "allies", "Allies", ("blue", "green"), ("Mia", "Noah", "Ola")
    )

    go_to_back(wizard, teams)  # the grouping's own names, once typed, are kept: the left-out ones are named
    type_into(qtbot, teams.grouping_players["allies"], "Mia, Zoe")
    assert teams.players_note.isVisible()
    assert teams.players_note.text() == (
        "Not playing: Noah, Ola, typed for Blue and Green but not among the players of Allies."
    )
    qtbot.mouseClick(teams.grouping_boxes["allies"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(teams.grouping_boxes["allies"], Qt.MouseButton.LeftButton)
    assert teams.grouping_players["allies"].text() == "Mia, Zoe"


def go_to_back(wizard: NewSessionWizard, page: QWizardPage) -> None:
    while wizard.currentPage() is not page:
        wizard.back()


def test_at_least_one_team_must_play(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = make_wizard()
    teams = at_page(qtbot, monkeypatch, wizard, wizard.teams_page)
    for box in teams.team_boxes.values():
        box.setChecked(False)
    assert not teams.isComplete()
    assert not wizard.button(NEXT).isEnabled()
    assert "at least one team" in teams.status_label.text()

    teams.grouping_boxes["allies"].setChecked(True)
    assert teams.isComplete() and wizard.button(NEXT).isEnabled()


def test_turns_minutes_and_seed_are_taken_as_set(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = make_wizard()
    timing = at_page(qtbot, monkeypatch, wizard, wizard.timing_page)
    assert (timing.turns_spin.minimum(), timing.turns_spin.maximum(), timing.turns_spin.value()) == (1, 3, 3)
    assert set(timing.minutes_spins) == {
        "inject",
        "deliberation",
        "moves",
        "reveal",
        "adjudication",
        "scoring",
    }
    deliberation = timing.minutes_spins["deliberation"]
    assert deliberation.value() == 5 and deliberation.singleStep() == 0.5
    assert "same seed" in timing.seed_spin.toolTip()
    assert timing.seed_spin.maximum() == 2**31 - 1

    timing.turns_spin.setValue(2)
    deliberation.stepUp()
    timing.minutes_spins["scoring"].setValue(2.5)
    before = timing.seed_spin.value()
    seeds = set()
    for _ in range(3):
        qtbot.mouseClick(timing.new_seed_button, Qt.MouseButton.LeftButton)
        seeds.add(timing.seed_spin.value())
    assert seeds - {before}
    timing.seed_spin.setValue(1234)
    assert "2 turns" in timing.total_label.text()
    finish(qtbot, wizard)

    _, setup = wizard.session_setup()
    assert setup.turns == 2
    assert setup.seed == 1234
    assert setup.phase_minutes == {
        "inject": 2,
        "deliberation": 5.5,
        "moves": 3,
        "reveal": 1,
        "adjudication": 2,
        "scoring": 2.5,
    }
    summary = wizard.summary_page.summary_label.text()
    assert "1234" in summary and "Deliberation 5.5" in summary and "Mini crisis" in summary


def test_tab_follows_the_timing_page_from_top_to_bottom(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = shown_active(qtbot, make_wizard())
    timing = at_page(qtbot, monkeypatch, wizard, wizard.timing_page)
    expected = [
        timing.turns_spin,
        *timing.minutes_spins.values(),
        timing.defaults_button,
        timing.seed_spin,
        timing.new_seed_button,
    ]
    for before, after in pairwise(expected):  # the order the page shows them in
        above, below = on_page(before, timing), on_page(after, timing)
        same_row = above.top() <= below.center().y() <= above.bottom()
        assert below.top() > above.bottom() or (same_row and below.left() > above.right())
    timing.turns_spin.setFocus()
    reached = [focused()]
    for _ in expected[1:]:
        press(qtbot, Qt.Key.Key_Tab)
        reached.append(focused())
    assert reached == expected


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Focus `widget`, select what it shows and type `text` over it."""
    widget.setFocus()
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(focused(), text)


def test_turns_typed_out_of_range_become_the_nearest_allowed_with_a_visible_hint(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = shown_active(qtbot, make_wizard())
    timing = at_page(qtbot, monkeypatch, wizard, wizard.timing_page)
    turns, hint = timing.turns_spin, timing.turns_hint
    assert hint.isHidden()

    type_into(qtbot, turns, "101")
    press(qtbot, Qt.Key.Key_Tab)
    assert turns.value() == 3  # the mini deck's turns, not 1
    assert hint.isVisible() and hint.objectName() == "hint"
    assert hint.text() == "101 is not possible: 1 to 3 turns. Set to 3."
    assert "3 turns" in timing.total_label.text()

    type_into(qtbot, turns, "2")
    press(qtbot, Qt.Key.Key_Tab)
    assert turns.value() == 2 and hint.isHidden()

    type_into(qtbot, turns, "0")
    press(qtbot, Qt.Key.Key_Return)  # also Next
    assert wizard.currentPage() is wizard.summary_page
    assert turns.value() == 1 and "Set to 1." in hint.text()
    wizard.back()
    assert hint.isVisible()
    type_into(qtbot, turns, "3")
    press(qtbot, Qt.Key.Key_Tab)
    assert turns.value() == 3 and hint.isHidden()


def test_going_back_keeps_what_was_typed(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = make_wizard()
    at_page(qtbot, monkeypatch, wizard, wizard.timing_page)
    wizard.teams_page.team_players["red"].setText("Anna")
    wizard.timing_page.turns_spin.setValue(1)
    wizard.back()
    wizard.back()
    go_to(qtbot, wizard, wizard.summary_page)
    _, setup = wizard.session_setup()
    assert setup.teams[0].players == ("Anna",) and setup.turns == 1


def test_enter_means_next_on_every_page_and_never_presses_an_in_page_button(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[object] = []

    class FileDialog:
        @staticmethod
        def getOpenFileName(*args: object) -> tuple[str, str]:
            asked.append(args)
            return "", ""

    monkeypatch.setattr(wizard_module, "QFileDialog", FileDialog)
    wizard = shown_active(qtbot, make_wizard())
    assert focused() is wizard.deck_page.deck_list  # not the "Open a deck file…" button
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.class_page and not asked

    wizard.back()
    wizard.deck_page.open_button.setFocus()
    press(qtbot, Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.class_page and not asked
    wizard.back()
    wizard.deck_page.deck_list.setFocus()
    press(qtbot, Qt.Key.Key_Tab)  # the button is still one Tab away, and Space presses it
    assert focused() is wizard.deck_page.open_button
    assert wizard.deck_page.open_button.text() == "&Open a deck file…"
    press(qtbot, Qt.Key.Key_Space)
    assert len(asked) == 1

    go_to(qtbot, wizard, wizard.timing_page)
    seed = wizard.timing_page.seed_spin.value()
    for button in (wizard.timing_page.new_seed_button, wizard.timing_page.defaults_button):
        wizard.timing_page.minutes_spins["inject"].setValue(9)
        button.setFocus()
        press(qtbot, Qt.Key.Key_Enter)
        assert wizard.currentPage() is wizard.summary_page
        wizard.back()
    assert wizard.timing_page.seed_spin.value() == seed
    assert wizard.timing_page.minutes_spins["inject"].value() == 9
    with qtbot.waitSignal(wizard.accepted):
        press(qtbot, Qt.Key.Key_Return)  # on the timing page: Next
        press(qtbot, Qt.Key.Key_Return)  # on the summary: Start session


def test_a_broken_deck_file_shows_its_problems_and_cannot_be_chosen(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    text = MINI_DECK.read_text(encoding="utf-8").replace("teams: [red, blue]\n", "teams: [red, purple]\n")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    teams: [red, purple]") + 1
    wizard = make_wizard()
    page = wizard.deck_page
    choose_file(monkeypatch, wizard, broken, qtbot)

    assert page.problems_box.isVisible() and page.problems_box.isReadOnly()
    problems = page.problems_box.toPlainText().splitlines()
    assert problems == [f"{broken.resolve()}:{line}:18: unknown team 'purple' (teams: blue, green, red)"]
    assert "Traceback" not in page.problems_box.toPlainText()
    assert "cannot be used" in page.deck_list.currentItem().text()
    assert not wizard.currentPage().isComplete()
    assert not wizard.button(NEXT).isEnabled()

    # Fixed and opened again: the same entry now holds the deck.
    broken.write_text(MINI_DECK.read_text(encoding="utf-8"), encoding="utf-8")
    rows = page.deck_list.count()
    choose_file(monkeypatch, wizard, broken, qtbot)
    assert page.deck_list.count() == rows
    assert page.isComplete() and wizard.button(NEXT).isEnabled()
    assert page.problems_box.isHidden()


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "is a directory, not a deck file"), (b"id: caf\xe9\n", "the file is not UTF-8 text")],
)
def test_an_unreadable_deck_file_is_shown_like_a_broken_one(
    qtbot: QtBot,
    make_wizard: Callable[[], NewSessionWizard],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    content: bytes | None,
    message: str,
) -> None:
    path = tmp_path / "deck.yaml"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    wizard = make_wizard()
    choose_file(monkeypatch, wizard, path, qtbot)
    assert page_problems(wizard) == [f"{path.resolve()}:1:1: {message}"]
    assert not wizard.button(NEXT).isEnabled()


def test_any_other_failure_while_loading_is_shown_not_raised(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(path: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(wizard_module, "load_deck_file", explode)
    wizard = make_wizard()
    choose_file(monkeypatch, wizard, MINI_DECK, qtbot)
    assert page_problems(wizard) == [f"{MINI_DECK}:1:1: cannot load this deck: disk on fire"]
    assert not wizard.button(NEXT).isEnabled()


def page_problems(wizard: NewSessionWizard) -> list[str]:
    return wizard.deck_page.problems_box.toPlainText().splitlines()


def test_the_mini_deck_file_can_be_played(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = make_wizard()
    choose_file(monkeypatch, wizard, MINI_DECK, qtbot)
    assert "Mini crisis" in wizard.deck_page.details.text()
    assert str(MINI_DECK) in wizard.deck_page.details.text()
    finish(qtbot, wizard)
    loaded, setup = wizard.session_setup()
    assert loaded.deck.id == "mini"
    assert [team.id for team in setup.teams] == ["red", "blue", "green"]
    SessionController.create(loaded, setup, None)


def test_last_choices_are_remembered(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_wizard()
    choose_file(monkeypatch, first, MINI_DECK, qtbot)
    go_to(qtbot, first, first.class_page)
    first.class_page.class_edit.setText(" IR 101 ")
    first.class_page.facilitator_edit.setText("Dr. Ozola")
    go_to(qtbot, first, first.timing_page)
    first.timing_page.minutes_spins["deliberation"].setValue(7.5)
    first_seed = first.timing_page.seed_spin.value()
    finish(qtbot, first)
    assert first.session_setup()[1].class_label == "IR 101"

    second = make_wizard()
    loaded = second.deck_page.current_deck()
    assert loaded is not None
    assert loaded.deck.id == "mini"
    assert second.class_page.class_edit.text() == "IR 101"
    assert second.class_page.facilitator_edit.text() == "Dr. Ozola"
    go_to(qtbot, second, second.timing_page)
    assert second.timing_page.minutes_spins["deliberation"].value() == 7.5
    assert second.timing_page.minutes_spins["inject"].value() == 2
    # "Use the deck's timings" goes back to the deck's minutes.
    qtbot.mouseClick(second.timing_page.defaults_button, Qt.MouseButton.LeftButton)
    assert second.timing_page.minutes_spins["deliberation"].value() == 5
    # The seed is never remembered: every session gets a fresh one unless typed in.
    assert second.timing_page.seed_spin.value() != first_seed or first_seed == 0


def test_a_cancelled_wizard_remembers_nothing(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard]
) -> None:
    first = make_wizard()
    first.class_page.class_edit.setText("IR 101")
    answer_discard("&Discard")
    first.reject()
    assert make_wizard().class_page.class_edit.text() == ""


def answer_discard(button: str) -> list[str]:
    """Click `button` in the next "Discard this new session?" box once it opens; gives its texts."""
    asked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        asked.append(f"{box.text()} {box.informativeText()}")
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, answer)
    return asked


def close_button(wizard: NewSessionWizard) -> None:
    """The window's close button: the window system's close event to the window (which makes the
    wizard's close event spontaneous), not the program's `close()`."""
    handle = wizard.windowHandle()
    assert handle is not None
    QApplication.sendEvent(handle, QCloseEvent())


def test_escape_cancel_and_the_close_button_ask_before_discarding_what_was_typed(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard]
) -> None:
    wizard = shown_active(qtbot, make_wizard())
    go_to(qtbot, wizard, wizard.teams_page)
    type_into(qtbot, wizard.teams_page.team_players["latvia"], "Ann, Bob")
    for cancel in (
        lambda: press(qtbot, Qt.Key.Key_Escape),
        lambda: click(qtbot, wizard, QWizard.WizardButton.CancelButton),
        lambda: close_button(wizard),
    ):
        asked = answer_discard("&Keep editing")
        cancel()
        assert asked == ["Discard this new session? What you typed and chose in it will be lost."]
        assert wizard.isVisible() and wizard.currentPage() is wizard.teams_page
        assert wizard.teams_page.team_players["latvia"].text() == "Ann, Bob"

    asked = answer_discard("&Discard")
    shown_active(qtbot, wizard).teams_page.team_players["latvia"].setFocus()
    with qtbot.waitSignal(wizard.rejected):
        press(qtbot, Qt.Key.Key_Escape)
    assert asked and not wizard.isVisible()


def test_nothing_typed_cancels_without_a_question(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wizard_module, "ask_discard", lambda parent: pytest.fail("asked"))
    QSettings().setValue("new_session/class_label", "IR 101")  # remembered, not typed
    for cancel in ("escape", "close button"):
        wizard = shown_active(qtbot, make_wizard())
        for page in (wizard.teams_page, wizard.timing_page, wizard.summary_page):  # seen, not changed
            go_to(qtbot, wizard, page)
        assert not wizard.is_edited()
        with qtbot.waitSignal(wizard.rejected):
            press(qtbot, Qt.Key.Key_Escape) if cancel == "escape" else close_button(wizard)
        assert not wizard.isVisible()


EDITS: dict[str, Callable[[NewSessionWizard], object]] = {
    "class label": lambda w: w.class_page.class_edit.setText("IR 101"),
    "facilitator": lambda w: w.class_page.facilitator_edit.setText("Dr. Ozola"),
    "a player": lambda w: w.teams_page.team_players["red"].setText("Ann"),
    "a team not playing": lambda w: w.teams_page.team_boxes["red"].setChecked(False),
    "a grouping": lambda w: w.teams_page.grouping_boxes["allies"].setChecked(True),
    "turns": lambda w: w.timing_page.turns_spin.setValue(2),
    "minutes": lambda w: w.timing_page.minutes_spins["moves"].setValue(9),
    "seed": lambda w: w.timing_page.seed_spin.setValue(w.timing_page.seed_spin.value() ^ 1),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_every_kind_of_change_is_worth_a_question(
    qtbot: QtBot,
    make_wizard: Callable[[], NewSessionWizard],
    monkeypatch: pytest.MonkeyPatch,
    edit: Callable[[NewSessionWizard], object],
) -> None:
    asked: list[QWidget] = []

    def ask_discard(parent: QWidget) -> bool:
        asked.append(parent)
        return False

    monkeypatch.setattr(wizard_module, "ask_discard", ask_discard)
    wizard = make_wizard()
    at_page(qtbot, monkeypatch, wizard, wizard.summary_page)
    wizard.reject()
    assert not asked and not wizard.isVisible()

    wizard = make_wizard()
    at_page(qtbot, monkeypatch, wizard, wizard.summary_page)
    edit(wizard)
    wizard.reject()
    assert asked == [wizard] and wizard.isVisible()  # "Keep editing"


def answer_wizard(accept: bool) -> None:
    """Answer the modal wizard once it is open (retrying until it is)."""

    def answer() -> None:
        wizards = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, NewSessionWizard) and w.isVisible()
        ]
        if not wizards:
            QTimer.singleShot(10, answer)
            return
        if accept:
            wizards[0].accept()
        else:
            wizards[0].reject()

    QTimer.singleShot(0, answer)


def test_ask_new_session_returns_none_when_cancelled(qtbot: QtBot) -> None:
    answer_wizard(accept=False)
    assert ask_new_session() is None


def test_ask_new_session_returns_the_deck_and_command_when_accepted(qtbot: QtBot) -> None:
    answer_wizard(accept=True)
    answer = ask_new_session()
    assert answer is not None
    loaded, setup = answer
    assert loaded.deck.id == DEFAULT_DECK_ID
    assert len(setup.teams) == len(loaded.deck.teams)


def test_keyboard_access_and_tooltips(make_wizard: Callable[[], NewSessionWizard]) -> None:
    wizard = make_wizard()
    assert wizard.deck_page.open_button.text().startswith("&")
    assert wizard.deck_page.open_button.toolTip()
    assert wizard.buttonText(FINISH) == "&Start session"
    labels = {label.buddy(): label.text() for label in wizard.class_page.findChildren(wizard_module.QLabel)}
    assert labels[wizard.class_page.class_edit] == "C&lass label:"
    assert labels[wizard.class_page.facilitator_edit] == "&Facilitator:"
    for edit in (wizard.class_page.class_edit, wizard.class_page.facilitator_edit):
        assert edit.toolTip()


def test_a_remembered_deck_file_that_broke_since_is_listed_but_not_chosen(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    deck_file = tmp_path / "mine.yaml"
    deck_file.write_text(MINI_DECK.read_text(encoding="utf-8"), encoding="utf-8")
    first = make_wizard()
    choose_file(monkeypatch, first, deck_file, qtbot)
    finish(qtbot, first)

    deck_file.write_text("id: [", encoding="utf-8")
    second = make_wizard()
    page = second.deck_page
    loaded = page.current_deck()
    assert loaded is not None
    assert loaded.deck.id == DEFAULT_DECK_ID
    labels = [page.deck_list.item(row).text() for row in range(page.deck_list.count())]
    assert any(label.startswith("⚠ mine.yaml") for label in labels)


# Available screen sizes in Qt's pixels: 1280 × 800 and 1024 × 768, each at 100 % and at 150 %.
SCREENS = {
    "1280x800": (1280, 800),
    "1024x768": (1024, 768),
    "1280x800@150%": (853, 533),
    "1024x768@150%": (683, 512),
}


def assert_readable_without_scrolling_sideways(page: TeamsPage) -> None:
    QApplication.processEvents()  # lay the page out after what changed it
    scroll = page.findChild(QScrollArea)
    assert scroll is not None
    content = scroll.widget()
    assert content is not None
    assert not scroll.horizontalScrollBar().isVisible()
    assert content.width() <= scroll.viewport().width()
    widgets: list[QLabel | QCheckBox] = [*content.findChildren(QLabel), *content.findChildren(QCheckBox)]
    for widget in widgets:
        if widget.isVisibleTo(page):
            assert widget.geometry().right() < content.width(), widget.text()  # not cut on the right
            assert widget.width() >= widget.minimumSizeHint().width(), widget.text()


@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_the_wizard_fits_the_screen_and_its_teams_page_needs_no_sideways_scrolling(
    qtbot: QtBot, make_wizard: Callable[[], NewSessionWizard], screen: tuple[int, int]
) -> None:
    wizard = make_wizard()
    available = QSize(*screen)
    size = wizard.default_size(available)
    assert size.width() < available.width() and size.height() < available.height()
    wizard.resize(size)
    teams = wizard.teams_page
    go_to(qtbot, wizard, teams)
    assert_readable_without_scrolling_sideways(teams)
    teams.grouping_boxes["baltic_states"].setChecked(True)  # "(in Baltic states)", and a clash note
    assert_readable_without_scrolling_sideways(teams)
    for page in (wizard.timing_page, wizard.summary_page):  # no page makes the wizard outgrow the screen
        go_to(qtbot, wizard, page)
        assert wizard.width() <= size.width() and wizard.height() <= size.height(), page.title()
