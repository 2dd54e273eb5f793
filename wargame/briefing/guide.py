"""The facilitator's guide: a 90-minute class plan, what to watch, the outcomes and the debrief."""

from __future__ import annotations

from collections import defaultdict

from wargame.briefing.cards import describe_source, source_line
from wargame.briefing.markup import (
    Markup,
    band,
    document,
    esc,
    one_line,
    plural,
    prose,
    swatch,
    table,
)
from wargame.briefing.team import find_side, menu
from wargame.briefing.timetable import ClassPlan, class_plan, clock
from wargame.briefing.words import (
    band_at,
    band_range,
    condition_text,
    condition_words,
    effects_words,
    lower_first,
    signed,
    timing_words,
)
from wargame.deck.models import Action, Card, Deck, Effects

GUIDE_COLOUR = "#2f3e4e"
PHASE_NAMES = {
    "inject": "inject",
    "deliberation": "deliberation",
    "moves": "moves",
    "reveal": "reveal",
    "adjudication": "adjudication",
    "scoring": "scoring",
}


def facilitator_guide(deck: Deck) -> Markup:
    """The whole guide as one HTML document."""
    plan = class_plan(deck)
    parts = [
        _header(deck),
        _plan_section(deck, plan),
        "<h2>The scenario</h2>",
        prose(deck.summary),
        _notes_section(deck),
        _teams_section(deck),
        _watch_section(deck),
        _cards_section(deck),
        _outcomes_section(deck),
        _sources_section(deck),
    ]
    return document(f"{deck.title}: facilitator's guide", "\n".join(part for part in parts if part))


def _header(deck: Deck) -> Markup:
    content = (
        '<span style="font-size: 9pt;">'
        f"FACILITATOR'S GUIDE · deck {esc(deck.id)}, version {esc(deck.version)}</span><br>"
        f'<span style="font-size: 20pt; font-weight: bold;">{esc(deck.title)}</span>'
    )
    return band(GUIDE_COLOUR, content, padding=10) + (
        '<p class="note" style="margin-top: 4px;">For the facilitator: this guide names the outcomes '
        "and what "
        "triggers each card. Keep it away from the players.</p>"
    )


def _notes_section(deck: Deck) -> Markup:
    """The deck's facilitator-only notes (never printed in a team brief)."""
    if not deck.facilitator_notes.strip():
        return ""
    return "<h2>Notes for the facilitator</h2>" + prose(deck.facilitator_notes)


# --- class plan ---------------------------------------------------------------------------------


def _plan_section(deck: Deck, plan: ClassPlan) -> Markup:
    phases = ", ".join(f"{PHASE_NAMES.get(p.id, p.id)} {p.minutes:g}" for p in deck.turns.phases)
    explanation = (
        f"<p>The deck's own turn takes {plan.deck_turn_minutes:g} minutes ({esc(phases)}), so its "
        f"{plural(plan.turns_in_deck, 'turn')} would take {plan.deck_minutes:g} minutes. "
        f"For a {plan.total}-minute class the plan keeps {plan.rows[0].minutes} minutes for the briefing "
        f"and {plan.rows[-1].minutes} for the "
        f"debrief, and scales every phase by {plan.scale:.2f} so that "
        f"{'the turns fit' if plan.turns_planned == plan.turns_in_deck else 'the turns that fit take'} "
        f"{plan.play_minutes} minutes (whole minutes, at least one per phase). "
        "Set the same phase minutes in the "
        "app when you start the session, or keep time by this table.</p>"
    )
    if plan.turns_planned < plan.turns_in_deck:
        explanation += (
            f"<p><b>Only {plural(plan.turns_planned, 'turn')} of {plan.turns_in_deck} fit.</b> "
            "End the session after "
            f"turn {plan.turns_planned}, or plan a longer class or a second lesson.</p>"
        )
    scheduled: dict[int, list[Card]] = defaultdict(list)
    for card in deck.cards:
        if card.when.turn is not None:
            scheduled[card.when.turn].append(card)
    rows: list[list[Markup]] = []
    for row in plan.rows:
        span = f"{clock(row.start)}–{clock(row.end)}"
        if row.turn is None:
            what = (
                "Hand out the team briefs. Teams read the scenario, their briefing, objectives "
                "and action menu, "
                "and agree a first aim."
                if row.start == 0
                else "Announce the outcome. Ask its debrief questions (below), then read the "
                "ground truths of "
                "the cards that were played (last pages of the cards)."
            )
            rows.append([span, f"<b>{esc(row.label)}</b>", f"<b>{row.minutes}</b>", esc(what)])
            continue
        steps = " · ".join(f"{PHASE_NAMES.get(phase, phase)} {minutes}" for phase, minutes in row.phases)
        what = esc(steps) + " (minutes)"
        cards = scheduled.get(row.turn, [])
        if cards:
            what += "<br><i>Scheduled card" + ("s" if len(cards) > 1 else "") + ": "
            what += "; ".join(f"“{esc(card.title)}”" for card in cards) + "</i>"
        rows.append([span, f"<b>{esc(row.label)}</b>", f"<b>{row.minutes}</b>", what])
    rows.append(["", "<b>Total</b>", f"<b>{plan.total}</b>", ""])
    return (
        f"<h2>Class plan ({plan.total} minutes)</h2>"
        + explanation
        + table(["Time", "Block", "Min", "What happens"], rows, widths=[12, 12, 7, 69], font_pt=9.5)
    )


# --- teams ---------------------------------------------------------------------------------------


def _teams_section(deck: Deck) -> Markup:
    rows = []
    for team in deck.teams:
        side = find_side(deck, team.id)
        objectives = "<br>".join(f"{one_line(o.text)} <b>({o.points})</b>" for o in team.objectives) or "—"
        rows.append(
            [
                f"{swatch(team.colour)} <b>{esc(team.name)}</b><br>"
                f'<span class="note">--team {esc(team.id)}</span>',
                objectives,
                str(len(menu(deck, side))),
            ]
        )
    parts = [
        "<h2>Teams: assigning students</h2>",
        "<p>Print one brief per team (<i>wargame deck brief DECK --team ID -o FILE.pdf</i>). Three to five "
        "students per team work well; give each team a spokesperson who hands in the decision sheet.</p>",
        table(["Team", "Objectives (points)", "Actions"], rows, widths=[24, 66, 10], font_pt=9.5),
    ]
    if deck.groupings:
        grouping_rows = []
        for grouping in deck.groupings:
            side = find_side(deck, grouping.id)
            members = ", ".join(deck.team(member).name for member in grouping.members)
            grouping_rows.append(
                [
                    f'<b>{esc(grouping.name)}</b><br><span class="note">--team {esc(grouping.id)}</span>',
                    esc(members),
                    str(len(menu(deck, side))),
                ]
            )
        parts.append(
            "<h3>Groupings for small classes</h3><p>With fewer students than teams, one group of "
            "students can "
            "play a grouping as a single team: it may take every action of its members and is scored on all "
            "their objectives. Print the grouping's brief with its id.</p>"
        )
        parts.append(
            table(["Grouping", "Members", "Actions"], grouping_rows, widths=[34, 56, 10], font_pt=9.5)
        )
    return "\n".join(parts)


# --- what to watch -----------------------------------------------------------------------------


def _watch_section(deck: Deck) -> Markup:
    escalation = deck.escalation
    bounds = (
        f"from {escalation.min:g}" if escalation.min is not None else "unbounded below",
        f"to {escalation.max:g}" if escalation.max is not None else "unbounded above",
    )
    band_rows = []
    for index, item in enumerate(escalation.bands):
        span = band_range(deck, index)
        marker = " ← start" if band_at(deck, escalation.start).id == item.id else ""
        band_rows.append(
            [f"<b>{span}</b>{marker}", f"<b>{esc(item.label)}</b><br>{one_line(item.description)}"]
        )
    parts = [
        "<h1>What to watch</h1>",
        "<h2>The escalation index</h2>",
        f"<p>The index runs {bounds[0]} {bounds[1]} and starts at <b>{escalation.start:g}</b>. "
        "Every move and card "
        "adds its value (negative values de-escalate). Watch for the band changes: they change how the "
        "next incident will read.</p>",
        table(["Index", "Band"], band_rows, widths=[16, 84], font_pt=9.5),
    ]
    if deck.tracks:
        parts.append("<h2>Tracks</h2>")
        parts.append(
            '<p class="note">What changes each track (base effects; a modifier may change them while its '
            "condition holds).</p>"
        )
        parts.append(_tracks_table(deck))
    if deck.flags:
        parts.append("<h2>Flags</h2>")
        parts.append(_flags_table(deck))
    return "\n".join(parts)


def _changers(deck: Deck, *, cards: bool = True) -> list[tuple[str, Action | Card, Effects]]:
    items: list[tuple[str, Action | Card, Effects]] = [("action", a, a.effects) for a in deck.actions]
    if cards:
        items += [("card", c, c.effects) for c in deck.cards]
    return items


def _name(item: Action | Card) -> str:
    return f"“{item.label}”" if isinstance(item, Action) else f"card “{item.title}”"


def _tracks_table(deck: Deck) -> Markup:
    rows = []
    for track in deck.tracks:
        if track.is_choice:
            kind = "values: " + " → ".join(esc(v) for v in track.values or ())
            by_value: dict[str, list[str]] = defaultdict(list)
            for _, item, effects in _changers(deck):
                if track.id in effects.set:
                    text = esc(_name(item))
                    if isinstance(item, Action) and item.requires is not None:
                        when = condition_words(deck, item.requires).replace(f"“{track.label}”", "it")
                        text += f' <span class="note">(only when {esc(lower_first(when))})</span>'
                    by_value[str(effects.set[track.id])].append(text)
            changes = "<br>".join(
                f"<b>→ {esc(value)}:</b> " + "; ".join(names) for value, names in by_value.items()
            )
        else:
            low = f"{track.min:g}" if track.min is not None else "−∞"
            high = f"{track.max:g}" if track.max is not None else "∞"
            kind = f"from {low} to {high}"
            by_amount: dict[float, list[str]] = defaultdict(list)
            for _, item, effects in _changers(deck, cards=False):
                amount = effects.add.get(track.id, 0)
                if amount:
                    by_amount[amount].append(esc(_name(item)))
            changes = "<br>".join(
                f"<b>{signed(amount)}:</b> " + "; ".join(names)
                for amount, names in sorted(by_amount.items(), key=lambda pair: -pair[0])
            )
            if any(track.id in card.effects.add for card in deck.cards):
                changes += '<br><span class="note">Cards too: see the cards table below.</span>'
        description = f"<br>{one_line(track.description)}" if track.description.strip() else ""
        rows.append(
            [
                f"<b>{esc(track.label)}</b><br>{kind}; "
                f"starts at <b>{esc(_value(track.start))}</b>{description}",
                changes or '<span class="muted">nothing in the deck changes it</span>',
            ]
        )
    return table(["Track", "Changed by"], rows, widths=[36, 64], font_pt=9)


def _flags_table(deck: Deck) -> Markup:
    rows = []
    for flag in deck.flags:
        setters = []
        for _, item, effects in _changers(deck):
            if flag.id in effects.set:
                value = "yes" if effects.set[flag.id] else "no"
                setters.append(f"{esc(_name(item))} → {value}")
        description = (
            f'<br><span class="note">{one_line(flag.description)}</span>' if flag.description.strip() else ""
        )
        rows.append(
            [
                f"<b>{esc(flag.label)}</b>{description}",
                "yes" if flag.start else "no",
                "; ".join(setters) or '<span class="muted">nothing in the deck sets it</span>',
            ]
        )
    return table(["Flag", "Start", "Set by"], rows, widths=[38, 7, 55], font_pt=9)


def _value(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _cards_section(deck: Deck) -> Markup:
    if not deck.cards:
        return ""
    rows = []
    for number, card in enumerate(deck.cards, start=1):
        also = effects_words(deck, card.effects)
        rows.append(
            [
                str(number),
                f"<b>{esc(card.title)}</b>"
                + ('<br><span class="note">repeatable</span>' if card.repeatable else ""),
                esc(timing_words(deck, card.when)),
                f'<p align="center">{signed(card.escalation)}</p>',
                esc(also) if also else "—",
            ]
        )
    return (
        "<h2>Cards: when they come into play</h2>"
        f"<p>At each inject phase the app injects the cards scheduled for the turn and the triggered cards "
        "whose condition holds; only if none fires does it draw "
        f"{plural(deck.turns.random_cards_per_turn, 'random card')} "
        "from the pool. Numbers match the printed cards.</p>"
        + table(["#", "Card", "When", "Value", "Also changes"], rows, widths=[4, 28, 40, 8, 20], font_pt=9)
    )


# --- outcomes and sources ----------------------------------------------------------------------


def _outcomes_section(deck: Deck) -> Markup:
    parts = [
        "<h1>Outcomes and debrief</h1>",
        "<p>At the end of the game the outcomes are tested in this order and the first one that holds "
        "describes how the crisis ended. An outcome marked <i>ends the game early</i> stops the session as "
        "soon as it holds after a turn.</p>",
    ]
    for number, outcome in enumerate(deck.outcomes, start=1):
        badge = (
            ' <span style="color: #a02020; font-size: 10pt;">(ends the game early)</span>'
            if outcome.early_end
            else ""
        )
        parts.append(f"<h3>{number}. {esc(outcome.title)}{badge}</h3>")
        if outcome.condition is not None:
            parts.append(
                f"<p><b>When:</b> {esc(condition_words(deck, outcome.condition))}.<br>"
                f'<span class="mono">{esc(condition_text(outcome.condition))}</span></p>'
            )
        else:
            parts.append("<p><b>When:</b> none of the outcomes above holds (the default).</p>")
        parts.append(prose(outcome.description))
        if outcome.source is not None:
            parts.append(f'<p class="note">Source: {esc(source_line(deck, outcome.source))}</p>')
        if outcome.debrief:
            items = "".join(f"<li>{one_line(question)}</li>" for question in outcome.debrief)
            parts.append(f'<h4>Debrief questions</h4><ol style="margin-top: 0px;">{items}</ol>')
    return "\n".join(parts)


def _sources_section(deck: Deck) -> Markup:
    hypothetical = sum(1 for card in deck.cards if card.hypothetical)
    parts = ["<h2>Sources</h2>"]
    if deck.sources:
        items = "".join(f"<li>{esc(describe_source(source))}</li>" for source in deck.sources)
        parts.append(f"<ul>{items}</ul>")
    else:
        parts.append("<p>The deck lists no sources.</p>")
    if hypothetical:
        parts.append(
            f"<p>{plural(hypothetical, 'card is', 'cards are')} hypothetical: written for the game, not "
            "reported in the sources (their ground truths say why they were added).</p>"
        )
    return "\n".join(parts)
