"""The session controller: the one write path to a session.

A command goes to the engine, which turns it into events (or refuses it); the store commits the
events; only then is the in-memory state advanced and are listeners told. The GUI, the command
line and the simulator all drive sessions through this class.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from wargame.deck import LoadedDeck, load_deck_text
from wargame.deck.models import Deck
from wargame.engine import commands as c
from wargame.engine.events import Event
from wargame.engine.fold import fold
from wargame.engine.rules import decide, refold_needed, undo_redo_stacks
from wargame.engine.state import State, band_of, scores
from wargame.store import Store
from wargame.store.store import new_session_id

Listener = Callable[[Sequence[Event], State], None]


class SessionController:
    """One session: its deck, its event log and the state folded from it.

    `store` may be None for sessions that are played but never kept (simulations, dry runs).
    Listeners are called with the new events and the new state after every stored command.
    """

    def __init__(
        self, loaded: LoadedDeck, session_id: str, events: Sequence[Event], store: Store | None
    ) -> None:
        self.loaded = loaded
        self.session_id = session_id
        self.store = store
        self._events: list[Event] = list(events)
        self._state = fold(loaded.deck, self._events)
        self._listeners: list[Listener] = []
        self._last_cmd = max((event.cmd for event in self._events), default=0)

    # --- opening -------------------------------------------------------------------------------
    @classmethod
    def create(cls, loaded: LoadedDeck, setup: c.CreateSession, store: Store | None) -> SessionController:
        """Create a session: its first event is stored with the deck's full text."""
        session_id = new_session_id()
        state = State()
        first = decide(loaded.deck, state, [], setup, cmd=1)
        if store is not None:
            store.create_session(
                session_id=session_id,
                deck_id=loaded.deck.id,
                deck_title=loaded.deck.title,
                deck_version=loaded.deck.version,
                deck_text=loaded.text,
                deck_origin=loaded.origin,
                seed=setup.seed,
                class_label=setup.class_label,
                facilitator=setup.facilitator,
                first_events=first,
            )
        return cls(loaded, session_id, first, store)

    @classmethod
    def open(cls, store: Store, session_id: str) -> SessionController:
        """Reopen a stored session exactly where it stood, with the deck text it was created from."""
        info = store.session(session_id)
        loaded = load_deck_text(
            store.deck_text(session_id), f"{info.deck_id} (stored with session {session_id[:8]})"
        )
        return cls(loaded, session_id, store.events(session_id), store)

    # --- reading -------------------------------------------------------------------------------
    @property
    def deck(self) -> Deck:
        return self.loaded.deck

    @property
    def state(self) -> State:
        """The current state. Treat it as read-only: it changes only through `execute`."""
        return self._state

    @property
    def events(self) -> list[Event]:
        return list(self._events)

    @property
    def band(self) -> str:
        return band_of(self.deck, self._state.index)

    def scores(self) -> dict[str, dict[str, Any]]:
        return scores(self.deck, self._state)

    def can_undo(self) -> bool:
        return bool(undo_redo_stacks(self._events)[0])

    def can_redo(self) -> bool:
        return bool(undo_redo_stacks(self._events)[1])

    # --- writing -------------------------------------------------------------------------------
    def execute(self, command: c.Command) -> list[Event]:
        """Run a command: events are decided, stored (committed), applied, then announced.

        Raises RuleError when the rules refuse (nothing stored, state unchanged) and StoreError
        when the database does (nothing stored, state unchanged).
        """
        state = self._state
        try:
            new_events = decide(self.deck, state, self._events, command, cmd=self._last_cmd + 1)
            if self.store is not None and new_events:
                self._commit(new_events, state)
        except Exception:
            # decide() advances the state as it goes: put back the state of the stored log.
            self._state = fold(self.deck, self._events)
            raise
        self._events.extend(new_events)
        self._last_cmd += 1
        if refold_needed(new_events):
            self._state = fold(self.deck, self._events)
        for listener in list(self._listeners):
            listener(new_events, self._state)
        return new_events

    def _commit(self, new_events: list[Event], advanced: State) -> None:
        assert self.store is not None
        summary = fold(self.deck, [*self._events, *new_events]) if refold_needed(new_events) else advanced
        self.store.append(
            self.session_id,
            new_events,
            current_turn=summary.turn,
            status="ended" if summary.ended else "running",
            outcome=summary.outcome,
        )

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        self._listeners.remove(listener)
