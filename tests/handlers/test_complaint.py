"""How a complaint's priority is set."""

from __future__ import annotations

import pytest

from crm_memory import Priority
from handlers.complaint import complaint_priority


@pytest.mark.parametrize(
    ("text", "sentiment", "repeat", "tier", "expected"),
    [
        ("the colour is a bit off", -0.2, False, "standard", Priority.NORMAL),
        # An ordinary fault is the everyday case: normal (it was high before brief C28).
        ("the kettle is broken", -0.4, False, "standard", Priority.NORMAL),
        ("broken, want refund", -0.5, False, "standard", Priority.NORMAL),
        ("the heater started smoking and sparks came out", -0.5, False, "standard", Priority.HIGH),
        ("the charger burned my finger", -0.5, False, "standard", Priority.HIGH),
        ("取暖器冒烟了 还漏电", -0.5, False, "standard", Priority.HIGH),
        ("tracking says delivered but i never got it", -0.5, False, "standard", Priority.HIGH),
        ("快递显示签收了 但我没收到", -0.5, False, "standard", Priority.HIGH),
        ("tracking says delivered, nothing at my door", -0.5, False, "standard", Priority.HIGH),
        ("you charged me twice for one order", -0.5, False, "standard", Priority.HIGH),
        ("没下单就被扣了钱", -0.5, False, "standard", Priority.HIGH),
        ("this is urgent, it keeps cutting out", -0.5, False, "standard", Priority.HIGH),
        ("婴儿监视器老是断线 很急", -0.5, False, "standard", Priority.HIGH),
        ("I am furious, worst service", -0.9, False, "standard", Priority.HIGH),
        ("I will call my lawyer", -0.5, False, "standard", Priority.URGENT),
        ("the colour is a bit off", -0.2, True, "standard", Priority.HIGH),
        ("the colour is a bit off", -0.2, False, "VIP", Priority.HIGH),
        ("broken, I want my money back", -0.9, True, "vip", Priority.URGENT),
        ("东西坏了", -0.5, False, "standard", Priority.NORMAL),
        ("坏了 退款", -0.5, False, "standard", Priority.NORMAL),
        ("我要起诉你们", -0.5, False, "standard", Priority.URGENT),
    ],
)
def test_priority(text: str, sentiment: float, repeat: bool, tier: str, expected: Priority) -> None:
    assert complaint_priority(text=text, sentiment=sentiment, repeat=repeat, tier=tier) is expected
