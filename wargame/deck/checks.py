"""Cross-reference checks over a deck's raw data.

These run even when typed validation failed, so one pass reports every problem: they read the
raw mappings defensively and leave type errors to pydantic.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeGuard

from wargame.deck import conditions
from wargame.deck.conditions import ConditionSyntaxError, NameInfo
from wargame.deck.located_yaml import Located, Path, Problem
from wargame.deck.models import HYPOTHETICAL, PHASES

RESERVED_NAMES = {"index", "turn", "band", "injected", "taken", "team", "true", "false", "and", "or", "not"}
ID_LISTS = ("sources", "teams", "groupings", "places", "tracks", "flags", "actions", "cards", "outcomes")
REQUIRED_LISTS = ("teams", "actions", "outcomes")  # at least one item each (models.Deck)
_NAME_LISTS = {"injected": "cards", "taken": "actions", "team": "teams"}  # injected.<a card's id>, ...


def _items(data: Any, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _ids(data: Any, key: str) -> set[str]:
    return {item["id"] for _, item in _items(data, key) if isinstance(item.get("id"), str)}


def _unreadable_lists(data: dict[str, Any]) -> set[str]:
    """The lists whose ids cannot be known: not a list, or a required one missing or empty.

    pydantic says what is wrong with them; a reference into one is not checked, as it would
    only repeat that (every team an action names, "unknown team 'red' (teams: none)").
    """
    unreadable = {key for key in ID_LISTS if key in data and not isinstance(data[key], list)}
    unreadable.update(key for key in REQUIRED_LISTS if not data.get(key))
    escalation = data.get("escalation")
    bands = escalation.get("bands") if isinstance(escalation, dict) else None
    if not isinstance(bands, list) or not bands:
        unreadable.add("bands")
    return unreadable


class _Checker:
    def __init__(self, located: Located, text: str) -> None:
        self.located = located
        self.lines = text.splitlines()
        self.data: dict[str, Any] = located.data
        self.problems: list[Problem] = []
        self.team_ids = _ids(self.data, "teams")
        self.source_ids = _ids(self.data, "sources")
        self.place_ids = _ids(self.data, "places")
        self.card_ids = _ids(self.data, "cards")
        self.action_ids = _ids(self.data, "actions")
        self.flag_ids = _ids(self.data, "flags")
        escalation = self.data.get("escalation")
        self.band_ids = {b["id"] for _, b in _items(escalation, "bands") if isinstance(b.get("id"), str)}
        self.tracks = {t["id"]: t for _, t in _items(self.data, "tracks") if isinstance(t.get("id"), str)}
        self.unreadable = _unreadable_lists(self.data)

    def add(self, path: Path, message: str, *, at_key: bool = False) -> None:
        self.problems.append(self.located.problem(path, message, at_key=at_key))

    def run(self) -> list[Problem]:
        self.check_unique_ids()
        self.check_name_clashes()
        self.check_escalation()
        self.check_tracks()
        self.check_turns()
        self.check_teams_and_groupings()
        self.check_actions()
        self.check_cards()
        self.check_outcomes()
        return self.problems

    # --- ids -------------------------------------------------------------------------------
    def check_unique_ids(self) -> None:
        for key in ID_LISTS:
            self._unique_in((key,), _items(self.data, key), key[:-1])
        self._unique_in(("escalation", "bands"), _items(self.data.get("escalation"), "bands"), "band")
        for t_index, team in _items(self.data, "teams"):
            self._unique_in(("teams", t_index, "objectives"), _items(team, "objectives"), "objective")

    def _unique_in(self, path: Path, items: Iterator[tuple[int, dict[str, Any]]], what: str) -> None:
        first: dict[str, int] = {}
        for index, item in items:
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in first:
                line, _ = self.located.where((*path, first[item_id]))
                self.add(
                    (*path, index, "id"), f"duplicate {what} id '{item_id}' (first defined on line {line})"
                )
            else:
                first[item_id] = index

    def check_name_clashes(self) -> None:
        owners: dict[str, str] = {}
        for key in ("tracks", "flags"):
            for index, item in _items(self.data, key):
                name = item.get("id")
                if not isinstance(name, str):
                    continue
                if name in RESERVED_NAMES:
                    self.add((key, index, "id"), f"'{name}' is a reserved name of the condition language")
                elif name in owners and owners[name] != key:
                    self.add((key, index, "id"), f"'{name}' is already the id of one of the {owners[name]}")
                owners.setdefault(name, key)

    # --- escalation model ----------------------------------------------------------------
    def check_escalation(self) -> None:
        escalation = self.data.get("escalation")
        if not isinstance(escalation, dict):
            return
        low, high, start = escalation.get("min", 0), escalation.get("max", 100), escalation.get("start", 0)
        if not (_bound(low) and _bound(high) and _number(start)):
            return
        if low is not None and high is not None and low >= high:
            self.add(("escalation", "max"), f"max ({high}) must be greater than min ({low})")
        if (low is not None and start < low) or (high is not None and start > high):
            self.add(("escalation", "start"), f"start ({start}) is outside the range {low}..{high}")
        previous: float | None = None
        for index, band in _items(escalation, "bands"):
            value = band.get("from")
            if not _number(value):
                continue
            path = ("escalation", "bands", index, "from")
            if index == 0 and low is not None and value != low:
                self.add(path, f"the first band must start at the index's min ({low})")
            if previous is not None and value <= previous:
                self.add(path, f"bands must be in ascending order: {value} is not above {previous}")
            if high is not None and value > high:
                self.add(path, f"band starts at {value}, above the index's max ({high})")
            previous = value

    def check_tracks(self) -> None:
        for index, track in _items(self.data, "tracks"):
            values, start = track.get("values"), track.get("start", 0)
            if isinstance(values, list):
                for bound in ("min", "max"):
                    if track.get(bound) is not None:  # (a normalised deck writes null)
                        self.add(
                            ("tracks", index, bound),
                            f"a track with named values has no '{bound}'",
                            at_key=True,
                        )
                if "start" not in track:
                    self.add(("tracks", index), "a track with named values needs a 'start' value")
                elif start not in values:
                    self.add(
                        ("tracks", index, "start"),
                        f"start '{start}' is not one of the values: {_list(values)}",
                    )
                if len(set(map(str, values))) != len(values):
                    self.add(("tracks", index, "values"), "values must not repeat")
            elif isinstance(start, str):
                self.add(("tracks", index, "start"), _numeric_start(start))
            else:
                self.check_numeric_track(index, track, start)

    def check_numeric_track(self, index: int, track: dict[str, Any], start: Any) -> None:
        low, high = track.get("min"), track.get("max")
        if not (_bound(low) and _bound(high) and _number(start)):
            return  # (pydantic says what is not a number)
        if low is not None and high is not None and low >= high:
            self.add(("tracks", index, "max"), f"max ({high}) must be greater than min ({low})")
        if (low is not None and start < low) or (high is not None and start > high):
            self.add(("tracks", index, "start"), f"start ({start}) is outside {low}..{high}")

    def check_turns(self) -> None:
        turns = self.data.get("turns")
        phases = [p.get("id") for _, p in _items(turns, "phases")]
        if not phases:
            return
        known = [p for p in phases if p in PHASES]
        for index, phase in enumerate(phases):
            if phases.index(phase) != index:
                self.add(("turns", "phases", index, "id"), f"phase '{phase}' appears twice")
        if known != sorted(known, key=PHASES.index):
            self.add(("turns", "phases"), f"phases must keep this order: {', '.join(PHASES)}")
        if "moves" not in phases:
            self.add(("turns", "phases"), "a turn needs a 'moves' phase")

    # --- teams, actions, cards, outcomes --------------------------------------------------
    def check_teams_and_groupings(self) -> None:
        for t_index, team in _items(self.data, "teams"):
            for o_index, objective in _items(team, "objectives"):
                self.check_condition(
                    ("teams", t_index, "objectives", o_index, "condition"), objective.get("condition")
                )
        for g_index, grouping in _items(self.data, "groupings"):
            members = grouping.get("members")
            if isinstance(members, list):
                self.check_team_refs(("groupings", g_index, "members"), members)
                if len(set(map(str, members))) != len(members):
                    self.add(("groupings", g_index, "members"), "a grouping lists a team twice")
            grouping_id = grouping.get("id")
            if isinstance(grouping_id, str) and grouping_id in self.team_ids:
                self.add(("groupings", g_index, "id"), f"'{grouping_id}' is already a team id")

    def check_team_refs(self, path: Path, teams: list[Any]) -> None:
        if "teams" in self.unreadable:
            return
        for index, team in enumerate(teams):
            if isinstance(team, str) and team not in self.team_ids:
                self.add((*path, index), f"unknown team '{team}' (teams: {_list(self.team_ids)})")

    def check_actions(self) -> None:
        for index, action in _items(self.data, "actions"):
            path: Path = ("actions", index)
            teams = action.get("teams")
            if isinstance(teams, list):
                self.check_team_refs((*path, "teams"), teams)
            targets = action.get("targets")
            if isinstance(targets, list) and targets:
                self.check_team_refs((*path, "targets"), targets)
                if action.get("target", "none") != "team":
                    self.add(
                        (*path, "targets"), "only an action with 'target: team' lists the teams it may target"
                    )
            self.check_target(path, action)
            self.check_condition((*path, "requires"), action.get("requires"))
            self.check_effects((*path, "effects"), action.get("effects"))
            self.check_modifiers(path, action)

    def check_target(self, path: Path, action: dict[str, Any]) -> None:
        """An action that needs a target must have one: a place, or a team other than the one taking it.

        It is refused only when no team taking it has a target: a team (or grouping) that has none
        merely cannot take it, as the move form and the bots know."""
        name = action.get("id", "?")
        target = action.get("target")
        if target == "place" and not self.place_ids and "places" not in self.unreadable:
            self.add(
                path, f"action '{name}' targets a place, but the deck has no places (add them under 'places')"
            )
        teams, targets = action.get("teams"), action.get("targets") or []
        if target != "team" or not isinstance(teams, list) or not isinstance(targets, list):
            return
        named = [team for team in [*teams, *targets] if isinstance(team, str)]
        if "teams" in self.unreadable or not teams or not set(named) <= self.team_ids:
            return  # (pydantic, or the unknown team's own problem, says what is wrong)
        allowed = set(targets) or self.team_ids
        if all(not allowed - {team} for team in teams):
            whom = (
                "the deck has no other team" if not targets else "it may target only the teams that take it"
            )
            self.add(path, f"action '{name}' has no team it may target: {whom}")

    def check_modifiers(self, path: Path, owner: dict[str, Any]) -> None:
        for m_index, modifier in _items(owner, "modifiers"):
            self.check_condition((*path, "modifiers", m_index, "when"), modifier.get("when"))
            self.check_effects((*path, "modifiers", m_index, "effects"), modifier.get("effects"))

    def check_effects(self, path: Path, effects: Any) -> None:
        if not isinstance(effects, dict):
            return
        added = effects.get("add")
        if isinstance(added, dict):
            for name in added:
                track = self.tracks.get(name)
                if name in self.flag_ids:
                    self.add(
                        (*path, "add", name), f"'{name}' is a flag: use 'set' (to true or false)", at_key=True
                    )
                elif track is None:
                    if "tracks" not in self.unreadable:
                        self.add((*path, "add", name), f"unknown track '{name}'", at_key=True)
                elif isinstance(track.get("values"), list):
                    self.add(
                        (*path, "add", name), f"'{name}' has named values: use 'set', not 'add'", at_key=True
                    )
        assigned = effects.get("set")
        if isinstance(assigned, dict):
            for name, value in assigned.items():
                self.check_assignment((*path, "set", name), name, value)

    def check_assignment(self, path: Path, name: Any, value: Any) -> None:
        track = self.tracks.get(name)
        if name in self.flag_ids:
            if not isinstance(value, bool):
                self.add(path, f"flag '{name}' is set to true or false, not {_as_yaml(value)}")
        elif track is None:
            if self.unreadable.isdisjoint({"tracks", "flags"}):
                self.add(path, f"unknown track or flag '{name}'", at_key=True)
        elif not isinstance(track.get("values"), list):
            self.add(path, f"'{name}' is a numeric track: use 'add', not 'set'", at_key=True)
        elif not isinstance(value, str):
            values = _list(track["values"])
            quoted = f" (write '{value}' in quotes: without them it is not text)"
            quoted = quoted if str(value) in track["values"] else ""
            self.add(path, f"'{name}' is set to one of its values ({values}), not {_as_yaml(value)}{quoted}")
        elif value not in track["values"]:
            self.add(path, f"'{value}' is not a value of '{name}' (one of: {_list(track['values'])})")

    def check_cards(self) -> None:
        count = (
            (self.data.get("turns") or {}).get("count") if isinstance(self.data.get("turns"), dict) else None
        )
        for index, card in _items(self.data, "cards"):
            path: Path = ("cards", index)
            source = card.get("source")
            if self.unknown_id(source, "sources") and source != HYPOTHETICAL:
                self.add(
                    (*path, "source"),
                    f"unknown source '{source}' (sources: {_list(self.source_ids)}, or hypothetical)",
                )
            place = card.get("place")
            if self.unknown_id(place, "places"):
                self.add((*path, "place"), f"unknown place '{place}'")
            timing = card.get("when")
            if isinstance(timing, dict):
                if not any(timing.get(k) is not None for k in ("turn", "condition", "weight")):
                    self.add((*path, "when"), "say when the card may appear: turn, condition or weight")
                turn = timing.get("turn")
                if _number(turn) and _number(count) and turn > count:
                    self.add((*path, "when", "turn"), f"turn {turn} is after the last turn ({count})")
                self.check_condition((*path, "when", "condition"), timing.get("condition"))
            self.check_effects((*path, "effects"), card.get("effects"))
            self.check_modifiers(path, card)

    def check_outcomes(self) -> None:
        outcomes = list(_items(self.data, "outcomes"))
        for position, (index, outcome) in enumerate(outcomes):
            path: Path = ("outcomes", index)
            source = outcome.get("source")
            if self.unknown_id(source, "sources"):
                self.add((*path, "source"), f"unknown source '{source}'")
            condition = outcome.get("condition")
            self.check_condition((*path, "condition"), condition)
            is_last = position == len(outcomes) - 1
            if condition is None and not is_last:
                self.add(
                    path,
                    "only the last outcome may have no condition (the ones after it could never be reached)",
                )
            if condition is not None and is_last:
                self.add(
                    (*path, "condition"), "the last outcome must have no condition, so every session gets one"
                )

    def unknown_id(self, value: Any, key: str) -> bool:
        """Whether `value` is an id that the list `key` (sources or places) does not have."""
        known = {"sources": self.source_ids, "places": self.place_ids}[key]
        return isinstance(value, str) and value not in known and key not in self.unreadable

    # --- conditions -----------------------------------------------------------------------
    def check_condition(self, path: Path, spec: Any) -> None:
        if spec is None:
            return
        if isinstance(spec, str):
            self.check_condition_text(path, spec)
        elif isinstance(spec, dict) and len(spec) == 1:
            key, value = next(iter(spec.items()))
            if key in ("all", "any") and isinstance(value, list):
                for index, item in enumerate(value):
                    self.check_condition((*path, key, index), item)
            elif key == "not":
                self.check_condition((*path, key), value)

    def check_condition_text(self, path: Path, text: str) -> None:
        try:
            tree = conditions.parse(text)
        except ConditionSyntaxError as exc:
            self.add_in_text(path, exc.offset, f"condition: {exc}")
            return
        names: list[tuple[str, ...]] = []

        def resolve(parts: tuple[str, ...]) -> NameInfo | None:
            names.append(parts)
            return self.resolve(parts)

        issues = conditions.check(tree, resolve)
        if any(self.unknowable(parts) for parts in names):
            return
        for issue in issues:
            self.add_in_text(
                path, issue.offset, f"condition: {issue.message}{self.quote_hint(issue.message)}"
            )

    def quote_hint(self, message: str) -> str:
        """For an unknown name that is a band id or a track's value: how to write it as text."""
        name = message.removeprefix("unknown name '").removesuffix("'")
        if name == message:
            return ""
        if name in self.band_ids:
            return f" (a band id is text: write band == '{name}')"
        values = [track.get("values") for track in self.tracks.values()]
        if any(isinstance(listed, list) and name in map(str, listed) for listed in values):
            return f" (a track's value is text: write it in quotes, '{name}')"
        return ""

    def unknowable(self, parts: tuple[str, ...]) -> bool:
        """Whether a name may be an item of a list pydantic could not read (see _unreadable_lists)."""
        if parts == ("band",):
            return "bands" in self.unreadable
        if self.resolve(parts) is not None:
            return False
        if len(parts) == 1:
            return not self.unreadable.isdisjoint({"tracks", "flags"})
        return _NAME_LISTS.get(parts[0]) in self.unreadable

    def add_in_text(self, path: Path, offset: int | None, message: str) -> None:
        line, column = self.located.where(path)
        source_line = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        start = source_line[column - 1 : column] if column - 1 < len(source_line) else ""
        if offset is not None and start not in ("|", ">"):
            line, column = self._folded(line, column + (1 if start in ("'", '"') else 0), offset)
        self.problems.append(Problem(self.located.file, line, column, message))

    def _folded(self, line: int, column: int, offset: int) -> tuple[int, int]:
        """Where `offset` of a text that starts at `line`:`column` is in the file. A text written
        over several lines is read as one, each line break a space and each next line without its
        indentation."""
        segment = self.lines[line - 1][column - 1 :] if 0 < line <= len(self.lines) else ""
        while line < len(self.lines) and offset > len(segment.rstrip()):
            offset -= len(segment.rstrip()) + 1  # the space the line break became
            line += 1
            segment = self.lines[line - 1].lstrip()
            column = len(self.lines[line - 1]) - len(segment) + 1
        return line, column + offset

    def resolve(self, parts: tuple[str, ...]) -> NameInfo | None:
        head = parts[0]
        if len(parts) == 1:
            if head in ("index", "turn"):
                return NameInfo("number")
            if head == "band":
                return NameInfo("choice", tuple(sorted(self.band_ids)))
            if head in self.flag_ids:
                return NameInfo("bool")
            track = self.tracks.get(head)
            if track is not None:
                values = track.get("values")
                return (
                    NameInfo("choice", tuple(map(str, values)))
                    if isinstance(values, list)
                    else NameInfo("number")
                )
            return None
        if len(parts) == 2 and head == "injected" and parts[1] in self.card_ids:
            return NameInfo("bool")
        if len(parts) == 2 and head == "taken" and parts[1] in self.action_ids:
            return NameInfo("number")
        if (
            len(parts) == 3
            and head == "team"
            and parts[1] in self.team_ids
            and parts[2] in ("escalation", "deescalation")
        ):
            return NameInfo("number")
        return None


def _number(value: Any) -> TypeGuard[float]:
    """Whether YAML read `value` as a number (yes/no read as true/false are not numbers)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _bound(value: Any) -> bool:
    """Whether `value` is a number or null (no bound)."""
    return value is None or _number(value)


def _numeric_start(start: str) -> str:
    """Why a numeric track's text `start` is refused."""
    try:
        float(start)
    except ValueError:
        return "a numeric track starts at a number (or give it 'values')"
    return f"write the number without quotes: {start.strip()}, not {start!r}"


def _as_yaml(value: Any) -> str:
    """A value as the deck's author wrote it (YAML's null and true, not Python's None and True)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def _list(values: Any) -> str:
    return ", ".join(sorted(map(str, values))) or "none"


def check_references(located: Located, text: str) -> list[Problem]:
    """Every cross-reference problem in a deck's raw data (unknown ids, bad conditions...)."""
    if not isinstance(located.data, dict):
        return []
    return _Checker(located, text).run()
