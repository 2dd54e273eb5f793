"""`wargame play` (a scripted session, stored) and `wargame simulate` (bot sessions, not stored)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from wargame.cli.arguments import whole_number
from wargame.cli.output import print_json, table
from wargame.cli.stores import open_store
from wargame.errors import StoreError

if TYPE_CHECKING:
    from wargame.engine.events import Event
    from wargame.session import SessionController
    from wargame.store import StoreUnavailable


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    from wargame.engine.bots import POLICIES  # (the full parser is never built for the plain app start)

    play = commands.add_parser(
        "play", help="play a session headless from a move script and store it", parents=[common]
    )
    play.add_argument("--deck", required=True, metavar="PATH|ID", help="a deck file or a built-in deck id")
    play.add_argument("--script", required=True, metavar="MOVES.yaml", help="the move script (YAML)")
    play.add_argument("--json", action="store_true", help="print the result as one JSON object")
    play.add_argument(
        "--progress",
        action="store_true",
        help="print 'stored SESSION_ID SEQ KIND' on stderr as each event is committed",
    )
    play.set_defaults(handler=play_session)

    sim = commands.add_parser(
        "simulate", help="play many sessions with policy bots (nothing is stored)", parents=[common]
    )
    sim.add_argument("--deck", required=True, metavar="PATH|ID")
    sim.add_argument("--runs", type=_positive, required=True, metavar="N")
    sim.add_argument("--seed", type=_seed, required=True, metavar="S")
    sim.add_argument("--policy", choices=POLICIES, default="random")
    sim.add_argument(
        "--jobs",
        type=whole_number(1, MAX_JOBS),
        default=1,
        metavar="J",
        help=f"worker processes, 1 to {MAX_JOBS} (default 1; never more than the runs need)",
    )
    sim.add_argument("--json", action="store_true")
    sim.set_defaults(handler=simulate_sessions)


MAX_JOBS = 256  # far above any machine's cores: a bigger number is a typo, and each worker is a process
_positive = whole_number(1)
_seed = whole_number(0)  # as a move script's seed


def play_session(args: argparse.Namespace) -> int:
    from wargame.deck import resolve_deck
    from wargame.session.script import check_script, load_script, play_script
    from wargame.store import StoreUnavailable

    loaded = resolve_deck(args.deck)
    script = load_script(args.script, loaded.deck)
    check_script(loaded, script)  # a dry run: a script that breaks a rule stores nothing
    store = open_store(args)
    try:
        sink = _progress if args.progress else None
        session = play_script(loaded, script, store, on_events=sink)
        result = play_result(session)
    except StoreUnavailable as exc:
        raise _as_the_store_said(exc) from exc
    finally:
        store.close()
    if len(script.turns) > result["turns_played"]:
        print(
            f"wargame: note: the session ended after turn {result['turns_played']} ({result['end_reason']}); "
            f"the script's later turns were not played",
            file=sys.stderr,
        )
    if args.json:
        print_json(result)
    else:
        _print_play(result)
    return 0


def _as_the_store_said(exc: StoreUnavailable) -> StoreError:
    """The store's own message for a command it could not store. The session controller adds that
    the move is kept for a retry, which holds in the desktop app, not here: this process ends."""
    cause = exc.__cause__
    return StoreError(str(cause if isinstance(cause, StoreError) else exc), written=exc.written)


def _progress(session: SessionController, events: list[Event]) -> None:
    for event in events:
        print(f"stored {session.session_id} {event.seq} {event.kind}", file=sys.stderr, flush=True)


def play_result(session: SessionController) -> dict[str, Any]:
    """The summary `wargame play --json` prints."""
    state = session.state
    outcome = session.deck.outcome(state.outcome) if state.outcome else None
    return {
        "session_id": session.session_id,
        "deck_id": session.deck.id,
        "seed": state.seed,
        "outcome": state.outcome,
        "outcome_title": outcome.title if outcome else None,
        "end_reason": state.end_reason,
        "turns_played": len(state.index_by_turn),
        "final_index": state.index,
        "final_band": session.band,
        "index_by_turn": list(state.index_by_turn),
        "tracks": dict(state.tracks),
        "flags": dict(state.flags),
        "scores": session.scores(),
        "events": len(session.events),
    }


def _print_play(result: dict[str, Any]) -> None:
    print(f"session {result['session_id']}")
    print(f"outcome: {result['outcome_title']} ({result['outcome']}, {result['end_reason']})")
    print(f"escalation index: {result['final_index']:g} ({result['final_band']})")
    print("index by turn: " + ", ".join(f"{value:g}" for value in result["index_by_turn"]))
    rows = [
        [team_id, s["name"], f"{s['escalation']:g}", f"{s['deescalation']:g}", f"{s['objectives']}"]
        for team_id, s in result["scores"].items()
    ]
    print(table(rows, ["team", "name", "escalation", "de-escalation", "objectives"]))


def simulate_sessions(args: argparse.Namespace) -> int:
    from wargame.deck import resolve_deck
    from wargame.engine.simulate import simulate

    loaded = resolve_deck(args.deck)
    result = simulate(loaded.deck, args.runs, args.seed, args.policy, args.jobs)
    if args.json:
        print_json(result)
        return 0
    print(f"{result['runs']} runs of {loaded.deck.id}, policy {result['policy']}, seed {result['seed']}")
    rows = [
        [outcome_id, str(count), f"{100 * count / result['runs']:.1f}%"]
        for outcome_id, count in result["outcomes"].items()
    ]
    print(table(rows, ["outcome", "runs", "share"]))
    means = ", ".join(f"{value:.1f}" for value in result["mean_index_by_turn"])
    print(f"mean escalation index by turn: {means}")
    return 0
