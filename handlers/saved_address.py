"""The address saved on the account, told apart from one order's delivery address."""

from __future__ import annotations

import re

from crm_memory import Case
from handlers.context import NEW_ADDRESS
from handlers.turn import Turn
from handlers.types import Reply

DETAIL = "saved_address"
AUTHOR = "bot"
WISH_NOTE = "Customer also wants the account's saved address changed:"
# The account's address named: "the address on my account", "my saved address", "default
# address", "for future orders", "账户里的地址", "默认地址", "以后的订单也用这个地址".
_ACCOUNT_ADDRESS = re.compile(
    r"\b(?:account|profile|saved|default|stored|registered|billing)\b[^.?!]{0,25}\baddress(?:es)?\b|"
    r"\baddress(?:es)?\b[^.?!]{0,25}\b(?:on|in|of) (?:my|the) (?:account|profile)\b|"
    r"\baddress(?:es)?\b[^.?!]{0,20}\bon file\b|\baddress book\b|"
    r"\baddress\b[^.?!]{0,30}\b(?:future|next|all my|every) orders?\b|"
    r"\b(?:future|next|all my|every) orders?\b[^.?!]{0,30}\baddress\b|"
    r"(?:账户|账号|帐号|帐户|个人资料|个人信息|个人中心|会员)(?:里|上|中|里面|的)?[^。？！]{0,6}地址|"
    r"(?:默认|常用|保存的|存的)(?:的)?(?:收货)?地址|地址簿|"
    r"以后(?:的)?(?:订单|下单|买东西|都)[^。？！]{0,10}地址|地址[^。？！]{0,8}以后(?:的)?(?:订单|下单|都)",
    re.IGNORECASE,
)
# An address that is no place: "a new email address", "邮箱地址", "IP address".
_OTHER_ADDRESS = re.compile(
    r"\b(?:e-?mail|mail|ip|web|wallet)\s+address(?:es)?\b|(?:邮箱|邮件|电邮|网页|网站)地址",
    re.IGNORECASE,
)
# The account named alone: "my profile", "the account", "账户", "个人资料".
_PROFILE = re.compile(
    r"\b(?:my|the) (?:account|profile)\b|账户|账号|帐号|帐户|个人资料|个人信息|个人中心",
    re.IGNORECASE,
)
# The case that holds an order's new delivery address (handlers/escalation.py writes it).
_ORDER_ADDRESS = re.compile(r"^New delivery address: ", re.MULTILINE)


def asks(turn: Turn) -> bool:
    """True for "put the new one on my profile as well", "update my saved address as well",
    "账户里的地址也一起改了吧", "默认地址也换成这个": the account's address, not one more
    delivery instruction for the driver nor the order's change again."""
    text = _OTHER_ADDRESS.sub(" ", turn.message.text)
    if _ACCOUNT_ADDRESS.search(text) is not None:
        return True
    # Right after an order's new address: "put it on my profile as well", "账户里也改一下".
    return turn.dialogue.topic == NEW_ADDRESS and _PROFILE.search(text) is not None


def _address_case(turn: Turn) -> Case | None:
    """The open case this conversation passed an order's new delivery address to, if any."""
    for case in turn.context.open_cases:
        if case.number == turn.dialogue.case and _ORDER_ADDRESS.search(case.summary or ""):
            return case
    return None


async def answer(turn: Turn) -> list[Reply]:
    """Where the account's addresses are changed (by the customer: the shop's API cannot),
    and, when an order's new address was just passed on, that it stands on its case; the
    wish noted there for the team."""
    case = _address_case(turn)
    line = turn.say("saved_address_where")
    if case is None:
        return [Reply(line)]
    await turn.deps.cases.add_note(
        case.number,
        author=AUTHOR,
        text=f"{WISH_NOTE} {turn.message.text.strip()}",
    )
    turn.outcome.case = case.number
    space = "" if turn.language == "zh" else " "
    return [Reply(f"{line}{space}{turn.say('saved_address_order', number=case.number)}")]
