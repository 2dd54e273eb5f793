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
    waiting_on: str = "Waiting for"

    @property
    def hint(self) -> str:
        """A short line for the screen ("Waiting for 3 teams"); `waiting_for` has the names."""
        if len(self.waiting_for) == 1:
            return f"{self.waiting_on} {self.waiting_for[0]}"
        if self.waiting_for:
            return f"{self.waiting_on} {len(self.waiting_for)} teams"
        return ""

    @property
    def reason(self) -> str:
        """Why the step waits, naming every team."""
        return f"{self.waiting_on}: {', '.join(self.waiting_for)}" if self.waiting_for else ""


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
    if state.phase == "adjudication":
        unscored = unscored_free_text(state)
        if unscored:
            return NextStep(
                "Score free text",
                enabled=False,
                waiting_for=unscored,
                waiting_on="Free-text moves to score from",
            )
    if position + 1 < len(phases):
        return NextStep(_ENTER.get(phases[position + 1], phases[position + 1]), enabled=True)
    if state.turn >= state.turn_count:
        return NextStep("End the session", enabled=True)
    return NextStep(f"Start turn {state.turn + 1}", enabled=True)


def unscored_free_text(state: State) -> tuple[str, ...]:
    """Teams whose free-text move of this turn has no adjudication yet (it scores 0 until then)."""
    scored = {a.decision_seq for a in state.adjudications}
    return tuple(
        state.teams[d.team].name
        for d in state.decisions_in_turn(state.turn)
        if d.free_text is not None and d.seq not in scored
    )


def phase_title(phase: str | None) -> str:
    return PHASE_TITLES.get(phase or "", "—")
