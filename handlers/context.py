"""Reading a message in its context: answers to the bot's question, follow-ups, case questions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.acts import Act
from handlers.catalogue import product_phrase
from handlers.clauses import ideographs, only_greeting
from handlers.declined import says_no
from handlers.dialogue import CARRIER as CARRIER
from handlers.dialogue import Asked, Matter, Purpose, Question, Told
from handlers.hazard import TOLD
from handlers.hours import asks_person_now, day_ahead, days_named, holiday_named
from handlers.inquiry import ADDRESS as ADDRESS_ENTRY
from handlers.inquiry import ANSWERED, MONEY_FIGURE
from handlers.inquiry import EXPRESS as EXPRESS_ENTRY
from handlers.knowledge import asks_new_order_time
from handlers.orders import names_order
from handlers.privacy import asks_to_erase, wants_erased
from handlers.products import asked_which, asks_stock_or_price, product_in_play
from handlers.questions import is_question
from handlers.regions import asks_about_shipping, region_named
from handlers.searched import SearchedOnce, Searcher
from handlers.turn import Turn
from handlers.wording import (
    ASKS_WHEN,
    JUDGES,
    MANUAL_ASKED,
    MANUAL_LANGUAGE,
    MONEY,
    REFUND_WORDS,
    RETURN,
    SENT_BACK,
)
from nlu import FALLBACK
from nlu.types import SentimentLabel

# What the bot does with a message read in context, beyond the NLU intents.
NO_ORDER = "no_order"  # asked for an order number, the customer does not have it
CASE_STATUS = "ask_case_status"
OFFER_AGAIN = "offer_again"  # the customer neither took nor refused the bot's offer
BOT_IDENTITY = "ask_bot_identity"  # "are you a bot?"
CHITCHAT = "chitchat"  # "how's your day?", "you're not bad"
WHAT_I_DO = "ask_what_bot_does"  # "what can you do?", "你都能干啥"
DETAIL = "detail_after_answer"  # a detail the customer adds after an FAQ answer
NEW_ADDRESS = "new_address"  # the delivery address the bot asked for
PRODUCT_AVAILABILITY = "ask_product_availability"  # price and stock from the catalogue
CANCEL_ORDER = "cancel_order"  # cancel an order: answered from where it is (handlers/cancel.py)
# Change an order (size, colour, quantity) before it ships (handlers/order_change.py).
CHANGE_ORDER = "change_order"

_YES = re.compile(
    r"^(?:y|ya|yes|yep|yeah|yup|yea|sure|ok|okay|k|kk|pls|please|yes please|yes pls|go ahead|"
    r"do it|please do|sounds good|alright|fine|why not|ok do it|ok please|absolutely|"
    r"好|好的|好吧|好啊|行|行吧|可以|可以的|要|要的|嗯|嗯嗯|是|是的|对|对的|麻烦了|麻烦你了|"
    r"转吧|转人工|开吧|需要|那好吧|ok吧|开|开一个|开个)[\s.!！。~～,，]*"
    r"(?:please|pls|asap|now|quickly|吧|呀|啊|赶紧的|赶紧|快点|尽快|麻烦了)?[\s.!！。~～]*$",
    re.IGNORECASE,
)
_NO = re.compile(
    r"^(?:n|no|nope|nah|no thanks|no thank you|not now|not yet|don'?t|never ?mind|no need|"
    r"i'?m good|all good|不|不用|不用了|不要|不需要|算了|没事|没事了|不用谢|先不用)"
    r"[\s.!！。~～,，]*(?:thanks|thank you|谢谢|了)?[\s.!！。~～]*$",
    re.IGNORECASE,
)
# A reply that starts with a yes ("要的 让人联系我吧", "yes get me someone"): with the thing
# offered named after it, it takes that thing.
_YES_FIRST = re.compile(
    r"^(?:y|ya|yes|yep|yeah|yup|yea|sure|ok|okay|k|fine|alright|please|pls|go on|go ahead)\b|"
    r"^(?:好(?!像|久|慢|几|多)|行|可以|要(?!不|是)|嗯|是的|对|麻烦|那好|那行|那就)",
    re.IGNORECASE,
)
# Naming one of the bot's offers: a person ("get someone", "转人工", "找个人") or a case.
_NAMES_PERSON = re.compile(
    r"\b(?:person|someone|somebody|some1|human|agent|rep|staff|people|real one|manager)\b|"
    r"\b(?:call|ring|contact|email|reach out to) me\b|reach out|"
    r"人工|真人|客服|同事|转(?!账|发|运|寄|卖|告)|找(?:个|一个)?人|让人|叫人|来个人|有人",
    re.IGNORECASE,
)
_NAMES_CASE = re.compile(
    r"\b(?:case|ticket|claim)\b|工单|开吧|开一个|开个|建一个|登记", re.IGNORECASE
)
# "any news on my order?" is about the parcel, not the case, unless it names the case.
PARCEL = re.compile(
    r"\b(?:order|parcel|package|delivery|shipment|tracking)\b|订单|快递|包裹|物流", re.I
)
_CASE_NOUN = re.compile(r"\b(?:case|ticket|complaint|claim)\b|工单|投诉", re.I)
# Words that name a topic of their own: the message is not a bare follow-up.
_TOPIC_WORDS = re.compile(
    r"deliver|shipping|postage|refund|money back|my money|return|exchange|replac|pay|charge|"
    r"account|password|\bmoney\b|退钱|钱|"
    r"open(?:ing)? hours|store|warranty|"
    r"运费|快递|配送|发货|退款|退货|换货|支付|付款|账户|账号|密码|营业|保修|门店",
    re.IGNORECASE,
)
# Another item than the one ordered, said the way people say it ("ordered headphones got
# earbuds", "i ordered a backpack and you sent me a lunch bag", "我买的背包 寄来的是个鼠标"):
# the return and replacement path applies as for a wrong item.
WRONG_ITEM = re.compile(
    r"\bordered (?:a |an |the |some )?\w+(?: \w+)?,? (?:and )?(?:i )?(?:got|received|get|"
    r"came|arrived|(?:you |they |u )?sent(?: me)?)\b|\bgot (?:a |an )?\w+ instead\b|"
    # The other way round: "they sent me a pink mouse, i ordered the black one", "the mouse
    # is pink, i ordered black".
    r"\b(?:sent(?: me| us)?|got|received|(?:is|are|was|were|came|arrived)(?: in)?) (?:a |an |the )?"
    r"\w+(?: \w+)?,? (?:but |when |and |though |while |even though )?i (?:ordered|asked for|"
    r"paid for|wanted|chose|picked)\b|"
    r"(?:寄|发|送)来的(?:是|却是|居然是|竟然是)|收到的(?:是|却是|居然是|竟然是)|(?:发|寄)成了|"
    r"不是我(?:买|订|下单)的",
    re.IGNORECASE,
)
# A product problem: defective, damaged, wrong item, missing parts.
_DEFECT_WORDS = re.compile(
    r"\b(?:broken|broke|damaged|defective|faulty|cracked|dented|smashed|shattered|"
    r"leak(?:s|ing|y)?|doesn'?t work|does not work|dont work|don'?t work|not working|"
    r"stopped working|won'?t (?:turn on|start|charge|work)|dead on arrival|doa|"
    # "doesnt turn on", "won't power up", "keeps cutting out", "a big dent": no question.
    r"(?:doesn'?t|does not|didn'?t|did not|won'?t|wont|will not|not|never) (?:even )?"
    r"(?:turn(?:ing)? on|power(?:ing)? (?:on|up)|switch(?:ing)? on|boot(?:ing)? up?)|"
    r"(?:keeps?|kept) (?:cutting out|disconnecting|dropping out|turning off|switching off)|"
    r"dents?|(?:is|was|are|were|got|arrived|came) (?:all )?bent|"
    # "came with a crack in it", "the shade is torn", "chipped", "the handle snapped off",
    # "legs are bent", "fell apart", "a hole in it".
    # (A chip in it, not chips made in it: "made sweet potato chips in it".)
    r"cracks?|torn|ripped|chipped|(?:a|small|little|tiny|big|few) chips? in|"
    r"chip in (?:the|it|my)|snapped(?: off)?|busted|"
    r"(?:fell|falling|came|coming) (?:apart|off|loose)|a hole in|holes? in (?:it|them|the)|"
    # A hazard is a product problem too: "started smoking", "melting", "burned my finger".
    r"smok(?:ing|es|ed)|melt(?:s|ed|ing)|burn(?:t|ed|s)? (?:my|me|his|her|the|a)\b|"
    r"caught fire|on fire|electric shock|shocked me|(?:gave|gives|give) me (?:an? )?shock|"
    r"wrong (?:item|size|colou?r|model|product|one)|"
    r"missing \w+|\w+ (?:is|are|was|were) missing|no \w+(?: \w+)? in (?:the |my )?"
    r"(?:box|parcel|package)|(?:was|were|is|are)(?:n'?t| not) in (?:the |my )?(?:box|parcel|"
    r"package)|didn'?t come with|"
    r"not what i ordered|burn(?:t|ed|ing) smell|sparks?|overheat(?:s|ing)?|no sound|scratched)\b|"
    r"坏了|坏的|损坏|破损|破了|破的|碎了|碎的|摔碎|压碎|裂了|裂的|裂开|漏水|漏电|不工作|用不了|不能用|开不了机|不开机|充不进电|"
    r"发错|错发|寄错|少了(?!一?个?(?:\d|零|〇|数字|位数|个数字))|少发|漏发|(?:里面|盒子里|箱子里|包裹里)(?:没有|只有)|缺了|缺少|配件不全|没声音|有划痕|划痕|冒烟|烧焦|质量问题|"
    r"异响|咔咔响|有毛病|关不严|关不上|噪音|掉漆|变形|歪了|歪的|有点歪|\b(?:scratch(?:es)?|rattl\w*|"
    r"noisy|clicking|squeak\w*|won'?t close|doesn'?t close|wobbl\w*|crooked|lopsided|"
    # Sound faults: "crackling in one ear", "buzzes", "hissing", "distorted", "有杂音".
    r"crackl\w*|buzz(?:es|ing|y)|hiss(?:es|ing)|distort\w*|"
    r"(?:arrived|came)(?: \w+)? without|"
    # ("ring my dad's number instead of me", "instead of waiting", "to my shop instead of my
    # home": no item sent for another.)
    r"instead of(?!\s+(?:me|us|him|her|them|myself|\w+ing|(?:my |our |the )?(?:home|house|flat|"
    r"apartment|place|address|work|office|shop|door)\b))|you sent me|"
    r"stopped (?:heating|charging|spinning|connecting|pairing|sucking|"
    r"blowing|cooling|grinding|boiling|toasting|brewing|pumping|lighting|vibrating|cleaning)|"
    # A function lost: "lost its suction", "no suction", "barely any suction".
    r"(?:lost (?:its |all )?|no |barely any |hardly any |weak )(?:suction|power)|"
    # "left earbud died after 3 days", "it just conked out", "the motor packed up".
    r"(?:just |already |has |had |completely )?(?:died|dead now|conked out|packed (?:up|in)|"
    r"gave out|bricked)|(?:doesn'?t|won'?t) heat|(?:not|isn'?t|is not) heating(?: up)?)\b|"
    r"不加热|不制热|不出水|不(?:怎么)?热了|"
    r"没(?:有)?吸力|吸力(?:变|越来越|很|太|特别)?(?:小|弱|差)|"
    r"不好使了?|不出(?:热)?风|不转了|不亮了|失灵|没反应|渗水|漏油|用不了|"
    # "凹了一块", "瘪了", "插上电一点反应都没有", "老是断线", "开不开机".
    r"杂音|滋滋响|沙沙响|电流声|一边没声|单边没声|凹了|凹进去|凹陷|瘪了|压扁|没有反应|反应都没有|没啥反应|没什么反应|断线|老是断|总是断|"
    r"断了|折了|弯了|裂缝|裂痕|开裂|缺口|磕坏|磕破|磕了|破洞|撕破|脱落|掉下来|散架|"
    r"挂了|罢工了?|歇菜了?|不响了|开不开机|打不开机|不能开机|无法开机|冒火花|火花|着火|起火|烫手|电到|触电|焦味|熔化|融化了|"
    # A fault told without complaint words: "才用两次锅里的涂层就掉了", "把手松了", "生锈了",
    # "按键按不下去", "the coating is peeling", "it rusted".
    r"(?:涂层|漆|镀层|不粘层|表皮|皮|贴膜|logo|字|把手|手柄|按键|按钮|盖子|拉链|扣子|轮子|螺丝)"
    r"(?:就|都|全|已经|直接)?(?:掉了|脱了|掉光了?|剥落|起皮了?|松了|掉下来)|"
    r"掉皮|起皮|掉色|褪色|生锈|锈了|锈迹|起泡了|松动|卡死|按不下去|按不动|拉不动|"
    r"\b(?:peel(?:s|ed|ing)?(?: off)?|rust(?:ed|ing|y)|flak(?:ing|ed|es) off|fad(?:ed|ing) "
    r"(?:already|after))\b"
    # "我买的电饭锅 寄来的是个电水壶": a wrong item however it is said.
    + "|"
    + WRONG_ITEM.pattern
    # A danger is a product problem too: "too hot to hold", "鼓包了" (handlers/hazard.py).
    + "|"
    + TOLD.pattern,
    re.IGNORECASE,
)
# Asked of the same words by many readings a turn (the dispatcher, the readings table,
# context.read, the handler answering): searched once per text.
DEFECT = SearchedOnce(_DEFECT_WORDS)
# The papers of a purchase: a receipt, an invoice, proof of purchase ("能给我开个收据不",
# "收据丢了能补开吗"). Asked for with no fault named, that is the invoice, not a complaint.
_PAPERS = re.compile(
    r"\b(?:receipts?|reciepts?|invoices?|proof of purchase)\b|收据|小票|发票|购物凭证|凭证",
    re.IGNORECASE,
)


def names_papers(text: str) -> bool:
    """True when the text names a receipt or an invoice and no fault."""
    return _PAPERS.search(text) is not None and DEFECT.search(text) is None
_DEFECT_INTENTS = (
    # "F-1208的落地扇咔咔响 是不是有毛病": "is it ...?" about a product, not about the bot
    # (asked in so many words, "你是不是机器人" is read as such before this).
    BOT_IDENTITY,
    "ask_order_status",
    "ask_delivery",
    "ask_product_info",
    "ask_returns_refunds",
    "feedback_negative",
    "request_human",
    FALLBACK,
)
# The topics the knowledge base answers (one list: the dispatcher routes the same ones).
KNOWLEDGE_TOPICS = ANSWERED
# Intents the engine is sure of that small talk must not take over ("haha jk, do you ship
# to spain": the delivery question).
_NOT_SMALL_TALK = (
    *KNOWLEDGE_TOPICS,
    "ask_order_status",
    "complaint",
    "request_human",
    "ask_case_status",
    "goodbye",
    "thanks",
    PRODUCT_AVAILABILITY,
)
_QUESTION = re.compile(
    r"\?|？|^(?:and |so |but |ok |what |whats |how |when |where |wheres |which |can |could |do |"
    r"does |is |are "
    r"|will |if |who |have |has |did |was |were |any )|what if|how (?:much|long|about)|"
    r"吗|呢|多少|多久|怎么|咋|(?<![十好])几(?![十百千])|哪|什么|啥|谁|能不能|可以|行不行|是不是|"
    r"有没有|没[?？]*$|"
    r"[\u4e00-\u9fff]不[?？]*$",
    re.IGNORECASE,
)
_OPEN_A_CASE = re.compile(
    r"\b(?:open|create|file|raise|log|start)\s+(?:a |an |the )?(?:case|ticket|complaint|claim)|"
    # ("给我开个收据" is a receipt, not a case.)
    r"(?:开|建|创建|提交|提)(?:个|一个)?(?:工单|投诉)|"
    r"给我(?:开|建)(?!(?:个|一个|张|一张|份)?(?:发票|收据|小票|凭证|证明))|登记|帮我(?:催|跟进)|"
    r"\bopen (?:one|it)\b",
    re.IGNORECASE,
)
def asks_for_case(text: str) -> bool:
    """True when the message asks for a case in so many words ("please open a case", "开个工单")."""
    return _OPEN_A_CASE.search(text) is not None


# The parcel never reached the customer, said in their words.
# The whole parcel gone, not a part of it: "the whole parcel is missing", "my entire order
# never came", "the package itself is missing", "整个包裹都没收到", "整箱都丢了", "包裹不见了".
WHOLE_PARCEL = re.compile(
    r"\b(?:whole|entire|complete|full) (?:parcel|package|order|box|delivery|shipment|lot|thing)"
    r"\b.{0,25}\b(?:missing|never|lost|gone|not|didn'?t|hasn'?t|isn'?t|nowhere)\b|"
    r"\b(?:the|my) (?:parcel|package|box|delivery|shipment)(?: itself)? (?:is|was|has gone|went|"
    r"has been|got) (?:completely |totally |just )?(?:missing|lost|gone)\b|"
    r"\b(?:parcel|package|delivery|shipment) (?:never|didn'?t|did not) (?:came|come|arrive)\b|"
    r"整(?:个|箱|单|件)(?:包裹|快递|订单|东西)?(?:都|全)?(?:没|丢|不见)|"
    r"(?:包裹|快递)(?:整个)?(?:都|全)?(?:丢了|不见了|没影)",
    re.IGNORECASE,
)
_NOT_RECEIVED = re.compile(
    r"\b(?:never|not|haven'?t|havent|hasn'?t|hasnt|isn'?t|isnt|didn'?t|didnt|did not|have not|"
    r"has not|still not|still haven'?t)\s+"
    r"(?:\w+\s+)?(?:got|get|gotten|received?|arrived|come|here|delivered|turned up|seen)\b|"
    r"\bnothing (?:at|on|by|outside) (?:my|the) (?:door|doorstep|porch|house|flat)|"
    r"\bno (?:parcel|package|box)\b|\bwasn'?t (?:me|delivered)\b|\bwhere is it then\b|"
    # "says delivered but nothing here", "nothing turned up".
    r"\bnothing(?: \w+)? (?:here|came|arrived|turned up|showed up)\b|"
    r"没收到|没有收到|没拿到|没有拿到|压根没|根本没(?:收|见|看)|没见(?:到|着)|没看(?:到|见)(?:包裹|快递)|"
    r"不是我签的|没人签收|我没签|没签收|找不到(?:包裹|快递)",
    re.IGNORECASE,
)
# Not the parcel: "haven't received my refund / the e-mail", "还没收到退款".
_OTHER_THING = re.compile(
    r"\b(?:refund|money|e-?mail|invoice|receipt|code|reply|answer|confirmation|label)s?\b|"
    r"退款|钱|发票|邮件|验证码|回复|面单",
    re.IGNORECASE,
)
# What a few common messages mean when the engine is unsure, in so many words.
_SAFETY_NET: tuple[tuple[Searcher, str], ...] = (
    (
        re.compile(
            r"where(?:'s| is| are)? my (?:order|parcel|package|stuff|delivery)|"
            r"到哪(?:了|儿|里)|怎么还没(?:到|发货|收到)|还没(?:到|收到|发货)|物流.*(?:没|不)更新|"
            r"(?:hasn'?t|has not|haven'?t|not) (?:arrived|come|shipped|been delivered)|"
            r"still (?:waiting|not here)|没收到",
            re.IGNORECASE,
        ),
        "ask_order_status",
    ),
    (
        re.compile(
            r"see (?:the|my) money|money back|get my money|refund|退款|钱.{0,4}(?:退|回来)", re.I
        ),
        "ask_returns_refunds",
    ),
    (DEFECT, "complaint"),
    (
        re.compile(
            r"(?:says|shows|showing|marked(?: as)?) (?:it was |it's |as )?delivered\b.*"
            r"(?:nothing|not here|never|didn'?t|did not|no parcel|no package)|"
            r"显示(?:已)?签收.{0,12}(?:没|没有)收到|签收了.{0,8}(?:没|没有)收到",
            re.IGNORECASE,
        ),
        "complaint",
    ),
)
_LATE = re.compile(
    r"(?:supposed to|should have) (?:come|arrived?|be here|been here|be delivered|been "
    r"delivered|ship(?:ped)?)|still (?:not|hasn'?t|haven'?t) (?:arrived|come|here|shipped)|"
    r"(?:hasn'?t|has not|never) (?:arrived|come|shipped)|not (?:arrived|here|shipped) yet|"
    r"\blate\b|delayed|for ages|\bcancel|still no\b|still waiting|another week|"
    r"还没到|没到|还没发|没发货|延误|太慢|这么慢|说好.*到|取消|一个礼拜|一周了",
    re.IGNORECASE,
)
_MY_ORDER = re.compile(
    r"\b(?:check|track|trace|find|chase)\b.{0,12}\bmy (?:order|delivery|parcel|package)|"
    r"(?:查|查查|查一下|看看|看一下)(?:我的)?(?:订单|快递|包裹|物流)",
    re.IGNORECASE,
)
# How long the customer has waited, said as a lament ("its been days", "都好几天了"): tone
# for the order request beside it, not a delivery-time question.
_WAITED = re.compile(
    r"^(?:(?:and|but|ugh|like|already|now|it'?s|its|it has|has)\s+)*"
    r"(?:(?:been|it'?s been|its been|been like)\s+)?(?:like\s+|over\s+|almost\s+)?"
    r"(?:(?:a few|few|several|so many|many|\d+|two|three|four|five)\s+)?"
    r"(?:days|weeks|ages|forever|a week|a while)(?:\s+(?:now|already|ago))?[\s.!]*$|"
    r"^(?:已经|都已经|都|这都)?(?:好几|好多|几|三四|两三|[一二三四五六七八九十两\d]+)"
    r"(?:天|周|个星期|个礼拜)了(?:都|啊|吧|呀|呢)?[\s。!！]*$",
    re.IGNORECASE,
)
_WHY = re.compile(r"\bwhy\b|\bhow come\b|为什么|为啥|凭什么|咋回事|怎么回事", re.IGNORECASE)
_PAYMENT_TROUBLE = re.compile(
    r"\bcharged?\b|\bbilled\b|\bpaid twice\b|扣(?:了)?(?:两次|钱|款)|付款|支付", re.IGNORECASE
)
# Money taken that needs the payments team, not the bank's wait: a duplicate charge, or
# paid and no order ("charged twice for A-1001", "同一单扣了两次钱", "钱扣了订单没生成").
_CHARGE_TO_CHECK = re.compile(
    r"\b(?:charged|billed|debited|paid|taken|payments?)\b[^.?!]{0,30}?"
    r"\b(?:twice|two times|2x|2 times|double)\b|"
    r"\b(?:double|duplicate)[- ]?(?:charged?|payments?|billing|billed)\b|"
    r"\b(?:2|two) (?:pending |separate |identical )?(?:payments|charges|holds|transactions)\b|"
    r"扣了?(?:我)?两(?:次|遍|笔)|重复扣|多扣|(?:扣|付|交)(?:了)?(?:钱|款)[^。？！?!]{0,12}(?:订单)?(?:没|没有)(?:生成|下单成功|成功|下上)|"
    r"\b(?:charged|paid)\b[^.?!]{0,30}\b(?:no order|order (?:never|wasn'?t|was not|didn'?t))",
    re.IGNORECASE,
)


def charge_to_check(text: str) -> bool:
    """True when the message reports money taken that the payments team must check (a
    duplicate charge, paid with no order), not a payment that merely failed."""
    return bool(_CHARGE_TO_CHECK.search(text))


# A defect word said not to be there: "nothing broken", "没坏".
_NO_DEFECT = re.compile(
    r"\b(?:nothing|not|isn'?t|wasn'?t|aren'?t|weren'?t|no)\s+(?:\w+\s+)?"
    r"(?:broken|damaged|faulty|cracked|missing|wrong)\b|"
    r"没(?:有)?(?:坏|损坏|破损|问题)|不是质量问题",
    re.IGNORECASE,
)
# What the bot is for, asked of it: "what can you actually do", "how can u help me", "what
# can i ask you", "你都能做些啥", "你能帮我干什么", "你会啥", "有什么功能".
_WHAT_I_DO = re.compile(
    r"\bwhat (?:can|could|do) (?:you|u|ya) (?:actually |even |really )?"
    r"(?:do|help(?: me| us)?(?: with)?)"
    r"(?: for me| for us)?\s*(?:[?!.]|$)|"
    r"\bhow (?:can|could|do) (?:you|u) (?:actually |even )?help(?: me| us)?\s*(?:[?!.]|$)|"
    r"\bwhat (?:can|should) i ask (?:you|u)\b|\bwhat are (?:you|u) (?:for|able to do)\b|"
    r"^\W*(?:你好\W*)?你(?:都|到底)?(?:能|可以|会)(?:帮(?:我|我们)?)?(?:做|干|办)?(?:些|点)?(?:什么|啥)(?:事|事情)?\W*$|"
    r"(?:你|机器人)(?:都)?有(?:什么|啥)(?:功能|用)|能问(?:你)?(?:些)?(?:什么|啥)",
    re.IGNORECASE,
)
_ARE_YOU_A_BOT = re.compile(
    r"\b(?:are|r) (?:you|u|ya) (?:even |really |actually |honestly |just )?(?:a |an )?"
    r"(?:real |actual |live )?"
    r"(?:bot|robot|human|person|ai|machine)\b|"
    r"\bis (?:this|that|it) (?:a |an )?(?:real |actual |live )?"
    r"(?:bot|robot|human|person|ai|machine)\b|"
    r"\bam i (?:talking|chatting|speaking|writing) (?:to|with) (?:a |an )?(?:real |actual )?"
    r"(?:person|human|bot|robot|machine|ai)\b|"
    r"\b(?:person|human|people) or (?:a |an )?(?:bot|robot|machine|ai)\b|"
    r"\b(?:bot|robot|machine|ai) or (?:a |an )?(?:real )?(?:person|human)\b|"
    r"(?:^|你|您)是(?:不是)?(?:真人|机器人|人|ai|AI|人工|智能客服|自动回复)(?:吗|吧|么|嘛|啊|呀)|"
    r"(?:这|对面|那边)?是(?:不是)?真人(?:在(?:回复|回|聊|打字))?(?:吗|吧|么|嘛|啊|呀)|"
    r"是不是机器人|是不是真人|真人还是机器人|机器人还是真人|是人还是机器|人工还是机器|机器还是人工",
    re.IGNORECASE,
)
# Where a message's clauses part at a comma ("sending it to my office, is it ok if ...").
_COMMA = re.compile(r"\s*[,，]\s*")
_HYPOTHETICAL = re.compile(
    r"\bwhat if\b|\bif it (?:breaks|stops|gets)|in case it|after (?:the )?warranty|"
    r"out of warranty|过了保修|保修期(?:外|过了)|如果坏了|要是坏了|万一",
    re.IGNORECASE,
)
_SARCASTIC_THANKS = re.compile(
    r"\b(?:wow|oh|yeah) (?:so|very|really) (?:helpful|useful)|thanks for nothing|"
    r"(?:great|big) help,? (?:thanks|really)|(?:so|very) helpful,? not|"
    r"^呵呵.{0,8}(?:谢谢|太好了|真棒)|真是谢谢你们|谢谢你们啊?[，,]?真是|帮大忙了呵呵",
    re.IGNORECASE,
)
# Erasing a customer's history is asked for in so many words ("delete my data", "forget me",
# "删除我的记录"); a shrug that happens to say "forget" ("whatever, forget it") is not one.
_ERASURE_WORDS = re.compile(
    r"\b(?:me|my|data|info(?:rmation)?|history|records?|messages?|chats?|details|"
    r"account|everything)\b|数据|信息|记录|资料|聊天|隐私|忘记我|忘了我|删",
    re.IGNORECASE,
)
# Wanting to cancel (not asking why an order was cancelled): the NLU intent's safety net.
_CANCEL = re.compile(
    r"\b(?:can|could|want to|wanna|how (?:do|can) i|how to|please|pls|plz|i'?d like to|need to|"
    r"let me|u|you|ya|just|actually|then|i wanna|wish to|gotta)\b.{0,12}\bcanc[el]{2}\b|"
    r"^(?:(?:ok|okay|actually|just|pls|please|plz|then|so|hmm|ugh|oh|no wait|wait)[\s,.!]+)*"
    r"canc[el]{2}\b|\bcanc[el]{2} (?:my |the |this |that )?(?:order|it|purchase)\b|"
    r"想取消|要取消|怎么取消|咋取消|如何取消|能(?:不能)?取消|可以取消|可不可以取消|"
    r"取消(?:一下|掉|订单吧|吧|了吧|得了|行吗|行不)|帮我取消|(?:直接|还是|给我|麻烦|请)取消|"
    r"(?:帮我|给我|麻烦|请|直接)把.{0,10}取消|不想要了.{0,8}取消|不要了.{0,6}取消",
    re.IGNORECASE,
)
# Asking why or how it came to be cancelled, or saying it was: no request to cancel.
_WAS_CANCELLED = re.compile(
    r"\b(?:why|how come)\b|\bcanc[el]{2}(?:l?ed|ling|lation)\b|为什么|为啥|咋就|怎么就|凭什么|"
    r"被取消|已取消|显示.{0,4}取消|取消了[吗嘛?？]|谁取消|你们.{0,6}取消了|说取消就|就给我取消了|"
    r"\b(?:didn'?t|did not|never|not) (?:even )?(?:ask(?:ed)? to )?canc[el]{2}\b|"
    r"没(?:有)?(?:点|要|说|让)?(?:过)?取消",
    re.IGNORECASE,
)
# Why the customer cancels, in words that read like a defect ("got the wrong size" beside
# "can i cancel my order?"): their own mistake, the reason for the cancel, not a complaint.
_OWN_MISTAKE = re.compile(
    r"\b(?:got|ordered|picked|chose|bought|selected|clicked) (?:the |a )?wrong\b|"
    r"\bwrong (?:size|colou?r|model|one|item|address|thing)\b|by (?:mistake|accident)|"
    r"拍错|买错|下错|选错|点错|填错|写错",
    re.IGNORECASE,
)
_SHIPPED_YET = re.compile(
    r"\b(?:shipped|sent|left|dispatched|gone out)\b|发货|发出|发了|寄出", re.IGNORECASE
)
# Words that name an order: "cancel that" after an offer with none is a "no, leave it".
_ORDER_WORD = re.compile(r"\b(?:order|purchase|it)\b|单|订", re.IGNORECASE)
ADDRESS_QUESTION = {"en": "Can I change my delivery address?", "zh": "可以改收货地址吗"}
_PREFERENCE = re.compile(
    r"\b(?:i'?d|i would|would) (?:prefer|rather|like)\b.*\b(?:replacement|refund|repair|new one|"
    r"exchange)|\binstead of (?:a |the )?(?:refund|replacement|new one|exchange|repair)|"
    r"\bnot a (?:refund|replacement)\b|\b(?:refund|money back) instead\b|"
    r"\bjust (?:get |have )?(?:a |my )?(?:refund|money back|new one|replacement)\b|"
    r"不要退款|要换新|重新发|换个新的|给我换|不要换货|要退款不要|不想换|不换了|"
    r"直接退(?:钱|款)|退钱(?:吧|就行)|换(?:一|个)?新的",
    re.IGNORECASE,
)
_WANTS_REFUND = re.compile(r"refund|money|退款|退钱|不想换|不换|不要换", re.I)
# The remedy the customer turns down in the same breath ("a new one, not a refund",
# "换个新的 不要退款"): the other one is their choice, whichever word came last.
# Put second in a comparison, it is the one not wanted: "a new one rather than my money
# back", "i'd rather have a replacement than a refund", "prefer a new one over a refund",
# "与其退款不如换个新的", "比起退款更想换新的".
_NOT_REFUND = re.compile(
    r"\b(?:not|no|don'?t want|dont want|don'?t need|dont need|no need for|instead of|rather than|"
    r"than|over)\s+(?:(?:get|getting|have|having|take|taking|wait(?:ing)? for|being)\s+)?"
    r"(?:a |my |the |any |his |her |their |our )?(?:refund(?:ing|ed)?|money back|money)\b|"
    r"不要退款|不退款|不想退(?:款|钱)?|不用退(?:款|钱)?|不要退钱|(?:与其|比起)(?:要|给我)?退(?:款|钱)|"
    # "退款就算了", "钱不用退", "换新的比退款好": the refund put aside.
    r"退(?:款|钱)(?:就|也)?(?:算了|不要了|不用了)|钱不用退|比退(?:款|钱)(?:好|强|方便|划算|省事)",
    re.IGNORECASE,
)
_NOT_REPLACEMENT = re.compile(
    r"\b(?:not|no|don'?t want|dont want|instead of|rather than|than|over)\s+"
    r"(?:(?:get|getting|have|having|take|taking|wait(?:ing)? for)\s+)?"
    r"(?:a |the |another |any )?(?:replacement|new one|exchange|swap)\b|"
    r"(?:与其|比起)(?:要|给我)?换(?:货|新的?|一个|个新的)?|比换(?:货|新的?)(?:好|强|方便|划算|省事)|"
    # Called off: "cancel the exchange", "forget the replacement", "换货取消", "取消换货".
    r"\b(?:cancel|forget|scrap|drop|call off|withdraw)\s+(?:the |my |that )?"
    r"(?:replacement|exchange|swap)\b|"
    r"不要换(?:货|新的?)?|不想换|不换了?|不用换|不要新的|换货(?:就|也)?(?:取消|撤销|算了|不要了)|"
    r"(?:取消|撤销)(?:掉)?换货",
    re.IGNORECASE,
)
# Changing where an order goes: answered from where that order is.
_CHANGE_ADDRESS = re.compile(
    r"\b(?:change|update|correct|fix|edit)\b.{0,20}\baddress\b|\bnew address\b|"
    r"\bwrong address\b|改.{0,16}地址|(?:收货)?地址.{0,4}(?:改|换|写错|填错)|"
    r"换(?:个)?地址|"
    # "can i change where my parcel goes", "have it delivered somewhere else"
    r"\b(?:change|switch) where\b.{0,25}\b(?:go(?:es|ing)?|deliver(?:ed|s)?|sent|ship(?:s|ped)?)\b|"
    r"\b(?:deliver(?:ed)?|sen[dt]|ship(?:ped)?|redirect(?:ed)?)\b.{0,12}\b(?:to )?"
    r"(?:somewhere|someplace) else\b|"
    r"\b(?:deliver(?:ed)?|sen[dt]|ship(?:ped)?)\b.{0,12}\bto (?:a |an )?"
    r"(?:different|another|other) (?:address|place|location)\b|"
    r"寄到别的地方|送到别的地方|改(?:一?下)?送货地点|"
    # Moving house: "send the toaster to the new place instead", "能寄新家吗".
    r"\b(?:deliver(?:ed)?|sen[dt]|ship(?:ped)?|redirect(?:ed)?|bring|take)\b.{0,30}"
    r"\bto (?:the |my |our )?new (?:place|flat|house|home|address)\b|(?:寄|送|发|改)(?:到)?新家|"
    # "it was delivered to my old address", "送到我以前的地址去了": where it went, to be
    # answered from where the order is (a delivered one can no longer be redirected).
    r"\b(?:deliver(?:ed)?|sen[dt]|went|gone|going|ship(?:ped)?|dropped off)\b.{0,15}"
    r"\b(?:old|previous|former|last|old home|parents'?) address\b|"
    r"(?:送|寄|发|派送|配送)(?:到|去)了?(?:我)?(?:的)?(?:旧地址|老地址|以前的?地址|之前的?地址|原来的?地址)",
    re.IGNORECASE,
)
# The new address given with the redirect, unasked: "actually send it to 12 Park Rd
# instead", "ship it to flat 2 ... instead", "改寄到张江路88号吧": the address itself.
_REDIRECT_TO = re.compile(
    r"\b(?:sen[dt]|ship|deliver|post)\b(?: (?:it|them|the parcel|my order|the order))?"
    r"(?: over)? to (?:\d+[a-z]?|flat|apt|unit)\b[\w ,.'-]{2,60}?\binstead\b|"
    r"(?:改|换)(?:寄|送|发)到.{2,30}?(?:路|街|道|号|小区|栋)",
    re.IGNORECASE,
)
_OFFERS = (Question.HUMAN, Question.OPEN_CASE, Question.FOLLOW_UP)
# A street address written out: a house number and a street ("14 Elm Road", "221b baker st",
# "flat 3, 41 Mill Lane"), a postcode ("LS6 2AB"), "朝阳区建国路88号3单元", "1栋502". Its numbers
# are the address, never an amount, an order number or a phone.
_STREET = (
    r"road|rd|street|st|avenue|ave|lane|ln|close|drive|dr|crescent|cres|court|ct|"
    r"place|pl|terrace|grove|gardens|gdns|park|square|sq|hill|mews|"
    r"boulevard|blvd|parade|highway|hwy"
)
ADDRESS_SHAPE = re.compile(
    r"(?<![\w-])\d{1,5}[a-z]?,?\s+(?:the\s+)?"
    r"(?:(?!(?:to|my|at|in|on|for|of|a|an|your|our|it|is|go|and|or|new|old)\b)[a-z'.-]+\s+){1,3}?"
    r"(?:" + _STREET + r")\b\.?|"
    r"\b(?:flat|apt|apartment|unit|suite)\s*\d+[a-z]?\b|"
    r"\b[a-z]{1,2}\d[a-z\d]?\s?\d[a-z]{2}\b|"  # a UK postcode
    r"(?:路|街|道|段|巷|弄|胡同|村|小区|花园|大厦|广场)\s*\d+\s*(?:号|弄|栋|幢)|"
    r"\d+\s*(?:号楼|栋|幢|单元|室)",
    re.IGNORECASE,
)
# Where a parcel went, not where it is to go: "it was delivered to 12 Park Rd", "送到了xx路".
_WENT_TO = re.compile(
    r"\b(?:delivered|went|gone|left|dropped(?: off)?|signed for)\b|\b(?:do|does|is|are) (?:you|u) "
    r"(?:deliver|ship|send)|送到了|送错|签收了|配送范围|送不送|能送|能寄|寄不寄",
    re.IGNORECASE,
)


# The address stated in so many words: "new address is ...", "the address should be ...",
# "ship it to ...", "地址改成...", "新地址 ...", "改到...".
_STATES_ADDRESS = re.compile(
    r"^\W*(?:(?:ok|okay|so|right|yes|yeah|pls|please|and)[\s,]+)*(?:(?:the|my|our) )?"
    r"(?:new (?:address|one|addy)|address|addy|new delivery address|delivery address)"
    r"(?: should| will| would| needs to| has to)?(?: be| is|'s|:| =)\s*|"
    r"^\W*(?:(?:ok|okay|so|pls|please)[\s,]+)*(?:(?:please|pls|can you|could you) )?"
    r"(?:ship|send|deliver|post|change|update|switch) (?:it|them|the (?:parcel|order|address)|my "
    r"(?:parcel|order|address))? ?to\s+|"
    r"^\W*(?:亲)?\s*(?:新的?(?:收货|配送|送货)?地址|(?:收货|配送|送货)?地址)"
    r"(?:(?:麻烦|帮我|给我|请)?(?:改成|改为|换成|改到)|是|为|写|:|：)?\s*|"
    r"^\W*(?:亲)?\s*(?:麻烦|帮我)?(?:改到|改成|改为|换成|换到|寄到|送到|发到)\s*",
    re.IGNORECASE,
)
# The words that introduce an address anywhere in a message: "new address is", "address:",
# "ship it to", "地址是", "地址：", "改成", "寄到".
_ADDRESS_MARKER = re.compile(
    r"\b(?:new (?:delivery |shipping )?address|(?:delivery |shipping )?address)"
    # ("new address for 81470 is ...", "the address for order A-1001 should be ...")
    r"(?: for (?:order |my order |the order )?#?[\w-]+)?"
    r"(?: should| will| would| needs to)?(?: be| is|'s|:| =)\s*|"
    r"\b(?:ship|send|deliver|post) (?:it|them|the (?:parcel|order)|my (?:parcel|order))? ?to\s+"
    r"(?=\d)|"
    r"地址(?:是|为|改成|改为|换成|:|：)\s*|(?:改到|改成|改为|换成|换到|寄到|送到|发到)\s*(?=\S{4})",
    re.IGNORECASE,
)
# Said after the address: "instead", "now", "thanks", "吧", "谢谢".
_ADDRESS_TAIL = re.compile(
    r"[\s,.!。！，]*(?:\b(?:instead|now|please|pls|thanks|thank you|thx|ty)\b|吧|谢谢|麻烦了|哈)"
    r"[\s,.!。！，]*$",
    re.IGNORECASE,
)


# What follows "my address is" when it is no address: "wrong", "the same", "不对".
_NOT_AN_ADDRESS = re.compile(
    r"^(?:wrong|incorrect|not|still|the same|same|old|fine|ok|okay|correct|right|missing|"
    r"outdated|changed|different|错|不对|没变|一样|有误|填错)",
    re.IGNORECASE,
)
# "its 77 queen st": the words before an address said plainly.
_IT_IS = re.compile(r"^(?:it'?s|it is|that'?s|is|就是|是)\s*", re.IGNORECASE)


def states_address(text: str) -> bool:
    """True when the message gives an address in so many words ("the address should be Rose
    Cottage, Mill Lane", "地址改成中山路12号"), whatever its shape."""
    found = _STATES_ADDRESS.search(text)
    if found is None:
        return False
    rest = text[found.end() :].strip()
    return len(rest) >= 4 and _NOT_AN_ADDRESS.match(rest) is None


_WRONG_LEAD = re.compile(
    # (The slip owned up to first too: "oops typo, its flat 2 ...", "no wait, ...".)
    r"^(?:(?:oops|sorry|sry|soz|my bad|my mistake|no wait|wait|typo|actually|correction)\b"
    r"[\s,.!:]*)*"
    r"(?:(?:(?:is |was )?(?:wrong|incorrect|not right)|(?:写|填|打)?错了|不对)[\s,，.。:：]*)?",
    re.IGNORECASE,
)
_CORRECTED_TO = re.compile(r"应该是|应该为|应为|正确的是|\bshould (?:be|read|say)\b", re.IGNORECASE)
_TYPO_NOTE = re.compile(
    r"[\s,，.。;；]+(?:not \d+\w*\b|i (?:missed|forgot|left out|typed|put)\b|missed a\b|typo\b|"
    r"少写了?|少打了?|多写了?|多打了?|漏(?:写|打)了?|少了(?=一?个?(?:\d|零|数字))|多了(?=一?个?(?:\d|零|数字))|"
    r"写成了?|打成了?).*$",
    re.IGNORECASE,
)


def written_address(text: str) -> str:
    """The address as the customer wrote it, without the words around it ("new address is",
    "ship it to ... instead", "地址改成...吧"), to say back."""
    address = " ".join(text.split())
    found = _STATES_ADDRESS.search(address)
    if found is None:
        # "its 81460. new address is 14 Elm Road", "订单号4778 麻烦改成她家的地址：...": what
        # follows the last words that introduce it, never the order number or the story.
        found = next(reversed(list(_ADDRESS_MARKER.finditer(address))), None)
    if found is not None:
        address = address[found.end() :]
    # A correction: "wrong, its 120 Mill Lane not 12, i missed a 0", "错了 应该是人民路200号
    # 少写了个0": the address put right, without what was wrong with it.
    address = _WRONG_LEAD.sub("", address)
    corrected = list(_CORRECTED_TO.finditer(address))
    if corrected:
        address = address[corrected[-1].end() :]
    address = _TYPO_NOTE.sub("", address)
    address = _IT_IS.sub("", address)
    while (tail := _ADDRESS_TAIL.search(address)) is not None and tail.start() > 0:
        address = address[: tail.start()]
    return address.strip(" ,.;:!。，！") or " ".join(text.split())


# A number put right in so many words: "my bad its unit 7 not 77", "should be 15 not 115", "i
# meant no. 7", "应该是28号", "门牌是28号 不是228号", "楼号多写了个2 应该是28号".
_RIGHT_NOT_WRONG = re.compile(
    r"(?P<right>\d+)\s*[a-z]?\s*[,，]?\s*(?:not|instead of|rather than|不是)\s*"
    r"(?:no\.?\s*|number\s*)?(?P<wrong>\d+)",
    re.IGNORECASE,
)
_RIGHT_ONLY = re.compile(
    r"(?:\bshould (?:be|read|say)|\bi meant|\bmeant to (?:be|say)|\bit'?s (?:actually|meant to be)|"
    r"应该是|应该为|应为|正确的是|改成|是)\D{0,12}?(?P<right>\d+)",
    re.IGNORECASE,
)
# That a digit went wrong: "typo", "typed one too many", "多写了个2", "少写了个0".
_DIGIT_SLIP = re.compile(
    r"\b(?:typo|typed|mistyped|missed|extra|too many|not)\b|"
    r"多打|少打|多写|少写|打错|写错|多了|少了|不是|应该是|门牌",
    re.IGNORECASE,
)


def _one_digit_apart(a: str, b: str) -> bool:
    """True when one digit added, dropped or changed turns ``a`` into ``b`` ("115" / "15")."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return any(longer[:i] + longer[i + 1 :] == shorter for i in range(len(longer)))


def corrected_address(before: str, text: str) -> str | None:
    """The address ``before`` with the number the customer puts right ("my bad its unit 7 not
    77", "楼号多写了个2 应该是28号"), or None when the message puts no number of it right."""
    if _DIGIT_SLIP.search(text) is None:
        return None
    found = _RIGHT_NOT_WRONG.search(text)
    right = found.group("right") if found else None
    wrong = found.group("wrong") if found else None
    if right is None:
        only = _RIGHT_ONLY.search(text)
        right = only.group("right") if only else None
    if right is None:
        return None
    numbers = list(re.finditer(r"(?<!\d)\d+(?!\d)", before))
    slip = next(
        (
            m
            for m in numbers
            if (m.group() == wrong if wrong else _one_digit_apart(m.group(), right))
        ),
        None,
    )
    if slip is None:
        return None
    return before[: slip.start()] + right + before[slip.end() :]


# The labels of an order confirmation pasted into the chat: "Ship to:", "Total paid",
# "Qty", "收货地址：", "实付", "商品：". Its address is where the order goes already.
_RECEIPT_LABEL = re.compile(
    r"\border confirm(?:ation|ed)\b|\b(?:ship(?:ping)? to|deliver(?:y|ing) to|shipping address|"
    r"delivery address|billing address)\s*:|\b(?:total(?: paid)?|subtotal|amount paid|qty|"
    r"quantity|order (?:no|number|#|date)|items?)\s*:|\bx\s?\d+\b|"
    r"订单确认|(?:收货|配送|送货)地址[:：]|实付|合计|小计|应付|数量[:：]|商品[:：]|订单号[:：]|下单时间",
    re.IGNORECASE,
)


def pasted_receipt(text: str) -> bool:
    """True for an order confirmation pasted in (two of its labels or more): its address is
    the one the order has, not a new one; its figures are no amount asked about."""
    return len(_RECEIPT_LABEL.findall(text)) >= 2


def gives_address(turn: Turn) -> bool:
    """True when the message writes out a street address for the order in play: "new address
    is 14 Elm Road, Leeds LS6 2AB", "pls send it to 221b baker st", "新地址是朝阳区建国路88号3单元",
    "寄到深圳市南山区科技园南路12号吧" (not where it went, nor whether an area is served, nor the
    address of an order confirmation pasted in)."""
    text = turn.message.text
    if turn.order_in_play is None or ADDRESS_SHAPE.search(text) is None:
        return False
    if pasted_receipt(text):
        return False
    if DEFECT.search(text) and not states_address(text):
        return False  # "51003 the lid doesnt close anymore": a fault, its number no street
    return _WENT_TO.search(text) is None


# Order numbers asked for to do something the customer may take in plain words.
_OFFERED_CHECKS = (Purpose.PAYMENT, Purpose.REFUND, Purpose.CANCEL)
# When the order was placed ("I only ordered it yesterday", "就是前天下的单"): an order the
# shop does not know yet may be too new, or mistyped.
_ORDERED_WHEN = re.compile(
    r"\b(?:ordered|placed|bought|paid|order(?:ed)? it)\b.{0,25}\b(?:yesterday|today|"
    r"this (?:morning|afternoon)|last (?:night|week)|an? (?:hour|minute|few)|"
    r"\d+ (?:hours?|minutes?|mins?|days?) ago|(?:two|three|couple of) days ago|"
    r"on (?:mon|tue|wed|thu|fri|sat|sun))|"
    r"\b(?:yesterday|today|this morning|last night)\b.{0,20}\b(?:ordered|placed|bought|paid)|"
    r"\bjust (?:ordered|placed|bought|paid)|"
    r"(?:昨天|前天|今天|刚刚?|才|上午|下午|晚上|早上|大前天|几天前|\d+天前|上周|上个?礼拜)"
    r".{0,8}(?:下的?单|买的|付的?款|订的|拍的)|"
    r"(?:下单|买|付款).{0,6}(?:昨天|前天|今天|刚)",
    re.IGNORECASE,
)
POSTAGE = re.compile(r"shipping|postage|delivery (?:cost|fee|charge)|运费|邮费|包邮|配送费", re.I)

_REFUND_TIME = {"en": "How long do refunds take?", "zh": "退款多久到账"}
_DELIVERY_COST = {"en": "How much is shipping?", "zh": "运费多少"}
_DELIVERY_TIME = {"en": "How long does delivery take?", "zh": "几天能到"}
# Topics after which "which courier", "when will it come" are about the order in play.
_ORDER_TOPICS = ("ask_order_status", "ask_delivery", NEW_ADDRESS, "complaint", CASE_STATUS)
_PURPOSE_INTENTS = {
    Purpose.ORDER_STATUS: "ask_order_status",
    Purpose.COMPLAINT: "complaint",
    Purpose.PAYMENT: "complaint",
    Purpose.RETURN: "ask_returns_refunds",
    Purpose.CANCEL: CANCEL_ORDER,
    Purpose.CHASE: "complaint",
    Purpose.CHANGE: CHANGE_ORDER,
}
# The bot's offer taken in plain words ("ok please check it", "yeah do that", "麻烦查一下",
# "可以 帮我弄一下"): a yes to what it offered, though no "yes" is said.
_TAKE_IT = re.compile(
    r"^(?:(?:ok(?:ay)?|yes|yeah|yep|ya|yup|sure|fine|alright|right|great|cool|k|then|so|"
    r"please|pls|plz|just|go on|ugh|oh|mhm)[\s,.!]*)*"
    r"(?:please |pls |plz |can you |could you |would you |can u |could u |yes |yeah )?"
    r"(?:do (?:that|it|so|this)|check (?:it|that|this|please|for me|on it)|go for it|go ahead|"
    r"sort it(?: out)?|look into it|have (?:it|that|them) (?:checked|looked at)|"
    r"get it (?:checked|sorted|done)|open (?:it|one|that)|make (?:it|one)|"
    r"that(?:'d| would) (?:be )?(?:great|good|nice|help(?:ful)?)|yes do|please do|"
    # What was offered, named: "ok change it then", "yep pass it on", "pls hand it over".
    r"(?:change|update|fix|correct|amend) (?:it|that|them|this)|"
    r"(?:pass|hand|send|put) (?:it|that|this|them) (?:on|over|through|along)|"
    r"pass (?:it|that) to (?:them|the team|someone))"
    r"(?:[\s,]*(?:please|pls|plz|then|now|for me|thanks|thx|ty|asap|quick(?:ly)?|if you can))*"
    r"[\s.!]*$|"
    r"^(?:好的?|行|可以|嗯嗯?|对|要|那|那好|好吧|ok)?[\s,，]*(?:那就|就|麻烦|请|那)?(?:你|您)?"
    r"(?:帮我|给我|帮忙|替我)?(?:查(?:一下|一查|查|下)?|核查(?:一下)?|核实(?:一下)?|"
    r"弄(?:一下|下)?|处理(?:一下|下)?|安排(?:一下|下)?|开(?:一个|个)?(?:工单)?|办(?:一下)?|"
    r"跟进(?:一下)?|改(?:一下|下)?|转(?:交)?(?:一下|下|过去|给(?:他们|客服|同事|人工))?|"
    r"(?:交|提交)给(?:他们|客服|同事))(?:吧|呗|嘛|啊|呀|一下)?[\s,，]*(?:谢谢|麻烦了|麻烦你了|辛苦了)?"
    r"[\s。.!！~～]*$",
    re.IGNORECASE,
)
# "and the other one? A-1009", "那另一个单呢": the same question about another order.
OTHER_ONE = re.compile(
    r"\b(?:other|another|second|2nd)\b|另一|另外一|另外那|第二个|还有一个", re.IGNORECASE
)
# The choice of remedy for a faulty item, once the bot gave it: a replacement or the money.
_REMEDY_REPLACE = re.compile(
    r"replac|new one|swap|exchange|\bnew (?:pair|set|unit|item|piece)\b|"
    r"\banother (?:one|pair|set|unit)\b|\ba working one\b|"
    r"换(?:个|一个)?新|换货|换一个|换新|换一(?:台|副|双|件)|重新发|再发一个|补发|"
    r"(?:寄|发)(?:个|一个)?新的", re.I
)
_REMEDY_REFUND = re.compile(
    r"refund|money back|退款|退钱|退了吧|退掉|钱退(?:给)?我|把钱退|钱还我", re.IGNORECASE
)
# A remedy that has not come ("no replacement came yet", "退款还没到"): no choice made.
_NOT_YET = re.compile(
    r"\b(?:yet|came|come|arrived|received|still|where)\b|还没|没到|没收到|到账", re.IGNORECASE
)
# complaint.REPLACEMENT: the reply that gives the choice of replacement or refund.
_CHOICE_GIVEN = "complaint_replacement"


@dataclass(frozen=True, slots=True)
class Reading:
    """What to do with a message: the intent to act on, and for a knowledge answer the
    question to look up instead of the words written (a follow-up such as "how long")."""

    intent: str
    question: str | None = None
    accepted: bool = False  # yes to the bot's offer (of a case, a person, a follow-up)
    follow_up: bool = False  # "how long?", "why?" about what was just said
    # What about the order in play it asks: CARRIER, ORDERED_RECENTLY or LATE_REFUND.
    detail: str | None = None
    # The knowledge-base entry that answers it, found by what the last answer was about.
    entry: str | None = None


# Details of a Reading about the order in play.
# CARRIER (handlers/dialogue.py): "which courier is it with": that order's carrier, tracking.
ORDERED_RECENTLY = "ordered_recently"  # "I only ordered it yesterday" after "not found"
LATE_REFUND = "late_refund"  # "still nothing on my card": timing, and a case or a person
CANCEL_REFUND = "cancel_refund"  # "how long til i see my money" after a cancellation
# "ok please check it" to the bot's request for an order number (to check a charge, to
# cancel): the order in play if there is one, else the number asked for again, and why.
TAKE_OFFER = "take_offer"
REMEDY = "remedy"  # "yes a replacement please": the customer's choice, on the open case


# Which courier, in so many words ("ok which courier is order A-1001 with", "用的哪家快递").
_CARRIER_QUESTION = re.compile(
    r"\b(?:which|what|who)\b.{0,25}\b(?:courier|carrier|delivery company)\b|"
    r"\b(?:courier|carrier)\s*[?？]|哪家快递|什么快递|啥快递|哪个快递|快递是哪|用的哪家|哪家(?:送|发|配送)",
    re.IGNORECASE,
)


def asks_carrier(turn: Turn, text: str) -> bool:
    """True when the message asks which courier has an order: the act, or its words."""
    return read_act(turn, text) is Act.ASK_CARRIER or _CARRIER_QUESTION.search(text) is not None


def asks_for_a_case(text: str) -> bool:
    """True when the customer asks in so many words for a case to be opened."""
    return _OPEN_A_CASE.search(text) is not None


def chosen_remedy(text: str) -> str | None:
    """ "refund" or "replacement" when a message picks one ("yes a replacement please",
    "换个新的吧"), else None (neither, or both without a preference)."""
    preference = states_preference(text)
    if preference is not None:
        return preference
    refund = _REMEDY_REFUND.search(text) is not None
    replacement = _REMEDY_REPLACE.search(text) is not None
    if refund == replacement:
        return None
    if replacement and _NOT_REPLACEMENT.search(text) is not None:
        return None  # "cancel the exchange", "不要换货": turned down, nothing chosen instead
    return "refund" if refund else "replacement"


def cancel_reason(text: str) -> bool:
    """True for a clause that says why the customer cancels ("got the wrong size", "拍错了")."""
    return _OWN_MISTAKE.search(text) is not None


def wants_cancel(text: str, intent: str) -> bool:
    """True when a clause asks for an order to be cancelled, in its own words (not "why was
    it cancelled", "我又没点取消")."""
    if _WAS_CANCELLED.search(text):
        return False
    return intent == CANCEL_ORDER or _CANCEL.search(text) is not None


def asks_if_shipped(text: str) -> bool:
    """True for a clause asking whether the order has left ("it hasnt shipped yet has it")."""
    return _SHIPPED_YET.search(text) is not None


# "can u check A-1001 and A-1003 for me", "pls look into 88231", "帮我查一下A-1002": asking to
# look orders up, with nothing said to be wrong, is a status question, not a complaint.
_CHECK = re.compile(
    r"\b(?:check(?:ing)? (?:on|up on)?|look(?:ing)? (?:into|at|up)|find out about|track|trace|"
    r"see about|update on|status of)\b|查(?:一下|下|查|询)?|看(?:一下|下|看)|跟进",
    re.IGNORECASE,
)
# The words such a request is made of besides the check itself and the order numbers.
_CHECK_FILLER = re.compile(
    r"\b(?:hi|hey|hello|can|could|would|will|u|you|pls|plz|please|kindly|for|me|and|&|on|"
    r"my|the|these|those|two|both|orders?|numbers?|nos?|quickly|quick|thanks?|thx|ty|"
    r"status|of|up|what'?s|whats|an?|just|them|it|they|all|these|those|both of them)\b|"
    r"帮(?:我|忙)?|麻烦(?:你)?|请|能|可以|一下|下|我的|这(?:两)?个|那(?:两)?个|两个|订单(?:号)?|单子?|和|跟|还有|"
    r"谢谢|吗|呢|吧|呀|啊|您|你|好",
    re.IGNORECASE,
)


# The order a case is about, as its summary says it (handlers/orders.py with_order).
_CASE_ORDER = re.compile(r"^order: \S+$", re.MULTILINE)


def moved_on(turn: Turn) -> bool:
    """True when the order in play (named now, or last talked about) is on none of the open
    cases, each of which is about an order of its own: "why is it still processing", "can i
    cancel it then", "93202签收了吗" once the customer turned from the case's order to another
    are about that other order, not more for the case."""
    number = turn.order_in_play
    open_cases = turn.context.open_cases
    if number is None or not open_cases:
        return False
    return all(
        _CASE_ORDER.search(c.summary) is not None and not names_order(c.summary, number)
        for c in open_cases
    )


# Orders introduced as the customer's, nothing said about them yet: "i have two orders",
# "i placed 2 orders", "my orders are", "我有两个单", "我下了两单" (several of them: one order
# said so, "the order is 63020", is the number the bot may have asked for).
_INTRODUCES = re.compile(
    r"\b(?:i (?:have|had|got|placed|made|ordered|did)|i'?ve (?:got|placed|made|ordered)|"
    r"(?:my|the) orders? (?:are|is|numbers? (?:are|is))|there (?:are|were))\b|"
    r"我(?:有|下了|买了|订了|拍了|下过)|(?:订单|单号)(?:是|分别是)",
    re.IGNORECASE,
)
# Besides the order words: how many ("2 orders", "两单", "俩单子").
_HOW_MANY = re.compile(
    r"\b(?:2|3|two|three|a couple of|couple)\b|[两俩二三](?:个|笔)?(?:单子?|订单)?", re.IGNORECASE
)


def only_asks_to_check(text: str, orders: list[str]) -> bool:
    """True for a message that only asks for orders to be looked up ("pls look into A-1001
    and A-1003"), or only says they are the customer's ("i have two orders, 92201 and
    92203", "我下了两单 92201 92202"), with no problem in it: what is left without the check,
    the order numbers and politeness has no word."""
    introduced = len(orders) > 1 and _INTRODUCES.search(text) is not None
    if not orders or (_CHECK.search(text) is None and not introduced):
        return False
    rest = _INTRODUCES.sub(" ", _CHECK.sub(" ", text))
    for order in orders:
        rest = re.sub(re.escape(order), " ", rest, flags=re.IGNORECASE)
    rest = _CHECK_FILLER.sub(" ", _HOW_MANY.sub(" ", rest))
    return not any(c.isalnum() for c in rest)


def takes_it(text: str) -> bool:
    """True for a plain-words yes to what the bot offered ("ok please check it", "麻烦查一下")."""
    return _TAKE_IT.match(text.strip()) is not None


def states_preference(text: str) -> str | None:
    """ "refund" or "replacement" when the customer says which they want for a faulty item."""
    no_refund = _NOT_REFUND.search(text) is not None
    no_replacement = _NOT_REPLACEMENT.search(text) is not None
    # "actually replacement pls not refund", "退钱 不要换货": one named, the other turned
    # down, however it is said ("no refund yet" alone names no other remedy: not a choice,
    # nor "no replacement came yet, where is my refund").
    named = _NOT_YET.search(text) is None
    if named and no_refund and not no_replacement and _REMEDY_REPLACE.search(text):
        return "replacement"
    if named and no_replacement and not no_refund and _REMEDY_REFUND.search(text):
        return "refund"
    if _PREFERENCE.search(text) is None:
        return None
    if no_refund != no_replacement:
        return "replacement" if no_refund else "refund"
    return "refund" if _WANTS_REFUND.search(text) else "replacement"


def asks_if_bot(text: str) -> bool:
    """True when the customer asks whether they are talking to a bot or a person."""
    return _ARE_YOU_A_BOT.search(text) is not None


def says_waited(text: str) -> bool:
    """True for a clause that only says how long the customer has waited ("its been days")."""
    return _WAITED.search(text.strip()) is not None


def denies_defect(text: str) -> bool:
    """True when the customer says nothing is faulty ("no its fine nothing broken")."""
    return _NO_DEFECT.search(text) is not None


# Money on a case: a charge, a refund chosen or waited on ("charged twice", "i'd rather have
# my money back", "扣了两次", "退款").
_CASE_MONEY = re.compile(MONEY.pattern + r"|\bcharg\w*|\bdebited\b|扣", re.IGNORECASE)


def _case_about_money(turn: Turn) -> bool:
    """True when an open case is about money (a charge, a refund chosen): "how long till the
    money's back" is that case's; with only a broken kettle's case open it is the refund time
    in general, answered from the knowledge base."""
    return any(_CASE_MONEY.search(case.summary) for case in turn.context.open_cases)


def about_the_case(turn: Turn) -> bool:
    """True when a message not understood still asks after the case: when, why, done yet."""
    text = turn.message.text.strip()
    return read_act(turn, text) in _ABOUT_A_CASE or _DONE_YET.search(text) is not None


# What a question about an open case does: its status, when, why, what next.
_ABOUT_A_CASE = (Act.ASK_CASE_STATUS, Act.ASK_HOW_LONG, Act.ASK_WHY, Act.ASK_WHAT_NEXT)
_DONE_YET = re.compile(
    r"\b(?:yet|already|done|sent|fixed|sorted)\b|了吗|好了没|没有[?？]*$", re.IGNORECASE
)


def read_act(turn: Turn, text: str) -> Act | None:
    """What a message does in the conversation (a yes, "how long?", "然后呢"), or None for a
    request of its own. Long messages are left to the main NLU: the act data is of the
    short turns people write in a chat. Read once per text and turn."""
    memo = turn.outcome.acts
    if text not in memo:
        memo[text] = _act_of(turn, text)
    return memo[text]


def _act_of(turn: Turn, text: str) -> Act | None:
    if length(text) <= _ACT_WORDS:
        return turn.deps.acts.read(text)
    # "the toaster sparks when i turn it on, id like to speak to someone": a long message
    # still does what one of its parts does, for the few acts that carry a whole message.
    acts = {
        turn.deps.acts.read(part)
        for part in _PARTS.split(text)
        if part and part.strip() and length(part) <= _ACT_WORDS
    }
    # The first in this order: "it never arrived, just give me my refund" is a missing
    # parcel, not a refund that has not reached the card.
    return next((act for act in _WHOLE_MESSAGE_ACTS if act in acts), None)


def one_story(turn: Turn, text: str) -> bool:
    """True for a short message whose clauses tell one story the bot answers as a whole
    ("B-2232的包早就寄回去了 退款到现在还没到": a refund that has not come, not a complaint
    about a parcel sent back plus a refund question)."""
    if length(text) > _ACT_WORDS:
        return False
    scored = turn.deps.acts.score(text)
    return scored.act in _ONE_STORY_ACTS and scored.confidence >= _ONE_STORY_CONFIDENCE


_ONE_STORY_ACTS = (Act.REFUND_NOT_RECEIVED, Act.NEVER_DELIVERED)
# Surer than the reading threshold: splitting keeps a second request, this drops the split.
_ONE_STORY_CONFIDENCE = 0.8


def length(text: str) -> int:
    """How long a message is, in words (two Chinese characters count as one)."""
    return len(re.findall(r"[A-Za-z0-9']+", text)) + ideographs(text) // 2


# "will the money go back to my paypal?", "会退回支付宝吗": how refunds work, not one missing.
_YES_NO_QUESTION = re.compile(
    r"吗[?？\s]*$|怎么(?!还|都|一直)|^(?:(?:and|so|ok)\s+)?(?:will|does|do|is|can|could|would)\b|"
    r"^how (?:do|can|will|does)\b",
    re.IGNORECASE,
)
# The longest message (words, or two ideographs each) read for its act as a whole.
_ACT_WORDS = 16
_PARTS = re.compile(r"[,，.。!！?？;；]+|\b(?:and|but|so)\b|但是|而且|不过|可是", re.IGNORECASE)
_WHOLE_MESSAGE_ACTS = (
    Act.WANTS_PERSON,
    Act.NEVER_DELIVERED,
    Act.REFUND_NOT_RECEIVED,
    Act.ASK_CASE_STATUS,
)


def only_order(turn: Turn, text: str) -> bool:
    """True when the message is an order number and a few words about it ("its A-1001",
    "订单号是88231"), no street or house number beside it."""
    entity = turn.parse.entity("order_number")
    rest = text.replace(entity.text, " ") if entity is not None else text
    return not any(c.isdigit() for c in rest) and _short(rest)


def _short(text: str) -> bool:
    cjk = ideographs(text)
    words = len(re.findall(r"[A-Za-z0-9']+", text))
    return words + cjk // 2 <= 9


def purpose_intent(purpose: Purpose | None) -> str:
    """The intent an order number asked for ``purpose`` is acted on as."""
    return _PURPOSE_INTENTS.get(purpose, "ask_order_status") if purpose else "ask_order_status"


# The detail of a Reading that has the courier chased (handlers/lost_parcel.py).
CHASE_CARRIER = "lost_parcel_chase"
# What an order number the bot asked for is acted on as, beyond its intent: the one place
# that says what the number asked for does ("what was asked and why").
_PURPOSE_READINGS = {
    # The order of the address already on a case.
    Purpose.ADDRESS: Reading(NEW_ADDRESS),
    # The order after the express answer: express for that order, from where it is.
    Purpose.EXPRESS: Reading("ask_delivery", entry=EXPRESS_ENTRY),
    # The order of a refund that has not come, sent as the refund answer asked.
    Purpose.REFUND: Reading("ask_returns_refunds", detail=LATE_REFUND),
    # The order whose courier the customer asked us to chase.
    Purpose.CHASE: Reading("complaint", detail=CHASE_CARRIER),
}


def purpose_reading(purpose: Purpose | None) -> Reading:
    """What an order number asked for ``purpose`` is acted on as (the request it was asked
    for, never the order's plain status unless that was asked)."""
    found = _PURPOSE_READINGS.get(purpose) if purpose is not None else None
    return found if found is not None else Reading(purpose_intent(purpose))


def read(turn: Turn, *, has_open_case: bool) -> Reading:
    """The intent to act on, given the question the bot asked and the conversation so far.

    What the message is about (a refund, a delivery) is kept for the next turns: a short
    "why so long?" a turn later is read on that subject, whatever the last answer's topic.
    """
    reading = _read(turn, has_open_case=has_open_case)
    matter = _matter(reading.intent, turn.message.text)
    if matter is not None:
        turn.outcome.matter = matter
    return reading


# "will it go back there?", "会退回支付宝吗": the money going back is a refund's subject.
_GOES_BACK = re.compile(r"\bgo(?:es)? back\b|\bback (?:to|on|onto) my\b|退回|原路", re.I)


def _matter(intent: str, text: str) -> Matter | None:
    """What the message is about beyond its intent: a refund, a delivery."""
    if REFUND_WORDS.search(text) or _GOES_BACK.search(text):
        return Matter.REFUND
    if intent == "ask_returns_refunds" and MONEY.search(text):
        return Matter.REFUND
    if intent in ("ask_delivery", "ask_order_status"):
        return Matter.DELIVERY
    return None


# The engine's reading for a request to erase the customer's data.
FORGET_REQUEST = "forget_request"
# Something the customer wants done or to know how to do ("remove the old card too", "i want
# to unlink it", "绑定的卡想解绑", "帮我删一下"): with what an FAQ entry names, a request for it.
_WANTS_DONE = re.compile(
    r"\b(?:remove|delete|unlink|update|change|replace|add|cancel|get rid of|take (?:\w+ )?off|"
    r"want|wanna|need|would like|i'?d like|please|pls|plz|how (?:do|can|to))\b|"
    r"想|要|麻烦|帮我|请|怎么|如何|删|解绑|更换|绑定",
    re.IGNORECASE,
)


# Words about the order number itself ("where do i find the order number", "单号在哪看"):
# a question about the number asked for, which may well mean they don't have it.
_ORDER_WORD = re.compile(r"\border\b|单号|订单|编号", re.IGNORECASE)


# Asked of things in general, not of the customer's own: "usually", "一般", "通常".
_IN_GENERAL = re.compile(
    r"\b(?:usually|normally|typically|generally|in general)\b|一般|通常|平时|平常", re.IGNORECASE
)


def _asks_other_topic(text: str, intent: str) -> bool:
    """True for a question on a topic of its own asked while the bot waits for an order number
    ("how do i update my email", "发票在哪下载"): answered, never taken for "I don't have it"."""
    return (
        intent in ANSWERED
        and is_question(text, form=True)
        and _ORDER_WORD.search(text) is None
    )


# An order number sent alone, a word or two around it ("its 85402", "订单号是85402").
_BARE_NUMBER = re.compile(
    r"^\W*(?:(?:it'?s|its|the|order|number|no|is|this|one|那个|这个|订单号?|单号|是)\W*)*$",
    re.IGNORECASE,
)


def _read(turn: Turn, *, has_open_case: bool) -> Reading:
    text = turn.message.text.strip()
    intent = turn.parse.intent
    asked = turn.dialogue.asked
    has_order = turn.parse.entity("order_number") is not None
    act = read_act(turn, text)
    if intent == CANCEL_ORDER and RETURN.search(text) and not _CANCEL.search(text):
        # "i want to return my order C-7781 i dont need it anymore": a return asked for in
        # so many words; an order not shipped yet is explained as such (nothing to send back).
        intent = "ask_returns_refunds"
    elif intent == CANCEL_ORDER and not wants_cancel(text, intent):
        # "我又没点取消", "why did you cancel it": about a cancellation, not asking for one.
        intent = "ask_order_status" if turn.order_in_play else FALLBACK
    elif intent == FALLBACK and wants_erased(text) and not has_order:
        # "can you wipe all the info you hold about me": the erasure, however unsure the engine.
        intent = FORGET_REQUEST
    elif (
        intent == FORGET_REQUEST
        and not asks_to_erase(text)
        # (A shrug, "whatever, forget it", is a polite close below.)
        and (_ERASURE_WORDS.search(text) or is_question(text, auxiliaries=False))
    ):
        # "pls remove my card", "那张卡咋删": something else to delete (answered below from
        # the FAQ entry that names it), never everything the customer has with us erased.
        intent = FALLBACK

    if asked is not None:
        if asked.question is Question.ORDER_NUMBER:
            if has_order:
                return purpose_reading(asked.purpose)
            if asked.order is not None and _ORDERED_WHEN.search(text):
                # "就是前天下的单" after order X was not found: why it may not show, and help.
                return Reading("ask_order_status", detail=ORDERED_RECENTLY)
            if act is Act.NO_ORDER_NUMBER and not _asks_other_topic(text, intent):
                return Reading(NO_ORDER)
            if asked.purpose in _OFFERED_CHECKS and (
                takes_it(text) or _YES.match(text) or act is Act.AFFIRM
            ):
                # "ok please check it" to "send me the order number and I'll have it checked".
                return Reading(purpose_intent(asked.purpose), detail=TAKE_OFFER)
        elif asked.question is Question.ADDRESS:
            if has_order and asked.order is None and only_order(turn, text):
                # "A-1001" to "send me the order number and the new address": where that
                # order is decides what can be done, and the address is asked for it.
                return Reading("ask_delivery", entry=ADDRESS_ENTRY)
            # In a question's form, not merely with an "is" ("new address is 14 baker st").
            asks = is_question(text, form=True)
            if not asks and (
                any(c.isdigit() for c in text) or not _short(text) or states_address(text)
            ):
                return Reading(NEW_ADDRESS)  # "12 Park Road, Leeds" / "上海市徐汇区xx路88号"
        elif asked.question in _OFFERS:
            if has_order and asked.purpose is Purpose.REFUND and _short(text):
                # "订单B-2232" while a case to trace the refund is offered: that order's.
                return Reading("ask_returns_refunds", detail=LATE_REFUND)
            if _ARE_YOU_A_BOT.search(text):
                return Reading(BOT_IDENTITY)  # "wait, are you a real person?" is no yes
            taken = _answer_to_offer(text, intent, act=act, asked=asked)
            if taken is not None:
                return taken

    if only_greeting(text):
        return Reading("greet")
    entity = turn.parse.entity("order_number")
    if (
        entity is not None
        and turn.dialogue.topic == CANCEL_ORDER
        and _BARE_NUMBER.match(text.replace(entity.text, " ")) is not None
    ):
        # "85402" right after a cancellation answered for another order ("that one is
        # delivered already"): the order they want cancelled, not its status ("and the
        # other one? 88411" asks where that one is).
        before = turn.dialogue.slot("order_number")
        if before is None or before.value != entity.value:
            return Reading(CANCEL_ORDER)
    if _day_after_hours(turn, text, intent, has_order=has_order):
        return Reading("ask_opening_hours", question=text)  # "and tomorrow?" after the hours
    if (
        not has_order
        and MANUAL_LANGUAGE.search(text)
        and not DEFECT.search(text)
        and not MANUAL_ASKED.search(text)
    ):
        return Reading("feedback_negative")  # "the manual is only in German": sorry, and what we do
    if asked_which(turn) and _short(text) and not has_order and not _TOPIC_WORDS.search(text):
        return Reading(PRODUCT_AVAILABILITY)  # "the robot one" to "which one do you mean?"
    if _region_after_delivery(turn, text, intent, has_order=has_order):
        return Reading("ask_delivery", question=text)  # "what about australia", "寄台湾吗"
    if _ARE_YOU_A_BOT.search(text):
        return Reading(BOT_IDENTITY)
    if not has_order and _WHAT_I_DO.search(text):
        return Reading(WHAT_I_DO)  # what the customer can ask, not "outside what I can help with"
    if not has_order and asks_new_order_time(text) and not DEFECT.search(text):
        return Reading("ask_delivery", question=text)  # "if I order now when will it arrive"
    if _SARCASTIC_THANKS.search(text):
        if has_order:
            # "呵呵 服务真是太好了 A-1004说取消就取消": a complaint about that order, answered
            # with where it is (and an apology), not feedback thanked for.
            return Reading("ask_order_status")
        return Reading("feedback_negative")  # "wow so helpful, thanks a lot bot"
    if has_open_case and _remedy_chosen(turn, text, act):
        return Reading("complaint", detail=REMEDY)  # "yes a replacement please", "换个新的吧"
    if _wants_cancel(turn, text, intent, has_order=has_order):
        return Reading(CANCEL_ORDER)
    if (
        turn.order_in_play is not None
        and (
            (
                turn.dialogue.topic == CANCEL_ORDER
                and (MONEY.search(text) or REFUND_WORDS.search(text))
            )
            # "要几天" right after the refund of a cancelled order: the same money.
            or (
                turn.dialogue.told_just_now(Told.CANCEL_REFUND)
                and act is Act.ASK_HOW_LONG
                and _short(text)
                and not _TOPIC_WORDS.search(text)
            )
            # "ok so what about my refund", "退钱呢" right after an order's status (one not
            # late: a late one's money is the lost parcel's): that order's money, from where
            # it is, never a refund said not to have arrived for a return never made.
            or (turn.dialogue.topic == "ask_order_status" and _REFUND_FOLLOW_UP.search(text))
        )
        and not DEFECT.search(text)
        and not _PAYMENT_TROUBLE.search(text)
    ):
        return Reading("ask_returns_refunds", detail=CANCEL_REFUND)  # "那钱什么时候退回来"
    if (
        has_order
        and (OTHER_ONE.search(text) or act is Act.WHAT_ABOUT_OTHER)
        and turn.dialogue.topic is not None
        and not DEFECT.search(text)
        and not MONEY.search(text)
        and not _CHANGE_ADDRESS.search(text)
        and intent not in KNOWLEDGE_TOPICS
    ):
        return Reading("ask_order_status")  # "and the other one? A-1009": its status
    if (
        act is Act.WHAT_ABOUT_OTHER
        and not has_order
        and not DEFECT.search(text)
        and (turn.parse.entity("product") is not None or product_phrase(text) is not None)
        and not (has_open_case and turn.dialogue.topic in ("complaint", CASE_STATUS))
    ):
        return Reading(PRODUCT_AVAILABILITY)  # "what about the blender then": that product
    # ("那算了 分期行不" drops one thing for a question of its own: the question is answered.)
    asks = is_question(text, auxiliaries=False)
    if act is Act.BYE and intent not in ("goodbye", "thanks") and not asks:
        return Reading("deny")  # "nvm", "fine ill look later", "我再看看": a polite close
    if intent == "forget_request" and not _ERASURE_WORDS.search(text) and not asks:
        return Reading("deny")  # never offer to erase everything on a shrug
    if act is Act.CHITCHAT and not has_order and intent not in _NOT_SMALL_TALK:
        return Reading(CHITCHAT)
    if act is Act.AFFIRM and offered_thing(text) is Question.HUMAN:
        return Reading("request_human")  # "yes please get someone", nothing offered (now)
    if intent == "ask_opening_hours" and asks_person_now(text):
        return Reading("request_human")  # "那我现在能找人工吗": a person now, not the hours
    if (
        act is Act.WANTS_PERSON
        and intent not in ("ask_opening_hours", "ask_product_info")
        # "please wipe all my personal data from your system": the erasure asked for (with
        # its confirmation), not a person brought in for it.
        and not (intent == FORGET_REQUEST and wants_erased(text))
        and not (intent == PRODUCT_AVAILABILITY and turn.parse.entity("product") is not None)
        # "please stop sending me marketing emails": a message the FAQ names as a whole.
        and turn.deps.knowledge.asked_whole(text) is None
    ):
        # (Not "礼拜六有没有客服在", the team's hours, nor a "扫地机器人" question: "有没有
        # 扫地机器人" asks for the product, whatever its "有没有...人" sounds like.)
        return Reading("request_human")
    if _OPEN_A_CASE.search(text):
        return Reading("complaint")

    topic = turn.dialogue.topic
    in_play = turn.order_in_play
    if (
        in_play is not None
        and asks_carrier(turn, text)
        and not _CASE_NOUN.search(text)
        and (has_order or topic in _ORDER_TOPICS)
    ):
        return Reading("ask_order_status", detail=CARRIER)  # "which courier is that"
    if (
        act is Act.REFUND_NOT_RECEIVED
        and not _YES_NO_QUESTION.search(text)
        and not DEFECT.search(text)
        # "退款一般几天到账", "how long does a refund usually take": refunds in general, not
        # theirs missing (the knowledge base's refund time answers it).
        and not _IN_GENERAL.search(text)
        # With an order number, only when that order was sent back ("sent the backpack back
        # and still no refund, B-2232"): a cancelled or unshipped order's refund is answered
        # from the order.
        and (not has_order or SENT_BACK.search(text))
        and (
            REFUND_WORDS.search(text)
            or topic in ("ask_returns_refunds", "complaint", "ask_order_status", CASE_STATUS)
            or intent in ("ask_returns_refunds", FALLBACK)
        )
    ):
        return Reading("ask_returns_refunds", detail=LATE_REFUND)  # "still nothing on my card"
    if (
        in_play is not None
        and topic == "ask_order_status"
        and _short(text)
        and not DEFECT.search(text)
        and (MONEY.search(text) or re.search(r"(?:退|还)(?:给)?我", text))
    ):
        return Reading("ask_returns_refunds")  # "那我钱呢" after the order's status
    if (
        has_order
        and _WHY.search(text)
        and (_LATE.search(text) or intent == "ask_order_status")
        and not DEFECT.search(text)
        and not _PAYMENT_TROUBLE.search(text)
        and not REFUND_WORDS.search(text)
        and intent
        in ("ask_order_status", "ask_returns_refunds", "complaint", "feedback_negative", FALLBACK)
    ):
        # "why did u cancel A-1004??", "A-1005为啥还没到": the why of that order (what we
        # know, and a person to find out), not its status line again.
        return Reading("ask_order_status", follow_up=True)
    if (
        has_order
        # (With a case open about another order, "93202签收了吗" is about this one, not
        # more for that case.)
        and (not has_open_case or moved_on(turn))
        and intent == "complaint"
        and not DEFECT.search(text)
        and not _LATE.search(text)
        and turn.parse.sentiment > -0.3
        and not _asks_more_than_the_order(turn, text)
    ):
        return Reading("ask_order_status")  # "订单号是C-7781" after an answer: where it is
    if topic == PRODUCT_AVAILABILITY and POSTAGE.search(text) and not RETURN.search(text):
        # "运费谁出" after a product: what delivery costs, not return postage.
        return Reading("ask_delivery", question=_DELIVERY_COST[turn.language])
    if (
        topic == PRODUCT_AVAILABILITY
        and not has_order
        and _short(text)
        and not _TOPIC_WORDS.search(text)
        and act in (Act.ASK_PRICE, Act.WHAT_ABOUT_OTHER)
    ):
        return Reading(PRODUCT_AVAILABILITY)  # "how much?" / "and toasters?" after a product
    if _REDIRECT_TO.search(text) and turn.order_in_play is not None:
        return Reading(NEW_ADDRESS)  # the address is in the message: not asked for again
    if _CHANGE_ADDRESS.search(text) and (has_order or intent in ("ask_order_status", FALLBACK)):
        # "C-7781能改地址吗": the address of that order, answered from where it is.
        return Reading("ask_delivery", question=ADDRESS_QUESTION[turn.language])
    if (
        has_open_case
        and turn.dialogue.topic in ("complaint", CASE_STATUS)
        and act is Act.ASK_HOW_LONG
        and MONEY.search(text)
        and not has_order
        and _case_about_money(turn)
    ):
        return Reading(CASE_STATUS)  # "when do I get the extra money back" about the case
    if intent == PRODUCT_AVAILABILITY and _price_of_the_topic(turn, text, act):
        subject = turn.dialogue.subject_in_play()
        if subject is not None and subject.shown and subject.entry is not None:
            # "how much extra is that" right after the express answer: that answer's price
            # (not the nearest entry to "extra", a double charge).
            entry = turn.deps.knowledge.entry(subject.entry)
            if entry is not None and MONEY_FIGURE.search(entry.answer(turn.language)):
                return Reading(entry.intent, entry=entry.id)
        return Reading(str(turn.dialogue.topic), question=text)  # "how much is that"
    if (
        intent == "complaint"
        and not has_open_case
        and not has_order
        and not DEFECT.search(text)
        and not _LATE.search(text)
        and turn.parse.sentiment_label is SentimentLabel.POSITIVE
        and act is Act.SUGGESTION
    ):
        # "挺好用的 就是包装有点简陋": praise with a small "only thing is", a suggestion to
        # pass on, not a case to open.
        return Reading("feedback_positive")
    if (
        act is Act.SUGGESTION
        and not has_order
        and not DEFECT.search(text)
        # "你们这个app太难用了": said in anger, it is a complaint about us, not a suggestion.
        and turn.parse.sentiment > -0.5
        and intent
        in ("complaint", "feedback_negative", "feedback_positive", "out_of_scope", FALLBACK)
        # ("咋 不能提醒啊" asks what the FAQ names as a whole, the reminders: no suggestion;
        # nor "could the driver leave it behind the bin if i'm out", a question that names
        # an entry: read below as that entry's question.)
        and turn.deps.knowledge.asked_whole(text) is None
        and not (is_question(text, form=True) and turn.deps.knowledge.named(text) is not None)
    ):
        # "提个小建议 包装盒能不能做小一点": feedback to pass on, not a case nor "didn't get that".
        return Reading("feedback_positive")
    if intent == "feedback_positive" and (
        DEFECT.search(text) or (has_order and _LATE.search(text))
    ):
        intent = "ask_order_status" if not DEFECT.search(text) else "complaint"  # sarcasm
    if _HYPOTHETICAL.search(text) and DEFECT.search(text):
        return Reading("ask_product_info", question=text)  # "what if it breaks after warranty?"
    if (
        intent in ("complaint", "ask_order_status")
        and not DEFECT.search(text)
        and RETURN.search(text)
        and turn.parse.sentiment > -0.5
    ):
        intent = "ask_returns_refunds"  # "I want to send back the coffee machine from A-1003"
    # With no case open and no case named, "how long?" is about the topic, not a case; asked
    # in so many words, it still gets "you have no open case" (below).
    case_by_nlu = intent == CASE_STATUS
    if case_by_nlu and not has_open_case and _short(text) and not _CASE_NOUN.search(text):
        intent = FALLBACK
    asks_case = act is Act.ASK_CASE_STATUS or (
        # "然后呢" asks; "行 我等着" only says so.
        act is Act.ASK_WHAT_NEXT and has_open_case and bool(_QUESTION.search(text))
    )
    case_words = asks_case and (has_open_case or intent in (CASE_STATUS, FALLBACK))
    about_parcel = PARCEL.search(text) and not _CASE_NOUN.search(text)
    if case_words and not about_parcel and (not DEFECT.search(text) or intent == CASE_STATUS):
        if (
            not has_open_case
            and not _CASE_NOUN.search(text)
            and turn.order_in_play is None
            and turn.context.fact("order_number")
        ):
            return Reading("ask_order_status")  # "any news?" with no case: their last order
        return Reading(CASE_STATUS)
    if intent == CASE_STATUS and not has_open_case and not _CASE_NOUN.search(text):
        # "nobody will be home on tuesday what happens to my parcel" with no case: a question
        # the knowledge base answers, not "you have no open case".
        entry = turn.deps.knowledge.find(text) if is_question(text) and not has_order else None
        if entry is not None and entry.intent != CASE_STATUS:
            return Reading(entry.intent, entry=entry.id)
    if intent == CASE_STATUS:
        return Reading(CASE_STATUS)
    if act is Act.COMPLAINT_MORE and has_open_case and not has_order:
        return Reading("complaint")  # "oh and the charger is missing too": more for the case

    if (
        intent == "complaint"
        and turn.dialogue.topic in KNOWLEDGE_TOPICS
        and is_question(text)
        and not has_order
        and not DEFECT.search(text)
        and not _LATE.search(text)
        and turn.parse.sentiment > -0.3
    ):
        # "will the driver carry the box down 4 floors?" after an answer: a question on the
        # topic that names no problem, not a case to open.
        intent = FALLBACK
    reading = _follow_up(
        turn, text, intent, act=act, has_order=has_order, has_open_case=has_open_case
    )
    if reading is None:
        reading = Reading(CASE_STATUS) if case_by_nlu else Reading(intent)
    offered = asked is not None and asked.question in _OFFERS
    if (
        offered
        and reading.intent in (FALLBACK, "feedback_negative", "out_of_scope")
        and _short(text)
        and act not in (Act.ACKNOWLEDGE, Act.THANKS, Act.ASK_HOW_LONG)
    ):
        entry = turn.deps.knowledge.find(text) if is_question(text) else None
        if entry is not None:
            # "do i need to keep the box" after the late parcel's offer: a question we know
            # the answer to is answered, not met with the offer again.
            return Reading(entry.intent, entry=entry.id)
        # "seriously? what am I supposed to do now": the offer again, with an apology.
        return Reading(OFFER_AGAIN)
    if (
        reading.intent == FALLBACK
        and not has_open_case  # (with a case open, a question is the case's: case_questions)
        and turn.order_in_play is not None
        and is_question(text)
    ):
        # "and the original box, do i need it" right after an order's answer: a question the
        # knowledge base answers is answered, not "say it another way".
        entry = turn.deps.knowledge.find(text)
        if entry is not None:
            return Reading(entry.intent, entry=entry.id)
    return reading


# Only the money asked after, in a few words: "ok so what about my refund", "and my money?",
# "refund?", "那退款怎么说", "退钱呢".
_REFUND_FOLLOW_UP = re.compile(
    r"^\W*(?:(?:and|so|ok|okay|then|but|hmm+)\W+)*(?:what about|how about|and)?\s*"
    r"(?:the|my|a)?\s*(?:refund|money(?: back)?)(?:\s+(?:then|instead|tho|though))?\W*$|"
    r"^\W*(?:那|那么|那我的)?(?:退款|退钱|钱)(?:呢|咋办|怎么办|怎么说|怎么算)\W*$",
    re.IGNORECASE,
)


def _day_after_hours(turn: Turn, text: str, intent: str, *, has_order: bool) -> bool:
    """ "and tomorrow?", "那明天呢", "节假日呢", "what about saturday then" right after the
    team's hours: that day's hours (not delivery on that day, nor a guess)."""
    if turn.dialogue.topic != "ask_opening_hours" or has_order or not _short(text):
        return False
    if _TOPIC_WORDS.search(text) and intent != "ask_opening_hours":
        return False  # "and saturday delivery?": the delivery question
    return bool(days_named(text) or holiday_named(text) or day_ahead(text) is not None)


def _region_after_delivery(turn: Turn, text: str, intent: str, *, has_order: bool) -> bool:
    """ "what about australia" after the delivery answer, "寄台湾吗", "do you ship to NZ":
    whether we deliver to that country (handlers/regions.py)."""
    if has_order or turn.order_in_play is not None or region_named(text) is None:
        return False
    if turn.dialogue.topic == "ask_delivery" and _short(text):
        return True
    return intent in ("ask_delivery", FALLBACK) and asks_about_shipping(text)


def _wants_cancel(turn: Turn, text: str, intent: str, *, has_order: bool) -> bool:
    """True when the customer asks for an order to be cancelled ("can u cancel my order",
    "帮我把单取消了", "cancel it" with an order in play), not why one was cancelled."""
    if intent in (CASE_STATUS, "request_human") or not wants_cancel(text, intent):
        return False
    asked = turn.dialogue.asked
    # "no cancel that" / "算了 取消吧" to an offer, no order named: leave it, no cancellation.
    return not (
        asked is not None
        and asked.question in _OFFERS
        and not has_order
        and not _ORDER_WORD.search(text)
    )


def _remedy_chosen(turn: Turn, text: str, act: Act | None) -> bool:
    """True when the message picks a replacement or a refund for the faulty item on the
    open case: said in so many words, or in a short reply once the bot gave the choice."""
    if _PREFERENCE.search(text):
        return True
    return (
        turn.dialogue.variant(_CHOICE_GIVEN) is not None
        and chosen_remedy(text) is not None
        and _short(text)
        # "换货的话要我自己寄回去吗" asks how it goes; it picks nothing.
        and not is_question(text)
        and not ASKS_WHEN.search(text)
        and act not in (Act.ASK_HOW_LONG, Act.ASK_WHY)
    )


# "tracking says delivered", "显示已签收": the carrier's word that the parcel arrived.
_SHOWN_DELIVERED = re.compile(
    r"\b(?:says|said|shows?|showing|marked|marks|listed|status is|claims?)\b[^.!?]{0,40}"
    r"\bdelivered\b|\bdelivered\b[^.!?]{0,12}\b(?:it says|apparently|supposedly)\b|"
    r"显示.{0,6}(?:签收|送达|妥投)|(?:已|已经)(?:签收|妥投)了?(?:但|可|却)|"
    # "快递员说送到了", "快递说签收了": the courier's word that it was delivered.
    r"(?:快递员?|小哥|物流|派件员|司机)(?:说|讲|显示)(?:已经?)?(?:送到|送达|签收|放)",
    re.IGNORECASE,
)


def delivered_not_received(text: str) -> bool:
    """True when the customer says the tracking shows delivered but the parcel never came
    ("tracking says delivered but theres nothing at my door", "显示已签收 但我没收到"): a
    missing parcel to open a case for, not a status question."""
    return _SHOWN_DELIVERED.search(text) is not None and (
        says_not_received(text) or _NOT_WITH_ME.search(text) is not None
    )


# Beside the carrier's "delivered", the parcel is not with the customer: "i dont have it",
# "it's not here", "我手上没有".
_NOT_WITH_ME = re.compile(
    r"\bi (?:don'?t|dont|do not) have (?:it|them|the (?:parcel|package|box|order))\b|"
    r"\b(?:it'?s|its|it is) not here\b|\bnot here\b|"
    r"\bi(?:'?ve| have)? (?:have|got|received|gotten) nothing\b|\bnothing (?:came|arrived)\b|"
    r"我(?:手上|这里|这边|家里)?(?:没有|没看到)|"
    r"(?:家里|门口|楼下|手上|这边|这里)(?:也|都|根本)?(?:没有|啥也没有|什么也没有)|"
    # "theres nothing here", "no parcel anywhere", "no sign of it", "cant find it anywhere",
    # "门口啥也没有", "快递柜里也找不到".
    r"\bnothing (?:here|there|at (?:my|the) (?:door|house|flat|place|porch))\b|"
    r"\bno (?:parcel|package|box|sign of (?:it|them|the \w+))\b|"
    r"\bcan'?t find (?:it|them|the (?:parcel|package|box))\b|"
    r"(?:门口|家里|快递柜|驿站|楼下)(?:里)?(?:也|都)?(?:没有|啥也没有|什么都没有|没看到|找不到)",
    re.IGNORECASE,
)


def says_not_received(text: str) -> bool:
    """True when the customer says the parcel never reached them ("i never got it",
    "nothing at my door", "压根没收到", "不是我签的", "the whole parcel is missing")."""
    if _OTHER_THING.search(text) is not None:
        return False
    return _NOT_RECEIVED.search(text) is not None or WHOLE_PARCEL.search(text) is not None


# A nod, then a question of its own: "好吧 那有没有新的券", "ok then do you have other codes?".
_NOD_THEN = re.compile(
    r"^\W*(?:ok(?:ay)?|fine|alright|right|hmm+|well|好吧|好的|好|行吧|行|嗯+|那好吧|那行|哦+|噢+)"
    r"[\s,，.。!！~～]+(?:那|那么|那你们|then|so)?[\s,，]*"
    # (Not "ok and the other one?", "ok thanks. also ...": more of the same talk.)
    r"(?!(?:and|also|plus|but|thanks?|thx|ty|cheers|谢谢|还有|另外)\b)(?P<rest>.+)$",
    re.IGNORECASE,
)
# The question pointing back at the offer: "ok can you do that now?", "好 那就转吧".
_POINTS_AT_OFFER = re.compile(
    r"\b(?:do|open|start|file|raise|send|pass) (?:it|that|this|one)\b|\b(?:it|that) (?:now|asap)\b|"
    r"转|开(?:个|一个)?(?:吧|单)|就这样|那就",
    re.IGNORECASE,
)


def nod_then_asks(text: str) -> str | None:
    """The question after a nod that opens the message ("好吧 那有没有新的券", "ok then is
    there any other code i can use?"): the offer before it is neither taken nor refused, the
    question is answered, as after a greeting. None when the nod is all, or what follows it
    points back at the offer ("ok can you do that now?")."""
    found = _NOD_THEN.match(text.strip())
    if found is None:
        return None
    rest = found.group("rest").strip()
    if (
        is_question(rest)
        and length(rest) >= 3
        and _POINTS_AT_OFFER.search(rest) is None
        and _OPEN_A_CASE.search(rest) is None
        and not takes_it(rest)
        and offered_thing(rest) is None
    ):
        return rest
    return None


def asks_beside_nod(text: str) -> bool:
    """True for a nod followed by a question of its own (``nod_then_asks``)."""
    return nod_then_asks(text) is not None


def _answer_to_offer(text: str, intent: str, *, act: Act | None, asked: Asked) -> Reading | None:
    """A reply read against the bot's pending offer: which of the things offered it takes
    ("行 转吧" to "a case or a person?" takes the person), a no, or None (something else)."""
    if asked.purpose is Purpose.NOT_RECEIVED:
        # "delivered; if it didn't reach you, tell me": only "I never got it" (or asking for
        # the case) takes it; "yes thanks" / "ok" after a delivered parcel is no complaint.
        if says_not_received(text) or _OPEN_A_CASE.search(text):
            return Reading("complaint", accepted=True)
        return None
    if asked.offers(Question.OPEN_CASE) and says_not_received(text):
        # "still not here" to "it's late: shall I open a case?": yes, in other words.
        return Reading("complaint", accepted=True)
    named = offered_thing(text)
    yes = _YES.match(text) is not None or act is Act.AFFIRM or takes_it(text)
    # ("好的 客服几点上班" asks about the team: no yes to the offer.)
    yes_first = _YES_FIRST.search(text) is not None and not is_question(text)
    yes_named = named is not None and (yes or yes_first)
    if act is Act.WANTS_PERSON or (yes_named and named is Question.HUMAN):
        # Someone to follow up is a person too ("yeah have someone reach out").
        takes = asked.offers(Question.HUMAN) or asked.question is Question.FOLLOW_UP
        return Reading("request_human", accepted=takes)
    if act is Act.THANKS:
        return Reading("thanks")  # "ok thanks": a closing, not a yes
    if asked.offers(Question.OPEN_CASE) and (
        _OPEN_A_CASE.search(text) or (yes_named and named is Question.OPEN_CASE)
    ):
        return Reading("complaint", accepted=True)
    if yes and named is None and asks_beside_nod(text):
        return None  # "好吧 那有没有新的券": not a yes, a question of its own (read as such)
    # A yes in so many words, or read as one, takes the first thing offered.
    if yes:
        accepted = "complaint" if asked.question is Question.OPEN_CASE else "request_human"
        return Reading(accepted, accepted=True)
    if _NO.match(text):
        return Reading("deny")
    if (act is Act.DENY or (intent == "deny" and _short(text))) and not is_question(
        text, auxiliaries=False
    ):
        # ("那算了 分期行不": the offer dropped for a question of its own, which is answered.)
        return Reading("deny")
    return None


def offered_thing(text: str) -> Question | None:
    """What of the bot's offers a reply names: a person (HUMAN) or a case (OPEN_CASE)."""
    if _NAMES_PERSON.search(text):
        return Question.HUMAN
    if _NAMES_CASE.search(text):
        return Question.OPEN_CASE
    return None


def _price_of_the_topic(turn: Turn, text: str, act: Act | None) -> bool:
    """True when a price question names no product and follows an FAQ answer that was not
    about one ("how much is that" after the express-delivery answer). A product in play from
    that answer or this message keeps the catalogue's price."""
    dialogue = turn.dialogue
    topic = dialogue.topic
    if (
        topic not in KNOWLEDGE_TOPICS
        or topic == "ask_product_info"
        or topic not in dialogue.intents
    ):
        return False
    if act is not Act.ASK_PRICE or turn.parse.entity("product"):
        return False
    if product_phrase(text) is not None:
        return False
    product = dialogue.slot("product")
    return product is None or product.turn < dialogue.turn - 1


def _asks_more_than_the_order(turn: Turn, text: str) -> bool:
    """True when, the order number aside, the message asks something of its own."""
    order = turn.parse.entity("order_number")
    rest = text.replace(order.text, " ") if order is not None and order.text else text
    # "hi i ordered a yoga mat, order 51530": greeting and saying what was ordered ask nothing.
    words = [w for w in re.findall(r"[A-Za-z]{3,}", rest) if w.lower() not in _ORDER_FILLER]
    return (
        not _SAFETY_NET[0][0].search(rest)
        and not _LATE.search(rest)
        and (len(words) >= 3 or ideographs(rest) >= 5)
    )


# Words that only introduce an order: a greeting, "I ordered / bought ... order".
_ORDER_FILLER = frozenset(
    {"hi", "hey", "hello", "ordered", "bought", "purchased", "order", "the", "just", "from", "you"}
)


def _follow_up(
    turn: Turn, text: str, intent: str, *, act: Act | None, has_order: bool, has_open_case: bool
) -> Reading | None:
    """What a message means as a follow-up on the conversation, if it is one."""
    topic = turn.dialogue.topic
    if (
        intent in ("affirm", "deny")
        and is_question(text)
        and act not in (Act.ACKNOWLEDGE, Act.AFFIRM, Act.DENY)
    ):
        intent = FALLBACK  # "where exactly do I find it?" is a question, not an "ok"

    if (
        topic == "ask_order_status"
        and has_order
        and act is Act.WHAT_ABOUT_OTHER
        and not DEFECT.search(text)
    ):
        return Reading("ask_order_status")  # "what about order B-2231?" after a status check
    follow_up = not has_order and _short(text) and not _TOPIC_WORDS.search(text)
    how_long = act is Act.ASK_HOW_LONG
    if how_long and topic == "ask_returns_refunds" and MONEY.search(text) and not has_order:
        # "钱几天能回来" right after a refund answer: when that money comes, not delivery.
        return Reading("ask_returns_refunds", question=_REFUND_TIME[turn.language])
    if follow_up and (how_long or act is Act.ASK_WHY):
        if topic in ("ask_order_status", OFFER_AGAIN) and turn.order_in_play:
            return Reading("ask_order_status", follow_up=True)
        if topic in ("ask_delivery", NEW_ADDRESS) and turn.order_in_play and how_long:
            # "那啥时候能到" after a new address for that order: its date, not the case's.
            return Reading("ask_order_status", follow_up=True)
        if topic == "ask_returns_refunds" or (
            topic not in _ORDER_TOPICS and turn.dialogue.recent_matter() is Matter.REFUND
        ):
            # Also after an answer on another topic about the same money ("paid with paypal,
            # will it go back there?" then "why so long"): the refund's timing.
            return Reading("ask_returns_refunds", question=_REFUND_TIME[turn.language])
        if topic == "ask_delivery" and how_long:
            return Reading("ask_delivery", question=_DELIVERY_TIME[turn.language])
        if has_open_case:
            return Reading(CASE_STATUS)

    if intent == "complaint" and has_order and not DEFECT.search(text) and _LATE.search(text):
        # "order 55123 was supposed to come 3 days ago": first where it is (late, with an
        # apology and the offer of a case), not a case opened blind.
        return Reading("ask_order_status")
    # A product problem is a complaint whatever else it mentions (a return question about a
    # faulty item too, once an order is known); a high-priority one still brings in a person.
    if (
        DEFECT.search(text)
        and intent in _DEFECT_INTENTS
        and (intent != "ask_returns_refunds" or has_order or turn.order_in_play)
    ):
        return Reading("complaint")

    if (
        intent in ("feedback_negative", "feedback_positive")
        and not has_order
        and (whole := turn.deps.knowledge.asked_whole(text)) is not None
    ):
        # "咋 不能提醒啊" after the reminders answer: the question the FAQ names as a whole.
        return Reading(whole.intent, question=text)
    if (
        intent in ("feedback_negative", "feedback_positive")
        and not has_order
        and (_WANTS_DONE.search(text) or is_question(text, form=True))
        and not JUDGES.search(text)
    ):
        # "and take the old saved card off too": something to have done that an FAQ entry
        # names, not a remark about the shop to thank for; asked in a question's form too
        # ("could the driver leave it by the back door if i'm out").
        named = turn.deps.knowledge.named(text, intent=turn.parse.intent)
        if named is not None:
            return Reading(named.intent, question=text)
    if (
        intent == "complaint"
        and not has_order
        and not has_open_case
        and not DEFECT.search(text)
        and not _LATE.search(text)
        and any(is_question(part, form=True) for part in _COMMA.split(text))
        and not asks_for_a_case(text)
    ):
        # "could the driver pop it behind the gate if i'm out", "is it ok if the front desk
        # takes it", "sending it to my office, is it ok if reception signs for it": no problem
        # told, a question an FAQ entry names or all but repeats, not a case to open.
        named = turn.deps.knowledge.named(text, intent=turn.parse.intent)
        if named is not None and named.intent != "complaint":
            return Reading(named.intent, question=text)
        near = turn.deps.knowledge.near(text)
        if near is not None and near.intent != "complaint":
            return Reading(near.intent, entry=near.id)
    if act is Act.THANKS:
        return Reading("thanks")
    if act in (Act.ACKNOWLEDGE, Act.AFFIRM) and intent in ("affirm", "thanks", FALLBACK, "greet"):
        return Reading("affirm")
    if intent == FALLBACK or (intent != "complaint" and turn.parse.confidence < 0.5):
        # Not understood on its own: a question that names what an FAQ entry is about (a
        # parcel locker, a pick-up), a short question on the topic of the conversation, or
        # one of the few things customers say in so many words.
        if (
            _short(text)
            and not has_order
            and asks_stock_or_price(text)
            and not POSTAGE.search(text)
            and product_in_play(turn) is not None
        ):
            # "ok how much is it" right after a product's noise level: that product's price
            # and stock (not the nearest FAQ entry on the product topic, the warranty).
            return Reading(PRODUCT_AVAILABILITY)
        named = turn.deps.knowledge.named(text, intent=turn.parse.intent)
        if named is not None and (
            is_question(text)
            or topic is not None
            or _WANTS_DONE.search(text)
            or named.asked_whole(text)
        ):
            return Reading(named.intent, question=text)
        near = None if has_order else turn.deps.knowledge.near(text)
        if near is not None:
            # "i dont have the box anymore", "质保多长时间啊": all but one of an entry's own
            # questions, whatever the engine made of the words.
            return Reading(near.intent, entry=near.id)
        if (
            intent == PRODUCT_AVAILABILITY
            and turn.parse.entity("product") is not None
            and is_question(text, form=True)
            and not DEFECT.search(text)
        ):
            # "fine. what's the coffee machine cost now", the engine a little unsure: the
            # product the catalogue has, not the last answer's topic looked up for it.
            return Reading(PRODUCT_AVAILABILITY)
        if topic in KNOWLEDGE_TOPICS and (
            (_short(text) and _QUESTION.search(text))
            or (is_question(text, form=True) and not has_order)
        ):
            # Looked up strictly: what the FAQ does not cover is said so, not guessed.
            return Reading(topic, question=text)
        if topic in KNOWLEDGE_TOPICS and _short(text) and not has_order:
            if says_no(text):
                return Reading("deny")  # "nah leave it as is": nothing to act on
            return Reading(DETAIL)  # "it should be in the name of Brightline Ltd"
        if has_order:
            entry = turn.deps.knowledge.find(text)
            if entry is not None and _asks_more_than_the_order(turn, text):
                # "我要给A-1003开个增值税专票": the invoice for that order, not where it is.
                return Reading(entry.intent, question=text)
            return Reading("ask_order_status")  # a bare order number means "where is it?"
        for pattern, meant in _SAFETY_NET:
            if pattern.search(text):
                return Reading(meant)
    if intent == "ask_order_status" and not has_order and turn.order_in_play is None:
        # "where's the store credit i was given", "购物金在哪里": where something an FAQ entry
        # names is, not an order to ask the number of; with the word order in it only when
        # the message as a whole is the entry's one question ("改了以后历史订单还在吗").
        named = turn.deps.knowledge.named(text, intent=intent)
        plain = not PARCEL.search(text) and not _ORDER_WORD.search(text)
        if named is not None and (plain or named.asked_whole(text)):
            return Reading(named.intent, question=text)
    if intent == "ask_delivery" and _MY_ORDER.search(text):
        return Reading("ask_order_status")  # "can you check on my delivery": that order
    return None if intent == FALLBACK else Reading(intent)
