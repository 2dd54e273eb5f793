"""The rules, one at a time, on the mini deck (tests/fixtures/mini.yaml).

The mini deck in brief: teams red, blue, green (grouping `allies` = blue + green); index 0..100
starting at 20; track `channel` (none/proposed/working/suspended), numeric track `alarm` 0..10
starting at 2, flag `strike`; 3 turns of six phases; actions talk (-4), accept (-6, requires a
proposed channel), posture (+4, a team target, +2 with a working channel), strike (+28, red only,
a place target); cards opening (turn 1, +6), alarm_card (alarm >= 5, +4), rumour (weight 2,
repeatable, +2), calm_news (weight 1, -2, -5 with a working channel); outcomes war (early end),
channel, muddle.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from tests.engine.conftest import SOLO_TEAMS, Driver
from wargame.deck import Deck
from wargame.engine import commands as c
from wargame.engine import events as ev
from wargame.engine.fold import active_events, fold
from wargame.engine.rules import classify, decide, draw_card, early_end_outcome, undo_redo_stacks
from wargame.engine.state import State, band_of, scores
from wargame.errors import DamagedEventError, RuleError

PHASES = ["inject", "deliberation", "moves", "reveal", "adjudication", "scoring"]
ALLIES = c.TeamSetup("allies", "Allies", ("blue", "green"))
RED = c.TeamSetup("red", "Red", ("red",))


def refuses(driver: Driver, command: c.Command, match: str) -> None:
    """The command is refused with a message matching `match`, and nothing changes."""
    before_log = list(driver.log)
    before_state = driver.snapshot()
    with pytest.raises(RuleError, match=match):
        driver.run(command)
    assert driver.log == before_log
    assert driver.state == before_state
    assert driver.folded() == before_state


# -- creating a session ------------------------------------------------------------------------


def test_create_session_sets_up_the_state(fresh: Driver) -> None:
    events = fresh.run(
        c.CreateSession(
            seed=42,
            teams=(RED, ALLIES),
            class_label="10B",
            facilitator="Ms Rivera",
            phase_minutes={"moves": 7},
        )
    )
    assert [e.kind for e in events] == [ev.SESSION_CREATED]
    assert (events[0].seq, events[0].cmd) == (1, 1)
    assert events[0].data["deck_id"] == "mini"
    state = fresh.state
    assert (state.deck_id, state.seed, state.class_label, state.facilitator) == (
        "mini",
        42,
        "10B",
        "Ms Rivera",
    )
    assert state.turn_count == 3
    assert state.phase_minutes["moves"] == 7
    assert state.phase_minutes["inject"] == 2
    assert (state.turn, state.phase, state.started, state.ended) == (0, None, False, False)
    assert state.index == 20
    assert state.tracks == {"channel": "none", "alarm": 2}
    assert state.flags == {"strike": False}
    assert list(state.teams) == ["red", "allies"]
    assert state.teams["allies"].members == ("blue", "green")
    assert state == fresh.folded()


def test_turns_can_be_overridden(fresh: Driver) -> None:
    fresh.create(turns=1)
    assert fresh.state.turn_count == 1
    fresh.play_turn()
    assert fresh.state.ended
    assert fresh.state.end_reason == "last_turn"


@pytest.mark.parametrize(
    ("teams", "kwargs", "match"),
    [
        ((c.TeamSetup("purple", "Purple", ("purple",)),), {}, r"unknown team 'purple'"),
        ((RED, c.TeamSetup("red2", "Red again", ("red",))), {}, r"team 'red' is played twice"),
        ((RED, c.TeamSetup("mix", "Mix", ("blue", "red"))), {}, r"team 'red' is played twice"),
        ((RED, c.TeamSetup("red", "Blue", ("blue",))), {}, r"team id 'red' is empty or used twice"),
        ((c.TeamSetup("", "Red", ("red",)),), {}, r"is empty or used twice"),
        ((c.TeamSetup("red", "  ", ("red",)),), {}, r"team 'red' needs a name"),
        ((c.TeamSetup("red", "Red", ()),), {}, r"team 'red' plays no deck team"),
        ((c.TeamSetup("red", "Red", ("red",), ("Ann", "Bob", "Ann")),), {}, r"Ann is named twice for Red"),
        ((), {}, r"at least one team"),
        ((RED,), {"turns": 0}, r"between 1 and 100, not 0"),
        ((RED,), {"turns": 101}, r"between 1 and 100, not 101"),
        ((RED,), {"phase_minutes": {"lunch": 5}}, r"unknown phase 'lunch'"),
        ((RED,), {"phase_minutes": {"moves": 0}}, r"minutes for phase 'moves' must be more than 0"),
    ],
)
def test_create_session_validation(fresh: Driver, teams: tuple, kwargs: dict, match: str) -> None:
    refuses(fresh, c.CreateSession(seed=1, teams=teams, **kwargs), match)
    assert fresh.log == []


def test_session_cannot_be_created_twice(game: Driver) -> None:
    refuses(game, c.CreateSession(seed=1, teams=SOLO_TEAMS), "already exists")


@pytest.mark.parametrize(
    "command", [c.Advance(), c.AddNote("hello"), c.Undo(), c.SubmitDecision("red"), c.EndSession()]
)
def test_commands_before_the_session_exists_are_refused(fresh: Driver, command: c.Command) -> None:
    refuses(fresh, command, "has not been created yet")


def test_a_grouping_plays_as_one_team_with_every_members_actions(fresh: Driver) -> None:
    fresh.create(teams=(RED, ALLIES))
    fresh.advance_to("moves")
    # `accept` is on blue's menu, not green's: the grouping may take it (when available).
    refuses(fresh, c.SubmitDecision("allies", "strike", target="harbour"), "not on this team's menu")
    refuses(fresh, c.SubmitDecision("allies", "accept"), "not available now")
    fresh.submit("allies", "talk")
    refuses(fresh, c.SubmitDecision("blue"), "unknown team 'blue'")
    fresh.pass_("red")
    fresh.advance()
    assert fresh.team("allies").deescalation == 4
    fresh.play_turn({"allies": c.SubmitDecision("allies", "accept")})
    assert fresh.state.tracks["channel"] == "working"
    # scored on the members' objectives together (blue's "channel"; green has none)
    assert scores(fresh.deck, fresh.state)["allies"]["objectives_met"] == ["channel"]
    assert scores(fresh.deck, fresh.state)["allies"]["objectives"] == 3


def test_a_lone_team_may_not_take_a_grouping_members_action(in_moves: Driver) -> None:
    refuses(in_moves, c.SubmitDecision("green", "accept"), r"'Accept the channel' is not on this team's menu")


# -- phases and the turn cycle -----------------------------------------------------------------


def test_first_advance_starts_turn_one(game: Driver) -> None:
    events = game.advance()
    assert game.kinds(events) == [ev.TURN_STARTED, ev.PHASE_CHANGED, ev.CARD_INJECTED]
    assert events[0].data == {"turn": 1}
    assert events[1].data == {"turn": 1, "phase": "inject"}
    assert (game.state.turn, game.state.phase, game.state.started) == (1, "inject", True)
    assert {e.cmd for e in events} == {2}


def test_advance_steps_through_the_phases_in_order(started: Driver) -> None:
    seen = [started.state.phase]
    for _ in range(5):
        if started.state.phase == "moves":
            started.pass_others()
        started.advance()
        seen.append(started.state.phase)
    assert seen == PHASES
    assert started.state.turn == 1


def test_after_the_last_phase_the_turn_ends_and_the_next_starts(started: Driver) -> None:
    started.advance_to("moves")
    started.pass_others()
    started.advance_to("scoring")
    index = started.state.index
    events = started.advance()
    assert started.kinds(events)[:3] == [ev.TURN_ENDED, ev.TURN_STARTED, ev.PHASE_CHANGED]
    assert events[0].data == {"turn": 1}
    assert events[1].data == {"turn": 2}
    assert started.state.index_by_turn == [index]
    assert (started.state.turn, started.state.phase) == (2, "inject")


def test_reveal_leaves_moves_and_reveals(in_moves: Driver) -> None:
    in_moves.pass_others()
    events = in_moves.advance()
    assert in_moves.kinds(events) == [ev.DECISIONS_REVEALED, ev.PHASE_CHANGED]
    assert events[0].data == {"turn": 1}
    assert in_moves.state.phase == "reveal"
    assert 1 in in_moves.state.revealed_turns


def test_a_deck_without_an_inject_phase_injects_at_the_turn_start(mini_variant: Callable[..., Deck]) -> None:
    deck = mini_variant(("    - {id: inject, minutes: 2}\n", ""))
    driver = Driver(deck).create()
    events = driver.advance()
    assert driver.kinds(events) == [ev.TURN_STARTED, ev.CARD_INJECTED, ev.PHASE_CHANGED]
    assert driver.state.phase == "deliberation"
    assert driver.state.injected == {"opening": 1}


@pytest.mark.parametrize(
    "command",
    [
        c.SubmitDecision("red"),
        c.InjectCard("rumour"),
        c.Adjudicate("red", 1, "why"),
        c.EndSession(),
    ],
)
def test_game_commands_before_turn_one_are_refused(game: Driver, command: c.Command) -> None:
    refuses(game, command, "has not started yet")


# -- moves and the reveal ----------------------------------------------------------------------


def test_reveal_is_refused_while_a_team_has_not_moved(in_moves: Driver) -> None:
    in_moves.submit("red", "talk")
    with pytest.raises(RuleError, match="cannot reveal yet: waiting for Blue, Green") as raised:
        in_moves.run(c.Advance())
    assert "Red" not in str(raised.value)
    refuses(in_moves, c.Advance(), "waiting for Blue, Green")
    in_moves.pass_("blue")
    refuses(in_moves, c.Advance(), r"waiting for Green$")
    in_moves.pass_("green")
    in_moves.advance()
    assert in_moves.state.phase == "reveal"


def test_refused_reveal_leaves_the_state_given_to_decide_untouched(in_moves: Driver) -> None:
    state = in_moves.snapshot()
    with pytest.raises(RuleError):
        decide(in_moves.deck, in_moves.state, in_moves.log, c.Advance(), cmd=in_moves.next_cmd)
    assert in_moves.state == state


def test_the_reveal_uses_the_current_team_names(in_moves: Driver) -> None:
    in_moves.run(c.RenameTeam("blue", "Team Azure"))
    in_moves.pass_("red")
    refuses(in_moves, c.Advance(), "waiting for Team Azure, Green")


def test_decisions_are_hidden_until_the_reveal(in_moves: Driver) -> None:
    before = in_moves.state.index
    events = in_moves.submit("red", "talk", rationale="Let's talk", predict="They accept")
    assert in_moves.kinds(events) == [ev.DECISION_RECORDED]
    assert events[0].data == {
        "turn": 1,
        "team": "red",
        "action": "talk",
        "free_text": None,
        "target": None,
        "rationale": "Let's talk",
        "predict": "They accept",
    }
    decision = in_moves.state.decisions[-1]
    assert (decision.revealed, decision.value, decision.passed) == (False, 0.0, False)
    assert in_moves.state.index == before
    assert in_moves.state.tracks["channel"] == "none"
    assert in_moves.team("red").deescalation == 0
    assert in_moves.state.taken == {}
    in_moves.pass_others()
    in_moves.advance()
    assert in_moves.state.index == before - 4
    assert in_moves.state.tracks["channel"] == "proposed"
    assert (decision.revealed, decision.value) == (True, -4.0)
    assert in_moves.team("red").deescalation == 4
    assert in_moves.team("red").escalation == 0
    assert in_moves.state.taken == {"talk": 1}
    assert in_moves.state.history[-1].cause == "move:red:talk"
    assert in_moves.state.history[-1].index == before - 4


def test_moves_may_be_entered_from_the_inject_phase(started: Driver) -> None:
    started.submit("red", "talk")
    started.advance()
    started.submit("blue", "talk")
    assert started.state.phase == "deliberation"
    assert started.state.submitted_teams() == {"red", "blue"}


def test_moves_after_the_reveal_are_refused(in_moves: Driver) -> None:
    in_moves.pass_others()
    in_moves.advance()
    refuses(in_moves, c.SubmitDecision("red", "talk"), "not in the reveal phase")
    in_moves.advance()
    refuses(in_moves, c.SubmitDecision("red"), "not in the adjudication phase")


def test_one_move_per_turn(in_moves: Driver) -> None:
    in_moves.submit("red", "talk")
    refuses(in_moves, c.SubmitDecision("red", "posture", target="blue"), r"Red has made its 1 move\(s\)")


def test_moves_per_turn_two(mini_variant: Callable[..., Deck]) -> None:
    driver = Driver(mini_variant(("moves_per_turn: 1", "moves_per_turn: 2"))).create()
    driver.advance_to("moves")
    driver.submit("red", "talk")
    driver.submit("red", "posture", target="blue")
    refuses(driver, c.SubmitDecision("red", "talk"), r"made its 2 move\(s\)")
    refuses(driver, c.SubmitDecision("blue", "strike", target="harbour"), "not on this team's menu")
    driver.submit("blue", "talk")
    refuses(driver, c.SubmitDecision("blue"), "already moved this turn and cannot pass now")
    driver.pass_("green")
    refuses(driver, c.SubmitDecision("green", "talk"), "Green has passed this turn")
    driver.advance()
    # talk (-4), posture (+4), talk (-4) after the opening card (+6)
    assert driver.state.index == 20 + 6 - 4 + 4 - 4
    assert driver.state.taken == {"talk": 2, "posture": 1}
    assert (driver.team("red").escalation, driver.team("red").deescalation) == (4, 4)


def test_a_pass_is_a_move_with_neither_action_nor_text(in_moves: Driver) -> None:
    in_moves.pass_("red")
    assert in_moves.state.decisions[-1].passed
    refuses(in_moves, c.SubmitDecision("red"), "Red has passed this turn")
    refuses(in_moves, c.SubmitDecision("red", "talk"), "Red has passed this turn")
    in_moves.pass_others()
    index = in_moves.state.index
    in_moves.advance()
    assert in_moves.state.index == index
    assert in_moves.state.taken == {}
    assert all(d.revealed and d.value == 0 for d in in_moves.state.decisions)


@pytest.mark.parametrize(
    ("command", "match"),
    [
        (c.SubmitDecision("red", "talk", free_text="and more"), "either an action or a free-text move"),
        (c.SubmitDecision("red", free_text="   "), "free-text move needs some text"),
        (c.SubmitDecision("red", free_text="x" * 5001), r"free-text move is too long \(5001"),
        (c.SubmitDecision("red", "talk", rationale="x" * 5001), "rationale is too long"),
        (c.SubmitDecision("red", "talk", predict="x" * 5001), "prediction is too long"),
        (c.SubmitDecision("red", "dance"), "unknown action 'dance'"),
        (c.SubmitDecision("purple", "talk"), "unknown team 'purple'"),
        (c.SubmitDecision("green", "strike", target="harbour"), r"'Strike' is not on this team's menu"),
        (c.SubmitDecision("red", "accept"), r"not available now \(it requires: channel == 'proposed'\)"),
    ],
)
def test_bad_moves_are_refused(in_moves: Driver, command: c.SubmitDecision, match: str) -> None:
    refuses(in_moves, command, match)


def test_texts_of_exactly_the_limit_are_accepted(in_moves: Driver) -> None:
    in_moves.submit("red", free_text="x" * 5000, rationale="r" * 5000, predict="p" * 5000)


def test_requires_accept_only_after_talk(in_moves: Driver) -> None:
    refuses(in_moves, c.SubmitDecision("blue", "accept"), "not available now")
    in_moves.submit("red", "talk")
    # still not available: the talk is not revealed yet
    refuses(in_moves, c.SubmitDecision("blue", "accept"), "not available now")
    in_moves.pass_others()
    in_moves.play_turn()
    in_moves.play_turn({"blue": c.SubmitDecision("blue", "accept")})
    assert in_moves.state.tracks["channel"] == "working"
    assert in_moves.state.taken == {"talk": 1, "accept": 1}


@pytest.mark.parametrize(
    ("command", "match"),
    [
        (c.SubmitDecision("red", "talk", target="blue"), r"'Propose a channel' takes no target"),
        (c.SubmitDecision("red", "talk", target="harbour"), "takes no target"),
        (c.SubmitDecision("red", "posture"), r"'Exercise near the border' needs a team as its target$"),
        (
            c.SubmitDecision("red", "posture", target="harbour"),
            "needs a team as its target; 'harbour' is not a team",
        ),
        (
            c.SubmitDecision("red", "posture", target="purple"),
            "needs a team as its target; 'purple' is not a team",
        ),
        (c.SubmitDecision("red", "posture", target="red"), "cannot target the team that takes it"),
        (c.SubmitDecision("red", "strike"), r"'Strike' needs a place as its target$"),
        (
            c.SubmitDecision("red", "strike", target="x\n" * 50),
            r"; 'x x x x x x x x x x x x x x x x x x x x …' is not a place",
        ),
        (
            c.SubmitDecision("red", "strike", target="blue"),
            "a place as its target; 'blue' is not a place of the deck",
        ),
    ],
)
def test_target_rules_refuse(in_moves: Driver, command: c.SubmitDecision, match: str) -> None:
    refuses(in_moves, command, match)


@pytest.mark.parametrize(
    ("command", "target"),
    [
        (c.SubmitDecision("red", "talk", target=""), None),
        (c.SubmitDecision("red", "posture", target="blue"), "blue"),
        (c.SubmitDecision("red", "strike", target="harbour"), "harbour"),
    ],
)
def test_target_rules_accept(in_moves: Driver, command: c.SubmitDecision, target: str | None) -> None:
    events = in_moves.run(command)
    assert events[0].data["target"] == target
    assert in_moves.state.decisions[-1].target == target


def test_a_grouping_may_not_target_itself_or_its_members(fresh: Driver) -> None:
    fresh.create(teams=(RED, ALLIES))
    fresh.advance_to("moves")
    refuses(
        fresh, c.SubmitDecision("allies", "posture", target="blue"), "cannot target the team that takes it"
    )
    refuses(
        fresh, c.SubmitDecision("allies", "posture", target="allies"), "cannot target the team that takes it"
    )
    fresh.submit("red", "posture", target="allies")
    fresh.submit("allies", "posture", target="red")


def test_a_team_may_target_a_deck_team_by_its_id_or_its_session_team(fresh: Driver) -> None:
    fresh.create(teams=(RED, ALLIES))
    fresh.advance_to("moves")
    fresh.submit("red", "posture", target="green")  # a deck team played inside the grouping
    assert fresh.state.decisions[-1].target == "green"


def test_posture_costs_four_without_a_working_channel(in_moves: Driver) -> None:
    in_moves.play_turn({"red": c.SubmitDecision("red", "posture", target="blue")})
    decision = in_moves.state.decisions_in_turn(1, "red")[0]
    assert (decision.value, decision.note) == (4.0, "")
    assert in_moves.state.tracks["alarm"] == 3
    assert in_moves.team("red").escalation == 4


def test_modifier_replaces_the_value_and_keeps_the_effects(fresh: Driver) -> None:
    fresh.create(turns=5)
    fresh.play_turn({"red": c.SubmitDecision("red", "talk")})
    fresh.play_turn({"blue": c.SubmitDecision("blue", "accept")})
    assert fresh.state.tracks["channel"] == "working"
    fresh.advance_to("moves")
    fresh.submit("red", "posture", target="green")
    fresh.pass_others()
    index, alarm = fresh.state.index, fresh.state.tracks["alarm"]
    assert isinstance(alarm, int | float)
    escalation = fresh.team("red").escalation
    fresh.advance()
    decision = fresh.state.decisions_in_turn(3, "red")[0]
    assert decision.value == 2.0
    assert decision.note == "Notified in advance through the channel."
    assert fresh.state.index == index + 2
    assert fresh.state.tracks["alarm"] == alarm + 1  # the modifier has no effects: the action's apply
    assert fresh.team("red").escalation == escalation + 2


def test_card_modifier_with_a_working_channel(fresh: Driver) -> None:
    fresh.create(turns=5)
    fresh.play_turn({"red": c.SubmitDecision("red", "talk")})
    fresh.play_turn({"blue": c.SubmitDecision("blue", "accept")})
    fresh.advance()
    index = fresh.state.index
    fresh.run(c.InjectCard("calm_news"))
    assert fresh.state.injections[-1].value == -5.0
    assert fresh.state.index == index - 5


# -- free-text moves and adjudication -----------------------------------------------------------


def test_free_text_moves_score_nothing_until_adjudicated(in_moves: Driver) -> None:
    [event] = in_moves.submit("blue", free_text="We call the UN")
    in_moves.pass_others()
    index = in_moves.state.index
    in_moves.advance()
    decision = in_moves.state.decisions_in_turn(1, "blue")[0]
    assert (decision.revealed, decision.value, decision.action) == (True, 0.0, None)
    assert not decision.passed
    assert in_moves.state.index == index
    assert (in_moves.team("blue").escalation, in_moves.team("blue").deescalation) == (0, 0)
    in_moves.advance()
    events = in_moves.run(c.Adjudicate("blue", -3, "A sensible call", decision_seq=event.seq))
    assert in_moves.kinds(events) == [ev.ADJUDICATED]
    assert events[0].data == {
        "turn": 1,
        "team": "blue",
        "delta": -3,
        "reason": "A sensible call",
        "decision_seq": event.seq,
    }
    assert in_moves.state.index == index - 3
    assert in_moves.team("blue").deescalation == 3
    adjudication = in_moves.state.adjudications[-1]
    assert (adjudication.turn, adjudication.team, adjudication.delta) == (1, "blue", -3.0)
    assert adjudication.decision_seq == event.seq
    assert in_moves.state.history[-1].cause == "adjudication:blue"


def test_adjudication_only_after_the_reveal(in_moves: Driver) -> None:
    refuses(in_moves, c.Adjudicate("red", 2, "why"), "after this turn's moves are revealed")
    in_moves.pass_others()
    in_moves.advance()
    in_moves.run(c.Adjudicate("red", 2, "why"))  # allowed in the reveal phase too
    assert in_moves.team("red").escalation == 2
    # and again before the next turn's reveal
    in_moves.advance_to("scoring")
    in_moves.advance()
    refuses(in_moves, c.Adjudicate("red", 2, "why"), "after this turn's moves are revealed")


@pytest.mark.parametrize(
    ("command", "match"),
    [
        (c.Adjudicate("red", 2, "   "), "needs a written reason"),
        (c.Adjudicate("red", 2, "x" * 5001), "reason is too long"),
        (c.Adjudicate("red", math.nan, "why"), "must be a number"),
        (c.Adjudicate("red", math.inf, "why"), "must be a number"),
        (c.Adjudicate("purple", 2, "why"), "unknown team 'purple'"),
        (c.Adjudicate("red", 2, "why", decision_seq=999), "move #999 is not a move of Red"),
    ],
)
def test_bad_adjudications_are_refused(in_moves: Driver, command: c.Adjudicate, match: str) -> None:
    in_moves.pass_others()
    in_moves.advance()
    refuses(in_moves, command, match)


def test_adjudication_must_name_the_team_that_made_the_move(in_moves: Driver) -> None:
    [event] = in_moves.submit("red", free_text="We send flowers")
    in_moves.pass_others()
    in_moves.advance()
    refuses(in_moves, c.Adjudicate("blue", -1, "nice", decision_seq=event.seq), f"move #{event.seq}")


def test_adjudication_credits_escalation_and_deescalation_points(in_moves: Driver) -> None:
    in_moves.pass_others()
    in_moves.advance()
    index = in_moves.state.index
    in_moves.run(c.Adjudicate("green", 5, "provocative"))
    in_moves.run(c.Adjudicate("green", -2, "but apologised"))
    in_moves.run(c.Adjudicate("green", 0, "nothing"))
    green = in_moves.team("green")
    assert (green.escalation, green.deescalation) == (5, 2)
    assert in_moves.state.index == index + 3
    assert scores(in_moves.deck, in_moves.state)["green"]["net"] == 3


# -- bounds --------------------------------------------------------------------------------------


def test_index_is_clamped_to_its_bounds(in_moves: Driver) -> None:
    in_moves.pass_others()
    in_moves.advance()
    in_moves.run(c.Adjudicate("red", 500, "huge"))
    assert in_moves.state.index == 100
    assert in_moves.team("red").escalation == 500  # the team's points are not clamped
    in_moves.run(c.Adjudicate("red", -1000, "huge"))
    assert in_moves.state.index == 0
    in_moves.run(c.InjectCard("calm_news"))
    assert in_moves.state.index == 0
    assert in_moves.state == in_moves.folded()


def test_an_unbounded_index_is_not_clamped(mini_variant: Callable[..., Deck]) -> None:
    deck = mini_variant(("  min: 0\n  max: 100\n", "  min: null\n  max: null\n"))
    driver = Driver(deck).create()
    driver.advance_to("moves")
    driver.pass_others()
    driver.advance()
    driver.run(c.Adjudicate("red", -500, "huge"))
    assert driver.state.index == 20 + 6 - 500


def test_numeric_tracks_are_clamped(mini_variant: Callable[..., Deck]) -> None:
    deck = mini_variant(("max: 10, start: 2}", "max: 10, start: 9}"))
    driver = Driver(deck).create()
    driver.advance_to("moves")
    driver.submit("blue", "posture", target="red")
    driver.submit("green", "posture", target="red")
    driver.pass_("red")
    driver.advance()
    assert driver.state.tracks["alarm"] == 10


def test_numeric_tracks_are_clamped_below(mini_variant: Callable[..., Deck]) -> None:
    deck = mini_variant(("effects: {add: {alarm: 1}}", "effects: {add: {alarm: -3}}"))
    driver = Driver(deck).create()
    driver.play_turn({"red": c.SubmitDecision("red", "posture", target="blue")})
    assert driver.state.tracks["alarm"] == 0


# -- cards ------------------------------------------------------------------------------------


def test_scheduled_card_at_turn_one(started: Driver) -> None:
    [injection] = started.state.injections
    assert (injection.card, injection.how, injection.turn, injection.value) == (
        "opening",
        "scheduled",
        1,
        6.0,
    )
    assert started.state.index == 26
    assert started.state.injected == {"opening": 1}
    assert started.state.history[-1].cause == "card:opening"


def test_triggered_card_when_its_condition_holds(started: Driver) -> None:
    started.play_turn(
        {
            "red": c.SubmitDecision("red", "posture", target="blue"),
            "blue": c.SubmitDecision("blue", "posture", target="green"),
            "green": c.SubmitDecision("green", "posture", target="red"),
        }
    )
    assert started.state.tracks["alarm"] == 5
    turn_two = [i for i in started.state.injections if i.turn == 2]
    # a triggered card fired, so there is no random draw
    assert [(i.card, i.how) for i in turn_two] == [("alarm_card", "triggered")]
    started.play_turn()
    turn_three = [i for i in started.state.injections if i.turn == 3]
    # not repeatable: it does not fire again though the alarm is still high
    assert [i.how for i in turn_three] == ["random"]


def test_no_triggered_card_while_its_condition_does_not_hold(started: Driver) -> None:
    started.play_turn()
    assert started.state.tracks["alarm"] == 2
    assert [i.how for i in started.state.injections if i.turn == 2] == ["random"]


def test_random_draw_is_recorded(started: Driver) -> None:
    started.play_turn()
    [event] = [e for e in started.log if e.kind == ev.CARD_INJECTED and e.data["turn"] == 2]
    assert event.data["how"] == "random"
    assert event.data["pool"] == 2
    assert event.data["card"] in {"rumour", "calm_news"}
    assert 0 <= event.data["roll"] < 3


def first_random_card(deck: Deck, seed: int) -> tuple[str, float]:
    driver = Driver(deck).create(seed=seed)
    driver.play_turn()
    [event] = [e for e in driver.log if e.kind == ev.CARD_INJECTED and e.data["how"] == "random"]
    return event.data["card"], event.data["roll"]


def test_random_draws_are_reproducible_for_a_seed(mini_deck: Deck) -> None:
    for seed in (0, 7, 123456789):
        assert first_random_card(mini_deck, seed) == first_random_card(mini_deck, seed)


def test_random_draws_differ_across_seeds(mini_deck: Deck) -> None:
    draws = [first_random_card(mini_deck, seed) for seed in range(20)]
    assert {card for card, _ in draws} == {"rumour", "calm_news"}
    assert len({roll for _, roll in draws}) == 20


def test_draw_card_depends_only_on_seed_turn_and_draw(mini_deck: Deck) -> None:
    pool = [card for card in mini_deck.cards if card.when.weight is not None]
    assert draw_card(pool, 5, 2, 0) == draw_card(pool, 5, 2, 0)
    rolls = {draw_card(pool, 5, turn, draw)[1] for turn in range(1, 6) for draw in range(3)}
    assert len(rolls) == 15
    # the weights are respected roughly: rumour (2) is drawn more often than calm_news (1)
    cards = [draw_card(pool, seed, 1, 0)[0].id for seed in range(600)]
    assert 300 < cards.count("rumour") < 500


def test_a_non_repeatable_random_card_leaves_the_pool(mini_deck: Deck) -> None:
    seed = next(s for s in range(100) if first_random_card(mini_deck, s)[0] == "calm_news")
    driver = Driver(mini_deck).create(seed=seed)
    driver.play_turn()
    driver.play_turn()
    [event] = [e for e in driver.log if e.kind == ev.CARD_INJECTED and e.data["turn"] == 3]
    assert (event.data["card"], event.data["pool"]) == ("rumour", 1)


def test_several_random_cards_per_turn_are_different_cards(mini_variant: Callable[..., Deck]) -> None:
    deck = mini_variant(("random_cards_per_turn: 1", "random_cards_per_turn: 2"))
    driver = Driver(deck).create()
    driver.play_turn()
    driver.play_turn()
    turn_two = [e.data for e in driver.log if e.kind == ev.CARD_INJECTED and e.data["turn"] == 2]
    assert sorted(d["card"] for d in turn_two) == ["calm_news", "rumour"]
    assert [d["pool"] for d in turn_two] == [2, 1]


def test_forced_injection_of_any_card(in_moves: Driver) -> None:
    for card in ("rumour", "alarm_card", "calm_news", "rumour"):
        events = in_moves.run(c.InjectCard(card))
        assert events[0].data == {"turn": 1, "card": card, "how": "forced"}
    assert in_moves.state.injected == {"opening": 1, "rumour": 2, "alarm_card": 1, "calm_news": 1}
    assert in_moves.state.index == 20 + 6 + 2 + 4 - 2 + 2
    refuses(in_moves, c.InjectCard("nope"), "unknown card 'nope'")


def test_a_card_that_is_not_repeatable_comes_once_a_turn(in_moves: Driver) -> None:
    # "opening" came at the start of the turn; forcing it again would count its escalation twice
    refuses(in_moves, c.InjectCard("opening"), "the card 'opening' has already come this turn")
    in_moves.run(c.InjectCard("alarm_card"))
    refuses(in_moves, c.InjectCard("alarm_card"), "the card 'alarm_card' has already come this turn")
    in_moves.play_turn()
    in_moves.run(c.InjectCard("opening"))  # a later turn: exercise control may bring it back
    assert in_moves.state.injected["opening"] == 2


def test_a_forced_card_does_not_fire_again_as_triggered(started: Driver) -> None:
    started.run(c.InjectCard("alarm_card"))
    started.play_turn(
        {
            "red": c.SubmitDecision("red", "posture", target="blue"),
            "blue": c.SubmitDecision("blue", "posture", target="green"),
            "green": c.SubmitDecision("green", "posture", target="red"),
        }
    )
    assert started.state.tracks["alarm"] == 5
    assert [i.how for i in started.state.injections if i.turn == 2] == ["random"]


# -- ending ----------------------------------------------------------------------------------


def test_strike_ends_the_session_with_war_after_that_turn(in_moves: Driver) -> None:
    in_moves.submit("red", "strike", target="harbour")
    in_moves.pass_others()
    in_moves.advance()
    assert in_moves.state.flags["strike"]
    assert in_moves.state.tracks["alarm"] == 7
    in_moves.advance_to("scoring")
    assert not in_moves.state.ended
    events = in_moves.advance()
    assert in_moves.kinds(events) == [ev.TURN_ENDED, ev.SESSION_ENDED]
    assert events[1].data == {"outcome": "war", "reason": "early_end"}
    assert (in_moves.state.ended, in_moves.state.outcome, in_moves.state.end_reason) == (
        True,
        "war",
        "early_end",
    )
    assert in_moves.state.turn == 1


def test_a_high_index_ends_the_session_early(in_moves: Driver) -> None:
    in_moves.pass_others()
    in_moves.advance()
    in_moves.run(c.Adjudicate("red", 60, "massive"))
    in_moves.advance_to("scoring")
    in_moves.advance()
    assert (in_moves.state.outcome, in_moves.state.end_reason) == ("war", "early_end")


def test_the_last_turn_classifies_the_session(game: Driver) -> None:
    game.play_turn({"red": c.SubmitDecision("red", "talk")})
    game.play_turn({"blue": c.SubmitDecision("blue", "accept")})
    assert not game.state.ended
    events = game.play_turn()
    assert game.kinds(events)[-2:] == [ev.TURN_ENDED, ev.SESSION_ENDED]
    assert events[-1].data == {"outcome": "channel", "reason": "last_turn"}
    assert game.state.index < 40
    assert len(game.state.index_by_turn) == 3
    assert game.state.index_by_turn[-1] == game.state.index


def test_muddling_through_when_nothing_else_holds(game: Driver) -> None:
    for _ in range(3):
        game.play_turn()
    assert (game.state.outcome, game.state.end_reason) == ("muddle", "last_turn")


def test_outcomes_are_tested_in_order(mini_deck: Deck, game: Driver) -> None:
    state = game.folded()
    state.tracks["channel"] = "working"
    state.index = 10
    assert classify(mini_deck, state) == "channel"
    assert early_end_outcome(mini_deck, state) is None
    state.flags["strike"] = True  # both war and channel hold: war comes first
    assert classify(mini_deck, state) == "war"
    assert early_end_outcome(mini_deck, state) == "war"
    state.flags["strike"] = False
    state.index = 45
    assert classify(mini_deck, state) == "muddle"
    state.index = 80
    assert classify(mini_deck, state) == "war"


def test_end_session(in_moves: Driver) -> None:
    events = in_moves.run(c.EndSession(reason="bell rang"))
    # Ending mid-turn closes the turn first, so index_by_turn has every turn played.
    assert in_moves.kinds(events) == [ev.TURN_ENDED, ev.SESSION_ENDED]
    assert events[1].data == {"outcome": "muddle", "reason": "bell rang"}
    assert in_moves.state.index_by_turn == [in_moves.state.index]
    assert (in_moves.state.ended, in_moves.state.outcome, in_moves.state.end_reason) == (
        True,
        "muddle",
        "bell rang",
    )
    assert c.EndSession().reason == "facilitator"


@pytest.mark.parametrize(
    "command",
    [
        c.Advance(),
        c.SubmitDecision("red"),
        c.InjectCard("rumour"),
        c.Adjudicate("red", 1, "why"),
        c.AddNote("late"),
        c.AddPlayer("red", "Ann"),
        c.RemoveTeam("red"),
        c.EndSession(),
    ],
)
def test_commands_after_the_end_are_refused(in_moves: Driver, command: c.Command) -> None:
    in_moves.run(c.EndSession())
    refuses(in_moves, command, "the session has ended")


# -- objectives and scores ------------------------------------------------------------------------


def test_objectives_and_scores(game: Driver) -> None:
    table = scores(game.deck, game.state)
    assert table["red"] == {
        "name": "Red",
        "escalation": 0.0,
        "deescalation": 0.0,
        "net": 0.0,
        "objectives": 2,
        "objectives_met": ["calm"],
        "active": True,
    }
    assert (table["blue"]["objectives"], table["blue"]["objectives_met"]) == (0, [])
    assert (table["green"]["objectives"], table["green"]["objectives_met"]) == (0, [])
    game.play_turn(
        {"red": c.SubmitDecision("red", "talk"), "green": c.SubmitDecision("green", "posture", target="red")}
    )
    game.play_turn({"blue": c.SubmitDecision("blue", "accept")})
    table = scores(game.deck, game.state)
    assert (table["blue"]["objectives"], table["blue"]["objectives_met"]) == (3, ["channel"])
    assert (table["blue"]["deescalation"], table["blue"]["net"]) == (6, -6)
    assert (table["green"]["escalation"], table["green"]["net"]) == (4, 4)


def test_band_of(mini_deck: Deck) -> None:
    assert [band_of(mini_deck, i) for i in (0, 29.9, 30, 59, 60, 100)] == [
        "calm",
        "calm",
        "tense",
        "tense",
        "crisis",
        "crisis",
    ]


# -- roster changes ------------------------------------------------------------------------------


def test_add_and_remove_players(game: Driver) -> None:
    events = game.run(c.AddPlayer("red", "Ann"))
    assert events[0].data == {"change": "add_player", "team": "red", "player": "Ann"}
    game.run(c.AddPlayer("red", "Bob"))
    assert game.team("red").players == ["Ann", "Bob"]
    refuses(game, c.AddPlayer("red", "Ann"), "Ann already plays for Red")
    refuses(game, c.AddPlayer("red", "  "), "a player needs a name")
    refuses(game, c.AddPlayer("purple", "Cy"), "unknown team 'purple'")
    game.run(c.RemovePlayer("red", "Ann"))
    assert game.team("red").players == ["Bob"]
    refuses(game, c.RemovePlayer("red", "Ann"), "Ann does not play for Red")


def test_players_given_at_creation(fresh: Driver) -> None:
    fresh.create(teams=(c.TeamSetup("red", "Red", ("red",), players=("Ann", "Bob")),))
    assert fresh.team("red").players == ["Ann", "Bob"]


def test_rename_team(game: Driver) -> None:
    game.run(c.RenameTeam("red", "Crimson"))
    assert game.team("red").name == "Crimson"
    assert scores(game.deck, game.state)["red"]["name"] == "Crimson"
    refuses(game, c.RenameTeam("red", " "), "a team needs a name")


def test_two_playing_teams_never_share_a_name(fresh: Driver, game: Driver) -> None:
    refuses(game, c.RenameTeam("red", " blue "), "another team is already called Blue")
    game.run(c.RenameTeam("red", "RED"))  # its own name, in other letters
    refuses(game, c.MergeTeams(("blue", "green"), "allies", "Red"), "another team is already called RED")
    game.run(c.MergeTeams(("blue", "green"), "allies", "Blue"))  # a merged team's name may be kept
    game.run(c.RenameTeam("red", "Green"))  # green no longer plays: its name is free
    doubled = (c.TeamSetup("red", "Reds", ("red",)), c.TeamSetup("blue", "reds", ("blue",)))
    with pytest.raises(RuleError, match="two teams are called Reds"):
        fresh.create(teams=doubled)


def test_add_team(fresh: Driver) -> None:
    fresh.create(teams=(RED,))
    events = fresh.run(c.AddTeam(c.TeamSetup("blues", "Blues", ("blue",), players=("Dee",))))
    assert events[0].data == {
        "change": "add_team",
        "team": "blues",
        "name": "Blues",
        "members": ["blue"],
        "players": ["Dee"],
    }
    assert fresh.team("blues").members == ("blue",)
    assert fresh.team("blues").players == ["Dee"]
    refuses(fresh, c.AddTeam(c.TeamSetup("reds", "Reds", ("red",))), "team 'red' is played twice")
    refuses(
        fresh, c.AddTeam(c.TeamSetup("red", "Greens", ("green",))), "team id 'red' is empty or used twice"
    )
    refuses(fresh, c.AddTeam(c.TeamSetup("x", "X", ("purple",))), "unknown team 'purple'")
    refuses(fresh, c.AddTeam(c.TeamSetup("x", "X", ("green",), ("Dee", "Dee"))), "Dee is named twice for X")
    fresh.advance_to("moves")
    fresh.pass_("red")
    refuses(fresh, c.Advance(), "waiting for Blues")


def test_remove_team(in_moves: Driver) -> None:
    events = in_moves.run(c.RemoveTeam("green"))
    assert events[0].data == {"change": "remove_team", "team": "green"}
    assert not in_moves.team("green").active
    assert [t.id for t in in_moves.state.active_teams()] == ["red", "blue"]
    refuses(in_moves, c.SubmitDecision("green"), "team 'Green' no longer plays")
    refuses(in_moves, c.RemoveTeam("green"), "no longer plays")
    in_moves.pass_("red")
    in_moves.pass_("blue")
    in_moves.advance()  # green is not waited for
    assert "green" in scores(in_moves.deck, in_moves.state)
    assert scores(in_moves.deck, in_moves.state)["green"]["active"] is False
    in_moves.run(c.RemoveTeam("blue"))
    refuses(in_moves, c.RemoveTeam("red"), "the last team cannot leave")


def test_a_removed_teams_deck_team_may_be_played_again(in_moves: Driver) -> None:
    in_moves.run(c.RemoveTeam("green"))
    in_moves.run(c.AddTeam(c.TeamSetup("green2", "Green again", ("green",))))
    playing = in_moves.state.playing_team_of("green")
    assert playing is not None and playing.id == "green2"


def test_merge_teams(fresh: Driver) -> None:
    fresh.create(
        teams=(
            RED,
            c.TeamSetup("blue", "Blue", ("blue",), players=("Ann",)),
            c.TeamSetup("green", "Green", ("green",), players=("Bob",)),
        )
    )
    fresh.play_turn(
        {
            "blue": c.SubmitDecision("blue", "talk"),
            "green": c.SubmitDecision("green", "posture", target="red"),
        }
    )
    assert (fresh.team("blue").deescalation, fresh.team("green").escalation) == (4, 4)
    events = fresh.run(c.MergeTeams(("blue", "green"), "allies", "Allies"))
    assert events[0].data == {
        "change": "merge_teams",
        "teams": ["blue", "green"],
        "team": "allies",
        "name": "Allies",
    }
    allies = fresh.team("allies")
    assert (allies.members, allies.players, allies.active) == (("blue", "green"), ["Ann", "Bob"], True)
    assert not fresh.team("blue").active and not fresh.team("green").active
    # The merged team carries the points of the teams it merges; the old teams keep theirs in the scores.
    assert (allies.escalation, allies.deescalation) == (4, 4)
    table = scores(fresh.deck, fresh.state)
    assert (table["blue"]["deescalation"], table["green"]["escalation"]) == (4, 4)
    assert table["allies"]["objectives"] == 0
    assert fresh.state.playing_team_of("blue") is allies
    # The merged team may now take blue's `accept`, and is credited for it.
    fresh.play_turn({"allies": c.SubmitDecision("allies", "accept")})
    assert fresh.team("allies").deescalation == 4 + 6
    assert scores(fresh.deck, fresh.state)["allies"]["objectives_met"] == ["channel"]


@pytest.mark.parametrize(
    ("command", "match"),
    [
        (c.MergeTeams(("blue",), "allies", "Allies"), "at least two different teams"),
        (c.MergeTeams(("blue", "blue"), "allies", "Allies"), "at least two different teams"),
        (c.MergeTeams(("blue", "purple"), "allies", "Allies"), "unknown team 'purple'"),
        (c.MergeTeams(("blue", "green"), "red", "Allies"), "team id 'red' is empty or already used"),
        (c.MergeTeams(("blue", "green"), "", "Allies"), "team id '' is empty or already used"),
        (c.MergeTeams(("blue", "green"), "allies", " "), "the merged team needs a name"),
    ],
)
def test_bad_merges_are_refused(game: Driver, command: c.MergeTeams, match: str) -> None:
    refuses(game, command, match)


def test_a_removed_team_cannot_be_merged(game: Driver) -> None:
    game.run(c.RemoveTeam("green"))
    refuses(game, c.MergeTeams(("blue", "green"), "allies", "Allies"), "no longer plays")
    refuses(
        game, c.MergeTeams(("blue", "red"), "green", "Allies"), "team id 'green' is empty or already used"
    )


# -- notes -------------------------------------------------------------------------------------


def test_notes(game: Driver) -> None:
    game.run(c.AddNote("Before we start"))
    game.advance()
    events = game.run(c.AddNote("Red looks nervous", team="red"))
    assert events[0].data == {"turn": 1, "text": "Red looks nervous", "team": "red"}
    assert [(n.turn, n.text, n.team) for n in game.state.notes] == [
        (0, "Before we start", None),
        (1, "Red looks nervous", "red"),
    ]
    refuses(game, c.AddNote("  "), "a note needs some text")
    refuses(game, c.AddNote("x" * 5001), "note is too long")
    refuses(game, c.AddNote("hi", team="purple"), "unknown team 'purple'")


def test_unknown_commands_are_refused(game: Driver) -> None:
    refuses(game, object(), "unknown command object")  # type: ignore[arg-type]


# -- undo and redo ---------------------------------------------------------------------------------


def test_nothing_to_undo_or_redo_after_creation(game: Driver) -> None:
    refuses(game, c.Undo(), "nothing to undo")
    refuses(game, c.Redo(), "nothing to redo")
    assert undo_redo_stacks(game.log) == ([], [])


def test_undo_restores_the_previous_state(in_moves: Driver) -> None:
    before = in_moves.folded()
    assert before == in_moves.state
    submitted = in_moves.submit("red", "talk")
    events = in_moves.undo()
    assert [e.kind for e in events] == [ev.UNDONE]
    assert events[0].data == {"target": submitted[0].seq, "kind": ev.DECISION_RECORDED}
    assert in_moves.state == before
    assert in_moves.folded() == before
    # red may move again
    in_moves.submit("red", "posture", target="blue")


def test_undo_cancels_every_event_of_a_command_latest_first(in_moves: Driver) -> None:
    in_moves.pass_others()
    in_moves.advance_to("scoring")
    before = in_moves.folded()
    advanced = in_moves.advance()
    assert len(advanced) >= 3
    undone = in_moves.undo()
    assert [e.data["target"] for e in undone] == [e.seq for e in reversed(advanced)]
    assert [e.data["kind"] for e in undone] == [e.kind for e in reversed(advanced)]
    assert all(e.cmd == undone[0].cmd for e in undone)
    assert undone[0].cmd not in {e.cmd for e in advanced}
    assert in_moves.state == before
    assert active_events(in_moves.log) == active_events(in_moves.log[: advanced[0].seq - 1])


def test_redo_restores_again(in_moves: Driver) -> None:
    in_moves.submit("red", "talk")
    after = in_moves.folded()
    in_moves.undo()
    assert undo_redo_stacks(in_moves.log)[1]
    events = in_moves.redo()
    assert all(e.kind == ev.UNDONE for e in events)
    assert in_moves.state == after
    refuses(in_moves, c.Redo(), "nothing to redo")


def test_undo_and_redo_several_commands(in_moves: Driver) -> None:
    states = [in_moves.folded()]
    for command in (
        c.SubmitDecision("red", "talk"),
        c.AddNote("hmm"),
        c.SubmitDecision("blue", free_text="wait"),
        c.InjectCard("rumour"),
    ):
        in_moves.run(command)
        states.append(in_moves.folded())
    for expected in reversed(states[:-1]):
        in_moves.undo()
        assert in_moves.state == expected
    for expected in states[1:]:
        in_moves.redo()
        assert in_moves.state == expected
    # undo after redo, then redo again
    in_moves.undo()
    assert in_moves.state == states[-2]
    in_moves.undo()
    assert in_moves.state == states[-3]
    in_moves.redo()
    in_moves.redo()
    assert in_moves.state == states[-1]
    assert in_moves.state == in_moves.folded()


def test_a_new_command_clears_the_redo_stack(in_moves: Driver) -> None:
    in_moves.submit("red", "talk")
    in_moves.undo()
    in_moves.run(c.AddNote("something else"))
    refuses(in_moves, c.Redo(), "nothing to redo")
    assert undo_redo_stacks(in_moves.log)[1] == []
    in_moves.undo()  # undoes the note
    assert in_moves.state.notes == []
    assert in_moves.state.decisions == []  # the talk stays undone
    in_moves.undo()  # and the advance to the moves phase before it
    assert in_moves.state.phase == "deliberation"


def test_undo_stops_at_the_session_creation(started: Driver) -> None:
    started.undo()
    assert not started.state.started
    assert started.state.teams
    refuses(started, c.Undo(), "nothing to undo")


def test_undoing_the_end_reopens_the_session(in_moves: Driver) -> None:
    in_moves.run(c.EndSession())
    assert in_moves.state.ended
    in_moves.undo()
    assert not in_moves.state.ended
    assert in_moves.state.outcome is None
    in_moves.pass_others()
    in_moves.advance()
    assert in_moves.state.phase == "reveal"


def test_undoing_an_early_end_reopens_the_session(in_moves: Driver) -> None:
    in_moves.submit("red", "strike", target="harbour")
    in_moves.pass_others()
    in_moves.advance_to("scoring")
    in_moves.advance()
    assert in_moves.state.outcome == "war"
    in_moves.undo()
    assert (in_moves.state.ended, in_moves.state.turn, in_moves.state.phase) == (False, 1, "scoring")
    in_moves.redo()
    assert (in_moves.state.ended, in_moves.state.outcome) == (True, "war")


def test_redo_of_a_random_draw_gives_the_same_card(started: Driver) -> None:
    started.advance_to("moves")
    started.pass_others()
    started.advance_to("scoring")
    started.advance()
    drawn = started.state.injections[-1]
    started.undo()
    assert started.state.injections[-1].card == "opening"
    started.redo()
    assert started.state.injections[-1] == drawn
    # undo and advance again: the same draw is made again (seeded by seed, turn and draw number)
    started.undo()
    started.advance()
    assert (started.state.injections[-1].card, started.state.injections[-1].value) == (
        drawn.card,
        drawn.value,
    )


def test_undo_of_the_reveal(in_moves: Driver) -> None:
    in_moves.submit("red", "talk")
    in_moves.pass_others()
    before = in_moves.folded()
    in_moves.advance()
    assert in_moves.state.tracks["channel"] == "proposed"
    in_moves.undo()
    assert in_moves.state == before
    assert not in_moves.state.decisions[0].revealed
    assert 1 not in in_moves.state.revealed_turns


def test_undo_of_a_roster_change(game: Driver) -> None:
    before = game.folded()
    game.run(c.MergeTeams(("blue", "green"), "allies", "Allies"))
    game.undo()
    assert game.state == before
    assert "allies" not in game.state.teams


def test_event_numbering(in_moves: Driver) -> None:
    in_moves.submit("red", "talk")
    in_moves.undo()
    in_moves.redo()
    in_moves.pass_others()
    in_moves.advance()
    assert [e.seq for e in in_moves.log] == list(range(1, len(in_moves.log) + 1))
    cmds = [e.cmd for e in in_moves.log]
    assert cmds == sorted(cmds)
    assert set(cmds) == set(range(1, max(cmds) + 1))


def test_event_round_trip(in_moves: Driver) -> None:
    in_moves.submit("red", "talk")
    for event in in_moves.log:
        assert ev.Event.from_dict(event.to_dict()) == event
    assert set(ev.EVENT_KINDS) >= {e.kind for e in in_moves.log}


def test_fold_of_an_unknown_event_kind_fails(mini_deck: Deck) -> None:
    with pytest.raises(DamagedEventError, match=r"event #1 \(bogus\) cannot be replayed"):
        fold(mini_deck, [ev.Event(1, "bogus", {}, 1)])


def test_fold_of_nothing_is_the_empty_state(mini_deck: Deck) -> None:
    assert fold(mini_deck, []) == State()


def test_a_deck_team_cannot_move_again_through_a_merged_team(in_moves: Driver) -> None:
    in_moves.submit("blue", "talk")
    in_moves.run(c.MergeTeams(("blue", "green"), "allies", "Allies"))
    with pytest.raises(RuleError, match="made its 1 move"):
        in_moves.run(c.SubmitDecision("allies", "posture", target="red"))


def test_the_index_history_is_in_event_order(in_moves: Driver) -> None:
    in_moves.submit("red", "posture", target="blue")
    in_moves.run(c.InjectCard("rumour"))
    in_moves.pass_others("red")
    in_moves.advance()
    seqs = [point.seq for point in in_moves.state.history]
    assert seqs == sorted(seqs)
    assert in_moves.state.history[-1].cause == "move:red:posture"


def test_a_scheduled_card_with_a_condition_waits_for_it(mini_variant: Callable[..., Deck]) -> None:
    deck = mini_variant(("when: {turn: 1}", 'when: {turn: 1, condition: "alarm >= 5"}'))
    driver = Driver(deck).create()
    driver.advance()
    assert "opening" not in driver.state.injected


def test_an_action_may_limit_its_targets(mini_variant: Callable[..., Deck]) -> None:
    deck = mini_variant(("    target: team\n", "    target: team\n    targets: [blue]\n"))
    driver = Driver(deck).create()
    driver.advance_to("moves")
    with pytest.raises(RuleError, match="can only target Blue"):
        driver.run(c.SubmitDecision("red", "posture", target="green"))
    driver.run(c.SubmitDecision("red", "posture", target="blue"))
