"""`wargame play`: a move script played headless, stored, and summarised."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wargame.deck import load_deck_file

from .conftest import (
    BALTIC_ID,
    BALTIC_PATH,
    BALTIC_TEAMS,
    DATA,
    MINI,
    Result,
    run_wargame,
    sqlite_url,
)

Cli = Callable[..., Result]
WriteScript = Callable[..., Path]

MINI_SCRIPT = """
    seed: 3
    turns:
      - moves:
          red: {action: talk, rationale: "Let's talk, quietly"}
          blue: {free_text: "We wait and watch.", rationale: "hmm"}
        adjudications:
          - {team: blue, delta: -3, reason: "Waiting calmed things down"}
      - moves:
          blue: {action: accept, target: null}
    """


def play_json(cli: Cli, deck: str | Path, script: Path, *extra: str) -> dict[str, Any]:
    result = cli("play", "--deck", deck, "--script", script, "--json", *extra)
    assert result.code == 0, result.err
    return result.json()


def exported_events(cli: Cli, session_id: str, *extra: str) -> list[dict[str, Any]]:
    result = cli("sessions", "export", session_id, "--format", "json", *extra)
    assert result.code == 0, result.err
    return result.json()["events"]


def stored_ids(cli: Cli, *extra: str) -> list[str]:
    result = cli("sessions", "list", "--json", *extra)
    assert result.code == 0, result.err
    return [info["id"] for info in result.json()]


# --- playing -------------------------------------------------------------------------------------


def test_play_mini_json(cli: Cli, write_script: WriteScript) -> None:
    result = play_json(cli, MINI, write_script(MINI_SCRIPT))

    assert re.fullmatch(r"[0-9a-f]{32}", result["session_id"])
    assert result["deck_id"] == "mini"
    assert result["seed"] == 3
    # Whatever the random cards of turns 2 and 3, the channel works and the index stays below 40.
    assert result["outcome"] == "channel"
    assert result["outcome_title"] == "Channel works"
    assert result["end_reason"] == "last_turn"
    assert result["turns_played"] == 3
    assert len(result["index_by_turn"]) == 3
    # Turn 1: start 20, the scheduled card +6, red's talk -4, the adjudication of blue -3.
    assert result["index_by_turn"][0] == 19
    assert result["final_index"] == result["index_by_turn"][-1]
    assert result["tracks"]["channel"] == "working"

    scores = result["scores"]
    assert list(scores) == ["red", "blue", "green"]
    assert scores["red"] | {"objectives_met": None} == {
        "name": "Red",
        "escalation": 0,
        "deescalation": 4,
        "net": -4,
        "objectives": 2,
        "objectives_met": None,
        "active": True,
    }
    assert scores["blue"]["deescalation"] == 6 + 3  # accept, and the adjudication
    assert scores["blue"]["objectives_met"] == ["channel"]
    assert scores["green"]["net"] == 0

    # Stored: the session is listed, ended, and its log is what `events` counted.
    listed = cli("sessions", "list", "--json").json()
    assert [info["id"] for info in listed] == [result["session_id"]]
    assert listed[0]["status"] == "ended"
    assert listed[0]["outcome"] == "channel"
    assert listed[0]["current_turn"] == 3
    assert len(exported_events(cli, result["session_id"])) == result["events"] == listed[0]["event_count"]


def test_play_prints_a_summary(cli: Cli, write_script: WriteScript) -> None:
    result = cli("play", "--deck", MINI, "--script", write_script(MINI_SCRIPT))
    assert result.code == 0, result.err
    assert result.err == ""
    lines = result.out.splitlines()
    session_id = stored_ids(cli)[0]
    assert lines[0] == f"session {session_id}"
    assert lines[1] == "outcome: Channel works (channel, last_turn)"
    assert lines[3].startswith("index by turn: 19, ")
    assert any(line.split()[:2] == ["red", "Red"] for line in lines)


def test_play_baltic_by_id(cli: Cli) -> None:
    result = play_json(cli, BALTIC_ID, DATA / "baltic_3_turns.yaml")

    assert result["deck_id"] == BALTIC_ID
    assert result["seed"] == 2026
    assert list(result["scores"]) == BALTIC_TEAMS
    assert result["turns_played"] == 6  # the script covers three turns; the rest are passes
    assert len(result["index_by_turn"]) == 6
    assert result["final_index"] == result["index_by_turn"][-1]
    outcomes = [outcome.id for outcome in load_deck_file(BALTIC_PATH).deck.outcomes]
    assert result["outcome"] in outcomes
    assert result["tracks"]["channel"] == "working"  # proposed by Belarus in turn 2, accepted in turn 3
    assert result["flags"]["belarus_warnings"] is True
    assert result["scores"]["belarus"]["deescalation"] >= 4 + 3
    assert result["scores"]["estonia"]["deescalation"] == 2  # its free-text move, as adjudicated

    events = exported_events(cli, result["session_id"])
    moves = {
        (event["data"]["turn"], event["data"]["team"]): event["data"]
        for event in events
        if event["kind"] == "decision_recorded"
    }
    assert moves[1, "russia"] | {} == {
        "turn": 1,
        "team": "russia",
        "action": "russia_formal_warning",
        "free_text": None,
        "target": "latvia",
        "rationale": "",
        "predict": "The Baltics will protest.",
    }
    assert moves[3, "poland"]["action"] == "accept_mil_channel"
    assert moves[4, "poland"]["action"] is None  # no move in the script: a pass
    assert len(moves) == 6 * 8


def test_play_baltic_by_path_stores_the_deck_text(cli: Cli, db_url: str) -> None:
    result = play_json(cli, BALTIC_PATH, DATA / "baltic_3_turns.yaml", "--db", db_url)
    exported = cli("sessions", "export", result["session_id"], "--db", db_url).json()
    assert exported["deck_text"] == BALTIC_PATH.read_text(encoding="utf-8")
    assert exported["session"]["deck_id"] == BALTIC_ID


@pytest.mark.parametrize(("deck", "script"), [(str(MINI), None), (BALTIC_ID, DATA / "baltic_3_turns.yaml")])
def test_play_twice_gives_the_same_events(
    cli: Cli, write_script: WriteScript, deck: str, script: Path | None
) -> None:
    script = script or write_script(MINI_SCRIPT)
    first = play_json(cli, deck, script)
    second = play_json(cli, deck, script)
    assert first["session_id"] != second["session_id"]
    assert {k: v for k, v in first.items() if k != "session_id"} == {
        k: v for k, v in second.items() if k != "session_id"
    }
    first_events = exported_events(cli, first["session_id"])
    second_events = exported_events(cli, second["session_id"])
    assert first_events == second_events
    assert [event["seq"] for event in first_events] == list(range(1, len(first_events) + 1))


def test_forcing_a_card_that_came_this_turn_plays_it_once(cli: Cli, write_script: WriteScript) -> None:
    """`inject: [opening]` in turn 1, where the deck schedules it: forced once, counted once."""
    forced = play_json(cli, MINI, write_script("seed: 1\nturns:\n  - inject: [opening, alarm_card]\n"))
    events = exported_events(cli, forced["session_id"])
    turn_one = [(e["data"]["card"], e["data"]["how"]) for e in events if e["kind"] == "card_injected"]
    assert turn_one[:2] == [("opening", "scheduled"), ("alarm_card", "forced")]
    assert [card for card, _ in turn_one].count("opening") == 1


def test_a_move_with_only_a_rationale_is_a_pass_that_says_why(cli: Cli, write_script: WriteScript) -> None:
    played = play_json(
        cli, MINI, write_script('turns:\n  - moves:\n      red: {rationale: "we wait and see"}\n')
    )
    events = exported_events(cli, played["session_id"])
    red = next(e["data"] for e in events if e["kind"] == "decision_recorded" and e["data"]["team"] == "red")
    assert (red["action"], red["free_text"], red["rationale"]) == (None, None, "we wait and see")


def test_seed_decides_the_random_cards(cli: Cli, write_script: WriteScript) -> None:
    """Mini draws one random card in turns 2 and 3; some seed among a few draws differently."""
    draws = set()
    for seed in range(8):
        result = play_json(cli, MINI, write_script(f"seed: {seed}\nturns: []\n", f"seed{seed}.yaml"))
        events = exported_events(cli, result["session_id"])
        draws.add(tuple(e["data"]["card"] for e in events if e["kind"] == "card_injected"))
    assert len(draws) > 1


# --- scores and adjudication -------------------------------------------------------------------


def test_free_text_move_scores_zero_until_adjudicated(cli: Cli, write_script: WriteScript) -> None:
    unadjudicated = play_json(
        cli,
        MINI,
        write_script(
            """
            turns:
              - moves:
                  blue: {free_text: "Fly a drone over red's harbour", rationale: "Show them"}
            """
        ),
    )
    blue = unadjudicated["scores"]["blue"]
    assert (blue["escalation"], blue["deescalation"], blue["net"]) == (0, 0, 0)
    assert unadjudicated["index_by_turn"][0] == 20 + 6  # only the scheduled card moved the index

    adjudicated = play_json(
        cli,
        MINI,
        write_script(
            """
            turns:
              - moves:
                  blue: {free_text: "Fly a drone over red's harbour", rationale: "Show them"}
                adjudications:
                  - {team: blue, delta: 5, reason: "A provocation, like posturing"}
            """,
            "adjudicated.yaml",
        ),
    )
    blue = adjudicated["scores"]["blue"]
    assert (blue["escalation"], blue["deescalation"], blue["net"]) == (5, 0, 5)
    assert adjudicated["index_by_turn"][0] == 20 + 6 + 5


def test_adjudication_changes_scores(cli: Cli, write_script: WriteScript) -> None:
    result = play_json(
        cli,
        MINI,
        write_script(
            """
            turns:
              - moves:
                  red: {action: talk}
                  green: {action: posture, target: red}
                adjudications:
                  - {team: red, delta: 10, reason: "The offer came with a threat"}
                  - {team: green, delta: -1.5, reason: "Announced in advance"}
            """
        ),
    )
    red, green = result["scores"]["red"], result["scores"]["green"]
    assert (red["escalation"], red["deescalation"], red["net"]) == (10, 4, 6)
    assert (green["escalation"], green["deescalation"], green["net"]) == (4, 1.5, 2.5)
    assert result["index_by_turn"][0] == 20 + 6 - 4 + 4 + 10 - 1.5
    events = exported_events(cli, result["session_id"])
    adjudicated = [event["data"] for event in events if event["kind"] == "adjudicated"]
    assert [(a["team"], a["delta"], a["reason"]) for a in adjudicated] == [
        ("red", 10, "The offer came with a threat"),
        ("green", -1.5, "Announced in advance"),
    ]


# --- teams and groupings -------------------------------------------------------------------------


def test_groupings_play_as_one_team(cli: Cli, write_script: WriteScript) -> None:
    result = play_json(
        cli,
        MINI,
        write_script(
            """
            teams: [red, allies]
            turns:
              - moves:
                  red: {action: talk}
                  allies: {action: posture, target: red}
              - moves:
                  allies: {action: accept}
            """
        ),
    )
    assert list(result["scores"]) == ["red", "allies"]
    allies = result["scores"]["allies"]
    assert allies["name"] == "Allies"
    assert (allies["escalation"], allies["deescalation"]) == (4, 6)
    assert allies["objectives_met"] == ["channel"]  # blue's objective counts for the grouping
    events = exported_events(cli, result["session_id"])
    created = events[0]["data"]["teams"]
    assert [(team["id"], team["members"]) for team in created] == [
        ("red", ["red"]),
        ("allies", ["blue", "green"]),
    ]
    # Green is not playing on its own: only red and allies move each turn.
    decisions = [(e["data"]["turn"], e["data"]["team"]) for e in events if e["kind"] == "decision_recorded"]
    assert sorted(decisions) == [(turn, team) for turn in (1, 2, 3) for team in ("allies", "red")]


def test_teams_default_to_every_deck_team(cli: Cli, write_script: WriteScript) -> None:
    result = play_json(cli, MINI, write_script("turns: []\n"))
    assert list(result["scores"]) == ["red", "blue", "green"]
    assert result["turns_played"] == 3
    assert result["outcome"] in {"muddle", "war", "channel"}


MINI_PHASES = """    - {id: inject, minutes: 2}
    - {id: deliberation, minutes: 5}
    - {id: moves, minutes: 3}
    - {id: reveal, minutes: 1}
    - {id: adjudication, minutes: 2}
    - {id: scoring, minutes: 1}
"""


@pytest.mark.parametrize("phases", [["moves"], ["inject", "moves"], ["deliberation", "moves"]])
def test_a_deck_whose_last_phase_is_moves_plays_every_turn(
    cli: Cli, write_script: WriteScript, tmp_path: Path, phases: list[str]
) -> None:
    text = MINI.read_text(encoding="utf-8")
    assert MINI_PHASES in text
    deck = tmp_path / "moves_last.yaml"
    deck.write_text(text.replace(MINI_PHASES, "".join(f"    - {{id: {p}}}\n" for p in phases)), "utf-8")
    script = write_script(
        """
        seed: 1
        turns:
          - moves:
              red: {action: talk, rationale: "first turn"}
          - {}
          - moves:
              red: {action: talk, rationale: "last turn"}
        """
    )
    result = play_json(cli, deck, script)
    assert result["turns_played"] == 3
    assert result["scores"]["red"]["deescalation"] == 8
    assert play_json(cli, deck, write_script("seed: 1\nturns: []\n", "empty.yaml"))["turns_played"] == 3


def test_list_of_moves_for_a_team(cli: Cli, write_script: WriteScript) -> None:
    result = play_json(
        cli,
        MINI,
        write_script(
            """
            turns:
              - moves:
                  red: [{action: talk, rationale: "one move, as a list"}]
            """
        ),
    )
    assert result["scores"]["red"]["deescalation"] == 4


# --- early end -------------------------------------------------------------------------------------


def test_red_strike_ends_the_session_at_once(cli: Cli, write_script: WriteScript) -> None:
    result = play_json(
        cli,
        MINI,
        write_script(
            """
            turns:
              - moves:
                  red: {action: strike, target: harbour, rationale: "Now"}
              - moves:
                  red: {action: talk}
            """
        ),
    )
    assert result["outcome"] == "war"
    assert result["end_reason"] == "early_end"
    assert result["turns_played"] == 1
    assert result["index_by_turn"] == [20 + 6 + 28]
    assert result["flags"]["strike"] is True
    assert result["scores"]["red"]["escalation"] == 28
    events = exported_events(cli, result["session_id"])
    assert events[-1]["kind"] == "session_ended"
    assert events[-1]["data"] == {"outcome": "war", "reason": "early_end"}
    assert not any(e["kind"] == "turn_started" and e["data"]["turn"] == 2 for e in events)
    assert cli("sessions", "list", "--json").json()[0]["status"] == "ended"


# --- progress ----------------------------------------------------------------------------------------


def test_progress_reports_every_stored_event(cli: Cli, write_script: WriteScript) -> None:
    result = cli("play", "--deck", MINI, "--script", write_script(MINI_SCRIPT), "--progress", "--json")
    assert result.code == 0, result.err
    summary = result.json()  # stdout holds only the JSON
    events = exported_events(cli, summary["session_id"])
    assert result.err_lines == [f"stored {summary['session_id']} {e['seq']} {e['kind']}" for e in events]


def test_no_progress_without_the_flag(cli: Cli, write_script: WriteScript) -> None:
    result = cli("play", "--deck", MINI, "--script", write_script(MINI_SCRIPT), "--json")
    assert result.code == 0
    assert result.err == ""


# --- refusals: located, and nothing stored ------------------------------------------------------

TO_PASS = "to pass, leave the team out of the turn's moves, or give only a rationale"
EMPTY_MOVE = f"a move needs action or free_text ({TO_PASS})"
REFUSED = [
    pytest.param(
        """
        turns:
          - moves:
              red: {action: talk}
              purple: {action: talk}
        """,
        [(4, 7, "purple", "unknown team 'purple' (playing: blue, green, red)")],
        id="unknown-team-in-moves",
    ),
    pytest.param(
        """
        teams: [red, purple]
        turns: []
        """,
        [(1, 14, "purple", "unknown team 'purple' (teams and groupings: red, blue, green, allies)")],
        id="unknown-team-in-teams",
    ),
    pytest.param(
        """
        teams: [red, blue, red]
        turns: []
        """,
        [(1, 20, "red", "team 'red' is listed twice")],
        id="team-listed-twice",
    ),
    pytest.param(
        """
        teams: [blue, allies]
        turns: []
        """,
        [(1, 15, "allies", "team 'blue' is played twice (also by 'blue')")],
        id="team-alone-and-in-a-grouping",
    ),
    pytest.param(
        """
        teams: [red, [blue, green]]
        turns:
          - inject: [{card: opening}]
            adjudications:
              - {team: [red], delta: 1, reason: "x"}
        """,
        [
            (1, 14, "[blue", "a team is given by its id, not ['blue', 'green']"),
            (3, 14, "{card", "a card is given by its id, not {'card': 'opening'}"),
            (5, 16, "[red]", "unknown team '['red']'"),
        ],
        id="lists-and-mappings-where-ids-belong",
    ),
    pytest.param(
        """
        teams: [red, allies]
        turns:
          - moves:
              blue: {action: talk}
        """,
        [(4, 7, "blue", "unknown team 'blue' (playing: allies, red)")],
        id="member-of-a-grouping-moves-alone",
    ),
    pytest.param(
        """
        teams: [red, allies]
        turns:
          - moves:
              allies: {action: talk}
            adjudications:
              - {team: blue, delta: 1, reason: "x"}
        """,
        [(6, 16, "blue", "unknown team 'blue'")],
        id="unknown-team-in-adjudication",
    ),
    pytest.param(
        """
        turns:
          - moves:
              red: {action: dance, rationale: "why not"}
        """,
        [(3, 21, "dance", "unknown action 'dance'")],
        id="unknown-action",
    ),
    pytest.param(
        """
        turns:
          - moves:
              red: {target: blue, rationale: "we aim at them"}
        """,
        [(3, 13, "target", f"a target needs an action ({TO_PASS})")],
        id="target-without-an-action",
    ),
    pytest.param(
        """
        turns:
          - moves:
              red: {}
              blue: {action: talk}
        """,
        [(3, 12, "{}", EMPTY_MOVE)],
        id="empty-move",
    ),
    pytest.param(
        """
        turns:
          - moves:
              red:
              blue: {rationale: "we wait and see"}
              green: []
        """,
        [
            (3, 7, "red", EMPTY_MOVE),
            (5, 14, "[]", f"a list of moves needs at least one move ({TO_PASS})"),
        ],
        id="no-move-with-nothing-in-it",
    ),
    pytest.param(
        """
        teams: red
        turns:
          - moves:
              red: {action: talk}
              blue: {action: dance}
            adjudications:
              - {team: red, delta: 1, reason: "x"}
        """,
        [
            (1, 8, "red", "teams must be a list of team (or grouping) ids"),
            (5, 22, "dance", "unknown action 'dance'"),
        ],
        id="teams-not-a-list-is-one-problem",
    ),
    pytest.param(
        """
        turns:
          - inject: [opening]
          - inject: [rumour, nosuch]
        """,
        [(3, 22, "nosuch", "unknown card 'nosuch'")],
        id="unknown-card",
    ),
    pytest.param(
        """
        turns:
          - inject: [rumour, rumour]
        """,
        [(2, 22, "rumour", "the card 'rumour' is listed twice in this turn")],
        id="card-listed-twice",
    ),
    pytest.param(
        """
        turns:
          - inject: [nosuch]
            moves:
              red: {action: dance}
        """,
        [(2, 14, "nosuch", "unknown card 'nosuch'"), (4, 21, "dance", "unknown action 'dance'")],
        id="every-problem-is-reported",
    ),
    pytest.param(
        """
        turns:
          - moves:
              red: {action: posture, target: blue}
          - moves:
              green: {action: talk}
              blue: {action: accept, rationale: "too early"}
        """,
        [
            (
                6,
                13,
                "{action: accept",
                "'Accept the channel' is not available now (it requires: channel == 'proposed')",
            )
        ],
        id="accept-before-talk",
    ),
    pytest.param(
        """
        turns:
          - moves:
              green: {action: strike, target: harbour}
        """,
        [(3, 14, "{action: strike", "'Strike' is not on this team's menu")],
        id="action-not-on-the-menu",
    ),
    pytest.param(
        """
        turns:
          - moves:
              red: {action: strike}
        """,
        [(3, 12, "{action: strike", "'Strike' needs a place as its target")],
        id="strike-without-a-target",
    ),
    pytest.param(
        """
        turns:
          - moves:
              red: {action: posture, target: red}
        """,
        [(3, 12, "{action: posture", "'Exercise near the border' cannot target the team that takes it")],
        id="posture-at-itself",
    ),
    pytest.param(
        """
        turns:
          - moves:
              red:
                - {action: talk}
                - {action: posture, target: blue}
        """,
        [(5, 11, "{action: posture", "Red has made its 1 move(s) this turn")],
        id="two-moves-in-a-one-move-turn",
    ),
    pytest.param(
        """
        turns:
          - moves:
              red: {action: talk, free_text: "and a speech"}
        """,
        [(3, 12, "{action: talk", "a move is either an action or a free-text move, not both")],
        id="action-and-free-text",
    ),
    pytest.param(
        """
        turns:
          - moves:
              red: {action: talk}
            adjudications:
              - {team: red, delta: 3}
        """,
        [(5, 9, "{team: red", "an adjudication needs a written reason")],
        id="adjudication-without-reason",
    ),
    pytest.param(
        """
        turns:
          - adjudications:
              - {team: red, delta: 3, reason: "   "}
        """,
        [(3, 39, '"   "', "an adjudication needs a written reason")],
        id="adjudication-with-blank-reason",
    ),
    pytest.param(
        """
        turns:
          - moves:
              blue: {action: talk, colour: blue}
        """,
        [
            (
                3,
                28,
                "colour",
                "unknown field 'colour' (expected action, free_text, predict, rationale, target)",
            )
        ],
        id="unknown-field-in-a-move",
    ),
    pytest.param(
        """
        turns:
          - moves:
              red: {action: talk}
          - moves:
              red: {action: talk}
          - null
          - moves:
              red: {action: talk}
        """,
        [(7, 5, "moves", "the deck has only 3 turns")],
        id="more-turns-than-the-deck",
    ),
    pytest.param(
        """
        seed: -1
        turns: []
        """,
        [(1, 7, "-1", "seed must be a whole number from 0, not -1")],
        id="negative-seed",
    ),
]


@pytest.mark.parametrize(("text", "problems"), REFUSED)
def test_refused_scripts_are_located_and_store_nothing(
    cli: Cli, write_script: WriteScript, text: str, problems: list[tuple[int, int, str, str]]
) -> None:
    assert cli("db", "upgrade").code == 0
    script = write_script(text)
    lines = script.read_text(encoding="utf-8").splitlines()
    for line, column, token, _message in problems:  # the test data points where it says
        assert lines[line - 1][column - 1 :].startswith(token), (line, column, token)

    result = cli("play", "--deck", MINI, "--script", script, "--progress")

    assert result.code == 1
    assert result.out == ""
    assert result.err_lines == [
        f"{script}:{line}:{column}: {message}" for line, column, _, message in problems
    ]
    assert stored_ids(cli) == []


def test_refused_script_stores_nothing_in_an_explicit_database(
    cli: Cli, write_script: WriteScript, db_url: str, db_path: Path
) -> None:
    good = play_json(cli, MINI, write_script(MINI_SCRIPT), "--db", db_url)
    size = db_path.stat().st_size
    bad = write_script(
        """
        turns:
          - moves:
              red: {action: talk}
          - moves:
              red: {action: accept}
          - moves:
              blue: {action: accept}
        """,
        "bad.yaml",
    )
    result = cli("--db", db_url, "play", "--deck", MINI, "--script", bad)
    assert result.code == 1
    assert result.err_lines == [
        # turn 2: red accepts red's own proposal (allowed); turn 3: the channel already works
        f"{bad}:7:13: 'Accept the channel' is not available now (it requires: channel == 'proposed')"
    ]
    assert stored_ids(cli, "--db", db_url) == [good["session_id"]]
    assert db_path.stat().st_size == size


def test_refused_script_does_not_even_create_the_database(
    cli: Cli, write_script: WriteScript, default_db: Path
) -> None:
    result = cli("play", "--deck", MINI, "--script", write_script("turns: [{inject: [nosuch]}]\n"))
    assert result.code == 1
    assert not default_db.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("turns: [\n", "YAML error"),
        ("- just\n- a list\n", "a move script is a mapping with 'turns'"),
        ("turns: {}\n", "turns must be a list of turns"),
        ("turns: []\nextra: 1\n", "unknown field 'extra' (expected seed, teams, turns)"),
        (
            "turns:\n  - adjudications:\n      - {team: red, delta: 1e2, reason: x}\n",
            "delta: YAML reads 1e2 as text, not a number: write the number in full, or like 1.0e+2",
        ),
    ],
)
def test_malformed_scripts(cli: Cli, write_script: WriteScript, text: str, message: str) -> None:
    script = write_script(text)
    result = cli("play", "--deck", MINI, "--script", script)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert len(result.err_lines) == 1
    assert re.fullmatch(rf"{re.escape(str(script))}:\d+:\d+: .*", result.err_lines[0])
    assert message in result.err_lines[0]


def test_a_script_that_is_not_utf8_is_named_as_a_deck_would_be(cli: Cli, tmp_path: Path) -> None:
    script = tmp_path / "latin1.yaml"
    script.write_bytes('turns:\n  - moves:\n      red: {free_text: "café"}\n'.encode("latin-1"))
    result = cli("play", "--deck", MINI, "--script", script)
    assert result.code == 1
    assert result.err_lines == [f"{script}:3:1: the file is not UTF-8 text"]


def test_missing_script_file(cli: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    result = cli("play", "--deck", MINI, "--script", missing)
    assert result.code == 1
    assert result.err_lines == [f"{missing}:1:1: no such file"]


def test_unknown_deck(cli: Cli, write_script: WriteScript) -> None:
    result = cli("play", "--deck", "no_such_deck", "--script", write_script("turns: []\n"))
    assert result.code == 1
    assert len(result.err_lines) == 1
    assert result.err_lines[0].startswith("no_such_deck:1:1: no such deck file or built-in deck id")


@pytest.mark.parametrize(
    "args",
    [
        ["play"],
        ["play", "--deck", str(MINI)],
        ["play", "--script", "x.yaml"],
        ["play", "--deck", str(MINI), "--script", "x.yaml", "--frobnicate"],
    ],
)
def test_play_usage_errors_exit_2(cli: Cli, args: list[str]) -> None:
    result = cli(*args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("usage: wargame")


# --- end to end --------------------------------------------------------------------------------------


def test_play_end_to_end(write_script: WriteScript, db_path: Path) -> None:
    url = sqlite_url(db_path)
    done = run_wargame("play", "--db", url, "--deck", MINI, "--script", write_script(MINI_SCRIPT), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["outcome"] == "channel"
    listed = run_wargame("--db", url, "sessions", "list", "--json")
    assert [info["id"] for info in json.loads(listed.stdout)] == [result["session_id"]]


def test_refusal_end_to_end(write_script: WriteScript, db_path: Path) -> None:
    script = write_script("turns:\n  - moves:\n      red: {action: accept}\n")
    done = run_wargame("play", "--db", sqlite_url(db_path), "--deck", MINI, "--script", script)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        f"{script}:3:12: 'Accept the channel' is not available now (it requires: channel == 'proposed')\n"
    )
    assert not db_path.exists()


def test_progress_help_names_the_session(cli: Cli) -> None:
    result = cli("play", "--help")
    assert result.code == 0
    assert "print 'stored SESSION_ID SEQ KIND' on stderr" in " ".join(result.out.split())
