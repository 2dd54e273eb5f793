"""`wargame sessions verify` (the hash chain) and `wargame sessions import` (a JSON export, losslessly).

The JSON export (`sessions export ID --format json`) carries, beside each event, its recording
time and hashes in `chain` (one entry per event, same order) and the `chain_head`: importing it
into another database gives the same events with the same hashes.
"""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wargame.cli.stores import open_store
from wargame.errors import WargameError

if TYPE_CHECKING:
    from wargame.store import SessionInfo, Store, StoredEvent

EXPORT_FORMAT = "wargame-session"
EXPORT_VERSION = 1  # the version `sessions export` writes
READABLE_VERSIONS = (1,)  # the versions `sessions import` reads


def register(session_commands: Any, common: argparse.ArgumentParser) -> None:
    """Add `verify` and `import` to the `sessions` sub-commands."""
    verify = session_commands.add_parser(
        "verify",
        help="check a session's hash chain: OK, or the first altered or missing event",
        description="Recompute the hash chain of a session's stored events. Prints "
        "'OK: N events, chain head XXXXXXXXXXXX' (compare the head with a printed report), or the "
        "first altered or missing event and exits 1.",
        parents=[common],
    )
    verify.add_argument("session_id", metavar="ID", help="a session id or a unique prefix of one")
    verify.set_defaults(handler=verify_session)

    imports = session_commands.add_parser(
        "import",
        help="import a session exported with 'sessions export ID --format json'",
        description="Store a session exported from another database, with the same events and hashes. "
        "Refused if the session exists already or its hash chain does not verify.",
        parents=[common],
    )
    imports.add_argument("file", metavar="FILE", help="a JSON export")
    imports.set_defaults(handler=import_session)


def chain_entries(store: Store, session_id: str) -> list[dict[str, Any]]:
    """The `chain` part of a JSON export: each event's recording time and hashes."""
    return [
        {
            "seq": stored.event.seq,
            "recorded_at": stored.recorded_at.isoformat(),
            "prev_hash": stored.prev_hash,
            "hash": stored.hash,
        }
        for stored in store.stored_events(session_id)
    ]


def verify_session(args: argparse.Namespace) -> int:
    from wargame.session.consistency import summary_disagreement
    from wargame.store import DamagedRow

    store = open_store(args)
    try:
        session_id = store.resolve_id(args.session_id)
        result = store.verify(session_id)
        stored = store.load(session_id) if result.ok else None
    except DamagedRow as exc:
        print(f"ALTERED: {exc}")
        return 1
    finally:
        store.close()
    disagreement = stored and summary_disagreement(stored.info, stored.deck_text, stored.events)
    if disagreement:
        print(f"ALTERED: the session's summary does not match its events: {disagreement}")
        return 1
    print(result.summary())
    return 0 if result.ok else 1


def import_session(args: argparse.Namespace) -> int:
    from wargame.session.consistency import summary_disagreement
    from wargame.store.chain import short

    info, deck_text, events = read_export(Path(args.file))
    store = open_store(args)
    try:
        store.import_session(
            info,
            deck_text,
            events,
            summary_check=lambda: summary_disagreement(info, deck_text, [stored.event for stored in events]),
        )
        head = store.chain_head(info.id)
        where = store.display_url
    finally:
        store.close()
    print(f"imported session {info.id} ({len(events)} events, chain head {short(head)}) into {where}")
    return 0


def read_export(path: Path) -> tuple[SessionInfo, str, list[StoredEvent]]:
    """Parse a JSON export; WargameError (one line) for anything that is not a complete one."""
    from wargame.engine.events import Event
    from wargame.store import SessionInfo, StoredEvent

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WargameError(f"cannot import {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WargameError(f"cannot import {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        document = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise WargameError(f"cannot import {path}: not JSON ({exc})") from None
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise WargameError(f"cannot import {path}: not a session exported by 'wargame sessions export'")
    _check_version(path, document.get("version", EXPORT_VERSION))
    if document.get("pseudonymised"):
        raise WargameError(
            f"cannot import {path}: it is a pseudonymised export, which no longer matches its hashes"
        )
    if "chain" not in document:
        raise WargameError(
            f"cannot import {path}: the export has no hashes (made by an older wargame); export it again"
        )
    try:
        raw = document["session"]
        info = SessionInfo(
            id=str(raw["id"]),
            deck_id=str(raw["deck_id"]),
            deck_title=str(raw["deck_title"]),
            deck_version=str(raw["deck_version"]),
            deck_hash=str(raw["deck_hash"]),
            deck_origin=str(raw["deck_origin"]),
            seed=int(raw["seed"]),
            class_label=str(raw["class_label"]),
            facilitator=str(raw["facilitator"]),
            created_at=_time(raw["created_at"]),
            updated_at=_time(raw["updated_at"]),
            status=str(raw["status"]),
            current_turn=int(raw["current_turn"]),
            outcome=None if raw["outcome"] is None else str(raw["outcome"]),
            event_count=int(raw["event_count"]),
        )
        deck_text = document["deck_text"]
        if not isinstance(deck_text, str):
            raise TypeError("deck_text is not text")
        events, chain = document["events"], document["chain"]
        if not isinstance(events, list) or not isinstance(chain, list) or len(events) != len(chain):
            raise ValueError("events and chain must be lists of the same length")
        stored = []
        for event_raw, link in zip(events, chain, strict=True):
            event = Event.from_dict(event_raw)
            if int(link["seq"]) != event.seq:
                raise ValueError(f"chain entry {link['seq']} stands beside event {event.seq}")
            stored.append(
                StoredEvent(event, _time(link["recorded_at"]), str(link["prev_hash"]), str(link["hash"]))
            )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        what = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
        raise WargameError(f"cannot import {path}: the export is incomplete or damaged ({what})") from None
    return info, deck_text, stored


def _check_version(path: Path, version: Any) -> None:
    """WargameError unless this wargame reads exports of `version`."""
    if type(version) is int and version in READABLE_VERSIONS:
        return
    reads = f"this wargame reads version {', '.join(map(str, READABLE_VERSIONS))}"
    if type(version) is int and version > max(READABLE_VERSIONS):
        raise WargameError(
            f"cannot import {path}: the export was made by a newer wargame (export version {version}; "
            f"{reads}): import it with that wargame or a newer one"
        )
    raise WargameError(f"cannot import {path}: unknown export version {version!r} ({reads})")


def _time(value: Any) -> datetime:
    moment = datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        raise ValueError(f"time {value!r} has no time zone")
    return moment
