"""The console's event log: rows kept up to date incrementally read as a full rebuild would."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from tests.conftest import MINI_DECK
from wargame.deck import load_deck_file
from wargame.engine import commands as c
from wargame.session import SessionController
from wargame.ui.event_log import EventLogPanel

TEAMS = tuple(c.TeamSetup(t, t.title(), (t,)) for t in ("red", "blue", "green"))


def rows_after_rebuild(session: SessionController) -> list[tuple[str, str, str]]:
    rebuilt = EventLogPanel(session.deck)
    rebuilt.model.rebuild(session.events, session.state)
    return rebuilt.model.rows


def logged_in_moves(
    qtbot: QtBot,
) -> tuple[SessionController, EventLogPanel, Callable[[c.Command], None]]:
    """A session in turn 1's moves phase, its event log, and a `run` that executes a command and
    updates the log, as the console does."""
    session = SessionController.create(load_deck_file(MINI_DECK), c.CreateSession(seed=4, teams=TEAMS), None)
    panel = EventLogPanel(session.deck)
    qtbot.addWidget(panel)

    def run(command: c.Command) -> None:
        session.execute(command)
        panel.update_from(session.events, session.state)

    while session.state.phase != "moves":
        run(c.Advance())
    return session, panel, run


def test_a_move_undone_before_the_reveal_stays_marked_undone(qtbot: QtBot) -> None:
    session, panel, run = logged_in_moves(qtbot)
    run(c.SubmitDecision("red", action="talk", rationale="first thought"))
    run(c.Undo())
    run(c.SubmitDecision("red", action="talk", rationale="second thought"))
    run(c.SubmitDecision("blue"))
    run(c.SubmitDecision("green"))
    run(c.Advance())  # reveal: the turn's moves are described again, shown now
    texts = [text for text, _, _ in panel.model.rows]
    assert any("first thought" in text and text.endswith("[undone]") for text in texts)
    assert any("second thought" in text and not text.endswith("[undone]") for text in texts)
    assert panel.model.rows == rows_after_rebuild(session)


def test_a_rename_names_the_team_anew_from_its_event_on(qtbot: QtBot) -> None:
    session, panel, run = logged_in_moves(qtbot)
    run(c.SubmitDecision("red", action="talk"))
    run(c.RenameTeam("red", "Crimson"))
    run(c.SubmitDecision("blue"))
    run(c.SubmitDecision("green"))
    run(c.Advance())  # the reveal describes red's move again: with the name it had then
    texts = [text.split("  ", 1)[1] for text, _, _ in panel.model.rows]
    assert "Red: Propose a channel" in texts and "Roster: Red renamed “Crimson”" in texts
    assert panel.model.rows == rows_after_rebuild(session)


def test_the_log_filters_by_team_and_kind(qtbot: QtBot) -> None:
    session = SessionController.create(load_deck_file(MINI_DECK), c.CreateSession(seed=4, teams=TEAMS), None)
    panel = EventLogPanel(session.deck)
    qtbot.addWidget(panel)
    while session.state.phase != "moves":
        session.execute(c.Advance())
    session.execute(c.SubmitDecision("red", action="talk"))
    session.execute(c.SubmitDecision("blue"))
    panel.update_from(session.events, session.state)
    panel.team_filter.setCurrentIndex(panel.team_filter.findData("red"))
    shown = [panel.proxy.index(row, 0).data() for row in range(panel.proxy.rowCount())]
    assert shown and all("Red" in text for text in shown)
    panel.team_filter.setCurrentIndex(0)
    panel.kind_filter.setCurrentIndex(panel.kind_filter.findData("Moves"))
    shown = [panel.proxy.index(row, 0).data() for row in range(panel.proxy.rowCount())]
    assert [text.split("  ", 1)[1] for text in shown] == ["Red: move recorded", "Blue: move recorded"]


def test_the_newest_event_stays_in_view_as_the_log_is_laid_out(qtbot: QtBot) -> None:
    session = SessionController.create(load_deck_file(MINI_DECK), c.CreateSession(seed=4, teams=TEAMS), None)
    for _ in range(12):
        session.execute(c.AddNote("a note"))
    panel = EventLogPanel(session.deck)
    qtbot.addWidget(panel)
    panel.update_from(session.events, session.state)  # filled before it is shown, as on reopening
    panel.resize(400, 120)
    panel.show()
    qtbot.waitExposed(panel)
    bar = panel.view.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == bar.maximum()
    bar.setValue(0)  # the facilitator scrolls up to read: a resize leaves the log there
    panel.resize(400, 100)
    qtbot.wait(10)
    assert bar.value() == 0
