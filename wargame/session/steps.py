"""What the facilitator does next: the label of the one obvious button, and why it may wait."""

from __future__ import annotations

from dataclasses import dataclass

from wargame.deck.models import Deck
from wargame.engine.state import State

PHASE_TITLES = {
    "inject": "Inject",
    "deliberation": "Deliberation",
    "moves": "Moves",
    "reveal": "Reveal",
    "adjudication": "Adjudication",
    "scoring": "Scoring",
}

_ENTER = {
    "inject": "Show the inject",
    "deliberation": "Start deliberation",
    "moves": "Open the moves",
    "reveal": "Reveal the moves",
    "adjudication": "Adjudicate",
    "scoring": "Score the turn",
}


@dataclass(frozen=True)
class NextStep:
    label: str
    enabled: bool
    waiting_for: tuple[str, ...] = ()

    @property
    def hint(self) -> str:
        """A short line for the screen ("Waiting for 3 teams"); `waiting_for` has the names."""
        if len(self.waiting_for) == 1:
            return f"Waiting for {self.waiting_for[0]}"
        if self.waiting_for:
            return f"Waiting for {len(self.waiting_for)} teams"
        return ""


def next_step(deck: Deck, state: State) -> NextStep:
    """The next step of the session from this state (advancing the phase or the turn)."""
    if state.ended:
        return NextStep("Session ended", enabled=False)
    if not state.started:
        return NextStep("Start turn 1", enabled=True)
    phases = deck.phase_ids
    position = phases.index(state.phase) if state.phase in phases else -1
    if state.phase == "moves" and state.turn not in state.revealed_turns:
        submitted = state.submitted_teams()
        missing = tuple(team.name for team in state.active_teams() if team.id not in submitted)
        label = (
            _ENTER.get(phases[position + 1], "Reveal the moves")
            if position + 1 < len(phases)
            else "End the turn"
        )
        if position + 1 < len(phases) and phases[position + 1] != "reveal":
            label = f"Reveal and {label[0].lower()}{label[1:]}"
        return NextStep(label, enabled=not missing, waiting_for=missing)
    if position + 1 < len(phases):
        return NextStep(_ENTER.get(phases[position + 1], phases[position + 1]), enabled=True)
    if state.turn >= state.turn_count:
        return NextStep("End the session", enabled=True)
    return NextStep(f"Start turn {state.turn + 1}", enabled=True)


def phase_title(phase: str | None) -> str:
    return PHASE_TITLES.get(phase or "", "—")
