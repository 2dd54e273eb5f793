"""Property: whatever batches are appended read back equal, in order."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.engine.events import EVENT_KINDS, Event
from wargame.store import Store

from .helpers import first_events, make_session

json_values: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=10,
)
payloads = st.dictionaries(st.text(max_size=8), json_values, max_size=4)
event_shapes = st.tuples(st.sampled_from(EVENT_KINDS), payloads, st.integers(0, 2**31 - 1))
batch_shapes = st.lists(st.lists(event_shapes, min_size=1, max_size=4), max_size=5)


@settings(
    max_examples=40,
    deadline=None,
    # One store for all examples is fine: each example writes a session of its own.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(shapes=batch_shapes)
def test_appended_batches_read_back_in_order(store: Store, shapes: list[list[tuple[str, dict, int]]]) -> None:
    session_id = make_session(store)
    expected = first_events()
    for shape in shapes:
        start = len(expected) + 1
        batch = [Event(start + n, kind, data, cmd) for n, (kind, data, cmd) in enumerate(shape)]
        store.append(session_id, batch)
        expected.extend(batch)
    assert store.events(session_id) == expected
    assert store.session(session_id).event_count == len(expected)
    middle = len(expected) // 2
    assert store.events(session_id, upto=middle) == expected[:middle]
