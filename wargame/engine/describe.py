"""One-line, human-readable descriptions of events, for timelines and logs."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from wargame.deck.models import Action, Card, Deck, Outcome
from wargame.engine import events as ev
from wargame.engine.deck_index import deck_index
from wargame.engine.events import Event
from wargame.engine.fold import active_events
from wargame.engine.state import Decision, State, TeamState


def _name(deck: Deck, kind: str, item_id: str | None) -> str:
    if item_id is None:
        return ""
    by_kind: dict[str, Sequence[Action | Card | Outcome]] = {
        "action": deck.actions,
        "card": deck.cards,
        "outcome": deck.outcomes,
    }
    for item in by_kind[kind]:
        if item.id == item_id:
            # An action has a label; cards and outcomes have a title.
            return (item.label or item_id) if isinstance(item, Action) else item.title
    return item_id


def _names(deck: Deck) -> dict[str, str]:
    """Short names of the deck's teams, groupings and places by id, for lines that name them."""
    index = deck_index(deck)
    names: dict[str, str] | None = index.derived.get("describe_names")
    if names is None:
        names = {place.id: short_place_name(place.name) for place in deck.places}
        names |= {group.id: short_team_name(group.name) for group in deck.groupings}
        names |= {team.id: short_team_name(team.name) for team in deck.teams}
        index.derived["describe_names"] = names
    return names


def team_called(deck: Deck, item_id: object, teams: Mapping[str, str] | None = None) -> str:
    """A team's, grouping's or place's short name: the session's name for a team in `teams`
    (session team names by id: a renamed team, a merger), else the deck's, else its id."""
    key = str(item_id)
    if teams and key in teams:
        return short_team_name(teams[key])
    return _names(deck).get(key, key)


def session_team_names(state: State) -> dict[str, str]:
    """The names of the session's teams by id, for `describe`'s `teams`."""
    return {team.id: team.name for team in state.teams.values()}


def renamed_teams(event: Event) -> dict[str, str]:
    """The team names an event gives: the session's teams, a team added or merged, a rename."""
    data = event.data
    if event.kind == ev.SESSION_CREATED:
        return {str(team["id"]): str(team["name"]) for team in data.get("teams", ())}
    if event.kind == ev.ROSTER_CHANGED and data.get("change") in ("add_team", "merge_teams", "rename_team"):
        return {str(data["team"]): str(data["name"])}
    return {}


def describe_log(deck: Deck, events: Sequence[Event], revealed: Collection[int]) -> list[str]:
    """Every event described, with the moves of the `revealed` turns shown. Each line calls the
    teams by the names they had then: a rename or a merger (one that counts, not undone) names a
    team anew from its event on ("NATO renamed “The Alliance”", not "The Alliance renamed ...")."""
    live = {event.seq for event in active_events(events)}
    names: dict[str, str] = {}
    lines = []
    for event in events:
        lines.append(describe(deck, event, show_moves=event.data.get("turn") in revealed, teams=names))
        if event.seq in live:
            names = names | renamed_teams(event)
    return lines


def team_status(state: State, team: TeamState) -> str:
    """ "" for a team that plays; else why it does not: "merged into Baltic states", "left the game"."""
    if team.active:
        return ""
    merged = state.teams.get(team.merged_into) if team.merged_into else None
    return f"merged into {merged.name}" if merged else "left the game"


def one_line(text: object) -> str:
    """Text typed by people, folded onto one line (newlines and runs of spaces become one space)."""
    return " ".join(str(text).split())


def describe(
    deck: Deck, event: Event, *, show_moves: bool = False, teams: Mapping[str, str] | None = None
) -> str:
    """What happened, in a line a facilitator can read ("Turn 2 started", "Latvia: Propose a channel").

    A move's content is shown only with `show_moves` (once its turn has been revealed). `teams`
    names the teams made in the session (`session_team_names`).
    """
    return one_line(_describe(deck, event, show_moves=show_moves, teams=teams or {}))


# What an undone event was, in words
_KIND_WORDS = {
    ev.SESSION_CREATED: "the session's creation",
    ev.TURN_STARTED: "a turn's start",
    ev.PHASE_CHANGED: "a phase change",
    ev.CARD_INJECTED: "a card",
    ev.DECISION_RECORDED: "a move",
    ev.DECISIONS_REVEALED: "a reveal",
    ev.ROSTER_CHANGED: "a roster change",
    ev.ADJUDICATED: "an adjudication",
    ev.NOTE_ADDED: "a note",
    ev.TURN_ENDED: "a turn's end",
    ev.SESSION_ENDED: "the session's end",
}


def _describe(deck: Deck, event: Event, *, show_moves: bool, teams: Mapping[str, str]) -> str:
    data = event.data
    kind = event.kind
    if kind == ev.SESSION_CREATED:
        names = ", ".join(team["name"] for team in data["teams"])
        return f"Session created: {deck.title} (seed {data['seed']}; teams: {names})"
    if kind == ev.TURN_STARTED:
        return f"Turn {data['turn']} started"
    if kind == ev.PHASE_CHANGED:
        return f"Phase: {data['phase']}"
    if kind == ev.CARD_INJECTED:
        return f"Card injected ({data.get('how', 'forced')}): {_name(deck, 'card', data['card'])}"
    if kind == ev.DECISION_RECORDED:
        team = team_called(deck, data["team"], teams)
        return f"{team}: {_move_text(deck, data, teams)}" if show_moves else f"{team}: move recorded"
    if kind == ev.DECISIONS_REVEALED:
        return f"Moves of turn {data['turn']} revealed"
    if kind == ev.ROSTER_CHANGED:
        return f"Roster: {_roster_text(deck, data, teams)}"
    if kind == ev.ADJUDICATED:
        team = team_called(deck, data["team"], teams)
        return f"Adjudication: {team} {data['delta']:+g} ({data.get('reason', '')})"
    if kind == ev.UNDONE:
        if data.get("kind") == ev.UNDONE:
            return f"Redo: the undo #{data['target']} no longer counts"
        return f"Undone: #{data['target']}, {_KIND_WORDS.get(str(data.get('kind')), 'an event')}"
    if kind == ev.NOTE_ADDED:
        about = f" ({team_called(deck, data['team'], teams)})" if data.get("team") else ""
        return f"Note{about}: {data['text']}"
    if kind == ev.TURN_ENDED:
        return f"Turn {data['turn']} ended"
    if kind == ev.SESSION_ENDED:
        reason = str(data.get("reason", "")).replace("_", " ")
        return f"Session ended ({reason}): {_name(deck, 'outcome', data['outcome'])}"
    return kind


def _roster_text(deck: Deck, data: dict[str, Any], teams: Mapping[str, str]) -> str:
    """A roster change in words ("Rosa joins Latvia", "Lithuania, Estonia merged as Baltic")."""
    change = data["change"]
    team = team_called(deck, data["team"], teams)
    if change == "add_player":
        return f"{data['player']} joins {team}"
    if change == "remove_player":
        return f"{data['player']} leaves {team}"
    if change == "rename_team":
        return f"{team} renamed “{data['name']}”"
    if change == "add_team":
        plays = ", ".join(team_called(deck, member) for member in data.get("members", ()))
        return f"team “{data['name']}” joins (plays {plays})"
    if change == "merge_teams":
        merged = ", ".join(team_called(deck, member, teams) for member in data.get("teams", ()))
        return f"{merged} merged as “{data['name']}”"
    if change == "remove_team":
        return f"{team} leaves the session"
    if change == "restore_team":
        return f"{team} plays again"
    return str(change).replace("_", " ")


def _move_text(deck: Deck, data: dict[str, object], teams: Mapping[str, str]) -> str:
    if data.get("action"):
        text = _name(deck, "action", str(data["action"]))
        if data.get("target"):
            text += f" → {team_called(deck, data['target'], teams)}"
    elif data.get("free_text"):
        text = f"free-text move: {data['free_text']}"
    else:
        text = "pass"
    if data.get("rationale"):
        text += f" (rationale: {data['rationale']})"
    return text


def move_label(deck: Deck, decision: Decision) -> str:
    """A move in a few words: the action's label, the free text, or "Pass"."""
    if decision.action:
        return _name(deck, "action", decision.action)
    if decision.free_text:
        return f"Free text: {decision.free_text}"
    return "Pass"


NOT_REVEALED = "not revealed"


def reviewed_move(deck: Deck, state: State, decision: Decision) -> str:
    """A move as a review shows it: hidden while the session can still reveal it, and marked
    when the session ended before its reveal."""
    if state.hidden(decision):
        return NOT_REVEALED
    label = move_label(deck, decision)
    return label if decision.revealed else f"{label} (never revealed)"


def short_team_name(name: str) -> str:
    """'NATO (North Atlantic Council and Secretary General)' → 'NATO' (the full name in tooltips)."""
    return name.split(" (")[0].strip() or name


def short_place_name(name: str) -> str:
    """'Brussels (NATO headquarters, EU institutions)' → 'Brussels'; 'Narva, on the border' →
    'Narva' (the full name on the map and in tooltips)."""
    return name.split(" (")[0].split(",")[0].strip() or name


def target_name(deck: Deck, state: State, target: str | None) -> str:
    """A move's target as the class knows it: a team's short name, or a place's ("" for none)."""
    if target is None:
        return ""
    if target in state.teams:  # the session's name for it (a grouping, a renamed team)
        return short_team_name(state.teams[target].name)
    return team_called(deck, target)


def move_with_target(deck: Deck, state: State, decision: Decision) -> str:
    """A move and whom or where it aims at, by name ("Summon the ambassador → Belarus")."""
    target = target_name(deck, state, decision.target)
    label = move_label(deck, decision)
    return f"{label} → {target}" if target else label


def prediction_rows(deck: Deck, state: State) -> list[tuple[int, str, str, list[tuple[str, str]]]]:
    """Each prediction a team made, beside what the other teams actually did that turn.

    Rows are (turn, team name, prediction, [(other team's name, its move), ...]); only revealed
    moves are listed, and no prediction of a move still hidden.
    """
    rows = []
    for decision in state.decisions:
        if not decision.predict.strip() or state.hidden(decision):
            continue
        others = [
            (state.teams[other.team].name, move_label(deck, other))
            for other in state.decisions_in_turn(decision.turn)
            if other.team != decision.team and other.revealed
        ]
        rows.append((decision.turn, state.teams[decision.team].name, decision.predict, others))
    return rows
