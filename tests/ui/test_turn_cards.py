"""Which of a turn's inject cards the screens show (`TurnCards`); the console and shared screen
stepping through them is tested with the console (`test_console.py`)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from wargame.engine.state import Injection, State
from wargame.ui.turn_cards import TurnCards


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
