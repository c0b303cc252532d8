"""How our people or channels treated the customer: a complaint, whatever channel it names."""

from __future__ import annotations

import re

from handlers.questions import is_question
from handlers.turn import Turn

# Who or what served them: a member of staff, or a call, a chat, an e-mail ("the woman on the
# phone", "your agent in the chat", "the guy at customer service", "电话里那个客服", "在线客服").
_WHO = re.compile(
    r"\b(?:agents?|reps?|representatives?|advis[oe]rs?|operators?|staff|employees?|"
    r"colleagues?|(?:wo)?man|lady|ladies|guy|girl|bloke|chap|person (?:i|we) (?:spoke|talked|"
    r"chatted|dealt)|customer (?:service|support|care)|call ?(?:cent(?:re|er))|"
    # (A call, not "phone" alone: "the phone stand is useless" is about a product.)
    r"(?:on|over|by|down) the (?:phone|line)|phone ?calls?|phoned|call|calls|called|rang|"
    r"hotline|helpline|chat|live chat|e-?mails?|e-?mailed)\b|"
    r"客服|电话|聊天|在线|人工|邮件|那个人|那人|工作人员|小姐姐|小哥|接线员|店员|售后",
    re.IGNORECASE,
)
# How they were treated, said as what happened: hung up on, rude, ignored, cut off, left on
# hold, never answered ("挂我电话", "态度很差", "不耐烦", "没人回", "根本不听").
_TREATED = re.compile(
    r"\b(?:hung up|hang up|hangs up|cut (?:me )?off|got cut off|rude|impolite|unhelpful|"
    r"useless|dismissive|condescending|patroni[sz]ing|sarcastic|arrogant|unprofessional|"
    r"shouted|yelled|swore|laughed at me|lied|ignored|ignoring|"
    r"(?:no ?one|nobody|no body|noone) (?:ever )?(?:answered|replied|responded|got back|called|"
    r"rang|picked up)|"
    r"never (?:answered|replied|responded|got back|called (?:me|back)|rang (?:me|back)|picked up)|"
    r"(?:didn'?t|did not|wouldn'?t|would not) (?:answer|reply|respond|help|"
    r"listen|let me|call back|ring back|get back)|(?:closed|ended|left) the chat|"
    r"(?:on hold|kept me waiting) for|attitude)\b|"
    r"态度(?:很|太|特别|非常|极其|真)?(?:差|恶劣|不好|烂|冷淡|敷衍)|挂(?:了)?(?:我)?(?:的)?电话|挂断|"
    r"不耐烦|骂人|骂我|凶我|吼我|敷衍|爱答不理|不理人|不理我|没人理|没人回|都没回|一直没回|"
    r"没人联系|不回复|"
    r"不听我|根本不听|踢皮球|推来推去|推给|忽悠|骗我|甩锅|说话(?:很|太|特别)?冲|不专业|一问三不知",
    re.IGNORECASE,
)
# The assistant itself ("this bot is useless"): a remark about the bot, read elsewhere.
_ELSE = re.compile(r"\bbot\b|机器人", re.IGNORECASE)


def complained(text: str) -> bool:
    """True when the message tells how a person, a call, a chat or an e-mail of ours treated
    the customer ("the lady i phoned just hung up on me", "the agent in your live chat was
    really rude", "打客服电话 对方态度特别差", "发了好几封邮件都没人回"): a complaint about
    our service, whose channel word is part of the story, not a question about the phone
    line or the e-mail."""
    return (
        _WHO.search(text) is not None
        and _TREATED.search(text) is not None
        and _ELSE.search(text) is None
    )


# More of the story: when, where, who ("it was yesterday at about 3pm", "he was called Tom",
# "at the London store", "是昨天下午打电话的时候", "在北京店 一个男的", "工号1234").
_STORY = re.compile(
    r"\b(?:yesterday|today|this (?:morning|afternoon|evening)|last (?:night|week|\w+day)|"
    r"on (?:mon|tues|wednes|thurs|fri|satur|sun)day|at (?:about |around )?\d|\d ?(?:am|pm)|"
    r"(?:his|her|their) name|(?:was |were )?(?:called|named)|he|she|they|him|guy|lady|man|"
    r"woman|store|shop|branch|counter|phone|call|chat|e-?mail|ref(?:erence)?|badge|id)\b|"
    r"昨天|今天|前天|上午|下午|中午|晚上|早上|上周|\d+点|点钟|店|门店|柜台|男的|女的|小哥|小姐姐|"
    r"名字|叫|工号|电话|在线|聊天|邮件|那个人|他|她",
    re.IGNORECASE,
)


def tells_more(turn: Turn) -> bool:
    """True for more of the story right after a complaint about how our people treated the
    customer ("he was called Tom, at the London store", "是昨天下午打电话的时候", "在北京店
    一个男的"): a detail for that case, not the phone line its words name, nor out of
    scope. A question, or a person asked for, is a request of its own."""
    text = turn.message.text
    case = next((c for c in turn.context.open_cases if c.number == turn.dialogue.case), None)
    if case is None or not complained(case.reason) or is_question(text):
        return False
    return _STORY.search(text) is not None
