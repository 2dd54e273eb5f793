"""Play many sessions with policy bots, in memory, and summarise their outcomes.

Run `i` of a simulation with seed `S` is fully determined by (deck, S, i, policy): the session's
seed and the bots' random choices derive from them, so results do not depend on `jobs`.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import random
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from wargame.deck.models import Deck
from wargame.engine import commands as c
from wargame.engine.bots import POLICIES, choose_move
from wargame.engine.deck_index import deck_index
from wargame.engine.events import Event
from wargame.engine.rules import decide
from wargame.engine.state import State
from wargame.errors import RuleError


@dataclass(frozen=True)
class RunResult:
    outcome: str
    index_by_turn: tuple[float, ...]


def play_one(deck: Deck, seed: int, run: int, policy: str) -> RunResult:
    """One whole session with every deck team played by a `policy` bot."""
    state, _ = play_session(deck, seed, run, policy)
    assert state.outcome is not None
    return RunResult(state.outcome, tuple(state.index_by_turn))


def play_session(deck: Deck, seed: int, run: int, policy: str) -> tuple[State, list[Event]]:
    """Run `run` of a simulation played to its end: the final state and the session's events."""
    session_seed = random.Random(f"session:{seed}:{run}").randrange(2**31)
    rng = random.Random(f"bots:{seed}:{run}:{policy}")
    state = State()
    log: list[Event] = []
    teams = tuple(c.TeamSetup(team.id, team.name, (team.id,)) for team in deck.teams)
    cmd = 0

    def run_command(command: c.Command) -> None:
        nonlocal cmd
        cmd += 1
        log.extend(decide(deck, state, log, command, cmd=cmd))

    run_command(c.CreateSession(seed=session_seed, teams=teams))
    while not state.ended:
        if state.phase == "moves":
            for team in state.active_teams():
                for _ in range(deck.moves_per_turn):
                    try:
                        run_command(choose_move(deck, state, team.id, policy, rng))
                    except RuleError:
                        if team.id not in state.submitted_teams():  # a refused first move: pass
                            run_command(c.SubmitDecision(team=team.id))
                        break
        run_command(c.Advance())
    return state, log


def _play_runs(deck: Deck, seed: int, runs: range, policy: str) -> list[RunResult]:
    return [play_one(deck, seed, run, policy) for run in runs]


# A worker's deck: handed over once when the worker starts, not pickled with every chunk.
_worker_deck: Deck | None = None


def _start_worker(deck: Deck) -> None:
    global _worker_deck
    _worker_deck = deck


def _play_chunk(args: tuple[int, range, str]) -> list[RunResult]:
    assert _worker_deck is not None
    seed, runs, policy = args
    return _play_runs(_worker_deck, seed, runs, policy)


def _pool_context() -> multiprocessing.context.BaseContext:
    """Fork where the platform has it: workers start at once with the deck and its compiled
    conditions already in memory (spawn would import the package and rebuild them in each)."""
    if "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _chunks(runs: int, jobs: int) -> list[range]:
    """The runs in about four chunks per job (a slow chunk then holds up less), in order; one chunk
    for a single job or a single run."""
    if jobs <= 1 or runs < 2:
        return [range(runs)]
    size = -(-runs // (jobs * 4))
    return [range(start, min(start + size, runs)) for start in range(0, runs, size)]


def simulate(deck: Deck, runs: int, seed: int, policy: str = "random", jobs: int = 1) -> dict[str, Any]:
    """Outcome counts and the mean index at the end of each turn over `runs` sessions.

    A session that ended early keeps its final index for the turns it did not play. At most `jobs`
    worker processes play the runs, and never more than there are chunks of runs to hand out.
    """
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}")
    chunks = [(seed, runs_of_chunk, policy) for runs_of_chunk in _chunks(runs, jobs)]
    if len(chunks) < 2:
        results = _play_runs(deck, seed, range(runs), policy)
    else:
        deck_index(deck)  # built before the workers fork, so they share it
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(chunks)),
            mp_context=_pool_context(),
            initializer=_start_worker,
            initargs=(deck,),
        ) as pool:
            results = [result for chunk in pool.map(_play_chunk, chunks) for result in chunk]
    counts = Counter(result.outcome for result in results)
    turns = deck.turns.count  # (a session that ended early is padded: every policy's list lines up)
    totals = [0.0] * turns
    for result in results:
        padded = list(result.index_by_turn) + [result.index_by_turn[-1]] * (turns - len(result.index_by_turn))
        for turn, value in enumerate(padded):
            totals[turn] += value
    return {
        "deck_id": deck.id,
        "runs": runs,
        "seed": seed,
        "policy": policy,
        "outcomes": {outcome.id: counts.get(outcome.id, 0) for outcome in deck.outcomes},
        "mean_index_by_turn": [round(total / runs, 4) for total in totals] if runs else [],
    }
