"""An account someone else got into: the security steps, and an urgent case handed to people."""

from __future__ import annotations

import re

from crm_memory import Case, CaseKind, Priority
from handlers import escalation
from handlers.cases import case_state
from handlers.clauses import clauses
from handlers.turn import Turn
from handlers.types import Reply

# The detail of a Reading for an account taken over.
DETAIL = "account_taken_over"
# What the case says why it exists.
REASON = "account compromised"
# The detail of a Reading for more about the account while its takeover case is open.
MORE = "account_taken_over_more"

# Someone else in the account, or its sign-in changed behind the customer's back: "my account
# got hacked", "somebody got into my acc and swapped the email on it", "password was
# changed and it wasn't me", "我的帐号好像被人盗了", "有人登了我的号 还改了密码",
# "账户被别人改了邮箱".
_TAKEN_OVER = re.compile(
    r"\b(?:hacked|compromised|hijacked)\b|"
    r"\b(?:account|acc|acct|login|profile)\b[^.?!]{0,20}\b(?:stolen|taken over|broken into)\b|"
    r"\b(?:someone|somebody|some ?one|a stranger|some random|another person|someone else)\b"
    r"[^.?!]{0,40}\b(?:log(?:ged)? ?in(?:to)?|sign(?:ed)? ?in(?:to)?|got in(?:to)?|accessed|"
    r"broke into|using|changed|ordered|bought|placed (?:an )?orders?)\b[^.?!]{0,30}"
    r"\b(?:my (?:account|acc|acct|login|email|e-mail|password|pw|details|address)|"
    r"(?:the|my) account)\b|"
    r"\b(?:email|e-mail|password|pw|phone number|address|login)\b[^.?!]{0,30}"
    r"\b(?:changed|reset)\b[^.?!]{0,30}"
    r"(?:\bnot (?:by )?me\b|\bwasn'?t me\b|\bdidn'?t (?:do|change|ask|request)\b|"
    r"\bwithout (?:me|my)\b|\bby someone\b|\bsomeone else\b)|"
    r"\b(?:unauthori[sz]ed|suspicious|unknown|strange) (?:log ?-?ins?|sign ?-?ins?|access|"
    r"activity|orders?)\b[^.?!]{0,30}\b(?:account|acc)\b|"
    r"\b(?:account|acc)\b[^.?!]{0,30}\b(?:unauthori[sz]ed|suspicious|unknown|strange) "
    r"(?:log ?-?ins?|sign ?-?ins?|access|activity|orders?)\b|"
    r"(?:账号|账户|帐号|帐户|号)(?:好像|可能|估计|应该|怕是|是不是)?(?:被|让|给)(?:人|别人)?(?:盗|黑|偷|盗用|盗号|登|改)|被盗号|盗号|"
    r"(?:有人|别人|陌生人)[^。？！?!]{0,12}(?:登录|登陆|登了|登上|进了|用了|改了)[^。？！?!]{0,12}"
    r"(?:账号|账户|帐号|帐户|号|密码|邮箱|手机号|地址)|"
    r"(?:密码|邮箱|手机号|绑定)[^。？！?!]{0,8}(?:被改|被人改|被换|被别人)|"
    r"(?:不是我|我没)[^。？！?!]{0,8}(?:改|登录|登陆|下单)[^。？！?!]{0,8}(?:密码|邮箱|账号|账户|订单)|"
    r"(?:异常登录|陌生(?:设备)?登录|异地登录)",
    re.IGNORECASE,
)
# "how do hackers get passwords", "is my account safe from hacking": no account taken (yet).
_HYPOTHETICAL = re.compile(
    r"\b(?:if|in case|what happens if|how (?:do|can|would))\b[^.?!]{0,25}\b(?:hack|someone)|"
    r"\bsafe from\b|\bprotect (?:my|the) account\b|\bkeep\b[^.?!]{0,20}\bsafe\b|"
    r"\bin (?:the )?future\b|\bnext time\b|如果|万一|怎么防|防止|以后|今后|下次",
    re.IGNORECASE,
)


# The customer asks for their account to be locked: "can you freeze my account", "pls block my
# acc", "帮我冻结账号", "把我的号先锁了" (not "my account is locked", "账号被锁了": the sign-in).
_LOCK_ASKED = re.compile(
    r"\b(?:lock|freeze|block|suspend|disable|deactivate)\b(?! ?out)\s+(?:(?:my|the|our)\s+)?"
    r"(?:account|acc|acct|login|profile)\b|"
    r"(?:冻结|锁定|锁住|锁一下|封掉|封了|停用)(?:一下)?(?:我的|我)?(?:账号|账户|帐号|帐户|号)|"
    r"把(?:我的|我)?(?:账号|账户|帐号|帐户|号)(?:先)?(?:冻结|锁|封|停用)",
    re.IGNORECASE,
)
# Why the case of a lock asked for exists.
LOCK_REASON = "account lock requested"


def asks_lock(text: str) -> bool:
    """True when the customer asks us to lock or freeze their account."""
    return _LOCK_ASKED.search(text) is not None and _HYPOTHETICAL.search(text) is None


def taken_over(text: str) -> bool:
    """True when the customer tells of someone else in their account (hacked, a sign-in or a
    changed e-mail or password that was not them), not when they ask how to keep it safe."""
    return _TAKEN_OVER.search(text) is not None and _HYPOTHETICAL.search(text) is None


async def answer(turn: Turn) -> list[Reply]:
    """What to do now to lock the intruder out, then an urgent case handed to a person (the
    account team checks the sign-ins, undoes the changes, and stops orders placed by them).
    A case already open about it is the one handed over, not a second."""
    cases = turn.deps.cases
    lock = asks_lock(turn.message.text) and not taken_over(turn.message.text)
    steps = turn.reply("account_lock_request" if lock else "account_security_steps")
    case = takeover_case(turn)
    if case is None:
        case = await cases.open(
            customer_id=turn.customer_id,
            kind=CaseKind.ESCALATION,
            priority=Priority.HIGH if lock else Priority.URGENT,
            reason=LOCK_REASON if lock else REASON,
            summary=" ".join(turn.message.text.split()),
        )
    turn.outcome.case = case.number
    return [steps, *await escalation.request_human(turn, reason=case.reason)]


# Their money: "was my card used?", "should i call my bank", "信用卡会被盗刷吗", "要不要联系银行".
_CARD = re.compile(
    r"\b(?:card|bank|payments?|charged?|paypal)\b|银行|信用卡|扣款|扣钱|扣了|盗刷|支付",
    re.IGNORECASE,
)
# About the account, while its takeover case is open: signing in, its e-mail or password, the
# reset link, a lock, orders placed by the intruder: "the email was changed too i cant even log
# in", "the reset goes to their email", "can you lock it", "邮箱也被改了 登不上去了", "能先冻结吗".
_ABOUT_ACCOUNT = re.compile(
    r"\b(?:log ?-?in|logging in|logged (?:in|out)|sign ?-?in|signing in|get in(?:to)?|"
    r"password|pw|passcode|e-?mail|reset|lock(?:ed)?|freeze|frozen|block|suspend|disable|"
    r"account|acc|acct|profile|verification|code|2fa|two.factor|otp)\b|"
    r"\borders?\b[^.?!]{0,30}\b(?:didn'?t|did not|never|wasn'?t me|not mine|not me)\b|"
    r"\b(?:didn'?t|did not|never)\b[^.?!]{0,15}\b(?:order(?:ed)?|placed?|buy|bought|make|made)\b|"
    r"登录|登陆|登不上|登不进|进不去|密码|邮箱|验证码|冻结|锁|封号|封掉|停用|账号|账户|帐号|帐户|"
    r"陌生订单|不是我下|我没下|没买过|" + _CARD.pattern,
    re.IGNORECASE,
)
# Asks for the account to be stopped for now: "can you lock it", "freeze my account pls",
# "block them", "先帮我冻结账号", "把号锁了", "封掉".
_LOCK = re.compile(
    r"\b(?:lock|freeze|block|suspend|disable|deactivate|shut)\b(?! ?out)|"
    r"冻结|(?<!被)锁(?:了|住|定|一下)?(?:账号|账户|帐号|号)?|封号|封掉|停用",
    re.IGNORECASE,
)
# Can't get back in on their own, because the sign-in now goes to the intruder: "cant even log
# in", "the reset link goes to their email", "forgot password doesnt work", "登不上去",
# "收不到验证码".
_LOCKED_OUT = re.compile(
    r"\b(?:can'?t|cannot|can not|unable to|won'?t let me|not able to)\b[^.?!]{0,15}"
    r"\b(?:log|sign|get) ?in\b|\blocked out\b|\breset\b|\bforgot(?:ten)? (?:my )?password\b|"
    r"\b(?:email|e-mail|password|pw)\b[^.?!]{0,25}\b(?:changed|different|not mine|theirs)\b|"
    r"登不上|登不进|登录不了|登陆不了|进不去|上不去|收不到验证码|重置|找回密码|忘记密码|"
    r"(?:邮箱|密码|手机号)[^。？！?!]{0,6}(?:被改|改了|换了|不是我的)",
    re.IGNORECASE,
)

# Orders the intruder placed: "theres an order i never placed", "that headphones order isnt mine",
# "有个订单不是我下的", "多了个陌生订单".
_NOT_MY_ORDER = re.compile(
    r"\borders?\b[^.?!]{0,30}\b(?:didn'?t|did not|never|wasn'?t me|not mine|isn'?t mine|not me)\b|"
    r"\b(?:didn'?t|did not|never)\b[^.?!]{0,15}\b(?:order(?:ed)?|placed?|buy|bought|make|made)\b|"
    r"陌生订单|不是我下|我没下|没买过|订单[^。？！?!]{0,8}不是我",
    re.IGNORECASE,
)


def takeover_case(turn: Turn) -> Case | None:
    """The customer's open case about their account being taken over (else one about a lock
    they asked for), if any."""
    cases = [c for c in turn.context.open_cases if c.reason in (REASON, LOCK_REASON)]
    return next((c for c in cases if c.reason == REASON), cases[0] if cases else None)


# What the customer does with their own account, asked how, that its FAQ answers: "then i want
# to change my password", "我要改密码", "how do i close my account", "我想注销账号".
_OWN_TASK = re.compile(
    r"\b(?:delete|close|remove|cancel|deactivate)\b[^.?!]{0,10}\b(?:my )?(?:account|acc|acct)\b|"
    r"注销",
    re.IGNORECASE,
)
# Changing the password themselves: "then i want to change my password", "那我先改个密码 怎么改".
_CHANGE_PASSWORD = re.compile(
    r"\b(?:change|update|set|pick|choose|new)\b[^.?!]{0,15}\b(?:password|pw|passcode)\b|"
    r"(?:改|修改|换|重设|设置)(?:一下|个|下)?(?:新)?密码",
    re.IGNORECASE,
)


def more_on_takeover(turn: Turn) -> bool:
    """True for more about the account ("the email was changed too", "can you lock it", "登不上
    去了") while its takeover case is open: the case's business, not the sign-in FAQ, whose
    "use Forgot password" would send the link to the intruder's address."""
    text = turn.message.text
    case = takeover_case(turn)
    return (
        case is not None
        and case.reason == REASON  # a lock asked for alone: the sign-in FAQ still holds
        and _HYPOTHETICAL.search(text) is None
        and (_ABOUT_ACCOUNT.search(text) is not None or _TAKEN_OVER.search(text) is not None)
        # ("我想注销账号", "how do i close my account": how, from the FAQ, unless the sign-in
        # is theirs now and only the team can help.)
        and not (_OWN_TASK.search(text) and not _LOCKED_OUT.search(text))
    )


def one_request(turn: Turn) -> bool:
    """True when every part of the message is about the account taken over ("有人登了我的号
    还改了密码", "hacked. cant log in, email changed"): one story for its case, not a sign-in
    question beside it."""
    text = turn.message.text
    if not (taken_over(text) or more_on_takeover(turn)):
        return False
    return all(_ABOUT_ACCOUNT.search(p) or _TAKEN_OVER.search(p) for p in clauses(text))


# What the customer says about the account, first match: the note on the case and the reply.
# (An order they did not place before their card: "an order i never made on my card".)
_SAID = (
    (_LOCK, "Customer asks for the account to be locked", "account_lock_asked"),
    (_LOCKED_OUT, "Customer is locked out of the account", "account_takeover_locked_out"),
    (_CHANGE_PASSWORD, "Customer is changing the password", "account_takeover_password"),
    (_NOT_MY_ORDER, "Customer did not place an order", "account_takeover_order"),
    (_CARD, "Customer asks about their card or bank", "account_takeover_card"),
)


async def more(turn: Turn) -> list[Reply]:
    """What the customer adds about the account goes on its takeover case, and the reply answers
    it: a lock asked for is passed on as the team's first step; locked out (the e-mail changed,
    the reset going elsewhere) is the team's to undo once they know it's the customer, not
    "Forgot password"; anything else is noted. Where the case stands is said each time."""
    case = takeover_case(turn)
    if case is None:  # pragma: no cover - more_on_takeover checked it
        return await answer(turn)
    line = " ".join(turn.message.text.split())
    turn.outcome.case = case.number
    state = case_state(turn, case)
    note, key = next(
        ((note, key) for words, note, key in _SAID if words.search(line)),
        ("Customer adds", "account_takeover_added"),
    )
    await turn.deps.cases.add_note(case.number, author="bot", text=f"{note}: {line}")
    replies = [turn.reply(key, number=case.number, state=state)]
    if escalation.team_away(turn) and case.owner is None:
        when = escalation.back_at(turn)
        replies.append(turn.reply("human_already_away", number=case.number, when=when))
    return replies
