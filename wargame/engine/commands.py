"""Commands: what a facilitator (or a script, or a bot) asks the engine to do.

The engine turns a command into events, or refuses it with a RuleError.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TeamSetup:
    """A team as set up for a session: a deck team, or a grouping of several."""

    id: str
    name: str
    members: tuple[str, ...]
    players: tuple[str, ...] = ()


@dataclass(frozen=True)
class CreateSession:
    seed: int
    teams: tuple[TeamSetup, ...]
    class_label: str = ""
    facilitator: str = ""
    turns: int | None = None
    phase_minutes: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Advance:
    """Go to the next phase (or the next turn, or the end)."""


@dataclass(frozen=True)
class InjectCard:
    """Inject a card now, overriding the schedule (exercise control's prerogative)."""

    card: str


@dataclass(frozen=True)
class SubmitDecision:
    """A team's move: an action from its menu, a free-text move, or a pass (neither)."""

    team: str
    action: str | None = None
    free_text: str | None = None
    target: str | None = None
    rationale: str = ""
    predict: str = ""


@dataclass(frozen=True)
class Adjudicate:
    team: str
    delta: float
    reason: str
    decision_seq: int | None = None


@dataclass(frozen=True)
class AddNote:
    text: str
    team: str | None = None


@dataclass(frozen=True)
class AddPlayer:
    team: str
    player: str


@dataclass(frozen=True)
class RemovePlayer:
    team: str
    player: str


@dataclass(frozen=True)
class RenameTeam:
    team: str
    name: str


@dataclass(frozen=True)
class AddTeam:
    team: TeamSetup


@dataclass(frozen=True)
class RemoveTeam:
    team: str


@dataclass(frozen=True)
class MergeTeams:
    teams: tuple[str, ...]
    into: str
    name: str


@dataclass(frozen=True)
class Undo:
    """Undo the last facilitator command (itself recorded as events: nothing is deleted)."""


@dataclass(frozen=True)
class Redo:
    """Redo the last undone command."""


@dataclass(frozen=True)
class EndSession:
    """End the session now; the state is classified into an outcome."""

    reason: str = "facilitator"


Command = (
    CreateSession
    | Advance
    | InjectCard
    | SubmitDecision
    | Adjudicate
    | AddNote
    | AddPlayer
    | RemovePlayer
    | RenameTeam
    | AddTeam
    | RemoveTeam
    | MergeTeams
    | Undo
    | Redo
    | EndSession
)
