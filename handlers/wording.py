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
    # ("posted the blender from 87101 back": the item and its order between.)
    r"\b(?:sent|posted|mailed) (?:(?!me\b|us\b)[\w-]+ ){0,4}?back\b|\breturned\b|"
    r"\bdropped (?:it )?off\b|寄回|退回去|寄走了|退货|已经退了|"
    # Collected from the door: "the courier picked up my return", "my return was collected",
    # "快递员上门取走了", "已经取件了".
    r"\b(?:picked|collected|took)\b(?: up| away)?[^.?!]{0,25}\breturn\b|"
    r"\breturn\b[^.?!]{0,25}\b(?:picked up|collected)\b|"
    r"上门取(?:件|走|了)|已经取件|(?:快递|快递员|快递小哥)(?:已经|都)?取走(?:了|的)|"
    # "烤面包机上周退了": returned some days ago (not "钱退了吗", the money).
    r"(?:上周|上个?星期|上个?礼拜|前天|昨天|前几天|几天前|早就|之前|上个月)(?:就|都)?退了",
    re.IGNORECASE,
)
# Sending something back, done or wanted: "I want to send back the coffee machine".
RETURN = re.compile(
    r"\b(?:send|ship) (?:it |them )?back\b|\breturn(?:ing)?\b|" + SENT_BACK.pattern, re.IGNORECASE
)
# A swap of something bought for another size or colour: "can i swap my keyboard for another
# colour", "exchange it", "换个颜色", "能换货吗" (the exchange, not the product's attributes).
EXCHANGE = re.compile(
    r"\b(?:swap|swop|exchange|exchanging|excahnge|exchnage|trade (?:it )?in)\b|"
    r"换货|换(?:个|一个|成|一下)?(?:颜色|尺码|大小|码|型号|别的|大一号|小一号)|调换",
    re.IGNORECASE,
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
# Asked whether, before buying: "is the manual in chinese?", "does it come with an english
# manual", "说明书有中文吗", "说明书是不是英文的": a product question, not the complaint above.
MANUAL_ASKED = re.compile(
    r"^\W*(?:is|are|does|do|will|would|can|could)\b|(?:有|是)(?:没有)?[^。！!]{0,6}(?:吗|嘛|么)|"
    r"有没有|是不是|是否",
    re.IGNORECASE,
)

# Venting ("this is ridiculous", "咋搞的啊 你们", "你们这售后到底管不管"): with a case open it
# adds nothing for the team, so no "thanks, added to your case": an apology, and where it is.
VENTING = re.compile(
    r"\b(?:ridiculous|joke|useless|pathetic|unacceptable|terrible|awful|disgrace\w*|worst|"
    r"rubbish|shambles|fed up|sick of|sick and tired|unbelievable|wtf|seriously\??$|"
    # ("will it come on friday" asks a day: no "come on!")
    r"(?<!\bit )(?<!\bthey )(?<!\bone )come on(?!\s+(?:the\s+)?(?:mon|tue|wed|thu|fri|sat|sun|\d|"
    r"time|a |the |my |our ))|what a (?:mess|joke)|so annoy\w*|(?:this|it|that)(?:'s| is) annoying|"
    r"so frustrat\w*|(?:this|it|that)(?:'s| is) frustrating|angry|furious)\b|"
    r"烦死|好烦|真烦|烦人|太烦|烦透|闹心|糟心|咋搞的|怎么搞的|搞什么|什么破|摆设|管不管|有没有人管|没人管|太差|垃圾|无语|服了|气死|离谱|"
    r"坑人|不像话|什么态度|太过分|过分了|太慢了|搞啥",
    re.IGNORECASE,
)

# Venting said as a question that asks nothing ("why does this always happen to me", "what
# kind of service is this", "is this a joke", "为啥老是坏", "你们就是这么做售后的？", "这都第几次
# 了"): with a case open, an apology and where the case stands, not its status alone.
RHETORICAL = re.compile(
    r"\bwhy (?:does|do|is|did|must|has|have) (?:this|it|that|these|everything|every ?thing|"
    r"stuff|things?)\b.{0,25}\b(?:always|again|every ?time|keeps?)\b|"
    r"\bwhy (?:me|always me|is it always me)\b|\bwhy (?:does|do) (?:this|it) (?:always|keep)\b|"
    r"\bwhat (?:kind|sort|type) of (?:a )?(?:service|support|customer service|company|shop|"
    r"store|after ?sales|operation)\b|\bis (?:this|that|it) (?:a|some (?:kind of|sort of))? ?"
    r"(?:joke|prank|scam)\b|\b(?:are|r) (?:you|u) (?:kidding|joking|serious)(?: me)?\b|"
    r"\byou(?:'?re| are|r) (?:kidding|joking)\b|\bhow (?:many|much) (?:more )?times?\b|"
    r"\b(?:again|seriously)\s*[?？!！]{1,}\s*$|\bhow is (?:this|that) (?:ok|okay|acceptable|"
    r"possible|normal)\b|\bhow (?:hard|difficult) (?:can|is) it\b|\bthis is how you\b|"
    r"(?:为啥|为什么|为何|咋|怎么)(?:老是|总是|又|老|总|每次)|"
    r"(?:就是|就)这么(?:做|搞|干|处理|对待|服务)|(?:这|你们)?(?:都|已经)?第几(?:次|回)了?|"
    r"什么(?:破)?(?:售后|服务|态度|质量|东西)(?:啊|嘛|呀)?[?？!！]|这(?:叫|算)(?:什么|啥)|"
    r"(?:开|闹)(?:什么|啥)?玩笑|逗我(?:玩)?呢?|耍我|搞笑呢?|糊弄|有没有搞错|还有完没完|"
    r"有完没完|没完没了",
    re.IGNORECASE,
)
# The fault or the trouble said to come back ("again", "always", "every time", "又坏", "老是",
# "第几次"): a repeat, which the case is raised for.
REPEAT = re.compile(
    r"\b(?:again|always|every ?time|keeps? (?:on )?[a-z]+ing|"
    r"(?:second|third|fourth|2nd|3rd|4th) (?:time|one)|how many (?:more )?times|once more)\b|"
    r"又|老是|总是|每次|第几(?:次|回)|(?:第)?[二三四两]次|再次|一直坏|还是坏|又一次",
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

# A bare change of mind that names nothing ("wait no dont", "actually nvm", "forget it",
# "等等 别了", "算了"): what the customer asked for just before is taken back (a cancellation:
# handlers/cancel.py; a person: handlers/escalation.py), read only right after it.
RETRACT = re.compile(
    r"\b(?:nvm|nevermind|never\s*mind|nm|forget (?:it|that|about it)|scratch that|"
    r"ignore (?:that|my last)|changed? my mind)\b|"
    r"\b(?:wait|hold on|hang on|actually|no+|nah|oh)\b[\s,.!]*(?:no+|nah|don'?t|dont|do not)"
    r"\b[\s.!]*(?:do (?:it|that)|bother)?[\s.!]*$|"
    r"\b(?:don'?t|dont|do not)\s+(?:do (?:it|that)|bother|go ahead)\b|"
    r"^\s*(?:no+|nah)?[\s,]*(?:don'?t|dont)[\s.!]*$|"
    r"算了|不用了|别了|先别|等等|等一下|等下|先等等|不要了|先不要|当我没说|"
    r"(?:别|不要|不用)(?:弄|办|处理|搞)了?",
    re.IGNORECASE,
)


# An order said to be another than those talked about, with no number: "from another order",
# "a different order", "my second order", "另一个订单", "别的单子", "第二个订单". (Not "the other
# one" alone, which may be another item.)
ANOTHER_ORDER = re.compile(
    r"\b(?:another|other|different|second|2nd|separate) (?:order|parcel|package|purchase)s?\b|"
    r"另(?:一|外一?)(?:个|笔)?(?:订单|单子?)|(?:别的|其他|其它)(?:订单|单子?)|第二(?:个|笔)?(?:订单|单)",
    re.IGNORECASE,
)


# One of several orders, not saying which: "one of them arrived broken", "either of those",
# "其中一个坏了", "有一单没到" (after two or more orders were named together).
ONE_OF_THEM = re.compile(
    r"\b(?:one|either|some|any) of (?:them|those|these|the (?:two|three|orders|parcels)|"
    r"my (?:two|three) (?:orders|parcels))\b|\bone of (?:em|'em)\b|"
    r"其中(?:一|1)(?:个|单|笔|件)?|有(?:一|1)(?:个|单|笔)(?:订单|单子?)?(?!月|天|星期)|哪个(?:订单|单)",
    re.IGNORECASE,
)


# A word that judges something ("flimsy", "slow", "还行", "简陋"): with what it judges, a
# remark about the shop (handlers/feedback.py).
JUDGES = re.compile(
    r"\b(?:flimsy|slow|slowly|quick|quickly|fast|nice|good|great|bad|poor|terrible|awful|"
    r"rubbish|cheap|cheaply|ok|okay|fine|decent|lovely|friendly|rude|helpful|unhelpful|"
    r"confusing|easy|clunky|meh|so-so|average|disappoint\w*|excellent|amazing|brilliant|"
    r"solid|sturdy|thin|flimsy|excessive|wasteful|too much|could be better|not great|"
    r"not bad|polite|patient|professional|sloppy|messy|crushed|squashed|battered|"
    r"over the top|overkill|quick|speedy|smooth|painless)\b|"
    r"还行|一般般|(?:很|太|挺|比较|真|有点)一般|一般(?:吧|啊|呀)?[。!！\s]*$|不错|挺好|很好|真好|太慢|好慢|有点慢|慢|挺快|很快|简陋|差劲|太差|很差|不好|"
    r"满意|失望|凑合|马马虎虎|热情|耐心|敷衍|不太行|给力|好评|差评|粗糙|太多|浪费|过度|"
    r"专业|周到|礼貌|及时|麻烦|繁琐|难用|好用",
    re.IGNORECASE,
)
