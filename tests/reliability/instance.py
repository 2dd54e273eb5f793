"""A second app instance for the two-process tests: a process that runs one session through the
controller, driven by lines on standard input, answering one JSON line per command.

    python -m tests.reliability.instance DB_URL
    create            -> {"session_id": ...}
    open ID           -> {"read_only": null | "message"}   (open for writing)
    note TEXT         -> {"stored": [seq, ...]} or {"error": "...", "type": "SessionBusy"}
    close             -> {"closed": true}                  (releases the lease)
"""

from __future__ import annotations

import json
import sys

from wargame.deck import load_deck_file
from wargame.engine import commands as c
from wargame.errors import WargameError
from wargame.session import SessionController
from wargame.store import Store

from .conftest import MINI, SETUP


def main(url: str) -> None:
    store = Store(url)
    session: SessionController | None = None
    for line in sys.stdin:
        word, _, rest = line.strip().partition(" ")
        answer: dict[str, object]
        try:
            if word == "create":
                session = SessionController.create(load_deck_file(MINI), SETUP, store)
                answer = {"session_id": session.session_id}
            elif word == "open":
                session = SessionController.open(store, rest, write=True)
                answer = {"read_only": session.read_only}
            elif word == "note" and session is not None:
                answer = {"stored": [event.seq for event in session.execute(c.AddNote(rest))]}
            elif word == "close" and session is not None:
                session.close()
                answer = {"closed": True}
            else:
                answer = {"error": f"unknown command {line!r}"}
        except WargameError as exc:
            answer = {"error": str(exc), "type": type(exc).__name__}
        print(json.dumps(answer), flush=True)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1])
