"""The game state: what a fold over a session's events gives. Plain data, no behaviour beyond queries."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from wargame.deck.models import Condition, Deck
from wargame.engine.events import Event
from wargame.engine.predicates import band_of as band_of
from wargame.engine.predicates import getter, predicate


@dataclass(slots=True)
class TeamState:
    """A team as played in this session (a deck team, or a grouping of deck teams)."""

    id: str
    name: str
    members: tuple[str, ...]
    players: list[str] = field(default_factory=list)
    active: bool = True
    escalation: float = 0.0
    deescalation: float = 0.0
    merged_into: str | None = None  # the team it was merged into, if it was


@dataclass(slots=True)
class Decision:
    """A team's move. `value` and `note` are filled in when the turn's moves are revealed."""

    seq: int
    turn: int
    team: str
    action: str | None
    free_text: str | None
    target: str | None
    rationale: str
    predict: str
    value: float = 0.0
    note: str = ""
    revealed: bool = False

    @property
    def passed(self) -> bool:
        return self.action is None and self.free_text is None


class Injection(NamedTuple):
    seq: int
    turn: int
    card: str
    how: str
    value: float


class Adjudication(NamedTuple):
    seq: int
    turn: int
    team: str
    delta: float
    reason: str
    decision_seq: int | None


class Note(NamedTuple):
    seq: int
    turn: int
    text: str
    team: str | None


MAX_TURNS = 100  # the most turns a session may have


class IndexPoint(NamedTuple):
    """The index after an event changed it: the points of the escalation chart."""

    seq: int
    turn: int
    # The field shadows tuple.index (which mypy reports); the name is used throughout.
    index: float  # type: ignore[assignment]
    cause: str
    phase: str | None = None  # the phase it changed in (None before a turn's first)


@dataclass(slots=True)
class State:
    deck_id: str = ""
    seed: int = 0
    class_label: str = ""
    facilitator: str = ""
    turn_count: int = 0
    phase_minutes: dict[str, float] = field(default_factory=dict)
    turn: int = 0
    phase: str | None = None
    index: float = 0.0
    tracks: dict[str, float | str] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    teams: dict[str, TeamState] = field(default_factory=dict)
    injections: list[Injection] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    decisions_by_turn: dict[int, list[Decision]] = field(default_factory=dict)  # the same, by turn
    adjudications: list[Adjudication] = field(default_factory=list)
    note_events: list[Event] = field(default_factory=list)  # read them through `notes`
    turn_starts: list[tuple[int, int]] = field(default_factory=list)  # (seq, turn) of each turn's start
    revealed_turns: set[int] = field(default_factory=set)
    injected: dict[str, int] = field(default_factory=dict)
    taken: dict[str, int] = field(default_factory=dict)
    index_by_turn: list[float] = field(default_factory=list)
    history: list[IndexPoint] = field(default_factory=list)
    ended: bool = False
    outcome: str | None = None
    end_reason: str | None = None
    # Values derived from the state that conditions can read (e.g. which actions are available),
    # kept until an event changes what conditions read; `fold.apply` clears it.
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def notes(self) -> list[Note]:
        """Every note taken, with the turn it was taken in.

        Built when asked: the fold keeps each note's event as it is, since building thousands of
        notes took a third of the time to reopen a long session, and only a few places read them.
        """
        starts = [seq for seq, _ in self.turn_starts]
        notes = []
        for seq, _kind, data, _cmd in self.note_events:
            started = bisect_right(starts, seq)
            turn = self.turn_starts[started - 1][1] if started else 0
            notes.append(Note(seq, turn, data["text"], data.get("team")))
        return notes

    @property
    def started(self) -> bool:
        return self.turn > 0

    def active_teams(self) -> list[TeamState]:
        return [team for team in self.teams.values() if team.active]

    def decisions_in_turn(self, turn: int, team: str | None = None) -> list[Decision]:
        in_turn = self.decisions_by_turn.get(turn, [])
        return list(in_turn) if team is None else [d for d in in_turn if d.team == team]

    def submitted_teams(self) -> set[str]:
        """Teams that have entered at least one move (or passed) this turn."""
        return {d.team for d in self.decisions_by_turn.get(self.turn, ())}

    def hidden(self, decision: Decision) -> bool:
        """Whether a move's content (action, target, rationale, prediction) stays hidden: not
        revealed, in a session that can still reveal it."""
        return not decision.revealed and not self.ended

    def adjudications_by_decision(self, turn: int | None = None) -> dict[int, list[Adjudication]]:
        """Adjudications by the seq of the move they adjust: the move named, or for one that
        names none, the team's last move of that turn (none if it made no move then). Only those
        of one `turn` if given (the console asks at every command, in a session of thousands)."""
        decisions = self.decisions if turn is None else self.decisions_by_turn.get(turn, [])
        last_move: dict[tuple[str, int], int] = {}
        for decision in decisions:
            last_move[decision.team, decision.turn] = decision.seq
        found: dict[int, list[Adjudication]] = {}
        for adjudication in self.adjudications:
            if turn is not None and adjudication.turn != turn:
                continue
            seq = adjudication.decision_seq
            if seq is None:
                seq = last_move.get((adjudication.team, adjudication.turn))
            if seq is not None:
                found.setdefault(seq, []).append(adjudication)
        return found

    def playing_team_of(self, deck_team: str) -> TeamState | None:
        """The active session team that plays a deck team (itself, or a grouping holding it)."""
        for team in self.teams.values():
            if team.active and deck_team in team.members:
                return team
        return None


def lookup(deck: Deck, state: State, parts: tuple[str, ...]) -> Any:
    """The value of a condition-language name in this state."""
    return getter(deck, parts)(state)


def holds(deck: Deck, state: State, condition: Condition | None) -> bool:
    """Whether a deck condition holds in this state (no condition always holds)."""
    if condition is None:
        return True
    return predicate(deck, condition)(state)


def objectives_met(deck: Deck, state: State, team_id: str) -> list[str]:
    """Ids of the objectives (of every deck team the session team plays) that hold now."""
    team = state.teams[team_id]
    met: list[str] = []
    for member in team.members:
        for objective in deck.team(member).objectives:
            if holds(deck, state, objective.condition):
                met.append(objective.id)
    return met


def objective_score(deck: Deck, state: State, team_id: str) -> int:
    team = state.teams[team_id]
    return sum(
        objective.points
        for member in team.members
        for objective in deck.team(member).objectives
        if holds(deck, state, objective.condition)
    )


def scores(deck: Deck, state: State) -> dict[str, dict[str, Any]]:
    """Each team's points, keyed by team id (every team that played, active or not)."""
    return {
        team.id: {
            "name": team.name,
            "escalation": team.escalation,
            "deescalation": team.deescalation,
            "net": team.escalation - team.deescalation,
            "objectives": objective_score(deck, state, team.id),
            "objectives_met": objectives_met(deck, state, team.id),
            "active": team.active,
        }
        for team in state.teams.values()
    }
