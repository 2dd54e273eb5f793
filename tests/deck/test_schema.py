"""The shipped JSON Schema is the one generated from the models, and the shipped decks fit it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from wargame.deck import load_deck_file, resolve_deck
from wargame.deck.schema import SCHEMA_URI, deck_json_schema, deck_json_schema_text

REPO = Path(__file__).resolve().parents[2]
SCHEMA_FILE = REPO / "decks" / "deck.schema.json"
SHIPPED_DECKS = sorted((REPO / "decks").glob("*.yaml"))
MINI = REPO / "tests" / "fixtures" / "mini.yaml"


def test_shipped_schema_is_up_to_date() -> None:
    shipped = SCHEMA_FILE.read_text(encoding="utf-8")
    assert shipped == deck_json_schema_text(), (
        "decks/deck.schema.json is out of date with wargame/deck/models.py; regenerate it with "
        "`wargame deck schema > decks/deck.schema.json`"
    )


def test_schema_text_is_stable_json() -> None:
    text = deck_json_schema_text()
    assert text.endswith("}\n")
    assert json.loads(text) == deck_json_schema()
    assert text == deck_json_schema_text()


def test_schema_describes_a_closed_deck_mapping() -> None:
    schema = deck_json_schema()
    assert schema["$schema"] == SCHEMA_URI
    assert schema["title"] == "wargame deck"
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert {"id", "title", "teams", "escalation", "turns", "actions", "outcomes"} <= set(schema["required"])
    # Aliases, as written in deck files, not the Python field names.
    band = schema["$defs"]["Band"]
    assert "from" in band["properties"]
    assert "from_" not in band["properties"]
    assert "not" in schema["$defs"]["NotCondition"]["properties"]


@pytest.mark.parametrize("path", [MINI, *SHIPPED_DECKS], ids=lambda path: path.name)
def test_decks_fit_the_json_schema(path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_a_normalised_deck_loads_as_the_same_deck(tmp_path: Path) -> None:
    """`wargame deck show ID --json` writes a deck that loads again (null bounds of a named track too)."""
    deck = resolve_deck("baltic_drone_spillover_2026").deck
    normalised = tmp_path / "normalised.yaml"
    normalised.write_text(json.dumps(deck.model_dump(mode="json", by_alias=True)), encoding="utf-8")
    assert load_deck_file(normalised).deck == deck
