"""The condition language: a small, declarative expression language over the game state.

    index >= 60 and channel == 'working'
    not strike_on_latvia or (band == 'confrontation' and turn > 3)

Text is tokenised and parsed by hand into a tree; nothing is ever `eval`-ed. Names are checked
against the deck when it loads (`check`), and the engine evaluates the tree (`evaluate`) with a
function that looks names up in its state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Union

COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")
MAX_NESTING = 50


class ConditionSyntaxError(Exception):
    """A condition that does not parse; `offset` is the 0-based position in the text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True, slots=True)
class Name:
    parts: tuple[str, ...]
    offset: int

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@dataclass(frozen=True, slots=True)
class Value:
    value: float | int | str | bool
    offset: int


Operand = Union[Name, Value]  # noqa: UP007 - a runtime alias


@dataclass(frozen=True, slots=True)
class Compare:
    left: Operand
    op: str
    right: Operand


@dataclass(frozen=True, slots=True)
class Truth:
    """A name used alone, as in `strike_on_latvia`: true when the flag is set."""

    name: Name


@dataclass(frozen=True, slots=True)
class Constant:
    value: bool


@dataclass(frozen=True, slots=True)
class AllOf:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class NotOf:
    item: Node


Node = Union[Compare, Truth, Constant, AllOf, AnyOf, NotOf]  # noqa: UP007 - a runtime alias

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>-?\d+(?:\.\d+)?)
  | (?P<string>'[^']*'|"[^"]*")
  | (?P<op>==|!=|<=|>=|<|>)
  | (?P<paren>[()])
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
    """,
    re.VERBOSE,
)

_KEYWORDS = {"and", "or", "not", "true", "false"}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    offset: int


def _tokenise(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise ConditionSyntaxError(f"unexpected character {text[position]!r}", position)
        kind = match.lastgroup or ""
        if kind != "space":
            word = match.group()
            if (kind == "name" and word in _KEYWORDS) or kind == "paren":
                kind = word
            tokens.append(_Token(kind, word, position))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenise(text)
        self.position = 0
        self.depth = 0

    def nest(self) -> None:
        """Count one level of parentheses or `not`; refuse absurd nesting before Python's stack does."""
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ConditionSyntaxError(f"nested more than {MAX_NESTING} levels deep", self.peek().offset)

    def peek(self) -> _Token:
        return self.tokens[self.position]

    def take(self) -> _Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse(self) -> Node:
        node = self.parse_or()
        token = self.peek()
        if token.kind != "end":
            raise ConditionSyntaxError(f"unexpected {token.text!r}", token.offset)
        return node

    def parse_or(self) -> Node:
        items = [self.parse_and()]
        while self.peek().kind == "or":
            self.take()
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else AnyOf(tuple(items))

    def parse_and(self) -> Node:
        items = [self.parse_not()]
        while self.peek().kind == "and":
            self.take()
            items.append(self.parse_not())
        return items[0] if len(items) == 1 else AllOf(tuple(items))

    def parse_not(self) -> Node:
        if self.peek().kind == "not":
            self.take()
            self.nest()
            node = NotOf(self.parse_not())
            self.depth -= 1
            return node
        return self.parse_comparison()

    def parse_comparison(self) -> Node:
        token = self.peek()
        if token.kind == "(":
            self.take()
            self.nest()
            node = self.parse_or()
            self.depth -= 1
            closing = self.take()
            if closing.kind != ")":
                raise ConditionSyntaxError("missing ')'", closing.offset)
            return node
        left = self.parse_operand()
        if self.peek().kind == "op":
            op = self.take().text
            right = self.parse_operand()
            return Compare(left, op, right)
        if isinstance(left, Name):
            return Truth(left)
        if isinstance(left.value, bool):
            return Constant(left.value)
        raise ConditionSyntaxError("a value alone is not a condition: compare it with something", left.offset)

    def parse_operand(self) -> Operand:
        token = self.take()
        if token.kind == "name":
            return Name(tuple(token.text.split(".")), token.offset)
        if token.kind == "number":
            number = float(token.text) if "." in token.text else int(token.text)
            return Value(number, token.offset)
        if token.kind == "string":
            return Value(token.text[1:-1], token.offset)
        if token.kind in ("true", "false"):
            return Value(token.kind == "true", token.offset)
        if token.kind == "end":
            raise ConditionSyntaxError("the condition ends too early", token.offset)
        raise ConditionSyntaxError(f"expected a name or a value, found {token.text!r}", token.offset)


def parse(text: str) -> Node:
    """Parse condition text into a tree; raises ConditionSyntaxError with an offset."""
    if not text.strip():
        raise ConditionSyntaxError("the condition is empty", 0)
    return _Parser(text).parse()


# --- checking names against a deck -------------------------------------------------------

NameKind = Literal["number", "bool", "choice"]


@dataclass(frozen=True, slots=True)
class NameInfo:
    """What a name means: a number, a yes/no, or one of `choices`."""

    kind: NameKind
    choices: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ConditionIssue:
    message: str
    offset: int | None


def check(node: Node, resolve: Callable[[tuple[str, ...]], NameInfo | None]) -> list[ConditionIssue]:
    """Every problem with the names and comparisons in `node` (empty when it is sound)."""
    issues: list[ConditionIssue] = []
    _check(node, resolve, issues)
    return issues


def _check(
    node: Node, resolve: Callable[[tuple[str, ...]], NameInfo | None], issues: list[ConditionIssue]
) -> None:
    if isinstance(node, AllOf | AnyOf):
        for item in node.items:
            _check(item, resolve, issues)
    elif isinstance(node, NotOf):
        _check(node.item, resolve, issues)
    elif isinstance(node, Truth):
        info = _resolve(node.name, resolve, issues)
        if info is not None and info.kind != "bool":
            issues.append(
                ConditionIssue(
                    f"'{node.name.dotted}' is not a yes/no value: compare it with something", node.name.offset
                )
            )
    elif isinstance(node, Compare):
        _check_comparison(node, resolve, issues)


def _resolve(
    name: Name, resolve: Callable[[tuple[str, ...]], NameInfo | None], issues: list[ConditionIssue]
) -> NameInfo | None:
    info = resolve(name.parts)
    if info is None:
        issues.append(ConditionIssue(f"unknown name '{name.dotted}'", name.offset))
    return info


def _operand_info(
    operand: Operand, resolve: Callable[[tuple[str, ...]], NameInfo | None], issues: list[ConditionIssue]
) -> NameInfo | None:
    if isinstance(operand, Name):
        return _resolve(operand, resolve, issues)
    value = operand.value
    if isinstance(value, bool):
        return NameInfo("bool")
    if isinstance(value, int | float):
        return NameInfo("number")
    return NameInfo("choice", (value,))


def _check_comparison(
    node: Compare, resolve: Callable[[tuple[str, ...]], NameInfo | None], issues: list[ConditionIssue]
) -> None:
    left = _operand_info(node.left, resolve, issues)
    right = _operand_info(node.right, resolve, issues)
    if left is None or right is None:
        return
    offset = node.left.offset
    if left.kind != right.kind:
        issues.append(ConditionIssue(f"cannot compare a {_describe(left)} with a {_describe(right)}", offset))
        return
    if left.kind != "number" and node.op not in ("==", "!="):
        issues.append(ConditionIssue(f"'{node.op}' needs numbers; use == or != here", offset))
        return
    if left.kind == "choice":
        _check_choice(node, left, right, issues)


def _check_choice(node: Compare, left: NameInfo, right: NameInfo, issues: list[ConditionIssue]) -> None:
    for named, literal, info in ((node.left, node.right, left), (node.right, node.left, right)):
        if isinstance(named, Name) and isinstance(literal, Value) and literal.value not in info.choices:
            allowed = ", ".join(info.choices)
            issues.append(
                ConditionIssue(
                    f"'{literal.value}' is not a value of '{named.dotted}' (one of: {allowed})",
                    literal.offset,
                )
            )


def _describe(info: NameInfo) -> str:
    return {"number": "number", "bool": "yes/no value", "choice": "named value"}[info.kind]


# --- evaluation ------------------------------------------------------------------------------

_COMPARE: Mapping[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def evaluate(node: Node, lookup: Callable[[tuple[str, ...]], Any]) -> bool:
    """The truth of `node`, with `lookup` giving the current value of each name."""
    if isinstance(node, Compare):
        left = lookup(node.left.parts) if isinstance(node.left, Name) else node.left.value
        right = lookup(node.right.parts) if isinstance(node.right, Name) else node.right.value
        return _COMPARE[node.op](left, right)
    if isinstance(node, Truth):
        return bool(lookup(node.name.parts))
    if isinstance(node, AllOf):
        return all(evaluate(item, lookup) for item in node.items)
    if isinstance(node, AnyOf):
        return any(evaluate(item, lookup) for item in node.items)
    if isinstance(node, NotOf):
        return not evaluate(node.item, lookup)
    return node.value
