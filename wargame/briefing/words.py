"""Conditions, effects and timings of a deck put into words for people (plain text, not markup).

Conditions are read from their parsed tree (`wargame.deck.models.condition_tree`), so names are
replaced by the deck's own labels: `channel == 'working' and index < 75` becomes
"Military-to-military channel is “working”, and the escalation index is below 75".
"""

from __future__ import annotations

from wargame.deck.conditions import AllOf, AnyOf, Compare, Constant, Name, Node, NotOf, Truth, Value
from wargame.deck.models import (
    AllCondition,
    AnyCondition,
    Band,
    CardTiming,
    Condition,
    Deck,
    Effects,
    Flag,
    Track,
    condition_tree,
)

_FLIP = {"<": ">", ">": "<", "<=": ">=", ">=": "<=", "==": "==", "!=": "!="}
_TIMES = {1: "once", 2: "twice"}


def condition_text(spec: Condition) -> str:
    """The condition as the deck author wrote it (mappings shown as all/any/not of texts)."""
    if isinstance(spec, str):
        return " ".join(spec.split())
    if isinstance(spec, AllCondition):
        return "all of: " + "; ".join(f"({condition_text(item)})" for item in spec.all)
    if isinstance(spec, AnyCondition):
        return "any of: " + "; ".join(f"({condition_text(item)})" for item in spec.any)
    return f"not ({condition_text(spec.not_)})"


def condition_words(deck: Deck, spec: Condition) -> str:
    """The condition in words, with the deck's labels for tracks, flags, cards and actions."""
    text = _node(deck, condition_tree(spec), top=True)
    return text[:1].upper() + text[1:]


def _node(deck: Deck, node: Node, *, top: bool = False) -> str:
    if isinstance(node, AllOf):
        parts = [_node(deck, item) for item in node.items]
        text = _join(parts, "and")
        return text if top else f"({text})"
    if isinstance(node, AnyOf):
        merged = _one_of(deck, node.items)
        if merged:
            return merged
        parts = [_node(deck, item) for item in node.items]
        text = "either " + _join(parts, "or") if len(parts) == 2 else "any of: " + "; ".join(parts)
        return text if top else f"({text})"
    if isinstance(node, NotOf):
        return _negated(deck, node.item)
    if isinstance(node, Truth):
        return _truth(deck, node.name, True)
    if isinstance(node, Constant):
        return "always" if node.value else "never"
    return _compare(deck, node)


def _one_of(deck: Deck, items: tuple[Node, ...]) -> str | None:
    """`x == 'a' or x == 'b'` on one named-value track, as "“X” is “a” or “b”"."""
    names = set()
    values: list[str] = []
    for item in items:
        if not (
            isinstance(item, Compare)
            and item.op == "=="
            and isinstance(item.left, Name)
            and isinstance(item.right, Value)
            and isinstance(item.right.value, str)
        ):
            return None
        names.add(item.left.dotted)
        values.append(f"“{item.right.value}”")
    track = next((t for t in deck.tracks if t.id in names), None)
    if len(names) != 1 or track is None:
        return None
    return f"“{track.label}” is {_join(values, 'or')}"


def _join(parts: list[str], word: str) -> str:
    if len(parts) <= 2:
        return f" {word} ".join(parts)
    return ", ".join(parts[:-1]) + f", {word} " + parts[-1]


def _negated(deck: Deck, item: Node) -> str:
    if isinstance(item, Truth):
        return _truth(deck, item.name, False)
    if isinstance(item, Compare):
        opposite = {"<": ">=", ">": "<=", "<=": ">", ">=": "<", "==": "!=", "!=": "=="}
        return _compare(deck, Compare(item.left, opposite[item.op], item.right))
    if isinstance(item, NotOf):
        return _node(deck, item.item)
    return f"not {_node(deck, item)}"


def _truth(deck: Deck, name: Name, value: bool) -> str:
    parts = name.parts
    if parts[0] == "injected" and len(parts) == 2:
        title = _card_title(deck, parts[1])
        return f"card “{title}” has been played" if value else f"card “{title}” has not been played"
    if parts[0] == "taken" and len(parts) == 2:
        label = _action_label(deck, parts[1])
        return f"“{label}” has been taken" if value else f"“{label}” has never been taken"
    flag = next((f for f in deck.flags if f.id == name.dotted), None)
    label = flag.label if flag else name.dotted
    return f"“{label}”: yes" if value else f"“{label}”: no"


def _compare(deck: Deck, node: Compare) -> str:
    left, op, right = node.left, node.op, node.right
    if isinstance(left, Value) and isinstance(right, Name):
        left, op, right = right, _FLIP[op], left
    if not isinstance(left, Name) or not isinstance(right, Value):
        return f"{_operand(left)} {op} {_operand(right)}"
    value = right.value
    parts = left.parts
    if isinstance(value, bool) and op in ("==", "!="):
        return _truth(deck, left, value == (op == "=="))
    if parts == ("index",):
        return "the escalation index is " + _amount(op, value)
    if parts == ("turn",):
        return _turn(op, value)
    if parts == ("band",):
        band = next((b for b in deck.escalation.bands if b.id == value), None)
        label = band.label if band else str(value)
        return f"the index is {'not ' if op == '!=' else ''}in the band “{label}”"
    if parts[0] == "taken" and len(parts) == 2:
        count = _count(op, value)
        label = _action_label(deck, parts[1])
        return f"“{label}” has never been taken" if count == "never" else f"“{label}” has been taken {count}"
    if parts[0] == "team" and len(parts) == 3:
        team = next((t.name for t in deck.teams if t.id == parts[1]), parts[1])
        kind = "escalation" if parts[2] == "escalation" else "de-escalation"
        return f"{team}'s {kind} points are {_amount(op, value)}"
    track = next((t for t in deck.tracks if t.id == left.dotted), None)
    label = track.label if track else left.dotted
    if isinstance(value, str):
        verb = "is" if op == "==" else "is not"
        return f"“{label}” {verb} “{value}”"
    return f"“{label}” is {_amount(op, value)}"


def _operand(operand: Name | Value) -> str:
    return operand.dotted if isinstance(operand, Name) else repr(operand.value)


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _amount(op: str, value: object) -> str:
    number = _number(value)
    return {
        "<": f"below {number}",
        "<=": f"{number} or less",
        ">": f"above {number}",
        ">=": f"{number} or more",
        "==": f"exactly {number}",
        "!=": f"not {number}",
    }[op]


def _turn(op: str, value: object) -> str:
    number = _number(value)
    return {
        "<": f"before turn {number}",
        "<=": f"in turn {number} or earlier",
        ">": f"after turn {number}",
        ">=": f"in turn {number} or later",
        "==": f"in turn {number}",
        "!=": f"in any turn but {number}",
    }[op]


def _count(op: str, value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        n = int(value) if float(value).is_integer() else value
        if op == ">=" and isinstance(n, int) and n >= 1:
            return "at least " + _TIMES.get(n, f"{n} times")
        if op == "==" and n == 0:
            return "never"
        if op == ">" and n == 0:
            return "at least once"
        if op == "<" and n == 1:
            return "never"
    return f"a number of times {_amount(op, value)}"


def _card_title(deck: Deck, card_id: str) -> str:
    return next((c.title for c in deck.cards if c.id == card_id), card_id)


def _action_label(deck: Deck, action_id: str) -> str:
    return next((a.label for a in deck.actions if a.id == action_id), action_id)


def effects_words(deck: Deck, effects: Effects) -> str:
    """What an action or card changes besides the index, e.g. "Public alarm +1; Channel → working"."""
    parts: list[str] = []
    for track_id, amount in effects.add.items():
        if amount:
            parts.append(f"{_state_label(deck, track_id)} {signed(amount)}")
    for name, value in effects.set.items():
        if isinstance(value, bool):
            parts.append(f"{_state_label(deck, name)}: {'yes' if value else 'no'}")
        else:
            parts.append(f"{_state_label(deck, name)} → {value}")
    return "; ".join(parts)


def _state_label(deck: Deck, name: str) -> str:
    items: tuple[Track | Flag, ...] = (*deck.tracks, *deck.flags)
    for item in items:
        if item.id == name:
            return item.label
    return name


def signed(value: float) -> str:
    """An escalation value or change as printed: +4, −2, 0 (typographic minus)."""
    if value == 0:
        return "0"
    return f"+{value:g}" if value > 0 else f"−{abs(value):g}"


def band_at(deck: Deck, value: float) -> Band:
    """The escalation band that `value` falls in."""
    current = deck.escalation.bands[0]
    for band in deck.escalation.bands:
        if value >= band.from_:
            current = band
    return current


def band_range(deck: Deck, index: int) -> str:
    """The index values of band `index`, e.g. "15–45" or "95 and up"."""
    bands = deck.escalation.bands
    upper = bands[index + 1].from_ if index + 1 < len(bands) else deck.escalation.max
    if upper is None:
        return f"{bands[index].from_:g} and up"
    return f"{bands[index].from_:g}–{upper:g}"


def timing_words(deck: Deck, when: CardTiming) -> str:
    """When a card comes into play, in words."""
    condition = condition_words(deck, when.condition) if when.condition is not None else None
    if when.turn is not None:
        text = f"Scheduled for turn {when.turn}"
        if condition:
            text += f", if {lower_first(condition)}"
        if when.weight is not None:
            text += f"; also in the random pool (weight {when.weight:g})"
        return text
    if when.weight is not None:
        text = f"Random draw (weight {when.weight:g})"
        if condition:
            text += f", only while {lower_first(condition)}"
        return text
    return f"Triggered at an inject phase once {lower_first(condition or '')}"


def lower_first(text: str) -> str:
    """Lower-case the first letter of a sentence used mid-sentence (not a quote or an acronym)."""
    if text[:1] in "“\"'" or text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]
