"""Several inject cards in one turn: the console steps through them and the shared screen follows."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from wargame.engine import commands as c
from wargame.engine.state import Injection, State
from wargame.store import Store
from wargame.ui.main_window import MainWindow
from wargame.ui.qt import QtCore
from wargame.ui.turn_cards import TurnCards


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cards.sqlite3'}"


@pytest.fixture
def window(qtbot: QtBot, store: Store) -> MainWindow:
    main = MainWindow(store)
    qtbot.addWidget(main)
    main.show()
    return main


def state_with(turn: int, *cards: tuple[int, str]) -> State:
    state = State()
    state.turn = turn
    state.injections = [
        Injection(seq, card_turn, card, "scheduled", 0.0) for seq, (card_turn, card) in enumerate(cards)
    ]
    return state


def shown(cards: TurnCards) -> str | None:
    return cards.current.card if cards.current is not None else None


def test_a_new_turn_shows_its_first_card_and_a_card_injected_later_at_once(qtbot: QtBot) -> None:
    cards = TurnCards()
    with qtbot.waitSignal(cards.changed):
        cards.update_from(state_with(1, (1, "a"), (1, "b")))
    assert (shown(cards), cards.position, cards.count) == ("a", 0, 2)
    cards.step(1)
    assert shown(cards) == "b"
    cards.step(1)  # no card after the last
    assert shown(cards) == "b"
    cards.step(-1)
    cards.update_from(state_with(1, (1, "a"), (1, "b"), (1, "c")))
    assert (shown(cards), cards.count) == ("c", 3)
    cards.update_from(state_with(2, (1, "a"), (1, "b"), (1, "c"), (2, "d"), (2, "e")))
    assert (shown(cards), cards.count) == ("d", 2)


def test_a_turn_without_a_card_keeps_the_last_one_and_undone_cards_go(qtbot: QtBot) -> None:
    cards = TurnCards()
    cards.update_from(state_with(1, (1, "a"), (1, "b")))
    cards.step(1)
    cards.update_from(state_with(1, (1, "a")))  # "b" undone
    assert (shown(cards), cards.count) == ("a", 1)
    cards.update_from(state_with(2, (1, "a")))
    assert shown(cards) == "a"
    with qtbot.assertNotEmitted(cards.changed):
        cards.update_from(state_with(2, (1, "a")))
    cards.update_from(state_with(2))
    assert shown(cards) is None and cards.count == 0


@pytest.mark.qt_log_ignore("^This plugin does not support raise\\(\\)$")  # offscreen: raise_() is a no-op
def test_both_screens_step_through_the_cards_of_a_turn(qtbot: QtBot, window: MainWindow) -> None:
    from tests.ui.test_console import wizard_setup

    session = wizard_setup(qtbot, window, "")
    console = window.console
    assert console is not None
    console.advance()  # turn 1 and its scheduled card
    first = session.state.injections[-1]
    other = next(card for card in session.deck.cards if card.id != first.card)
    shared = window.open_shared_screen()
    assert shared is not None
    assert not console.card_view.next_card.isVisible()
    assert shared.card_heading.text() == "Inject · turn 1"

    session.execute(c.InjectCard(card=other.id))
    assert console.card_view.title.text() == other.title
    assert console.card_view.card_count.text() == "Card 2 of 2"
    assert shared.card_title.text() == other.title
    assert shared.card_heading.text() == "Inject 2 of 2 · turn 1"

    qtbot.mouseClick(console.card_view.previous_card, QtCore.Qt.MouseButton.LeftButton)
    first_title = session.deck.card(first.card).title
    assert console.card_view.title.text() == first_title
    assert shared.card_title.text() == first_title
    assert shared.card_heading.text() == "Inject 1 of 2 · turn 1"
    assert not console.card_view.previous_card.isEnabled() and console.card_view.next_card.isEnabled()

    while session.state.turn == 1:
        if session.state.phase == "moves":
            for team in session.state.active_teams():
                session.execute(c.SubmitDecision(team=team.id))
        session.execute(c.Advance())
    turn_two = [i for i in session.state.injections if i.turn == 2]
    assert turn_two, "the mini deck schedules a card every turn"
    assert console.card_view.heading.text() == "Inject — turn 2"
    assert console.card_view.title.text() == session.deck.card(turn_two[0].card).title
    assert shared.card_heading.text() in ("Inject · turn 2", f"Inject 1 of {len(turn_two)} · turn 2")
