"""A stored session of the mini deck for review and report tests (built through the controller)."""

from __future__ import annotations

from tests.conftest import MINI_DECK
from wargame.deck import load_deck_file
from wargame.engine import commands as c
from wargame.session import SessionController
from wargame.store import Store

SCRIPT_RATIONALE = "<script>alert(1)</script>"
ADJUDICATION_REASON = "Tone was hostile & loud"
PREDICTION = "Blue will exercise near us"
PLAYERS = {"red": ("Alice Smith", "Bob"), "blue": ("Chandra",), "green": ()}
LATE_PLAYER = "Dana"
FACILITATOR = "Prof. Facil"


def _advance_to(session: SessionController, phase: str) -> None:
    while session.state.phase != phase:
        session.execute(c.Advance())


def play_mini(store: Store, *, class_label: str = "IR 101", seed: int = 5, strike: bool = True) -> str:
    """Three turns of the mini deck; with `strike`, red strikes in turn 3 (outcome: war)."""
    loaded = load_deck_file(MINI_DECK)
    teams = tuple(c.TeamSetup(team, team.capitalize(), (team,), players) for team, players in PLAYERS.items())
    session = SessionController.create(
        loaded,
        c.CreateSession(seed=seed, teams=teams, class_label=class_label, facilitator=FACILITATOR),
        store,
    )
    session.execute(c.AddPlayer("green", LATE_PLAYER))
    # Turn 1
    session.execute(c.Advance())
    _advance_to(session, "moves")
    session.execute(c.SubmitDecision("red", action="talk", rationale=SCRIPT_RATIONALE, predict=PREDICTION))
    session.execute(
        c.SubmitDecision("blue", action="posture", target="red", rationale="Alice Smith leads red; deter")
    )
    session.execute(c.SubmitDecision("green"))
    _advance_to(session, "adjudication")
    session.execute(c.Adjudicate("blue", 3, ADJUDICATION_REASON))
    session.execute(c.Advance())
    session.execute(c.Advance())
    # Turn 2
    _advance_to(session, "moves")
    session.execute(c.SubmitDecision("blue", action="accept", rationale="Take the offer"))
    session.execute(c.SubmitDecision("red", action="posture", target="blue", rationale="Keep them honest"))
    session.execute(c.SubmitDecision("green", action="talk", rationale="Support the channel"))
    _advance_to(session, "scoring")
    session.execute(c.Advance())
    # Turn 3
    _advance_to(session, "moves")
    if strike:
        session.execute(c.SubmitDecision("red", action="strike", target="harbour", rationale="Now or never"))
    else:
        session.execute(c.SubmitDecision("red", action="talk", rationale="Keep talking"))
    session.execute(c.SubmitDecision("blue"))
    session.execute(c.SubmitDecision("green"))
    while not session.state.ended:
        session.execute(c.Advance())
    return session.session_id


MERGED_ID, MERGED_NAME = "blue_green", "Blue+Green"  # the id as Teams → Merge makes it


def play_merged(store: Store, *, class_label: str = "IR 104") -> str:
    """Blue and Green merge as “Blue+Green”, which postures in turn 1 and is adjudicated up."""
    loaded = load_deck_file(MINI_DECK)
    teams = tuple(c.TeamSetup(team, team.capitalize(), (team,)) for team in PLAYERS)
    session = SessionController.create(
        loaded, c.CreateSession(seed=5, teams=teams, class_label=class_label), store
    )
    session.execute(c.MergeTeams(("blue", "green"), MERGED_ID, MERGED_NAME))
    session.execute(c.Advance())
    _advance_to(session, "moves")
    session.execute(c.SubmitDecision(MERGED_ID, action="posture", target="red"))
    session.execute(c.SubmitDecision("red"))
    _advance_to(session, "adjudication")
    session.execute(c.Adjudicate(MERGED_ID, 5, "Louder than announced"))
    while not session.state.ended:
        session.execute(c.Advance())
        if session.state.phase == "moves":
            for team in session.state.active_teams():
                session.execute(c.SubmitDecision(team.id))
    return session.session_id
