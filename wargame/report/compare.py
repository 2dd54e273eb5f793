"""Comparing sessions of one deck (a class, a semester): outcomes, curves and what preceded the rises."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from wargame.engine.describe import session_team_names
from wargame.errors import WargameError
from wargame.report.replay import Replay
from wargame.report.svg_chart import cause_label, chart_points

NOT_ENDED = "(not ended)"


@dataclass(frozen=True)
class Rise:
    """One step up of the index in one session, and the cards and actions of its turn up to it."""

    session_id: str
    class_label: str
    turn: int
    seq: int
    delta: float
    cause: str
    preceded: tuple[str, ...]


@dataclass(frozen=True)
class Curve:
    session_id: str
    label: str
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Comparison:
    deck_id: str
    deck_title: str
    sessions: int
    outcomes: dict[str, int]
    curves: tuple[Curve, ...]
    rises: tuple[Rise, ...]
    preceding: tuple[tuple[str, int], ...]  # card/action label -> how many of the top rises it preceded


def session_label(replay: Replay) -> str:
    """Its short id first: a chart's legend cuts long labels, and the id tells sessions apart."""
    info = replay.info
    return f"{info.id[:6]} · {info.class_label or 'no class'} · {info.created_at:%Y-%m-%d}"


def rises(replay: Replay) -> list[Rise]:
    """Every step up of the index in a session, with what happened earlier in the same turn."""
    deck = replay.deck
    history = replay.state.history
    teams = session_team_names(replay.state)
    found = []
    for position in range(1, len(history)):
        point, before = history[position], history[position - 1]
        delta = point.index - before.index
        if delta <= 0:
            continue
        same_turn = [
            cause_label(deck, p.cause, teams)
            for p in history[1:position]  # what came before it, not its own cause
            if p.turn == point.turn and not p.cause.startswith("adjudication")
        ]
        found.append(
            Rise(
                replay.info.id,
                replay.info.class_label,
                point.turn,
                point.seq,
                delta,
                cause_label(deck, point.cause, teams),
                tuple(dict.fromkeys(same_turn)),
            )
        )
    return found


def compare(replays: Sequence[Replay], top: int = 10) -> Comparison:
    """Compare sessions of one deck; raises WargameError if they are of different decks or none."""
    if not replays:
        raise WargameError("select at least one session to compare")
    decks = {replay.info.deck_id for replay in replays}
    if len(decks) > 1:
        raise WargameError(
            f"only sessions of the same deck can be compared (these are of {', '.join(sorted(decks))})"
        )
    first = replays[0]
    outcomes: Counter[str] = Counter()
    for replay in replays:
        outcome = replay.state.outcome
        outcomes[replay.deck.outcome(outcome).title if outcome else NOT_ENDED] += 1
    curves = tuple(
        Curve(
            replay.info.id,
            session_label(replay),
            tuple((x, y) for x, y, _, _ in chart_points(replay.state.history, replay.deck.phase_ids)),
        )
        for replay in replays
    )
    every = [rise for replay in replays for rise in rises(replay)]
    largest = sorted(every, key=lambda rise: (-rise.delta, rise.session_id, rise.seq))[:top]
    preceding: Counter[str] = Counter(label for rise in largest for label in rise.preceded)
    return Comparison(
        deck_id=first.info.deck_id,
        deck_title=first.deck.title,
        sessions=len(replays),
        outcomes=dict(outcomes.most_common()),
        curves=curves,
        rises=tuple(largest),
        preceding=tuple(preceding.most_common()),
    )
