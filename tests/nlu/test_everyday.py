"""Held-out everyday shopper questions (payment, delivery, hours, products, account, returns,
feedback, complaints about installers and drivers, erasing one's data, small talk, order status).

None of these sentences is in nlu/data: they check that the built-in engine, trained on the
shipped data, understands questions the way shoppers type them (typos, colloquial Chinese),
rather than falling back or picking a neighbouring intent.
"""

from __future__ import annotations

import pytest

from nlu import BuiltinEngine, load_training_data

EVERYDAY_EN = [
    ("can i get a receipt with my company name on it", "ask_payment"),
    ("there's a pending charge on my card but no order", "ask_payment"),
    ("do you take amex", "ask_payment"),
    ("if i buy it today will it arrive tomorrow", "ask_delivery"),
    ("what does next day shipping cost", "ask_delivery"),
    ("is shipping free on a 20 dollar order", "ask_delivery"),
    ("do you ship to canada", "ask_delivery"),
    ("can i change where it's being delivered", "ask_delivery"),
    ("are you guys open on sundays", "ask_opening_hours"),
    ("what time does support close tonight", "ask_opening_hours"),
    ("is anyone working over the bank holiday", "ask_opening_hours"),
    ("do you stock coffee grinders", "ask_product_availability"),
    ("what's the price of the robot vacuum", "ask_product_availability"),
    ("does the kettle come in black", "ask_product_info"),
    ("can i buy a spare filter separately", "ask_product_info"),
    ("the password reset email link doesnt work anymore", "ask_account"),
    ("cant sign in to my account", "ask_account"),
    ("how do i update my phone number on my account", "ask_account"),
    ("who pays return shipping", "ask_returns_refunds"),
    ("can i return it if i opened the box", "ask_returns_refunds"),
    ("do i need to send the old one back for an exchange", "ask_returns_refunds"),
    ("the app logs me out every time i open it", "feedback_negative"),
    ("your website is so laggy", "feedback_negative"),
    ("great service, the support lady was really patient", "feedback_positive"),
    ("the technician never showed up for the installation", "complaint"),
    ("your courier was really rude to me", "complaint"),
    ("please erase everything you have about me", "forget_request"),
    ("delete all my chat history", "forget_request"),
    ("book me a taxi", "out_of_scope"),
    ("tell me something funny", "out_of_scope"),
    ("where's my vacuum", "ask_order_status"),
    ("can you check on my parcel", "ask_order_status"),
]

EVERYDAY_ZH = [
    ("可以花呗分期不", "ask_payment"),
    ("公司报销要开专票 怎么弄", "ask_payment"),
    ("发票抬头写错了能重开吗", "ask_payment"),
    ("优惠券咋显示不可用", "ask_payment"),
    ("招行信用卡能分12期吗", "ask_payment"),
    ("买多少钱才免运费啊", "ask_delivery"),
    ("加急要多收钱不", "ask_delivery"),
    ("能发到马来西亚吗", "ask_delivery"),
    ("寄到国外要交税吗 谁付", "ask_delivery"),
    ("下单了地址填错了还能改不", "ask_delivery"),
    ("明天白天家里没人 快递咋办", "ask_delivery"),
    ("客服晚上几点下线", "ask_opening_hours"),
    ("礼拜天有人值班吗", "ask_opening_hours"),
    ("国庆放假你们上班不", "ask_opening_hours"),
    ("周末能找到人工吗", "ask_opening_hours"),
    ("这个质保多长时间", "ask_product_info"),
    ("电饭煲保休几年", "ask_product_info"),
    ("有白色款吗", "ask_product_info"),
    ("滤芯可以单买吗", "ask_product_info"),
    ("你们卖洗碗机不", "ask_product_availability"),
    ("账号登不进去了咋整", "ask_account"),
    ("密码想不起来了", "ask_account"),
    ("换了手机号 账号绑定咋改", "ask_account"),
    ("验证码一直收不到 肿么办", "ask_account"),
    ("不喜欢能七天无理由退吗", "ask_returns_refunds"),
    ("包装拆开了还给退不", "ask_returns_refunds"),
    ("在哪里申请退货啊 找不到", "ask_returns_refunds"),
    ("换货的话要我自己寄吗", "ask_returns_refunds"),
    ("退货的快递费谁承担", "ask_returns_refunds"),
    ("这app真难用 一直卡死", "feedback_negative"),
    ("你们软件总是闪退 烦", "feedback_negative"),
    ("客服态度超好 给你们点赞", "feedback_positive"),
    ("小姐姐服务很贴心", "feedback_positive"),
    ("师傅说好来安装 结果没来", "complaint"),
    ("送货的司机骂人", "complaint"),
    ("把我的数据都删掉吧", "forget_request"),
    ("我不想你们保存我的记录", "forget_request"),
    ("帮我订个披萨", "out_of_scope"),
    ("给我讲个段子", "out_of_scope"),
    ("明天会下雨吗", "out_of_scope"),
    ("我买的冰箱到哪了", "ask_order_status"),
    ("我的洗衣机啥时候到", "ask_order_status"),
]

# Asking to erase is its own intent (the bot asks to confirm, then erases), not a data summary.
FORGET = [
    "把我的数据都删掉吧",
    "please erase everything you have about me",
    "delete all my chat history",
]
MY_DATA = ["你们都保存了我什么资料", "what personal data have you got on me"]


def _score(engine: BuiltinEngine, cases: list[tuple[str, str]]) -> tuple[float, float, list[str]]:
    right = top = 0
    wrong = []
    for text, intent in cases:
        result = engine.parse_sync(text)
        right += result.intent == intent
        top += result.ranking[0].name == intent
        if result.intent != intent:
            wrong.append(f"{text!r}: want {intent}, got {result.intent} ({result.confidence:.2f})")
    return right / len(cases), top / len(cases), wrong


def test_held_out_sentences_are_not_training_data() -> None:
    trained = {" ".join(e.text.lower().split()) for e in load_training_data().examples}
    held_out = [t for t, _ in EVERYDAY_EN + EVERYDAY_ZH] + FORGET + MY_DATA
    leaked = [t for t in held_out if " ".join(t.lower().split()) in trained]
    assert not leaked, f"held-out sentences found in the training data: {leaked}"
    assert len(EVERYDAY_EN) + len(EVERYDAY_ZH) >= 60


@pytest.mark.parametrize(
    ("cases", "accuracy_floor"),
    [(EVERYDAY_EN, 0.85), (EVERYDAY_ZH, 0.65)],
    ids=["en", "zh"],
)
def test_everyday_questions_are_understood(
    engine: BuiltinEngine, cases: list[tuple[str, str]], accuracy_floor: float
) -> None:
    accuracy, top1, wrong = _score(engine, cases)
    detail = f"accuracy {accuracy:.0%}, top-1 {top1:.0%} of {len(cases)}; missed:\n" + "\n".join(
        wrong
    )
    assert accuracy >= accuracy_floor, detail
    assert top1 >= 0.85, detail


@pytest.mark.parametrize("text", FORGET)
def test_erase_requests_are_forget_requests(engine: BuiltinEngine, text: str) -> None:
    assert engine.parse_sync(text).intent == "forget_request"


@pytest.mark.parametrize("text", MY_DATA)
def test_what_do_you_store_stays_my_data(engine: BuiltinEngine, text: str) -> None:
    assert engine.parse_sync(text).intent == "ask_my_data"
