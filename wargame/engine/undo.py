"""The undo and redo stacks of a log, kept up to date as the log grows.

A console asks after every command, on logs of 10,000 events, so the controller keeps one
`UndoStacks` and feeds it each new event once. A log is append-only, so feeding it its events as
they come gives the same stacks as reading it whole (`rules.undo_redo_stacks`).
"""

from __future__ import annotations

from collections.abc import Iterable

from wargame.engine import events as ev
from wargame.engine.events import Event


class UndoStacks:
    """Command numbers that Undo and Redo would act on next (top of each stack last)."""

    def __init__(self, log: Iterable[Event] = ()) -> None:
        self.undo: list[int] = []
        self.redo: list[int] = []
        self.length = 0  # events fed so far
        self._cmd_at: dict[int, int] = {}  # seq -> cmd
        self._first: dict[int, Event] = {}  # cmd -> the first event of that command
        self.feed(log)

    def feed(self, events: Iterable[Event]) -> None:
        """Take the events appended to the log since the last call."""
        for event in events:
            self.length += 1
            self._cmd_at[event.seq] = event.cmd
            if event.cmd in self._first:
                continue  # only the first event of a command says what the command was
            self._first[event.cmd] = event
            self._take_command(event)

    def _take_command(self, first: Event) -> None:
        if first.kind == ev.SESSION_CREATED:
            return
        if first.kind != ev.UNDONE:
            self.undo.append(first.cmd)
            self.redo.clear()
            return
        target_cmd = self._cmd_at[int(first.data["target"])]
        if target_cmd in self.undo:
            self.undo.remove(target_cmd)
            self.redo.append(first.cmd)
        elif target_cmd in self.redo:  # a redo: undoing an undo brings back the command it undid
            self.redo.remove(target_cmd)
            self.undo.append(self._cmd_at[int(self._first[target_cmd].data["target"])])

    def stacks(self) -> tuple[list[int], list[int]]:
        return list(self.undo), list(self.redo)
