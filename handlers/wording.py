"""Words several behaviours read the same way: money, sending an order back, the manual."""

from __future__ import annotations

import re

# Asking after money: "i want my money back", "钱怎么退", "when do I get the extra back".
# (Not "付款" paying, nor "款式" a style.)
MONEY = re.compile(
    r"\bmoney\b|refund|\bpaid\b|\bextra\b.{0,10}\bback\b|钱|(?<!付)款(?!式)|退回", re.IGNORECASE
)
# The customer has sent something back: the returns refund applies.
SENT_BACK = re.compile(
    r"\bsent (?:it |them |this |mine |the \w+ )?back\b|\breturned\b|\bposted (?:it )?back\b|"
    r"\bdropped (?:it )?off\b|寄回|退回去|寄走了|退货|已经退了",
    re.IGNORECASE,
)
# Sending something back, done or wanted: "I want to send back the coffee machine".
RETURN = re.compile(
    r"\b(?:send|ship) (?:it |them )?back\b|\breturn(?:ing)?\b|" + SENT_BACK.pattern, re.IGNORECASE
)
# A message about a refund: the word, the money back, or the goods sent back.
REFUND_WORDS = re.compile(r"refund|money back|退款|退钱|到账|" + SENT_BACK.pattern, re.IGNORECASE)
# The manual or instructions in a language the customer cannot read ("the manual is only in
# German", "说明书只有德文的 看不懂"): a complaint about the product's papers, not a product
# question nor praise.
_MANUAL = r"\b(?:manual|instructions?|user guide|booklet|leaflet)\b|说明书|使用说明|手册"
_UNREADABLE = (
    r"\bonly in\b|\bin (?:german|french|italian|spanish|dutch|polish|chinese|japanese|russian)\b|"
    r"\b(?:german|french|italian|spanish|dutch|polish|chinese|japanese|russian) only\b|"
    r"can'?t read|cannot read|no english|not in english|"
    r"德文|德语|法文|法语|英文|英语|日文|日语|外文|外语|看不懂|没有中文|不是中文"
)
# Anchored at the start: unanchored, ``search`` would try both look-aheads from every
# position, a cost that grows with the square of the message's length (2 s of CPU for a
# 4000-character message, the whole process stalled for every customer).
MANUAL_LANGUAGE = re.compile(
    rf"\A(?=.*(?:{_MANUAL}))(?=.*(?:{_UNREADABLE}))", re.IGNORECASE | re.DOTALL
)

# Venting ("this is ridiculous", "咋搞的啊 你们", "你们这售后到底管不管"): with a case open it
# adds nothing for the team, so no "thanks, added to your case": an apology, and where it is.
VENTING = re.compile(
    r"\b(?:ridiculous|joke|useless|pathetic|unacceptable|terrible|awful|disgrace\w*|worst|"
    r"rubbish|shambles|fed up|sick of|sick and tired|unbelievable|wtf|seriously\??$|"
    r"come on|what a (?:mess|joke)|so annoy\w*|angry|furious)\b|"
    r"咋搞的|怎么搞的|搞什么|什么破|摆设|管不管|有没有人管|没人管|太差|垃圾|无语|服了|气死|离谱|"
    r"坑人|不像话|什么态度|太过分|过分了|太慢了|搞啥",
    re.IGNORECASE,
)

# Asking when, or how long ("how long will this take", "hw lng", "how many days", "when do i
# get it", "多久", "多长时间", "几天能到", "啥时候", "哪天"): one reading for every behaviour that
# answers a time. Not "前几天买的" / "等了好几天了" (days past, not a question).
ASKS_WHEN = re.compile(
    r"\bho?w\s*(?:much\s+)?lo*ng(?:er)?\b|\bhow\s+many\s+(?:more\s+)?(?:working\s+)?days?\b|"
    r"\b(?:when|whn|wen)\b|"
    r"多久|多长时间|多少时间|多少天|(?<![前这那头过好])几天(?![前了])|什么时候|什么时间|啥时候?|何时|"
    r"哪天|哪一天|多会儿",
    re.IGNORECASE,
)
