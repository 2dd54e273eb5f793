"""Safe YAML loading that remembers where every node stood in the file.

`load_located` returns the plain data (dicts, lists, scalars) and a map from each node's path
(`("actions", 3, "escalation")`) to its 1-based line and column, so that errors found later,
by pydantic or by cross-reference checks, can point at the offending node.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

Path = tuple[str | int, ...]

MAX_DOCUMENT_BYTES = 2_000_000
MAX_ALIASES = 200
MAX_EXPANDED_NODES = 200_000
MAX_DEPTH = 60


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a file, at a place in it."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class LocatedYamlError(Exception):
    """The text is not YAML we accept; carries the problems found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Located:
    """Data loaded from YAML with the position of each node."""

    data: Any
    positions: dict[Path, tuple[int, int]]
    key_positions: dict[Path, tuple[int, int]]
    problems: list[Problem]
    file: str

    def where(self, path: Path) -> tuple[int, int]:
        """The position of the deepest node on `path` that exists (the root if none does)."""
        best: tuple[int, int] = self.positions.get((), (1, 1))
        current: Path = ()
        for part in path:
            candidate = (*current, part)
            if candidate in self.positions:
                current = candidate
                best = self.positions[candidate]
        return best

    def where_key(self, path: Path) -> tuple[int, int]:
        """The position of a mapping key (for unknown keys), else of its value."""
        return self.key_positions.get(path) or self.where(path)

    def problem(self, path: Path, message: str, *, at_key: bool = False) -> Problem:
        line, column = self.where_key(path) if at_key else self.where(path)
        return Problem(self.file, line, column, message)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# The commonest YAML mistakes in plain words: (PyYAML's context, its problem, whether the mistake
# starts at the context's mark rather than the problem's, what to say). "" matches anything.
_PLAIN_MISTAKES: tuple[tuple[str, str, bool, str], ...] = (
    ("quoted scalar", "end of stream", True, "a quote opened here is never closed: add the closing quote"),
    ("simple key", "expected ':'", True, "this line has no ':' after its key: write it as 'key: value'"),
    (
        "",
        "mapping values are not allowed",
        False,
        "a ':' followed by a space inside a value: put the whole value in quotes "
        '(label: "Talk: to them"), or check the line\'s indentation',
    ),
    ("", "'\\t'", False, "a tab character: indent with spaces, not tabs"),
    (
        "flow sequence",
        "",
        True,
        "a list opened with '[' here is not closed with ']' (or holds a ': ': put that value in quotes)",
    ),
    (
        "flow mapping",
        "",
        True,
        "a mapping opened with '{' here is not closed with '}' (or holds a ': ': put that value in quotes)",
    ),
    (
        "block mapping",
        "expected <block end>",
        False,
        "this line does not line up with the keys above it: check its indentation, "
        "and that every quote opened above it is closed",
    ),
)


def _yaml_problem(file: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or exc.context or "invalid YAML"
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in what:
        what = f"{what} (only plain YAML is allowed: no Python or custom tags)"
    for context, problem, at_context, plain in _PLAIN_MISTAKES:
        if context in (exc.context or "") and problem in (exc.problem or ""):
            mark = (exc.context_mark if at_context else None) or mark
            what = plain
            break
    quote = _open_quote(text, exc) if isinstance(exc, yaml.parser.ParserError) else None
    if quote is not None:
        mark, what = (
            quote,
            "a quote opened here runs on over the next lines: check for a missing closing quote",
        )
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(file, line, column, f"YAML error: {what}")


def _open_quote(text: str, exc: yaml.MarkedYAMLError) -> yaml.Mark | None:
    """Where the quoted text that runs over several lines just before a parser error starts (most
    often a quote left open, closed only by the next quote further down)."""
    end = exc.problem_mark
    if end is None:
        return None
    found: yaml.Mark | None = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= end.index:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"'):
                spans_lines = token.end_mark.line > token.start_mark.line
                found = token.start_mark if spans_lines else None
            elif not isinstance(token, yaml.ScalarToken | yaml.ValueToken | yaml.KeyToken):
                found = found if isinstance(token, yaml.BlockEndToken) else None
    except yaml.YAMLError:
        pass
    return found


def _reader_problem(file: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """A character YAML does not allow (a NUL, most control characters), at its place."""
    position = max(0, min(exc.position, len(text)))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return Problem(
        file, line, column, f"YAML error: character {exc.character:#06x} is not allowed in YAML text"
    )


class _CountingLoader(yaml.SafeLoader):
    """SafeLoader that refuses documents using too many aliases (alias-expansion bombs)."""

    alias_count = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, f"too many aliases (more than {MAX_ALIASES})", event.start_mark
                )
        return super().compose_node(parent, index)


def load_located(text: str, file: str) -> Located:
    """Parse `text` as one safe YAML document and record node positions.

    Raises LocatedYamlError for text that is not acceptable YAML at all; problems such as
    duplicate keys are collected in `Located.problems` so they are reported with the rest.
    """
    if len(text.encode("utf-8", errors="replace")) > MAX_DOCUMENT_BYTES:
        raise LocatedYamlError([Problem(file, 1, 1, f"file is larger than {MAX_DOCUMENT_BYTES} bytes")])
    try:
        loader = _CountingLoader(text)  # (the reader checks the first characters right away)
    except yaml.reader.ReaderError as exc:
        raise LocatedYamlError([_reader_problem(file, text, exc)]) from None
    problems: list[Problem] = []
    try:
        node = loader.get_single_node()
        if node is None:
            raise LocatedYamlError([Problem(file, 1, 1, "the file is empty")])
        _check_expansion(node, file)
        _find_duplicate_keys(node, file, problems, set())
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise LocatedYamlError([_yaml_problem(file, text, exc)]) from None
    except yaml.reader.ReaderError as exc:
        raise LocatedYamlError([_reader_problem(file, text, exc)]) from None
    except yaml.YAMLError as exc:
        raise LocatedYamlError([Problem(file, 1, 1, f"YAML error: {exc}")]) from None
    except RecursionError:
        raise LocatedYamlError(
            [Problem(file, 1, 1, "YAML error: the document is nested too deeply")]
        ) from None
    finally:
        loader.dispose()
    positions: dict[Path, tuple[int, int]] = {}
    key_positions: dict[Path, tuple[int, int]] = {}
    _walk(node, data, (), positions, key_positions, depth=0)
    return Located(data, positions, key_positions, problems, file)


def _check_expansion(root: yaml.Node, file: str) -> None:
    """Refuse documents whose aliases expand to a huge tree ("billion laughs") or nest too deeply.

    Each node's expanded size is computed once, so this costs time in the size of the text.
    """
    sizes: dict[int, int] = {}

    def size(node: yaml.Node, depth: int) -> int:
        if depth > MAX_DEPTH:
            line, column = _mark(node)
            raise LocatedYamlError([Problem(file, line, column, f"nested more than {MAX_DEPTH} levels deep")])
        known = sizes.get(id(node))
        if known is not None:
            return known
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(key, depth + 1) + size(value, depth + 1) for key, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(child, depth + 1) for child in node.value)
        if total > MAX_EXPANDED_NODES:
            line, column = _mark(node)
            message = f"aliases expand this document to more than {MAX_EXPANDED_NODES} nodes: refused"
            raise LocatedYamlError([Problem(file, line, column, message)])
        sizes[id(node)] = total
        return total

    size(root, 0)


def _find_duplicate_keys(node: yaml.Node, file: str, problems: list[Problem], seen_nodes: set[int]) -> None:
    """Report keys written twice in one mapping (before merge keys are expanded)."""
    if id(node) in seen_nodes:
        return
    seen_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        keys: set[str] = set()
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in keys:
                    line, column = _mark(key_node)
                    problems.append(Problem(file, line, column, f"duplicate key '{key_node.value}'"))
                keys.add(key_node.value)
            _find_duplicate_keys(value_node, file, problems, seen_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            _find_duplicate_keys(child, file, problems, seen_nodes)


def _walk(
    node: yaml.Node,
    data: Any,
    path: Path,
    positions: dict[Path, tuple[int, int]],
    key_positions: dict[Path, tuple[int, int]],
    depth: int,
) -> None:
    if depth > MAX_DEPTH:
        return
    positions[path] = _mark(node)
    if isinstance(node, yaml.MappingNode) and isinstance(data, dict):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = _scalar_key(key_node, data)
            key_positions[(*path, key)] = _mark(key_node)
            if key in data:
                _walk(value_node, data[key], (*path, key), positions, key_positions, depth + 1)
    elif isinstance(node, yaml.SequenceNode) and isinstance(data, list):
        for index, (child, value) in enumerate(zip(node.value, data, strict=False)):
            _walk(child, value, (*path, index), positions, key_positions, depth + 1)


def _scalar_key(key_node: yaml.ScalarNode, data: dict[Any, Any]) -> Any:
    """The constructed key for a scalar key node (YAML may turn `1` or `yes` into non-strings)."""
    raw = key_node.value
    if raw in data:
        return raw
    for key in data:
        if str(key).lower() == raw.lower():
            return key
    return raw
