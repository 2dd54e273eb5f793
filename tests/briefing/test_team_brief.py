"""The team brief: the team, the scenario, its briefing, objectives, whole menu and decision sheets."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.briefing.conftest import Variant
from tests.briefing.helpers import plain, squeeze
from wargame.briefing import UnknownTeamError, decision_sheet, find_side, menu, team_brief
from wargame.deck import Deck


def _sheet_titles(text: str, turns: int) -> list[str]:
    return [f"Decision sheet · Turn {turn} of {turns}" for turn in range(1, turns + 1)]


def test_mini_team_brief_has_everything_a_team_needs(mini: Deck) -> None:
    text = plain(team_brief(mini, "red"))
    assert "Red" in text
    assert squeeze(mini.summary) in text
    assert "We are red." in text
    assert "Keep it calm" in text and "at most 2 points" in text
    # red's whole menu, with values, target kinds and rationales
    for label in ("Propose a channel", "Accept the channel", "Exercise near the border", "Strike"):
        assert label in text
    assert "Proposing a channel is de-escalation." in text
    assert "+28" in text and "−6" in text
    assert "a place" in text and "a team" in text
    # what an action requires, in words
    assert "Only when: “Channel” is “proposed”." in text
    # green's menu does not have red's strike
    assert "Strike" not in plain(team_brief(mini, "green")).replace("A strike happened", "")


def test_an_action_that_lists_its_targets_names_them(mini_variant: Variant) -> None:
    def only_blue(data: dict[str, Any]) -> None:
        posture = next(action for action in data["actions"] if action["id"] == "posture")
        posture["targets"] = ["blue"]

    deck = mini_variant(only_blue)
    text = plain(team_brief(deck, "red"))
    assert re.search(r"Exercise near the border .*? \+4 Blue Posturing\.", text)


def test_one_decision_sheet_per_turn(mini: Deck) -> None:
    brief = team_brief(mini, "red")
    text = plain(brief)
    for title in _sheet_titles(text, mini.turns.count):
        assert text.count(title) == 1
    assert "Decision sheet · Turn 4" not in text
    for field in ("Action chosen", "Target", "Rationale", "Prediction", "Signed for the team"):
        assert text.count(field) >= mini.turns.count
    # each sheet starts a page
    assert brief.count("page-break-before: always") >= mini.turns.count


def test_decision_sheet_alone(mini: Deck) -> None:
    text = plain(decision_sheet(mini, "blue"))
    assert all(title in text for title in _sheet_titles(text, mini.turns.count))
    assert "We are blue." not in text  # the sheets only, no briefing


def test_grouping_brief_has_members_briefings_and_the_union_of_their_menus(mini: Deck) -> None:
    text = plain(team_brief(mini, "allies"))
    assert "Allies" in text
    assert "We are blue." in text and "We are green." in text
    assert "A working channel" in text  # blue's objective (green has none)
    side = find_side(mini, "allies")
    labels = {action.label for action in menu(mini, side)}
    assert labels == {"Propose a channel", "Accept the channel", "Exercise near the border"}
    assert all(label in text for label in labels)
    assert "In the menu of: Blue." in text  # accept is blue's, not green's


def test_more_moves_per_turn_give_more_move_fields(mini_variant: Variant) -> None:
    deck = mini_variant(lambda data: data.update(moves_per_turn=2))
    text = plain(team_brief(deck, "red"))
    assert text.count("Move 2 of 2") == deck.turns.count


@pytest.mark.parametrize("side_id", ["latvia", "russia", "nato", "baltic_states", "eastern_flank"])
def test_baltic_briefs_list_every_action_and_objective(baltic: Deck, side_id: str) -> None:
    side = find_side(baltic, side_id)
    text = plain(team_brief(baltic, side_id))
    assert side.name in text
    actions = menu(baltic, side)
    assert actions
    for action in actions:
        assert squeeze(action.label) in text
        assert squeeze(action.rationale) in text
    for team in side.members:
        assert squeeze(team.briefing.splitlines()[0]) in text
        for objective in team.objectives:
            assert squeeze(objective.text) in text
    assert all(title in text for title in _sheet_titles(text, baltic.turns.count))


def test_every_baltic_team_and_grouping_has_a_brief(baltic: Deck) -> None:
    for side_id in [team.id for team in baltic.teams] + [grouping.id for grouping in baltic.groupings]:
        assert find_side(baltic, side_id).name in plain(team_brief(baltic, side_id))


def test_unknown_team_names_the_teams_and_groupings(mini: Deck) -> None:
    with pytest.raises(UnknownTeamError) as caught:
        team_brief(mini, "purple")
    message = str(caught.value)
    assert "'purple'" in message
    assert "teams: red, blue, green" in message
    assert "groupings: allies" in message
    assert "\n" not in message


def test_baltic_player_briefs_carry_no_facilitator_notes(baltic: Deck) -> None:
    from wargame.briefing import facilitator_guide

    notes = squeeze(baltic.facilitator_notes)
    first = notes.split(". ")[0]
    assert first and "The facilitator needs nothing" in notes
    for side_id in [team.id for team in baltic.teams] + [grouping.id for grouping in baltic.groupings]:
        brief = squeeze(plain(team_brief(baltic, side_id)))
        assert first not in brief, side_id
        assert "The facilitator needs nothing" not in brief, side_id
        assert "docs/scoring.md" not in brief, side_id
    assert first in squeeze(plain(facilitator_guide(baltic)))
