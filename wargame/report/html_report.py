"""The after-action report as one self-contained HTML file (inline CSS, inline SVG chart, no script).

Every deck string and every string people typed goes through `html.escape`. The same HTML, with
the chart as a PNG data URI instead of SVG, is what the PDF is printed from (Qt's rich text
engine reads tables, headings and images, not SVG), so it keeps to simple markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from wargame.engine.describe import move_label, prediction_rows
from wargame.engine.state import State, objectives_met
from wargame.report.replay import Replay
from wargame.report.svg_chart import escalation_svg

CSS = """
body { font-family: 'DejaVu Sans', 'Noto Sans', Arial, sans-serif; color: #222; max-width: 60em;
       margin: 1.5em auto; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 20pt; margin-bottom: 2px; }
h2 { font-size: 14pt; margin-top: 18px; margin-bottom: 6px; border-bottom: 1px solid #bbb; }
h3 { font-size: 12pt; margin-top: 12px; margin-bottom: 4px; }
table { border-collapse: collapse; margin-bottom: 8px; }
th { background-color: #ececec; text-align: left; white-space: nowrap; }
th, td { border: 1px solid #aaa; padding: 3px 6px; vertical-align: top; }
.num { text-align: right; }
.muted { color: #5a5a5a; }
.small { font-size: 9pt; }
.truth { color: #1f5f2f; }
"""

CHART_WIDTH, CHART_HEIGHT = 720, 260
PDF_CHART_WIDTH = 640  # px (1/96 inch): fits an A4 page inside the margins

END_REASONS = {"last_turn": "after the last turn", "early_end": "early", "facilitator": "by the facilitator"}


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def _table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    numeric: Sequence[int] = (),
    widths: Sequence[int] = (),
) -> str:
    """A table from already-escaped cells (the headers are escaped here); `widths` in percent."""
    head = "".join(
        f"<th width='{widths[column]}%'>{esc(h)}</th>" if column < len(widths) else f"<th>{esc(h)}</th>"
        for column, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='num' align='right'>{cell}</td>" if column in numeric else f"<td>{cell}</td>"
            for column, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        "<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{esc(part.strip())}</p>" for part in text.strip().split("\n\n") if part.strip())


def _session_section(replay: Replay) -> str:
    info, deck, state = replay.info, replay.deck, replay.state
    rows = [
        ("Session", f"<code>{esc(info.id)}</code>"),
        (
            "Deck",
            f"{esc(deck.title)} — <code>{esc(info.deck_id)}</code> version {esc(info.deck_version)}<br>"
            f"<span class='small muted'>sha256 {esc(info.deck_hash)}</span>",
        ),
        ("Class", f"{esc(info.class_label or '—')} · facilitator {esc(info.facilitator or '—')}"),
        (
            "Played",
            f"{esc(info.created_at.strftime('%Y-%m-%d %H:%M'))} UTC · seed {esc(info.seed)} · "
            f"{len(state.index_by_turn)} of {state.turn_count} turns · {esc(info.status)}",
        ),
    ]
    if replay.chain_head:
        rows.append(
            (
                "Chain head",
                f"<code>{esc(replay.chain_head)}</code><br><span class='small muted'>check this printed "
                f"report against the database: <code>wargame sessions verify {esc(info.id[:12])}</code>"
                "</span>",
            )
        )
    if replay.pseudonymised:
        rows.append(("Players", "pseudonymised (Player 1, Player 2, … in order of first appearance)"))
    body = "".join(f"<tr><th>{esc(label)}</th><td>{value}</td></tr>" for label, value in rows)
    return f"<table border='1' cellspacing='0' cellpadding='4'>{body}</table>"


def _outcome_section(replay: Replay) -> str:
    deck, state = replay.deck, replay.state
    if state.outcome is None:
        return "<h2>Outcome</h2><p>The session has not ended: no outcome yet.</p>"
    outcome = deck.outcome(state.outcome)
    source = next((s for s in deck.sources if s.id == outcome.source), None)
    if source is None:
        source_text = "no source (a hypothetical outcome)"
    else:
        source_text = esc(source.title) + (f" — {esc(source.author)}" if source.author else "")
        source_text += f" ({esc(source.date)})" if source.date else ""
    questions = "".join(f"<li>{esc(q)}</li>" for q in outcome.debrief)
    ended = END_REASONS.get(state.end_reason or "", state.end_reason or "")
    return (
        f"<h2>Outcome: {esc(outcome.title)}</h2>{_paragraphs(outcome.description)}"
        f"<p class='muted'>The session ended {esc(ended)} "
        f"with the escalation index at {state.index:g}. Source: {source_text}.</p>"
        f"<h2>Debrief questions</h2><ol>{questions or '<li>(the deck gives none for this outcome)</li>'}</ol>"
    )


def _teams_section(replay: Replay) -> str:
    deck, state = replay.deck, replay.state
    rows = []
    for team in state.teams.values():
        members = ", ".join(deck.team(m).name for m in team.members)
        met = objectives_met(deck, state, team.id)
        rows.append(
            (
                esc(team.name) + ("" if team.active else " <span class='muted'>(left the game)</span>"),
                esc(members),
                esc(", ".join(team.players) or "—"),
                f"+{team.escalation:g}",
                f"−{team.deescalation:g}",
                esc(", ".join(met) or "—"),
            )
        )
    return "<h2>Teams</h2>" + _table(
        ("Team", "Plays", "Players", "Escalation", "De-escalation", "Objectives"),
        rows,
        numeric=(3, 4),
        widths=(13, 13, 22, 15, 19, 18),
    )


def _decisions_section(replay: Replay) -> str:
    deck, state = replay.deck, replay.state
    parts = ["<h2>Decisions and rationales</h2>"]
    for team in state.teams.values():
        decisions = [d for d in state.decisions if d.team == team.id]
        if not decisions:
            continue
        rows = []
        for d in decisions:
            adjusted = [a for a in state.adjudications if a.team == team.id and a.turn == d.turn]
            adjudication = "<br>".join(f"{a.delta:+g}: {esc(a.reason)}" for a in adjusted) or "—"
            rows.append(
                (
                    str(d.turn),
                    esc(move_label(deck, d)) if d.revealed else "<i>not revealed</i>",
                    esc(d.target or "—"),
                    f"{d.value:+g}" if d.revealed and d.action else "—",
                    esc(d.rationale or "—"),
                    esc(d.predict or "—"),
                    adjudication,
                )
            )
        parts.append(f"<h3>{esc(team.name)}</h3>")
        parts.append(
            _table(
                ("Turn", "Move", "Target", "Score", "Rationale", "Prediction", "Adjudicated"),
                rows,
                numeric=(0, 3),
                widths=(8, 15, 10, 8, 24, 18, 17),
            )
        )
    if len(parts) == 1:
        parts.append("<p>No team entered a move.</p>")
    return "".join(parts)


def _adjudications_section(state: State) -> str:
    if not state.adjudications:
        return "<h2>Adjudications</h2><p>No score was adjudicated.</p>"
    rows = [
        (str(a.turn), esc(state.teams[a.team].name), f"{a.delta:+g}", esc(a.reason or "—"))
        for a in state.adjudications
    ]
    return "<h2>Adjudications</h2>" + _table(
        ("Turn", "Team", "Change", "Reason"), rows, numeric=(0, 2), widths=(8, 18, 11, 63)
    )


def _predictions_section(replay: Replay) -> str:
    rows = [
        (
            str(turn),
            esc(team),
            esc(predicted),
            "<br>".join(f"{esc(name)}: {esc(move)}" for name, move in others) or "—",
        )
        for turn, team, predicted, others in prediction_rows(replay.deck, replay.state)
    ]
    if not rows:
        return ""
    return "<h2>Predictions beside what the others did</h2>" + _table(
        ("Turn", "Team", "Predicted", "What the other teams did"), rows, numeric=(0,), widths=(8, 15, 37, 40)
    )


def _cards_section(replay: Replay) -> str:
    deck, state = replay.deck, replay.state
    if not state.injections:
        return "<h2>Inject cards</h2><p>No card was injected.</p>"
    rows = []
    for inj in state.injections:
        card = deck.card(inj.card)
        truth = f"<span class='truth'>{esc(card.ground_truth)}</span>" if card.ground_truth else "—"
        rows.append(
            (
                str(inj.turn),
                f"<b>{esc(card.title)}</b><br>{esc(card.text)}",
                esc(inj.how),
                f"{inj.value:+g}",
                truth,
            )
        )
    return "<h2>Inject cards and their ground truth</h2>" + _table(
        ("Turn", "Card", "How", "Score", "Ground truth"), rows, numeric=(0, 3), widths=(8, 41, 12, 9, 30)
    )


def _timeline_section(replay: Replay) -> str:
    rows = [(str(entry.seq), str(entry.turn or ""), esc(entry.text)) for entry in replay.timeline()]
    return "<h2>Timeline</h2>" + _table(
        ("#", "Turn", "What happened"), rows, numeric=(0, 1), widths=(6, 8, 86)
    )


def report_html(replay: Replay, *, chart_image: str | None = None) -> str:
    """The whole report. `chart_image` (a data: URI of a PNG) replaces the inline SVG chart (for PDF)."""
    deck, state, info = replay.deck, replay.state, replay.info
    title = f"After-action report — {deck.title}"
    if chart_image is None:
        chart = escalation_svg(deck, state, CHART_WIDTH, CHART_HEIGHT)
    else:
        chart = (
            f"<img src='{esc(chart_image)}' width='{PDF_CHART_WIDTH}' "
            f"height='{PDF_CHART_WIDTH * CHART_HEIGHT // CHART_WIDTH}' "
            "alt='Escalation index over the session'>"
        )
    final = ", ".join(f"turn {turn}: {value:g}" for turn, value in enumerate(state.index_by_turn, start=1))
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
        f"<h1>{esc(title)}</h1>"
        f"<p class='muted'>{esc(info.class_label or 'No class label')} · "
        f"{esc(info.created_at.strftime('%Y-%m-%d'))} · facilitator {esc(info.facilitator or '—')}</p>"
        f"{_session_section(replay)}"
        f"<h2>Scenario</h2>{_paragraphs(deck.summary)}"
        f"{_outcome_section(replay)}"
        f"<h2 style='page-break-before: always'>Escalation over the session</h2><p>{chart}</p>"
        f"<p class='small muted'>Index at the end of each turn: {esc(final or '—')}. "
        "Diamonds mark inject cards, squares adjudications.</p>"
        f"{_teams_section(replay)}"
        f"{_decisions_section(replay)}"
        f"{_adjudications_section(state)}"
        f"{_predictions_section(replay)}"
        f"{_cards_section(replay)}"
        f"{_timeline_section(replay)}"
        "</body></html>\n"
    )
