"""What the after-action report holds, section by section, as blocks (`wargame.report.blocks`).

The HTML report and the PDF painter both write these blocks, so the two always say the same.
"""

from __future__ import annotations

from wargame.engine.describe import prediction_rows, reviewed_move, target_name, team_status
from wargame.engine.state import State, objectives_met
from wargame.report.blocks import (
    BOLD,
    CODE,
    ITALIC,
    MUTED,
    SMALL,
    TRUTH,
    Block,
    Cell,
    Chart,
    Heading,
    ItemList,
    Paragraph,
    Span,
    Table,
    lines,
    plain,
)
from wargame.report.replay import Replay
from wargame.report.svg_chart import escalation_svg

CHART_WIDTH, CHART_HEIGHT = 720, 260  # CSS pixels
END_REASONS = {"last_turn": "after the last turn", "early_end": "early", "facilitator": "by the facilitator"}
NONE = "—"


def report_title(replay: Replay) -> str:
    return f"After-action report — {replay.deck.title}"


def report_blocks(replay: Replay) -> list[Block]:
    """The whole report, from its title to the timeline of every event."""
    info, deck = replay.info, replay.deck
    subtitle = (
        f"{info.class_label or 'No class label'} · {info.created_at.strftime('%Y-%m-%d')} · "
        f"facilitator {info.facilitator or NONE}"
    )
    return [
        Heading(report_title(replay), 1),
        Paragraph(plain(subtitle), MUTED),
        _session_table(replay),
        Heading("Scenario", 2),
        *_paragraphs(deck.summary),
        *_outcome_section(replay),
        *_chart_section(replay),
        *_teams_section(replay),
        *_decisions_section(replay),
        *_adjudications_section(replay.state),
        *_predictions_section(replay),
        *_cards_section(replay),
        *_timeline_section(replay),
    ]


def _paragraphs(text: str) -> list[Block]:
    return [Paragraph(plain(part.strip())) for part in text.strip().split("\n\n") if part.strip()]


def _session_table(replay: Replay) -> Table:
    info, deck, state = replay.info, replay.deck, replay.state
    rows: list[tuple[Cell, ...]] = [
        (plain("Session"), plain(info.id, CODE)),
        (
            plain("Deck"),
            lines(
                (Span(f"{deck.title} — "), Span(info.deck_id, CODE), Span(f" version {info.deck_version}")),
                plain(f"sha256 {info.deck_hash}", f"{SMALL} {MUTED}"),
            ),
        ),
        (plain("Class"), plain(f"{info.class_label or NONE} · facilitator {info.facilitator or NONE}")),
        (
            plain("Played"),
            plain(
                f"{info.created_at.strftime('%Y-%m-%d %H:%M')} UTC · seed {info.seed} · "
                f"{len(state.index_by_turn)} of {state.turn_count} turns · {info.status}"
            ),
        ),
    ]
    if replay.integrity:
        rows.append(
            (
                plain("Integrity", BOLD),
                lines(
                    plain("The stored log does not verify: this report shows what is stored now.", BOLD),
                    plain(replay.integrity, SMALL),
                ),
            )
        )
    if replay.chain_head:
        verify = f"wargame sessions verify {info.id[:12]}"
        rows.append(
            (
                plain("Chain head"),
                lines(
                    plain(replay.chain_head, CODE),
                    (
                        Span("check this printed report against the database: ", f"{SMALL} {MUTED}"),
                        Span(verify, f"{SMALL} {MUTED} {CODE}"),
                    ),
                ),
            )
        )
    if replay.pseudonymised:
        rows.append(
            (plain("Players"), plain("pseudonymised (Player 1, Player 2, … in order of first appearance)"))
        )
    return Table(("", ""), rows, widths=(16, 84), label_column=True)


def _outcome_section(replay: Replay) -> list[Block]:
    deck, state = replay.deck, replay.state
    if state.outcome is None:
        return [Heading("Outcome", 2), Paragraph(plain("The session has not ended: no outcome yet."))]
    outcome = deck.outcome(state.outcome)
    source = next((s for s in deck.sources if s.id == outcome.source), None)
    if source is None:
        source_text = "no source (a hypothetical outcome)"
    else:
        source_text = source.title + (f" — {source.author}" if source.author else "")
        source_text += f" ({source.date})" if source.date else ""
    ended = END_REASONS.get(state.end_reason or "", state.end_reason or "")
    questions = tuple(plain(q) for q in outcome.debrief) or (plain("(the deck gives none for this outcome)"),)
    return [
        Heading(f"Outcome: {outcome.title}", 2),
        *_paragraphs(outcome.description),
        Paragraph(
            plain(
                f"The session ended {ended} with the escalation index at {state.index:g}. "
                f"Source: {source_text}."
            ),
            MUTED,
        ),
        Heading("Debrief questions", 2),
        ItemList(questions, ordered=True),
    ]


def _chart_section(replay: Replay) -> list[Block]:
    deck, state = replay.deck, replay.state
    final = ", ".join(f"turn {turn}: {value:g}" for turn, value in enumerate(state.index_by_turn, start=1))
    return [
        Heading("Escalation over the session", 2, new_page=True),
        Chart(
            escalation_svg(deck, state, CHART_WIDTH, CHART_HEIGHT),
            CHART_WIDTH,
            CHART_HEIGHT,
            "Escalation index over the session",
        ),
        Paragraph(
            plain(
                f"Index at the end of each turn: {final or NONE}. "
                "Diamonds mark inject cards, squares adjudications."
            ),
            f"{SMALL} {MUTED}",
        ),
    ]


def _teams_section(replay: Replay) -> list[Block]:
    deck, state = replay.deck, replay.state
    rows: list[tuple[Cell, ...]] = []
    objectives = {o.id: o for t in deck.teams for o in t.objectives}
    for team in state.teams.values():
        members = ", ".join(deck.team(m).name for m in team.members)
        met = [objectives[objective_id] for objective_id in objectives_met(deck, state, team.id)]
        status = team_status(state, team)
        name = (Span(team.name), Span(f" ({status})", MUTED)) if status else plain(team.name)
        rows.append(
            (
                name,
                plain(members),
                plain(", ".join(team.players) or NONE),
                plain(f"+{team.escalation:g}"),
                plain(f"−{team.deescalation:g}"),
                lines(*(plain(f"{o.text} ({o.points:g})") for o in met)) or plain(NONE),
            )
        )
    return [
        Heading("Teams", 2),
        Table(
            ("Team", "Plays", "Players", "Escalation", "De-escalation", "Objectives met (points)"),
            rows,
            widths=(12, 11, 16, 12, 15, 34),
            numeric=(3, 4),
        ),
    ]


def _decisions_section(replay: Replay) -> list[Block]:
    deck, state = replay.deck, replay.state
    adjudicated = state.adjudications_by_decision()
    blocks: list[Block] = [Heading("Decisions and rationales", 2)]
    for team in state.teams.values():
        decisions = [d for d in state.decisions if d.team == team.id]
        if not decisions:
            continue
        rows: list[tuple[Cell, ...]] = []
        for d in decisions:
            adjustments = lines(*(plain(f"{a.delta:+g}: {a.reason}") for a in adjudicated.get(d.seq, ())))
            hidden = state.hidden(d)  # nothing of a move the session can still reveal
            rows.append(
                (
                    plain(d.turn),
                    plain(reviewed_move(deck, state, d), ITALIC if hidden else ""),
                    plain(NONE if hidden else target_name(deck, state, d.target) or NONE),
                    plain(f"{d.value:+g}" if d.revealed and d.action else NONE),
                    plain(NONE if hidden else d.rationale or NONE),
                    plain(NONE if hidden else d.predict or NONE),
                    adjustments or plain(NONE),
                )
            )
        blocks.append(Heading(team.name, 3))
        blocks.append(
            Table(
                ("Turn", "Move", "Target", "Score", "Rationale", "Prediction", "Adjudicated"),
                rows,
                widths=(8, 15, 10, 8, 24, 18, 17),
                numeric=(0, 3),
            )
        )
    if len(blocks) == 1:
        blocks.append(Paragraph(plain("No team entered a move.")))
    return blocks


def _adjudications_section(state: State) -> list[Block]:
    if not state.adjudications:
        return [Heading("Adjudications", 2), Paragraph(plain("No score was adjudicated."))]
    rows = [
        (plain(a.turn), plain(state.teams[a.team].name), plain(f"{a.delta:+g}"), plain(a.reason or NONE))
        for a in state.adjudications
    ]
    return [
        Heading("Adjudications", 2),
        Table(("Turn", "Team", "Change", "Reason"), rows, widths=(8, 18, 11, 63), numeric=(0, 2)),
    ]


def _predictions_section(replay: Replay) -> list[Block]:
    rows = [
        (
            plain(turn),
            plain(team),
            plain(predicted),
            lines(*(plain(f"{name}: {move}") for name, move in others)) or plain(NONE),
        )
        for turn, team, predicted, others in prediction_rows(replay.deck, replay.state)
    ]
    if not rows:
        return []
    return [
        Heading("Predictions beside what the others did", 2),
        Table(
            ("Turn", "Team", "Predicted", "What the other teams did"),
            rows,
            widths=(8, 15, 37, 40),
            numeric=(0,),
        ),
    ]


def _cards_section(replay: Replay) -> list[Block]:
    deck, state = replay.deck, replay.state
    if not state.injections:
        return [Heading("Inject cards", 2), Paragraph(plain("No card was injected."))]
    rows: list[tuple[Cell, ...]] = []
    for inj in state.injections:
        card = deck.card(inj.card)
        rows.append(
            (
                plain(inj.turn),
                lines(plain(card.title, BOLD), plain(card.text)),
                plain(inj.how),
                plain(f"{inj.value:+g}"),
                plain(card.ground_truth, TRUTH) if card.ground_truth else plain(NONE),
            )
        )
    return [
        Heading("Inject cards and their ground truth", 2),
        Table(
            ("Turn", "Card", "How", "Score", "Ground truth"), rows, widths=(8, 41, 12, 9, 30), numeric=(0, 3)
        ),
    ]


def _timeline_section(replay: Replay) -> list[Block]:
    rows = [(plain(entry.seq), plain(entry.turn or ""), plain(entry.text)) for entry in replay.timeline()]
    return [
        Heading("Timeline", 2),
        Table(("#", "Turn", "What happened"), rows, widths=(6, 8, 86), numeric=(0, 1)),
    ]
