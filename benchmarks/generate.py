"""Seeded test data for the benchmarks: a 10,000-event session and a store of many sessions.

Sessions are played through the session controller (the one write path), then put in a SQLite
file with `Store.import_session`, so their hash chains are real; building them command by command
with an fsync each would take minutes and measure nothing the benchmarks report.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from wargame.deck import LoadedDeck, resolve_deck
from wargame.engine import commands as c
from wargame.engine.bots import choose_move
from wargame.session import SessionController
from wargame.store import SessionInfo, Store, StoredEvent, deck_hash
from wargame.store.chain import event_hash
from wargame.store.store import encode_payload

DECK_ID = "baltic_drone_spillover_2026"
BIG_EVENTS = 10_000


@dataclass(frozen=True)
class Built:
    """A stored session: its database URL, id and how many events it has."""

    url: str
    session_id: str
    events: int


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.as_posix()}"


def load() -> LoadedDeck:
    return resolve_deck(DECK_ID)


def play(
    loaded: LoadedDeck, *, seed: int, events: int, notes_per_turn: int, label: str = ""
) -> SessionController:
    """A running session of at least `events` events (fewer if it ends first), stopped at the start
    of a turn's moves so that it can go on: cooperative bots move, the facilitator adds notes and
    adjudicates every move after the reveal. Not stored (store=None)."""
    deck = loaded.deck
    rng = random.Random(f"benchmarks:{seed}")
    teams = tuple(
        c.TeamSetup(team.id, team.name, (team.id,), (f"Player {i}",)) for i, team in enumerate(deck.teams)
    )
    session = SessionController.create(
        loaded,
        c.CreateSession(
            seed=seed, teams=teams, class_label=label or f"Class {seed % 7}", facilitator="Bench", turns=100
        ),
        None,
    )
    while not session.state.ended:
        state = session.state
        if state.phase == "moves" and state.turn not in state.revealed_turns:
            if len(session.events) >= events:
                break
            for number in range(notes_per_turn):
                session.execute(
                    c.AddNote(f"Turn {state.turn}, note {number}: " + "observation " * rng.randint(1, 12))
                )
            for team in state.active_teams():
                move = choose_move(deck, state, team.id, "cooperative", rng)
                session.execute(
                    c.SubmitDecision(
                        team=move.team,
                        action=move.action,
                        target=move.target,
                        rationale="Because " + "reasons " * rng.randint(1, 8),
                        predict="They will respond in kind.",
                    )
                )
        if state.phase == "adjudication":
            for decision in state.decisions_in_turn(state.turn):
                delta = rng.choice((-2.0, -1.0, 1.0, 2.0))
                session.execute(c.Adjudicate(decision.team, delta, "Facilitator's call", decision.seq))
        session.execute(c.Advance())
    return session


def store_session(store: Store, session: SessionController, created_at: datetime) -> None:
    """Put a played session in `store` as if it had been recorded at `created_at` (one transaction)."""
    loaded, state = session.loaded, session.state
    digest = deck_hash(loaded.text)
    prev = digest
    stored = []
    for event in session.events:
        payload = encode_payload(event.data)
        digest_now = event_hash(prev, session.session_id, event.seq, event.kind, event.cmd, payload)
        stored.append(StoredEvent(event, created_at, prev, digest_now))
        prev = digest_now
    info = SessionInfo(
        id=session.session_id,
        deck_id=loaded.deck.id,
        deck_title=loaded.deck.title,
        deck_version=loaded.deck.version,
        deck_hash=digest,
        deck_origin=loaded.origin,
        seed=state.seed,
        class_label=state.class_label,
        facilitator=state.facilitator,
        created_at=created_at,
        updated_at=created_at,
        status="ended" if state.ended else "running",
        current_turn=state.turn,
        outcome=state.outcome,
        event_count=len(stored),
    )
    store.import_session(info, loaded.text, stored)


def big_session(directory: Path, *, events: int = BIG_EVENTS, seed: int = 1) -> Built:
    """A SQLite file holding one running session of at least `events` events."""
    directory.mkdir(parents=True, exist_ok=True)
    url = sqlite_url(directory / "big.sqlite3")
    loaded = load()
    for attempt in range(seed, seed + 20):  # a seed whose session lasts (some end early)
        session = play(loaded, seed=attempt, events=events, notes_per_turn=100)
        if len(session.events) >= events:
            break
    else:
        raise RuntimeError(f"no generated session reached {events} events")
    with Store(url) as store:
        store_session(store, session, datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    return Built(url, session.session_id, len(session.events))


def many_sessions(directory: Path, *, count: int = 1000, seed: int = 1) -> str:
    """A SQLite file of `count` short sessions (a semester of classes), some ended; returns its URL."""
    url = sqlite_url(directory / "many.sqlite3")
    loaded = load()
    start = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
    with Store(url) as store:
        for number in range(count):
            session = play(loaded, seed=seed * 100_000 + number, events=40 + number % 60, notes_per_turn=1)
            if number % 3 == 0:
                session.execute(c.EndSession())
            store_session(store, session, start + timedelta(hours=5 * number))
    return url
