"""Held-out questions about a customer's own case, and product defects reported with an order.

None of these sentences is in nlu/data: they check that the built-in engine, trained on the
shipped data, generalises to the way customers ask about a case they have already reported,
and that a defect reported with an order number is a complaint, not an order-status question.
"""

from __future__ import annotations

import pytest

from nlu import BuiltinEngine, load_training_data

CASE_STATUS_EN = [
    "any update on my case?",
    "what's my case number",
    "what happens now",
    "what's my ticket number",
    "is anyone looking at my complaint",
    "still waiting to hear back about my issue",
    "hi any news on my case?",
    "how is my case coming along",
    "whats happening with my ticket",
    "any progress with my complaint??",
    "who is looking after my case",
    "who's working on my ticket",
    "can u tell me my case reference",
    "i need the ticket number you gave me",
    "what's the next step with my complaint",
    "how long until my issue is fixed",
    "when will my complaint be dealt with",
    "has anybody picked up my case yet",
    "still no news on my ticket",
    "is my complaint being handled",
    "any update on the problem i reported",
    "checking on my case again, anything?",
]

CASE_STATUS_ZH = [
    "给我个说法",
    "什么时候处理",
    "我的问题处理得怎么样了",
    "有进展吗",
    "工单号多少",
    "我的投诉有进展吗",
    "亲 我投诉的事咋样了",
    "我的工单现在啥状态",
    "谁负责我的投诉啊",
    "我的问题谁在跟",
    "投诉编号是多少",
    "工单号能告诉我吗",
    "我的问题啥时候能解决",
    "你们打算什么时候处理我的投诉",
    "下一步怎么弄",
    "我的投诉处理完了没",
    "反映的问题有结果没",
    "还得等多久 我的问题",
    "都好几天了 我的工单还没动静",
    "我投诉的那个事有人管吗",
    "处理进度怎么样了",
    "我提的问题有人回复了吗",
]

DEFECT_WITH_ORDER_EN = [
    "the kettle from order A-1001 leaks",
    "missing parts in my blender",
    "order A-1002 arrived and the toaster is dented",
    "the headphones in order B-2231 have no sound on the left side",
    "you sent the wrong item in order A-1005",
    "my coffee machine from order A-1003 doesn't turn on",
    "order A-1004 is missing the charger",
    "the smart watch from A-1006 has a cracked screen",
    "got order C-7781 but the air fryer is broken",
    "order A-1009 came with a faulty keyboard",
]

DEFECT_WITH_ORDER_ZH = [
    "订单B-2231发错货了",
    "收到的耳机左边没声音",
    "订单A-1001的电水壶坏了",
    "A-1002这单少了配件",
    "订单A-1003的咖啡机一直漏水",
    "订单A-1004收到的鼠标是坏的",
    "订单A-1005的智能手表屏幕碎了",
    "我订单A-1006的搅拌机开不了机",
    "订单C-7781里的充电器充不了电",
    "订单A-1007发来的颜色不对",
]

ORDER_STATUS = ["where is my order A-1001", "我的订单A-1001到哪了"]


def _misclassified(engine: BuiltinEngine, texts: list[str], intent: str) -> list[str]:
    wrong = []
    for text in texts:
        result = engine.parse_sync(text)
        if result.intent != intent:
            wrong.append(f"{text!r} -> {result.intent} ({result.confidence:.2f})")
    return wrong


def test_held_out_sentences_are_not_training_data() -> None:
    trained = {" ".join(e.text.lower().split()) for e in load_training_data().examples}
    held_out = CASE_STATUS_EN + CASE_STATUS_ZH + DEFECT_WITH_ORDER_EN + DEFECT_WITH_ORDER_ZH
    leaked = [t for t in held_out if " ".join(t.lower().split()) in trained]
    assert not leaked, f"held-out sentences found in the training data: {leaked}"
    assert len(CASE_STATUS_EN) >= 20 and len(CASE_STATUS_ZH) >= 20
    assert len(DEFECT_WITH_ORDER_EN) >= 10 and len(DEFECT_WITH_ORDER_ZH) >= 10


@pytest.mark.parametrize(
    ("texts", "intent"),
    [
        (CASE_STATUS_EN, "ask_case_status"),
        (CASE_STATUS_ZH, "ask_case_status"),
        (DEFECT_WITH_ORDER_EN, "complaint"),
        (DEFECT_WITH_ORDER_ZH, "complaint"),
    ],
    ids=["case-status-en", "case-status-zh", "defect-en", "defect-zh"],
)
def test_held_out_accuracy(engine: BuiltinEngine, texts: list[str], intent: str) -> None:
    wrong = _misclassified(engine, texts, intent)
    accuracy = 1 - len(wrong) / len(texts)
    assert accuracy >= 0.85, (
        f"{intent}: {accuracy:.0%} of {len(texts)} held-out sentences, misclassified:\n"
        + "\n".join(wrong)
    )


@pytest.mark.parametrize("text", ORDER_STATUS)
def test_order_status_stays_order_status(engine: BuiltinEngine, text: str) -> None:
    result = engine.parse_sync(text)
    top = ", ".join(f"{s.name} {s.confidence:.2f}" for s in result.ranking[:3])
    assert result.intent == "ask_order_status", f"{text!r} -> {result.intent} ({top})"
