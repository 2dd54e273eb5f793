"""The cards sheet (ground truths kept apart) and the facilitator's guide (class plan, outcomes)."""

from __future__ import annotations

import html

import pytest

from tests.briefing.conftest import Variant
from tests.briefing.helpers import plain, squeeze
from wargame.briefing import GROUND_TRUTH_HEADING, cards_sheet, class_plan, facilitator_guide
from wargame.briefing.cards import source_line
from wargame.briefing.words import condition_text
from wargame.deck import Deck
from wargame.deck.models import Flag, Track

DECKS = ["mini", "baltic"]


@pytest.mark.parametrize("deck_name", DECKS)
def test_cards_show_every_card_and_keep_ground_truths_for_the_debrief(
    deck_name: str, request: pytest.FixtureRequest
) -> None:
    deck: Deck = request.getfixturevalue(deck_name)
    markup = cards_sheet(deck)
    heading = html.escape(GROUND_TRUTH_HEADING)
    assert markup.count(heading) == 1
    cards_part, debrief_part = (plain(part) for part in markup.split(heading))
    for number, card in enumerate(deck.cards, start=1):
        assert squeeze(card.title) in cards_part
        assert squeeze(card.text) in cards_part
        assert f"INJECT CARD {number} OF {len(deck.cards)}" in cards_part
        assert squeeze(source_line(deck, card.source)) in cards_part
        if card.ground_truth and card.ground_truth.strip():
            truth = squeeze(card.ground_truth)
            assert truth[:60] not in cards_part, card.id
            assert truth[:60] in debrief_part, card.id


def test_card_details_in_words(mini: Deck) -> None:
    text = plain(cards_sheet(mini)).split(GROUND_TRUTH_HEADING)[0]
    assert "Where: The harbour" in text
    assert "When: Scheduled for turn 1" in text
    assert "When: Triggered at an inject phase once “Public alarm” is 5 or more" in text
    assert "When: Random draw (weight 2)" in text
    assert "Source: Hypothetical" in text
    assert "Source: “A source”, Someone, 2026-06-01" in text


@pytest.mark.parametrize("deck_name", DECKS)
def test_the_class_plan_adds_up_to_90_minutes(deck_name: str, request: pytest.FixtureRequest) -> None:
    deck: Deck = request.getfixturevalue(deck_name)
    plan = class_plan(deck)
    assert plan.total == 90
    assert [plan.rows[0].label, plan.rows[-1].label] == ["Briefing", "Debrief"]
    assert (plan.rows[0].minutes, plan.rows[-1].minutes) == (10, 15)
    turns = plan.rows[1:-1]
    assert [row.turn for row in turns] == list(range(1, deck.turns.count + 1))
    assert sum(row.minutes for row in turns) == 65
    for before, after in zip(plan.rows, plan.rows[1:], strict=False):
        assert after.start == before.end  # no gaps, no overlaps
    for row in turns:
        assert [phase for phase, _ in row.phases] == list(deck.phase_ids)
        assert sum(minutes for _, minutes in row.phases) == row.minutes
        assert all(minutes >= 1 for _, minutes in row.phases)
    text = plain(facilitator_guide(deck))
    assert "Class plan (90 minutes)" in text
    assert "Total 90" in text
    assert "1:15–1:30 Debrief 15" in text


def test_a_long_deck_plays_only_the_turns_that_fit(mini_variant: Variant) -> None:
    deck = mini_variant(lambda data: data["turns"].update(count=40))
    plan = class_plan(deck)
    assert plan.total == 90
    assert plan.turns_planned == 65 // len(deck.turns.phases) < 40
    assert f"Only {plan.turns_planned} turns of 40 fit" in plain(facilitator_guide(deck))


@pytest.mark.parametrize("deck_name", DECKS)
def test_the_guide_has_every_outcome_with_its_condition_and_debrief(
    deck_name: str, request: pytest.FixtureRequest
) -> None:
    deck: Deck = request.getfixturevalue(deck_name)
    text = plain(facilitator_guide(deck))
    position = 0
    for number, outcome in enumerate(deck.outcomes, start=1):
        title = f"{number}. {squeeze(outcome.title)}"
        assert title in text
        assert text.index(title) > position  # in the order they are tested
        position = text.index(title)
        if outcome.condition is not None:
            assert squeeze(condition_text(outcome.condition)) in text
        for question in outcome.debrief:
            assert squeeze(question) in text
    for team in deck.teams:
        assert f"--team {team.id}" in text
    for grouping in deck.groupings:
        assert f"--team {grouping.id}" in text
    for band in deck.escalation.bands:
        assert squeeze(band.label) in text
    labelled: tuple[Track | Flag, ...] = (*deck.tracks, *deck.flags)
    for item in labelled:
        assert squeeze(item.label) in text
    for source in deck.sources:
        assert squeeze(source.title) in text


def test_the_guide_explains_conditions_and_changes_in_words(mini: Deck) -> None:
    text = plain(facilitator_guide(mini))
    assert "When: Either “A strike happened”: yes or the escalation index is 80 or more." in text
    assert "strike or index >= 80" in text
    assert "When: “Channel” is “working” and the escalation index is below 40." in text
    assert "When: none of the outcomes above holds (the default)." in text
    assert "(ends the game early)" in text
    # what changes the tracks and flags
    assert "→ proposed: “Propose a channel”" in text
    assert "+5: “Strike”" in text
    assert "“Strike” → yes" in text
    # the deck's 14 minutes a turn, scaled to fit 65 minutes
    assert "The deck's own turn takes 14 minutes" in text
