"""Error types shared by every layer; each carries a message meant for a person."""

from __future__ import annotations


class WargameError(Exception):
    """Base of every error the app reports to a user (one line, no traceback)."""


class RuleError(WargameError):
    """A command the rules refuse (a move by a team that may not take that action...)."""


class DamagedEventError(WargameError):
    """A stored event whose data the fold cannot read (the database was edited by hand)."""


class StoreError(WargameError):
    """The database refused or failed; `written` says whether anything was stored."""

    def __init__(self, message: str, *, written: bool = False) -> None:
        super().__init__(message)
        self.written = written
