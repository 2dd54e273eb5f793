"""Load a deck file: safe YAML, typed validation, cross-reference checks, located errors.

Every problem in a file is reported at once, each as `FILE:LINE:COLUMN: message`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path as FsPath
from typing import Any

from pydantic import ValidationError

from wargame.deck.checks import check_references
from wargame.deck.located_yaml import Located, LocatedYamlError, Problem, load_located
from wargame.deck.models import Deck
from wargame.errors import WargameError


class DeckError(WargameError):
    """A deck that cannot be used; `problems` lists every located problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column))
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class LoadedDeck:
    """A valid deck with the exact text it came from (stored with every session)."""

    deck: Deck
    text: str
    sha256: str
    origin: str


_VALID_DECKS: dict[str, Deck] = {}
_VALID_DECKS_MAX = 32


def load_deck_text(text: str, file: str, origin: str | None = None) -> LoadedDeck:
    """Validate deck text; `file` names it in error messages.

    A text already found valid is not checked again (decks are immutable; sessions of one deck
    are opened again and again in review).
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    known = _VALID_DECKS.get(digest)
    if known is not None:
        return LoadedDeck(deck=known, text=text, sha256=digest, origin=origin or file)
    try:
        located = load_located(text, file)
    except LocatedYamlError as exc:
        raise DeckError(exc.problems) from None
    problems = list(located.problems)
    if not isinstance(located.data, dict):
        problems.append(located.problem((), "a deck must be a mapping of keys (id, title, teams, ...)"))
        raise DeckError(problems)
    deck: Deck | None = None
    try:
        deck = Deck.model_validate(located.data)
    except ValidationError as exc:
        problems.extend(_validation_problems(exc, located))
    problems.extend(check_references(located, text))
    if problems or deck is None:
        raise DeckError(_unique(problems))
    if len(_VALID_DECKS) >= _VALID_DECKS_MAX:
        _VALID_DECKS.pop(next(iter(_VALID_DECKS)))
    _VALID_DECKS[digest] = deck
    return LoadedDeck(deck=deck, text=text, sha256=digest, origin=origin or file)


def load_deck_file(path: str | FsPath) -> LoadedDeck:
    """Read and validate a deck file."""
    file = str(path)
    try:
        raw = FsPath(path).read_bytes()
    except FileNotFoundError:
        raise DeckError([Problem(file, 1, 1, "no such file")]) from None
    except IsADirectoryError:
        raise DeckError([Problem(file, 1, 1, "is a directory, not a deck file")]) from None
    except OSError as exc:
        raise DeckError([Problem(file, 1, 1, f"cannot read the file: {exc.strerror}")]) from None
    return load_deck_text(utf8_text(raw, file), file, origin=str(FsPath(path).resolve()))


def utf8_text(raw: bytes, file: str) -> str:
    """The bytes of `file` as text; DeckError at the line of the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DeckError([Problem(file, line, 1, "the file is not UTF-8 text")]) from None


_UNION_TAGS = {"str", "AllCondition", "AnyCondition", "NotCondition", "float", "int", "bool", "none"}


def _validation_problems(exc: ValidationError, located: Located) -> list[Problem]:
    problems: list[Problem] = []
    seen_paths: set[tuple[Any, ...]] = set()
    errors = exc.errors()
    condition_roots = {_condition_root(tuple(error["loc"]), _CONDITION_FORMS) for error in errors}
    for error in errors:
        loc = tuple(error["loc"])
        if error["type"] == "too_short" and _has_item_errors(loc, errors):
            continue  # "at least 1 item after validation, not 0": its items' own errors say why
        if _set_value(loc):
            continue  # checks.check_assignment says what each flag or track takes
        kind = error["type"]
        condition_root = _condition_root(loc, {"str", *_CONDITION_FORMS})
        if condition_root is not None and condition_root in condition_roots:
            # A condition matched none of its forms: say what a condition is, once.
            if condition_root not in seen_paths:
                seen_paths.add(condition_root)
                problems.append(
                    located.problem(condition_root, f"{_dotted(condition_root)}: {CONDITION_SHAPE}")
                )
            continue
        path = _without_tags(loc)
        if not path:  # a key that merely looks like a union tag ("t[urns"): it is the place itself
            path = loc
        if path in seen_paths:
            continue
        seen_paths.add(path)
        field = _dotted(path)
        if kind == "missing":
            problems.append(located.problem(path[:-1], f"missing required field '{path[-1]}'"))
        elif kind == "extra_forbidden":
            problems.append(located.problem(path, f"unknown field '{path[-1]}'", at_key=True))
        else:
            problems.append(located.problem(path, f"{field}: {_message(error)}"))
    return problems


def _has_item_errors(loc: tuple[Any, ...], errors: list[Any]) -> bool:
    """Whether some error lies inside the list at `loc` (in one of its items)."""
    return any(len(other["loc"]) > len(loc) and tuple(other["loc"][: len(loc)]) == loc for other in errors)


CONDITION_SHAPE = (
    "a condition must be text, or a mapping with exactly one key (all, any or not) "
    "whose value is a non-empty list of conditions (for not: one condition)"
)


_CONDITION_FORMS = {"AllCondition", "AnyCondition", "NotCondition"}


def _is_tag(part: Any) -> bool:
    """Whether a part of an error's location names a union's member or a key, not a field."""
    return isinstance(part, str) and (part in _UNION_TAGS or "[" in part)


def _without_tags(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(part for part in loc if not _is_tag(part))


def _condition_root(loc: tuple[Any, ...], members: set[str]) -> tuple[Any, ...] | None:
    """The path of the field an error lies in, if it came from a union member in `members`.

    Only a field whose errors name a condition form (all, any, not) is a condition: `str` alone
    is also a member of other unions (a track's start, a value set by an effect)."""
    first = next((i for i, part in enumerate(loc) if isinstance(part, str) and part in members), None)
    return None if first is None else _without_tags(loc[:first])


def _set_value(loc: tuple[Any, ...]) -> bool:
    """Whether an error lies in a value an effect sets (`effects.set.<name>`)."""
    path = _without_tags(loc)
    return len(path) >= 3 and path[-3:-1] == ("effects", "set")


def _message(error: Any) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "string_pattern_mismatch":
        pattern = error.get("ctx", {}).get("pattern", "")
        if "#" in pattern:
            return f"{value!r} is not a colour like '#1f77b4'"
        return f"{value!r} is not a valid id (use lowercase letters, digits and _)"
    if kind == "value_error":  # raised by the models' own checks, worded for the deck's author
        return str(error["ctx"]["error"])
    if kind == "too_short":  # an empty list or text where the deck needs one
        return "must not be empty"
    if kind == "invalid_key":
        return f"{_shown(value)} is not a name of a key (a key is a word such as teams or title)"
    if kind == "string_type":
        return f"should be text, got {_shown(value)}{_quote_hint(value)}"
    message = str(error["msg"])
    message = message[0].lower() + message[1:]
    message = re.sub(r"\btuple\b", "list", message)  # a deck's lists are tuples in its model
    if kind.endswith("_type") or kind.endswith("_parsing") or kind == "literal_error":
        return f"{message}, got {_shown(value)}{_quote_hint(value)}"
    return message


def _shown(value: object) -> str:
    """A value as the deck's author wrote it, more or less (YAML's words, not Python's)."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return repr(value)


def _quote_hint(value: object) -> str:
    """Why YAML read something else than text, where text was expected."""
    if value is None:
        return " (write it after the colon; '#' starts a comment in YAML: quote a colour, '#1f77b4')"
    if isinstance(value, bool):
        return " (YAML reads yes, no, on, off, true and false as true or false: put the text in quotes)"
    if isinstance(value, date):
        return " (YAML reads it as a date: put it in quotes)"
    return ""


def _dotted(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "deck"


def _unique(problems: list[Problem]) -> list[Problem]:
    """One problem per place: a second report at the same spot is a consequence of the first."""
    seen: set[tuple[str, int, int]] = set()
    unique: list[Problem] = []
    for problem in problems:
        place = (problem.file, problem.line, problem.column)
        if place not in seen:
            seen.add(place)
            unique.append(problem)
    return unique
