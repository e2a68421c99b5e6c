"""Load: 50 concurrent citizen conversations over real HTTP, 5 of them handed to a person;
no message is lost (read back from the database). The figures come from
bench/handoff_load.py (README, "Human handoff")."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


def test_fifty_conversations_five_in_handoff_lose_nothing() -> None:
    from bench.handoff_load import run

    result = run(conversations=50, handoff=5, messages=2, replies=2)
    assert result["taken"] == 5 and result["operator_messages_stored"] == 10
    assert result["lost"] == 0, result
