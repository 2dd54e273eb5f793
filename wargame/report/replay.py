"""A stored session opened for review: its deck, its events, and the state at any point.

Review never writes: a `Replay` is read with `Store.session`, `Store.deck_text` and
`Store.events`, and the state after the first n events is `fold(deck, events[:n])`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from wargame.deck import LoadedDeck, load_deck_text
from wargame.deck.models import Deck
from wargame.engine import events as ev
from wargame.engine.describe import describe_log, move_label, target_name, team_status
from wargame.engine.events import Event
from wargame.engine.fold import fold
from wargame.engine.state import State, band_of, scores
from wargame.errors import DamagedEventError
from wargame.report.pseudonyms import pseudonymise_events
from wargame.store import DamagedRow, SessionInfo, Store


@dataclass(frozen=True)
class TimelineEntry:
    seq: int
    kind: str
    turn: int
    text: str


@dataclass(frozen=True)
class TeamPoints:
    id: str
    name: str
    escalation: float
    deescalation: float
    objectives: int
    players: tuple[str, ...]
    active: bool
    status: str = ""  # why it no longer plays ("merged into …", "left the game"), "" while it plays


@dataclass(frozen=True)
class CardSeen:
    seq: int
    turn: int
    id: str
    title: str
    how: str
    value: float
    text: str
    ground_truth: str


@dataclass(frozen=True)
class MoveSeen:
    seq: int
    turn: int
    team: str
    text: str
    target: str
    value: float
    rationale: str
    predict: str


@dataclass(frozen=True)
class Snapshot:
    """What review shows of a state: index and band, team points, the cards and revealed moves so far."""

    turn: int
    phase: str
    index: float
    band: str
    band_label: str
    teams: tuple[TeamPoints, ...]
    cards: tuple[CardSeen, ...]
    moves: tuple[MoveSeen, ...]
    outcome: str | None = None
    hidden_moves: int = 0


def snapshot(deck: Deck, state: State) -> Snapshot:
    """The state as review shows it (moves only once their turn is revealed)."""
    band = band_of(deck, state.index)
    band_label = next((b.label for b in deck.escalation.bands if b.id == band), band)
    points = scores(deck, state)
    teams = tuple(
        TeamPoints(
            team.id,
            team.name,
            team.escalation,
            team.deescalation,
            int(points[team.id]["objectives"]),
            tuple(team.players),
            team.active,
            team_status(state, team),
        )
        for team in state.teams.values()
    )
    cards = tuple(
        CardSeen(
            inj.seq,
            inj.turn,
            inj.card,
            deck.card(inj.card).title,
            inj.how,
            inj.value,
            deck.card(inj.card).text,
            deck.card(inj.card).ground_truth or "",
        )
        for inj in state.injections
    )
    moves = tuple(
        MoveSeen(
            d.seq,
            d.turn,
            state.teams[d.team].name,
            move_label(deck, d),
            target_name(deck, state, d.target),
            d.value,
            d.rationale,
            d.predict,
        )
        for d in state.decisions
        if d.revealed
    )
    return Snapshot(
        turn=state.turn,
        phase=state.phase or "",
        index=state.index,
        band=band,
        band_label=band_label,
        teams=teams,
        cards=cards,
        moves=moves,
        outcome=state.outcome,
        hidden_moves=sum(1 for d in state.decisions if not d.revealed),
    )


@dataclass
class Replay:
    """One stored session, read-only: info, deck, events (pseudonymised if asked)."""

    info: SessionInfo
    loaded: LoadedDeck
    events: list[Event]
    pseudonymised: bool = False
    chain_head: str = ""
    integrity: str = ""  # why the stored log does not verify (`sessions verify`), "" when it does
    _states: dict[int, State] = field(default_factory=dict, repr=False)

    @property
    def deck(self) -> Deck:
        return self.loaded.deck

    @cached_property
    def state(self) -> State:
        """The state at the end of the log."""
        return self.state_at(len(self.events))

    def state_at(self, count: int) -> State:
        """The state after the first `count` events (the fold of that prefix)."""
        count = max(0, min(count, len(self.events)))
        if count not in self._states:
            self._states[count] = fold(self.deck, self.events[:count])
        return self._states[count]

    def timeline(self, upto: int | None = None) -> list[TimelineEntry]:
        """The events as lines; a move's content shows once its turn is revealed (as of `upto`)."""
        count = len(self.events) if upto is None else upto
        lines = describe_log(self.deck, self.events, self.state_at(count).revealed_turns)
        entries = []
        turn = 0
        for event, line in zip(self.events, lines, strict=True):
            if event.kind == ev.TURN_STARTED:
                turn = int(event.data["turn"])
            entries.append(TimelineEntry(event.seq, event.kind, turn, line))
        return entries

    def count_at_seq(self, seq: int) -> int:
        """How many events there are up to and including event `seq`."""
        return sum(1 for event in self.events if event.seq <= seq)


def load_replay(store: Store, session_id: str, *, pseudonymise: bool = False, verify: bool = True) -> Replay:
    """Read a stored session for review (nothing is written); with `verify`, check its hash chain
    too (`Replay.integrity`: a second read of the log, and a hash per event)."""
    stored = store.load(session_id)
    loaded = load_deck_text(stored.deck_text, stored.deck_file)
    events = pseudonymise_events(stored.events) if pseudonymise else stored.events
    replay = Replay(
        stored.info,
        loaded,
        events,
        pseudonymised=pseudonymise,
        chain_head=store.chain_head(session_id),
        integrity=_integrity(store, session_id) if verify else "",
    )
    try:
        _ = replay.state
    except DamagedEventError as exc:
        if not replay.integrity:
            raise
        raise DamagedEventError(f"{exc}; the stored log does not verify: {replay.integrity}") from exc
    return replay


def _integrity(store: Store, session_id: str) -> str:
    """'' when the session's hash chain verifies, else the first altered or missing event."""
    try:
        result = store.verify(session_id)
    except DamagedRow as exc:  # a row too damaged to read (another StoreError is no verdict)
        return f"ALTERED: {exc}"
    return "" if result.ok else result.problem
