"""An account someone else got into: the security steps, and an urgent case handed to people."""

from __future__ import annotations

import re

from crm_memory import CaseKind, Priority
from handlers import escalation
from handlers.turn import Turn
from handlers.types import Reply

# The detail of a Reading for an account taken over.
DETAIL = "account_taken_over"
# What the case says why it exists.
REASON = "account compromised"

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
    r"\bsafe from\b|\bprotect (?:my|the) account\b|如果|万一|怎么防|防止",
    re.IGNORECASE,
)


def taken_over(text: str) -> bool:
    """True when the customer tells of someone else in their account (hacked, a sign-in or a
    changed e-mail or password that was not them), not when they ask how to keep it safe."""
    return _TAKEN_OVER.search(text) is not None and _HYPOTHETICAL.search(text) is None


async def answer(turn: Turn) -> list[Reply]:
    """What to do now to lock the intruder out, then an urgent case handed to a person (the
    account team checks the sign-ins, undoes the changes, and stops orders placed by them).
    A case already open about it is the one handed over, not a second."""
    cases = turn.deps.cases
    steps = turn.reply("account_security_steps")
    existing = next((c for c in turn.context.open_cases if c.reason == REASON), None)
    if existing is None:
        case = await cases.open(
            customer_id=turn.customer_id,
            kind=CaseKind.ESCALATION,
            priority=Priority.URGENT,
            reason=REASON,
            summary=" ".join(turn.message.text.split()),
        )
        turn.outcome.case = case.number
    else:
        turn.outcome.case = existing.number
    return [steps, *await escalation.request_human(turn, reason=REASON)]
