"""The interim main window: the list of stored sessions and the selected session's timeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.conftest import MINI_DECK
from wargame.deck import load_deck_file
from wargame.engine import commands as c
from wargame.session import SessionController
from wargame.store import Store
from wargame.ui.session_list import SessionListWindow


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'ui.sqlite3'}")


def _played_session(store: Store, class_label: str) -> SessionController:
    loaded = load_deck_file(MINI_DECK)
    teams = (c.TeamSetup("red", "Red", ("red",)), c.TeamSetup("blue", "Blue", ("blue",)))
    session = SessionController.create(
        loaded, c.CreateSession(seed=3, teams=teams, class_label=class_label), store
    )
    while session.state.phase != "moves":
        session.execute(c.Advance())
    session.execute(c.SubmitDecision("red", action="talk", rationale="open a line"))
    session.execute(c.SubmitDecision("blue", action="posture", target="red"))
    return session


def test_lists_sessions_and_shows_a_timeline(qtbot: QtBot, store: Store) -> None:
    first = _played_session(store, "IR 101")
    second = _played_session(store, "IR 202")
    window = SessionListWindow(store)
    qtbot.addWidget(window)
    window.show()

    assert window.model.rowCount() == 2
    labels = {window.model.index(row, 2).data() for row in range(2)}
    assert labels == {"IR 101", "IR 202"}
    assert window.empty_label.isHidden()

    row = next(r for r in range(2) if window.model.session_at(r).id == first.session_id)
    window.table.selectRow(row)
    text = window.timeline.toPlainText()
    assert "Session created: Mini crisis" in text
    assert "Drones over the harbour" in text
    # The turn is not revealed yet: the timeline says a move was made, never which.
    assert "red: move recorded" in text
    assert "Propose a channel" not in text

    first.execute(c.Advance())  # reveal
    window.table.clearSelection()
    window.table.selectRow(row)
    assert "red: Propose a channel (rationale: open a line)" in window.timeline.toPlainText()
    assert second.session_id != first.session_id


def test_refresh_picks_up_new_sessions(qtbot: QtBot, store: Store) -> None:
    window = SessionListWindow(store)
    qtbot.addWidget(window)
    assert window.model.rowCount() == 0
    assert not window.empty_label.isHidden()
    _played_session(store, "late class")
    window.refresh_action.trigger()
    assert window.model.rowCount() == 1
    assert "1 session(s)" in window.statusBar().currentMessage()
