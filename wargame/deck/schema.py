"""The deck's JSON Schema, generated from the typed models (shipped as decks/deck.schema.json)."""

from __future__ import annotations

import json
from typing import Any

from wargame.deck.models import Deck

SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


def deck_json_schema() -> dict[str, Any]:
    """The JSON Schema of a deck file, as YAML editors use it for completion and checking."""
    schema = Deck.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": SCHEMA_URI,
        "title": "wargame deck",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def deck_json_schema_text() -> str:
    """The schema as the text of decks/deck.schema.json (stable key order, final newline)."""
    return json.dumps(deck_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
