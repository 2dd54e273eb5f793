"""The condition language: parsing, precedence, checking against a deck, evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.deck import DeckError, load_deck_text
from wargame.deck.conditions import (
    AllOf,
    AnyOf,
    Compare,
    ConditionSyntaxError,
    Constant,
    Name,
    NameInfo,
    NotOf,
    Truth,
    Value,
    check,
    evaluate,
    parse,
)
from wargame.deck.models import AllCondition, AnyCondition, NotCondition, condition_tree

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini.yaml"


def truth(name: str, offset: int) -> Truth:
    return Truth(Name(tuple(name.split(".")), offset))


# --- parsing -----------------------------------------------------------------------------------


def test_a_comparison() -> None:
    assert parse("index >= 60") == Compare(Name(("index",), 0), ">=", Value(60, 9))


@pytest.mark.parametrize("op", ["==", "!=", "<", "<=", ">", ">="])
def test_every_comparison_operator(op: str) -> None:
    assert parse(f"turn {op} 3") == Compare(Name(("turn",), 0), op, Value(3, 6 + len(op)))


def test_comparison_without_spaces() -> None:
    assert parse("index>=-5") == Compare(Name(("index",), 0), ">=", Value(-5, 7))


@pytest.mark.parametrize(
    ("text", "value"),
    [("3", 3), ("-3", -3), ("2.5", 2.5), ("-0.25", -0.25), ("'x'", "x"), ('"x y"', "x y"), ("''", "")],
)
def test_literals(text: str, value: Any) -> None:
    node = parse(f"a == {text}")
    assert isinstance(node, Compare)
    assert isinstance(node.right, Value)
    assert node.right.value == value
    assert type(node.right.value) is type(value)


def test_dotted_names() -> None:
    node = parse("team.red.escalation > taken.talk")
    assert node == Compare(Name(("team", "red", "escalation"), 0), ">", Name(("taken", "talk"), 22))
    assert isinstance(node.left, Name)
    assert node.left.dotted == "team.red.escalation"


def test_a_name_alone_and_constants() -> None:
    assert parse("strike") == truth("strike", 0)
    assert parse("injected.opening") == truth("injected.opening", 0)
    assert parse("true") == Constant(True)
    assert parse(" false ") == Constant(False)
    assert parse("strike == true") == Compare(Name(("strike",), 0), "==", Value(True, 10))


def test_and_binds_tighter_than_or() -> None:
    assert parse("a or b and c") == AnyOf((truth("a", 0), AllOf((truth("b", 5), truth("c", 11)))))
    assert parse("a and b or c") == AnyOf((AllOf((truth("a", 0), truth("b", 6))), truth("c", 11)))


def test_not_binds_tighter_than_and() -> None:
    assert parse("not a and b") == AllOf((NotOf(truth("a", 4)), truth("b", 10)))
    assert parse("not not a") == NotOf(NotOf(truth("a", 8)))


def test_comparison_binds_tighter_than_not() -> None:
    assert parse("not index > 3") == NotOf(Compare(Name(("index",), 4), ">", Value(3, 12)))


def test_parentheses_override_precedence() -> None:
    assert parse("(a or b) and c") == AllOf((AnyOf((truth("a", 1), truth("b", 6))), truth("c", 13)))
    assert parse("not (a and b)") == NotOf(AllOf((truth("a", 5), truth("b", 11))))
    assert parse("((a))") == truth("a", 2)


def test_chains_are_flat() -> None:
    assert parse("a and b and c") == AllOf((truth("a", 0), truth("b", 6), truth("c", 12)))
    assert parse("a or b or c") == AnyOf((truth("a", 0), truth("b", 5), truth("c", 10)))


def test_keywords_are_whole_words() -> None:
    assert parse("notice and order") == AllOf((truth("notice", 0), truth("order", 11)))
    assert parse("android") == truth("android", 0)


@pytest.mark.parametrize(
    ("text", "message", "offset"),
    [
        ("", "the condition is empty", 0),
        ("   ", "the condition is empty", 0),
        ("index >=", "the condition ends too early", 8),
        ("(index > 1", "missing ')'", 10),
        ("(a or (b and c)", "missing ')'", 15),
        ("(a b)", "missing ')'", 3),
        ("index > 1)", "unexpected ')'", 9),
        ("a b", "unexpected 'b'", 2),
        ("index && 1", "unexpected character '&'", 6),
        ("index = 1", "unexpected character '='", 6),
        ("channel == 'open", 'unexpected character "\'"', 11),
        ("index > > 1", "expected a name or a value, found '>'", 8),
        ("a and or b", "expected a name or a value, found 'or'", 6),
        ("3", "a value alone is not a condition: compare it with something", 0),
        ("a or 'x'", "a value alone is not a condition: compare it with something", 5),
        ("not", "the condition ends too early", 3),
        ("()", "expected a name or a value, found ')'", 1),
        ("a == 1 == 2", "unexpected '=='", 7),
    ],
)
def test_syntax_errors_say_where(text: str, message: str, offset: int) -> None:
    with pytest.raises(ConditionSyntaxError) as info:
        parse(text)
    assert (str(info.value), info.value.offset) == (message, offset)


@pytest.mark.parametrize("text", ["(" * 300 + "a" + ")" * 300, "not " * 1000 + "a"])
def test_deep_nesting_is_a_syntax_error_or_parses(text: str) -> None:
    _parse_or_syntax_error(text)


# --- checking names ----------------------------------------------------------------------------

NAMES: dict[tuple[str, ...], NameInfo] = {
    ("index",): NameInfo("number"),
    ("turn",): NameInfo("number"),
    ("alarm",): NameInfo("number"),
    ("band",): NameInfo("choice", ("calm", "crisis", "tense")),
    ("channel",): NameInfo("choice", ("none", "proposed", "working")),
    ("strike",): NameInfo("bool"),
    ("injected", "opening"): NameInfo("bool"),
    ("taken", "talk"): NameInfo("number"),
    ("team", "red", "escalation"): NameInfo("number"),
    ("team", "red", "deescalation"): NameInfo("number"),
}


def issues(text: str) -> list[tuple[str, int | None]]:
    return [(issue.message, issue.offset) for issue in check(parse(text), NAMES.get)]


@pytest.mark.parametrize(
    "text",
    [
        "index >= 60 and channel == 'working'",
        "not strike or (band == 'tense' and turn > 3)",
        "'working' != channel",
        'channel == "none"',
        "injected.opening and taken.talk >= 2",
        "team.red.escalation > team.red.deescalation",
        "strike == false",
        "strike != injected.opening",
        "band == band",
        "alarm < 2.5 or index <= -1",
        "true",
        "not false",
    ],
)
def test_sound_conditions_have_no_issues(text: str) -> None:
    assert issues(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("strikes", [("unknown name 'strikes'", 0)]),
        ("index > 1 and chanel == 'x'", [("unknown name 'chanel'", 14)]),
        ("a or b", [("unknown name 'a'", 0), ("unknown name 'b'", 5)]),
        ("injected.nothing", [("unknown name 'injected.nothing'", 0)]),
        ("taken.nothing > 1", [("unknown name 'taken.nothing'", 0)]),
        ("team.blue.escalation > 1", [("unknown name 'team.blue.escalation'", 0)]),
        ("channel == 'open'", [("'open' is not a value of 'channel' (one of: none, proposed, working)", 11)]),
        ("'open' != channel", [("'open' is not a value of 'channel' (one of: none, proposed, working)", 0)]),
        ("band == 'war'", [("'war' is not a value of 'band' (one of: calm, crisis, tense)", 8)]),
        ("channel > 'none'", [("'>' needs numbers; use == or != here", 0)]),
        ("strike <= true", [("'<=' needs numbers; use == or != here", 0)]),
        ("channel == 2", [("cannot compare a named value with a number", 0)]),
        ("index == true", [("cannot compare a number with a yes/no value", 0)]),
        ("strike == 'yes'", [("cannot compare a yes/no value with a named value", 0)]),
        ("index", [("'index' is not a yes/no value: compare it with something", 0)]),
        ("not taken.talk", [("'taken.talk' is not a yes/no value: compare it with something", 4)]),
        ("channel", [("'channel' is not a yes/no value: compare it with something", 0)]),
    ],
)
def test_checking_finds_every_problem(text: str, expected: list[tuple[str, int]]) -> None:
    assert issues(text) == expected


def test_an_unknown_name_in_a_comparison_is_reported_once() -> None:
    assert issues("nothing > 3") == [("unknown name 'nothing'", 0)]
    assert issues("nothing == 'x'") == [("unknown name 'nothing'", 0)]


# --- names as a deck resolves them (through the loader) ----------------------------------------


def deck_problems(condition: str) -> list[str]:
    """The messages for mini.yaml with its first outcome's condition replaced."""
    text = MINI.read_text(encoding="utf-8")
    original = 'condition: "strike or index >= 80"'
    assert text.count(original) == 1
    try:
        load_deck_text(text.replace(original, f"condition: {condition}"), "mini.yaml")
    except DeckError as exc:
        return [problem.message for problem in exc.problems]
    return []


@pytest.mark.parametrize(
    "condition",
    [
        '"injected.opening and taken.talk >= 2"',
        '"team.red.escalation > team.blue.deescalation"',
        "\"band == 'crisis' or turn > 2\"",
        "\"channel == 'suspended' and alarm >= 5\"",
        '{all: ["strike", {not: "index < 10"}, {any: ["turn == 1", "taken.accept > 0"]}]}',
    ],
)
def test_the_deck_resolves_every_kind_of_name(condition: str) -> None:
    assert deck_problems(condition) == []


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ('"injected.talk"', "condition: unknown name 'injected.talk'"),  # an action, not a card
        ('"taken.opening > 1"', "condition: unknown name 'taken.opening'"),  # a card, not an action
        ('"team.red.points > 1"', "condition: unknown name 'team.red.points'"),
        ('"team.allies.escalation > 1"', "condition: unknown name 'team.allies.escalation'"),  # a grouping
        ('"team.red > 1"', "condition: unknown name 'team.red'"),
        ('"injected.opening.x"', "condition: unknown name 'injected.opening.x'"),
        ("\"band == 'war'\"", "condition: 'war' is not a value of 'band' (one of: calm, crisis, tense)"),
        ('{any: ["strike", "strikes"]}', "condition: unknown name 'strikes'"),
        ('{not: {all: ["alarm"]}}', "condition: 'alarm' is not a yes/no value: compare it with something"),
    ],
)
def test_the_deck_rejects_unknown_names(condition: str, message: str) -> None:
    assert deck_problems(condition) == [message]


# --- structured conditions and evaluation -----------------------------------------------------


def test_structured_conditions_become_trees() -> None:
    spec = AllCondition(all=("strike", AnyCondition(any=("index > 3", NotCondition(**{"not": "turn == 1"})))))
    tree = condition_tree(spec)
    assert tree == AllOf(
        (
            truth("strike", 0),
            AnyOf(
                (
                    Compare(Name(("index",), 0), ">", Value(3, 8)),
                    NotOf(Compare(Name(("turn",), 0), "==", Value(1, 8))),
                )
            ),
        )
    )
    state: dict[tuple[str, ...], bool | int] = {("strike",): True, ("index",): 2, ("turn",): 2}
    assert evaluate(tree, state.__getitem__) is True
    state[("turn",)] = 1
    assert evaluate(tree, state.__getitem__) is False
    state[("index",)] = 4
    assert evaluate(tree, state.__getitem__) is True


STATE: dict[tuple[str, ...], Any] = {
    ("index",): 45,
    ("turn",): 2,
    ("band",): "tense",
    ("channel",): "working",
    ("alarm",): 2.5,
    ("strike",): False,
    ("injected", "opening"): True,
    ("taken", "talk"): 2,
    ("team", "red", "escalation"): 5,
    ("team", "red", "deescalation"): 7,
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("index >= 45", True),
        ("index > 45", False),
        ("index != 45.0", False),
        ("alarm < 2.5", False),
        ("alarm <= 2.5", True),
        ("-1 < index", True),
        ("channel == 'working'", True),
        ('channel != "working"', False),
        ("band == 'tense' and turn > 1", True),
        ("strike", False),
        ("not strike", True),
        ("strike == false", True),
        ("injected.opening and taken.talk >= 2", True),
        ("team.red.escalation > team.red.deescalation", False),
        ("strike or index > 40 and turn == 3", False),
        ("(strike or index > 40) and turn == 2", True),
        ("not strike and strike", False),
        ("not (strike and strike)", True),
        ("true", True),
        ("false or not true", False),
    ],
)
def test_evaluate(text: str, expected: bool) -> None:
    assert evaluate(parse(text), STATE.__getitem__) is expected


# --- properties -------------------------------------------------------------------------------

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _parse_or_syntax_error(text: str) -> None:
    try:
        parse(text)
    except ConditionSyntaxError as exc:
        assert 0 <= exc.offset <= len(text)
        assert str(exc)


@FAST
@given(st.text())
def test_the_parser_only_raises_syntax_errors_on_any_text(text: str) -> None:
    _parse_or_syntax_error(text)


TOKENS = [
    "a", "b.c", "index", "not", "and", "or", "true", "false", "(", ")", "==", "!=", "<", "<=", ">",
    ">=", "=", "1", "-2", "3.5", "'x'", '"y"', "'", '"', "&", ".", "-", " ",
]  # fmt: skip


@FAST
@given(st.lists(st.sampled_from(TOKENS), max_size=12), st.sampled_from(["", " "]))
def test_the_parser_only_raises_syntax_errors_on_token_soup(tokens: list[str], separator: str) -> None:
    _parse_or_syntax_error(separator.join(tokens))


# Random well-formed expressions: a tree of `Expr`, rendered to text with as few parentheses as the
# precedence allows (plus some extra), and evaluated directly with Python's operators.

OPS = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
NUMBER_NAMES = ["index", "turn", "alarm", "taken.talk", "team.red.escalation"]
BOOL_NAMES = ["strike", "injected.opening"]
CHOICES = ("none", "proposed", "working")


@dataclass(frozen=True)
class Expr:
    kind: str  # "leaf", "not", "and", "or"
    text: str = ""  # for leaves
    items: tuple[Expr, ...] = ()
    value: Any = None  # for leaves: a function of the state
    paren: bool = False  # extra parentheses where they are not needed

    @property
    def precedence(self) -> int:
        return {"or": 1, "and": 2, "not": 3, "leaf": 4}[self.kind]

    def render(self) -> str:
        if self.kind == "leaf":
            text = self.text
        elif self.kind == "not":
            text = "not " + self.items[0].render_at(3)
        else:
            level = 2 if self.kind == "and" else 1
            text = f" {self.kind} ".join(item.render_at(level) for item in self.items)
        return f"({text})" if self.paren else text

    def render_at(self, level: int) -> str:
        text = self.render()
        return f"({text})" if self.precedence < level and not self.paren else text

    def reference(self, state: dict[str, Any]) -> bool:
        if self.kind == "leaf":
            return bool(self.value(state))
        if self.kind == "not":
            return not self.items[0].reference(state)
        results = [item.reference(state) for item in self.items]
        return all(results) if self.kind == "and" else any(results)


def _number_operand() -> st.SearchStrategy[tuple[str, Any]]:
    literal_int = st.integers(-20, 120).map(lambda n: (str(n), lambda state, n=n: n))
    literal_float = st.integers(-200, 200).map(lambda k: (repr(k / 4), lambda state, v=k / 4: v))
    name = st.sampled_from(NUMBER_NAMES).map(lambda name: (name, lambda state, name=name: state[name]))
    return st.one_of(name, literal_int, literal_float)


@st.composite
def number_compare(draw: st.DrawFn) -> Expr:
    left_text, left = draw(_number_operand())
    right_text, right = draw(_number_operand())
    op = draw(st.sampled_from(sorted(OPS)))
    return Expr(
        "leaf", f"{left_text} {op} {right_text}", value=lambda state: OPS[op](left(state), right(state))
    )


@st.composite
def choice_compare(draw: st.DrawFn) -> Expr:
    value = draw(st.sampled_from(CHOICES))
    quote = draw(st.sampled_from(["'", '"']))
    op = draw(st.sampled_from(["==", "!="]))
    literal = f"{quote}{value}{quote}"
    text = draw(st.sampled_from([f"channel {op} {literal}", f"{literal} {op} channel"]))
    return Expr("leaf", text, value=lambda state: OPS[op](state["channel"], value))


@st.composite
def bool_leaf(draw: st.DrawFn) -> Expr:
    name = draw(st.sampled_from(BOOL_NAMES))
    form = draw(st.sampled_from(["alone", "==", "!=", "constant"]))
    if form == "alone":
        return Expr("leaf", name, value=lambda state: state[name])
    literal = draw(st.booleans())
    word = "true" if literal else "false"
    if form == "constant":
        return Expr("leaf", word, value=lambda state: literal)
    return Expr("leaf", f"{name} {form} {word}", value=lambda state: OPS[form](state[name], literal))


def expressions() -> st.SearchStrategy[Expr]:
    leaves = st.one_of(number_compare(), choice_compare(), bool_leaf())

    def extend(children: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
        return st.one_of(
            st.builds(lambda item, paren: Expr("not", items=(item,), paren=paren), children, st.booleans()),
            st.builds(
                lambda kind, items, paren: Expr(kind, items=tuple(items), paren=paren),
                st.sampled_from(["and", "or"]),
                st.lists(children, min_size=2, max_size=4),
                st.booleans(),
            ),
        )

    return st.recursive(leaves, extend, max_leaves=12)


states = st.fixed_dictionaries(
    {
        "index": st.integers(-5, 105),
        "turn": st.integers(1, 6),
        "alarm": st.integers(0, 40).map(lambda k: k / 4),
        "taken.talk": st.integers(0, 4),
        "team.red.escalation": st.integers(0, 30),
        "channel": st.sampled_from(CHOICES),
        "strike": st.booleans(),
        "injected.opening": st.booleans(),
    }
)

RESOLVE: dict[tuple[str, ...], NameInfo] = {
    **{tuple(name.split(".")): NameInfo("number") for name in NUMBER_NAMES},
    **{tuple(name.split(".")): NameInfo("bool") for name in BOOL_NAMES},
    ("channel",): NameInfo("choice", CHOICES),
}


@FAST
@given(expressions(), states)
def test_well_formed_expressions_evaluate_like_python(expr: Expr, state: dict[str, Any]) -> None:
    text = expr.render()
    tree = parse(text)
    assert check(tree, RESOLVE.get) == []

    def lookup(parts: tuple[str, ...]) -> Any:
        return state[".".join(parts)]

    assert evaluate(tree, lookup) is expr.reference(state), text
