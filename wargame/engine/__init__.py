"""The game engine: pure Python. State is a fold over events; rules turn commands into events."""

from __future__ import annotations

from wargame.engine.events import Event
from wargame.engine.fold import active_events, apply, fold
from wargame.engine.rules import classify, decide, early_end_outcome
from wargame.engine.state import State, band_of, scores

__all__ = [
    "Event",
    "State",
    "active_events",
    "apply",
    "band_of",
    "classify",
    "decide",
    "early_end_outcome",
    "fold",
    "scores",
]
