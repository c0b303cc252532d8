"""Feedback: stored with sentiment and topic; negative feedback offers a human follow-up."""

from __future__ import annotations

from handlers.dialogue import Asked, Question
from handlers.turn import DISMISS, Turn
from handlers.types import Reply
from nlu.types import ParseResult, SentimentLabel

FOLLOW_UP = "followup"
STORED = "feedback:stored"  # this message's feedback is stored

# Topic words, checked in order; the first that matches names the feedback's topic.
TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("delivery", ("deliver", "courier", "shipping", "parcel", "快递", "配送", "物流", "运费")),
    ("app", ("app", "crash", "dark mode", "应用", "闪退", "界面")),
    ("website", ("website", "site", "search", "popup", "font", "网站", "搜索", "字")),
    ("checkout", ("checkout", "payment", "pay", "结账", "付款")),
    ("support", ("support", "agent", "bot", "hold music", "team", "客服", "机器人")),
    ("price", ("price", "expensive", "cheap", "价格", "贵")),
    ("product", ("quality", "product", "packaging", "质量", "包装", "东西")),
)


def topic_of(text: str, product: str | None = None) -> str | None:
    """The first topic whose words appear in the text, else the product named."""
    lowered = text.lower()
    for topic, words in TOPICS:
        if any(w in lowered for w in words):
            return topic
    return f"product:{product}" if product else None


def is_praise(parse: ParseResult) -> bool:
    """Which way feedback goes: the sentiment label when it leans, else the intent.

    "oh great, another bot. fantastic." reads as praise to an intent classifier; the
    sentiment model (with its sarcasm cues) knows better.
    """
    if parse.sentiment_label is not SentimentLabel.NEUTRAL:
        return parse.sentiment_label is SentimentLabel.POSITIVE
    return parse.intent == "feedback_positive"


async def feedback(turn: Turn, *, sarcastic: bool = False) -> list[Reply]:
    """Store the feedback and thank the customer; offer a follow-up when it is negative.

    ``sarcastic``: praise said of something bad ("oh great, another bot"): stored as
    negative, and answered with an apology, not thanks.
    """
    if STORED in turn.outcome.said:
        # One message, one piece of feedback: "oh wonderful, another bot. just fantastic."
        # split in two is still one remark, stored and answered once.
        return []
    turn.outcome.said[STORED] = turn.dialogue.turn
    product = turn.parse.entity("product")
    positive = is_praise(turn.parse) and not sarcastic
    # The sentiment score says how strongly; a neutral reading still counts a little.
    strength = max(abs(turn.parse.sentiment), 0.3)
    await turn.deps.feedback.add(
        customer_id=turn.customer_id,
        text=turn.message.text,
        sentiment=strength if positive else -strength,
        topic=topic_of(turn.message.text, product.value if product else None),
    )
    if positive:
        return [turn.reply("feedback_thanks_positive", name=turn.name)]
    turn.ask(Asked(Question.FOLLOW_UP))
    return [
        turn.reply(
            "feedback_sorry_sarcastic" if sarcastic else "feedback_thanks_negative",
            turn.button("button_yes", FOLLOW_UP),
            turn.button("button_no", DISMISS),
            name=turn.name,
        )
    ]


async def closing_the_loop(turn: Turn) -> tuple[list[Reply], list[int]]:
    """Tell the customer what changed because of feedback they gave, once per change: the
    replies, and the feedback they tell of, to be marked notified by the turn's closing write
    (marked here, a turn cut before that write would never tell it)."""
    if turn.outcome.erased:
        return [], []  # erased in this very turn: nothing of theirs is told or kept
    replies = []
    told = []
    for item in turn.context.news:  # read with the context, before this turn's answer
        told.append(item.id)
        said = " ".join(item.text.split())
        said = said if len(said) <= 80 else said[:77] + "..."
        replies.append(turn.reply("feedback_loop_closed", feedback=said, note=item.action_note))
    return replies, told
