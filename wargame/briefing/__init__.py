"""Printable material for a deck, as HTML (pure Python, no Qt): team briefs with their decision
sheets, inject cards, and the facilitator's guide. `wargame.ui.pdf` prints the HTML to PDF.
"""

from __future__ import annotations

from wargame.briefing.cards import GROUND_TRUTH_HEADING, cards_sheet
from wargame.briefing.guide import facilitator_guide
from wargame.briefing.team import Side, UnknownTeamError, decision_sheet, find_side, menu, team_brief
from wargame.briefing.timetable import ClassPlan, PlanRow, class_plan

__all__ = [
    "GROUND_TRUTH_HEADING",
    "ClassPlan",
    "PlanRow",
    "Side",
    "UnknownTeamError",
    "cards_sheet",
    "class_plan",
    "decision_sheet",
    "facilitator_guide",
    "find_side",
    "menu",
    "team_brief",
]
