"""The after-action report (HTML content, escaping, pseudonyms), replay snapshots and comparisons."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest
import sqlalchemy

from tests.conftest import BALTIC_DECK, MINI_DECK
from tests.report.helpers import (
    ADJUDICATION_REASON,
    FACILITATOR,
    LATE_PLAYER,
    MERGED_ID,
    MERGED_NAME,
    PLAYERS,
    PREDICTION,
    SCRIPT_RATIONALE,
    play_merged,
    play_mini,
)
from wargame.deck import load_deck_file
from wargame.engine import commands as c
from wargame.engine.events import Event
from wargame.engine.fold import fold
from wargame.engine.state import IndexPoint, State
from wargame.errors import WargameError
from wargame.report import compare, load_replay, pseudonym_map, pseudonymise_events, report_html, snapshot
from wargame.report.svg_chart import escalation_svg
from wargame.session import SessionController
from wargame.store import Store


def test_the_report_holds_every_part_of_the_session(store: Store, session_id: str) -> None:
    replay = load_replay(store, session_id)
    html = report_html(replay)
    info = store.session(session_id)
    for text in (
        "Mini crisis",  # scenario title
        "Two teams, a channel, three cards and three outcomes.",  # scenario summary
        "Red",
        "Blue",
        "Green",
        "Outcome: War",
        "It went badly.",
        "A source — Someone",  # the outcome's source
        "Debrief questions",
        "What went wrong?",
        ADJUDICATION_REASON.replace("&", "&amp;"),  # an adjudication reason, escaped
        "Keep them honest",  # a rationale
        PREDICTION,
        "They were lost.",  # a card's ground truth
        info.id,
        info.deck_hash,
        "seed 5",
        "IR 101",
        FACILITATOR,
        "Turn 3 ended",  # the timeline
        "Red: Strike → The harbour (rationale: Now or never)",  # a move shown once revealed, by names
        "<svg",
        "<polyline",
    ):
        assert text in html, text
    assert html.count("<html") == 1


def test_text_players_typed_is_escaped_and_there_is_no_script(store: Store, session_id: str) -> None:
    html = report_html(load_replay(store, session_id))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert SCRIPT_RATIONALE not in html
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)=["'](https?:)?//""", html), "no external resources"


def test_pseudonyms_replace_player_names_and_keep_the_facilitator(store: Store, session_id: str) -> None:
    html = report_html(load_replay(store, session_id, pseudonymise=True))
    names = [*PLAYERS["red"], *PLAYERS["blue"], LATE_PLAYER]
    for name in names:
        assert name not in html, name
    for number in range(1, len(names) + 1):
        assert f"Player {number}" in html
    assert "Player 1 leads red" in html  # a name inside a rationale is replaced too
    assert FACILITATOR in html
    plain = report_html(load_replay(store, session_id))
    assert "Alice Smith" in plain


def test_a_name_typed_in_another_case_is_replaced_too() -> None:
    team = {"id": "red", "name": "Red", "players": ["Jo", "Anna"]}
    note = {"turn": 1, "text": "JO said no; anna agreed; Joanna did not"}
    events = [Event(1, "session_created", {"teams": [team]}), Event(2, "note_added", note)]
    changed = pseudonymise_events(events)
    assert changed[1].data["text"] == "Player 1 said no; Player 2 agreed; Joanna did not"


def test_pseudonyms_are_stable_and_in_order_of_first_appearance(store: Store, session_id: str) -> None:
    events = store.events(session_id)
    mapping = pseudonym_map(events)
    assert mapping == {
        "Alice Smith": "Player 1",
        "Bob": "Player 2",
        "Chandra": "Player 3",
        "Dana": "Player 4",
    }
    assert pseudonym_map(store.events(session_id)) == mapping
    changed = pseudonymise_events(events)
    assert changed[0].data["teams"][0]["players"] == ["Player 1", "Player 2"]
    assert changed[1].data["player"] == "Player 4"
    assert events[0].data["teams"][0]["players"] == ["Alice Smith", "Bob"], "the originals are untouched"
    assert pseudonymise_events([]) == []


def test_snapshots_follow_the_fold(store: Store, session_id: str) -> None:
    replay = load_replay(store, session_id)
    for count in (1, 9, 12, len(replay.events)):
        state = fold(replay.deck, replay.events[:count])
        snap = snapshot(replay.deck, state)
        assert snap.index == state.index
        assert [t.escalation for t in snap.teams] == [t.escalation for t in state.teams.values()]
        assert len(snap.cards) == len(state.injections)
        assert len(snap.moves) == sum(1 for d in state.decisions if d.revealed)
    hidden = snapshot(replay.deck, replay.state_at(9))
    assert hidden.moves == () and hidden.hidden_moves == 2
    timeline = replay.timeline(9)
    assert "move recorded" in timeline[7].text and "script" not in timeline[7].text


def test_the_chart_marks_cards_and_adjudications(store: Store, session_id: str) -> None:
    replay = load_replay(store, session_id)
    svg = escalation_svg(replay.deck, replay.state)
    assert svg.count("<path d=") == len(replay.state.injections) + 1  # + the legend's diamond
    assert "Adjudication (Blue)" in svg
    assert "<script" not in svg
    turns = replay.state.turn_count
    assert f">{turns}</text>" in svg and f">{turns + 1}</text>" not in svg  # the axis ends at the last turn
    long = State(turn_count=100, history=[IndexPoint(1, 0, 20, "start")])
    labels = re.findall(r'text-anchor="middle" fill="#333">(\d+)</text>', escalation_svg(replay.deck, long))
    assert labels == [str(turn) for turn in range(0, 101, 10)]  # not a hundred labels on top of each other


def test_the_teams_table_names_the_objectives_met_by_their_text(store: Store) -> None:
    text = report_html(load_replay(store, play_mini(store, strike=False)))
    teams = text.split("<h2>Teams</h2>", 1)[1].split("</table>", 1)[0]
    assert "<td>Keep it calm (2)</td>" in teams  # red's objective, not its id "calm"


def test_compare_sessions_of_one_deck(store: Store, session_id: str) -> None:
    other = play_mini(store, class_label="IR 102", seed=9, strike=False)
    replays = [load_replay(store, sid) for sid in (session_id, other)]
    result = compare(replays, top=3)
    assert result.sessions == 2
    assert result.outcomes == {"War": 1, "Muddling through": 1}
    assert len(result.curves) == 2
    assert all(curve.points[0] == (0.0, 20.0) for curve in result.curves)
    biggest = result.rises[0]
    assert biggest.delta == 28 and biggest.cause == "Red: Strike" and biggest.session_id == session_id
    assert biggest.preceded == ("Card: A rumour",)  # what came before it that turn, not its own cause
    assert [r.delta for r in result.rises] == sorted((r.delta for r in result.rises), reverse=True)
    assert "Red: Strike" not in dict(result.preceding)  # nothing came after the strike in its turn
    assert dict(result.preceding)["Card: A rumour"] >= 1


def test_a_merged_team_is_called_by_its_name_in_comparisons_and_the_report(store: Store) -> None:
    replay = load_replay(store, play_merged(store))
    move, adjudication = f"{MERGED_NAME}: Exercise near the border", f"Adjudication ({MERGED_NAME})"
    rises = compare([replay]).rises
    assert {move, adjudication} <= {rise.cause for rise in rises}
    assert move in next(rise for rise in rises if rise.cause == adjudication).preceded
    html = report_html(replay)
    assert f"{move}: index" in html and f"{adjudication}: index" in html  # the chart's point titles
    assert MERGED_ID not in html
    assert f"(merged into {MERGED_NAME})" in html
    assert "left the game" not in html  # a merged team did not leave


def test_compare_refuses_nothing_or_several_decks(store: Store, session_id: str) -> None:
    with pytest.raises(WargameError, match="at least one"):
        compare([])
    replay = load_replay(store, session_id)
    other = load_replay(store, session_id)
    other.info = replace(other.info, deck_id="other")
    with pytest.raises(WargameError, match="same deck"):
        compare([replay, other])


def edit(db_url: str, statement: str, **params: object) -> None:
    engine = sqlalchemy.create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(sqlalchemy.text(statement), params)
    finally:
        engine.dispose()


def test_a_report_of_a_log_that_does_not_verify_says_so(db_url: str, store: Store, session_id: str) -> None:
    assert load_replay(store, session_id).integrity == ""
    edit(db_url, "DELETE FROM events WHERE session_id = :id AND seq = 12", id=session_id)
    replay = load_replay(store, session_id)
    assert replay.integrity == "MISSING: event #12 (the next stored event is #13)"
    html = report_html(replay)
    assert "The stored log does not verify" in html and "MISSING: event #12" in html


def test_an_altered_event_that_cannot_be_replayed_is_named_by_the_chain(
    db_url: str, store: Store, session_id: str
) -> None:
    seq = next(e.seq for e in store.events(session_id) if e.kind == "decision_recorded")
    edit(
        db_url,
        "UPDATE events SET payload = '{}' WHERE session_id = :id AND seq = :seq",
        id=session_id,
        seq=seq,
    )
    with pytest.raises(WargameError, match=rf"does not verify: ALTERED: event #{seq} \("):
        load_replay(store, session_id)


def test_the_report_prints_the_chain_head(store: Store, session_id: str) -> None:
    head = store.chain_head(session_id)
    assert store.verify(session_id).ok
    replay = load_replay(store, session_id)
    assert replay.chain_head == head
    html = report_html(replay)
    assert head in html
    assert f"wargame sessions verify {session_id[:12]}" in html


def two_move_session(store: Store, tmp_path: Path, *, reveal: bool, end: bool = False) -> str:
    """Red makes two moves in turn 1 (the mini deck with two moves a turn), the second adjudicated
    after the reveal; without `reveal`, the moves are entered and the session stops (or ends)."""
    deck_file = tmp_path / "two-moves.yaml"
    deck_file.write_text(
        MINI_DECK.read_text(encoding="utf-8").replace("moves_per_turn: 1", "moves_per_turn: 2"),
        encoding="utf-8",
    )
    teams = tuple(c.TeamSetup(team, team.capitalize(), (team,)) for team in ("red", "blue", "green"))
    session = SessionController.create(load_deck_file(deck_file), c.CreateSession(seed=1, teams=teams), store)
    session.execute(c.Advance())
    while session.state.phase != "moves":
        session.execute(c.Advance())
    session.execute(c.SubmitDecision("red", action="talk", rationale="FIRST WHY", predict="FIRST GUESS"))
    session.execute(c.SubmitDecision("red", action="posture", target="blue", rationale="SECOND WHY"))
    session.execute(c.SubmitDecision("blue", rationale="Nothing to add"))
    session.execute(c.SubmitDecision("green"))
    if reveal:
        session.execute(c.Advance())
        second = session.state.decisions[1].seq
        session.execute(c.Adjudicate("red", 5, "ONLY THE SECOND MOVE", decision_seq=second))
    elif end:
        session.execute(c.EndSession())
    session.close()
    return session.session_id


def decision_rows(text: str, team: str) -> list[str]:
    """The rows of a team's decisions table in a report's HTML, as text."""
    table = text.split(f">{team}</h3>", 1)[1].split("</table>", 1)[0]
    return [re.sub(r"<[^>]+>", " ", row) for row in table.split("<tr")[2:]]


def test_an_adjudication_of_one_move_shows_on_that_move_only(store: Store, tmp_path: Path) -> None:
    replay = load_replay(store, two_move_session(store, tmp_path, reveal=True))
    first, second = decision_rows(report_html(replay), "Red")
    assert "ONLY THE SECOND MOVE" not in first and "ONLY THE SECOND MOVE" in second


def test_a_move_not_yet_revealed_shows_nothing_of_itself_in_the_report(store: Store, tmp_path: Path) -> None:
    replay = load_replay(store, two_move_session(store, tmp_path, reveal=False))
    text = report_html(replay)
    for secret in ("FIRST WHY", "SECOND WHY", "FIRST GUESS", "Propose a channel", "Exercise near the border"):
        assert secret not in text
    assert all("not revealed" in row for row in decision_rows(text, "Red"))


def test_a_move_the_session_ended_before_revealing_is_shown_as_never_revealed(
    store: Store, tmp_path: Path
) -> None:
    replay = load_replay(store, two_move_session(store, tmp_path, reveal=False, end=True))
    first, second = decision_rows(report_html(replay), "Red")
    assert "Propose a channel (never revealed)" in first and "FIRST WHY" in first and "FIRST GUESS" in first
    assert "Exercise near the border (never revealed)" in second and "Blue" in second


def test_the_chart_band_labels_do_not_overlap() -> None:
    deck = load_deck_file(BALTIC_DECK).deck  # its top band, 95 to 100, is thinner than a line of text
    svg = escalation_svg(deck, State(turn_count=6, history=[IndexPoint(1, 0, 20, "start")]))
    baselines = sorted(
        float(y) for y in re.findall(r'<text x="[\d.]+" y="([\d.]+)" text-anchor="end" fill="#444"', svg)
    )
    assert len(baselines) == len(deck.escalation.bands)
    assert all(below - above >= 12 for above, below in pairwise(baselines))
