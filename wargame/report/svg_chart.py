"""The escalation chart as inline SVG (no JavaScript, no external resources), built in Python.

A polyline over the index history, the deck's bands as shaded stripes, a diamond for every
injected card and a square for every adjudication. Every label is escaped.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from html import escape

from wargame.deck.models import Deck
from wargame.engine.describe import session_team_names, team_called
from wargame.engine.state import IndexPoint, State

# The same palette as the app (ColorBrewer RdYlBu, reversed): colour-blind safe, each band named.
BAND_COLOURS = ("#4575b4", "#91bfdb", "#e0f3f8", "#fee090", "#fc8d59", "#d73027", "#a50026")
LINE = "#1f3b73"
CARD = "#b8860b"
ADJUDICATION = "#7b3294"


def band_colour(position: int, count: int) -> str:
    if count <= 1:
        return BAND_COLOURS[0]
    step = (len(BAND_COLOURS) - 1) / (count - 1)
    return BAND_COLOURS[round(position * step)]


def spread_turn(turn: int, items: list[IndexPoint], phases: Sequence[str]) -> list[tuple[float, IndexPoint]]:
    """A turn's points with their x, between turn - 1 and turn: each of the deck's `phases` has
    its share of the turn, and the points of a phase are spread evenly up to the end of its
    share (a point before the turn's first phase counts as in it). So a point keeps its place as
    the turn's later phases come (the reveal does not move the inject's marker), and the points
    come in the order they happened. The start's point (turn 0) is at 0."""
    if turn == 0:
        return [(0.0, point) for point in items]
    positions = [phases.index(point.phase) if point.phase in phases else 0 for point in items]
    counts = Counter(positions)
    seen: Counter[int] = Counter()
    spread = []
    for position, point in zip(positions, items, strict=True):
        seen[position] += 1
        spread.append((turn - 1 + (position + seen[position] / counts[position]) / len(phases), point))
    return spread


MAX_TICKS = 12
TICK_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000)


def tick_step(last_turn: int) -> int:
    """Turns between the x axis's labels: every turn for a class's few, 10 or 20 for a long
    session, whose hundred labels would overlap (and made resizing a Qt chart cost 5 ms)."""
    return next((step for step in TICK_STEPS if last_turn / step <= MAX_TICKS), TICK_STEPS[-1])


def chart_points(history: list[IndexPoint], phases: Sequence[str]) -> list[tuple[float, float, str, int]]:
    """(x, index, cause, seq) per history point; a turn's points spread between turn - 1 and
    turn by the phase (of the deck's `phases`) they came in (`spread_turn`)."""
    by_turn: dict[int, list[IndexPoint]] = {}
    for point in history:
        by_turn.setdefault(point.turn, []).append(point)
    return [
        (x, point.index, point.cause, point.seq)
        for turn, items in sorted(by_turn.items())
        for x, point in spread_turn(turn, items, phases)
    ]


def index_range(deck: Deck) -> tuple[float, float]:
    low = deck.escalation.min if deck.escalation.min is not None else -50
    high = deck.escalation.max if deck.escalation.max is not None else 100
    return float(low), float(high)


def cause_label(deck: Deck, cause: str, teams: Mapping[str, str] | None = None) -> str:
    """A history point's cause in words ("Card: Drones over the harbour", "Red: Strike"); a team
    made in the session (a merger) by its name in `teams` (`session_team_names`), as the timeline."""
    kind, _, rest = cause.partition(":")
    if kind == "card":
        return f"Card: {next((c.title for c in deck.cards if c.id == rest), rest)}"
    if kind == "move":
        team, _, action = rest.partition(":")
        action_label = next((a.label for a in deck.actions if a.id == action), action)
        return f"{team_called(deck, team, teams)}: {action_label}"
    if kind == "adjudication":
        return f"Adjudication ({team_called(deck, rest, teams)})"
    return "Start"


def escalation_svg(deck: Deck, state: State, width: int = 720, height: int = 260) -> str:
    """The chart of `state.history` as an `<svg>` element."""
    left, right, top, bottom = 44, 12, 12, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high = index_range(deck)
    span = (high - low) or 1.0
    turns = max(state.turn_count, state.turn, 1)

    def x_of(x: float) -> float:
        return left + plot_w * x / turns

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - low) / span)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Escalation index over the session" '
        'font-family="sans-serif" font-size="11">'
    ]
    bands = deck.escalation.bands
    labels: list[str] = []
    label_below = -math.inf  # the baseline of the label above: a thin band's label hangs below it
    for position in reversed(range(len(bands))):  # from the top band down
        band = bands[position]
        start = max(band.from_, low)
        end = bands[position + 1].from_ if position + 1 < len(bands) else high
        end = min(end, high)
        if end <= start:
            continue
        y1, y2 = y_of(end), y_of(start)
        label_y = max(y1 + 12, label_below + 13)
        label_below = label_y
        parts.append(
            f'<rect x="{left}" y="{y1:.1f}" width="{plot_w}" height="{y2 - y1:.1f}" '
            f'fill="{band_colour(position, len(bands))}" fill-opacity="0.25"/>'
        )
        labels.append(
            f'<text x="{left + plot_w - 4}" y="{label_y:.1f}" text-anchor="end" fill="#444">'
            f"{escape(band.label)}</text>"
        )
    parts += labels  # over every band: a label may hang into the band below
    parts.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#888"/>')
    for turn in range(0, turns + 1, tick_step(turns)):
        x = x_of(turn)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top + plot_h}" x2="{x:.1f}" y2="{top + plot_h + 4}" stroke="#888"/>'
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="#333">{turn}</text>'
        )
    for step in range(5):
        value = low + span * step / 4
        y = y_of(value)
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#333">{value:g}</text>'
            f'<line x1="{left - 3}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" stroke="#888"/>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.0f}" y="{height - 18}" text-anchor="middle" fill="#333">Turn</text>'
    )
    points = chart_points(state.history, deck.phase_ids)
    if points:
        coords = " ".join(f"{x_of(x):.1f},{y_of(y):.1f}" for x, y, _, _ in points)
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{LINE}" stroke-width="2.5"/>')
    teams = session_team_names(state)
    for x, y, cause, seq in points:
        cx, cy = x_of(x), y_of(y)
        title = f"<title>#{seq} {escape(cause_label(deck, cause, teams))}: index {y:g}</title>"
        if cause.startswith("card:"):
            parts.append(
                f'<path d="M{cx:.1f},{cy - 7:.1f} L{cx + 7:.1f},{cy:.1f} L{cx:.1f},{cy + 7:.1f} '
                f'L{cx - 7:.1f},{cy:.1f} Z" fill="{CARD}" stroke="#fff">{title}</path>'
            )
        elif cause.startswith("adjudication:"):
            parts.append(
                f'<rect x="{cx - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" fill="{ADJUDICATION}" '
                f'stroke="#fff">{title}</rect>'
            )
        else:
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{LINE}">{title}</circle>')
    legend_y = height - 5
    parts.append(
        f'<polyline points="{left},{legend_y - 4} {left + 18},{legend_y - 4}" '
        f'stroke="{LINE}" stroke-width="2.5"/>'
        f'<text x="{left + 22}" y="{legend_y}" fill="#333">Escalation index</text>'
        f'<path d="M{left + 140},{legend_y - 10} L{left + 146},{legend_y - 4} L{left + 140},{legend_y + 2} '
        f'L{left + 134},{legend_y - 4} Z" fill="{CARD}"/>'
        f'<text x="{left + 150}" y="{legend_y}" fill="#333">Inject card</text>'
        f'<rect x="{left + 226}" y="{legend_y - 9}" width="10" height="10" fill="{ADJUDICATION}"/>'
        f'<text x="{left + 240}" y="{legend_y}" fill="#333">Adjudication</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
