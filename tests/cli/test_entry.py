"""The entry point: the plain desktop start is read as the full parser reads it, and the command
line loads the deck loader, engine and store only for the commands that use them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from wargame.cli import build_parser, plain_start

from .conftest import MINI, REPO

STORE_MODULES = ("sqlalchemy", "sqlmodel", "wargame.store", "wargame.session")
DECK_MODULES = ("pydantic", "yaml", "wargame.deck", "wargame.engine")

LOADED = """
import json, sys
from wargame import cli
what, args = sys.argv[1], sys.argv[2:]
code = 0
if what == "plain":
    assert cli.plain_start(args)[0]
elif what == "parser":
    cli.build_parser()
else:
    code = cli.main(args)
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded_modules(what: str, *args: str) -> tuple[int, list[str]]:
    """In a fresh interpreter: read ARGS as the plain start ("plain"), build the parser ("parser")
    or run `wargame ARGS` ("run"); the exit code and every module loaded."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED, what, *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    return report["code"], report["modules"]


def among(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    return [name for name in modules if any(name == p or name.startswith(p + ".") for p in packages)]


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "sqlite:///x.sqlite3"],
        ["--db=sqlite:///x.sqlite3"],
        ["--db="],
        ["--db", ""],
        ["--db", "-x"],
        ["--db", "a", "--db", "b"],
        ["--d", "sqlite:///x.sqlite3"],
        ["--version"],
        ["--help"],
        ["sessions", "list"],
        ["--db", "sqlite:///x.sqlite3", "sessions", "list"],
        ["deck"],
    ],
)
def test_the_plain_start_is_read_as_the_full_parser_reads_it(argv: list[str]) -> None:
    plain, url = plain_start(argv)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit:  # --help, --version, usage errors: never the plain start
        assert not plain
        return
    if plain:
        assert getattr(args, "handler", None) is None and getattr(args, "db", None) == url


def test_no_arguments_or_only_a_database_is_the_plain_start() -> None:
    assert plain_start([]) == (True, None)
    assert plain_start(["--db", "sqlite:///x.sqlite3"]) == (True, "sqlite:///x.sqlite3")
    assert plain_start(["--db=sqlite:///x.sqlite3"]) == (True, "sqlite:///x.sqlite3")


@pytest.mark.parametrize("argv", [[], ["--db", "sqlite:///x.sqlite3"]])
def test_reading_the_plain_start_loads_neither_qt_nor_the_deck_loader_nor_the_store(argv: list[str]) -> None:
    _code, modules = loaded_modules("plain", *argv)
    assert among(modules, ("PySide6", *STORE_MODULES, *DECK_MODULES)) == []
    assert "argparse" not in modules  # the sub-command parsers are built only when asked for


def test_building_the_full_parser_loads_no_store() -> None:
    _code, modules = loaded_modules("parser")
    assert among(modules, ("PySide6", *STORE_MODULES)) == []


def test_deck_commands_load_the_deck_loader_but_not_the_store() -> None:
    code, modules = loaded_modules("run", "deck", "validate", str(MINI))
    assert code == 0
    assert among(modules, DECK_MODULES)
    assert among(modules, STORE_MODULES) == []
