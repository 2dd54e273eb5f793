"""Properties of the engine over random command sequences on the mini deck (hypothesis).

Each example creates a session and runs a random list of commands through `decide`, the way a
controller does; commands the rules refuse are skipped (and must leave the state untouched).
Then: the fold of the log is the state kept along the way, a fold of any prefix is the state that
was current then, a command followed by Undo changes nothing, the index and the numeric tracks
stay in bounds, the same seed and commands give the same events, and events are numbered 1..n.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engine.conftest import SOLO_TEAMS, load_mini, mini_variant
from wargame.deck import Deck
from wargame.engine import commands as c
from wargame.engine.events import Event
from wargame.engine.fold import fold
from wargame.engine.rules import decide, refold_needed, undo_redo_stacks
from wargame.engine.state import State
from wargame.engine.undo import UndoStacks
from wargame.errors import RuleError

DECK = load_mini()
# The mini deck with tight bounds (index 0..45, alarm 0..4), so that clamping happens often.
TIGHT = mini_variant(
    ("  max: 100\n", "  max: 45\n"),
    ("{id: crisis, label: Crisis, from: 60}", "{id: crisis, label: Crisis, from: 40}"),
    ("max: 10, start: 2}", "max: 4, start: 2}"),
    ("alarm >= 5", "alarm >= 4"),
)

PROPERTY_SETTINGS = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Commands are drawn as specs resolved against the state when they run: a team given as a number
# picks among the session's teams (active ones first), so most moves and passes are valid; names
# given as text are taken as they are (a few are invalid on purpose, so refusals happen too).
TeamRef = int | str
ACTIONS = [None, None, "talk", "accept", "posture", "strike", "dance"]
TARGETS: list[TeamRef | None] = [None, None, 0, 1, 2, "harbour", "nowhere", "", "allies"]
CARDS = [card.id for card in DECK.cards] + ["nope"]
PLAYERS = ["Ann", "Bob", " "]

SETUPS = [
    SOLO_TEAMS,
    (c.TeamSetup("red", "Red", ("red",)), c.TeamSetup("allies", "Allies", ("blue", "green"))),
    (c.TeamSetup("red", "Red", ("red",)), c.TeamSetup("blue", "Blue", ("blue",))),
    (c.TeamSetup("green", "Green", ("green",), players=("Ann",)),),
]


@dataclass(frozen=True)
class Spec:
    """A command with team references still to resolve against the state."""

    kind: type
    args: dict[str, Any]


@dataclass(frozen=True)
class PassMissing:
    """A pass for the first active team that has not moved this turn (keeps reveals reachable)."""


def team_of(state: State, ref: TeamRef) -> str:
    if isinstance(ref, str):
        return ref
    ids = [team.id for team in state.active_teams()] + list(state.teams)
    return ids[ref % len(ids)] if ids else "red"


def resolve(state: State, spec: Spec | PassMissing | c.Command) -> c.Command:
    if isinstance(spec, PassMissing):
        missing = [t.id for t in state.active_teams() if t.id not in state.submitted_teams()]
        return c.SubmitDecision(team=missing[0] if missing else team_of(state, 0))
    if not isinstance(spec, Spec):
        return spec
    args = dict(spec.args)
    for key in ("team", "target"):
        if isinstance(args.get(key), int):
            args[key] = team_of(state, args[key])
    if "teams" in args:
        args["teams"] = tuple(team_of(state, ref) for ref in args["teams"])
    if isinstance(args.get("decision_seq"), int) and args["decision_seq"] >= 0:
        decisions = state.decisions or []
        args["decision_seq"] = decisions[args["decision_seq"] % len(decisions)].seq if decisions else None
    return spec.kind(**args)


def spec(kind: type, **args: st.SearchStrategy[Any]) -> st.SearchStrategy[Spec]:
    return st.fixed_dictionaries(args).map(lambda drawn: Spec(kind, drawn))


team_ref = st.one_of(st.integers(0, 5), st.integers(0, 5), st.sampled_from(["purple", "allies", "merged"]))

submit = spec(
    c.SubmitDecision,
    team=team_ref,
    action=st.sampled_from(ACTIONS),
    target=st.sampled_from(TARGETS),
    free_text=st.sampled_from([None, None, None, None, "We negotiate", ""]),
)
pass_ = st.one_of(*[st.just(PassMissing())] * 3, spec(c.SubmitDecision, team=team_ref))
advance = st.just(c.Advance())
inject = st.builds(c.InjectCard, card=st.sampled_from(CARDS))
adjudicate = spec(
    c.Adjudicate,
    team=team_ref,
    delta=st.one_of(
        st.integers(-60, 60),
        st.floats(-200, 200, allow_nan=False, allow_infinity=False),
        st.sampled_from([float("nan"), float("inf")]),
    ),
    reason=st.sampled_from(["because", "because", "", "  "]),
    decision_seq=st.one_of(st.none(), st.integers(0, 10), st.just(-999)),
)
note = spec(c.AddNote, text=st.sampled_from(["a note", " "]), team=st.one_of(st.none(), team_ref))
roster = st.one_of(
    spec(c.AddPlayer, team=team_ref, player=st.sampled_from(PLAYERS)),
    spec(c.RemovePlayer, team=team_ref, player=st.sampled_from(PLAYERS)),
    spec(c.RenameTeam, team=team_ref, name=st.sampled_from(["New name", ""])),
    st.builds(
        c.AddTeam,
        team=st.builds(
            c.TeamSetup,
            id=st.sampled_from(["red", "green", "newcomers", "allies"]),
            name=st.just("Newcomers"),
            members=st.sampled_from([("red",), ("green",), ("blue",), ("blue", "green"), ("purple",), ()]),
        ),
    ),
    spec(c.RemoveTeam, team=team_ref),
    spec(
        c.MergeTeams,
        teams=st.lists(team_ref, min_size=1, max_size=3).map(tuple),
        into=st.sampled_from(["merged", "allies", "red"]),
        name=st.sampled_from(["Merged", "Merged", ""]),
    ),
)
undo = st.just(c.Undo())
redo = st.just(c.Redo())
end = st.just(c.EndSession())

# Weighted: advancing and moving are the common commands; ending is rare so runs get far.
WEIGHTED: list[tuple[int, st.SearchStrategy[Any]]] = [
    (12, advance),
    (10, pass_),
    (5, submit),
    (1, inject),
    (3, adjudicate),
    (1, note),
    (3, roster),
    (2, undo),
    (1, redo),
    (1, end),
]
command = st.sampled_from([strategy for weight, strategy in WEIGHTED for _ in range(weight)]).flatmap(
    lambda strategy: strategy
)

scenario = st.fixed_dictionaries(
    {
        "deck": st.sampled_from([DECK, TIGHT]),
        "seed": st.integers(0, 2**32),
        "setup": st.sampled_from(SETUPS),
        "commands": st.lists(command, min_size=30, max_size=150),
    }
)


@dataclass
class Run:
    """What running a scenario left: the log, and the state after each accepted command."""

    log: list[Event] = field(default_factory=list)
    state: State = field(default_factory=State)
    # (number of events in the log, the state then) after the creation and each accepted command
    checkpoints: list[tuple[int, State]] = field(default_factory=list)
    accepted: list[c.Command] = field(default_factory=list)


def next_cmd(log: list[Event]) -> int:
    return len({event.cmd for event in log}) + 1


def step(deck: Deck, state: State, log: list[Event], command: c.Command) -> tuple[State, list[Event]]:
    """Decide a command; the new state (refolded after undo/redo) and the events."""
    new = decide(deck, state, log, command, cmd=next_cmd(log))
    if refold_needed(new):
        state = fold(deck, [*log, *new])
    return state, new


def check_bounds(deck: Deck, state: State) -> None:
    low, high = deck.escalation.min, deck.escalation.max
    assert low is None or state.index >= low, state.index
    assert high is None or state.index <= high, state.index
    for track in deck.tracks:
        value = state.tracks[track.id]
        if track.is_choice:
            assert value in (track.values or ()), (track.id, value)
            continue
        assert isinstance(value, int | float), (track.id, value)
        assert track.min is None or value >= track.min, (track.id, value)
        assert track.max is None or value <= track.max, (track.id, value)
    for point in state.history:
        assert low is None or point.index >= low
        assert high is None or point.index <= high


def check_decisions_by_turn(state: State) -> None:
    """The state's decisions by turn are its decisions, filtered, in order, sharing the objects."""
    for turn in {d.turn for d in state.decisions} | {state.turn, 0}:
        expected = [d for d in state.decisions if d.turn == turn]
        assert state.decisions_in_turn(turn) == expected
        assert all(a is b for a, b in zip(state.decisions_in_turn(turn), expected, strict=True))
        for team in state.teams:
            assert state.decisions_in_turn(turn, team) == [d for d in expected if d.team == team]
    assert state.submitted_teams() == {d.team for d in state.decisions if d.turn == state.turn}


def play(deck: Deck, seed: int, setup: tuple[c.TeamSetup, ...], commands: list[Any]) -> Run:
    """Run the scenario, checking along the way that refusals change nothing.

    Undo and Redo are also checked against a reference model: two stacks of states, where every
    other accepted command pushes the state before it on `done` and clears `undone`.
    """
    run = Run()
    run.state, created = step(deck, run.state, run.log, c.CreateSession(seed=seed, teams=setup))
    run.log.extend(created)
    run.checkpoints.append((len(run.log), copy.deepcopy(run.state)))
    done: list[State] = []
    undone: list[State] = []
    tracker = UndoStacks(run.log)
    for item in commands:
        command = resolve(run.state, item)
        before = copy.deepcopy(run.state)
        try:
            run.state, new = step(deck, run.state, run.log, command)
        except RuleError:
            assert run.state == before, f"{command!r} was refused but changed the state"
            if isinstance(command, c.Undo):
                assert not done, "Undo was refused with something to undo"
            if isinstance(command, c.Redo):
                assert not undone, "Redo was refused with something to redo"
            continue
        assert new, f"{command!r} was accepted but caused no event"
        run.log.extend(new)
        if isinstance(command, c.Undo):
            assert done, "Undo was accepted with nothing to undo"
            assert run.state == done.pop()
            undone.append(before)
        elif isinstance(command, c.Redo):
            assert undone, "Redo was accepted with nothing to redo"
            assert run.state == undone.pop()
            done.append(before)
        else:
            done.append(before)
            undone.clear()
        assert [bool(stack) for stack in undo_redo_stacks(run.log)] == [bool(done), bool(undone)]
        tracker.feed(new)  # fed as the log grows, it agrees with a reading of the whole log
        assert tracker.stacks() == undo_redo_stacks(run.log)
        assert tracker.length == len(run.log)
        run.accepted.append(command)
        run.checkpoints.append((len(run.log), copy.deepcopy(run.state)))
    return run


@PROPERTY_SETTINGS
@given(scenario)
def test_fold_is_the_incremental_state_and_prefixes_fold_to_past_states(case: dict) -> None:
    deck = case["deck"]
    run = play(deck, case["seed"], case["setup"], case["commands"])
    # (f) events are numbered 1..n without gaps
    assert [e.seq for e in run.log] == list(range(1, len(run.log) + 1))
    # command numbers never go down, and each accepted command has its own
    cmds = [e.cmd for e in run.log]
    assert cmds == sorted(cmds)
    assert len(set(cmds)) == len(run.accepted) + 1
    # (a) the fold of the whole log is the state maintained incrementally
    assert fold(deck, run.log) == run.state
    # (b) the fold of each prefix is the state that was current after that prefix
    for length, state in run.checkpoints:
        folded = fold(deck, run.log[:length])
        assert folded == state
        # (d) the index and the numeric tracks stay in bounds
        check_bounds(deck, folded)
        check_decisions_by_turn(folded)
    # the events survive a JSON round trip (as the store keeps them)
    restored = [Event.from_dict(json.loads(json.dumps(e.to_dict()))) for e in run.log]
    assert fold(deck, restored) == run.state


@PROPERTY_SETTINGS
@given(scenario, command)
def test_a_command_then_undo_restores_the_state(case: dict, extra_spec: Any) -> None:
    """(c) From any reachable state, a command followed by Undo gives the state before it."""
    deck = case["deck"]
    run = play(deck, case["seed"], case["setup"], case["commands"])
    extra = resolve(run.state, extra_spec)
    before = fold(deck, run.log)
    log = list(run.log)
    try:
        after, new = step(deck, copy.deepcopy(run.state), log, extra)
    except RuleError:
        return
    log.extend(new)
    if isinstance(extra, c.Undo):
        return  # an Undo followed by an Undo undoes two commands
    assert after == fold(deck, log)
    _, undone = step(deck, after, log, c.Undo())
    log.extend(undone)
    assert fold(deck, log) == before
    # and Redo brings the command back
    _, redone = step(deck, fold(deck, log), log, c.Redo())
    log.extend(redone)
    assert fold(deck, log) == after


@PROPERTY_SETTINGS
@given(scenario)
def test_undo_at_every_step_restores_the_state_before_it(case: dict) -> None:
    """(c) along a whole run: undoing each accepted command gives the previous checkpoint."""
    deck = case["deck"]
    run = play(deck, case["seed"], case["setup"], case["commands"])
    for number, command in enumerate(run.accepted):
        if isinstance(command, c.Undo):
            continue  # Undo after an Undo acts on an earlier command
        _, state_before = run.checkpoints[number]
        length, _ = run.checkpoints[number + 1]
        prefix = run.log[:length]
        _, undone = step(deck, fold(deck, prefix), prefix, c.Undo())
        assert fold(deck, [*prefix, *undone]) == state_before


@PROPERTY_SETTINGS
@given(scenario)
def test_same_seed_and_commands_give_the_same_events(case: dict) -> None:
    """(e) determinism: two runs of the same scenario log identical events."""
    deck = case["deck"]
    first = play(deck, case["seed"], case["setup"], case["commands"])
    again = play(deck, case["seed"], case["setup"], list(case["commands"]))
    # the resolved commands, replayed as plain commands, give the same events again
    second = play(deck, case["seed"], case["setup"], list(first.accepted))
    assert [e.to_dict() for e in first.log] == [e.to_dict() for e in again.log]
    assert [e.to_dict() for e in first.log] == [e.to_dict() for e in second.log]
    assert first.state == second.state
