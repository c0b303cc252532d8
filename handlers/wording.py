"""Words several behaviours read the same way: money, and sending an order back."""

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
