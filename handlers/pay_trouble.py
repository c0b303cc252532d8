"""A payment gone wrong, followed through: the wallet's own answer, then what is asked next.

"alipay keeps failing", "花呗付款一直失败": what to check in that wallet, not the card text.
Right after, inside the same problem: "was i charged?" / "扣钱了吗" (a failed payment takes
nothing; a hold drops off), "balance is fine tho" / "额度是够的啊" (the wallet's own checks:
limits, risk control, verification), "can i pay another way then" / "换个方式付行不行" (yes,
the basket is kept, and the ways). With a charge taken twice on a case: "不是预授权 银行说已经
入账了" is news for the case (the extra payment is refunded, not waited out), never a "no".
"""

from __future__ import annotations

import re

from crm_memory import Case
from handlers import inquiry, pay_ways, refund_route
from handlers.context import charge_to_check, length
from handlers.dialogue import Asked, Purpose, Question
from handlers.greeting import case_kind
from handlers.inquiry import answer_from
from handlers.pay_ways import METHODS_ENTRY, asks_about_one, ways_listed
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import ASKS_WHEN
from nlu import FALLBACK

# The Reading details (handlers/dispatcher.py routes them to ``answer``).
FAILED = "pay_failed"  # a wallet payment that won't go through: that wallet's answer
NOT_CHARGED = "pay_not_charged"  # "was i charged?" after it
CHECKS = "pay_checks"  # "the balance is fine": the wallet's other checks
OTHER_WAY = "pay_other_way"  # "can i pay another way": yes, the basket is kept, the ways
POSTED = "pay_posted"  # "not a hold, the bank says it's posted": news for the charge's case
CHARGE = "pay_charge"  # "i was double charged", no order: the charge answer, which asks for it
# With a charge taken twice on a case: "paid with paypal btw", "我是微信付的" (the way noted on
# the case, and where the extra goes back), "多扣的啥时候退" (when the duplicate comes back).
WAY_NOTED = "pay_way_noted"
MONEY_BACK = "pay_money_back"
# ... "will it go back on my card or as store credit", "退到哪 原路吗": where the extra goes.
MONEY_WHERE = "pay_money_where"
# Inside a charge to check (its answer just given, or its case open): "must i pay a second time?",
# "得再付一遍不" (not before the order is checked); "which ref does my bank want", "银行让我
# 提供啥" (the statement line: date, time, amount; the order number); a bare "?", "然后呢"
# (where the charge stands and what the customer does next).
PAY_AGAIN = "pay_again"
EVIDENCE = "pay_evidence"
WHERE_NOW = "pay_where_now"
DETAILS = (
    FAILED,
    NOT_CHARGED,
    CHECKS,
    OTHER_WAY,
    POSTED,
    CHARGE,
    WAY_NOTED,
    MONEY_BACK,
    MONEY_WHERE,
    PAY_AGAIN,
    EVIDENCE,
    WHERE_NOW,
)
FOLLOW_UPS = (PAY_AGAIN, EVIDENCE, WHERE_NOW)

# The slot that keeps which way failed (a key of ``WAYS``), from the turn it was answered.
FAILED_SLOT = "pay_failed"
# How many messages after a failed payment was answered a follow-up is still about it.
IN_PLAY_TURNS = 3
# The knowledge-base answers to a payment that would not go through (read as the problem
# in play when the FAQ gave them), and the way each is about.
FAILURE_ENTRIES = {"card-declined": "card", "wallet-declined": "wallet"}
# The knowledge-base entry on a payment gone wrong with money taken (a charge to check).
CHARGE_ENTRY = "payment-problem"
DUPLICATE_ENTRY = "duplicate-charge-refund"
# Money shown taken for a payment that placed no order: holds that drop off, nothing to ask.
NO_ORDER_ENTRY = "charge-no-order"
CHARGE_ENTRIES = (CHARGE_ENTRY, DUPLICATE_ENTRY, NO_ORDER_ENTRY)

# The ways to pay a customer names when one fails, most precise first (Huabei is inside
# Alipay: "支付宝的花呗" is Huabei). "card" and "wallet" are the generic ones.
_WAYS = (
    ("huabei", re.compile(r"花呗|(?<![a-z])hua ?bei(?![a-z])|ant credit", re.IGNORECASE)),
    ("alipay", re.compile(r"支付宝|(?<![a-z])ali ?pay(?![a-z])|余额宝", re.IGNORECASE)),
    (
        "wechat",
        re.compile(
            r"微信|(?<![a-z])(?:we ?chat(?: ?pay)?|weixin|wx ?pay)(?![a-z])|零钱", re.IGNORECASE
        ),
    ),
    ("paypal", re.compile(r"(?<![a-z])(?:pay ?pal+|paypla)(?![a-z])|贝宝", re.IGNORECASE)),
    ("applepay", re.compile(r"(?<![a-z])apple ?pay(?![a-z])|苹果支付", re.IGNORECASE)),
    (
        "googlepay",
        re.compile(r"(?<![a-z])(?:google ?pay|g ?pay)(?![a-z])|谷歌支付", re.IGNORECASE),
    ),
    (
        "card",
        re.compile(
            r"(?<![a-z])(?:(?:credit|debit|bank)?\s*cards?|visa|master ?card|amex|"
            r"american express)(?![a-z])|信用卡|银行卡|储蓄卡|借记卡|卡",
            re.IGNORECASE,
        ),
    ),
)
WALLETS = ("huabei", "alipay", "wechat", "paypal", "applepay", "googlepay")
# How a way is named in a reply ("if Alipay shows ...", "如果花呗里显示 ...").
WAY_NAMES = {
    "huabei": ("Huabei", "花呗"),
    "alipay": ("Alipay", "支付宝"),
    "wechat": ("WeChat Pay", "微信支付"),
    "paypal": ("PayPal", "PayPal"),
    "applepay": ("your bank", "银行卡"),
    "googlepay": ("your bank", "银行卡"),
    "card": ("your bank", "银行卡"),
    "wallet": ("your wallet", "钱包"),
}
# Where money sent back goes, by the way paid: a card payment in Apple Pay or Google Pay is
# refunded to the card behind it, and "your bank" would not say which ("paid with apple pay").
REFUND_NAMES = {
    **WAY_NAMES,
    "applepay": ("Apple Pay (the card in it)", "Apple Pay 绑定的银行卡"),
    "googlepay": ("Google Pay (the card in it)", "Google Pay 绑定的银行卡"),
    "card": ("your card", "您的银行卡"),
}
# A payment that would not go through ("keeps failing", "wont go through", "付不了",
# "一直提示失败", "报错"): no money taken.
_FAILED = re.compile(
    r"\b(?:fail(?:s|ed|ing|ure)?|fial\w*|faild|declin\w*|reject\w*|refused|denied|"
    r"errors?|erroring|errored|bounc\w*|unsuccessful|"
    r"won'?t (?:go through|work|let me pay|accept)|wont (?:go through|work|let me pay|accept)|"
    r"(?:doesn'?t|does not|didn'?t|did not|isn'?t|is not|not) (?:go(?:ing)? through|work(?:ing)?)|"
    r"can'?t (?:pay|use it|get it to work)|cant (?:pay|use it|get it to work)|"
    r"keeps? (?:saying|crashing|timing out)|not accepted)\b|"
    r"失败|不成功|没成功|付不了|付不上|付不出去|付不成|支付不了|用不了|被拒|拒绝|报错|出错|"
    r"提示错误|异常|转圈|卡住",
    re.IGNORECASE,
)
# Money said to be taken ("but i was charged", "the cash went out of my account", "came out of my
# account", "钱扣了", "卡里的钱少了一笔", "银行扣款了"): a charge, not a failed payment.
_TAKEN = re.compile(
    r"\b(?:i was|i got|i've been|ive been|i have been|got|been|was) (?:charged|billed|debited)\b|"
    r"\b(?:charged|billed|debited) (?:me|my)\b|\b(?:money|payment|amount|cash|funds) "
    r"(?:was |got |has been |is |still )?(?:taken|deducted|gone|withdrawn)\b|"
    r"\btook (?:the|my) money\b|\b(?:money|cash|funds|amount)\b[^.?!]{0,20}?\b(?:left|came out of|"
    r"went out of|gone from|out of|taken from|deducted from|missing from)\b[^.?!]{0,6}?"
    r"\b(?:my|the|our)\b|\b(?:deducted|debited|withdrawn|taken) from (?:my|the|our)\b|"
    r"\b(?:bank|account|card|statement)\b[^.?!]{0,25}?\bshows?\b[^.?!]{0,15}?"
    r"\b(?:the )?(?:money|amount|charge|payment) (?:gone|taken|out|deducted)\b|"
    r"(?:钱|款)(?:已经|都|却|还是|倒是)?(?:被)?扣(?:了|走了|走|掉了)(?![吗么没]|没有)|"
    r"扣了(?:我)?(?:钱|款)(?![吗么没])|(?:卡|账户|余额)里?的?钱(?:却|都|也)?(?:少了|没了)|"
    r"(?:银行|卡)(?:那边|上|里)?(?:却|已经|显示)?扣(?:款|钱)了",
    re.IGNORECASE,
)
# Asking whether money was taken ("was i charged?", "did it take the money or not", "any
# money gone out?", "扣钱了吗", "钱扣了没有啊", "那刚才扣钱没").
_CHARGED_ASKED = re.compile(
    r"\b(?:was|were|am|did|have|has|got|get)\s+(?:i|we|you|u|it|me)?\s*(?:been\s+)?"
    r"(?:charged|billed|debited|pay)\b|"
    r"\b(?:take|took|taken|deduct\w*)\b.{0,12}\b(?:money|payment|funds|cash)\b|"
    r"\b(?:money|payment|funds|cash)\b.{0,15}\b(?:taken|gone|go(?:ne)? out|left|deducted|"
    r"come out|came out|out of my)\b|"
    r"\bcharged or not\b|\bam i (?:going to be|gonna be) charged\b|"
    r"\b(?:wasn'?t|wasnt|was not|weren'?t|not|won'?t|wont|will not)\s+(?:be(?:en)?\s+)?"
    r"(?:charged|billed|debited)\b|"
    r"扣(?:了)?(?:我)?(?:钱|款|费)?(?:了)?(?:吗|么|嘛|没有?)(?!生成|下单|成功|到|收到)|"
    r"有没有扣|扣没扣|扣不扣|是不是扣|会不会(?:被)?扣|会扣(?:我)?(?:的)?(?:钱|款)|"
    r"(?:钱|款)(?:被)?(?:划|付)(?:出去|走)了?(?:吗|没)",
    re.IGNORECASE,
)
# The money or the limit said to be fine ("balance is fine tho", "i have enough credit on
# it", "额度是够的啊", "余额够的呀", "零钱里钱够的啊"): not what stopped it.
_FUNDS_FINE = re.compile(
    r"\b(?:balance|funds|credit|money|limit|card|account)\b[^.?!]{0,25}?"
    r"\b(?:is|are|'s|s|was|looks?)?\s*(?:totally |definitely |def |perfectly |all )?"
    r"(?:fine|ok|okay|enough|plenty|good|sufficient|not the (?:problem|issue))\b|"
    r"\b(?:have|got|has|there'?s|theres|there is) (?:enough|plenty(?: of)?|loads(?: of)?|"
    r"more than enough)\b|\benough (?:money|funds|credit|balance)\b|"
    r"\bnot (?:a|the) (?:balance|money|funds|limit|credit) (?:issue|problem)\b|"
    r"(?:额度|余额|零钱|钱|卡里|账户|账上)[^不没]{0,4}(?:够|足够|充足|没问题|有的是)|"
    r"(?:额度|余额|零钱|卡里|卡上|账户|账上)(?:里|上)?(?:都|也|明明|还)?有(?:钱|好几|几|很多|不少|\d)|"
    r"不是(?:额度|余额|钱)(?:的)?问题|有钱",
    re.IGNORECASE,
)
# Asking to pay another way ("can i pay another way then", "is there any other way i can
# pay", "换个方式付行不行", "那能用别的方式付吗", "换个付款方式可以不").
_OTHER_WAY = re.compile(
    r"\b(?:another|other|different|diff|alternative|else)\s+(?:way|method|option|payment)s?\b|"
    r"\bpay (?:some ?(?:other|thing else)|differently|with something else)\b|"
    r"\buse (?:something|anything) else\b|"
    r"(?:换|别的|其他|其它|另外)(?:一)?(?:个|种)?(?:方式|付款方式|支付方式|付法|办法|渠道)|"
    r"换个(?:支付|付款|付)|用别的(?:付|支付|方式)|换(?:一)?种(?:方式|支付|付款)",
    re.IGNORECASE,
)
# A refund ("支付宝退款失败"): its own answers, not a payment that would not go through.
_REFUND = re.compile(r"refund|money back|退款|退钱|退回", re.IGNORECASE)
# The money asked after, in other words ("the extra", "my money", "多扣的", "钱什么时候回来").
_MONEY_BACK = re.compile(
    r"\b(?:money|refund\w*|back|extra|rest|difference|cash|funds?|charge)\b|"
    r"退|回来|到账|返还|钱|多扣",
    re.IGNORECASE,
)
# The bank said to show the charge as posted, not a hold ("its not a pending thing, my bank
# says both went through", "不是预授权 银行说已经入账了", "显示已经入账了 不是冻结").
_POSTED = re.compile(
    r"\bnot (?:a |an |just a )?(?:pending|hold|authori[sz]ation|pre-?auth\w*|temporary)\b|"
    r"\b(?:isn'?t|wasn'?t|aren'?t|not) (?:pending|on hold)\b|"
    r"\b(?:both|2|two|they)\b.{0,25}\b(?:went through|gone through|cleared|posted|settled|"
    r"been taken|came out|completed)\b|"
    r"\b(?:posted|cleared|settled)\b|\bcompleted? (?:transaction|payment|charge)s?\b|"
    r"\b(?:transaction|payment|charge)s? (?:is |was |are |were |has |have )?(?:been )?"
    r"(?:completed?|final)\b|"
    r"\bnot (?:held|on hold|reserved|a temporary hold)\b|"
    # The money said gone from the account ("its gone from my account", "the money is
    # definitely taken", "it left my account"), or still there after the days a hold takes.
    r"\b(?:gone|left|out|missing|taken|deducted|withdrawn|came out) (?:from |of )?(?:my |the |our )"
    r"(?:account|card|bank|balance|statement)\b|"
    r"\b(?:definitely|actually|really|already|def|truly|100%) (?:been )?"
    r"(?:taken|gone|deducted|debited|withdrawn|paid out|charged)\b|"
    r"\b(?:it'?s|it has|it was|its|money'?s|money (?:has|was|is)|they'?ve|they have|both) "
    r"(?:been )?(?:taken|deducted|debited|withdrawn)\b|"
    r"\bstill (?:there|showing|on my (?:account|card|statement)|not (?:released|back|gone|dropped))"
    r"\b|\b(?:hasn'?t|has not|didn'?t|did not|never) (?:been )?(?:released|dropped off|dropped)\b|"
    r"不是(?:银行)?(?:的)?(?:预授权|冻结|预扣|临时)|入账|扣款成功|已经扣(?:了|走|掉)|两笔都|"
    r"真(?:的)?(?:被)?扣(?:了|走|掉)?|实扣|确实扣|(?:钱|款)(?:真的|确实|已经|都)?(?:被)?(?:扣走|划走|"
    r"扣掉|转走)|(?:钱|余额|卡里的钱)(?:真的|确实|都|已经)?(?:没了|少了)|已(?:经)?(?:出账|扣款)|"
    r"(?:还|仍然|依然|一直)?(?:是)?(?:没|没有)(?:释放|退回|解冻|回来)|(?:还|仍|仍然|依然)(?:在|挂着|显示着?)",
    re.IGNORECASE,
)


# Paying again asked ("must i pay a second time?", "should i try again", "do i need to reorder",
# "得再付一遍不", "还要再付一次吗", "要不要重新下单").
_PAY_AGAIN = re.compile(
    r"\b(?:pay|paying|buy|order|ordering|check ?out|checking out|try|trying|place (?:it|the order))"
    r"\b[^.?!]{0,15}?\b(?:again|once more|another time|a second time)\b|"
    r"\b(?:re-?pay|re-?order|re-?try|re-?submit)\b|\bpay (?:it )?(?:twice|for it twice)\b|"
    r"重新(?:付|支付|下单|买|拍|提交)|再(?:付|支付|下单|买|拍|交)(?:一次|一遍|一下)?|"
    r"还(?:要|得|需要)(?:再)?(?:付|交|支付)",
    re.IGNORECASE,
)
# What to give the shop or the bank ("which ref does my bank want", "what do you need
# from me", "what do i send you", "do you want a screenshot", "银行让我提供啥", "要提供啥",
# "需要截图吗", "流水要不要").
_EVIDENCE = re.compile(
    r"\b(?:reference|ref|proof|evidence|statement|screenshot|screen ?shot|transaction (?:id|number|"
    r"no))s?\b|\bwhat (?:do|should|shall|must|can) (?:i|we) (?:send|give|tell|show|provide|"
    r"say|quote)\b|\bwhat (?:do |does )?(?:you|u|they|the bank|my bank|the payments team) "
    r"(?:need|want)\b|\bwhat (?:info\w*|details?|documents?) \b|\bneed anything from me\b|"
    r"凭证|证明|截图|流水|账单|交易(?:号|单号|记录|编号)|(?:提供|发|给|准备)(?:你们|您|你|银行)?(?:什么|啥|哪些)|"
    r"(?:要|需要)(?:什么|啥|哪些)(?:信息|资料|材料|东西)|银行(?:那边)?(?:要|问)(?:我)?(?:什么|啥)",
    re.IGNORECASE,
)
# Only asking to go on ("?", "??", "so?", "and?", "hello?", "well?", "然后呢", "所以呢", "？").
_GO_ON = re.compile(
    r"^\s*(?:(?:so|and|well|hello|hello+|then|now what|and then|so what now|so now what|and now|"
    r"ok and|ok so)\s*)?[?？]+\s*$|^\s*(?:so|and|well|then|now what|and then|so what now|"
    r"so now what|what now)\s*[?？.]*\s*$|^\s*(?:然后呢|所以呢|那然后呢|然后|那现在呢|那咋办|"
    r"那怎么办|现在咋办|咋办|怎么办|那我咋办|那我怎么办)\s*[?？。]*\s*$",
    re.IGNORECASE,
)


# How often it was tried ("tried twice", "tried like 3 times", "试了好几次", "刷了两次都不行"):
# a detail of the failed payment in play, not a new problem nor a charge.
_TRIES = re.compile(
    r"\btried (?:it )?(?:again|twice|(?:like |about |maybe )?(?:\d+|two|three|four|five|"
    r"a few|several|a couple of|a couple|many|so many) times|"
    r"(?:a |another )?(?:few|couple of) times)\b|"
    r"\b(?:twice|\d+ times|(?:two|three|four|five|several|many) times) (?:now|already|in a row)\b|"
    r"试了(?:好|很)?(?:几|两|三|\d+|多)(?:次|遍)|(?:刷|付|试)了?(?:好|很)?(?:几|两|三|\d+|多)(?:次|遍)"
    r"(?:都|也|还是)?(?:不行|没用|失败|不成功)?|(?:又|再)试了",
    re.IGNORECASE,
)
# Intents the engine gives a charge reported in passing ("扣了两次钱但没下单成功" reads as
# praise to it): the charge's answer all the same.
_CHARGE_MISREAD = frozenset(
    {"ask_payment", FALLBACK, "feedback_positive", "feedback_negative", "chitchat", "out_of_scope"}
)


def failed_but_taken(text: str) -> bool:
    """True when the text says a payment failed and yet money was taken ("it said failed
    but the cash is gone", "付款没成功可钱没了"): a charge to check, never "a failed payment
    takes nothing"."""
    return (
        _FAILED.search(text) is not None
        and _TAKEN.search(text) is not None
        and _REFUND.search(text) is None
    )


def charge_in_play(turn: Turn) -> bool:
    """True when a charge to check is what the conversation is on: its answer given in the
    last turns, or the payment case the bot last spoke of (opened, updated, its status)."""
    subject = turn.dialogue.subject_in_play()
    if subject is not None and subject.entry in (*CHARGE_ENTRIES, *_CHARGE_ANSWERS):
        return True
    case = charge_case(turn)
    if case is None:
        return False
    if subject is not None and subject.case == case.number:
        return True
    newest = max(turn.context.open_cases, key=lambda c: c.opened_at)
    return newest.number == case.number and turn.dialogue.case == case.number


def follows_up_charge(turn: Turn) -> str | None:
    """What a message asks inside a charge to check (one of ``FOLLOW_UPS``), or None."""
    text = turn.message.text.strip()
    if not charge_in_play(turn) or turn.parse.orders:
        return None
    if _GO_ON.search(text):
        subject = turn.dialogue.subject_in_play()
        # Only right after the charge was answered: a bare "?" later is about what came since.
        return WHERE_NOW if subject is not None and subject.turn == turn.dialogue.turn - 1 else None
    if length(text) > 16:
        return None
    if _PAY_AGAIN.search(text) and (is_question(text) or length(text) <= 6):
        return PAY_AGAIN
    if _EVIDENCE.search(text) and (is_question(text) or _ASKS_WHAT.search(text)):
        return EVIDENCE
    return None


# A question put without its mark ("which ref does my bank want", "银行让我提供啥").
_ASKS_WHAT = re.compile(
    r"\bwhat\b|\bwhich\b|\bdo (?:you|u|i)\b|什么|啥|哪些|吗|么|嘛|不", re.IGNORECASE
)
# The answers of this module that keep a charge in play (see ``_follow_up``).
_CHARGE_ANSWERS = ("charge-again",)


def way_named(text: str) -> str | None:
    """The way to pay the text names (a key of ``WAY_NAMES``), the most precise first."""
    found = [
        (m.start(), i, key) for i, (key, words) in enumerate(_WAYS) if (m := words.search(text))
    ]
    if not found:
        return None
    wallets = [f for f in found if f[2] != "card"]
    return min(wallets or found, key=lambda f: f[1])[2]


def fails(text: str) -> bool:
    """True when the text says a payment would not go through, with no money said taken."""
    return (
        _FAILED.search(text) is not None
        and _TAKEN.search(text) is None
        and _REFUND.search(text) is None
        and not charge_to_check(text)
    )


def failed_way(turn: Turn) -> str | None:
    """The way of the failed payment this conversation is about, when one was answered in
    the last few messages: the wallet, "card", or "wallet" when the FAQ answered wallets
    in general; None when no failed payment is in play."""
    slot = turn.dialogue.slot(FAILED_SLOT)
    if slot is not None and slot.turn >= turn.dialogue.turn - IN_PLAY_TURNS:
        return slot.value
    subject = turn.dialogue.subject_in_play()
    if subject is not None and subject.entry in FAILURE_ENTRIES:
        return FAILURE_ENTRIES[subject.entry]
    return None


def reads(turn: Turn) -> str | None:
    """What the message does inside a payment problem (one of ``DETAILS``), or None."""
    text = turn.message.text.strip()
    if turn.parse.orders:
        return None
    named = way_named(text)
    in_play = failed_way(turn)
    if failed_but_taken(text) and charge_case(turn) is None:
        return CHARGE  # "it said failed but the cash is gone": a charge to check
    if named in WALLETS and fails(text):
        return FAILED  # "alipay keeps failing", "花呗付款一直失败"
    if _reports_charge(turn, text):
        return CHARGE
    if in_play is None:
        if _posted_news(turn, text):
            return POSTED
        return _on_charge_case(turn, text, named)
    if (
        _CHARGED_ASKED.search(text)
        and not charge_to_check(text)
        and (is_question(text) or _TAKEN.search(text) is None)
    ):
        return NOT_CHARGED
    if _OTHER_WAY.search(text) and named is None:
        return OTHER_WAY
    if named is not None and is_question(text) and asks_about_one(text):
        # "fine can i use a card instead", "花呗分期可以吗": whether that way works.
        return OTHER_WAY
    if _FUNDS_FINE.search(text) and not fails(text):
        return CHECKS
    if named in WALLETS and named != in_play and length(text) <= 8 and not is_question(text):
        # "用的花呗", "it was huabei" after the card answer: that wallet's answer.
        return FAILED
    if (named is not None or _TRIES.search(text)) and length(text) <= 10 and not is_question(text):
        # "its a visa, tried twice", "试了好几次了": more about the same failed payment, its
        # checks again (no case, no order asked for: there is none).
        return FAILED
    return None


def _on_charge_case(turn: Turn, text: str, named: str | None) -> str | None:
    """With a charge taken twice (or a cancellation, whose money goes back) on an open case:
    a way paid said as a detail ("paid with paypal btw", "我是微信付的"); with a charge, when
    the extra money comes back ("when do i see the money", "多扣的啥时候退", "钱什么时候回
    来"); not a failed payment, not a new charge."""
    if fails(text):
        return None
    said_way = named is not None and not is_question(text) and length(text) <= 10
    if said_way and (charge_case(turn) is not None or refund_case(turn) is not None):
        return WAY_NOTED
    if charge_case(turn) is None:
        return None
    if ASKS_WHEN.search(text) and _MONEY_BACK.search(text):
        return MONEY_BACK
    if refund_route.asks_where(text) or (_CREDIT_INSTEAD.search(text) and is_question(text)):
        return MONEY_WHERE
    return None


# Money back in another form than it was paid: "or as store credit?", "退成余额吗", "给优惠券吗".
_CREDIT_INSTEAD = re.compile(
    r"\bstore credit\b|\bcredit note\b|\bvouchers?\b|\bgift ?cards?\b|\bas credit\b|"
    r"\bsame (?:card|way|account)\b|原路|余额|购物金|代金券|优惠券|积分",
    re.IGNORECASE,
)


def _reports_charge(turn: Turn, text: str) -> bool:
    """True when the customer reports a charge to check ("i was double charged", "我的卡被
    扣了两次钱") as a payment question, with no order named and no charge case open: the
    charge's answer, which asks for the order number to put it on a case (not how long a
    duplicate takes to come back, the nearest entry to "double")."""
    return (
        # ("why did i get charged 2 times" is sometimes beyond the engine: the words say it.)
        (turn.parse.intent in _CHARGE_MISREAD or _says_no_order(turn, text))
        and charge_to_check(text)
        # How long, or when: asked of a charge, the duplicate's timing, not a charge reported.
        and ASKS_WHEN.search(text) is None
        and charge_case(turn) is None
    )


def _says_no_order(turn: Turn, text: str) -> bool:
    """True when a charge is said to have placed no order ("charged twice but no order", "扣了
    两次钱但没下单成功"): the words the hold's entry needs (faq.yml, charge-no-order)."""
    entry = turn.deps.knowledge.entry(NO_ORDER_ENTRY)
    return entry is not None and bool(entry.needs) and entry.fits(text)


def _posted_news(turn: Turn, text: str) -> bool:
    """True when the customer says the bank shows a charge taken twice as posted, with the
    charge's case open or its answer just given."""
    if _POSTED.search(text) is None or is_question(text, auxiliaries=False):
        # ("退款入账了吗" asks after the money, it tells nothing new; "the money is
        # definitely taken" tells.)
        return False
    subject = turn.dialogue.subject_in_play()
    if subject is not None and subject.entry in CHARGE_ENTRIES:
        return True
    return any(case_kind(case) == "payment" for case in turn.context.open_cases)


def one_request(text: str) -> bool:
    """True when a message of several clauses tells one payment problem ("884201这单扣了我
    两次款 用的支付宝", "微信支付付不了啊 一直提示失败"): the way paid is part of it."""
    if failed_but_taken(text):
        return True  # "提示付款失败 钱倒是扣走了": one charge to check
    return (charge_to_check(text) or fails(text)) and way_named(text) is not None


async def answer(turn: Turn, detail: str) -> list[Reply]:
    """The answer for what the message does inside the payment problem."""
    if detail == POSTED:
        return await _posted(turn)
    knowledge = turn.deps.knowledge
    if detail == WAY_NOTED:
        return await _way_noted(turn)
    if detail == MONEY_WHERE:
        case = charge_case(turn)
        if case is not None:
            turn.outcome.case = case.number
            turn.answered_from(DUPLICATE_ENTRY, shown=False, case=case.number)
            return [turn.reply("charge_money_where", number=case.number)]
    if detail == MONEY_BACK:
        duplicate = knowledge.entry(DUPLICATE_ENTRY)
        if duplicate is None:
            return await inquiry.answer(turn)
        return await answer_from(turn, duplicate)
    if detail in FOLLOW_UPS:
        return [await _follow_up(turn, detail)]
    if detail == CHARGE:
        no_order = _says_no_order(turn, turn.message.text)
        charge = knowledge.entry(NO_ORDER_ENTRY if no_order else CHARGE_ENTRY)
        return await inquiry.answer(turn) if charge is None else await answer_from(turn, charge)
    way = way_named(turn.message.text) if detail == FAILED else None
    first = failed_way(turn) is None
    way = way or failed_way(turn) or "card"
    # The problem stays in play for the next messages, with its way.
    turn.outcome.slots[FAILED_SLOT] = way
    turn.answered_from("card-declined" if way == "card" else "wallet-declined", shown=False)
    zh = turn.language == "zh"
    name = WAY_NAMES[way][1 if zh else 0]
    if detail == FAILED:
        return [_failed(turn, way, first=first)]
    if detail == NOT_CHARGED:
        return [turn.reply("pay_failed_not_charged", way=name)]
    if detail == CHECKS:
        return [turn.reply(f"pay_checks_{way}")]
    entry = knowledge.entry(METHODS_ENTRY)
    if entry is None:
        return [turn.reply("pay_other_way_kept", methods="")]
    one_way = pay_ways.answer(turn, entry.answer("en"), entry.answer(turn.language))
    if one_way is not None:
        return [Reply(one_way)]  # "can i use a card instead": yes or no, from the ways taken
    return [turn.reply("pay_other_way_kept", methods=ways_listed(entry.answer(turn.language)))]


async def _follow_up(turn: Turn, detail: str) -> Reply:
    """Paying again, what to send, or where it stands, inside a charge to check: from its
    case when one is open (the customer's words kept on it), else the charge's own steps;
    the charge stays the subject for what is asked next."""
    case = charge_case(turn)
    key = {PAY_AGAIN: "charge_pay_again", EVIDENCE: "charge_evidence", WHERE_NOW: "charge_where"}[
        detail
    ]
    if case is None:
        turn.answered_from(CHARGE_ENTRY, shown=False)
        return turn.reply(key)
    line = turn.message.text.strip()
    if detail != WHERE_NOW and line:
        await turn.deps.cases.update(case.number, summary=f"{case.summary}\n{line}".strip())
    turn.outcome.case = case.number
    turn.answered_from(CHARGE_ENTRY, shown=False, case=case.number)
    return turn.reply(f"{key}_case", number=case.number)


def _failed(turn: Turn, way: str, *, first: bool) -> Reply:
    """The failed way's answer (why, what to try); the first time, a person offered beside
    it, not brought in: a payment that won't go through is no case until the customer wants
    one (and "ill use my card then" next is only the card's answer)."""
    answer = turn.reply(f"pay_failed_{way}")
    if not first:
        return answer
    offer = turn.offer_human("pay_failed_person")
    return Reply(f"{answer.text}\n\n{offer.text}", buttons=offer.buttons)


async def _way_noted(turn: Turn) -> list[Reply]:
    """The way paid, on the charge's case (the payments team refunds the extra that way),
    and where the extra payment goes back; "how long" next is the duplicate's timing. On a
    cancellation's case: where its refund goes and how long that way takes."""
    case = charge_case(turn)
    way = way_named(turn.message.text) or "card"
    name = REFUND_NAMES[way][1 if turn.language == "zh" else 0]
    if case is None:
        refund = refund_case(turn)
        if refund is None:
            return await inquiry.answer(turn)
        # The customer's words on the case, and the way read from them as the bot's note.
        line = turn.message.text.strip()
        await turn.deps.cases.update(refund.number, summary=f"{refund.summary}\n{line}".strip())
        await turn.deps.cases.add_note(
            refund.number, author="bot", text=f"Refund to go back to: {REFUND_NAMES[way][0]}"
        )
        turn.outcome.case = refund.number
        turn.answered_from(_REFUND_ENTRIES.get(way, "refund-card"), shown=False)
        when = turn.say(f"refund_when_{way if way in _REFUND_WHEN else 'card'}")
        return [turn.reply("refund_way_noted", number=refund.number, way=name, when=when)]
    turn.outcome.case = case.number
    line = turn.message.text.strip()
    await turn.deps.cases.update(case.number, summary=f"{case.summary}\n{line}".strip())
    turn.answered_from(DUPLICATE_ENTRY, shown=False, case=case.number)
    return [turn.reply("charge_way_noted", number=case.number, way=name)]


async def _posted(turn: Turn) -> list[Reply]:
    """The bank shows the charge as posted: on the charge's case, which moves on (the extra
    payment refunded, no wait for a hold); without a case, the order number to open one."""
    case = charge_case(turn)
    if case is None:
        turn.ask(Asked(Question.ORDER_NUMBER, purpose=Purpose.PAYMENT))
        return [turn.reply("payment_posted_need_order")]
    turn.outcome.case = case.number
    line = turn.message.text.strip()
    await turn.deps.cases.update(case.number, summary=f"{case.summary}\n{line}".strip())
    turn.answered_from(CHARGE_ENTRY, shown=False, case=case.number)
    return [turn.reply("payment_posted_noted", number=case.number)]


# Each way's refund entry in faq.yml (how long the refund takes to show that way).
_REFUND_ENTRIES = {
    "huabei": "refund-huabei",
    "alipay": "refund-alipay",
    "wechat": "refund-wechat",
    "paypal": "refund-paypal",
    "applepay": "refund-card",
    "googlepay": "refund-card",
    "card": "refund-card",
}
# The ways with their own refund timing in responses.yml (``refund_when_<way>``); a card in
# Apple Pay or Google Pay is refunded to the card, on the card's timing.
_REFUND_WHEN = ("huabei", "alipay", "wechat", "paypal", "card")
# Cases whose outcome is money sent back the way the customer paid.
_REFUND_KINDS = ("cancellation",)


def refund_case(turn: Turn) -> Case | None:
    """The customer's open case whose outcome is a refund (a cancellation, a refund that has
    not come), the newest."""
    cases = [
        c
        for c in turn.context.open_cases
        if case_kind(c) in _REFUND_KINDS or _REFUND.search(c.reason or "") is not None
    ]
    return max(cases, key=lambda c: c.opened_at) if cases else None


def charge_case(turn: Turn) -> Case | None:
    """The customer's open case about a payment (a charge to check), the newest."""
    payment = [c for c in turn.context.open_cases if case_kind(c) == "payment"]
    if payment:
        return max(payment, key=lambda c: c.opened_at)
    return None
