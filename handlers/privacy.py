"""What we store about a customer: shown, exported and erased on request."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from crm_memory import CustomerExport
from handlers.desk import PostEraser
from handlers.dialogue import Asked, Question
from handlers.questions import is_question
from handlers.turn import Deps, Turn
from handlers.types import Reply

logger = logging.getLogger(__name__)

FORGET = "forget:yes"
# The Reading details of what the customer says to "Erase it?": erased, kept, or asked about.
ERASE_YES = "erase_confirmed"
ERASE_NO = "erase_kept"
ERASE_ASKED = "erase_asked"
ERASE_LATER = "erase_later"
ERASE_ACCOUNT = "erase_account"
ERASE_DETAILS = frozenset({ERASE_YES, ERASE_NO, ERASE_ASKED, ERASE_LATER, ERASE_ACCOUNT})

# What erasing is about: the customer's data, history, chats, account or themselves ("delete
# my data", "wipe my chat history", "forget me", "把我的聊天记录删了", "删除我的所有信息").
_ERASED_WHAT = re.compile(
    r"\b(?:data|personal|history|chats?|conversations?|messages?|records?|logs?|everything|"
    r"gdpr|forgotten|anything (?:you have|about me)|all (?:of )?(?:it|my stuff|my info)|"
    r"(?:forget|erase|delete|remove|wipe|purge) me|about me|from your (?:system|database|records)|"
    r"info(?:rmation)?|details|account|profile)\b|"
    r"数据|信息|资料|记录|聊天|对话|历史|隐私|账号|账户|帐号|帐户|关于我|忘记我|一切|所有|全部|全删|都删|"
    r"(?:把|将)我从",
    re.IGNORECASE,
)
# What a request to erase can be about that is not the customer's data: a card saved for
# paying ("remove my card", "卡号删了"), whose own answer is where cards are managed.
_PAYMENT_CARD = re.compile(
    r"\b(?:cards?|visa|mastercard|amex)\b(?: (?:details|info(?:rmation)?|number))?|"
    r"(?<![礼品会员购物])卡(?:号|片)?(?:的?信息)?",
    re.IGNORECASE,
)
# Said only of a card, these still mean the customer's data ("delete my card and all my data").
_DATA_ITSELF = re.compile(
    r"\b(?:data|personal|history|chats?|conversations?|messages?|records?|gdpr|forgotten|"
    r"(?:forget|erase|delete|remove|wipe|purge) me|about me)\b|"
    r"数据|个人信息|资料|记录|聊天|对话|历史|隐私|关于我|忘记我",
    re.IGNORECASE,
)


# Asking for it to go: deleted, erased, wiped ("wipe my data", "资料全部删掉", "清空记录").
_ERASE = re.compile(
    r"\b(?:delete|deleted|erase|erased|wipe|wiped|purge|remove|removed|forget|clear)\b|"
    r"删|清除|清空|抹掉|注销",
    re.IGNORECASE,
)
# A person asked for in the same words: the hand-over, whatever else is said.
_PERSON = re.compile(
    r"\b(?:person|human|agent|someone|somebody|staff|manager|supervisor)\b|人工|真人|经理|客服",
    re.IGNORECASE,
)


def wants_erased(text: str) -> bool:
    """True when the message asks in so many words for the customer's data, history or account
    to be erased and for nobody to talk to ("please wipe all my personal data", "我的个人资料
    全部删掉"): the erasure asked for, however else the engine read it."""
    return (
        _ERASE.search(text) is not None
        and asks_to_erase(text)
        and _PERSON.search(text) is None
        and not _PAYMENT_CARD.search(text)
    )


def asks_to_erase(text: str) -> bool:
    """True when a request to delete or forget is about the customer's data, history, chats
    or account ("delete my data", "把我的聊天记录删掉", "i want to delete my account"); not
    when it is about something else, a saved card above all ("remove my card", "卡删一下"),
    which the bot answers as such instead of offering to erase everything."""
    if _PAYMENT_CARD.search(text):
        return _DATA_ITSELF.search(text) is not None
    return _ERASED_WHAT.search(text) is not None


@dataclass(frozen=True, slots=True)
class Erasure:
    """What erasing a customer touched."""

    erased: bool
    chats: int
    posts: int
    posts_edited: int


async def export_customer(deps: Deps, customer_id: int) -> CustomerExport:
    """Everything stored about a customer. Raises NotFound."""
    customer = await deps.customers.get(customer_id)
    return CustomerExport(
        customer=customer,
        identities=tuple(await deps.customers.identities(customer_id)),
        facts=tuple(await deps.customers.facts(customer_id)),
        messages=tuple(await deps.messages.all_for(customer_id)),
        cases=tuple(await deps.cases.for_customer(customer_id)),
        ratings=tuple(await deps.surveys.for_customer(customer_id)),
        feedback=tuple(await deps.feedback.for_customer(customer_id)),
        notes=tuple(await deps.cases.notes_for_customer(customer_id)),
        media=tuple(await deps.media.for_customer(customer_id)) if deps.media else (),
    )


async def erase_customer(
    deps: Deps, customer_id: int, *, eraser: PostEraser | None = None
) -> Erasure:
    """Erase a customer from every store: the SQL rows (anonymised so reports keep their
    counts), each chat's conversation state, the agents' chat posts about them (copies of
    their photos and files deleted) and the desk's cached copies of their files."""
    identities = await deps.customers.identities(customer_id)
    posts = await deps.posts.for_customer(customer_id) if deps.posts is not None else []
    media = await deps.media.for_customer(customer_id) if deps.media is not None else []
    erased = await deps.customers.forget(customer_id)
    if deps.media_files is not None and media:
        # The file ids are forgotten with the rows; the desk's copies go too.
        deps.media_files.drop(m.id for m in media)
        deps.media_files.forget_files(m.attachment.file_id for m in media)
    for identity in identities:
        await deps.state.forget_chat(str(identity))
    edited = await eraser.erase(posts) if eraser is not None and posts else 0
    if edited < len(posts):
        logger.warning(
            "customer %s erased; %d of %d agents' chat posts could not be edited",
            customer_id,
            len(posts) - edited,
            len(posts),
        )
    return Erasure(erased=erased, chats=len(identities), posts=len(posts), posts_edited=edited)


async def my_data(turn: Turn) -> list[Reply]:
    """A summary of the profile, history, cases and remembered facts."""
    deps = turn.deps
    customer = turn.context.customer
    messages = await deps.messages.count(customer.id)
    cases = await deps.cases.for_customer(customer.id)
    facts = ", ".join(f"{f.kind} {f.value}" for f in turn.context.facts) or turn.say("nothing")
    summary = turn.say(
        "my_data_summary",
        messages=messages,
        since=customer.created_at.strftime("%Y-%m-%d"),
        language=customer.language or "-",
        cases=len(cases),
        facts=facts,
    )
    return [turn.reply("my_data", name=turn.name, summary=summary)]


async def forget_request(turn: Turn, *, again: bool = False) -> list[Reply]:
    """Erasing is final: ask first (the button, or a typed yes, does it); ``again`` after a
    question about it was answered, briefly."""
    turn.ask(Asked(Question.ERASE))
    return [
        turn.reply(
            "forget_confirm_again" if again else "forget_confirm",
            turn.button("forget_button", FORGET),
            turn.button("button_no", "dismiss"),
        )
    ]


# A typed yes to "Erase it?": "yes", "yes im sure", "go ahead delete it", "确定", "删吧",
# "确认删除".
_ERASE_YES = re.compile(
    r"^(?:y|ya|yes|yep|yeah|yup|sure|ok|okay|k|confirm(?:ed)?|i'?m sure|i am sure|go ahead|"
    r"do it|please do|please|pls|delete|erase|wipe|absolutely|definitely)\b|"
    r"^(?:确定|确认|是的|是|对|对的|好|好的|可以|嗯|删|删吧|删了吧|删掉吧|删除吧|全删|都删)",
    re.IGNORECASE,
)
# Not now: "no", "wait don't", "actually keep it", "算了", "先别删", "不删了".
_ERASE_NO = re.compile(
    r"^(?:n|no|nope|nah|not now|never ?mind|cancel|stop|wait|hold on|hang on)\b|"
    r"\b(?:don'?t|do not) (?:delete|erase|do it|wipe)\b|\bkeep (?:it|them|my)\b|"
    r"\bchanged my mind\b|^(?:不|不用|不要|算了|先别|别删|不删|等等|等一下)",
    re.IGNORECASE,
)
# Asked what erasing does to an order, the account or a case: "will that cancel my order?",
# "does it close my account", "删了订单还在吗", "会影响我的订单吗".
_ERASE_WHAT = re.compile(
    r"\b(?:order|orders|account|refund|case|warranty|delivery|parcel|points)\b|"
    r"订单|账号|账户|退款|工单|保修|快递|包裹|积分|影响",
    re.IGNORECASE,
)


# Erasing put off until later: "delete it after my parcel arrives", "once the refund is
# through", "等包裹到了再删", "收到货以后再注销".
_LATER = re.compile(
    r"\b(?:after|once|when|as soon as)\b.{0,40}\b(?:arriv\w*|deliver\w*|comes?|came|lands?|"
    r"gets? here|received?|through|done|finished|over|refund\w*|sorted)\b|"
    r"\b(?:later|next (?:week|month)|in (?:a|one|two|\d+) (?:days?|weeks?))\b|"
    r"(?:到了|到货|收到|签收|送达|退款|办完|处理完|结束)[^，。,.!?！？]{0,6}(?:以后|之后|后|再)|等.{0,10}(?:再|以后|之后)",
    re.IGNORECASE,
)
# Closing the shop account itself: "close my account", "delete my account", "把账号注销了".
_CLOSE_ACCOUNT = re.compile(
    r"\b(?:close|delete|deactivate|terminate|cancel|remove)\b.{0,15}\baccount\b|"
    r"\baccount\b.{0,15}\b(?:closed|deleted|deactivated)\b|注销|销户|(?:账号|账户|帐号|帐户).{0,4}(?:删|关|停)",
    re.IGNORECASE,
)
# "will deleting my data cancel my order?", "删了数据订单还在吗": what erasing would do, asked
# before (or instead of) asking for it.
_WOULD = re.compile(
    r"\b(?:will|would|does|do|is|if|can|could)\b.{0,30}\b(?:delet\w*|eras\w*|wip\w*|remov\w*|"
    r"forget\w*)\b|会不会|会影响|影响|还在|还有吗|还能|会.{0,4}(?:取消|没了|删)",
    re.IGNORECASE,
)


def erase_detail(turn: Turn) -> str | None:
    """What a message says about erasing, with or without "Erase it?" asked: ``ERASE_ASKED``
    ("will deleting my data cancel my order?", "删除数据会不会取消订单": what erasing does to
    an order, explained, not a cancellation nor the erasure itself), ``ERASE_LATER`` ("delete
    it after my parcel arrives": it can't be put off; how to do it then), ``ERASE_ACCOUNT``
    ("算了 我想把账号注销了" after "Erase it?": closing the shop account, how and what happens,
    not a no); otherwise what ``answers_erase`` says."""
    text = turn.message.text.strip()
    asked = turn.dialogue.asked
    erasing = asked is not None and asked.question is Question.ERASE
    talks_of_erasing = _ERASING.search(text) is not None and asks_to_erase(text)
    if erasing and _CLOSE_ACCOUNT.search(text) and not is_question(text):
        return ERASE_ACCOUNT
    if (erasing or talks_of_erasing) and _ERASING.search(text) and _LATER.search(text):
        return ERASE_LATER
    if (
        talks_of_erasing
        and is_question(text)
        and _WOULD.search(text)
        and _ERASE_WHAT.search(_ERASED_DATA.sub(" ", text))
    ):
        return ERASE_ASKED
    return answers_erase(turn)


# Erasing in any form of the word ("deleting my data", "once it's erased", "删掉").
_ERASING = re.compile(
    r"\b(?:delet|eras|wip(?:e|ed|ing)\b|purg|remov|forget)\w*|删|清除|清空|抹掉", re.IGNORECASE
)
# The data named as what is erased, taken out before looking for what erasing touches.
_ERASED_DATA = re.compile(
    r"\b(?:my|the|all)? ?(?:data|details|info(?:rmation)?|history)\b|数据|信息|资料|记录",
    re.IGNORECASE,
)


# What is kept, asked about while erasing is on the table: "do you delete my order history
# too?", "sure, do u keep my receipts", "wait, and my invoices?", "好 那发票呢", "订单记录也删？",
# "确定 你们会保留什么". A question, never the answer to "Erase it?".
_KEPT = re.compile(
    r"\b(?:keep|keeps|kept|store|stored|retain\w*|hold on to|save[sd]?)\b|"
    r"\b(?:invoices?|receipts?|(?:order|purchase)s?(?: history| records?)?|history|records?|"
    r"warrant(?:y|ies)|account|reviews?|points)\b|"
    r"保留|保存|存了|存着|留着|发票|收据|订单|购买记录|记录|账号|账户|积分|评价|保修",
    re.IGNORECASE,
)
# Said as a question even without its mark: "do u keep", "what about", "and my invoices",
# "那发票呢", "也删吗".
_ASKS = re.compile(
    r"[?？]|\b(?:do|does|did|will|would|is|are|can|what|which|how)\s+(?:you|u|ya|it|they|that|"
    r"this|about|happens?|else|do you|of)\b|\bwhat about\b|^\W*(?:and|but)\s+(?:my|the|what)\b|"
    r"呢\s*$|吗|么\s*$|什么|哪些|啥",
    re.IGNORECASE,
)


def asks_what_is_kept(text: str) -> bool:
    """True when the message asks what happens to, or what is kept of, the customer's orders,
    invoices or other data ("ok but do you delete my order history too", "sure, do u keep my
    receipts", "wait, and my invoices?", "好 那发票呢"): a question to answer, whatever yes or
    no word it starts with."""
    return _KEPT.search(text) is not None and _ASKS.search(text) is not None


def answers_erase(turn: Turn) -> str | None:
    """What a message right after "Erase it?" says to it: ``ERASE_YES``, ``ERASE_NO``,
    ``ERASE_ASKED`` (what erasing does to an order or the account), or None (something
    else, read as usual)."""
    asked = turn.dialogue.asked
    if asked is None or asked.question is not Question.ERASE:
        return None
    text = turn.message.text.strip()
    if asks_what_is_kept(text):
        # Before yes and no: "yes, but what happens to my invoices" is no yes, "wait, and my
        # invoices?" no no.
        return ERASE_ASKED
    if _ERASE_NO.search(text):
        return ERASE_NO
    if is_question(text) and _ERASE_WHAT.search(text):
        return ERASE_ASKED
    if _ERASE_YES.search(text) and not is_question(text):
        return ERASE_YES
    return None


async def erase_answered(turn: Turn, detail: str) -> list[Reply]:
    """Erased on a typed yes as on the button; a no keeps everything; a question about what
    it means for an order or the account is answered and the choice offered again."""
    if detail == ERASE_YES:
        return await forget(turn)
    if detail == ERASE_NO:
        return [turn.reply("forget_kept")]
    if detail == ERASE_LATER:
        return [turn.reply("forget_later")]
    if detail == ERASE_ACCOUNT:
        return [turn.reply("forget_account")]
    if _ABOUT_ME.search(turn.message.text):
        # "ok what do u keep about me": what is stored, then the question again.
        return [*await my_data(turn), *await forget_request(turn, again=True)]
    # Asked about one more thing after the explanation: that it is the same, briefly.
    explained = turn.dialogue.variant("forget_explained") is not None
    return [
        turn.reply("forget_kept_again" if explained else "forget_explained"),
        *await forget_request(turn, again=True),
    ]


# What is stored about the customer themselves: "what do you keep about me", "你们存了我什么".
_ABOUT_ME = re.compile(
    r"\b(?:about|on|of) me\b|关于我|存了我|我(?:哪些|什么)(?:信息|资料|数据)",
    re.IGNORECASE,
)


async def forget(turn: Turn) -> list[Reply]:
    """Erase the customer everywhere we store them: history, cases, ratings, state, posts."""
    await erase_customer(turn.deps, turn.customer_id, eraser=turn.deps.desk)
    if turn.deps.audit is not None:  # the customer, on their own request; no identity kept
        await turn.deps.audit.write(
            actor="customer", action="erase", customer_id=turn.customer_id, detail="/forget"
        )
    turn.outcome.erased = True  # nothing of this conversation is kept either
    return [replace(turn.reply("forgotten"), ephemeral=True)]
