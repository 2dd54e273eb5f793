"""The simulate figure's yardstick folds the same sessions as the engine, to the same index."""

from __future__ import annotations

from benchmarks.bare_fold import bare_fold, bounds, plain_sessions
from wargame.deck.catalog import resolve_deck
from wargame.engine.simulate import play_session


def test_the_bare_fold_gives_the_engines_index_at_the_end_of_each_turn() -> None:
    deck = resolve_deck("baltic_drone_spillover_2026").deck
    team_ids = tuple(team.id for team in deck.teams)
    for run, events in enumerate(plain_sessions(deck, 12, seed=7)):
        state, log = play_session(deck, 7, run, "random")
        plain = bare_fold(events, team_ids, *bounds(deck))
        assert len(events) == len(log)
        assert plain.index_by_turn == state.index_by_turn
        assert [index for _, index in plain.history] == [point.index for point in state.history[1:]]
        for team_id in team_ids:
            assert plain.teams[team_id].escalation == state.teams[team_id].escalation
            assert plain.teams[team_id].deescalation == state.teams[team_id].deescalation
