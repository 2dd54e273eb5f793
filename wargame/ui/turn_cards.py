"""Which of the turn's inject cards the screens show: one turn may bring several.

The console steps through them and the shared screen shows the same card, so the class reads
each one in turn. The first card of a new turn is shown first; a card injected during the turn is
shown as it comes.
"""

from __future__ import annotations

from wargame.engine.state import Injection, State
from wargame.ui.qt import QtCore


def turn_injections(state: State) -> tuple[Injection, ...]:
    """The current turn's cards in the order they came; before a turn has any, the last card of
    an earlier turn (still what the room last read)."""
    this_turn = tuple(injection for injection in state.injections if injection.turn == state.turn)
    return this_turn or tuple(state.injections[-1:])


class TurnCards(QtCore.QObject):
    """The turn's cards and the one shown. Signals: `changed` when either changes."""

    changed = QtCore.Signal()

    def __init__(self, parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self.injections: tuple[Injection, ...] = ()
        self.position = 0

    @property
    def current(self) -> Injection | None:
        return self.injections[self.position] if self.injections else None

    @property
    def count(self) -> int:
        return len(self.injections)

    def update_from(self, state: State) -> None:
        cards = turn_injections(state)
        if cards == self.injections:
            return
        before = self.injections
        if cards[: len(before)] == before:  # new cards came (or a new turn after none): the first new one
            self.position = len(before)
        elif before[: len(cards)] == cards:  # cards undone: stay, or on the last one left
            self.position = min(self.position, len(cards) - 1)
        else:
            self.position = 0
        self.injections = cards
        self.position = max(0, min(self.position, len(cards) - 1))
        self.changed.emit()

    def step(self, delta: int) -> None:
        """Show the previous (-1) or next (+1) card of the turn."""
        position = max(0, min(self.position + delta, len(self.injections) - 1))
        if position != self.position:
            self.position = position
            self.changed.emit()
