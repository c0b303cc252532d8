"""Feedback: stored with sentiment and topic; negative feedback offers a human follow-up."""

from __future__ import annotations

import re

from crm_memory import FeedbackKind
from handlers.clauses import ideographs
from handlers.context import DEFECT, denies_defect
from handlers.dialogue import Asked, Question
from handlers.remarks import says_arrived
from handlers.turn import DISMISS, Turn
from handlers.types import Reply
from handlers.wording import JUDGES, MANUAL_LANGUAGE
from nlu.types import ParseResult, SentimentLabel

FOLLOW_UP = "followup"
STORED = "feedback:stored"  # this message's feedback is stored
SUGGESTION = "suggestion"  # a reading's detail: the feedback suggests something new

# Something new suggested ("you should add a dark mode", "wish you had pickup points",
# "能不能加个发货短信提醒", "要是有个小程序就好了"): not a complaint to open a case about.
_SUGGESTS = re.compile(
    r"\b(?:you|u|ya|you guys|you lot|the app|the site|your (?:app|site|website|shop))\s+"
    r"(?:really |seriously |definitely |honestly |maybe |totally )*(?:should|ought to|could|oughta)"
    r"\s+(?:really |seriously |definitely |maybe |totally |just |also |honestly )*"
    r"(?:add|have(?!\s+(?:been|sent|done|told|given|had|known|checked|\w+ed)\b)|offer|introduce|"
    r"bring in|bring back|start|allow|support|consider|include|let (?:us|people|customers))\b|"
    r"\b(?:i |we |really |just |kinda |kind of )*wish (?:you|u|ya|there|your \w+)(?: guys)? "
    r"(?:had(?!\s+(?:been|sent|done|told|given|\w+ed)\b)|was|were|offered|sold|supported)\b|"
    r"\b(?:it(?:'?d| would)|would|wud|it'?ll|twould) be (?:really |so |super )?(?:nice|great|good|"
    r"cool|handy|helpful|awesome|useful|better) (?:if (?:you|u|there|the app|the site|i could)|"
    r"to have)\b|"
    # "u guys need to improve this chat", "someone should retrain the assistant",
    # "maybe update your app": what we run made better (not "fix my order", a request).
    r"\b(?:you|u|ya|you guys|you lot|y'?all|someone|somebody|maybe|pls|please)\s+"
    r"(?:really |seriously |definitely |honestly |maybe |totally |just |also |)"
    r"(?:(?:should|ought to|oughta|need to|needs to|gotta|have to|could)\s+(?:really |seriously |"
    r"definitely |maybe |just |also |first |)?)?"
    r"(?:fix|improve|update|upgrade|redo|rework|sort out|change|retrain|train|teach)\s+"
    r"(?:(?:the|your|ur|this|that|ya)\s+)(?:chat ?bot|bot|chat|ai|assistant|app|site|website|"
    r"search|checkout|menu|system|faq|page|process|robot)\b|"
    r"\b(?:a |one |small |little |quick |my |just a )suggestion\b|\bfeature request\b|"
    r"\bi(?:'?d| would)? suggest (?:you|adding|that)\b|\bconsider adding\b|"
    r"\bplease (?:add|bring back|introduce)\b|"
    r"\b(?:can|could) (?:you|u) (?:guys )?(?:please |pls )?(?:add|introduce|start offering) "
    r"(?!(?:it|this|that|these|them|my|me|to|on|an? note|the order|the case|an? order)\b)|"
    r"(?:能不能|可不可以|能否|可以)(?:你们|以后)?(?:也)?(?:加|增加|添加|推出|上线|开通)(?:个|一个)"
    r"(?!急|备注)|"
    r"(?:希望|建议)(?:你们|贵店|以后|今后)?(?:也)?(?:能)?(?:加|增加|添加|推出|上线|开通|出个|做个|"
    r"支持|提供)|"
    r"(?:要是|如果|假如)(?:你们)?(?:能|有|可以).{1,16}就好了|"
    r"(?:提|给)(?:个|一个|点)(?:小)?建议|我的建议|有个(?:小)?建议|建议(?:你们|贵店|商家|以后)|"
    # "你们应该把这个机器人改改", "客服机器人该好好优化了": what we run made better.
    r"(?:应该|该|得|最好|建议|赶紧)(?:先)?(?:把|给)?(?:这个|你们的?|你们这个)?(?:客服)?"
    r"(?:机器人|智能客服|app|APP|网站|系统|页面|小程序|流程)(?:好好|先)?"
    r"(?:改改|改一改|改一下|修一修|修修|优化|改进|升级|完善)|"
    r"(?:机器人|智能客服|app|APP|网站|系统|小程序)(?:真的|真|也)?(?:该|应该|得)(?:好好)?"
    r"(?:改改|优化|改进|升级|完善)|"
    # Something the shop could put in the box or on its pages: "maybe put a setup note in
    # the box", "why not add a quick start card", "you might want to include a plug adapter",
    # "next time use more padding", "a printed guide in the box would help", "包装里放个说明
    # 会好一点", "下次可以多放点泡沫", "最好附一张中文说明" (not "maybe put it in my locker", an
    # instruction for an order).
    r"\b(?:maybe|perhaps|why not|how about|what about)\s+"
    r"(?:you\s+(?:guys\s+)?(?:could|should|can)\s+)?"
    r"(?:put|add|include|print|make|offer|stick|pop|use|ship|pack)(?:ing)?\s+"
    r"(?!(?:it|them|me|my|this|that|him|her|us)\b)(?:a|an|some|more|the|extra|clearer|better|"
    r"proper|printed|paper)\b(?!.{0,40}\b(?:my|the) (?:order|case|parcel|delivery)\b)|"
    r"\b(?:you|u) (?:might|may) want to (?:put|add|include|offer|make|use)\b|"
    r"\b(?:would|could|might) be (?:worth|good|nice|helpful|useful|handy|great) (?:to )?"
    r"(?:add|put|include|having|adding|putting|including|printing)\b|"
    r"\bnext time,? (?:please |pls |maybe |perhaps )?(?:put|add|include|pack|use|wrap)\s+"
    r"(?!(?:it|them|me|my)\b)(?:a|an|some|more|extra|better|the)\b|"
    r"\b(?:a|an|some|more) [a-z -]{2,30} "
    r"(?:in the (?:box|package|packaging|parcel)|on (?:the|your) "
    r"(?:site|website|page|listing|app)) would (?:help|be (?:nice|good|great|helpful|useful|handy|"
    r"better))\b|"
    r"(?:可以|要不|最好|下次|以后)(?:你们)?(?:能)?(?:在|往)?(?:包装|盒子|箱子|包裹|页面|详情页|网站|"
    r"商品页)(?:里|上|中|内)?(?:多)?(?:放|加|附|写|贴|配|装)|"
    r"(?:包装|盒子|箱子|包裹|详情页|页面)(?:里|上|中|内)(?:多)?(?:放|加|附|配|写)(?:个|一个|张|一张|份|点|上)?"
    r".{0,12}(?:会|就)(?:更)?(?:好|方便|清楚)|"
    r"(?:最好|要不|下次|以后)(?:能|可以)?(?:多)?(?:附|放|加|配|写)(?:个|一个|张|一张|份|上|点)",
    re.IGNORECASE,
)

# Topic words, checked in order; the first that matches names the feedback's topic.
TOPICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("delivery", ("deliver", "courier", "shipping", "parcel", "快递", "配送", "物流", "运费")),
    ("app", ("app", "crash", "dark mode", "应用", "闪退", "界面")),
    ("website", ("website", "site", "search", "popup", "font", "网站", "搜索", "字")),
    ("checkout", ("checkout", "payment", "pay", "结账", "付款")),
    ("support", ("support", "agent", "bot", "hold music", "team", "客服", "机器人")),
    ("price", ("price", "expensive", "cheap", "价格", "贵")),
    ("product", ("quality", "product", "packaging", "质量", "包装", "东西")),
)


# A remark about us: something customers judge ("the packaging", "发货", "客服态度")...
_ASPECT = re.compile(
    r"\b(?:packag\w*|box|boxes|wrapping|bubble wrap|delivery|deliveries|courier|driver|"
    r"delivery (?:guy|man|person|driver)|postman|postie|shipping|dispatch|service|support|"
    r"staff|team|agents?|website|site|app|checkout|prices?|pricing|quality|experience|"
    r"instructions|manual|chat|bot|you guys|you lot|ur service|customer service)\b|"
    r"包装|盒子|箱子|纸箱|快递|物流|发货|配送|送货|快递员|小哥|客服|服务|态度|网站|页面|"
    r"价格|质量|做工|体验|说明书|速度|售后|回复",
    re.IGNORECASE,
)
# What makes a message more than a remark: a request, a question, a problem to solve.
_REQUEST = re.compile(
    r"\b(?:i want|i need|i'?d like|can you|could you|can i|could i|please|pls|plz|refund|"
    r"return|cancel|exchange|replace|money back|where|when|how|why|what|which|who|"
    r"do you|does|is it|are you|will)\b|\?|？|"
    # "ok and the price", "and delivery": a follow-up asking the same of something else.
    r"^(?:(?:ok|okay|k|right|cool|great|nice|so|hm+)[\s,.!]+)*(?:and|what about|how about)\s+"
    r"(?:the |its |it's |their )?(?:price|cost|delivery|shipping|postage|size|weight|colou?rs?|"
    r"warranty|battery|stock)\b|"
    r"我要|我想|想要|帮我|麻烦你|能不能|可以吗|能否|请问|退款|退货|换货|取消|怎么|为什么|为啥|"
    r"什么|啥|多久|多少|几|谁|哪|吗|呢",
    re.IGNORECASE,
)
# Something that fails for the customer now ("payment keeps failing at checkout", "付款一直
# 失败"): a problem to answer, whatever judging word comes with it ("my card is fine tho").
_FAILS_NOW = re.compile(
    r"\b(?:keeps?|kept|still) (?:failing|declining|getting declined|crashing|erroring|"
    r"bouncing)\b|\b(?:won'?t|wont|doesn'?t|does not|didn'?t|isn'?t) go(?:ing)? through\b|"
    r"\bgets? declined\b|(?:一直|老是|总是|还是|又)(?:失败|被拒|报错|付不了|付不上)",
    re.IGNORECASE,
)
# Longer than this (words, or two ideographs each) is a story, not a remark.
_REMARK_WORDS = 24


def is_remark(text: str, *, names_order: bool = False) -> bool:
    """True for a remark about the shop that asks for nothing ("the packaging was a bit
    flimsy tbh", "客服态度还行 就是发货慢"): feedback to thank for, not a request to answer
    or a problem to open a case about."""
    if names_order or _REQUEST.search(text) or (DEFECT.search(text) and not denies_defect(text)):
        return False
    if _FAILS_NOW.search(text):
        return False
    words = len(re.findall(r"[A-Za-z0-9']+", text)) + ideographs(text) // 2
    return (
        words <= _REMARK_WORDS
        and _ASPECT.search(text) is not None
        and JUDGES.search(text) is not None
    )


# Praise said first ("love the kettle", "really happy with the service", "耳机很好")...
_PRAISED = re.compile(
    r"\b(?:love|loving|loved|happy|pleased|delighted|impressed|great|excellent|amazing|"
    r"brilliant|fantastic|perfect|awesome|superb|really good|very good|so good|works? (?:great|"
    r"well|perfectly|fine))\b|"
    r"很好|挺好|真好|不错|满意|喜欢|好用|点赞|很棒|太棒|真棒|给力|好评",
    re.IGNORECASE,
)
# Thanks, which praise may be said with ("谢谢小李", "thanks to Mia").
_THANKED = re.compile(r"\b(?:thanks?|thank you|thx|ty|cheers|appreciated?)\b|谢谢|感谢|多谢", re.I)


def praises(text: str) -> bool:
    """True when the words praise or thank ("Priya was brilliant", "帮我给她点个赞", "谢谢小张"); a
    clause the engine reads as praise without them ("打算给同事买个生日礼物") is no praise."""
    return (
        _PRAISED.search(text) is not None
        or _THANKED.search(text) is not None
        or JUDGES.search(text) is not None
    )


# ...then a small reservation turned to ("only the case feels cheap", "just wish the lid was
# easier", "a day late but no big deal", "就是盒子有点廉价", "虽然晚到了一天 没事").
_RESERVATION = re.compile(
    r"\b(?:but|though|tho|only|just|except|although|apart from|other than|shame|wish|if only)\b|"
    r"就是|不过|但是|只是|可惜|美中不足|唯一|虽然|稍微|有点",
    re.IGNORECASE,
)
# Longer than this, praise and a reservation are a story to read as such.
_MIXED_WORDS = 24


# One of our people, named or pointed at: "Mia", "the agent", "the lady on the chat", "客服小李",
# "那个小哥", "他" (a capitalised name is a person only where a name stands: before "was",
# "is", "who", "helped", after "to" or "thanks").
_STAFF = re.compile(
    r"\b(?:agent|advisor|adviser|rep|representative|colleague|lady|guy|girl|gentleman|chap|"
    r"woman|man|person|staff member|team member|employee|operator|she|he)\b|"
    r"客服|工作人员|同事|小哥|小姐姐|小妹|美女|帅哥|那位|这位|(?<![一二三四五六七八九十])小[\u4e00-\u9fff]"
    r"(?=[\u4e00-\u9fff]{0,2}(?:服务|态度|人|真|很|太|特别|非常|超|好|挺|耐心|热情|专业|给力|帮|点赞))|"
    r"(?:他|她)(?:真|很|太|特别|非常|超|服务|态度|人)|"
    # "想表扬一下她", "给他点个赞": the person praised pointed at by the praise itself.
    r"(?:表扬|夸|夸夸|感谢|谢谢|点赞)(?:一下)?(?:他|她)|给(?:他|她)(?:点个?赞|好评)",
    re.IGNORECASE,
)
_NAMED = re.compile(
    r"(?:^|[.!,;]\s*|\b(?:to|thank|thanks|thx|from|with|by|agent|named|called|say|said|that|"
    r"praise|mention)\s+)"
    r"([A-Z][a-z]{2,12})\b(?=\s+(?:was|is|has|had|did|who|helped|sorted|fixed|solved|"
    r"from|on|at|in|yesterday|today|earlier|last|really|so|you|deserves?)\b|\s*[,.!])"
)
# What a person of ours is praised for, or praise sent their way: "sorted it so fast",
# "please tell her boss", "kudos to", "点个赞", "表扬一下", "特别耐心".
_STAFF_PRAISE = re.compile(
    r"\b(?:sorted|solved|fixed|resolved|helped|handled|dealt with)\b.{0,40}"
    r"\b(?:so fast|so quickly|quickly|straight away|right away|in minutes|perfectly|brilliantly|"
    r"really well|so well|great|amazing)\b|"
    r"\b(?:sorted|solved|fixed|resolved|handled)\b.{0,40}\b(?:with)?in (?:about |like |under |"
    r"just |only |barely )?(?:\d+|a few|few|two|three|five|ten|a couple of) (?:mins?|minutes|secs?|"
    r"seconds)\b|\b(?:absolute|total|real|a|such a) (?:star|legend|hero|gem|superstar|champ)\b|"
    r"\b(?:kudos|shout ?out|props)\b|\btell (?:her|his|their|the) (?:boss|manager|supervisor)\b|"
    r"\bpass on my (?:thanks|compliments)\b|\b(?:super|very|so|really) (?:patient|kind|friendly|"
    r"nice|polite|helpful|professional)\b|\bdeserves? a (?:raise|medal|bonus|promotion)\b|"
    r"点赞|表扬|好评|耐心|热情|专业|给力|负责|贴心|周到|靠谱|太好了|特别好|真好|很好|辛苦了",
    re.IGNORECASE,
)


# Praise asked to be passed on to the person praised: "can you pass that on to her?", "let
# him know", "tell her thanks from me", "帮我转告她", "跟他说一声谢谢".
_PASS_ON = re.compile(
    r"\bpass (?:that|it|this|those|them|my (?:\w+ )?(?:thanks|compliments|praise)) (?:on|along)\b|"
    r"\bpass on (?:my|the|that|those)\b|\b(?:let|make sure) (?:her|him|them) knows?\b|"
    r"\btell (?:her|him|them|their (?:boss|manager))\b|\bgive (?:her|him|them) (?:my|a)\b|"
    r"\bforward (?:that|it|this)\b|\bpass (?:that|it) to (?:her|him|them)\b|"
    r"转告|转达|告诉(?:她|他|一下)|跟(?:她|他)说|(?:表扬|夸|夸夸|感谢|谢谢)(?:一下)?(?:她|他)|"
    r"给(?:她|他)(?:点个?赞|好评)",
    re.IGNORECASE,
)


def passes_praise_on(turn: Turn) -> bool:
    """True right after praise of one of our people for "can you pass that on to her?", "帮我
    转告她": the praise passed on (stored as feedback about our service), not a change of
    address nor a message not understood. A problem told beside it is not."""
    text = turn.message.text
    return (
        "feedback_positive" in turn.dialogue.intents
        and _PASS_ON.search(text) is not None
        and not DEFECT.search(text)
        and not _FAILS_NOW.search(text)
    )


def praises_staff(text: str) -> bool:
    """True for praise of one of our people, named or pointed at ("Priya on the chat was
    brilliant", "the agent Sara sorted my problem so fast, please tell her boss", "小张态度
    特别好 帮我给她点个赞", "昨天那个客服特别耐心"): feedback to store with their name,
    thanked; not a question about a case, nor thanks for the last answer alone. A problem
    told beside it is not."""
    if DEFECT.search(text) and not denies_defect(text):
        return False
    if _FAILS_NOW.search(text) or re.search(r"[?？]|\b(?:but|however)\b|但是|不过|可是", text):
        return False
    if not (_STAFF.search(text) or _NAMED.search(text)):
        return False
    return _STAFF_PRAISE.search(text) is not None or _PRAISED.search(text) is not None


# Praise said with words that elsewhere complain ("the kettle is terribly good", "i'm shocked
# how fast it boils", "stupidly quiet", "好用到离谱", "烧水快得吓人", "安静得可怕"): the harsh
# word only says how good; not a fault, not a case.
_HARSH_PRAISE = re.compile(
    r"\b(?:terribly|awfully|ridiculously|insanely|stupidly|crazy|crazily|scary|scarily|"
    r"shockingly|absurdly|obscenely|unreasonably|dangerously|sickeningly|disgustingly|wickedly|"
    r"criminally|annoyingly|embarrassingly|frighteningly|unbelievably|offensively|unfairly|"
    r"sinfully|stupid|silly|mad|madly)\s+(?:\w+\s+)?(?:good|great|fast|quick|quiet|easy|cheap|"
    r"well|nice|comfy|comfortable|cute|smooth|tasty|strong|powerful|efficient|handy|sharp|light|"
    r"convenient|pretty|beautiful|soft|reliable|simple)\b|"
    r"\b(?:shocked|shocking|surprised|scared|stunned|blown away|amazed|can'?t believe|cannot "
    r"believe|unbelievable|ridiculous|insane|crazy)\b.{0,20}\bhow (?:fast|quick|quickly|good|well|"
    r"quiet|quietly|easy|easily|cheap|nice|strong|powerful|smooth|smoothly)\b|"
    r"(?:好用|好吃|好喝|好看|快|安静|方便|好|静音|顺手|实用|划算|给力|舒服|香|稳)(?:到|得)(?:了)?"
    r"(?:离谱|吓人|过分|犯规|没朋友|不像话|要命|哭|飞起|上天|爆炸|逆天|可怕|发指|离大谱)|"
    r"(?:离谱|吓人|可怕|变态|逆天|恐怖)(?:的|地)?(?:好用|快|安静|好|方便|给力)",
    re.IGNORECASE,
)


def praises_in_harsh_words(text: str) -> bool:
    """True for praise said with a word that elsewhere complains ("the kettle is terribly good,
    i'm shocked how fast it boils", "这个电水壶好用到离谱"), asking nothing and telling no
    fault besides: thanks and stored as praise, never a complaint."""
    if _HARSH_PRAISE.search(text) is None or _FAILS_NOW.search(text):
        return False
    if re.search(r"\b(?:but|however|except)\b|但是|不过|可是|就是", text, re.IGNORECASE):
        return False  # praise with a reservation or a problem after it: read as such
    rest = _HARSH_PRAISE.sub(" ", text)  # ("shocked how fast": no question in its "how")
    return not _REQUEST.search(rest) and not (DEFECT.search(rest) and not denies_defect(rest))


# Good news of the delivery itself: it came, quickly, early, well packed ("super fast",
# "到货啦", "物流很快", "速度可以", "包装挺好").
_QUICK = re.compile(
    r"\b(?:fast|quick|quickly|early|speedy|on time|well packed|packed well|in no time)\b|"
    r"\b(?:came|got (?:it|them))\b|到货(?:了|啦)|(?:收|到)(?:了|啦)|"
    r"(?:很|挺|真|好|超|蛮|贼|特别|非常)快|速度|神速|准时|提前|包装(?:很|挺|也|还)?(?:好|不错|严实|仔细)",
    re.IGNORECASE,
)
# Where good news turns to what is wrong: "but", "only thing is", "shame", "但是", "就是", "可惜".
_TURNS = re.compile(
    r"\b(?:but|though|tho|however|except|only thing|shame|pity|sadly|unfortunately)\b|"
    r"但是|可是|不过|就是|可惜|只是|遗憾|(?<![不])但",
    re.IGNORECASE,
)


def fault_after_good_news(text: str) -> bool:
    """True for good news of the delivery (it came, came fast, looks nice) and then a fault of
    what came ("arrived today lol but the lid is cracked", "到了 挺快的 就是壶盖裂了", "快递小哥
    很给力 但是空气炸锅把手断了"): one defect complaint, the good news only its story; not
    praise to thank for, glad-it-came, nor small talk beside the complaint."""
    for turned in _TURNS.finditer(text):
        before, after = text[: turned.start()], text[turned.start() :]
        if not DEFECT.search(after) or denies_defect(after) or DEFECT.search(before):
            continue
        if says_arrived(before) or praises(before) or _QUICK.search(before):
            return True
    return False


def praise_with_reservation(text: str) -> bool:
    """True for praise with a small reservation after it ("headphones are great, only the
    case feels a bit cheap", "水壶挺好用的 就是盖子有点难开"): thanks, the reservation passed
    on too; not a complaint, not thanks that skips what they said against it. A fault of the
    item ("great blender but the jug came cracked") or a request is no reservation."""
    praised = _PRAISED.search(text)
    if praised is None or _REQUEST.search(text) or _FAILS_NOW.search(text):
        return False
    if DEFECT.search(text) and not denies_defect(text):
        return False
    reserved = _RESERVATION.search(text, praised.end())
    words = len(re.findall(r"[A-Za-z0-9']+", text)) + ideographs(text) // 2
    return reserved is not None and words <= _MIXED_WORDS


def suggests(text: str) -> bool:
    """True when the message suggests something new for the shop, not a fault to fix."""
    return _SUGGESTS.search(text) is not None and not (
        DEFECT.search(text) and not denies_defect(text)
    )


# The reading's detail of the survey itself doubted (``doubts_survey``).
SURVEY_DOUBT = "survey_doubt"
# The survey or the rating doubted, asked of nothing: "why even ask me to rate if nobody
# reads it", "whats the point of these surveys", "does anyone even read the ratings",
# "评价了也没用吧", "打分有人看吗", "评了也白评", "问卷有啥用".
_SURVEY_DOUBT = re.compile(
    r"\bwhy (?:even |do you |do u |would you |bother )*(?:ask|asking|send|sending|make)\b"
    r"[^.?!]{0,20}\b(?:rate|rating|ratings|review|survey|surveys|feedback|stars?)\b|"
    r"\b(?:what'?s|whats|what is) the (?:point|use) (?:of|in) (?:\w+ ){0,2}"
    r"(?:rat\w*|surveys?|reviews?|feedback|stars?)\b|"
    r"\b(?:nobody|no one|no1|noone) (?:\w+ )?(?:reads?|looks? at|cares? about|checks?) "
    r"(?:the |these |those |my |your )?(?:ratings?|surveys?|reviews?|feedback|comments?)\b|"
    r"\bdoes (?:anyone|anybody|any1) (?:even |actually |really )?(?:read|look at|check) "
    r"(?:the |these |those |my |your )?(?:ratings?|surveys?|reviews?|feedback|comments?)\b|"
    r"\b(?:ratings?|surveys?|reviews?|feedback) (?:is|are) "
    r"(?:pointless|useless|a waste|for show)\b|"
    r"(?:评价|评分|打分|评了|问卷|调查|反馈)(?:了)?(?:也|都|又)?(?:没|没有|不)(?:用|人看|人管|意义)|"
    r"(?:评价|评分|打分|问卷|调查|反馈)(?:有|真的有)(?:人看|人管|什么用|啥用|用)(?:吗|么|嘛|吧)?|"
    r"白评|评了也白|(?:评价|打分|问卷)(?:有)?(?:什么|啥)意义",
    re.IGNORECASE,
)


def doubts_survey(text: str) -> bool:
    """True when the survey or the rating itself is doubted ("why even ask me to rate if
    nobody reads it", "评价了也没用吧"), with no fault of an item told."""
    return _SURVEY_DOUBT.search(text) is not None and DEFECT.search(text) is None


async def survey_doubted(turn: Turn) -> list[Reply]:
    """The survey doubted: stored as negative feedback on the survey, sorry, it is read by
    the team, and a person offered to follow up."""
    if STORED in turn.outcome.said:
        return []
    await store(turn, sentiment=-max(abs(turn.parse.sentiment), 0.4), topic="survey")
    turn.ask(Asked(Question.FOLLOW_UP))
    return [
        turn.reply(
            "feedback_survey_read",
            turn.button("button_yes", FOLLOW_UP),
            turn.button("button_no", DISMISS),
            name=turn.name,
        )
    ]


async def suggestion(turn: Turn) -> list[Reply]:
    """Store a suggestion as such and thank the customer for it: no apology, no case, no
    follow-up call (nothing went wrong)."""
    if STORED in turn.outcome.said:
        return []  # one message, one suggestion, however many clauses it was split into
    await store(turn, sentiment=max(turn.parse.sentiment, 0.1), kind=FeedbackKind.SUGGESTION)
    return [turn.reply("feedback_suggestion", name=turn.name)]


async def store(
    turn: Turn, *, sentiment: float, kind: FeedbackKind | None = None, topic: str | None = None
) -> None:
    """The message stored as feedback with this sentiment, its topic (given, else from its
    words or the product named), and marked stored: one message, one piece of feedback."""
    turn.outcome.said[STORED] = turn.dialogue.turn
    product = turn.parse.entity("product")
    await turn.deps.feedback.add(
        customer_id=turn.customer_id,
        text=turn.message.text,
        sentiment=sentiment,
        topic=topic or topic_of(turn.message.text, product.value if product else None),
        kind=kind,
    )


def topic_of(text: str, product: str | None = None) -> str | None:
    """The first topic whose words appear in the text, else the product named."""
    lowered = text.lower()
    for topic, words in TOPICS:
        if any(_has_word(lowered, w) for w in words):
            return topic
    return f"product:{product}" if product else None


def _has_word(text: str, word: str) -> bool:
    """A topic word in the text: Chinese anywhere; English at the start of a word, and a
    short one as a whole word ("app", not the one inside "disappointing")."""
    if not word.isascii():
        return word in text
    end = r"s?\b" if len(word) <= 4 else ""
    return re.search(rf"\b{re.escape(word)}{end}", text) is not None


def is_praise(parse: ParseResult) -> bool:
    """Which way feedback goes: the sentiment label when it leans, else the intent.

    "oh great, another bot. fantastic." reads as praise to an intent classifier; the
    sentiment model (with its sarcasm cues) knows better.
    """
    if parse.sentiment_label is not SentimentLabel.NEUTRAL:
        return parse.sentiment_label is SentimentLabel.POSITIVE
    return parse.intent == "feedback_positive"


async def feedback(turn: Turn, *, sarcastic: bool = False) -> list[Reply]:
    """Store the feedback and thank the customer; offer a follow-up when it is negative.

    ``sarcastic``: praise said of something bad ("oh great, another bot"): stored as
    negative, and answered with an apology, not thanks.
    """
    if STORED in turn.outcome.said:
        # One message, one piece of feedback: "oh wonderful, another bot. just fantastic."
        # split in two is still one remark, stored and answered once.
        return []
    if suggests(turn.message.text) and not sarcastic:
        return await suggestion(turn)  # "挺好用的 提个建议 能不能加个收纳袋": thanked as one
    if not sarcastic and praise_with_reservation(turn.message.text):
        # Pleased, with a small reservation: stored as praise, thanked, the reservation
        # passed on too (no apology, no follow-up: nothing went wrong to put right).
        await store(turn, sentiment=max(turn.parse.sentiment, 0.2))
        return [turn.reply("feedback_thanks_mixed", name=turn.name)]
    # (Praise of one of our people is praise, whatever the problem they solved sounds like.)
    # (Nor praise said in harsh words, "terribly good", whatever the sentiment model hears.)
    text = turn.message.text
    if not sarcastic and passes_praise_on(turn):
        # "can you pass that on to her?" after praising her: yes, it goes to our people.
        await store(turn, sentiment=max(turn.parse.sentiment, 0.3), topic="support")
        return [turn.reply("feedback_passed_on", name=turn.name)]
    positive = (
        is_praise(turn.parse) or praises_staff(text) or praises_in_harsh_words(text)
    ) and not sarcastic
    # The sentiment score says how strongly; a neutral reading still counts a little.
    strength = max(abs(turn.parse.sentiment), 0.3)
    await store(turn, sentiment=strength if positive else -strength)
    if positive:
        return [turn.reply("feedback_thanks_positive", name=turn.name)]
    turn.ask(Asked(Question.FOLLOW_UP))
    if sarcastic:
        key = "feedback_sorry_sarcastic"
    elif MANUAL_LANGUAGE.search(turn.message.text):
        # "the manual is only in German": sorry, and what we do about it (the manual in
        # their language from a person), not the thanks praise gets.
        key = "feedback_manual"
    else:
        key = "feedback_thanks_negative"
    return [
        turn.reply(
            key,
            turn.button("button_yes", FOLLOW_UP),
            turn.button("button_no", DISMISS),
            name=turn.name,
        )
    ]


async def closing_the_loop(turn: Turn) -> tuple[list[Reply], list[int]]:
    """Tell the customer what changed because of feedback they gave, once per change: the
    replies, and the feedback they tell of, to be marked notified by the turn's closing write
    (marked here, a turn cut before that write would never tell it)."""
    if turn.outcome.erased:
        return [], []  # erased in this very turn: nothing of theirs is told or kept
    replies = []
    told = []
    for item in turn.context.news:  # read with the context, before this turn's answer
        told.append(item.id)
        said = " ".join(item.text.split())
        said = said if len(said) <= 80 else said[:77] + "..."
        replies.append(turn.reply("feedback_loop_closed", feedback=said, note=item.action_note))
    return replies, told
