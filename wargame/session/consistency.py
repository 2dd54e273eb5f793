"""Whether a session's summary row agrees with its events.

The events and the deck text are hash-chained; the summary row (outcome, status, class label…)
is not, and is what the lists show. It must be what the fold of the events says.
"""

from __future__ import annotations

from collections.abc import Sequence

from wargame.deck import DeckError, load_deck_text
from wargame.engine.events import Event
from wargame.engine.fold import fold
from wargame.store import SessionInfo


def summary_disagreement(info: SessionInfo, deck_text: str, events: Sequence[Event]) -> str | None:
    """The first field of the summary that its deck text and events contradict, in words (None:
    none does)."""
    try:
        deck = load_deck_text(deck_text, f"the deck of session {info.id}").deck
    except DeckError as exc:
        return f"its deck does not load ({exc.problems[0]})"
    state = fold(deck, events)
    derived = {
        "deck_id": deck.id,
        "deck_title": deck.title,
        "deck_version": deck.version,
        "seed": state.seed,
        "class_label": state.class_label,
        "facilitator": state.facilitator,
        "status": "ended" if state.ended else "running",
        "current_turn": state.turn,
        "outcome": state.outcome,
        "event_count": len(events),
    }
    for field, value in derived.items():
        recorded = getattr(info, field)
        if recorded != value:
            return f"its summary says {field} {recorded!r} where its events say {value!r}"
    return None
