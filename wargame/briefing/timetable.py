"""The class plan: a briefing, the deck's turns scaled to fit, and a debrief, in whole minutes.

The deck's phase minutes say how long each phase takes relative to the others; the plan scales
them so that all turns fit the time left between briefing and debrief. Rounding never changes the
total: minutes are handed out by largest remainder, each phase gets at least a minute, and when
even that does not fit, the plan covers only the turns that do.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from wargame.deck.models import Deck

CLASS_MINUTES = 90
BRIEFING_MINUTES = 10
DEBRIEF_MINUTES = 15


@dataclass(frozen=True)
class PlanRow:
    """One block of the class: the briefing, a turn (with its phases) or the debrief."""

    label: str
    start: int  # minutes from the start of the class
    minutes: int
    turn: int | None = None
    phases: tuple[tuple[str, int], ...] = ()

    @property
    def end(self) -> int:
        return self.start + self.minutes


@dataclass(frozen=True)
class ClassPlan:
    rows: tuple[PlanRow, ...]
    play_minutes: int
    deck_turn_minutes: float  # one turn at the deck's own phase minutes
    turns_in_deck: int
    turns_planned: int

    @property
    def total(self) -> int:
        return sum(row.minutes for row in self.rows)

    @property
    def deck_minutes(self) -> float:
        return self.deck_turn_minutes * self.turns_in_deck

    @property
    def scale(self) -> float:
        """Planned play time over the deck's own time for the planned turns."""
        return self.play_minutes / (self.deck_turn_minutes * self.turns_planned)


def class_plan(
    deck: Deck,
    *,
    total: int = CLASS_MINUTES,
    briefing: int = BRIEFING_MINUTES,
    debrief: int = DEBRIEF_MINUTES,
) -> ClassPlan:
    """Plan a class of `total` minutes for `deck`; the rows' minutes add up to `total`."""
    play = total - briefing - debrief
    if play < 1:
        raise ValueError("no time left for play")
    phases = deck.turns.phases
    weights = [phase.minutes for phase in phases]
    turns = min(deck.turns.count, max(1, play // len(phases)))
    minimum = min(len(phases), play // turns)
    turn_minutes = apportion(play, [sum(weights)] * turns, minimum=minimum)
    rows = [PlanRow("Briefing", 0, briefing)]
    clock = briefing
    for number, minutes in enumerate(turn_minutes, start=1):
        split = apportion(minutes, weights, minimum=1 if minutes >= len(phases) else 0)
        rows.append(
            PlanRow(
                f"Turn {number}",
                clock,
                minutes,
                turn=number,
                phases=tuple((phase.id, share) for phase, share in zip(phases, split, strict=True)),
            )
        )
        clock += minutes
    rows.append(PlanRow("Debrief", clock, debrief))
    return ClassPlan(tuple(rows), play, sum(weights), deck.turns.count, turns)


def apportion(total: int, weights: Sequence[float], *, minimum: int = 0) -> list[int]:
    """Whole numbers proportional to `weights`, each at least `minimum`, that add up to `total`."""
    count = len(weights)
    if count == 0:
        return []
    if minimum * count > total:
        minimum = total // count
    spare = total - minimum * count
    weight_sum = sum(weights)
    ideal = [total * w / weight_sum if weight_sum else total / count for w in weights]
    extra = [max(i - minimum, 0.0) for i in ideal]
    extra_sum = sum(extra)
    shares = [spare * e / extra_sum for e in extra] if extra_sum else [spare / count] * count
    result = [minimum + math.floor(share) for share in shares]
    leftover = total - sum(result)
    order = sorted(range(count), key=lambda i: (-(shares[i] - math.floor(shares[i])), i))
    for i in order[:leftover]:
        result[i] += 1
    return result


def clock(minutes: int) -> str:
    """Minutes from the start of class as h:mm."""
    return f"{minutes // 60}:{minutes % 60:02d}"
