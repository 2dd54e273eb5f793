"""Stable pseudonyms for players (students' privacy) in reports and exports.

Player names come from `session_created` (teams[].players) and from roster changes that add
players or teams. Each distinct name becomes "Player 1", "Player 2", ... in order of first
appearance in the log, so the same session always gets the same pseudonyms. The facilitator is
not a student and keeps their name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from wargame.engine import events as ev
from wargame.engine.events import Event

#: Payload fields that hold text people typed, where a player's name may also appear.
TYPED_FIELDS = ("rationale", "predict", "free_text", "reason", "text")


def player_names(events: Sequence[Event]) -> list[str]:
    """Every player name in the log, in order of first appearance (duplicates once)."""
    names: list[str] = []

    def add(name: object) -> None:
        text = str(name).strip()
        if text and text not in names:
            names.append(text)

    for event in events:
        data = event.data
        if event.kind == ev.SESSION_CREATED:
            for team in data.get("teams", []):
                for player in team.get("players", []):
                    add(player)
        elif event.kind == ev.ROSTER_CHANGED:
            if "player" in data:
                add(data["player"])
            for player in data.get("players", []) or []:
                add(player)
    return names


def pseudonym_map(events: Sequence[Event]) -> dict[str, str]:
    """Player name → "Player N", numbered in order of first appearance."""
    return {name: f"Player {number}" for number, name in enumerate(player_names(events), start=1)}


def pseudonymise_events(events: Sequence[Event], mapping: dict[str, str] | None = None) -> list[Event]:
    """The events with every player name replaced by its pseudonym.

    Names are replaced in the roster fields and, as whole words, in the text players typed
    (rationales, predictions, free-text moves, reasons, notes). Nothing else changes.
    """
    names = pseudonym_map(events) if mapping is None else mapping
    if not names:
        return list(events)
    # in typed text whatever its case ("JO said no" for a player called Jo)
    folded = {name.casefold(): pseudonym for name, pseudonym in names.items()}
    pattern = re.compile(
        r"(?<!\w)(" + "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)) + r")(?!\w)",
        re.IGNORECASE,
    )

    def in_text(text: str) -> str:
        return pattern.sub(lambda match: folded.get(match.group(1).casefold(), match.group(1)), text)

    return [
        Event(event.seq, event.kind, _replace(event.kind, event.data, names, in_text), event.cmd)
        for event in events
    ]


def _replace(kind: str, data: dict[str, Any], names: dict[str, str], in_text: Any) -> dict[str, Any]:
    result = dict(data)
    if kind == ev.SESSION_CREATED:
        result["teams"] = [
            {**team, "players": [names.get(str(p).strip(), p) for p in team.get("players", [])]}
            for team in data.get("teams", [])
        ]
    if kind == ev.ROSTER_CHANGED:
        if "player" in data:
            result["player"] = names.get(str(data["player"]).strip(), data["player"])
        if isinstance(data.get("players"), list):
            result["players"] = [names.get(str(p).strip(), p) for p in data["players"]]
    for key in TYPED_FIELDS:
        if isinstance(data.get(key), str):
            result[key] = in_text(data[key])
    return result
