"""Log lines name teams and places as the class knows them, not by their ids."""

from __future__ import annotations

from tests.conftest import MINI_DECK
from wargame.deck import load_deck_file
from wargame.engine import events as ev
from wargame.engine.describe import describe, team_called
from wargame.engine.events import Event


def test_moves_adjudications_and_endings_read_with_names() -> None:
    deck = load_deck_file(MINI_DECK).deck
    move = Event(7, ev.DECISION_RECORDED, {"turn": 1, "team": "red", "action": "strike", "target": "harbour"})
    assert describe(deck, move) == "Red: move recorded"  # hidden before the reveal
    assert describe(deck, move, show_moves=True) == "Red: Strike → The harbour"
    data = {"turn": 1, "team": "blue", "action": "posture", "target": "green"}
    aimed = Event(8, ev.DECISION_RECORDED, data)
    assert describe(deck, aimed, show_moves=True) == "Blue: Exercise near the border → Green"
    adjudicated = Event(9, ev.ADJUDICATED, {"team": "allies", "delta": 2, "reason": "Loud"})
    assert describe(deck, adjudicated) == "Adjudication: Allies +2 (Loud)"  # a grouping
    ended = Event(10, ev.SESSION_ENDED, {"outcome": "war", "reason": "early_end"})
    assert describe(deck, ended).startswith("Session ended (early end): ")


def test_a_team_made_in_the_session_keeps_its_id() -> None:
    deck = load_deck_file(MINI_DECK).deck
    assert team_called(deck, "blue_and_green") == "blue_and_green"
