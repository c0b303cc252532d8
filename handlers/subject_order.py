"""An order number given while a return, a refund or an invoice is the subject: that subject's."""

from __future__ import annotations

from handlers import context, invoice, returns
from handlers.dialogue import Matter, Purpose, Question
from handlers.questions import is_question
from handlers.turn import Turn

# The questions whose purpose decides what a number given to them is for (context.read):
# a number asked for a case, a payment, a cancellation or an address is that one's.
_OWN_PURPOSE = (
    Purpose.COMPLAINT,
    Purpose.PAYMENT,
    Purpose.CANCEL,
    Purpose.ADDRESS,
    Purpose.EXPRESS,
    Purpose.NOT_RECEIVED,
    Purpose.ADDRESS_TOO,
    Purpose.CHASE,
)
# The invoice answer given for an order number sent after any invoice answer.
_INVOICE_FOR_ORDER = "invoice"
# The tag of the knowledge base's answers on how returns go (faq.yml).
_RETURNS_TAG = "returns"
# Readings whose answer was one order's return: a new number after it is no refund to trace.
_RETURN_READINGS = ("returns_order", "corrects_order")


def reads(turn: Turn) -> context.Reading | None:
    """The reading of a message that is an order number and a few words about it ("order
    a-2048", "its A2048", "订单号 A-2048", "A-6650") while a return, a refund or an exchange
    is what the conversation is about: the refund's state for that order when the customer's
    words were about their money ("where is my refund"), else that order's return (its window
    from delivery, how to start it); never its bare delivery status."""
    orders = turn.parse.orders
    if len(orders) != 1 or not context.only_order(turn, turn.message.text):
        return None
    asked = turn.dialogue.asked
    if asked is not None and asked.purpose in _OWN_PURPOSE:
        return None
    if asked is not None and asked.question is Question.ORDER_NUMBER and asked.case is not None:
        return None  # the number the open case waits for (readings.gives_case_order)
    dialogue = turn.dialogue
    subject = dialogue.subject_in_play()
    if subject is not None and subject.entry in invoice.ENTRIES and not _asks_own(turn):
        # "77310", "its for order 77311" right after the invoice answer: that order's invoice
        # (there to download, or when it comes), not where the parcel is.
        return context.Reading("ask_payment", entry=_INVOICE_FOR_ORDER)
    about_refund = dialogue.recent_matter() is Matter.REFUND or (
        asked is not None and asked.purpose is Purpose.REFUND
    )
    returned_one = any(r in _RETURN_READINGS for r in dialogue.readings)
    # "我想退货退款 怎么弄" answered with how returns go: the money named with the return is
    # the return's refund, so the number is the order to return, not a refund to trace.
    how_to_return = subject is not None and _returns_answer(turn, subject.turn)
    if about_refund and not returned_one and not how_to_return:
        return context.Reading("ask_returns_refunds", detail=context.LATE_REFUND)
    if (
        dialogue.topic == "ask_returns_refunds"
        or how_to_return
        or (asked is not None and asked.purpose is Purpose.RETURN)
    ):
        return context.Reading("ask_returns_refunds", detail=returns.DETAIL)
    return None


def _asks_own(turn: Turn) -> bool:
    """True when the words beside the order number ask something of their own ("B-2231啥时候
    能到", "where is 77310?"): a question about the order, not the number given."""
    order = turn.parse.orders[0]
    rest = turn.message.text.replace(order.text, " ") if order.text else turn.message.text
    return is_question(rest)


def _returns_answer(turn: Turn, given: int) -> bool:
    """True when the answer given in turn ``given`` said how returns go (an entry with the
    knowledge base's ``returns`` tag), alone or beside the refund's time."""
    knowledge = turn.deps.knowledge
    for key, said in turn.dialogue.said:
        entry = knowledge.entry(key.removeprefix("faq:")) if key.startswith("faq:") else None
        if said == given and entry is not None and _RETURNS_TAG in entry.tags:
            return True
    return False
