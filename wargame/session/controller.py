"""The session controller: the one write path to a session.

A command goes to the engine, which turns it into events (or refuses it); the store commits the
events; only then is the in-memory state advanced and are listeners told. The GUI, the command
line and the simulator all drive sessions through this class.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from wargame.deck import LoadedDeck, load_deck_text
from wargame.deck.models import Deck
from wargame.engine import commands as c
from wargame.engine.events import Event
from wargame.engine.fold import fold
from wargame.engine.rules import decide, refold_needed
from wargame.engine.state import State, band_of, scores
from wargame.engine.undo import UndoStacks
from wargame.errors import StoreError
from wargame.store import Store
from wargame.store.store import SessionBusy, StoredSession, StoreNotWritable, StoreUnavailable, new_session_id

Listener = Callable[[Sequence[Event], State], None]

_CMD = itemgetter(3)  # an Event's cmd (faster than reading the field by name)


class SessionController:
    """One session: its deck, its event log and the state folded from it.

    `store` may be None for sessions that are played but never kept (simulations, dry runs).
    Listeners are called with the new events and the new state after every stored command.

    Two app instances never write one session: the store holds a lease on it for the instance that
    writes it. A controller that finds the session run by another instance is read-only
    (`read_only` says why) and refuses commands. A command whose events could not be stored because
    the database was unreachable is kept as `pending_command` until `retry_pending` stores it.
    """

    def __init__(
        self,
        loaded: LoadedDeck,
        session_id: str,
        events: Sequence[Event],
        store: Store | None,
        *,
        read_only: str | None = None,
        log_altered: bool = False,
    ) -> None:
        self.loaded = loaded
        self.session_id = session_id
        self.store = store
        self._events: list[Event] = list(events)
        self._state = fold(loaded.deck, self._events)
        self._listeners: list[Listener] = []
        self._last_cmd = max(map(_CMD, self._events), default=0)
        self._undo_stacks: UndoStacks | None = None  # built when first asked for
        self._read_only = read_only
        self.log_altered = log_altered  # read-only since its log does not match its record
        self._pending: c.Command | None = None
        self._pending_events: list[Event] = []

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
    def open(
        cls, store: Store, session_id: str, *, write: bool = False, take_over: bool = False
    ) -> SessionController:
        """Reopen a stored session exactly where it stood, with the deck text it was created from.

        With `write`, the session's lease is taken now, so a session another instance is running
        opens read-only (see `read_only`) instead of failing at the first command; `take_over`
        takes the lease even so (the user's choice, say after the other laptop crashed). Without
        `write` (review, reports), the lease is taken by the first stored command, if free.
        """
        read_only: str | None = None
        if write:  # before reading: no other instance can add events to what is read
            try:
                store.take_lease(session_id, force=take_over)
            except SessionBusy as exc:
                read_only = str(exc)
        try:
            stored = store.load(session_id)
            loaded = load_deck_text(stored.deck_text, stored.deck_file)
        except Exception:
            if write and read_only is None:  # the session is not opened: let others write it
                with contextlib.suppress(StoreError):
                    store.release_lease(session_id)
            raise
        # Writing on would make the record match the log again and hide what happened to it.
        mismatch = log_mismatch(stored) if write else None
        if mismatch is not None:
            if read_only is None:  # the lease was taken above: give it back
                with contextlib.suppress(StoreError):
                    store.release_lease(session_id)
            read_only = mismatch  # the reason that matters, whoever holds the lease
        return cls(
            loaded, session_id, stored.events, store, read_only=read_only, log_altered=mismatch is not None
        )

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

    def undo_redo_stacks(self) -> tuple[list[int], list[int]]:
        """Command numbers that Undo and Redo would act on next (top of each stack last).

        Kept up to date as the log grows (the log is append-only), so asking after every command
        costs the new events, not the whole log.
        """
        if self._undo_stacks is None:
            self._undo_stacks = UndoStacks()
        self._undo_stacks.feed(self._events[self._undo_stacks.length :])
        return self._undo_stacks.stacks()

    def can_undo(self) -> bool:
        return bool(self.undo_redo_stacks()[0])

    def can_redo(self) -> bool:
        return bool(self.undo_redo_stacks()[1])

    @property
    def read_only(self) -> str | None:
        """Why commands are refused (another instance runs the session), or None if they are not."""
        return self._read_only

    @property
    def pending_command(self) -> c.Command | None:
        """The command whose events the database could not take (unreachable), kept for a retry."""
        return self._pending

    # --- writing -------------------------------------------------------------------------------
    def execute(self, command: c.Command) -> list[Event]:
        """Run a command: events are decided, stored (committed), applied, then announced.

        Raises RuleError when the rules refuse (nothing stored, state unchanged) and StoreError
        when the database does (nothing stored, state unchanged). When the database is unreachable
        (StoreUnavailable), the command is kept as `pending_command`; executing it again is a retry.
        """
        if self._read_only is not None:
            raise SessionBusy(self._read_only)
        if self._pending is not None:
            if command != self._pending:
                raise StoreError(
                    "a move is still waiting to be stored (the database was unreachable): "
                    "retry it, or discard it, before entering another"
                )
            return self.retry_pending()
        state = self._state
        new_events: list[Event] = []
        try:
            new_events = decide(self.deck, state, self._events, command, cmd=self._last_cmd + 1)
            if self.store is not None and new_events:
                self._commit(new_events, state)
        except Exception as exc:
            # decide() advances the state as it goes: put back the state of the stored log.
            self._state = fold(self.deck, self._events)
            if isinstance(exc, StoreUnavailable):
                self._pending, self._pending_events = command, new_events
                when = (
                    "once that is put right"
                    if isinstance(exc, StoreNotWritable)
                    else "when the database is back"
                )
                # the same class: a database that takes no writes is told apart from an unreachable one
                raise type(exc)(f"{exc}. The move is kept: it will be stored {when} (retry)") from exc
            if isinstance(exc, SessionBusy):
                self._read_only = str(exc)
            raise
        self._apply(new_events)
        return new_events

    def retry_pending(self) -> list[Event]:
        """Store the pending command now (the database is back); returns its events.

        If the earlier attempt was in fact committed before the connection dropped, its events
        are taken from the database rather than stored twice. Raises StoreUnavailable (the command
        stays pending) while the database is still unreachable.
        """
        command, expected = self._pending, self._pending_events
        if command is None:
            return []
        if self.store is not None and expected:
            try:
                stored = self.store.events(self.session_id, upto=expected[-1].seq)
            except StoreError as exc:
                raise StoreUnavailable(
                    f"{exc}. The move is still kept: it will be stored when the database is back"
                ) from exc
            if stored[len(self._events) :] == expected:
                self._pending, self._pending_events = None, []
                self._apply(expected, refold=True)
                return expected
        self._pending, self._pending_events = None, []
        return self.execute(command)

    def discard_pending(self) -> c.Command | None:
        """Drop the pending command (the user gave up on it); returns it."""
        command, self._pending, self._pending_events = self._pending, None, []
        return command

    def renew_lease(self) -> None:
        """Keep this instance's hold on the session while it sits open without commands (a timer)."""
        if self.store is not None and self._read_only is None:
            self.store.take_lease(self.session_id)

    def close(self) -> None:
        """Let other instances write the session (release the lease); the controller stays readable."""
        if self.store is not None and self._read_only is None:
            self.store.release_lease(self.session_id)

    def _apply(self, new_events: list[Event], *, refold: bool = False) -> None:
        """Take stored events into the log, then tell the listeners. The state is already advanced
        by decide() unless `refold` (events taken from the database) or the events undo some."""
        self._events.extend(new_events)
        self._last_cmd += 1
        if refold or refold_needed(new_events):
            self._state = fold(self.deck, self._events)
        for listener in list(self._listeners):
            listener(new_events, self._state)

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


def log_mismatch(stored: StoredSession) -> str | None:
    """Why the stored events are not the log the session's record describes (events deleted, or
    the record edited), or None when they are. Events are numbered from 1 without gaps."""
    count, last = len(stored.events), stored.events[-1].seq if stored.events else 0
    if count == stored.info.event_count and last == count:
        return None
    return (
        f"its stored events do not match its record ({stored.info.event_count} events recorded, "
        f"{count} stored, the last numbered {last}): events may have been deleted or the record "
        f"edited, so nothing more is written to it. "
        f"Check it with: wargame sessions verify {stored.info.id[:12]}"
    )
