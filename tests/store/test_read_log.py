"""Reading a log back: every payload exactly as written, and a stored session folds to the state
it was played to.

The store decodes a whole log as one JSON array, joined with its brackets on its first and last
payloads; these tests write payloads whose text holds brackets, commas and quotes, numbers of
every kind and non-ASCII text, in logs of one event and of many.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

from wargame.deck import LoadedDeck, resolve_deck
from wargame.engine import commands as c
from wargame.engine.bots import choose_move
from wargame.engine.events import NOTE_ADDED, Event
from wargame.engine.fold import fold
from wargame.session import SessionController
from wargame.store import Store, eventlog

from .helpers import first_events, make_session

TRICKY: tuple[dict[str, Any], ...] = (
    {"text": "]", "team": None},
    {"text": "[", "n": 1},
    {"text": '"},{"', "list": [1, [2, [3]], {"a": []}]},
    {"text": "Équipe <b>bleue</b> — ✓ 東京 \\ \n \t \u0000"},
    {"big": 2**70, "negative": -(2**65), "float": -0.5, "exp": 1e300, "int": 3, "zero": 0.0},
    {},
    {"nested": {"deep": {"deeper": [True, False, None]}}, "text": ","},
    {"text": "a lone surrogate \ud800 (msgspec refuses it: the json module reads the log)"},
)


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store(db_url) as opened:
        yield opened


def tricky_events(start: int) -> list[Event]:
    return [Event(start + n, NOTE_ADDED, dict(data), start + n) for n, data in enumerate(TRICKY)]


def typed(value: Any) -> Any:
    """`value` with the type of every item beside it (1 == 1.0 == True; these tell them apart)."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [typed(item) for item in value]
    return (type(value).__name__, value)


def same(read: list[Event], written: list[Event]) -> None:
    """Equal, and each number of the same type (an int is not read back as a float)."""
    assert read == written
    assert all(type(event) is Event for event in read)
    assert typed(read) == typed(written)


def test_a_log_of_one_event_reads_back(store: Store) -> None:
    session_id = make_session(store)
    same(store.events(session_id), first_events())
    same(store.load(session_id).events, first_events())


@pytest.mark.parametrize("where", ["first", "last", "only"])
def test_tricky_payloads_read_back_exactly(store: Store, where: str) -> None:
    if where == "only":  # one tricky event after the first
        events = [*first_events(), *tricky_events(2)[:1]]
    elif where == "first":
        events = [Event(1, "session_created", dict(TRICKY[0]), 1), *tricky_events(2)]
    else:
        events = [*first_events(), *tricky_events(2)]
    session_id = make_session(store, events=events[:1])
    store.append(session_id, events[1:])
    same(store.events(session_id), events)
    same(store.load(session_id).events, events)
    for upto in range(1, len(events) + 1):
        same(store.events(session_id, upto=upto), events[:upto])


def test_a_log_is_decoded_in_one_go(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """One decode for the whole log (each payload by itself only to name a damaged one)."""
    session_id = make_session(store)
    store.append(session_id, tricky_events(2))
    calls: list[str] = []

    def loads(text: str) -> Any:
        calls.append(text)
        return decode(text)

    decode = eventlog.loads
    monkeypatch.setattr(eventlog, "loads", loads)
    same(store.events(session_id), [*first_events(), *tricky_events(2)])
    assert len(calls) == 1 and calls[0].startswith("[{") and calls[0].endswith("}]")


def test_the_fast_decoder_reads_what_the_json_module_reads() -> None:
    texts = [json.dumps(payload, sort_keys=True, separators=(",", ":")) for payload in TRICKY]
    for text in (*texts, "[" + ",".join(texts) + "]", "[-0, 1e308, -1e-400, 123456789012345678901234567890]"):
        assert repr(eventlog.loads(text)) == repr(json.loads(text))


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e400", "-1e999"])
def test_numbers_json_does_not_have_are_refused(number: str) -> None:
    """The store never writes them (`encode_payload`); the json module would read them as floats."""
    with pytest.raises(ValueError, match=number.lstrip("-")):
        eventlog.loads(f'[{{"turn": {number}}}]')


@pytest.fixture(scope="module")
def baltic() -> LoadedDeck:
    return resolve_deck("baltic_drone_spillover_2026")


def test_a_stored_session_folds_to_the_state_it_was_played_to(baltic: LoadedDeck, store: Store) -> None:
    """Notes, moves and adjudications over several turns: the reopened session's events and state
    are those of the live one, and its state is the fold of the events as they were made."""
    deck, rng = baltic.deck, random.Random(11)
    teams = tuple(c.TeamSetup(team.id, team.name, (team.id,)) for team in deck.teams)
    live = SessionController.create(baltic, c.CreateSession(seed=11, teams=teams, turns=10), store)
    while live.state.turn <= 3 and not live.state.ended:
        state = live.state
        if state.phase == "moves" and state.turn not in state.revealed_turns:
            for number in range(12):
                author = rng.choice([None, *teams]) if number % 3 else None
                text = f"{number}: {TRICKY[number % 4]['text']}"
                live.execute(c.AddNote(text, None if author is None else author.id))
            for team in state.active_teams():
                live.execute(choose_move(deck, state, team.id, "cooperative", rng))
        if state.phase == "adjudication":
            for decision in state.decisions_in_turn(state.turn):
                live.execute(c.Adjudicate(decision.team, rng.choice((-1.0, 2.0)), "why", decision.seq))
        live.execute(c.Advance())
    reopened = SessionController.open(store, live.session_id)
    same(reopened.events, live.events)
    assert reopened.state == live.state == fold(deck, live.events)
    notes = [(e.seq, e.data["text"], e.data.get("team")) for e in live.events if e.kind == NOTE_ADDED]
    assert [(n.seq, n.text, n.team) for n in reopened.state.notes] == notes
    assert len(notes) >= 36 and reopened.state.adjudications
