"""Rules: turn a command into the events it causes, or refuse it with a RuleError.

`decide` advances the state it is given in place while it emits events (later events of one
command depend on earlier ones, e.g. a card drawn after the turn starts); callers that need the
old state keep a copy, and refold if they cannot store the events.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from typing import Any

from wargame.deck.models import PHASES, Card, Deck
from wargame.engine import commands as c
from wargame.engine import events as ev
from wargame.engine.availability import available_action_ids
from wargame.engine.deck_index import CheckedCards, deck_index
from wargame.engine.events import Event
from wargame.engine.fold import active_events, apply
from wargame.engine.state import MAX_TURNS, Decision, State, holds
from wargame.engine.undo import UndoStacks
from wargame.errors import RuleError

MOVE_PHASES = ("inject", "deliberation", "moves")
MAX_TEXT = 5000
MAX_ADJUSTMENT = 1000


class _Emitter:
    """Collects the events of one command, applying each to the state as it goes."""

    def __init__(self, deck: Deck, state: State, next_seq: int, cmd: int) -> None:
        self.deck, self.state, self.next_seq, self.cmd = deck, state, next_seq, cmd
        self.events: list[Event] = []

    def emit(self, kind: str, **data: Any) -> None:
        event = Event(self.next_seq, kind, data, self.cmd)
        self.next_seq += 1
        apply(self.deck, self.state, event)
        self.events.append(event)


def decide(deck: Deck, state: State, log: Sequence[Event], command: c.Command, *, cmd: int) -> list[Event]:
    """The events `command` causes in `state` (advanced in place), numbered after `log`."""
    out = _Emitter(deck, state, len(log) + 1, cmd)
    if isinstance(command, c.CreateSession):
        _create(deck, state, command, out)
        return out.events
    if not state.teams:
        raise RuleError("the session has not been created yet")
    if isinstance(command, (c.Undo, c.Redo)):
        _undo_or_redo(log, command, out)
        return out.events
    if state.ended:
        raise RuleError("the session has ended")
    handler = _HANDLERS.get(type(command))
    if handler is None:
        raise RuleError(f"unknown command {type(command).__name__}")
    handler(deck, state, command, out)
    return out.events


# --- creating a session ----------------------------------------------------------------------


def _create(deck: Deck, state: State, command: c.CreateSession, out: _Emitter) -> None:
    if state.teams:
        raise RuleError("the session already exists")
    if not command.teams:
        raise RuleError("a session needs at least one team")
    deck_teams = {team.id for team in deck.teams}
    seen_ids: set[str] = set()
    seen_members: set[str] = set()
    for team in command.teams:
        _check_team_setup(team, deck_teams, seen_ids, seen_members)
    names = [_name_key(team.name) for team in command.teams]
    twice = next(
        (team.name for team, name in zip(command.teams, names, strict=True) if names.count(name) > 1), None
    )
    if twice is not None:
        raise RuleError(f"two teams are called {twice}")
    turns = command.turns if command.turns is not None else deck.turns.count
    if not 1 <= turns <= MAX_TURNS:
        raise RuleError(f"the number of turns must be between 1 and {MAX_TURNS}, not {turns}")
    for phase, minutes in command.phase_minutes.items():
        if phase not in deck.phase_ids:
            raise RuleError(f"unknown phase '{phase}' (phases: {', '.join(deck.phase_ids)})")
        if not minutes > 0:
            raise RuleError(f"minutes for phase '{phase}' must be more than 0")
    out.emit(
        ev.SESSION_CREATED,
        deck_id=deck.id,
        deck_version=deck.version,
        seed=int(command.seed),
        class_label=command.class_label,
        facilitator=command.facilitator,
        turns=turns,
        phase_minutes=dict(command.phase_minutes),
        teams=[_team_data(team) for team in command.teams],
    )


def _check_team_setup(
    team: c.TeamSetup, deck_teams: set[str], seen_ids: set[str], seen_members: set[str]
) -> None:
    if not team.id or team.id in seen_ids:
        raise RuleError(f"team id '{team.id}' is empty or used twice")
    if not team.name.strip():
        raise RuleError(f"team '{team.id}' needs a name")
    if not team.members:
        raise RuleError(f"team '{team.id}' plays no deck team")
    for member in team.members:
        if member not in deck_teams:
            raise RuleError(f"unknown team '{member}' (the deck's teams: {', '.join(sorted(deck_teams))})")
        if member in seen_members:
            raise RuleError(f"team '{member}' is played twice")
        seen_members.add(member)
    twice = next(
        (player for index, player in enumerate(team.players) if player in team.players[:index]), None
    )
    if twice is not None:
        raise RuleError(f"{twice} is named twice for {team.name}")
    seen_ids.add(team.id)


def _team_data(team: c.TeamSetup) -> dict[str, Any]:
    return {"id": team.id, "name": team.name, "members": list(team.members), "players": list(team.players)}


# --- the turn cycle ---------------------------------------------------------------------------


def _advance(deck: Deck, state: State, command: c.Advance, out: _Emitter) -> None:
    if not state.started:
        _start_turn(deck, state, 1, out)
        return
    phases = deck_index(deck).phase_ids
    current = phases.index(state.phase) if state.phase in phases else -1
    if state.phase == "moves" and state.turn not in state.revealed_turns:
        submitted = state.submitted_teams()
        missing = [team.name for team in state.active_teams() if team.id not in submitted]
        if missing:
            raise RuleError(f"cannot reveal yet: waiting for {', '.join(missing)}")
        out.emit(ev.DECISIONS_REVEALED, turn=state.turn)
    if current + 1 < len(phases):
        _enter_phase(deck, state, phases[current + 1], out)
        return
    out.emit(ev.TURN_ENDED, turn=state.turn)
    early = early_end_outcome(deck, state)
    if early is not None:
        out.emit(ev.SESSION_ENDED, outcome=early, reason="early_end")
    elif state.turn >= state.turn_count:
        out.emit(ev.SESSION_ENDED, outcome=classify(deck, state), reason="last_turn")
    else:
        _start_turn(deck, state, state.turn + 1, out)


def _start_turn(deck: Deck, state: State, turn: int, out: _Emitter) -> None:
    out.emit(ev.TURN_STARTED, turn=turn)
    phase_ids = deck_index(deck).phase_ids
    if "inject" not in phase_ids:
        _inject_for_turn(deck, state, out)
    _enter_phase(deck, state, phase_ids[0], out)


def _enter_phase(deck: Deck, state: State, phase: str, out: _Emitter) -> None:
    out.emit(ev.PHASE_CHANGED, turn=state.turn, phase=phase)
    if phase == "inject":
        _inject_for_turn(deck, state, out)


def _firing(state: State, cards: CheckedCards) -> list[Card]:
    """The cards that may still be injected and whose condition holds now."""
    return [
        card
        for card, condition in cards
        if (card.repeatable or not state.injected.get(card.id)) and (condition is None or condition(state))
    ]


def _inject_for_turn(deck: Deck, state: State, out: _Emitter) -> None:
    """Scheduled cards, then triggered ones; a random draw only when neither fired."""
    index = deck_index(deck)
    scheduled = _firing(state, index.scheduled.get(state.turn, ()))
    triggered = _firing(state, index.triggered)
    for card in scheduled:
        out.emit(ev.CARD_INJECTED, turn=state.turn, card=card.id, how="scheduled")
    for card in triggered:
        out.emit(ev.CARD_INJECTED, turn=state.turn, card=card.id, how="triggered")
    if scheduled or triggered:
        return
    drawn: set[str] = set()
    for draw in range(deck.turns.random_cards_per_turn):
        pool = [card for card in _firing(state, index.weighted) if card.id not in drawn]
        if not pool:
            return
        card, roll = draw_card(pool, state.seed, state.turn, draw)
        drawn.add(card.id)
        out.emit(ev.CARD_INJECTED, turn=state.turn, card=card.id, how="random", roll=roll, pool=len(pool))


def draw_card(pool: Sequence[Card], seed: int, turn: int, draw: int) -> tuple[Card, float]:
    """A weighted draw, reproducible from (seed, turn, draw number) alone."""
    rng = random.Random(f"wargame:{seed}:{turn}:{draw}")
    total = sum(card.when.weight or 0 for card in pool)
    roll = rng.random() * total
    point = roll
    for card in pool:
        point -= card.when.weight or 0
        if point < 0:
            return card, round(roll, 9)
    return pool[-1], round(roll, 9)


def _end(deck: Deck, state: State, command: c.EndSession, out: _Emitter) -> None:
    if not state.started:
        raise RuleError("the session has not started yet")
    if state.phase is not None:
        out.emit(ev.TURN_ENDED, turn=state.turn)
    out.emit(ev.SESSION_ENDED, outcome=classify(deck, state), reason=command.reason)


def classify(deck: Deck, state: State) -> str:
    """The first outcome whose condition holds (the deck's last outcome always does)."""
    for outcome in deck.outcomes:
        if holds(deck, state, outcome.condition):
            return outcome.id
    return deck.outcomes[-1].id


def early_end_outcome(deck: Deck, state: State) -> str | None:
    """An early-ending outcome whose condition holds now, if any."""
    for outcome_id, condition in deck_index(deck).early_outcomes:
        if condition is None or condition(state):
            return outcome_id
    return None


# --- cards, moves, adjudication, notes ------------------------------------------------------


def _require_started(state: State) -> None:
    if not state.started:
        raise RuleError("the session has not started yet: advance to turn 1 first")


def _inject(deck: Deck, state: State, command: c.InjectCard, out: _Emitter) -> None:
    _require_started(state)
    card = deck_index(deck).cards.get(command.card)
    if card is None:
        raise RuleError(f"unknown card '{command.card}'")
    if not card.repeatable and injected_this_turn(state, card.id):
        raise RuleError(f"the card '{card.id}' has already come this turn (it is not repeatable)")
    out.emit(ev.CARD_INJECTED, turn=state.turn, card=command.card, how="forced")


def injected_this_turn(state: State, card_id: str) -> bool:
    return any(injection.card == card_id and injection.turn == state.turn for injection in state.injections)


def _submit(deck: Deck, state: State, command: c.SubmitDecision, out: _Emitter) -> None:
    _require_started(state)
    team = _active_team(state, command.team)
    if state.phase not in MOVE_PHASES or state.turn in state.revealed_turns:
        raise RuleError(f"moves are entered before the reveal, not in the {state.phase} phase")
    earlier = moves_this_turn(state, team.members)
    if any(decision.passed for decision in earlier):
        raise RuleError(f"{team.name} has passed this turn")
    if len(earlier) >= deck.moves_per_turn:
        raise RuleError(f"{team.name} has made its {deck.moves_per_turn} move(s) this turn")
    if command.action is not None and command.free_text is not None:
        raise RuleError("a move is either an action or a free-text move, not both")
    _check_text("rationale", command.rationale)
    _check_text("prediction", command.predict)
    target = command.target or None
    if command.action is not None:
        _check_action(deck, state, team.members, command.action, target)
    elif command.free_text is not None:
        if not command.free_text.strip():
            raise RuleError("a free-text move needs some text")
        _check_text("free-text move", command.free_text)
    elif earlier:
        raise RuleError(f"{team.name} has already moved this turn and cannot pass now")
    out.emit(
        ev.DECISION_RECORDED,
        turn=state.turn,
        team=team.id,
        action=command.action,
        free_text=command.free_text,
        target=target,
        rationale=command.rationale,
        predict=command.predict,
    )


def moves_this_turn(state: State, members: tuple[str, ...]) -> list[Decision]:
    """This turn's moves by teams that play one of `members` (in the order they were made)."""
    return [
        decision
        for decision in state.decisions_by_turn.get(state.turn, ())
        if not set(state.teams[decision.team].members).isdisjoint(members)
    ]


def _check_text(what: str, text: str) -> None:
    if len(text) > MAX_TEXT:
        raise RuleError(f"the {what} is too long ({len(text)} characters; at most {MAX_TEXT})")


def _check_action(
    deck: Deck, state: State, members: tuple[str, ...], action_id: str, target: str | None
) -> None:
    index = deck_index(deck)
    action = index.actions.get(action_id)
    if action is None:
        raise RuleError(f"unknown action '{action_id}'")
    if action_id not in index.menu_ids(members):
        raise RuleError(f"'{action.label}' is not on this team's menu")
    if action_id not in available_action_ids(deck, state, members):
        raise RuleError(
            f"'{action.label}' is not available now (it requires: {_condition_text(action.requires)})"
        )
    if action.target == "none" and target is not None:
        raise RuleError(f"'{action.label}' takes no target")
    if action.target == "team":
        if target is None or not (target in index.team_ids or target in state.teams):
            raise RuleError(f"'{action.label}' needs a team as its target{_not_one(target, 'a team')}")
        # a deck team it plays, or a session team (e.g. its own grouping) sharing one
        if target in members or (target in state.teams and set(state.teams[target].members) & set(members)):
            raise RuleError(f"'{action.label}' cannot target the team that takes it")
        if action.targets and not _targets_one_of(state, target, action.targets):
            names = ", ".join(team.name for team in deck.teams if team.id in action.targets)
            raise RuleError(f"'{action.label}' can only target {names}")
    if action.target == "place" and target not in index.place_ids:
        raise RuleError(
            f"'{action.label}' needs a place as its target{_not_one(target, 'a place of the deck')}"
        )


def _not_one(target: str | None, what: str) -> str:
    """Why a target given is refused: it names nothing of the kind ("" when none was given)."""
    if target is None:
        return ""
    shown = " ".join(target.split())  # a script may give any text: one line, and not all of it
    return f"; '{shown[:40]}{'…' if len(shown) > 40 else ''}' is not {what}"


def _targets_one_of(state: State, target: str, allowed: tuple[str, ...]) -> bool:
    """Whether a target (a deck team, or a session team playing one) is among the allowed deck teams."""
    if target in allowed:
        return True
    team = state.teams.get(target)
    return team is not None and bool(set(team.members) & set(allowed))


def _condition_text(condition: Any) -> str:
    return condition if isinstance(condition, str) else "a condition of the deck"


def _adjudicate(deck: Deck, state: State, command: c.Adjudicate, out: _Emitter) -> None:
    _require_started(state)
    team = state.teams.get(command.team)
    if team is None:
        raise RuleError(f"unknown team '{command.team}'")
    if state.turn not in state.revealed_turns:
        raise RuleError("adjudication comes after this turn's moves are revealed")
    if not command.reason.strip():
        raise RuleError("an adjudication needs a written reason")
    _check_text("reason", command.reason)
    if not math.isfinite(command.delta) or abs(command.delta) > MAX_ADJUSTMENT:
        raise RuleError(f"the score change must be a number from -{MAX_ADJUSTMENT} to {MAX_ADJUSTMENT}")
    if command.decision_seq is not None and not any(
        d.seq == command.decision_seq and d.team == team.id for d in state.decisions
    ):
        raise RuleError(f"move #{command.decision_seq} is not a move of {team.name}")
    out.emit(
        ev.ADJUDICATED,
        turn=state.turn,
        team=team.id,
        delta=command.delta,
        reason=command.reason,
        decision_seq=command.decision_seq,
    )


def _note(deck: Deck, state: State, command: c.AddNote, out: _Emitter) -> None:
    if not command.text.strip():
        raise RuleError("a note needs some text")
    _check_text("note", command.text)
    if command.team is not None and command.team not in state.teams:
        raise RuleError(f"unknown team '{command.team}'")
    out.emit(ev.NOTE_ADDED, turn=state.turn, text=command.text, team=command.team)


# --- roster ---------------------------------------------------------------------------------


def _active_team(state: State, team_id: str) -> Any:
    team = state.teams.get(team_id)
    if team is None:
        raise RuleError(f"unknown team '{team_id}' (teams: {', '.join(state.teams)})")
    if not team.active:
        raise RuleError(f"team '{team.name}' no longer plays")
    return team


def _add_player(deck: Deck, state: State, command: c.AddPlayer, out: _Emitter) -> None:
    team = _active_team(state, command.team)
    if not command.player.strip():
        raise RuleError("a player needs a name")
    if command.player in team.players:
        raise RuleError(f"{command.player} already plays for {team.name}")
    out.emit(ev.ROSTER_CHANGED, change="add_player", team=team.id, player=command.player)


def _remove_player(deck: Deck, state: State, command: c.RemovePlayer, out: _Emitter) -> None:
    team = _active_team(state, command.team)
    if command.player not in team.players:
        raise RuleError(f"{command.player} does not play for {team.name}")
    out.emit(ev.ROSTER_CHANGED, change="remove_player", team=team.id, player=command.player)


def _rename_team(deck: Deck, state: State, command: c.RenameTeam, out: _Emitter) -> None:
    team = _active_team(state, command.team)
    if not command.name.strip():
        raise RuleError("a team needs a name")
    _check_name_free(state, command.name, besides=(team.id,))
    out.emit(ev.ROSTER_CHANGED, change="rename_team", team=team.id, name=command.name)


def _name_key(name: str) -> str:
    """A team name as it is compared: letters in any case and spacing are the same name."""
    return " ".join(name.split()).casefold()


def _check_name_free(state: State, name: str, besides: tuple[str, ...] = ()) -> None:
    """Refuse a team name that a playing team (other than those `besides`) already has: two teams
    of one name could not be told apart on the screens or in the log."""
    wanted = _name_key(name)
    for team in state.active_teams():
        if team.id not in besides and _name_key(team.name) == wanted:
            raise RuleError(f"another team is already called {team.name}")


def _add_team(deck: Deck, state: State, command: c.AddTeam, out: _Emitter) -> None:
    playing = {member for team in state.active_teams() for member in team.members}
    _check_team_setup(command.team, {team.id for team in deck.teams}, set(state.teams), playing)
    _check_name_free(state, command.team.name)
    out.emit(
        ev.ROSTER_CHANGED, change="add_team", team=command.team.id, **_without_id(_team_data(command.team))
    )


def _without_id(data: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in data.items() if key != "id"}


def _remove_team(deck: Deck, state: State, command: c.RemoveTeam, out: _Emitter) -> None:
    team = _active_team(state, command.team)
    if len(state.active_teams()) == 1:
        raise RuleError("the last team cannot leave the session")
    out.emit(ev.ROSTER_CHANGED, change="remove_team", team=team.id)


def _merge_teams(deck: Deck, state: State, command: c.MergeTeams, out: _Emitter) -> None:
    if len(set(command.teams)) < 2:
        raise RuleError("merging needs at least two different teams")
    for team_id in command.teams:
        _active_team(state, team_id)
    if not command.into or command.into in state.teams:
        raise RuleError(f"team id '{command.into}' is empty or already used")
    if not command.name.strip():
        raise RuleError("the merged team needs a name")
    _check_name_free(state, command.name, besides=tuple(command.teams))
    out.emit(
        ev.ROSTER_CHANGED,
        change="merge_teams",
        teams=list(command.teams),
        team=command.into,
        name=command.name,
    )


# --- undo and redo --------------------------------------------------------------------------


def undo_redo_stacks(log: Sequence[Event]) -> tuple[list[int], list[int]]:
    """Command numbers that Undo and Redo would act on next (top of each stack last)."""
    return UndoStacks(log).stacks()


def _undo_or_redo(log: Sequence[Event], command: c.Undo | c.Redo, out: _Emitter) -> None:
    undo_stack, redo_stack = undo_redo_stacks(log)
    stack = undo_stack if isinstance(command, c.Undo) else redo_stack
    if not stack:
        raise RuleError("nothing to undo" if isinstance(command, c.Undo) else "nothing to redo")
    target_cmd = stack[-1]
    for event in reversed([e for e in log if e.cmd == target_cmd]):
        out.events.append(Event(out.next_seq, ev.UNDONE, {"target": event.seq, "kind": event.kind}, out.cmd))
        out.next_seq += 1


def refold_needed(events: Sequence[Event]) -> bool:
    """Undo events change the past: a state must be folded again from the start."""
    return any(event.kind == ev.UNDONE for event in events)


_HANDLERS: dict[type, Any] = {
    c.Advance: _advance,
    c.InjectCard: _inject,
    c.SubmitDecision: _submit,
    c.Adjudicate: _adjudicate,
    c.AddNote: _note,
    c.AddPlayer: _add_player,
    c.RemovePlayer: _remove_player,
    c.RenameTeam: _rename_team,
    c.AddTeam: _add_team,
    c.RemoveTeam: _remove_team,
    c.MergeTeams: _merge_teams,
    c.EndSession: _end,
}

__all__ = [
    "PHASES",
    "active_events",
    "classify",
    "decide",
    "draw_card",
    "early_end_outcome",
    "undo_redo_stacks",
]
