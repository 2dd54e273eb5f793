"""Move scripts: a whole session's moves in YAML, played headless (`wargame play`).

    seed: 7
    teams: [latvia, russia]
    turns:
      - inject: [card_id]
        moves:
          latvia: {action: action_id, target: russia, rationale: "..."}
          russia: {free_text: "...", rationale: "..."}
        adjudications:
          - {team: russia, delta: 10, reason: "..."}

A team left out of a turn's moves passes, as does a move with only a rationale (and prediction);
any other move needs action or free_text. A script is checked
against the deck before anything is stored; every problem is reported as `FILE:LINE:COLUMN:
message`, including rule errors found by a dry run of the whole script.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from wargame.deck import Deck, DeckError, LoadedDeck, Problem
from wargame.deck.loader import utf8_text
from wargame.deck.located_yaml import Located, LocatedYamlError, Path, load_located
from wargame.deck.models import EXPONENT, EXPONENT_AS_TEXT
from wargame.engine import commands as c
from wargame.engine.rules import injected_this_turn
from wargame.errors import RuleError, WargameError
from wargame.session.controller import SessionController
from wargame.store import Store

MOVE_KEYS = {"action", "free_text", "target", "rationale", "predict"}
TO_PASS = "to pass, leave the team out of the turn's moves, or give only a rationale"
EMPTY_MOVE = f"a move needs action or free_text ({TO_PASS})"


class ScriptError(DeckError):
    """A move script that cannot be played; carries located problems like a deck error."""


@dataclass(frozen=True)
class ScriptMove:
    team: str
    command: c.SubmitDecision
    where: Problem


@dataclass(frozen=True)
class ScriptAdjudication:
    team: str
    delta: float
    reason: str
    where: Problem


@dataclass(frozen=True)
class ScriptTurn:
    inject: tuple[tuple[str, Problem], ...] = ()
    moves: tuple[ScriptMove, ...] = ()
    adjudications: tuple[ScriptAdjudication, ...] = ()


@dataclass(frozen=True)
class MoveScript:
    file: str
    seed: int
    teams: tuple[c.TeamSetup, ...]
    turns: tuple[ScriptTurn, ...] = field(default_factory=tuple)


def load_script(path: str | FsPath, deck: Deck) -> MoveScript:
    """Read and check a move script against a deck (structure and names, not yet the rules)."""
    file = str(path)
    try:
        raw = FsPath(path).read_bytes()
    except FileNotFoundError:
        raise ScriptError([Problem(file, 1, 1, "no such file")]) from None
    except OSError as exc:
        raise ScriptError(
            [Problem(file, 1, 1, f"cannot read the move script: {exc.strerror or exc}")]
        ) from None
    try:
        located = load_located(utf8_text(raw, file), file)
    except DeckError as exc:  # (not UTF-8)
        raise ScriptError(exc.problems) from None
    except LocatedYamlError as exc:
        raise ScriptError(exc.problems) from None
    reader = _ScriptReader(located, deck)
    script = reader.read()
    if reader.problems or script is None:
        raise ScriptError(reader.problems)
    return script


class _ScriptReader:
    def __init__(self, located: Located, deck: Deck) -> None:
        self.located, self.deck = located, deck
        self.problems: list[Problem] = list(located.problems)
        self.card_ids = {card.id for card in deck.cards}
        self.action_ids = {action.id for action in deck.actions}

    def add(self, path: Path, message: str, *, at_key: bool = False) -> None:
        self.problems.append(self.located.problem(path, message, at_key=at_key))

    def read(self) -> MoveScript | None:
        data = self.located.data
        if not isinstance(data, dict):
            self.add((), "a move script is a mapping with 'turns' (and optionally 'seed' and 'teams')")
            return None
        for key in data:
            if key not in ("seed", "teams", "turns"):
                self.add((key,), f"unknown field '{key}' (expected seed, teams, turns)", at_key=True)
        seed = data.get("seed", 0)
        if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
            self.add(("seed",), f"seed must be a whole number from 0, not {seed!r}")
            seed = 0
        teams = self.read_teams(data.get("teams"))
        playing = None if teams is None else {team.id for team in teams}
        raw_turns = data.get("turns", [])
        if not isinstance(raw_turns, list):
            self.add(("turns",), "turns must be a list of turns")
            raw_turns = []
        if len(raw_turns) > self.deck.turns.count:
            self.add(("turns", self.deck.turns.count), f"the deck has only {self.deck.turns.count} turns")
        turns = tuple(self.read_turn(index, raw, playing) for index, raw in enumerate(raw_turns))
        return MoveScript(self.located.file, seed, teams or (), turns)

    def read_teams(self, raw: Any) -> tuple[c.TeamSetup, ...] | None:
        """The teams that play; None when `teams` is not a list of them at all (then who plays is
        unknown, and the teams named in the turns are not checked: one problem, not one per name)."""
        if raw is None:
            return tuple(c.TeamSetup(team.id, team.name, (team.id,)) for team in self.deck.teams)
        if not isinstance(raw, list) or not raw:
            self.add(("teams",), "teams must be a list of team (or grouping) ids")
            return None
        teams: list[c.TeamSetup] = []
        groupings = {grouping.id: grouping for grouping in self.deck.groupings}
        deck_teams = {team.id: team for team in self.deck.teams}
        played_by: dict[str, str] = {}  # deck team -> the entry of `teams` that plays it
        for index, team_id in enumerate(raw):
            if not isinstance(team_id, str):
                self.add(("teams", index), f"a team is given by its id, not {team_id!r}")
                continue
            if team_id in deck_teams:
                setup = c.TeamSetup(team_id, deck_teams[team_id].name, (team_id,))
            elif team_id in groupings:
                grouping = groupings[team_id]
                setup = c.TeamSetup(team_id, grouping.name, grouping.members)
            else:
                known = ", ".join([*deck_teams, *groupings])
                self.add(("teams", index), f"unknown team '{team_id}' (teams and groupings: {known})")
                continue
            if team_id in (team.id for team in teams):
                self.add(("teams", index), f"team '{team_id}' is listed twice")
                continue
            twice = [member for member in setup.members if member in played_by]
            if twice:
                self.add(
                    ("teams", index), f"team '{twice[0]}' is played twice (also by '{played_by[twice[0]]}')"
                )
                continue
            played_by.update((member, team_id) for member in setup.members)
            teams.append(setup)
        return tuple(teams)

    def read_turn(self, index: int, raw: Any, playing: set[str] | None) -> ScriptTurn:
        path: Path = ("turns", index)
        if raw is None:
            return ScriptTurn()
        if not isinstance(raw, dict):
            self.add(path, "a turn is a mapping with inject, moves and adjudications")
            return ScriptTurn()
        for key in raw:
            if key not in ("inject", "moves", "adjudications"):
                self.add(
                    (*path, key),
                    f"unknown field '{key}' (expected inject, moves, adjudications)",
                    at_key=True,
                )
        inject: list[tuple[str, Problem]] = []
        for card_index, card in enumerate(self.as_list(raw.get("inject"), (*path, "inject"))):
            card_path = (*path, "inject", card_index)
            if not isinstance(card, str):
                self.add(card_path, f"a card is given by its id, not {card!r}")
                continue
            if card not in self.card_ids:
                self.add(card_path, f"unknown card '{card}'")
            elif any(card == listed for listed, _ in inject):
                self.add(card_path, f"the card '{card}' is listed twice in this turn")
            inject.append((str(card), self.located.problem(card_path, "")))
        moves: list[ScriptMove] = []
        raw_moves = raw.get("moves") or {}
        if not isinstance(raw_moves, dict):
            self.add((*path, "moves"), "moves map each team id to its move (or list of moves)")
            raw_moves = {}
        for team, team_moves in raw_moves.items():
            team_path = (*path, "moves", team)
            if playing is not None and team not in playing:
                self.add(
                    team_path, f"unknown team '{team}' (playing: {', '.join(sorted(playing))})", at_key=True
                )
                continue
            if team_moves == []:
                self.add(team_path, f"a list of moves needs at least one move ({TO_PASS})")
                continue
            items = team_moves if isinstance(team_moves, list) else [team_moves]
            for move_index, move in enumerate(items):
                move_path = (*team_path, move_index) if isinstance(team_moves, list) else team_path
                parsed = self.read_move(move_path, str(team), move)
                if parsed is not None:
                    moves.append(parsed)
        adjudications = [
            adjudication
            for adj_index, raw_adj in enumerate(
                self.as_list(raw.get("adjudications"), (*path, "adjudications"))
            )
            if (adjudication := self.read_adjudication((*path, "adjudications", adj_index), raw_adj, playing))
        ]
        return ScriptTurn(tuple(inject), tuple(moves), tuple(adjudications))

    def as_list(self, raw: Any, path: Path) -> list[Any]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.add(path, "expected a list")
            return []
        return raw

    def read_move(self, path: Path, team: str, raw: Any) -> ScriptMove | None:
        if raw is None:  # `red:` with nothing after it
            self.add(path, EMPTY_MOVE, at_key=True)
            return None
        if not isinstance(raw, dict):
            self.add(
                path, "a move is a mapping: {action: ..., target: ..., rationale: ...} or {free_text: ...}"
            )
            return None
        ok = True
        for key, value in raw.items():
            if key not in MOVE_KEYS:
                self.add(
                    (*path, key),
                    f"unknown field '{key}' (expected {', '.join(sorted(MOVE_KEYS))})",
                    at_key=True,
                )
                ok = False
            elif value is not None and not isinstance(value, str):
                self.add((*path, key), f"{key} must be text, not {value!r}")
                ok = False
        action = raw.get("action")
        if isinstance(action, str) and action not in self.action_ids:
            self.add((*path, "action"), f"unknown action '{action}'")
            ok = False
        if ok and action is None and raw.get("free_text") is None:
            if raw.get("target") is not None:
                self.add((*path, "target"), f"a target needs an action ({TO_PASS})", at_key=True)
                ok = False
            elif not raw.get("rationale") and not raw.get("predict"):  # a pass says why, or is left out
                self.add(path, EMPTY_MOVE)
                ok = False
        if not ok:
            return None
        command = c.SubmitDecision(
            team=team,
            action=action,
            free_text=raw.get("free_text"),
            target=raw.get("target"),
            rationale=raw.get("rationale") or "",
            predict=raw.get("predict") or "",
        )
        return ScriptMove(team, command, self.located.problem(path, ""))

    def read_adjudication(self, path: Path, raw: Any, playing: set[str] | None) -> ScriptAdjudication | None:
        if not isinstance(raw, dict):
            self.add(path, "an adjudication is a mapping: {team: ..., delta: ..., reason: ...}")
            return None
        for key in raw:
            if key not in ("team", "delta", "reason"):
                self.add((*path, key), f"unknown field '{key}' (expected team, delta, reason)", at_key=True)
        team, delta, reason = raw.get("team"), raw.get("delta"), raw.get("reason")
        if not isinstance(team, str) or (playing is not None and team not in playing):
            self.add((*path, "team"), f"unknown team '{team}'")
            return None
        if isinstance(delta, str) and EXPONENT.fullmatch(delta.strip()):
            self.add((*path, "delta"), f"delta: {EXPONENT_AS_TEXT.format(value=delta.strip())}")
            return None
        if not isinstance(delta, int | float) or isinstance(delta, bool):
            self.add((*path, "delta"), f"delta must be a number, not {delta!r}")
            return None
        if not isinstance(reason, str) or not reason.strip():
            self.add((*path, "reason"), "an adjudication needs a written reason")
            return None
        return ScriptAdjudication(str(team), float(delta), reason, self.located.problem(path, ""))


EventSink = Callable[[SessionController, list[Any]], None]


def play_script(
    loaded: LoadedDeck, script: MoveScript, store: Store | None, *, on_events: EventSink | None = None
) -> SessionController:
    """Play a script to the end of the session. A rule the script breaks raises ScriptError at its line."""
    setup = c.CreateSession(seed=script.seed, teams=script.teams)
    try:
        session = SessionController.create(loaded, setup, store)
    except RuleError as exc:
        raise ScriptError([Problem(script.file, 1, 1, str(exc))]) from None
    if on_events is not None:
        session.add_listener(lambda events, _state: on_events(session, list(events)))
        on_events(session, session.events)
    for turn_index in range(session.state.turn_count):
        if session.state.ended:
            break
        turn = script.turns[turn_index] if turn_index < len(script.turns) else ScriptTurn()
        _play_turn(session, turn, script.file)
    return session


def _play_turn(session: SessionController, turn: ScriptTurn, file: str) -> None:
    if not session.state.started:
        session.execute(c.Advance())
    for card, where in turn.inject:
        if not injected_this_turn(session.state, card):  # already out (scheduled): forced once
            _run(session, c.InjectCard(card), where)
    while session.state.phase != "moves":
        session.execute(c.Advance())
    for move in turn.moves:
        _run(session, move.command, move.where)
    moved = {move.team for move in turn.moves}
    for team in session.state.active_teams():
        if team.id not in moved:
            session.execute(c.SubmitDecision(team=team.id))
    this_turn = session.state.turn
    session.execute(c.Advance())
    while "adjudication" in session.deck.phase_ids and session.state.phase != "adjudication":
        session.execute(c.Advance())
    for adjudication in turn.adjudications:
        command = c.Adjudicate(adjudication.team, adjudication.delta, adjudication.reason)
        _run(session, command, adjudication.where)
    while _in_turn(session, this_turn):  # (moves may be the last phase: then the reveal ended it)
        session.execute(c.Advance())


def _in_turn(session: SessionController, turn: int) -> bool:
    """Whether the session is still in `turn` (the last phase's Advance ends it)."""
    return not session.state.ended and session.state.turn == turn


def _run(session: SessionController, command: c.Command, where: Problem) -> None:
    try:
        session.execute(command)
    except RuleError as exc:
        raise ScriptError([Problem(where.file, where.line, where.column, str(exc))]) from None


def check_script(loaded: LoadedDeck, script: MoveScript) -> None:
    """Play the script without storing anything: raises ScriptError where a rule is broken."""
    play_script(loaded, script, None)


__all__ = ["MoveScript", "ScriptError", "WargameError", "check_script", "load_script", "play_script"]
