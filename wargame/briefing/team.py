"""A team's briefing (scenario, briefing, objectives, action menu) and its paper decision sheets."""

from __future__ import annotations

from dataclasses import dataclass

from wargame.briefing.markup import (
    MUTED,
    Markup,
    band,
    colour_strip,
    document,
    esc,
    one_line,
    plural,
    prose,
    table,
    text_colour,
    tint,
)
from wargame.briefing.words import band_at, band_range, condition_words, effects_words, lower_first, signed
from wargame.deck.models import Action, Deck, Team
from wargame.errors import WargameError

PHASE_WORDS = {
    "inject": "inject (new events arrive)",
    "deliberation": "deliberation (your team talks)",
    "moves": "moves (hand in your decision)",
    "reveal": "reveal (all moves are read out)",
    "adjudication": "adjudication (the facilitator rules)",
    "scoring": "scoring",
}
TARGET_WORDS = {"none": "—", "team": "a team", "place": "a place"}


class UnknownTeamError(WargameError):
    """A team or grouping id the deck does not have."""


@dataclass(frozen=True)
class Side:
    """Who a brief is for: one team, or a grouping of teams played as one."""

    id: str
    name: str
    members: tuple[Team, ...]
    grouping: bool

    @property
    def colour(self) -> str:
        return self.members[0].colour


def find_side(deck: Deck, side_id: str) -> Side:
    """The team or grouping `side_id`; UnknownTeamError lists what the deck has."""
    for team in deck.teams:
        if team.id == side_id:
            return Side(team.id, team.name, (team,), grouping=False)
    for grouping in deck.groupings:
        if grouping.id == side_id:
            members = tuple(deck.team(member) for member in grouping.members)
            return Side(grouping.id, grouping.name, members, grouping=True)
    teams = ", ".join(team.id for team in deck.teams)
    groupings = ", ".join(grouping.id for grouping in deck.groupings) or "none"
    raise UnknownTeamError(
        f"deck {deck.id!r} has no team or grouping {side_id!r} (teams: {teams}; groupings: {groupings})"
    )


def menu(deck: Deck, side: Side) -> tuple[Action, ...]:
    """Every action any member of `side` may take, in deck order."""
    ids = {team.id for team in side.members}
    return tuple(action for action in deck.actions if ids.intersection(action.teams))


def team_brief(deck: Deck, team_id: str) -> Markup:
    """The whole printable brief for a team or grouping, ending with its decision sheets."""
    side = find_side(deck, team_id)
    parts = [
        _header(deck, side),
        "<h2>The scenario</h2>",
        prose(deck.summary),
        _briefings(side),
        _objectives(side),
        _how_to_play(deck, side),
        _menu_table(deck, side),
        _places(deck, side),
        _decision_pages(deck, side, first_break=True),
    ]
    return document(f"{deck.title}: {side.name} brief", "\n".join(part for part in parts if part))


def decision_sheet(deck: Deck, team_id: str) -> Markup:
    """The paper decision sheets alone: one page per turn, to fill in by hand."""
    side = find_side(deck, team_id)
    return document(
        f"{deck.title}: {side.name} decision sheets", _decision_pages(deck, side, first_break=False)
    )


def _header(deck: Deck, side: Side) -> Markup:
    kind = "GROUPING BRIEFING" if side.grouping else "TEAM BRIEFING"
    content = (
        f'<span style="font-size: 9pt;">{kind} · {esc(deck.title)}</span><br>'
        f'<span style="font-size: 24pt; font-weight: bold;">{esc(side.name)}</span>'
    )
    header = band(side.colour, content, padding=10)
    if side.grouping:
        header += colour_strip([(team.colour, esc(team.name)) for team in side.members])
    members = esc(", ".join(team.name for team in side.members))
    who = f"players (you play {members} together)" if side.grouping else "team only"
    note = f"For the {esc(side.name)} {who}. Deck {esc(deck.id)}, version {esc(deck.version)}."
    return header + f'<p class="note" style="margin-top: 4px;">{note}</p>'


def _briefings(side: Side) -> Markup:
    if not side.grouping:
        return "<h2>Your briefing</h2>" + prose(side.members[0].briefing)
    parts = ["<h2>Your briefings</h2>"]
    parts.append(
        f'<p class="note">You play {plural(len(side.members), "team")} as one. Each member keeps its own '
        "interests: read all of them, then agree what you want together.</p>"
    )
    for team in side.members:
        parts.append(_member_heading(team))
        parts.append(prose(team.briefing))
    return "\n".join(parts)


def _member_heading(team: Team) -> Markup:
    return (
        f'<h3><span style="background-color: {esc(team.colour)}; color: {text_colour(team.colour)};">'
        f"&nbsp;{esc(team.name)}&nbsp;</span></h3>"
    )


def _objectives(side: Side) -> Markup:
    objectives = [(team, objective) for team in side.members for objective in team.objectives]
    if not objectives:
        return "<h2>Your objectives</h2><p>This team has no scored objectives: play its interests.</p>"
    total = sum(objective.points for _, objective in objectives)
    header_bg = tint(side.colour, 0.82)
    if side.grouping:
        rows = [[esc(team.name), one_line(o.text), f"<b>{o.points}</b>"] for team, o in objectives]
        grid = table(["Team", "Objective", "Points"], rows, widths=[18, 70, 12], header_bg=header_bg)
    else:
        rows = [[one_line(o.text), f"<b>{o.points}</b>"] for _, o in objectives]
        grid = table(["Objective", "Points"], rows, widths=[88, 12], header_bg=header_bg)
    return (
        "<h2>Your objectives</h2>"
        f"<p>You score the points of each objective that holds at the end of the game "
        f"(at most {total} points).</p>" + grid
    )


def _how_to_play(deck: Deck, side: Side) -> Markup:
    phases = ", ".join(PHASE_WORDS.get(phase, phase) for phase in deck.phase_ids)
    moves = "one move" if deck.moves_per_turn == 1 else f"{deck.moves_per_turn} moves"
    start = deck.escalation.start
    start_band = band_at(deck, start)
    bands = "".join(
        f"<tr><td>{band_range(deck, index)}</td><td>{esc(item.label)}</td></tr>"
        for index, item in enumerate(deck.escalation.bands)
    )
    return (
        "<h2>How the game runs</h2>"
        f"<p>The game has {plural(deck.turns.count, 'turn')}. Each turn runs in this order: {esc(phases)}. "
        f"In each turn your team makes {moves}: an action from your menu below, or a move in your own words "
        "that the facilitator rules on. Write it on that turn's decision sheet (at the end of this brief) "
        "if the class plays on paper.</p>"
        f"<p>Every move changes the <b>escalation index</b> by its value: positive values escalate, negative "
        f"values de-escalate. The index starts at <b>{start:g}</b> (“{esc(start_band.label)}”). "
        "Its bands:</p>"
        '<table cellspacing="0" cellpadding="2" border="0" style="font-size: 9.5pt; margin-left: 12px;">'
        f"{bands}</table>"
    )


def _menu_table(deck: Deck, side: Side) -> Markup:
    actions = menu(deck, side)
    rows = []
    for action in actions:
        cell = f"<b>{esc(action.label)}</b>"
        if action.description.strip():
            cell += f"<br>{one_line(action.description)}"
        if action.requires is not None:
            cell += f"<br><i>Only when: {esc(condition_words(deck, action.requires))}.</i>"
        changes = effects_words(deck, action.effects)
        if changes:
            cell += f'<br><span class="note">Also: {esc(changes)}.</span>'
        for modifier in action.modifiers:
            value = (
                signed(modifier.escalation) if modifier.escalation is not None else signed(action.escalation)
            )
            text = f"When {esc(lower_first(condition_words(deck, modifier.when)))}: {value}"
            if modifier.note:
                text += f". {one_line(modifier.note)}"
            cell += f'<br><span class="note">{text}</span>'
        if side.grouping:
            who = [team.name for team in side.members if team.id in action.teams]
            if len(who) < len(side.members):
                cell += f'<br><span class="note">In the menu of: {esc(", ".join(who))}.</span>'
        rows.append(
            [
                cell,
                f'<p align="center"><b>{signed(action.escalation)}</b></p>',
                _target(deck, action),
                one_line(action.rationale),
            ]
        )
    return (
        f"<h2>Your action menu ({plural(len(actions), 'action')})</h2>"
        '<p class="note">Value: what the move adds to the escalation index. Target: whom or where the move '
        "names, if anyone. A modifier (“When …”) replaces the value while its condition holds.</p>"
        + table(
            ["Action", "Value", "Target", "Why this value"],
            rows,
            widths=[50, 8, 9, 33],
            font_pt=9.5,
            header_bg=tint(side.colour, 0.82),
        )
    )


def _target(deck: Deck, action: Action) -> Markup:
    """Whom or where the action names: the teams it may target when the deck lists them."""
    if action.target == "team" and action.targets:
        return esc(", ".join(team.name for team in deck.teams if team.id in action.targets))
    return TARGET_WORDS.get(action.target, esc(action.target))


def _places(deck: Deck, side: Side) -> Markup:
    if not any(action.target == "place" for action in menu(deck, side)) or not deck.places:
        return ""
    names = "; ".join(esc(place.name) for place in deck.places)
    return f'<h3>Places you can name as a target</h3><p class="small">{names}.</p>'


def _decision_pages(deck: Deck, side: Side, *, first_break: bool) -> Markup:
    actions = menu(deck, side)
    pages = []
    for turn in range(1, deck.turns.count + 1):
        page = [_sheet_header(deck, side, turn, new_page=turn > 1 or first_break)]
        page.append(_tick_list(actions))
        for move in range(1, deck.moves_per_turn + 1):
            page.append(_move_fields(deck, move))
        page.append(
            _fields([("Prediction: how will the other teams respond?", 3 if deck.moves_per_turn == 1 else 2)])
        )
        page.append(_signature())
        pages.append("\n".join(page))
    return "\n".join(pages)


def _sheet_header(deck: Deck, side: Side, turn: int, *, new_page: bool) -> Markup:
    content = (
        '<span style="font-size: 16pt; font-weight: bold;">'
        f"Decision sheet · Turn {turn} of {deck.turns.count}</span>"
        f'<br><span style="font-size: 10pt;">{esc(side.name)} · {esc(deck.title)}</span>'
    )
    return band(side.colour, content, padding=7, new_page=new_page) + (
        '<p class="note" style="margin-top: 4px;">Fill in during the moves phase and hand it to the '
        "facilitator. Tick one action, or describe your own move.</p>"
    )


def _tick_list(actions: tuple[Action, ...]) -> Markup:
    """The menu as tick boxes in two columns (label and value)."""
    half = (len(actions) + 1) // 2
    columns = [actions[:half], actions[half:]]
    rows = []
    for index in range(half):
        cells = []
        for column in columns:
            if index < len(column):
                action = column[index]
                cells.append(
                    f'<td width="50%" valign="top">☐ {esc(action.label)} '
                    f'<span style="color: {MUTED};">({signed(action.escalation)})</span></td>'
                )
            else:
                cells.append('<td width="50%"></td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<table width="100%" cellspacing="0" cellpadding="2" border="0" style="font-size: 8.5pt;">'
        + "".join(rows)
        + "</table>"
    )


def _move_fields(deck: Deck, move: int) -> Markup:
    title = f"Move {move} of {deck.moves_per_turn}: " if deck.moves_per_turn > 1 else ""
    many = deck.moves_per_turn > 1
    return _fields(
        [
            (f"{title}Action chosen (the label you ticked) or your own move in words", 2 if many else 3),
            ("Target (a team or a place, if the action names one)", 1),
            ("Rationale: why this move, and why now?", 2 if many else 3),
        ]
    )


def _fields(fields: list[tuple[str, int]]) -> Markup:
    """Labelled groups of ruled writing lines."""
    rule = "border-bottom: 1px solid #7a7a7a;"
    rows = []
    for label, lines in fields:
        rows.append(f'<tr><td style="padding-top: 10px;"><b>{esc(label)}</b></td></tr>')
        rows.extend(f'<tr><td style="{rule} font-size: 15pt;">&nbsp;</td></tr>' for _ in range(lines))
    return (
        '<table width="100%" cellspacing="0" cellpadding="3" style="border-collapse: collapse;">'
        + "".join(rows)
        + "</table>"
    )


def _signature() -> Markup:
    rule = "border-bottom: 1px solid #7a7a7a; font-size: 15pt;"
    return (
        '<table width="100%" cellspacing="0" cellpadding="3" '
        'style="border-collapse: collapse; margin-top: 14px;">'
        "<tr>"
        '<td width="46%" style="padding-top: 14px;"><b>Signed for the team</b></td><td width="8%"></td>'
        '<td width="22%" style="padding-top: 14px;"><b>Time handed in</b></td><td width="4%"></td>'
        '<td width="20%" style="padding-top: 14px;"><b>Received (facilitator)</b></td></tr>'
        f'<tr><td style="{rule}">&nbsp;</td><td></td><td style="{rule}">&nbsp;</td><td></td>'
        f'<td style="{rule}">&nbsp;</td></tr>'
        "</table>"
    )
