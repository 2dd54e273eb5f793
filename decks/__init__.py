"""Scenario decks shipped with wargame: YAML decks and deck.schema.json (package data)."""
