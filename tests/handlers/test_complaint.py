"""How a complaint's priority is set."""

from __future__ import annotations

import pytest

from crm_memory import Priority
from handlers.complaint import complaint_priority


@pytest.mark.parametrize(
    ("text", "sentiment", "repeat", "tier", "expected"),
    [
        ("the colour is a bit off", -0.2, False, "standard", Priority.NORMAL),
        ("the kettle is broken", -0.4, False, "standard", Priority.HIGH),
        ("I am furious, worst service", -0.9, False, "standard", Priority.HIGH),
        ("I will call my lawyer", -0.5, False, "standard", Priority.URGENT),
        ("the colour is a bit off", -0.2, True, "standard", Priority.HIGH),
        ("the colour is a bit off", -0.2, False, "VIP", Priority.HIGH),
        ("broken, I want my money back", -0.9, True, "vip", Priority.URGENT),
        ("东西坏了", -0.5, False, "standard", Priority.HIGH),
        ("我要起诉你们", -0.5, False, "standard", Priority.URGENT),
    ],
)
def test_priority(text: str, sentiment: float, repeat: bool, tier: str, expected: Priority) -> None:
    assert complaint_priority(text=text, sentiment=sentiment, repeat=repeat, tier=tier) is expected
