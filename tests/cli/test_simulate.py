"""`wargame simulate`: bot sessions in memory, reproducible from the seed, never stored."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from wargame.deck import load_deck_file
from wargame.engine import simulate as simulate_module

from .conftest import BALTIC_ID, BALTIC_PATH, MINI, Result

Cli = Callable[..., Result]

BALTIC_OUTCOMES = [outcome.id for outcome in load_deck_file(BALTIC_PATH).deck.outcomes]


def simulate_json(cli: Cli, *args: str | Path) -> tuple[str, dict[str, Any]]:
    result = cli("simulate", *args, "--json")
    assert result.code == 0, result.err
    assert result.err == ""
    return result.out, result.json()


def test_same_seed_same_output(cli: Cli) -> None:
    first, parsed = simulate_json(cli, "--deck", BALTIC_ID, "--runs", "1000", "--seed", "1")
    second, _ = simulate_json(cli, "--deck", BALTIC_ID, "--runs", "1000", "--seed", "1")
    assert first == second

    assert parsed["deck_id"] == BALTIC_ID
    assert parsed["runs"] == 1000
    assert parsed["seed"] == 1
    assert parsed["policy"] == "random"
    assert list(parsed["outcomes"]) == BALTIC_OUTCOMES  # every outcome, in the deck's order
    assert sum(parsed["outcomes"].values()) == 1000
    assert all(count >= 0 for count in parsed["outcomes"].values())
    assert len(parsed["mean_index_by_turn"]) == 6
    assert all(0 <= value <= 100 for value in parsed["mean_index_by_turn"])


def test_jobs_do_not_change_the_result(cli: Cli) -> None:
    args = ("--deck", BALTIC_ID, "--runs", "400", "--seed", "5")
    one, _ = simulate_json(cli, *args, "--jobs", "1")
    two, _ = simulate_json(cli, *args, "--jobs", "2")
    assert one == two


def test_more_jobs_than_runs(cli: Cli) -> None:
    args = ("--deck", str(MINI), "--runs", "3", "--seed", "9")
    one, _ = simulate_json(cli, *args)
    many, parsed = simulate_json(cli, *args, "--jobs", "5")
    assert one == many
    assert sum(parsed["outcomes"].values()) == 3


def test_no_more_workers_than_chunks_of_runs(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """--jobs 256 for 5 runs starts 5 workers (one run each), not 256, and changes nothing."""
    started: list[int | None] = []

    class CountingPool(ProcessPoolExecutor):
        def __init__(self, max_workers: int | None = None, **kwargs: Any) -> None:
            started.append(max_workers)
            super().__init__(max_workers, **kwargs)

    monkeypatch.setattr(simulate_module, "ProcessPoolExecutor", CountingPool)
    args = ("--deck", str(MINI), "--runs", "5", "--seed", "4")
    one, _ = simulate_json(cli, *args, "--jobs", "1")
    many, _ = simulate_json(cli, *args, "--jobs", "256")
    assert one == many
    assert started == [5]


@pytest.mark.parametrize("runs", [1, 2, 7])
def test_counts_sum_to_runs(cli: Cli, runs: int) -> None:
    _, parsed = simulate_json(cli, "--deck", str(MINI), "--runs", str(runs), "--seed", "3")
    assert parsed["runs"] == runs
    assert sum(parsed["outcomes"].values()) == runs
    assert list(parsed["outcomes"]) == ["war", "channel", "muddle"]
    assert len(parsed["mean_index_by_turn"]) <= 3


def test_seeds_and_policies_differ(cli: Cli) -> None:
    def run(*extra: str) -> dict[str, Any]:
        return simulate_json(cli, "--deck", BALTIC_ID, "--runs", "200", *extra)[1]

    random_1 = run("--seed", "1")
    random_2 = run("--seed", "2")
    cooperative = run("--seed", "1", "--policy", "cooperative")
    hawkish = run("--seed", "1", "--policy", "hawkish")

    assert random_1["outcomes"] != random_2["outcomes"]
    assert cooperative["policy"] == "cooperative"
    assert hawkish["policy"] == "hawkish"
    assert len({str(r["outcomes"]) for r in (random_1, cooperative, hawkish)}) == 3
    # Hawks end higher on the ladder than doves, turn by turn, and reach the bad endings more often.
    for dove, hawk in zip(cooperative["mean_index_by_turn"], hawkish["mean_index_by_turn"], strict=True):
        assert dove < hawk
    bad = ("direct_confrontation", "limited_strike_article5_dilemma", "limited_strike_final_turn")
    assert sum(cooperative["outcomes"][o] for o in bad) < sum(hawkish["outcomes"][o] for o in bad)
    assert cooperative["outcomes"]["channel_working"] > hawkish["outcomes"]["channel_working"]


def test_nothing_is_stored(cli: Cli, default_db: Path, db_path: Path, db_url: str) -> None:
    assert cli("simulate", "--deck", str(MINI), "--runs", "5", "--seed", "1").code == 0
    assert cli("simulate", "--deck", str(MINI), "--runs", "5", "--seed", "1", "--db", db_url).code == 0
    assert not default_db.exists()
    assert not db_path.exists()


def test_text_output(cli: Cli) -> None:
    result = cli("simulate", "--deck", str(MINI), "--runs", "10", "--seed", "4", "--policy", "hawkish")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "10 runs of mini, policy hawkish, seed 4"
    assert any(line.startswith("war ") for line in lines)
    assert lines[-1].startswith("mean escalation index by turn: ")


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["--runs", "0", "--seed", "1"], id="zero-runs"),
        pytest.param(["--runs", "-3", "--seed", "1"], id="negative-runs"),
        pytest.param(["--runs", "ten", "--seed", "1"], id="runs-not-a-number"),
        pytest.param(["--runs", "1.5", "--seed", "1"], id="runs-not-whole"),
        pytest.param(["--runs", "5", "--seed", "one"], id="seed-not-a-number"),
        pytest.param(["--runs", "5", "--seed", "-1"], id="negative-seed"),
        pytest.param(["--runs", "5", "--seed", "1", "--policy", "nice"], id="unknown-policy"),
        pytest.param(["--runs", "5", "--seed", "1", "--jobs", "0"], id="zero-jobs"),
        pytest.param(["--runs", "5", "--seed", "1", "--jobs", "x"], id="jobs-not-a-number"),
        pytest.param(["--runs", "5", "--seed", "1", "--jobs", "257"], id="too-many-jobs"),
        pytest.param(["--runs", "5", "--seed", "1", "--jobs", "100000"], id="absurd-jobs"),
        pytest.param(["--seed", "1"], id="no-runs"),
        pytest.param(["--runs", "5"], id="no-seed"),
        pytest.param(["--runs", "5", "--seed", "1", "--store"], id="unknown-option"),
    ],
)
def test_invalid_arguments_exit_2(cli: Cli, args: list[str]) -> None:
    result = cli("simulate", "--deck", str(MINI), *args)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith("usage: wargame")
    assert "Traceback" not in result.err


def test_missing_deck_option_exits_2(cli: Cli) -> None:
    result = cli("simulate", "--runs", "5", "--seed", "1")
    assert result.code == 2
    assert "--deck" in result.err


def test_unknown_deck_exits_1(cli: Cli) -> None:
    result = cli("simulate", "--deck", "no_such_deck", "--runs", "5", "--seed", "1")
    assert result.code == 1
    assert len(result.err_lines) == 1
    assert result.err_lines[0].startswith("no_such_deck:1:1: ")
