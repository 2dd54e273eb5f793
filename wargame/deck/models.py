"""Typed, immutable models of a deck (pydantic v2). The JSON Schema is generated from these."""

from __future__ import annotations

import functools
import math
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from wargame.deck import conditions
from wargame.deck.conditions import Node

YES_NO = "YAML reads yes, no, on, off, true and false as true or false"


# YAML 1.1 reads 1e2 (no point, or no sign after the e) as text, not as the number 100
EXPONENT = re.compile(r"[-+]?([0-9]+[eE][-+]?|[0-9]*\.[0-9]*[eE])[0-9]+")
EXPONENT_AS_TEXT = (
    "YAML reads {value} as text, not a number: write the number in full, "
    "or like 1.0e+2 (a point before the e, a sign after it)"
)
NUMBER_MAX = 1_000_000  # a deck's numbers lie within ±this: sums of them stay finite and readable


def _number(value: object) -> object:
    """A number as YAML read it: not text in quotes, not yes/no (pydantic's lax mode takes both),
    and not beyond ±NUMBER_MAX."""
    if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) > NUMBER_MAX:
        if not math.isfinite(value):
            return value  # (refused by allow_inf_nan)
        raise ValueError(
            f"{value:g} is too large: a deck's numbers lie between -{NUMBER_MAX:,} and {NUMBER_MAX:,}"
        )
    if isinstance(value, bool):
        raise ValueError(f"expected a number, not {str(value).lower()} ({YES_NO})")
    if isinstance(value, str) and EXPONENT.fullmatch(value.strip()):
        raise ValueError(EXPONENT_AS_TEXT.format(value=value.strip()))
    if isinstance(value, str):
        try:
            finite = math.isfinite(float(value))
        except ValueError:
            finite = False
        if not finite:
            raise ValueError(f"expected a number, not {value!r}")
        raise ValueError(f"write the number without quotes: {value.strip()}, not {value!r}")
    return value


def _version(value: object) -> object:
    """A version is text; a whole number (`version: 2`) reads as written, a decimal one does not."""
    if isinstance(value, float):
        raise ValueError(f'YAML reads this as the number {value}: write the version in quotes, e.g. "1.10"')
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Number = Annotated[float, BeforeValidator(_number)]
Whole = Annotated[int, BeforeValidator(_number)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9_]+$", min_length=1, max_length=64)]
Text = Annotated[str, Field(min_length=1)]
VersionText = Annotated[str, BeforeValidator(_version), Field(min_length=1)]
Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]

PHASES: tuple[str, ...] = ("inject", "deliberation", "moves", "reveal", "adjudication", "scoring")
PhaseId = Literal["inject", "deliberation", "moves", "reveal", "adjudication", "scoring"]
HYPOTHETICAL = "hypothetical"
MINUTES_MAX = 240.0  # the longest phase, in minutes (the new-session wizard's limit too)


class Model(BaseModel):
    # allow_inf_nan=False: a deck number is finite (NaN and infinity would reach JSON and the index)
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, allow_inf_nan=False)


class AllCondition(Model):
    all: tuple[Condition, ...] = Field(min_length=1)


class AnyCondition(Model):
    any: tuple[Condition, ...] = Field(min_length=1)


class NotCondition(Model):
    not_: Condition = Field(alias="not")


Condition = Annotated[
    str | AllCondition | AnyCondition | NotCondition,
    Field(description="A condition: expression text (see docs/deck-format.md) or {all|any|not: ...}"),
]


class Source(Model):
    id: Slug
    title: Text
    author: str | None = None
    outlet: str | None = None
    date: str | None = None
    seed: str | None = Field(default=None, description="The file in shared/seeds this source came from")


class Objective(Model):
    id: Slug
    text: Text
    points: Whole = 1
    condition: Condition


class Team(Model):
    id: Slug
    name: Text
    colour: Colour
    briefing: Text
    objectives: tuple[Objective, ...] = ()


class Grouping(Model):
    id: Slug
    name: Text
    members: tuple[Slug, ...] = Field(min_length=2)


class Place(Model):
    id: Slug
    name: Text
    lat: Number = Field(ge=-90, le=90)
    lon: Number = Field(ge=-180, le=180)


class Band(Model):
    id: Slug
    label: Text
    from_: Number = Field(alias="from")
    description: str = ""


class Escalation(Model):
    min: Number | None = 0
    max: Number | None = 100
    start: Number = 0
    bands: tuple[Band, ...] = Field(min_length=1)


class Track(Model):
    """Extra state: a number (`min`/`max`) or one of named `values`."""

    id: Slug
    label: Text
    values: tuple[Slug, ...] | None = None
    min: Number | None = None
    max: Number | None = None
    start: Number | str = 0
    description: str = ""

    @property
    def is_choice(self) -> bool:
        return self.values is not None


class Flag(Model):
    id: Slug
    label: Text
    start: bool = False
    description: str = ""


class Phase(Model):
    id: PhaseId
    minutes: Number = Field(default=5, gt=0, le=MINUTES_MAX)


class Turns(Model):
    count: Whole = Field(ge=1, le=100)
    phases: tuple[Phase, ...] = Field(min_length=1)
    random_cards_per_turn: Whole = Field(default=1, ge=0, le=10)


class Effects(Model):
    add: dict[Slug, Number] = Field(default_factory=dict, description="Numeric tracks: add (clamped)")
    set: dict[Slug, str | bool] = Field(default_factory=dict, description="Named-value tracks and flags: set")


class Modifier(Model):
    when: Condition
    escalation: Number | None = None
    effects: Effects | None = None
    note: str = ""


class Action(Model):
    id: Slug
    label: Text
    description: str = ""
    teams: tuple[Slug, ...] = Field(min_length=1)
    escalation: Number
    rationale: Text
    target: Literal["none", "team", "place"] = "none"
    targets: tuple[Slug, ...] = Field(
        default=(), description="With target: team, the teams it may target (default: any other team)"
    )
    requires: Condition | None = None
    effects: Effects = Field(default_factory=Effects)
    modifiers: tuple[Modifier, ...] = ()


class CardTiming(Model):
    turn: Annotated[int, Field(ge=1), BeforeValidator(_number)] | None = None
    condition: Condition | None = None
    weight: Annotated[float, Field(gt=0), BeforeValidator(_number)] | None = None


class Card(Model):
    id: Slug
    title: Text
    text: Text
    ground_truth: str | None = None
    source: Slug
    place: Slug | None = None
    when: CardTiming
    repeatable: bool = False
    escalation: Number = 0
    effects: Effects = Field(default_factory=Effects)
    modifiers: tuple[Modifier, ...] = ()

    @property
    def hypothetical(self) -> bool:
        return self.source == HYPOTHETICAL


class Outcome(Model):
    id: Slug
    title: Text
    description: Text
    condition: Condition | None = None
    early_end: bool = False
    source: Slug | None = None
    debrief: tuple[Text, ...] = ()


class Deck(Model):
    """A whole scenario, as loaded and checked from one YAML file."""

    id: Slug
    title: Text
    version: VersionText
    summary: Text
    facilitator_notes: str = Field(
        default="",
        description="For the facilitator only: printed in the facilitator's guide, never in a team brief",
    )
    language: str = "en"
    sources: tuple[Source, ...] = ()
    teams: tuple[Team, ...] = Field(min_length=1)
    groupings: tuple[Grouping, ...] = ()
    places: tuple[Place, ...] = ()
    escalation: Escalation
    tracks: tuple[Track, ...] = ()
    flags: tuple[Flag, ...] = ()
    moves_per_turn: Whole = Field(default=1, ge=1, le=10)
    turns: Turns
    actions: tuple[Action, ...] = Field(min_length=1)
    cards: tuple[Card, ...] = ()
    outcomes: tuple[Outcome, ...] = Field(min_length=1)

    def team(self, team_id: str) -> Team:
        return next(t for t in self.teams if t.id == team_id)

    def action(self, action_id: str) -> Action:
        return next(a for a in self.actions if a.id == action_id)

    def card(self, card_id: str) -> Card:
        return next(c for c in self.cards if c.id == card_id)

    def outcome(self, outcome_id: str) -> Outcome:
        return next(o for o in self.outcomes if o.id == outcome_id)

    def place(self, place_id: str) -> Place:
        return next(p for p in self.places if p.id == place_id)

    @property
    def phase_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.turns.phases)


AllCondition.model_rebuild()
AnyCondition.model_rebuild()
NotCondition.model_rebuild()
Modifier.model_rebuild()


def condition_tree(spec: Condition) -> Node:
    """The parsed tree of a condition (parsed once per distinct condition)."""
    return _condition_tree(spec)


@functools.lru_cache(maxsize=4096)
def _condition_tree(spec: Condition) -> Node:
    if isinstance(spec, str):
        return conditions.parse(spec)
    if isinstance(spec, AllCondition):
        return conditions.AllOf(tuple(_condition_tree(item) for item in spec.all))
    if isinstance(spec, AnyCondition):
        return conditions.AnyOf(tuple(_condition_tree(item) for item in spec.any))
    return conditions.NotOf(_condition_tree(spec.not_))
