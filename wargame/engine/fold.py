"""Game state as a fold over events: `fold(deck, events)` is the only way state is made."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from operator import itemgetter
from typing import Any

from wargame.deck.models import Deck, Effects
from wargame.engine import events as ev
from wargame.engine.deck_index import Scoring, deck_index
from wargame.engine.events import Event
from wargame.engine.state import MAX_TURNS, Adjudication, Decision, IndexPoint, Injection, State, TeamState
from wargame.errors import DamagedEventError

_KIND = itemgetter(1)  # an Event's kind (itemgetter on the tuple: faster than the field's getter)


def active_events(events: Sequence[Event]) -> list[Event]:
    """The events that count: every event less those cancelled by an `undone` that counts.

    Undoing an undo (redo) makes its target count again; walking backwards settles each
    undo before the events it targets, which always come earlier.
    """
    if ev.UNDONE not in map(_KIND, events):  # the common case, checked at C speed
        return list(events)
    cancelled: set[int] = set()
    for event in reversed(events):
        if event.kind == ev.UNDONE and event.seq not in cancelled:
            cancelled.add(int(event.data["target"]))
    return [event for event in events if event.seq not in cancelled and event.kind != ev.UNDONE]


# What reading an event's data of the wrong shape raises (a missing key, a list for a number, a
# number too large for a float...)
_MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError)


def fold(deck: Deck, events: Sequence[Event]) -> State:
    """The state after `events` (undone events are skipped). DamagedEventError names the first
    event whose data cannot be read."""
    state = State()
    try:
        apply_all(deck, state, active_events(events))
    except _MALFORMED as exc:
        raise _damaged(deck, events, exc) from exc
    return state


def _damaged(deck: Deck, events: Sequence[Event], exc: Exception) -> DamagedEventError:
    """The error naming the first event that fails to apply (found again one event at a time)."""
    state = State()
    for event in events:
        try:
            if event.kind == ev.UNDONE:
                int(event.data["target"])
            else:
                apply(deck, state, event)
        except _MALFORMED:
            return DamagedEventError(
                f"event #{event.seq} ({event.kind}) cannot be replayed: its data is damaged"
            )
    return DamagedEventError(f"the events cannot be replayed: {type(exc).__name__}: {exc}")


def apply_all(deck: Deck, state: State, events: Iterable[Event]) -> None:
    """Apply each event in turn to `state` in place (callers own the state they pass).

    Each event is unpacked once here and its handler given its seq and data: reading an Event's
    fields by name costs more than its whole unpacking. Notes, most of a long session's events,
    are kept as they are, inline (a note keeps the memo; `State.notes` reads them).
    """
    handlers, keeps_memo, memo = _HANDLERS, _KEEPS_MEMO, state.memo
    note_added, add_note = ev.NOTE_ADDED, state.note_events.append
    for event in events:
        if event[1] == note_added:
            _ = event[2]["text"]  # a note without text is refused now, as other malformed events
            add_note(event)
            continue
        seq, kind, data, _cmd = event
        handler = handlers.get(kind)
        if handler is None:
            raise ValueError(f"unknown event kind {kind!r}")
        handler(deck, state, seq, data)
        if kind not in keeps_memo:
            memo.clear()


def apply(deck: Deck, state: State, event: Event) -> None:
    """Apply one event to `state` in place (callers own the state they pass)."""
    apply_all(deck, state, (event,))


def _session_created(deck: Deck, state: State, seq: int, data: dict[str, Any]) -> None:
    state.deck_id = data["deck_id"]
    state.seed = int(data["seed"])
    state.class_label = data.get("class_label", "")
    state.facilitator = data.get("facilitator", "")
    state.turn_count = _turn(data.get("turns", deck.turns.count))
    phase_minutes: dict[str, float] = {p.id: p.minutes for p in deck.turns.phases}
    state.phase_minutes = phase_minutes | dict(data.get("phase_minutes", {}))
    state.index = float(deck.escalation.start)
    state.tracks = {t.id: t.start for t in deck.tracks}
    state.flags = {f.id: f.start for f in deck.flags}
    for team in data["teams"]:
        state.teams[team["id"]] = TeamState(
            id=team["id"],
            name=team["name"],
            members=tuple(team["members"]),
            players=list(team.get("players", [])),
        )
    state.history.append(IndexPoint(seq, 0, state.index, "start"))


def _turn_started(deck: Deck, state: State, seq: int, data: dict[str, Any]) -> None:
    state.turn = _turn(data["turn"])
    state.turn_starts.append((seq, state.turn))
    state.phase = None


def _phase_changed(deck: Deck, state: State, seq: int, data: dict[str, Any]) -> None:
    state.phase = data["phase"]


def _card_injected(deck: Deck, state: State, seq: int, data: dict[str, Any]) -> None:
    card_id = data["card"]
    value, effects, _ = _resolve(state, deck_index(deck).card_scoring[card_id])
    state.injections.append(Injection(seq, state.turn, card_id, data.get("how", "forced"), value))
    state.injected[card_id] = state.injected.get(card_id, 0) + 1
    _change(deck, state, value, effects)
    state.history.append(IndexPoint(seq, state.turn, state.index, f"card:{card_id}", state.phase))


def _decision_recorded(deck: Deck, state: State, seq: int, data: dict[str, Any]) -> None:
    turn = _turn(data["turn"])
    decision = Decision(  # positional: cheaper than by name (seq, turn, team, action, free_text, ...)
        seq,
        turn,
        data["team"],
        data.get("action"),
        data.get("free_text"),
        data.get("target"),
        data.get("rationale", ""),
        data.get("predict", ""),
    )
    state.decisions.append(decision)
    in_turn = state.decisions_by_turn.get(turn)
    if in_turn is None:
        state.decisions_by_turn[turn] = [decision]
    else:
        in_turn.append(decision)


def _decisions_revealed(deck: Deck, state: State, seq: int, data: dict[str, Any]) -> None:
    turn = _turn(data["turn"])
    state.revealed_turns.add(turn)
    scoring = deck_index(deck).action_scoring
    phase = state.phase
    for decision in state.decisions_in_turn(turn):
        decision.revealed = True
        action = decision.action
        if action is None:
            continue
        value, effects, note = _resolve(state, scoring[action])
        decision.value, decision.note = value, note
        state.taken[action] = state.taken.get(action, 0) + 1
        _credit(state, decision.team, value)
        _change(deck, state, value, effects)
        state.history.append(_new_point((seq, turn, state.index, f"move:{decision.team}:{action}", phase)))


def _adjudicated(deck: Deck, state: State, seq: int, data: dict[str, Any]) -> None:
    delta = float(data["delta"])
    team, turn = data["team"], state.turn
    state.adjudications.append(
        _new_adjudication((seq, turn, team, delta, data.get("reason", ""), data.get("decision_seq")))
    )
    _credit(state, team, delta)
    _change(deck, state, delta, None)
    state.history.append(_new_point((seq, turn, state.index, f"adjudication:{team}", state.phase)))


def _roster_changed(deck: Deck, state: State, seq: int, data: dict[str, Any]) -> None:
    change = data["change"]
    if change == "add_team":
        state.teams[data["team"]] = TeamState(
            id=data["team"],
            name=data["name"],
            members=tuple(data["members"]),
            players=list(data.get("players", [])),
        )
        return
    if change == "merge_teams":
        merged = [state.teams[team_id] for team_id in data["teams"]]
        for team in merged:
            team.active = False
            team.merged_into = data["team"]
        state.teams[data["team"]] = TeamState(
            id=data["team"],
            name=data["name"],
            members=tuple(m for team in merged for m in team.members),
            players=[p for team in merged for p in team.players],
            escalation=sum(team.escalation for team in merged),
            deescalation=sum(team.deescalation for team in merged),
        )
        return
    team = state.teams[data["team"]]
    if change == "add_player":
        team.players.append(data["player"])
    elif change == "remove_player":
        team.players.remove(data["player"])
    elif change == "rename_team":
        team.name = data["name"]
    elif change == "remove_team":
        team.active = False
    elif change == "restore_team":
        team.active = True


# Named tuples built with tuple.__new__: their own constructors are a Python-level call each, and
# a long session has thousands of index points
_new_point = partial(tuple.__new__, IndexPoint)
_new_adjudication = partial(tuple.__new__, Adjudication)


def _turn_ended(deck: Deck, state: State, seq: int, data: dict[str, Any]) -> None:
    turn = _turn(data["turn"])
    del state.index_by_turn[turn - 1 :]
    state.index_by_turn.append(state.index)
    state.phase = None


def _session_ended(deck: Deck, state: State, seq: int, data: dict[str, Any]) -> None:
    state.ended = True
    state.outcome = data["outcome"]
    state.end_reason = data.get("reason")


def _ignore(deck: Deck, state: State, seq: int, data: dict[str, Any]) -> None:
    """Events that change no game state (undo is handled before the fold)."""


# Kinds that change nothing a deck condition reads (index, turn, band, tracks, flags, cards
# injected, actions taken, team points, the roster): applying them keeps what `State.memo` holds.
_KEEPS_MEMO = frozenset(
    {ev.PHASE_CHANGED, ev.DECISION_RECORDED, ev.NOTE_ADDED, ev.TURN_ENDED, ev.SESSION_ENDED}
)

_HANDLERS: dict[str, Any] = {
    ev.SESSION_CREATED: _session_created,
    ev.TURN_STARTED: _turn_started,
    ev.PHASE_CHANGED: _phase_changed,
    ev.CARD_INJECTED: _card_injected,
    ev.DECISION_RECORDED: _decision_recorded,
    ev.DECISIONS_REVEALED: _decisions_revealed,
    ev.ROSTER_CHANGED: _roster_changed,
    ev.ADJUDICATED: _adjudicated,
    ev.UNDONE: _ignore,
    ev.TURN_ENDED: _turn_ended,
    ev.SESSION_ENDED: _session_ended,
}


def _turn(value: Any) -> int:
    """A turn number as the rules allow it; ValueError (a damaged event) for any other, such as a
    hand-edited 10**400 that the charts could not place."""
    turn = int(value)
    if not 0 < turn <= MAX_TURNS:
        raise ValueError(f"turn {turn} is not from 1 to {MAX_TURNS}")
    return turn


def _resolve(state: State, scoring: Scoring) -> tuple[float, Effects, str]:
    """Value, effects and note of an action or card: the first modifier that holds replaces them."""
    for when, value, effects, note in scoring.modifiers:
        if when(state):
            return value, effects, note
    return scoring.value, scoring.effects, ""


def _credit(state: State, team_id: str, value: float) -> None:
    team = state.teams[team_id]
    if value > 0:
        team.escalation += value
    else:
        team.deescalation -= value


def _change(deck: Deck, state: State, value: float, effects: Effects | None) -> None:
    state.index = _clamp(state.index + value, deck.escalation.min, deck.escalation.max)
    if effects is None:
        return
    if effects.add:
        tracks = deck_index(deck).tracks
        for track_id, delta in effects.add.items():
            track = tracks[track_id]
            current = state.tracks[track_id]
            assert isinstance(current, (int, float))
            state.tracks[track_id] = _clamp(current + delta, track.min, track.max)
    for name, assigned in effects.set.items():
        if name in state.flags:
            state.flags[name] = bool(assigned)
        else:
            state.tracks[name] = assigned


def _clamp(value: float, low: float | None, high: float | None) -> float:
    if low is not None and value < low:
        return float(low)
    if high is not None and value > high:
        return float(high)
    return float(value)
