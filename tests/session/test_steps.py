"""The next step the console offers, from the state alone."""

from __future__ import annotations

from tests.conftest import MINI_DECK
from wargame.deck import load_deck_file
from wargame.engine import commands as c
from wargame.session import SessionController
from wargame.session.steps import next_step, unscored_free_text


def _session() -> SessionController:
    teams = (c.TeamSetup("red", "Red", ("red",)), c.TeamSetup("blue", "Blue", ("blue",)))
    return SessionController.create(load_deck_file(MINI_DECK), c.CreateSession(seed=1, teams=teams), None)


def test_steps_through_a_turn() -> None:
    session = _session()
    labels = []
    assert next_step(session.deck, session.state).label == "Start turn 1"
    session.execute(c.Advance())
    while session.state.phase != "moves":
        labels.append(next_step(session.deck, session.state).label)
        session.execute(c.Advance())
    step = next_step(session.deck, session.state)
    assert (step.label, step.enabled, step.hint, step.reason) == (
        "Reveal the moves",
        False,
        "Waiting for 2 teams",
        "Waiting for: Red, Blue",
    )
    session.execute(c.SubmitDecision("red", action="talk"))
    assert next_step(session.deck, session.state).hint == "Waiting for Blue"
    session.execute(c.SubmitDecision("blue", free_text="We call them"))
    assert next_step(session.deck, session.state).enabled
    session.execute(c.Advance())
    assert next_step(session.deck, session.state).label == "Adjudicate"
    session.execute(c.Advance())
    step = next_step(session.deck, session.state)
    assert not step.enabled and step.reason == "Free-text moves to score from: Blue"
    assert step.hint == "Free-text moves to score from Blue"
    assert unscored_free_text(session.state) == ("Blue",)
    blue_move = session.state.decisions_in_turn(1, "blue")[0]
    session.execute(c.Adjudicate("blue", -2, "a calming call", blue_move.seq))
    assert next_step(session.deck, session.state).label == "Score the turn"
    session.execute(c.Advance())
    assert next_step(session.deck, session.state).label == "Start turn 2"
    assert labels == ["Start deliberation", "Open the moves"]


def test_last_turn_and_end() -> None:
    session = _session()
    session.execute(c.Advance())
    session.execute(c.EndSession())
    step = next_step(session.deck, session.state)
    assert (step.label, step.enabled) == ("Session ended", False)
