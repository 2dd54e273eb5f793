"""The yardstick of the simulate figure: a bare fold of plain objects, of the same shape.

The issue gives it as "a bare fold of the same shape, 10 turns × 8 teams with plain objects,
runs about 18,000 sessions/s on one core". Here the shape is taken from real simulated sessions
(`play_session`): every event of each session becomes a plain tuple holding what the fold needs
(a move's team and value as the engine scored it, a card's value, a turn's number), and the fold
is the least that gives the same index history: no rules, no deck, no checks.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from wargame.deck.models import Deck
from wargame.engine import events as ev
from wargame.engine.simulate import play_session

MOVE, CARD, TURN, TURN_END, OTHER = range(5)
PlainEvent = tuple[int, str, float]  # (what, team or "", value or turn number)


@dataclass(slots=True)
class PlainTeam:
    escalation: float = 0.0
    deescalation: float = 0.0


@dataclass(slots=True)
class PlainState:
    teams: dict[str, PlainTeam]
    turn: int = 0
    index: float = 0.0
    history: list[tuple[int, float]] = field(default_factory=list)
    index_by_turn: list[float] = field(default_factory=list)


def plain_sessions(deck: Deck, runs: int, seed: int = 1) -> list[list[PlainEvent]]:
    """The events of `runs` simulated sessions, as plain tuples."""
    sessions = []
    for run in range(runs):
        state, log = play_session(deck, seed, run, "random")
        move_values = {decision.seq: decision.value for decision in state.decisions}
        card_values = {injection.seq: injection.value for injection in state.injections}
        plain: list[PlainEvent] = []
        for seq, kind, data, _cmd in log:
            if kind == ev.DECISION_RECORDED:
                plain.append((MOVE, data["team"], move_values[seq]))
            elif kind == ev.CARD_INJECTED:
                plain.append((CARD, "", card_values[seq]))
            elif kind == ev.TURN_STARTED:
                plain.append((TURN, "", float(data["turn"])))
            elif kind == ev.TURN_ENDED:
                plain.append((TURN_END, "", 0.0))
            else:
                plain.append((OTHER, kind, 0.0))
        sessions.append(plain)
    return sessions


def bare_fold(
    events: list[PlainEvent], team_ids: tuple[str, ...], start: float, low: float, high: float
) -> PlainState:
    state = PlainState({team_id: PlainTeam() for team_id in team_ids}, index=start)
    for what, team_id, value in events:
        if what == MOVE:
            team = state.teams[team_id]
            if value > 0:
                team.escalation += value
            else:
                team.deescalation -= value
            state.index = min(high, max(low, state.index + value))
            state.history.append((state.turn, state.index))
        elif what == CARD:
            state.index = min(high, max(low, state.index + value))
            state.history.append((state.turn, state.index))
        elif what == TURN:
            state.turn = int(value)
        elif what == TURN_END:
            state.index_by_turn.append(state.index)
    return state


def bounds(deck: Deck) -> tuple[float, float, float]:
    """The index's start, low and high ends (unbounded ends as infinities)."""
    scale = deck.escalation
    low = float(scale.min) if scale.min is not None else -math.inf
    high = float(scale.max) if scale.max is not None else math.inf
    return float(scale.start), low, high


def bare_fold_rate(deck: Deck, sessions: list[list[PlainEvent]], rounds: int) -> float:
    """Sessions folded per second, over `rounds` passes through `sessions`."""
    team_ids = tuple(team.id for team in deck.teams)
    start, low, high = bounds(deck)
    began = time.perf_counter()
    for _ in range(rounds):
        for events in sessions:
            bare_fold(events, team_ids, start, low, high)
    return rounds * len(sessions) / (time.perf_counter() - began)
