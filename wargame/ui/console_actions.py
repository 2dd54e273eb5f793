"""The console's menu actions: the main window's Edit, Turn and Teams menus and its toolbar.

Built with the main window, before any session is open, so this module imports no engine and no
console: the commands and dialogs load when an action first runs on an open console.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from wargame.ui.icons import icon
from wargame.ui.qt import QtGui, QtWidgets, set_shortcut

if TYPE_CHECKING:
    from wargame.ui.console import ConsoleView


class ConsoleActions:
    """The console's menu actions with their shortcuts, enabled to match the session's state."""

    def __init__(self, window: QtWidgets.QMainWindow, view_getter: Callable[[], ConsoleView | None]) -> None:
        self.window = window
        self.view = view_getter
        key = QtGui.QKeySequence
        self.undo = self._action("&Undo", key.StandardKey.Undo, self._undo, "Undo the last action", "undo")
        self.redo = self._action("&Redo", key.StandardKey.Redo, self._redo, "Redo what was undone", "redo")
        self.next = self._action("&Next step", key("Ctrl+Return"), self._next, "The next step", "next")
        self.next.setShortcuts([key("Ctrl+Return"), key("Ctrl+Enter")])  # Enter of the keypad too
        self.timer = self._action("Start/pause &timer", key("Ctrl+T"), self._timer, "Phase timer", "start")
        self.minute = self._action(
            "Add a &minute", key("Ctrl+M"), self._minute, "One more minute", "add-minute"
        )
        self.inject = self._action("&Inject a card now…", key("Ctrl+I"), self._inject, "Any card", "inject")
        self.end = self._action(
            "&End the session now…", None, self._end, "Classify the session and end it", "end"
        )
        self.outcome = self._action(
            "Show the &outcome", None, self._outcome, "The outcome and debrief", "outcome"
        )
        self.add_player = self._action(
            "Add a &player…", None, self._add_player, "Add a player to a team", "team"
        )
        self.remove_player = self._action(
            "Remo&ve a player…", None, self._remove_player, "A player leaves a team", "team"
        )
        self.add_team = self._action(
            "Add a t&eam…", None, self._add_team, "A deck team joins the session", "team"
        )
        self.rename = self._action("&Rename a team…", None, self._rename, "Rename a team", "team")
        self.merge = self._action("&Merge teams…", None, self._merge, "Merge two teams into one", "team")
        self.remove = self._action("Remove a &team…", None, self._remove, "A team leaves the session", "team")
        self.session_actions = [
            self.undo, self.redo, self.next, self.timer, self.minute, self.inject, self.end, self.outcome,
            self.add_player, self.remove_player, self.add_team, self.rename, self.merge, self.remove,
        ]  # fmt: skip

    def _action(
        self, text: str, shortcut: QtGui.QKeySequence | QtGui.QKeySequence.StandardKey | None,
        slot: Callable[[], None], tip: str, icon_name: str,
    ) -> QtGui.QAction:  # fmt: skip
        action = QtGui.QAction(icon(icon_name), text, self.window)
        if shortcut is not None:
            set_shortcut(action, shortcut)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def update(self) -> None:
        view = self.view()
        for action in self.session_actions:
            action.setEnabled(view is not None)
        if view is None:
            return
        session = view.session
        undo_stack, redo_stack = session.undo_redo_stacks()
        self.undo.setEnabled(bool(undo_stack))
        self.redo.setEnabled(bool(redo_stack))
        running = session.state.started and not session.state.ended
        for action in (self.inject, self.end, self.timer, self.minute):
            action.setEnabled(running)
        self.outcome.setEnabled(session.state.ended)

    def _with_view(self, act: Callable[[ConsoleView], object]) -> None:
        view = self.view()
        if view is not None:
            act(view)

    def _undo(self) -> None:
        from wargame.engine import commands as c

        self._with_view(lambda view: view.run(c.Undo()))

    def _redo(self) -> None:
        from wargame.engine import commands as c

        self._with_view(lambda view: view.run(c.Redo()))

    def _next(self) -> None:
        self._with_view(lambda view: view.advance())

    def _timer(self) -> None:
        self._with_view(lambda view: view.timer.toggle())

    def _minute(self) -> None:
        self._with_view(lambda view: view.timer.add_minute())

    def _inject(self) -> None:
        self._with_view(lambda view: view.inject_card())

    def _outcome(self) -> None:
        self._with_view(lambda view: view.show_outcome())

    def _end(self) -> None:
        from wargame.engine import commands as c

        def end(view: ConsoleView) -> None:
            answer = QtWidgets.QMessageBox.question(
                self.window,
                "End the session",
                "End the session now and classify its outcome? (Undo can reopen it.)",
            )
            if answer == QtWidgets.QMessageBox.StandardButton.Yes:
                view.run(c.EndSession())

        self._with_view(end)

    def _team_names(self, view: ConsoleView) -> dict[str, str]:
        """The playing teams by the name to choose them by (with its id if two share a name)."""
        teams = view.session.state.active_teams()
        names = [team.name for team in teams]
        return {
            (team.name if names.count(team.name) == 1 else f"{team.name} ({team.id})"): team.id
            for team in teams
        }

    def _pick_team(self, view: ConsoleView, title: str) -> str | None:
        from wargame.ui import dialogs

        names = self._team_names(view)
        name = dialogs.ask_choice(self.window, title, "Team:", list(names))
        return names.get(name) if name else None

    def _add_player(self) -> None:
        from wargame.engine import commands as c
        from wargame.ui import dialogs

        def add(view: ConsoleView) -> None:
            team = self._pick_team(view, "Add a player")
            player = dialogs.ask_text(self.window, "Add a player", "Player's name:") if team else None
            if team and player:
                view.run(c.AddPlayer(team, player))

        self._with_view(add)

    def _remove_player(self) -> None:
        from wargame.engine import commands as c
        from wargame.ui import dialogs

        def remove(view: ConsoleView) -> None:
            with_players = {
                name: team_id
                for name, team_id in self._team_names(view).items()
                if view.session.state.teams[team_id].players
            }
            if not with_players:
                view.error_handler("No team has a player named.")
                return
            name = dialogs.ask_choice(self.window, "Remove a player", "Team:", list(with_players))
            team = with_players.get(name) if name else None
            players = view.session.state.teams[team].players if team else []
            player = (
                dialogs.ask_choice(self.window, "Remove a player", "Player:", list(players)) if team else None
            )
            if team and player:
                view.run(c.RemovePlayer(team, player))

        self._with_view(remove)

    def _add_team(self) -> None:
        from wargame.engine import commands as c
        from wargame.ui import dialogs

        def add(view: ConsoleView) -> None:
            state, deck = view.session.state, view.session.deck
            playing = {member for team in state.active_teams() for member in team.members}
            free = {team.name: team for team in deck.teams if team.id not in playing}
            if not free:
                view.error_handler("Every team of the deck is already playing.")
                return
            name = dialogs.ask_choice(self.window, "Add a team", "Deck team to add:", list(free))
            if name:
                team = free[name]
                new_id = team.id if team.id not in state.teams else f"{team.id}_{len(state.teams) + 1}"
                view.run(c.AddTeam(c.TeamSetup(new_id, team.name, (team.id,))))

        self._with_view(add)

    def _rename(self) -> None:
        from wargame.engine import commands as c
        from wargame.ui import dialogs

        def rename(view: ConsoleView) -> None:
            team = self._pick_team(view, "Rename a team")
            name = dialogs.ask_text(self.window, "Rename a team", "New name:") if team else None
            if team and name:
                view.run(c.RenameTeam(team, name))

        self._with_view(rename)

    def _merge(self) -> None:
        from wargame.engine import commands as c
        from wargame.ui import dialogs

        def merge(view: ConsoleView) -> None:
            first = self._pick_team(view, "Merge teams: the first team")
            second = self._pick_team(view, "Merge teams: the second team") if first else None
            name = (
                dialogs.ask_text(self.window, "Merge teams", "Name of the merged team:") if second else None
            )
            if first and second and name:
                into = "_".join(sorted({first, second}))[:60]
                view.run(c.MergeTeams((first, second), into, name))

        self._with_view(merge)

    def _remove(self) -> None:
        from wargame.engine import commands as c

        def remove(view: ConsoleView) -> None:
            team = self._pick_team(view, "Remove a team")
            if team:
                view.run(c.RemoveTeam(team))

        self._with_view(remove)
