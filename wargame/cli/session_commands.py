"""`wargame sessions ...` (stored sessions and their timelines) and `wargame db upgrade`."""

from __future__ import annotations

import argparse
import csv
import dataclasses
import io
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wargame.cli import reliability_commands
from wargame.cli.output import add_pseudonymise_option, fail, print_json, table
from wargame.cli.play_commands import play_result
from wargame.cli.stores import database_url, naming_the_session, open_store
from wargame.errors import WargameError

if TYPE_CHECKING:
    from wargame.session import SessionController
    from wargame.store import SessionInfo, UnreadableSession


def register(commands: Any, common: argparse.ArgumentParser) -> None:
    sessions = commands.add_parser("sessions", help="stored sessions and their timelines", parents=[common])
    session_commands = sessions.add_subparsers(
        dest="sessions_command", metavar="SESSIONS_COMMAND", required=True
    )

    listing = session_commands.add_parser("list", help="every stored session, newest first", parents=[common])
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=list_sessions)

    show = session_commands.add_parser("show", help="a session's state and timeline", parents=[common])
    show.add_argument("session_id", metavar="ID", help="a session id or a unique prefix of one")
    show.add_argument("--json", action="store_true")
    show.set_defaults(handler=show_session)

    export = session_commands.add_parser("export", help="a session's raw events", parents=[common])
    export.add_argument("session_id", metavar="ID")
    export.add_argument(
        "--format", choices=("json", "csv"), help="default: from the suffix of FILE (json when in doubt)"
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    add_pseudonymise_option(export)
    export.set_defaults(handler=export_session)
    reliability_commands.register(session_commands, common)

    delete = session_commands.add_parser(
        "delete",
        help="delete the sessions created before a date (asks for confirmation)",
        description="Delete every session created before DATE (UTC), with all its events. Lists them and "
        "asks for confirmation on standard input unless --yes is given.",
        parents=[common],
    )
    delete.add_argument(
        "--before",
        metavar="YYYY-MM-DD",
        type=_utc_day,
        required=True,
        help="delete sessions created before this day (UTC)",
    )
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(handler=delete_sessions)

    db = commands.add_parser("db", help="database maintenance", parents=[common])
    db_commands = db.add_subparsers(dest="db_command", metavar="DB_COMMAND", required=True)
    up = db_commands.add_parser("upgrade", help="bring the database schema up to date", parents=[common])
    up.set_defaults(handler=upgrade_database)


def _info_dict(info: SessionInfo) -> dict[str, Any]:
    data = dataclasses.asdict(info)
    data["created_at"] = info.created_at.isoformat()
    data["updated_at"] = info.updated_at.isoformat()
    return data


def list_sessions(args: argparse.Namespace) -> int:
    """The sessions, newest first; those whose row cannot be read are named on stderr (exit 1)."""
    store = open_store(args)
    unreadable: list[UnreadableSession] = []
    try:
        sessions = store.sessions(unreadable)
    finally:
        store.close()
    status = _say_unreadable(unreadable)
    if args.json:
        print_json([_info_dict(info) for info in sessions])
        return status
    if not sessions:
        print(f"no {'other ' if unreadable else ''}sessions in {store.display_url}")
        return status
    rows = [
        [
            info.id[:12],
            info.created_at.strftime("%Y-%m-%d %H:%M"),
            info.deck_id,
            info.class_label or "-",
            info.status,
            str(info.current_turn),
            info.outcome or "-",
        ]
        for info in sessions
    ]
    print(table(rows, ["id", "created (UTC)", "deck", "class", "status", "turn", "outcome"]))
    return status


def _say_unreadable(unreadable: list[UnreadableSession], what: str = "is not listed") -> int:
    for session in unreadable:
        fail(f"session {session.id} {what}: {session.reason}")
    return 1 if unreadable else 0


def _open(args: argparse.Namespace) -> tuple[SessionController, SessionInfo]:
    session, info, _chain = _open_with_chain(args)
    return session, info


def _open_with_chain(
    args: argparse.Namespace,
) -> tuple[SessionController, SessionInfo, list[dict[str, Any]]]:
    """The session (read-only use), its summary and its hash chain (see reliability_commands)."""
    from wargame.session import SessionController

    store = open_store(args)
    try:
        session_id = store.resolve_id(args.session_id)
        with naming_the_session(session_id):
            session = SessionController.open(store, session_id)
        return session, store.session(session_id), reliability_commands.chain_entries(store, session_id)
    finally:
        store.close()


def show_session(args: argparse.Namespace) -> int:
    from wargame.engine.describe import describe_log

    session, info, chain = _open_with_chain(args)
    head = chain[-1]["hash"] if chain else info.deck_hash
    lines = describe_log(session.deck, session.events, session.state.revealed_turns)
    timeline = [
        {"seq": event.seq, "kind": event.kind, "text": line}
        for event, line in zip(session.events, lines, strict=True)
    ]
    if args.json:
        print_json(
            {
                "session": _info_dict(info),
                "chain_head": head,
                "state": play_result(session),
                "timeline": timeline,
            }
        )
        return 0
    state = session.state
    print(f"session {info.id}  ({info.deck_title}, seed {info.seed})")
    print(
        f"class: {info.class_label or '-'}   facilitator: {info.facilitator or '-'}   status: {info.status}"
    )
    print(
        f"turn {state.turn} of {state.turn_count}, phase {state.phase or '-'}; "
        f"index {state.index:g} ({session.band}); outcome: {state.outcome or '-'}"
    )
    print(
        f"chain head: {head[:12]} ({len(chain)} events; check with: wargame sessions verify {info.id[:12]})"
    )
    print()
    for item in timeline:
        print(f"{item['seq']:>5}  {item['text']}")
    return 0


def export_session(args: argparse.Namespace) -> int:
    from wargame.engine.describe import describe_log
    from wargame.report.pseudonyms import pseudonymise_events

    session, info, chain = _open_with_chain(args)
    events = pseudonymise_events(session.events) if args.pseudonymise else session.events
    csv_file = args.output is not None and Path(args.output).suffix.lower() == ".csv"
    if (args.format or ("csv" if csv_file else "json")) == "json":
        document = {
            "format": reliability_commands.EXPORT_FORMAT,
            "version": reliability_commands.EXPORT_VERSION,
            "session": _info_dict(info),
            "pseudonymised": bool(args.pseudonymise),
            "deck_text": session.loaded.text,
            "events": [event.to_dict() for event in events],
        }
        if not args.pseudonymise:  # (pseudonyms change the events: their hashes would not match)
            document["chain"] = chain
            document["chain_head"] = chain[-1]["hash"] if chain else info.deck_hash
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    else:
        lines = describe_log(session.deck, events, session.state.revealed_turns)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["seq", "cmd", "kind", "turn", "team", "description", "data"])
        for event, line in zip(events, lines, strict=True):
            data = event.data
            writer.writerow(
                [
                    event.seq,
                    event.cmd,
                    event.kind,
                    data.get("turn", ""),
                    data.get("team", "") or "",
                    line,
                    json.dumps(data, sort_keys=True, ensure_ascii=False),
                ]
            )
        text = buffer.getvalue()
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise WargameError(f"cannot write {args.output}: {exc.strerror}") from None
        print(
            f"wrote {len(session.events)} events of session {info.id[:12]} to {args.output}", file=sys.stderr
        )
    else:
        sys.stdout.write(text)
    return 0


def _utc_day(text: str) -> datetime:
    """The start of a day (UTC) written YYYY-MM-DD; a usage error otherwise (as any bad value)."""
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: write it as YYYY-MM-DD") from None


def delete_sessions(args: argparse.Namespace) -> int:
    day: datetime = args.before
    store = open_store(args)
    unreadable: list[UnreadableSession] = []
    try:
        doomed = [info for info in store.sessions(unreadable) if info.created_at < day]
        status = _say_unreadable(unreadable, "is not listed and is kept")
        if not doomed:
            print(f"no sessions created before {day:%Y-%m-%d} in {store.display_url}")
            return status
        print(
            f"{len(doomed)} session(s) created before {day:%Y-%m-%d} will be deleted with all their events:"
        )
        for info in doomed:
            print(
                f"  {info.id[:12]}  {info.created_at:%Y-%m-%d %H:%M}  {info.deck_id}  "
                f"{info.class_label or '-'}  {info.status}"
            )
        if not args.yes:
            print("Delete them? Type yes to confirm: ", end="", flush=True)
            answer = sys.stdin.readline()
            if not answer:
                print()
                raise WargameError(
                    "no confirmation (standard input is closed); nothing was deleted; use --yes"
                )
            if answer.strip().lower() not in ("y", "yes"):
                raise WargameError("not confirmed; nothing was deleted")
        deleted = store.delete_sessions_before(day, only=[info.id for info in doomed])  # those shown
    finally:
        store.close()
    print(f"deleted {deleted} session(s) created before {day:%Y-%m-%d}")
    return status


def upgrade_database(args: argparse.Namespace) -> int:
    from wargame.store import upgrade

    url = database_url(args)
    before, after = upgrade(url)
    if before == after:
        print(f"database schema is up to date (version {after})")
    else:
        print(f"database schema upgraded from version {before} to {after}")
    return 0
