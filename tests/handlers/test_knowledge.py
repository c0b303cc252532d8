"""The knowledge base: loading, finding by intent and similarity, refusing bad files."""

from __future__ import annotations

import collections
from dataclasses import replace
from pathlib import Path

import pytest

from handlers.dispatcher import Dispatcher
from handlers.knowledge import KnowledgeBase, KnowledgeBaseError
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.handlers.conftest import make_say


def test_shipped_entries_answer_in_both_languages() -> None:
    kb = KnowledgeBase.load()
    assert len(kb.entries) >= 15
    for entry in kb.entries:
        assert entry.answer("en") and entry.answer("zh") != entry.answer("en")


@pytest.mark.parametrize(
    ("question", "intent", "entry"),
    [
        ("how much does shipping cost to france", "ask_delivery", "delivery-cost"),
        ("do you deliver to canada", "ask_delivery", "delivery-countries"),
        ("I was charged twice!", "ask_payment", "payment-problem"),
        ("can I swap it for a bigger size", "ask_returns_refunds", "exchange"),
        ("运费多少钱", "ask_delivery", "delivery-cost"),
        ("refund still not arrived after two weeks", None, "refund-timing"),
        # A lone character (货) is not enough for an entry that merely has it (发货) to
        # answer, whatever the intent read: the catalogue's close question does.
        ("有货吗", "ask_product_info", "catalogue-general"),
        ("还有货吗", "ask_product_info", "catalogue-general"),
    ],
)
def test_finds_the_closest_entry(question: str, intent: str | None, entry: str) -> None:
    found = KnowledgeBase.load().find(question, intent=intent)
    assert found is not None and found.id == entry


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        # Words that say when or whose ("anymore", "her") name no entry's subject: the
        # login and the phone are what these ask about.
        ("cant log in, that email address is not mine anymore", "password"),
        ("my phone number isnt mine anymore how do i sign in", "phone-change"),
    ],
)
def test_filler_words_name_no_entry(question: str, entry: str) -> None:
    found = KnowledgeBase.load().find(question)
    assert found is not None and found.id == entry


def test_unrelated_question_without_intent_finds_nothing() -> None:
    assert KnowledgeBase.load().find("qqq zzz xxx", intent=None) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{}", "list of entries"),
        ("- id: a\n  intent: x\n  questions: {en: [hi]}\n  answer: {en: hello}\n", "answer needs"),
        ("- id: a\n  intent: x\n  answer: {en: a, zh: b}\n", "questions"),
        ("- [not, a, mapping]\n", "mapping"),
    ],
)
def test_malformed_file(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "faq.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=reason):
        KnowledgeBase.load(path)


@pytest.mark.parametrize(
    ("question", "intent", "entry"),
    [
        # Keywords name the entry whatever the wording or the intent the engine gave.
        ("im never home during the day, can it go to a parcel locker", None, "delivery-locker"),
        ("那放快递柜行不", "ask_delivery", "delivery-locker"),
        ("do u pick it up from my house", "ask_returns_refunds", "returns-pickup"),
        ("上门取件吗", "ask_returns_refunds", "returns-pickup"),
        ("你们周末送货吗 我平时上班", "ask_opening_hours", "delivery-weekend"),
        ("能快点不", "ask_delivery", "delivery-express"),
        ("or just leave it with my neighbour?", "ask_delivery", "delivery-not-home"),
        ("周末营业吗", "ask_opening_hours", "opening-hours"),
        # A receipt named for the warranty is the warranty's question, not the return's.
        ("是不是一定要发票才能保修", "ask_payment", "warranty-no-receipt"),
        (
            "threw away my receipt, do i still get warranty",
            "ask_returns_refunds",
            "warranty-no-receipt",
        ),
        ("i lost the receipt, can i still return it", "ask_returns_refunds", "returns-no-receipt"),
        # How long a refund takes is that entry, not one whose question shares "退款".
        ("还有多久退款", "ask_returns_refunds", "refund-timing"),
        ("how long till im refunded", "ask_returns_refunds", "refund-timing"),
        ("取消订单后多久退款", "ask_returns_refunds", "order-cancel"),
        # What the shop does, asked by name (tag `offer`), whatever the engine's intent.
        ("do you gift wrap orders for delivery", "ask_delivery", "gift-options"),
        ("能写张贺卡吗", "ask_payment", "gift-options"),
        ("any discount for buying in bulk", "ask_payment", "bulk-orders"),
        ("公司采购能便宜点吗", "ask_payment", "bulk-orders"),
        ("do you price match", "ask_returns_refunds", "price-match"),
        ("京东比你们便宜 能按京东价吗", "ask_payment", "price-match"),
        ("please deliver it after the 30th", "ask_delivery", "delivery-later"),
        # Carried upstairs: what the courier does (a note for the driver), not the pick-up.
        (
            "will the drivers carry it up to the 4th floor, theres no lift",
            "ask_delivery",
            "delivery-upstairs",
        ),
        ("送货师傅给搬上六楼不 没电梯", "ask_delivery", "delivery-upstairs"),
        ("can the driver carry it upstairs for my mum", "ask_delivery", "delivery-upstairs"),
        ("能送上楼吗 老人家搬不动", "ask_delivery", "delivery-upstairs"),
    ],
)
def test_keywords_name_the_entry(question: str, intent: str | None, entry: str) -> None:
    found = KnowledgeBase.load().find(question, intent=intent)
    assert found is not None and found.id == entry


def test_installing_is_the_installation_entry_not_the_pick_up() -> None:
    # (上门 is shared with the returns pick-up, 上门取件: installing at home is not that.)
    kb = KnowledgeBase.load()
    for question in ("包安装吗", "上门安装要钱吗", "do you install dishwashers"):
        found = kb.find(question, intent="ask_delivery")
        assert found is not None and found.id == "installation", question


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("does that cover the motor too", "ask_product_info"),
        # Sharing a topic word is not answering: a time slot is not the carrier's choice,
        # 以旧换新 not a card's refund.
        ("can i pick a delivery time slot", "ask_delivery"),
        ("does it come with a charger", "ask_delivery"),
        ("能指定送货时间吗", "ask_delivery"),
    ],
)
def test_a_question_no_entry_covers_finds_nothing(question: str, intent: str) -> None:
    kb = KnowledgeBase.load()
    assert kb.find(question, intent=intent) is None
    # (A pressed topic button still gets the topic's nearest answer.)
    assert kb.closest(question, intent=intent) is not None


@pytest.mark.parametrize(
    ("question", "intent", "entry"),
    [
        ("那运费谁出", "ask_returns_refunds", "returns-policy"),
        ("hwo long til i get my refund", "ask_returns_refunds", "refund-timing"),  # a typo
        ("can i pay with klarna", "ask_payment", "payment-methods"),
        ("货到付款可以吗", "ask_payment", "payment-methods"),  # not a failed payment
        ("how much is that", "ask_delivery", "delivery-cost"),  # nothing to judge it by
        ("优惠券一直用不了 咋回事", "ask_payment", "discount-codes"),
        # Paraphrases with a word no entry has still answered ("asking for a friend").
        ("whats ur returns policy, asking for a friend", "ask_returns_refunds", "returns-policy"),
        ("how much do you charge for shipping", "ask_delivery", "delivery-cost"),
        ("发票抬头开错了 能改吗", "ask_payment", "invoice-company"),
        ("能开票吗", "ask_payment", "invoice"),
    ],
)
def test_a_covered_follow_up_is_still_answered(question: str, intent: str, entry: str) -> None:
    found = KnowledgeBase.load().find(question, intent=intent)
    assert found is not None and found.id == entry


def test_a_bad_keyword_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "faq.yml"
    path.write_text(
        "- {id: x, intent: ask_delivery, keywords: ['(locker'], questions: {en: [q]},"
        " answer: {en: a, zh: b}}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match="keyword"):
        KnowledgeBase.load(path)


@pytest.mark.parametrize(
    "text",
    [
        # (not "how long does it take": the shipping times for a named country need no search)
        "do you ship to ireland, how much does it usually cost",
        "我没取消啊 你们搞什么, 发票在哪开",
        "怎么退货 要多久到账",
        "ok thx. and can i pay with paypal? whats ur return policy",
    ],
)
async def test_a_turn_searches_the_faq_once_per_text(
    deps: Deps, engine: BuiltinEngine, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    # Splitting a message into requests and answering each ask the FAQ about the same
    # clause from several places: the search runs once per text and question.
    knowledge = KnowledgeBase.load()
    searched: collections.Counter[str] = collections.Counter()
    query = knowledge._index.query

    def counting(question: str) -> list[tuple[int, float]]:
        searched[question] += 1
        return query(question)

    monkeypatch.setattr(knowledge._index, "query", counting)
    say = make_say(Dispatcher(deps=replace(deps, knowledge=knowledge), nlu=engine), "5", "Li")
    assert await say(text)
    assert searched and max(searched.values()) == 1, searched


@pytest.mark.parametrize(
    ("question", "intent", "not_entry"),
    [
        # Entries the readings give (handlers/add_item.py, handlers/difference.py): found by
        # the search only with their words, else they answer what they are not about.
        ("so whats going on with it", "ask_delivery", "order-add-item"),
        ("订单到底啥情况", "ask_delivery", "order-add-item"),
        ("can i return headphones i bought 10 days ago", "ask_returns_refunds", "price-difference"),
        ("can i just keep it and get refunded the difference", None, "price-difference"),
    ],
)
def test_reading_only_entries_need_their_words(
    question: str, intent: str | None, not_entry: str
) -> None:
    found = KnowledgeBase.load().find(question, intent=intent)
    assert found is None or found.id != not_entry


def test_reading_only_entries_still_fit_their_own_questions() -> None:
    kb = KnowledgeBase.load()
    assert kb.find("is it too late to add something", intent="ask_delivery").id == "order-add-item"
    assert kb.find("降价了能退差价吗", intent="ask_returns_refunds").id == "price-difference"


@pytest.mark.parametrize(
    ("message", "entry"),
    [
        ("switched my number, the sign-in code goes to the old sim", "phone-change"),
        ("以前的号码停机了 登录验证码收不到", "phone-change"),
    ],
)
def test_a_whole_message_names_its_entry(message: str, entry: str) -> None:
    kb = KnowledgeBase.load()
    found = kb.asked_whole(message)
    assert found is not None and found.id == entry
    # Its clauses alone do not: they are one question only together.
    first = message.replace("sign-in code", "").replace("登录验证码收不到", "")
    assert kb.asked_whole(first) is None


def test_an_order_number_is_no_phone_number() -> None:
    assert KnowledgeBase.load().asked_whole("my old order number's discount code fails") is None


@pytest.mark.parametrize(
    ("question", "intent", "not_entry"),
    [
        # The thing asked to be supported is the question's focus: a product feature is no
        # payment method for 支持/support, nor the weekend support desk.
        ("支持蓝牙吗", "ask_payment", "payment-methods"),
        ("这个扫地机支持wifi吗", None, "payment-methods"),
        ("does it support bluetooth", "ask_opening_hours", "support-weekend"),
        # Who is asked to act: the courier calling is not the shop's phone line, the carrier
        # sending a parcel back not a return the customer posted.
        ("the courier will call me?", "contact", "contact-phone"),
        ("快递员会打电话吗", "contact", "contact-phone"),
        (
            "if the carrier sends it back do I get my money",
            "ask_returns_refunds",
            "refund-after-return",
        ),
        ("快递被退回去了 钱能退吗", "ask_returns_refunds", "refund-after-return"),
    ],
)
def test_an_entry_off_the_question_s_focus_does_not_answer(
    question: str, intent: str | None, not_entry: str
) -> None:
    found = KnowledgeBase.load().find(question, intent=intent)
    assert found is None or found.id != not_entry


@pytest.mark.parametrize(
    ("question", "intent", "entry"),
    [
        # The same frames with the focus in the entry still answer.
        ("支持花呗吗", "ask_payment", "payment-methods"),
        ("do you support apple pay", "ask_payment", "payment-methods"),
        ("does it come with a warranty", "ask_product_info", "warranty"),
        ("can the courier collect the return", "ask_returns_refunds", "returns-pickup"),
        # The entries that answer those focuses (conv78), whatever the intent read.
        ("the courier will call me?", "contact", "courier-call"),
        ("快递员会打电话吗", "ask_opening_hours", "courier-call"),
        (
            "if the carrier sends it back do I get my money",
            "ask_returns_refunds",
            "returned-to-sender",
        ),
        ("快递被退回去了 钱能退吗", "ask_returns_refunds", "returned-to-sender"),
        ("no price inside the gift box right?", "ask_product_info", "gift-prices"),
        ("礼盒里面不会有价格吧", "ask_payment", "gift-prices"),
        ("will my order history be lost", "ask_account", "history-kept"),
        ("订单记录会不会没了", None, "history-kept"),
        ("the account is in my wife's name", "ask_account", "account-holder"),
        ("账户是我老婆的名字", None, "account-holder"),
        ("will I be charged again", "ask_account", "charge-again"),
        ("会不会再扣一次钱", "ask_payment", "charge-again"),
        # A charge already taken again is the double charge, not "only once".
        ("i was charged again", "ask_payment", "payment-problem"),
    ],
)
def test_the_entry_on_the_question_s_focus_answers(
    question: str, intent: str | None, entry: str
) -> None:
    found = KnowledgeBase.load().find(question, intent=intent)
    assert found is not None and found.id == entry


@pytest.mark.parametrize(
    ("question", "intent", "entry"),
    [
        # The intent read is a guess: an entry near the question word for word answers it,
        # not one of the intent's far from it that merely shares a word.
        ("what do you charge for delivery", "ask_payment", "delivery-cost"),
        ("how do exchanges work", "ask_payment", "exchange"),
        ("怎么退货", "ask_account", "returns-policy"),
        ("where is my refund", "ask_delivery", "refund-timing"),
        # A question with nothing to judge it by stays the intent's.
        ("how much is it", "ask_delivery", "delivery-cost"),
        ("要多少钱", "ask_delivery", "delivery-cost"),
        # Asking when ("什么时候") says nothing of what about: not the restock's 什么时候补货.
        ("客服什么时候在线", "ask_opening_hours", "opening-hours"),
    ],
)
def test_a_near_entry_outranks_a_far_one_of_the_intent(
    question: str, intent: str, entry: str
) -> None:
    found = KnowledgeBase.load().find(question, intent=intent)
    assert found is not None and found.id == entry


def test_not_about_keeps_an_entry_off(tmp_path: Path) -> None:
    path = tmp_path / "faq.yml"
    path.write_text(
        "- {id: phone, intent: contact, keywords: ['call'], not_about: ['courier'],"
        " questions: {en: [can i call you]}, answer: {en: a, zh: b}}\n",
        encoding="utf-8",
    )
    kb = KnowledgeBase.load(path)
    assert kb.find("can i call you", intent="contact") is not None
    assert kb.find("will the courier call me", intent="contact") is None
    assert kb.named("will the courier call me") is None


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("质保多长时间呀", "warranty"),
        ("i dont have the original box any more", "returns-no-box"),
        ("can I add an item to my order?", "order-add-item"),
        ("where can i see my old orders", "order-history"),
    ],
)
def test_a_question_all_but_repeated_is_near_its_entry(question: str, entry: str) -> None:
    found = KnowledgeBase.load().near(question)
    assert found is not None and found.id == entry


@pytest.mark.parametrize(
    "message",
    [
        "still nothing",  # only_follows: it leans on the checks answered before
        "number is right, still nothing",
        "用的花呗",  # too little of its own to be asked cold
        "ok thanks",
        "my kettle is broken",
    ],
)
def test_a_message_leaning_on_what_came_before_is_near_no_entry(message: str) -> None:
    assert KnowledgeBase.load().near(message) is None


@pytest.mark.parametrize(
    ("question", "intent", "entry"),
    [
        # A question ending in 不 as spoken asks as one ending in 吗 does.
        ("还能改不", "ask_delivery", "delivery-address"),
        ("还能改吗", "ask_delivery", "delivery-address"),
        # Kinds of input of the customer's own words: an item's age, a note in a gift.
        ("its 13 months old, is it still covered", "ask_product_info", "warranty-age"),
        ("买了13个月了 还在保修吗", "ask_product_info", "warranty-age"),
        ("can you put a little note in for her", None, "gift-options"),
        ("im at work all day tmrw what happens to the parcel", "ask_delivery", "delivery-not-home"),
    ],
)
def test_finds_in_the_customers_own_words(question: str, intent: str | None, entry: str) -> None:
    found = KnowledgeBase.load().find(question, intent=intent)
    assert found is not None and found.id == entry
