"""The console's small widgets: phase timer, phase stepper, gauge, chart points."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from tests.conftest import MINI_DECK
from wargame.deck import load_deck_file
from wargame.engine.state import IndexPoint
from wargame.report.svg_chart import MAX_TICKS, TICK_STEPS, chart_points, tick_step
from wargame.ui.chart import ChartPoints, IndexChart, index_step, show_index
from wargame.ui.qt import QtGui
from wargame.ui.widgets import (
    EscalationGauge,
    PhaseStepper,
    PhaseTimer,
    band_text,
    reflow,
    short_band_name,
)


def test_timer_counts_down_pauses_and_alerts(qtbot: QtBot) -> None:
    timer = PhaseTimer()
    qtbot.addWidget(timer)
    # before the first phase: no time set, which is not "time is up"
    assert (timer.display.text(), timer.state, timer.state_label.text()) == ("--:--", "idle", "No phase yet")
    timer.reset(0.05)  # three seconds
    assert (timer.display.text(), timer.state, timer.state_label.text()) == ("00:03", "paused", "‖ Paused")
    timer.tick()  # paused: nothing moves
    assert timer.remaining == 3
    timer.start()
    assert timer.state == "running" and timer.start_button.text() == "Pause"
    timer.tick()
    assert timer.display.text() == "00:02"
    timer.pause()
    timer.add_minute()
    assert timer.display.text() == "01:02" and timer.state == "paused"
    timer.remaining = 1
    timer.start()
    with qtbot.waitSignal(timer.expired, timeout=3000):
        pass  # the real one-second ticker reaches zero
    assert (timer.state, timer.state_label.text(), timer.running) == ("alert", "Time is up!", False)
    timer.start()  # nothing left: stays in alert
    assert not timer.running


def test_stepper_highlights_the_current_phase(qtbot: QtBot) -> None:
    phases = ("inject", "deliberation", "moves", "reveal")
    stepper = PhaseStepper(phases)
    qtbot.addWidget(stepper)
    stepper.set_position(2, 6, "moves")
    assert stepper.current_phase() == "moves"
    assert stepper.turn_label.text() == "Turn 2 of 6"
    assert [stepper.labels[p].property("done") for p in phases] == [True, True, False, False]


def test_a_narrow_stepper_numbers_the_phases_and_names_the_current_one(qtbot: QtBot) -> None:
    phases = ("inject", "deliberation", "moves", "reveal", "adjudication", "scoring")
    stepper = PhaseStepper(phases)
    qtbot.addWidget(stepper)
    stepper.set_position(1, 6, "moves")
    stepper.show()
    full, least = stepper.sizeHint().width(), stepper.minimumSizeHint().width()
    assert least < full * 0.7
    stepper.resize(full, 60)
    qtbot.waitUntil(lambda: stepper.labels["inject"].text() == "1. Inject")
    assert [label.text() for label in stepper.labels.values()][-1] == "6. Scoring"
    stepper.resize(least, 60)
    qtbot.waitUntil(lambda: stepper.labels["inject"].text() == "1")
    texts = [label.text() for label in stepper.labels.values()]
    assert texts == ["1", "2", "3. Moves", "4", "5", "6"]
    assert stepper.labels["inject"].toolTip() == "1. Inject"
    assert stepper.labels["moves"].toolTip() == "Current phase: 3. Moves"
    stepper.set_position(1, 6, "adjudication")  # the longest name, in the same room
    assert [label.text() for label in stepper.labels.values()][2:5] == ["3", "4", "5. Adjudication"]
    needed = stepper.layout().sizeHint().width()  # type: ignore[union-attr]
    assert needed <= least


def test_gauge_names_the_band(qtbot: QtBot) -> None:
    gauge = EscalationGauge(load_deck_file(MINI_DECK).deck)
    qtbot.addWidget(gauge)
    gauge.resize(500, 80)
    gauge.set_index(42, "Tense")
    assert "42" in gauge.toolTip() and "Tense" in gauge.toolTip()
    assert not gauge.grab().isNull()


PHASES = ("inject", "deliberation", "moves", "reveal", "adjudication", "scoring")


def line_of(points: ChartPoints) -> list[tuple[float, float]]:
    return [(round(point.x(), 9), point.y()) for point in points.line()]


def near(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(round(x, 9), y) for x, y in points]


def test_chart_points_spread_each_turn_by_phase() -> None:
    # six phases (inject, deliberation, moves, reveal, adjudication, scoring): a sixth of a turn each
    history = [
        IndexPoint(1, 0, 20, "start"),
        IndexPoint(4, 1, 26, "card:opening", "inject"),
        IndexPoint(9, 1, 22, "move:red:talk", "moves"),  # revealed as the moves phase ends
        IndexPoint(15, 2, 24, "card:rumour", "inject"),
    ]
    points = ChartPoints(PHASES)
    assert points.update(history[:2])
    assert line_of(points) == near([(0.0, 20), (1 / 6, 26)])
    assert points.update(history)
    assert line_of(points) == near([(0.0, 20), (1 / 6, 26), (3 / 6, 22), (7 / 6, 24)])
    assert near([(point.x(), point.y()) for point in points.cards()]) == near([(1 / 6, 26), (7 / 6, 24)])
    assert not points.update(history)  # nothing new: nothing to redraw
    # adjudications, and a card forced during them, share the adjudication's sixth in their order
    history += [
        IndexPoint(20, 1, 21, "adjudication:red", "adjudication"),
        IndexPoint(21, 1, 30, "card:alarm_card", "adjudication"),
        IndexPoint(22, 1, 18, "adjudication:blue", "adjudication"),
    ]
    points.update(history)
    assert line_of(points)[:3] == near([(0.0, 20), (1 / 6, 26), (3 / 6, 22)])  # unmoved
    assert [x for x, _ in line_of(points)[3:6]] == pytest.approx([4 / 6 + 1 / 18, 4 / 6 + 2 / 18, 5 / 6])


def test_the_chart_keeps_its_points_in_place_as_a_session_goes_on() -> None:
    """Played through the engine: every point keeps its x from when it came to the end."""
    from wargame.engine import commands as c
    from wargame.session import SessionController

    teams = tuple(c.TeamSetup(t, t.title(), (t,)) for t in ("red", "blue", "green"))
    session = SessionController.create(load_deck_file(MINI_DECK), c.CreateSession(seed=4, teams=teams), None)
    phases = session.deck.phase_ids
    placed: dict[int, float] = {}
    while not session.state.ended:
        state = session.state
        waiting = [t.id for t in state.active_teams() if t.id not in state.submitted_teams()]
        if state.phase == "moves" and state.turn not in state.revealed_turns and waiting:
            session.execute(c.SubmitDecision(waiting[0], action="talk" if waiting[0] == "red" else None))
        elif state.phase == "adjudication" and not any(a.turn == state.turn for a in state.adjudications):
            session.execute(c.Adjudicate("blue", -1.0, "calm words"))
        else:
            session.execute(c.Advance())
        for x, _, _, seq in chart_points(session.state.history, phases):
            assert placed.setdefault(seq, x) == pytest.approx(x)
    xs = [x for x, _, _, _ in chart_points(session.state.history, phases)]
    assert xs == sorted(xs) and len(placed) > 6


def test_the_x_axis_labels_every_turn_of_a_class_and_at_most_a_dozen_of_a_long_session() -> None:
    assert tick_step(6) == 1 and tick_step(12) == 1  # a six-turn deck: 0, 1, 2, … 6
    assert tick_step(101) == 10 and tick_step(13) == 2
    for last in range(1, 3000):
        step = tick_step(last)
        assert last / step <= MAX_TICKS  # at most a dozen labels
        smaller = TICK_STEPS[: TICK_STEPS.index(step)]
        assert all(last / other > MAX_TICKS for other in smaller)  # and as many as fit


def test_the_chart_ends_at_the_last_turn_and_has_room_for_a_point_at_either_end_of_the_index(
    qtbot: QtBot,
) -> None:
    deck = load_deck_file(MINI_DECK).deck
    low, high = deck.escalation.min, deck.escalation.max
    assert low is not None and high is not None
    chart = IndexChart(deck, turn_count=6)
    qtbot.addWidget(chart)
    assert -0.5 < chart.x_axis.min() < 0 < 6 < chart.x_axis.max() < 6.5  # no "7" after a six-turn session
    assert chart.x_axis.tickAnchor() == 0 and chart.x_axis.tickInterval() == 1
    assert not chart.x_axis.truncateLabels()  # the last turn's label at the edge, whole ("100", not "1…")
    assert chart.y_axis.min() < low and chart.y_axis.max() > high  # a point at 100 is not cut in half
    assert chart.y_axis.tickAnchor() == low and chart.y_axis.tickInterval() == index_step(high - low, 5)
    assert index_step(100, 5) == 25 and index_step(100, 3) == 50 and index_step(150, 5) == 50
    assert index_step(20, 5) == 5 and index_step(1000, 5) == 250
    assert index_step(10, 5) == 5 and index_step(3, 5) == 1  # whole numbers: the labels are "%d"


def test_the_index_axis_is_labelled_at_multiples_of_its_step(qtbot: QtBot) -> None:
    loaded = load_deck_file(MINI_DECK).deck
    deck = loaded.model_copy(
        update={"escalation": loaded.escalation.model_copy(update={"min": -7.0, "max": 93.0})}
    )
    chart = IndexChart(deck, turn_count=3)
    qtbot.addWidget(chart)
    show_index(chart.y_axis, deck)
    assert chart.y_axis.tickInterval() == 25 and chart.y_axis.tickAnchor() == 0  # 0, 25, 50, 75


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 6), st.integers(-50, 100), st.sampled_from([None, *PHASES])), max_size=40
    ),
    st.lists(st.integers(1, 8), max_size=10),
)
def test_chart_points_kept_up_to_date_are_those_of_the_whole_history(
    made: list[tuple[int, int, str | None]], chunks: list[int]
) -> None:
    """Points appended in chunks (turns in any order, as adjudications of past turns come) give
    the points of the whole history each time; another history starts again."""
    everything = [
        IndexPoint(seq, turn, index, "card:x" if phase in (None, "inject") else "move:red:talk", phase)
        for seq, (turn, index, phase) in enumerate(made, start=1)
    ]
    history: list[IndexPoint] = []
    points = ChartPoints(PHASES)
    for size in [*chunks, len(everything)]:
        history.extend(everything[len(history) : len(history) + size])
        points.update(history)
        assert line_of(points) == near([(x, y) for x, y, _, _ in chart_points(history, PHASES)])
    fresh = list(everything[:3])
    points.update(fresh)
    assert line_of(points) == near([(x, y) for x, y, _, _ in chart_points(fresh, PHASES)])


def test_reflow_joins_wrapped_lines_and_keeps_paragraphs() -> None:
    assert reflow("A wrapped\nline.\n\nA second\n  paragraph.\n") == "A wrapped line.\n\nA second paragraph."


def test_band_names_shorten_to_what_fits(qtbot: QtBot) -> None:
    metrics = QtGui.QFontMetrics(QtGui.QFont())
    name = "Subcrisis manoeuvring (Kahn rungs 1–3)"
    assert short_band_name(name) == "Subcrisis manoeuvring"
    assert short_band_name("(rungs 1–3)") == "(rungs 1–3)"
    assert short_band_name("Calm") == "Calm"
    assert band_text(metrics, 0, name, 10_000) == f"1. {name}"
    room = metrics.horizontalAdvance("1. Subcrisis manoeuvring")
    assert band_text(metrics, 0, name, room) == "1. Subcrisis manoeuvring"
    cut = band_text(metrics, 0, name, metrics.horizontalAdvance("1. Subcrisis m…"))
    assert cut.startswith("1. Subcris") and cut.endswith("…") and "(" not in cut
    # two bands whose cut names read the same are told apart by their numbers
    hardening = band_text(
        metrics, 1, "Traditional crisis: hardening", metrics.horizontalAdvance("2. Traditional…")
    )
    harassment = band_text(
        metrics, 2, "Traditional crisis: harassment", metrics.horizontalAdvance("3. Traditional…")
    )
    assert hardening.startswith("2. Trad") and harassment.startswith("3. Trad")
    assert band_text(metrics, 1, "Traditional crisis", metrics.horizontalAdvance("2. Tr…")) == "2"
    assert band_text(metrics, 1, "Traditional crisis", 0) == ""
