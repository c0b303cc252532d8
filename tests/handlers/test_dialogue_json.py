"""The conversation state as stored: the JSON written is the dataclasses' own, field by field."""

from __future__ import annotations

import json
from dataclasses import asdict

from handlers.dialogue import Asked, Dialogue, Matter, Purpose, Question, Slot, Subject, Told


def _everything_set() -> Dialogue:
    return Dialogue(
        turn=5,
        topic="ask_order_status",
        asked=Asked(
            Question.ORDER_NUMBER,
            Purpose.REFUND,
            case=12,
            order="A-1001",
            survey=3,
            turn=4,
            also=(Question.ADDRESS,),
        ),
        slots=(Slot("order_number", "A-1001", 3), Slot("email", "ann@example.com", 4)),
        case=12,
        said=(("order_status", 1), ("apology", 0)),
        misses=1,
        unresolved=True,
        intents=("ask_order_status", "complaint"),
        readings=("in_context",),
        language="zh",
        conversation=9,
        subject=Subject(
            entry="payment-problem",
            shown=True,
            case=12,
            orders=("A-1001", "C-7781"),
            told=next(iter(Told)),
            detail="late",
            turn=4,
            matter=next(iter(Matter)),
            named=2,
        ),
    )


def test_the_json_is_every_field_as_asdict_gives_it() -> None:
    # Written without asdict's deep copy: the same bytes, every field and nested dataclass
    # (a field left out would be lost at the next load), Chinese kept as is.
    dialogue = _everything_set()
    expected = json.dumps(asdict(dialogue), ensure_ascii=False, separators=(",", ":"))
    assert dialogue.to_json() == expected
    assert Dialogue.from_json(dialogue.to_json()) == dialogue
    assert Dialogue().to_json() == json.dumps(
        asdict(Dialogue()), ensure_ascii=False, separators=(",", ":")
    )
