"""Conditions in words, whole-minute apportioning, escaping of deck text, and no Qt in the package."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.briefing.conftest import Variant
from tests.briefing.helpers import plain
from tests.conftest import REPO
from tests.test_layering import QT, _imported_top_levels
from wargame.briefing import cards_sheet, facilitator_guide, team_brief
from wargame.briefing.timetable import apportion
from wargame.briefing.words import condition_words, effects_words, timing_words
from wargame.deck import Deck
from wargame.deck.models import Effects


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("index >= 60", "The escalation index is 60 or more"),
        ("60 > index", "The escalation index is below 60"),
        ("not strike", "“A strike happened”: no"),
        ("strike == false", "“A strike happened”: no"),
        ("channel != 'working'", "“Channel” is not “working”"),
        ("channel == 'none' or channel == 'suspended'", "“Channel” is “none” or “suspended”"),
        ("not (alarm < 5)", "“Public alarm” is 5 or more"),
        ("band == 'crisis'", "The index is in the band “Crisis”"),
        ("turn > 2", "After turn 2"),
        ("injected.opening", "Card “Drones over the harbour” has been played"),
        ("not injected.opening", "card “Drones over the harbour” has not been played"),
        ("taken.talk >= 2", "“Propose a channel” has been taken at least twice"),
        ("taken.talk == 0", "“Propose a channel” has never been taken"),
        ("team.red.escalation > 10", "Red's escalation points are above 10"),
        (
            "strike and (index > 50 or alarm >= 8) and turn <= 3",
            "“A strike happened”: yes, (either the escalation index is above 50 or “Public alarm” is 8 or "
            "more), and in turn 3 or earlier",
        ),
    ],
)
def test_conditions_in_words(mini: Deck, condition: str, words: str) -> None:
    assert condition_words(mini, condition).lower() == words.lower()


def test_effects_and_timing_in_words(mini: Deck) -> None:
    assert effects_words(mini, mini.action("strike").effects) == "Public alarm +5; A strike happened: yes"
    assert effects_words(mini, Effects()) == ""
    assert timing_words(mini, mini.card("opening").when) == "Scheduled for turn 1"


@given(
    total=st.integers(min_value=0, max_value=200),
    weights=st.lists(st.floats(min_value=0, max_value=60, allow_nan=False), min_size=1, max_size=12),
    minimum=st.integers(min_value=0, max_value=3),
)
def test_apportion_keeps_the_total_and_the_minimum(total: int, weights: list[float], minimum: int) -> None:
    shares = apportion(total, weights, minimum=minimum)
    assert sum(shares) == total
    assert len(shares) == len(weights)
    if minimum * len(weights) <= total:
        assert min(shares) >= minimum
    assert min(shares) >= 0


def test_apportion_is_proportional() -> None:
    assert apportion(65, [30] * 6, minimum=6) == [11, 11, 11, 11, 11, 10]
    assert apportion(11, [5, 10, 5, 3, 5, 2], minimum=1) == [2, 3, 2, 1, 2, 1]


SCRIPT = "<script>alert(1)</script>"


def test_deck_text_is_escaped_everywhere(mini_variant: Variant) -> None:
    def poison(data: dict[str, Any]) -> None:
        red = data["teams"][0]
        red["briefing"] = SCRIPT
        red["name"] = "Red & <b>Co</b>"
        red["objectives"][0]["text"] = "<i>calm</i>"
        data["summary"] = "Summary <hr> & more"
        data["actions"][0]["label"] = "Talk <now>"
        data["actions"][0]["rationale"] = '"quoted" & <u>underlined</u>'
        data["cards"][0]["title"] = "<h1>Big</h1>"
        data["cards"][0]["text"] = "<img src=x onerror=alert(1)>"
        data["cards"][0]["ground_truth"] = SCRIPT
        data["outcomes"][0]["debrief"] = [SCRIPT]
        data["sources"][0]["title"] = "<a href='x'>link</a>"

    deck = mini_variant(poison)
    for markup in (team_brief(deck, "red"), cards_sheet(deck), facilitator_guide(deck)):
        for raw in ("<script", "<b>Co", "<i>calm", "<hr>", "<now>", "<u>", "<h1>Big", "<img", "<a href"):
            assert raw not in markup
    brief = team_brief(deck, "red")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in brief
    text = plain(brief)
    assert SCRIPT in text
    assert "Red & <b>Co</b>" in text and "Talk <now>" in text and '"quoted" & <u>underlined</u>' in text
    assert SCRIPT in plain(cards_sheet(deck))
    assert "<img src=x onerror=alert(1)>" in plain(cards_sheet(deck))
    assert SCRIPT in plain(facilitator_guide(deck))


def test_briefing_is_pure_python() -> None:
    """Qt stays out of wargame.briefing (statically, and when every module is imported)."""
    for path in sorted((REPO / "wargame" / "briefing").glob("*.py")):
        assert not (_imported_top_levels(path.read_text(encoding="utf-8")) & set(QT)), path.name
    code = (
        "import sys, wargame.briefing.cards, wargame.briefing.guide, wargame.briefing.team, "
        "wargame.briefing.timetable, wargame.briefing.words, wargame.briefing.markup; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
