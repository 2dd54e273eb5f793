"""Sessions: the controller every face of the app (GUI, command line, simulator) drives."""

from __future__ import annotations

from wargame.session.controller import SessionController

__all__ = ["SessionController"]
