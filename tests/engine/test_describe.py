"""Log lines name teams and places as the class knows them, not by their ids."""

from __future__ import annotations

from tests.conftest import BALTIC_DECK, MINI_DECK
from tests.engine.conftest import Driver
from wargame.deck import load_deck_file
from wargame.deck.models import Deck
from wargame.engine import commands as c
from wargame.engine import events as ev
from wargame.engine.describe import describe, describe_log, short_place_name, team_called
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


def test_a_team_is_called_by_the_name_the_session_gave_it() -> None:
    deck = load_deck_file(MINI_DECK).deck
    names = {"green": "Greens", "blue_and_green": "Blue and Green"}
    assert team_called(deck, "green", names) == "Greens"  # renamed in the session
    assert team_called(deck, "blue_and_green", names) == "Blue and Green"  # merged
    assert team_called(deck, "red", names) == "Red"  # the deck's
    move = Event(7, ev.DECISION_RECORDED, {"turn": 1, "team": "green", "action": None, "free_text": "x"})
    assert describe(deck, move, teams=names).startswith("Greens: ")


def test_roster_changes_and_undo_read_as_sentences() -> None:
    deck = load_deck_file(MINI_DECK).deck

    def line(event_kind: str, **data: object) -> str:
        return describe(deck, Event(5, event_kind, dict(data)), teams={"rb": "Red and Blue (merged)"})

    assert line(ev.ROSTER_CHANGED, change="add_player", team="red", player="Rosa") == "Roster: Rosa joins Red"
    assert line(ev.ROSTER_CHANGED, change="remove_player", team="red", player="Rosa") == (
        "Roster: Rosa leaves Red"
    )
    assert line(ev.ROSTER_CHANGED, change="rename_team", team="blue", name="Blue Navy") == (
        "Roster: Blue renamed “Blue Navy”"
    )
    merged = line(
        ev.ROSTER_CHANGED, change="merge_teams", teams=["red", "blue"], team="rb", name="Red and Blue"
    )
    assert merged == "Roster: Red, Blue merged as “Red and Blue”"
    assert (
        line(ev.ROSTER_CHANGED, change="remove_team", team="rb") == "Roster: Red and Blue leaves the session"
    )
    assert line(ev.UNDONE, target=9, kind=ev.DECISION_RECORDED) == "Undone: #9, a move"
    assert line(ev.UNDONE, target=12, kind=ev.UNDONE) == "Redo: the undo #12 no longer counts"
    # a merged team's moves by its name, not its id
    move = line(ev.DECISION_RECORDED, turn=2, team="rb", action="talk")
    assert move == "Red and Blue: move recorded"


def test_places_are_named_short_without_cutting_a_bracket() -> None:
    assert short_place_name("Brussels (NATO headquarters, EU institutions)") == "Brussels"
    assert short_place_name("Narva, on the Estonian–Russian border") == "Narva"
    assert short_place_name("Riga") == "Riga"
    deck = load_deck_file(BALTIC_DECK).deck
    assert team_called(deck, "brussels") == "Brussels"
    assert all("(" not in team_called(deck, place.id) for place in deck.places)


def test_a_pass_keeps_its_reason() -> None:
    deck = load_deck_file(MINI_DECK).deck
    passed = Event(7, ev.DECISION_RECORDED, {"turn": 1, "team": "red", "rationale": "We wait and see"})
    assert describe(deck, passed, show_moves=True) == "Red: pass (rationale: We wait and see)"


def test_each_line_calls_a_team_by_the_name_it_had_then(mini_deck: Deck) -> None:
    driver = Driver(mini_deck).create()
    driver.advance_to("moves")
    driver.submit("red", "talk")
    driver.run(c.RenameTeam("red", "Crimson"))
    driver.run(c.RenameTeam("blue", "Navy"))
    driver.undo()  # Navy does not count: blue keeps its name
    driver.run(c.AddNote("Crimson speaks", team="red"))
    driver.run(c.MergeTeams(("blue", "green"), "cool", "Cool ones"))
    lines = describe_log(mini_deck, driver.log, revealed={1})
    assert "Red: Propose a channel" in lines
    assert "Roster: Red renamed “Crimson”" in lines  # not "Crimson renamed “Crimson”"
    assert "Roster: Blue, Green merged as “Cool ones”" in lines  # the undone rename does not count
    assert "Note (Crimson): Crimson speaks" in lines  # after the rename, the new name
