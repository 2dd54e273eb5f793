"""Store.delete_sessions_before: old sessions go with all their events; newer ones stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.report.helpers import play_mini
from wargame.errors import StoreError
from wargame.store import Store


def test_delete_sessions_before(store: Store) -> None:
    first = play_mini(store)
    second = play_mini(store, class_label="IR 102")
    assert store.delete_sessions_before(datetime.now(UTC) - timedelta(days=1)) == 0
    created = store.session(second).created_at
    assert store.delete_sessions_before(created) == 1  # strictly before: the second stays
    assert [info.id for info in store.sessions()] == [second]
    assert store.events(second)
    assert store.resolve_id(second[:6]) == second
    with pytest.raises(StoreError):
        store.events(first)
    assert store.delete_sessions_before((datetime.now(UTC) + timedelta(days=1)).replace(tzinfo=None)) == 1
    assert store.sessions() == []
