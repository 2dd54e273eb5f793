"""`wargame deck ...`: validate, show and describe decks, and print their material."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from wargame.cli.output import plural, print_json, table


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    deck = commands.add_parser("deck", help="validate and show scenario decks", parents=[common])
    deck_commands = deck.add_subparsers(dest="deck_command", metavar="DECK_COMMAND", required=True)

    validate = deck_commands.add_parser(
        "validate",
        help="check deck files; prints FILE:LINE:COLUMN: message for every problem",
        parents=[common],
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help="deck files (YAML)")
    validate.set_defaults(handler=validate_decks)

    show = deck_commands.add_parser(
        "show", help="show a deck (a file or a built-in deck id)", parents=[common]
    )
    show.add_argument("deck", metavar="PATH|ID")
    show.add_argument("--json", action="store_true", help="the normalised deck as JSON (matches the schema)")
    show.set_defaults(handler=show_deck)

    schema = deck_commands.add_parser("schema", help="print the deck JSON Schema", parents=[common])
    schema.set_defaults(handler=print_schema)

    brief = deck_commands.add_parser(
        "brief",
        help="print a team's brief, the inject cards or the facilitator's guide to PDF",
        description="Write printable material for a deck as a PDF (A4). Exactly one of --team, --cards "
        "and --facilitator.",
        parents=[common],
    )
    brief.add_argument("deck", metavar="PATH|ID", help="a deck file or a built-in deck id")
    material = brief.add_mutually_exclusive_group(required=True)
    material.add_argument(
        "--team",
        metavar="ID",
        help="a team's (or grouping's) brief with its decision sheets, one per turn",
    )
    material.add_argument("--cards", action="store_true", help="the inject cards, ground truths at the end")
    material.add_argument(
        "--facilitator", action="store_true", help="the facilitator's guide: class plan, outcomes, debrief"
    )
    brief.add_argument("-o", "--output", metavar="FILE.pdf", required=True, help="the PDF file to write")
    brief.set_defaults(handler=brief_deck)


def validate_decks(args: argparse.Namespace) -> int:
    from wargame.deck import DeckError, load_deck_file

    failed = False
    for path in args.paths:
        try:
            loaded = load_deck_file(path)
        except DeckError as exc:
            failed = True
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        deck = loaded.deck
        print(
            f"{path}: ok ({deck.id} v{deck.version}: {plural(len(deck.teams), 'team')}, "
            f"{plural(len(deck.actions), 'action')}, {plural(len(deck.cards), 'card')}, "
            f"{plural(len(deck.outcomes), 'outcome')})"
        )
    return 1 if failed else 0


def show_deck(args: argparse.Namespace) -> int:
    from wargame.deck import resolve_deck

    loaded = resolve_deck(args.deck)
    deck = loaded.deck
    if args.json:
        print_json(deck.model_dump(mode="json", by_alias=True))
        return 0
    print(f"{deck.title}  ({deck.id} v{deck.version}, {deck.language})")
    print(f"  {deck.summary.strip()}")
    print(f"  from {loaded.origin}; sha256 {loaded.sha256[:12]}")
    print(
        f"\n{plural(deck.turns.count, 'turn')}; phases: "
        + ", ".join(f"{p.id} {p.minutes:g} min" for p in deck.turns.phases)
    )
    print("\nTeams:")
    print(table([[t.id, t.name, str(len(t.objectives))] for t in deck.teams], ["id", "name", "objectives"]))
    print("\nActions:")
    rows = [[a.id, f"{a.escalation:+g}", ",".join(a.teams), a.label] for a in deck.actions]
    print(table(rows, ["id", "value", "teams", "label"]))
    print("\nCards:")
    rows = [[card.id, f"{card.escalation:+g}", _timing(card.when), card.title] for card in deck.cards]
    print(table(rows, ["id", "value", "when", "title"]))
    print("\nOutcomes (tested in order):")
    print(table([[o.id, o.title] for o in deck.outcomes], ["id", "title"]))
    return 0


def _timing(when: Any) -> str:
    parts = []
    if when.turn is not None:
        parts.append(f"turn {when.turn}")
    if when.condition is not None:
        parts.append("condition")
    if when.weight is not None:
        parts.append(f"weight {when.weight:g}")
    return ", ".join(parts)


def brief_deck(args: argparse.Namespace) -> int:
    from wargame.briefing import cards_sheet, facilitator_guide, find_side, team_brief
    from wargame.deck import resolve_deck
    from wargame.ui.pdf import write_pdf  # Qt is imported only when a PDF is printed

    deck = resolve_deck(args.deck).deck
    if args.team is not None:
        side = find_side(deck, args.team)
        html, title = team_brief(deck, side.id), f"{side.name}: brief · {deck.title}"
    elif args.cards:
        html, title = cards_sheet(deck), f"Inject cards · {deck.title}"
    else:
        html, title = facilitator_guide(deck), f"Facilitator's guide · {deck.title}"
    pages = write_pdf(html, args.output, title)
    print(f"wrote {args.output} ({pages} page{'' if pages == 1 else 's'})")
    return 0


def print_schema(args: argparse.Namespace) -> int:
    from wargame.deck.schema import deck_json_schema_text

    sys.stdout.write(deck_json_schema_text())
    return 0
