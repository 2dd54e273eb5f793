"""The Baltic deck as a classroom scenario (issue 3): content requirements and simulated balance.

The structural tests read the deck; the balance tests play it with the policy bots in-process,
with the same runs and seed as the commands recorded in docs/scenario-balance.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wargame.deck import load_deck_file
from wargame.deck.models import HYPOTHETICAL, Action, Card, Deck
from wargame.engine.simulate import simulate

DECK_PATH = Path(__file__).resolve().parents[2] / "decks" / "baltic_drone_spillover_2026.yaml"

TEAMS = {"latvia", "lithuania", "estonia", "poland", "belarus", "russia", "ukraine", "nato"}

# The five end states the sources describe, and which outcome ids stand for each.
DEESCALATION = ("channel_working", "reluctant_buffer")  # end states 1 and 2
IMPORTING_THE_WAR = "importing_the_war"  # end state 3
STRIKE = ("limited_strike_article5_dilemma", "limited_strike_final_turn")  # end state 4
CONFRONTATION = ("direct_confrontation", "confrontation_at_the_brink")  # end state 5
BAD = STRIKE + CONFRONTATION

# Every event the seed articles report is a card that cites the article reporting it.
SEED_EVENT_CARDS: dict[str, set[str]] = {
    "latvia_drones_crash": {"preiherman_aljazeera"},  # stray drones crash, oil storage damaged
    "latvia_government_falls": {"preiherman_aljazeera"},
    "estonia_drone_shot_down": {"preiherman_aljazeera"},
    "lithuania_halts_traffic": {"preiherman_aljazeera"},
    "air_raid_sirens": {"preiherman_aljazeera"},
    "svr_accusation": {"preiherman_aljazeera"},  # SVR and the UN envoy: air corridors, operators
    "svr_latvia_teams": {"moscow_view"},  # SVR: drone teams in Latvia, logistical support
    "polyanskiy_osce_warning": {"moscow_view"},  # the warning at the OSCE
    "hardliners_demand_response": {"moscow_view"},
    "ruginiene_war_closer": {"preiherman_aljazeera"},
    "budrys_kaliningrad": {"preiherman_aljazeera"},
    "moscow_decision_centres": {"preiherman_aljazeera"},
    "baltic_leaders_resolve": {"preiherman_aljazeera"},
    "belarus_passes_warnings": {"analyst_summary", "preiherman_aljazeera"},  # ERR via the analyst
    "von_der_leyen_alerts": {"analyst_summary"},  # Bloomberg, May 26, via the analyst
    "rutte_ridiculous": {"analyst_summary"},  # EFE, May 21, via the analyst
    "analyst_decision_point": {"analyst_summary"},
}

# A card that names one of these people or bodies reports a seed event and must cite a seed.
SEED_NAMES: dict[str, set[str]] = {
    "Rutte": {"analyst_summary"},
    "von der Leyen": {"analyst_summary"},
    "Polyanskiy": {"moscow_view"},
    "Budrys": {"preiherman_aljazeera"},
    "Ruginiene": {"preiherman_aljazeera"},
    "SVR": {"preiherman_aljazeera", "moscow_view"},
}

# The scale in docs/scoring.md: every action, card and modifier value is one of these.
SCALE = {-8, -6, -4, -3, -2, 0, 2, 4, 12, 28, 60}


@pytest.fixture(scope="module")
def deck() -> Deck:
    return load_deck_file(DECK_PATH).deck


def menu(deck: Deck, team: str) -> list[Any]:
    return [action for action in deck.actions if team in action.teams]


def all_values(deck: Deck) -> Iterator[tuple[str, float]]:
    items: tuple[Action | Card, ...] = (*deck.actions, *deck.cards)
    for item in items:
        yield item.id, item.escalation
        for modifier in item.modifiers:
            if modifier.escalation is not None:
                yield f"{item.id} (modifier)", modifier.escalation


# --- content -----------------------------------------------------------------------------------


def test_teams_and_groupings(deck: Deck) -> None:
    assert {team.id for team in deck.teams} == TEAMS
    groupings = {grouping.id: set(grouping.members) for grouping in deck.groupings}
    assert groupings["baltic_states"] == {"latvia", "lithuania", "estonia"}
    for members in groupings.values():
        assert members <= TEAMS


@pytest.mark.parametrize("team", sorted(TEAMS))
def test_each_team_has_a_full_menu(deck: Deck, team: str) -> None:
    values = [action.escalation for action in menu(deck, team)]
    assert 8 <= len(values) <= 15, f"{team}: {len(values)} actions"
    assert any(value < 0 for value in values), f"{team}: no de-escalation"
    assert any(0 <= value <= 4 for value in values), f"{team}: no status quo or signalling"
    assert any(value >= 12 for value in values), f"{team}: no escalation"


@pytest.mark.parametrize("team", sorted(TEAMS))
def test_each_team_has_a_briefing_and_two_or_three_objectives(deck: Deck, team: str) -> None:
    spec = deck.team(team)
    assert 2 <= len(spec.objectives) <= 3
    for part in ("What we know", "Interests", "Red lines", "Dilemma"):
        assert part in spec.briefing, f"{team}: briefing lacks {part!r}"


def test_every_value_is_on_the_documented_scale(deck: Deck) -> None:
    off_scale = [(item, value) for item, value in all_values(deck) if value not in SCALE]
    assert off_scale == []


def test_every_action_has_a_rationale_that_names_its_value(deck: Deck) -> None:
    for action in deck.actions:
        value = action.escalation
        shown = f"{value:+g}" if value > 0 else f"{value:g}"
        assert shown in action.rationale or (value == 0 and "0" in action.rationale), action.id


def test_at_least_thirty_cards(deck: Deck) -> None:
    assert len(deck.cards) >= 30


def test_card_sources(deck: Deck) -> None:
    sources = {source.id for source in deck.sources}
    assert all(source.seed for source in deck.sources)
    for card in deck.cards:
        assert card.source in sources | {HYPOTHETICAL}, card.id
        assert card.ground_truth, f"{card.id}: no ground truth for the debrief"
        if card.hypothetical:
            assert "hypothetical" in card.title.lower(), f"{card.id}: title does not say hypothetical"


@pytest.mark.parametrize("card_id", sorted(SEED_EVENT_CARDS))
def test_seed_events_are_cards_citing_their_source(deck: Deck, card_id: str) -> None:
    assert deck.card(card_id).source in SEED_EVENT_CARDS[card_id]


def test_cards_naming_seed_events_cite_a_seed(deck: Deck) -> None:
    def names(card: Card) -> list[str]:
        return [name for name in SEED_NAMES if name in card.title or name in card.text]

    for card in deck.cards:
        for name in names(card):
            assert card.source in SEED_NAMES[name], f"{card.id} names {name} but cites {card.source}"


def test_places_have_coordinates(deck: Deck) -> None:
    places = {place.id: place for place in deck.places}
    placed = [card for card in deck.cards if card.place is not None]
    assert len(placed) >= len(deck.cards) // 2
    for card in placed:
        assert card.place is not None
        place = places[card.place]
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180


def test_outcomes(deck: Deck) -> None:
    sources = {source.id for source in deck.sources}
    ids = [outcome.id for outcome in deck.outcomes]
    for required in (*DEESCALATION, IMPORTING_THE_WAR, *STRIKE, *CONFRONTATION):
        assert required in ids
    for outcome in deck.outcomes:
        assert outcome.source in sources, outcome.id
        assert len(outcome.debrief) == 3, outcome.id
    assert deck.outcomes[-1].id == IMPORTING_THE_WAR and deck.outcomes[-1].condition is None


def test_the_channel(deck: Deck) -> None:
    channel = next(track for track in deck.tracks if track.id == "channel")
    assert channel.values == ("none", "proposed", "working", "suspended")
    assert channel.start == "none"
    warnings = next(track for track in deck.tracks if track.id == "warnings_passed")
    assert not warnings.is_choice

    pass_warning = deck.action("pass_warning_through_channel")
    assert pass_warning.requires == "channel == 'working'"
    assert pass_warning.effects.add["warnings_passed"] == 1
    # Actions and cards move the channel through every state.
    items: tuple[Action | Card, ...] = (*deck.actions, *deck.cards)
    setters = {item.effects.set["channel"] for item in items if "channel" in item.effects.set}
    assert setters == {"proposed", "working", "suspended"}
    # A banked warning defuses incident cards: their first modifier uses it up at a lower value.
    defused = [
        card for card in deck.cards if card.modifiers and card.modifiers[0].when == "warnings_passed >= 1"
    ]
    assert len(defused) >= 6
    for card in defused:
        first = card.modifiers[0]
        assert first.escalation is not None and first.escalation < card.escalation, card.id
        assert first.effects is not None and first.effects.add["warnings_passed"] == -1, card.id


# --- balance (docs/scenario-balance.md records the same commands) --------------------------------


@pytest.fixture(scope="module")
def results(deck: Deck) -> dict[str, dict[str, int]]:
    policies = ("random", "cooperative", "hawkish")
    return {policy: simulate(deck, 2000, 1, policy)["outcomes"] for policy in policies}


def share(outcomes: dict[str, int], ids: tuple[str, ...]) -> float:
    return sum(outcomes[i] for i in ids) / sum(outcomes.values())


def test_random_play_reaches_every_outcome_and_none_dominates(results: dict[str, dict[str, int]]) -> None:
    outcomes = results["random"]
    assert all(count > 0 for count in outcomes.values()), outcomes
    assert max(outcomes.values()) / sum(outcomes.values()) <= 0.60, outcomes


def test_cooperative_play_mostly_ends_with_a_channel_or_a_buffer(results: dict[str, dict[str, int]]) -> None:
    assert share(results["cooperative"], DEESCALATION) > 0.5, results["cooperative"]


def test_hawkish_play_mostly_ends_with_a_strike_or_a_confrontation(
    results: dict[str, dict[str, int]],
) -> None:
    assert share(results["hawkish"], BAD) > 0.5, results["hawkish"]


def test_the_policies_are_ordered(results: dict[str, dict[str, int]]) -> None:
    cooperative, random_, hawkish = (results[p] for p in ("cooperative", "random", "hawkish"))
    assert share(cooperative, BAD) < share(random_, BAD) < share(hawkish, BAD)
    assert share(cooperative, DEESCALATION) > share(random_, DEESCALATION) > share(hawkish, DEESCALATION)


# --- review findings (B.8, C.10, F.25-26) -------------------------------------------------------


def test_the_baltic_and_polish_teams_can_answer_the_reported_belarusian_warnings(deck: Deck) -> None:
    from tests.engine.conftest import Driver
    from wargame.engine import commands as c
    from wargame.engine.bots import available_actions

    driver = Driver(deck).create(teams=tuple(c.TeamSetup(t.id, t.name, (t.id,)) for t in deck.teams), seed=1)
    state = driver.state  # no undo here: the driver keeps this state object
    while not (state.phase == "moves" and state.injected.get("belarus_passes_warnings")):
        if state.phase == "moves":
            assert "reciprocate_warnings" not in {a.id for a in available_actions(deck, state, "latvia")}
            for team in state.active_teams():
                driver.run(c.SubmitDecision(team=team.id, action="hold_course"))
        driver.run(c.Advance())
    assert not state.flags["belarus_warnings"]
    for team_id in ("latvia", "lithuania", "estonia", "poland"):
        assert "reciprocate_warnings" in {a.id for a in available_actions(deck, state, team_id)}, team_id


def test_the_strike_aftermath_card_is_hypothetical(deck: Deck) -> None:
    card = deck.card("strike_aftermath")
    assert card.hypothetical
    assert "(hypothetical)" in card.title


def test_the_running_notes_are_for_the_facilitator_and_match_the_class_plan(deck: Deck) -> None:
    from wargame.briefing.timetable import class_plan

    assert "facilitator" not in deck.summary.lower()
    assert "minutes" not in deck.summary
    plan = class_plan(deck)
    turns = [row for row in plan.rows if row.turn is not None]
    notes = " ".join(deck.facilitator_notes.split())
    assert f"{plan.rows[0].minutes} minutes to hand out" in notes
    assert f"{plan.rows[-1].minutes} minutes of debrief" in notes
    assert f"about {round(plan.play_minutes / len(turns))} minutes each" in notes
    assert f"({plan.play_minutes} minutes of play)" in notes
    assert deck.sources[0].author == "Unnamed author"
