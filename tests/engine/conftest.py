"""Fixtures for the engine tests: the mini deck and a small driver that runs commands like the controller.

The driver keeps `state` and `log` the way a caller of the engine does: each command is decided
against the current state (which `decide` advances in place) and its events are appended to the
log; after an Undo or a Redo the state is folded again from the whole log, because `decide` does
not apply `undone` events.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

import pytest

from wargame.deck import Deck, load_deck_file, load_deck_text
from wargame.engine import commands as c
from wargame.engine.events import Event
from wargame.engine.fold import fold
from wargame.engine.rules import decide, refold_needed
from wargame.engine.state import State, TeamState
from wargame.errors import RuleError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINI_PATH = FIXTURES / "mini.yaml"
BALTIC_PATH = Path(__file__).resolve().parents[2] / "decks" / "baltic_drone_spillover_2026.yaml"

#: The mini deck's teams, each played on its own.
SOLO_TEAMS = (
    c.TeamSetup("red", "Red", ("red",)),
    c.TeamSetup("blue", "Blue", ("blue",)),
    c.TeamSetup("green", "Green", ("green",)),
)


@cache
def load_mini() -> Deck:
    return load_deck_file(MINI_PATH).deck


def mini_variant(*replacements: tuple[str, str]) -> Deck:
    """The mini deck with some of its text replaced (each `old` must occur exactly once)."""
    text = MINI_PATH.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in mini.yaml"
        text = text.replace(old, new)
    return load_deck_text(text, "mini-variant.yaml").deck


class Driver:
    """Runs commands through `decide` and keeps the log and the state, as a controller would."""

    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.state = State()
        self.log: list[Event] = []

    # -- running commands ------------------------------------------------------------------

    @property
    def next_cmd(self) -> int:
        """Commands are numbered from 1 in the order they ran (the last event has the last one)."""
        return self.log[-1].cmd + 1 if self.log else 1

    def run(self, command: c.Command) -> list[Event]:
        """Run one command; a RuleError propagates and leaves the log as it was.

        The state is not put back after a refusal: the tests check that `decide` leaves the state
        it is given untouched when it refuses a command.
        """
        new = decide(self.deck, self.state, self.log, command, cmd=self.next_cmd)
        self.log.extend(new)
        if refold_needed(new):
            self.state = fold(self.deck, self.log)
        return new

    def try_run(self, command: c.Command) -> list[Event] | None:
        """Run a command; None if the rules refuse it."""
        try:
            return self.run(command)
        except RuleError:
            return None

    def run_all(self, commands: Iterable[c.Command]) -> list[Event]:
        events: list[Event] = []
        for command in commands:
            events.extend(self.run(command))
        return events

    # -- shorthands ------------------------------------------------------------------------

    def create(self, teams: Iterable[c.TeamSetup] = SOLO_TEAMS, seed: int = 7, **kwargs: object) -> Driver:
        self.run(c.CreateSession(seed=seed, teams=tuple(teams), **kwargs))  # type: ignore[arg-type]
        return self

    def advance(self, times: int = 1) -> list[Event]:
        events: list[Event] = []
        for _ in range(times):
            events.extend(self.run(c.Advance()))
        return events

    def advance_to(self, phase: str) -> list[Event]:
        """Advance until the phase is `phase` (at most one turn's worth of phases)."""
        events: list[Event] = []
        for _ in range(len(self.deck.phase_ids) + 2):
            if self.state.phase == phase:
                return events
            events.extend(self.advance())
        raise AssertionError(f"never reached phase {phase!r} (now {self.state.phase!r})")

    def submit(self, team: str, action: str | None = None, **kwargs: object) -> list[Event]:
        return self.run(c.SubmitDecision(team=team, action=action, **kwargs))  # type: ignore[arg-type]

    def pass_(self, team: str) -> list[Event]:
        return self.run(c.SubmitDecision(team=team))

    def pass_others(self, *movers: str) -> None:
        """Every active team that has not moved this turn passes, except `movers`."""
        for team in self.state.active_teams():
            if team.id not in movers and team.id not in self.state.submitted_teams():
                self.pass_(team.id)

    def play_turn(self, moves: dict[str, c.SubmitDecision] | None = None) -> list[Event]:
        """From anywhere before the reveal: make `moves`, everybody else passes, finish the turn."""
        moves = moves or {}
        if not self.state.started or self.state.phase is None:
            self.advance()
        self.advance_to("moves")
        for command in moves.values():
            self.run(command)
        self.pass_others(*moves)
        events: list[Event] = []
        turn = self.state.turn
        while not self.state.ended and self.state.turn == turn:
            events.extend(self.advance())
        return events

    def undo(self) -> list[Event]:
        return self.run(c.Undo())

    def redo(self) -> list[Event]:
        return self.run(c.Redo())

    # -- views -----------------------------------------------------------------------------

    def folded(self) -> State:
        return fold(self.deck, self.log)

    def snapshot(self) -> State:
        return copy.deepcopy(self.state)

    def kinds(self, events: Iterable[Event] | None = None) -> list[str]:
        return [event.kind for event in (self.log if events is None else events)]

    def team(self, team_id: str) -> TeamState:
        return self.state.teams[team_id]


@pytest.fixture(scope="session")
def mini_deck() -> Deck:
    return load_mini()


@pytest.fixture(name="mini_variant")
def mini_variant_fixture() -> Callable[..., Deck]:
    """Makes variants of the mini deck: `mini_variant(("moves_per_turn: 1", "moves_per_turn: 2"))`."""
    return mini_variant


@pytest.fixture
def fresh(mini_deck: Deck) -> Driver:
    """A driver with no session yet."""
    return Driver(mini_deck)


@pytest.fixture
def game(mini_deck: Deck) -> Driver:
    """A session of the mini deck with red, blue and green each played alone (seed 7), not started."""
    return Driver(mini_deck).create()


@pytest.fixture
def started(game: Driver) -> Driver:
    """The same session in turn 1's inject phase."""
    game.advance()
    return game


@pytest.fixture
def in_moves(started: Driver) -> Driver:
    """The same session in turn 1's moves phase."""
    started.advance_to("moves")
    return started
