"""An attribute a short follow-up asks of the subject in play ("is it waterproof", "多大")."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from handlers import basket, care, cases, complaint, context, picked
from handlers.catalogue import (
    BIG_ONE,
    SMALL_ONE,
    CatalogueError,
    Product,
    product_names,
    product_phrase,
    size_of,
    sizes_asked,
)
from handlers.clauses import clauses
from handlers.dialogue import SUBJECT_TURNS
from handlers.products import (
    INTENT,
    PAIR_SLOT,
    PRODUCT_INFO,
    asks_stock_or_price,
    comparison_asked,
)
from handlers.questions import is_question
from handlers.turn import Turn
from handlers.types import Reply
from handlers.wording import EXCHANGE, RETURN

logger = logging.getLogger(__name__)

# What a product's delivery cost is read as ("and shipping?"; handlers/basket.py).
_DELIVERY = "ask_delivery"
# Reading details: a product's attribute from the catalogue; express for what a case sends.
DETAIL = "product_attribute"
EXPRESS = "case_express"


@dataclass(frozen=True, slots=True)
class Attribute:
    """Something customers ask of a product: how they ask it (``asked``), how the catalogue
    states it in a product's capacity, power and features (``said``), and whether the
    product's own name may state it ("Water bottle 750 ml": its size)."""

    name: str
    asked: re.Pattern[str]
    said: re.Pattern[str]
    in_name: bool = False
    # Something it does or has, asked yes or no ("does it keep warm", "能煮粥吗"): said yes
    # with the catalogue's line, else honestly not listed and a person offered.
    feature: bool = False
    # The knowledge-base entry that states it alike for every product (the warranty): said
    # of the product asked about, not the catalogue's line.
    entry: str = ""


_MEASURE = r"\d+(?:\.\d+)?\s*(?:l|ml|litres?|liters?|mah|升|毫升|毫安)(?![a-z])"
# Most specific first: "how long does the battery last" is the battery, not a size; what a
# product does ("keep warm", "auto shut-off", "能煮粥吗") before how big or loud it is.
ATTRIBUTES = (
    Attribute(
        # "how long is it guaranteed for", "质保几年": the shop's warranty, for that product
        # (a claim without the receipt is the knowledge base's own question).
        "warranty",
        re.compile(
            r"^(?!.*(?:receipt|reciept|invoice|proof of purchase|小票|发票|收据|凭证))"
            r".*(?:\bwarrant(?:y|ies)\b|\bguarantee[ed]?\b|保修|质保|保固)",
            re.I,
        ),
        re.compile(r"(?!)"),
        entry="warranty",
    ),
    Attribute(
        # "does that glass jug detach", "能拆下来洗吗": a part that comes off, as the catalogue
        # states it (removable) or sells it as a spare.
        "removable",
        re.compile(
            r"\b(?:come|comes|coming) (?:\w+ )?(?:off|apart)\b|"
            r"\b(?:does|do|will|can) (?:the|its|their) \w+ come out\b|"
            r"\b(?:take|taken|pull|lift|twist|unscrew)s? (?:it |them |\w+ )?(?:off|out|apart)\b|"
            r"\bdetach(?:able|es)?\b|\bremovable\b|"
            r"可拆|能拆|拆下|拆开|拆洗|取下来|拿下来|卸下",
            re.I,
        ),
        re.compile(r"removable|detachable|可拆", re.I),
        feature=True,
    ),
    Attribute(
        "manual",
        re.compile(
            r"\b(?:manual|instructions? (?:book|booklet|leaflet)|user guide)\b|说明书|使用说明|"
            r"使用手册",
            re.I,
        ),
        re.compile(r"manual|说明书", re.I),
    ),
    Attribute(
        "dishwasher",
        re.compile(
            r"\bdish ?washer[- ]?(?:safe|proof|friendly)\b|\b(?:go|goes|put|in|into) (?:in |into )?"
            r"(?:the |a )?dish ?washer\b|(?:进|放|用|能进|可以进|可进)洗碗机|"
            r"洗碗机(?:洗|清洗|里洗)",
            re.I,
        ),
        re.compile(r"dishwasher|洗碗机", re.I),
        feature=True,
    ),
    Attribute(
        "keep_warm",
        re.compile(r"\bkeep(?:s|ing)?[- ]?(?:it |food |rice |things )?warm|\bwarming\b|保温", re.I),
        re.compile(r"keep-?warm|warming|保温", re.I),
        feature=True,
    ),
    Attribute(
        "auto_off",
        re.compile(
            r"\bauto(?:matic(?:ally)?)?[- ]?(?:shut|switch|turn|power)(?:s|es)?[- ]?(?:off|down)\b|"
            r"\b(?:shut|switch|turn)(?:s|es)? (?:itself )?off\b|\bboil[- ]dry\b|"
            r"自动断电|自动关机|自动关闭|自动跳闸|自动关|断电保护|防干烧|干烧",
            re.I,
        ),
        re.compile(r"shut-?off|switch-?off|boil-dry|自动断电|防干烧|自动关", re.I),
        feature=True,
    ),
    Attribute(
        "timer",
        re.compile(
            r"\btimer\b|\bdelay(?:ed)? start\b|\bschedul\w*|\bpre-?set (?:a |the )?time\b|"
            r"预约|定时",
            re.I,
        ),
        re.compile(r"timer|delay start|定时|预约", re.I),
        feature=True,
    ),
    Attribute(
        "porridge",
        re.compile(r"\bporridge\b|\bcongee\b|\boat ?meal\b|\boats\b|煮粥|熬粥|粥", re.I),
        re.compile(r"porridge|粥", re.I),
        feature=True,
    ),
    Attribute(
        # "does it leak", "会不会漏水", "漏不漏": whether it leaks, asked before buying (a leak
        # told of one they have stays a fault, ``asks_before_buying``).
        "leak",
        re.compile(
            r"\bleak(?:s|ing|y|proof|-proof)?\b|\bdrip(?:s|ping)? (?:out|everywhere|on)\b|"
            r"漏水|漏不漏|会漏|会不会漏|渗不渗|渗水|漏吗|防漏",
            re.I,
        ),
        re.compile(r"leak|sealed|drip-?free|防漏|密封", re.I),
    ),
    Attribute(
        # "is the jug glass or plastic", "what's it made of", "杯子是玻璃的还是塑料的", "什么
        # 材质": what it is made of, as the catalogue names it ("glass jug", "ceramic pot").
        "material",
        re.compile(
            r"\bmaterials?\b|\bmade (?:of|from|out of)\b|"
            r"\b(?:is|are)\s+(?:it|they|that|this|the \w+|its \w+)\s+(?:made of\s+)?"
            r"(?:real\s+)?(?:glass|plastic|metal|stainless(?: steel)?|steel|ceramic|aluminium|"
            r"aluminum)\b|"
            r"\b(?:glass|plastic|metal|steel|ceramic)\s+or\s+(?:glass|plastic|metal|"
            r"stainless|steel|ceramic)\b|"
            r"材质|材料|什么做的|啥做的|(?:是|用的)(?:玻璃|塑料|不锈钢|陶瓷|金属|铝)的?"
            r"(?:吗|嘛|么|还是|不)|(?:玻璃|塑料|不锈钢|陶瓷|金属)的?还是(?:玻璃|塑料|不锈钢|陶瓷|"
            r"金属)",
            re.I,
        ),
        re.compile(
            r"glass|plastic|metal|stainless|steel|ceramic|alumini?um|玻璃|塑料|不锈钢|陶瓷|金属",
            re.I,
        ),
    ),
    Attribute(
        # "does it get hot on the outside", "外壳烫不烫", "会不会烫手": how hot its outside
        # gets in use, asked before buying (with children named, the safety entry's).
        "heat",
        re.compile(
            r"^(?!.*(?:\bchild|\bkids?\b|\btoddler|\bbab(?:y|ies)\b|\blittle ones?\b|小孩|孩子|"
            r"儿童|宝宝|小朋友|娃))(?:.*\b(?:get|gets|getting|go|goes|stay|stays|become|becomes)"
            r"\s+(?:very |too |really |that |so )?hot\b|.*\bhot (?:on the outside|to (?:the )?"
            r"touch)\b|.*\bcool[- ]touch\b|.*烫不烫|.*会不会烫|.*会烫|.*很烫吗|.*烫手吗|.*发烫吗|"
            r".*(?:外壳|外面|表面|机身|壳子).{0,4}(?:烫|热不热|很热)|.*隔热|.*防烫)",
            re.I,
        ),
        re.compile(r"cool[- ]touch|insulat|double[- ]wall|隔热|防烫", re.I),
    ),
    Attribute(
        "water",
        re.compile(
            r"water[- ]?(?:proof|resistant|resistance|tight)|\bsplash|\bshower|\bswim|\brain\b|"
            r"\bwet\b|\bip ?[x\d]\d?\b|防水|防泼水|进水|泡水|淋雨|沾水|游泳|洗澡|下水",
            re.I,
        ),
        re.compile(r"water|\bipx?\d|防水|泼水", re.I),
    ),
    Attribute(
        "battery",
        re.compile(
            r"batter(?:y|ies)|\bbatt\b|\bcharge (?:last|lasts)|"
            r"how long (?:does |will )?(?:it|the charge|a charge) last|\blast(?:s)? on a charge|"
            r"\bcharges?\b.{0,12}\bhow (?:long|many)|"
            r"续航|电池|电量|充一次|充满|待机|能用多久|用多久",
            re.I,
        ),
        re.compile(r"batter|a charge|\bmah\b|in the case|续航|电池|毫安|充电|单次", re.I),
    ),
    Attribute(
        # "how long is the power cord", "电源线有多长": the cord, not the wattage for "power".
        "cord",
        re.compile(
            r"\b(?:power |mains |electric(?:al)? )?(?:cord|flex)\b|"
            r"\bpower (?:cable|lead|wire)\b|\bcable (?:length|long)\b|"
            r"电源线|电线|插头线|(?<!数据)(?<!充电)线(?:有)?(?:多长|多少米|几米|长不长|够长|太短)|(?<!数据)线长",
            re.I,
        ),
        re.compile(r"\bcord|power cable|电源线|线长", re.I),
    ),
    Attribute(
        "power",
        re.compile(
            r"\bwatts?\b|wattage|\bpower(?:ful)?\b|功率|多少瓦|瓦数|几瓦|费电|耗电|省电|用电|电费",
            re.I,
        ),
        re.compile(r"\d\s*w\b|瓦", re.I),
    ),
    Attribute(
        "noise",
        re.compile(
            r"\bloud(?:er|est)?\b|\bnois(?:y|ier|iest)\b|\bnoise\b|\bquiet(?:er|est)?\b|\bdb\b|decibel|"
            r"噪音|噪声|吵|声音(?:大|小|响)|静音|分贝|安静",
            re.I,
        ),
        re.compile(r"\bdb\b|noise|quiet|分贝|降噪|静音", re.I),
    ),
    Attribute(
        "weight",
        re.compile(
            r"\bweigh|\bheav(?:y|ier|iest)\b|\bhow light\b|\blight(?:er|est)\b|"
            r"重量|多重|重不重|沉不沉|有多沉|几斤|几公斤|更轻|哪个轻|哪个重|轻便",
            re.I,
        ),
        re.compile(r"\d\s*(?:kg|g)\b|公斤|千克|克\b|斤", re.I),
    ),
    Attribute(
        "colour",
        re.compile(
            r"colou?rs?\b|\bblack\b|\bwhite\b|\bgr[ae]y\b|\bsilver\b|\bpink\b|颜色|几个色|几种色|"
            r"\b(?:red|blue|green|yellow|purple|navy|beige|gold|rose gold|cream)\b|"
            r"什么色|啥色|配色|黑色|白色|灰色|银色|粉色|[红蓝绿黄紫金米]色|其他色|别的色",
            re.I,
        ),
        re.compile(
            r"colou?r|\bblack\b|\bwhite\b|\bgr[ae]y\b|\bsilver\b|颜色|配色|黑色|白色|灰色|银色",
            re.I,
        ),
    ),
    Attribute(
        # "how many people is it for", "适合几个人用": what the shop says it serves.
        "people",
        re.compile(
            r"\bhow many (?:people|persons|ppl|of us)\b|\bserves? how many\b|"
            r"\bfor how many (?:people|persons)\b|\bbig enough for (?:a family|\d|two|three|four|"
            r"five|six)\b|适合几(?:个)?人|几(?:个)?人用|几口人用|多少人用|够几(?:个)?人|"
            # "can it make enough for 6 people", "will it do 4 of us", "够6个人用吗", "五口人
            # 够不够": a number of people it is for.
            r"\b(?:enough|big enough|large enough) for (?:\d+|two|three|four|five|six|seven|"
            r"eight|ten|twelve|a family|the family|all of us)\b|"
            r"\b(?:serve|serves|feed|feeds|do|cater for|for) (?:\d+|two|three|four|five|six|seven|"
            r"eight|ten|twelve) (?:people|persons|ppl|of us|guests|adults)\b|"
            r"够(?:\d+|[两二三四五六七八九十]+)(?:个|口)?人|(?:\d+|[两二三四五六七八九十]+)(?:个|口)人"
            r"(?:用|吃|喝)?(?:够|够不够|行|行不行|可以|能用)",
            re.I,
        ),
        re.compile(r"(?!)"),
    ),
    Attribute(
        "size",
        re.compile(
            r"\bhow (?:big|large|small|tall|wide|much (?:does it|will it|can it) hold)\b|"
            r"\bsize\b|\bcapacity\b|\bdimensions?\b|\bvolume\b|\bhow many (?:litres|liters|cups|"
            r"ml|slices)\b|\bhold(?:s)? (?:much|enough)\b|多大|大小|尺寸|容量|几升|多少升|装多少|"
            # "how many slices", "能做几杯": how much it makes at once.
            r"几片|(?:做|煮|冲|出)?(?:几|多少)杯|"
            r"能装(?:多少|几|下|得下)|多高|多宽|体积",
            re.I,
        ),
        re.compile(_MEASURE + r"|place settings|\bcups\b|套|杯|\d+[- ]slice", re.I),
        in_name=True,
    ),
)
# What a case sends going faster: "can you send it express", "能加急寄吗", "next day?".
_EXPRESS = re.compile(
    r"\bexpress\b|\bnext[- ]day\b|\bfaster\b|\bquicker\b|\bsooner\b|\bfast\b|\brush\b|"
    r"加急|快递加急|次日达|快点|快一点|尽快|早点",
    re.I,
)


def asks_express(text: str) -> bool:
    """True when the message asks for something sent faster ("can you send it express",
    "能加急寄吗", "next day?")."""
    return _EXPRESS.search(text) is not None


# The longest message (words, or two ideographs each) read as asking an attribute.
_FOLLOW_UP_WORDS = 12


# What says the product is the customer's own, in use, or has changed: "my blender is so
# noisy", "why is it this loud", "收到的空气炸锅噪音好大", "用了两天就很吵".
_OWN_OR_CHANGED = re.compile(
    r"\b(?:my|mine|our|why|suddenly|started|starts|keeps?|anymore|any more|now|since|got|"
    r"received|bought|arrived|came|after|so|too|really|very|normal|(?:this|that|so) "
    r"(?:loud|noisy))\b|"
    r"收到|我的|买了|用了|刚买|怎么这么|咋这么|为什么|为啥|突然|越来越|太|好吵|好大|特别|非常|了",
    re.IGNORECASE,
)


def asks_before_buying(text: str) -> bool:
    """True for a question of what a product is like whose only "fault" words are the
    attribute asked ("is it noisy?", "is the blender loud", "空气炸锅噪音大不大", "声音大吗"):
    asked before buying, not a fault of one the customer has ("my blender is so noisy")."""
    attribute = asked_of(text)
    if attribute is None or not is_question(text) or _OWN_OR_CHANGED.search(text):
        return False
    return context.DEFECT.search(attribute.asked.sub(" ", text)) is None


def asked_of(text: str) -> Attribute | None:
    """The attribute the words ask about, if any: the first of ``ATTRIBUTES`` that fits,
    else any other feature asked by name ("does it have a glass jug", "有没有童锁功能"), else
    whether it suits a place or a use ("is it ok for a dorm", "放寝室里用行不行")."""
    return (
        next((a for a in ATTRIBUTES if a.asked.search(text)), None)
        or _feature(text)
        or _works_with(text)
        or _suits(text)
    )


# Whether a product works with another thing: "do the headphones work with a ps5", "is it
# compatible with iphone", "will the watch pair with my android", "耳机能连ps5吗", "兼容苹果
# 手机吗". A feature the catalogue lists or not, never its stock ("有的" says nothing of it).
_WORKS_WITH = (
    re.compile(
        r"\b(?:work|works|working|compatible|connect|connects|pair|pairs|sync|syncs|link|"
        r"links)\s+(?:up\s+)?(?:with|to)\s+(?:a |an |my |the |our |any |your )?"
        r"(?P<x>[a-z0-9][a-z0-9 +.-]{1,25}?)\s*[?!.]*$",
        re.I,
    ),
    re.compile(
        r"(?:能|可以|能不能|可不可以|支不支持|会不会)?(?:连接|连上|连|配对|兼容|适配)"
        r"(?!接|上|系|续|着)(?P<x>[a-z0-9\u4e00-\u9fff +.]{2,10}?)"
        r"(?:用)?(?:吗|嘛|么|不|呢|没)?[？?]*$",
        re.I,
    ),
)
# What "works with" asks of when it is no device: an order, a payment, a person.
_NOT_DEVICE = re.compile(
    r"\b(?:you|u|me|us|someone|agent|human|person|support|team|order|refund|return|code|"
    r"coupon|voucher|discount|card|paypal|apple pay|alipay|wechat|payment|it|this|that)\b|"
    r"客服|人工|你们|订单|退款|退货|优惠|券|付款|支付|花呗|微信|不上|网",
    re.I,
)


def _works_with(text: str) -> Attribute | None:
    """Whether the product works with a device or system, as a feature asked by name; None
    when the words ask no such thing."""
    for pattern in _WORKS_WITH:
        found = pattern.search(text.strip().lower())
        if found is None:
            continue
        device = re.sub(r"^(?:the|a|an|my)\s+", "", found.group("x").strip())
        # ("an app on my phone", "my laptop for work": the device, not where it is.)
        device = re.split(r"\s+(?:on|for|in|at|from|while|when|if|or)\s+", device)[0]
        if len(device) < 2 or _NOT_DEVICE.search(device) or _NOT_FEATURE.search(device):
            continue
        words = [w for w in re.findall(r"[a-z0-9]+", device) if w not in _FEATURE_STOP]
        # (Its Latin words where it has any: "手机app" is listed as "App 控制".)
        said = "".join(rf"(?=.*\b{re.escape(w)})" for w in words) or re.escape(device)
        chinese = re.search(r"[\u4e00-\u9fff]", text) is not None
        name = f"{_FEATURE}兼容{device}" if chinese else f"{_FEATURE}compatibility with {device}"
        asked = re.compile(re.escape(found.group()))
        return Attribute(name, asked, re.compile(said, re.I), feature=True)
    return None


# Whether a product suits a place or a use: "is it suitable for a dorm", "good for camping?",
# "would it be ok in a small kitchen", "适合放办公室吗", "在寝室用可以吗". The catalogue states no
# such thing: said plainly, with what it does list, and a person to check.
_SUITS = (
    re.compile(
        r"\b(?:suitable|suited|good|ok|okay|fine|ideal|practical|alright|all right|safe|right)"
        r"\s+(?:to use\s+)?(?:for|in)\s+(?:use in\s+)?"
        r"(?P<x>(?:a |an |my |the |our )?(?!(?:me|you|us|him|her|them|it|now|sure|that|this|"
        r"the price|money)\b)[a-z][a-z -]{2,25}?)"
        r"\s*(?:use)?\s*[?!.]*$",
        re.I,
    ),
    re.compile(
        r"(?:适合|适用于?|适不适合|合适)(?:在)?(?P<x>(?!几|多少)[\u4e00-\u9fff]{2,6}?)"
        r"(?:用|使用|里用|里)?(?:吗|嘛|么|不|呢)?[？?]*$|"
        r"(?:在|放在|拿到|带到|带去)(?P<y>[\u4e00-\u9fff]{2,6}?)(?:里)?(?:用|使用)"
        r"(?:合适|合不合适|行不行|可以|行)(?:吗|嘛|么|不|呢)?[？?]*$"
    ),
)
# (How many it is for is its size or the people it serves, "适合一个人用", "good for a family":
# the catalogue's own answers, not this one.)
_NOT_SUITS = re.compile(
    r"退|换|快递|价|钱|付|送|寄|人|家|\b(?:people|person|persons|ppl|family|couple|one|two|"
    r"three|four|five|six|\d+)\b",
    re.I,
)
SUITS = "suits:"


def _suits(text: str) -> Attribute | None:
    """Whether the product suits a place or use, as an attribute the catalogue never states;
    None when the words ask no such thing."""
    for pattern in _SUITS:
        found = pattern.search(text.strip())
        if found is None:
            continue
        use = (found.groupdict().get("x") or found.groupdict().get("y") or "").strip()
        use = re.sub(r"^(?:这个|那个|这款|它)", "", use)
        if len(use) < 2 or _NOT_SUITS.search(use) or _NOT_FEATURE.search(use):
            continue
        return Attribute(f"{SUITS}{use}", re.compile(re.escape(found.group())), re.compile(r"(?!)"))
    return None


# Another feature asked of the product by name: "does it have a glass jug", "does the blender
# crush ice", "can it boil milk", "does it come with a travel cup", "有没有童锁功能", "带不带
# 夜灯", "能做酸奶吗". Matched against the catalogue's features word by word.
# (A name of two words too: "does the smart watch have gps", "does the robot vacuum mop".)
_SUBJECT = r"(?:it|they|this|that|this one|that one|(?:the|this|that) [a-z]+(?: [a-z]+)?(?: one)?)"
_FEATURE_EN = (
    re.compile(
        r"\b(?:does|do|will|would)\s+" + _SUBJECT + r"\s+(?:have|come with|include|support|got)\s+"
        r"(?:a |an |any |the |some |its own )?(?P<x>[a-z][a-z -]{1,30}?)\s*[?!.]*$",
        re.I,
    ),
    re.compile(
        r"\b(?:has|have)\s+(?:it|they)\s+got\s+(?:a |an |any )?"
        r"(?P<x>[a-z][a-z -]{1,30}?)\s*[?!.]*$",
        re.I,
    ),
    # "is there a reheat function", "is there an eco mode on it": a feature called one
    # (not "is there a delay", "is there a fee").
    re.compile(
        r"^\W*(?:and\s+|so\s+)?(?:is|was)\s+there\s+(?:a|an|any)\s+(?P<x>[a-z][a-z -]{1,30}?\s+"
        r"(?:function|setting|mode|option|feature|button|programme|program))"
        r"(?:\s+(?:on|with|in)\s+(?:it|them|that one))?\s*[?!.]*$",
        re.I,
    ),
    # "how many programmes does the dishwasher have", "how many speeds has it got": the
    # feature counted.
    re.compile(
        r"\bhow many (?!(?:days?|weeks?|months?|hours?|minutes?|times?|more|left|colou?rs?|"
        r"sizes?|models?|kinds?|types?|versions?|points?|people|persons|ppl)\b)"
        r"(?P<x>[a-z]+(?: [a-z]+)?) (?:does|do|has|have|did|can|will) "
        + _SUBJECT
        + r"\b",
        re.I,
    ),
    # "can it boil milk", "does the blender crush ice": a verb and what it works on (a bare
    # verb, "how do they compare", "does the refund take", is no feature).
    re.compile(
        r"\b(?:can|could|does|do|will)\s+" + _SUBJECT + r"\s+(?P<x>(?!(?:be|have|has|get|come|go|"
        r"do|still|also|really|you|i)\b)[a-z]{3,}(?: [a-z]+){1,2})\s*[?!.]*$",
        re.I,
    ),
)
_FEATURE_ZH = (
    re.compile(
        r"(?:有没有|有无|带不带|支不支持|支持|带|有)(?P<x>[\u4e00-\u9fff]{2,6}?)(?:功能|模式)"
        r"(?:吗|嘛|么|没|不|呢)?"
    ),
    re.compile(r"(?:带不带|支不支持)(?P<x>[\u4e00-\u9fff]{2,6}?)(?:的|呢|啊)?[？?]*$"),
    # "能用app控制吗", "支持手机遥控吗": how it is worked.
    re.compile(
        r"(?:能|可以|能不能|可不可以|支持|支不支持)(?:用)?(?P<x>(?:app|手机|蓝牙|wifi|遥控)"
        r"[\u4e00-\u9fff]{0,4}?)(?:吗|嘛|么|不|呢)[？?]*$",
        re.I,
    ),
    # "它有几种程序", "有几档速度": the feature counted.
    # (Not "有几个型号", "有几种颜色": the kind's range, its colours.)
    re.compile(
        r"有(?:几|多少)(?:种|个|档|挡)(?!型号|款|种类|颜色|规格|版本|尺寸|尺码|样式|配色)"
        r"(?P<x>[\u4e00-\u9fff]{2,4}?)(?:吗|呢|啊)?[？?]*$"
    ),
    # "能做酸奶吗", "可以打豆浆不": something it makes or does to food, not "能分期吗".
    re.compile(
        r"(?:能|可以|能不能|可不可以)(?P<x>[煮做蒸炖打榨烤炸煲熬烧热磨搅绞揉发烘拖扫吸][\u4e00-\u9fff]{1,4}?)"
        r"(?:吗|嘛|么|不|呢)[？?]*$"
    ),
)
# What such a question is about when it is no feature: returns, delivery, money, the order.
_NOT_FEATURE = re.compile(
    r"\b(?:return\w*|refund\w*|exchang\w*|swap\w*|deliver\w*|ship\w*|arriv\w*|send|sent|post\w*|"
    r"cancel\w*|order\w*|warrant\w*|guarantee\w*|price\w*|cost\w*|discount\w*|pay\w*|buy|"
    r"bought|sell|sold|stock|colou?rs?|fit|fits|work|works|break|broke|broken|fix|repair\w*|"
    r"charge\w*|batter\w*|cheap\w*|free|wait|help|tell|check|there|here|today|tomorrow|now|"
    r"back|in|on|off|take|takes|last|lasts|compare|cost|costs|mean|say|said|know|look|"
    r"happen\w*|need|want|like|instalments?|installments?|finance|credit)\b|"
    r"退|换|保修|保质|发货|快递|到货|送到|寄|便宜|优惠|价|钱|买|货|颜色|修|坏|发票|包邮|送|下单|取消|"
    r"打折|改|催|查|到|付|用吗|使用|回复|联系|客服|人工",
    re.I,
)
_FEATURE_STOP = frozenset(
    ("a", "an", "the", "and", "or", "of", "for", "with", "to", "it", "its", "own", "any", "some")
)


# Words of a feature asked that say nothing of it: "does it mop too", "as well"; and the
# words that only call it a feature ("a defrost setting", "a timer function", "an eco mode"):
# the catalogue says "defrost and reheat", not "defrost setting".
_FEATURE_FILLER = frozenset(
    ("too", "also", "as", "well", "either", "please", "pls")
    + ("setting", "settings", "function", "functions", "mode", "modes", "option", "options")
    + ("feature", "features", "button", "facility")
)


def _feature_said(asked: str, product: Product) -> re.Pattern[str] | None:
    """What states a feature asked, the words of the product's own name left out ("vacuum
    mop too" of the robot vacuum: "mop"), or in Chinese its Latin words ("app控制": app), else
    the verb alone ("拖地": 拖); None when nothing is left."""
    if not asked.isascii():
        latin = re.findall(r"[a-z0-9]{2,}", asked.lower())
        if latin:
            return re.compile("".join(rf"(?=.*\b{re.escape(w)})" for w in latin), re.I)
        verb = asked[:1]
        return re.compile(re.escape(verb)) if re.match(r"[拖扫吸]", verb) else None
    own = {w for n in product_names(product) for w in re.findall(r"[a-z]+", n.lower())}
    words = [
        w
        for w in re.findall(r"[a-z]+", asked)
        if w not in _FEATURE_STOP and w not in _FEATURE_FILLER and w not in own
    ]
    if not words:
        return None
    stems = (re.escape(w[:5] if len(w) > 5 else w) for w in words)
    return re.compile("".join(rf"(?=.*\b{stem})" for stem in stems), re.I)


def _feature(text: str) -> Attribute | None:
    """A feature asked of the product by name, as an attribute whose facts are the
    catalogue's features holding its words; None when the words ask no such thing."""
    lowered = text.strip().lower()
    for pattern in (*_FEATURE_EN, *_FEATURE_ZH):
        found = pattern.search(lowered)
        if found is None or _NOT_FEATURE.search(found.group("x")):
            continue
        asked = found.group("x").strip()
        if asked.isascii():
            words = [w for w in re.findall(r"[a-z]+", asked) if w not in _FEATURE_STOP]
            if not words:
                continue
            # Every word in one feature, by its stem: "crush ice" is "ice crushing".
            said = "".join(rf"(?=.*\b{re.escape(w[:5] if len(w) > 5 else w)})" for w in words)
        else:
            core = re.sub(r"^(?:做|煮|打|蒸|烤|炸|用|来|给)", "", asked) or asked
            said = re.escape(core if len(core) >= 2 else asked)
        return Attribute(
            f"feature:{asked}", re.compile(re.escape(asked)), re.compile(said, re.I), feature=True
        )
    return None


def facts(product: Product, attribute: Attribute, language: str) -> list[str]:
    """What the catalogue says of the product's attribute: its capacity, power and features
    that state it, in ``language`` (features else in English); [] when it says nothing."""
    features = product.features_zh if language == "zh" and product.features_zh else product.features
    if attribute.name == "people":
        if not product.serves:
            return []
        return [f"{product.serves} 人" if language == "zh" else f"{product.serves} people"]
    parts = [product.capacity, product.power, *re.split(r"\s*[,，、;；]\s*", features)]
    found = [p for p in parts if p and attribute.said.search(p)]
    if not found and attribute.name.startswith(_FEATURE):
        # "does the robot vacuum mop too", "扫地机器人能拖地吗": what it does, without the
        # words of its own name ("vacuum mop too" is "mops too"; 拖地 is 扫拖一体's 拖).
        said = _feature_said(attribute.name.removeprefix(_FEATURE), product)
        found = [p for p in parts if p and said is not None and said.search(p)]
    if attribute.name == "removable":
        # A part sold as a spare comes off: "the Glass jug 1.5 L is sold as a spare".
        found += [
            f"{part.title(language)}可单独购买" if language == "zh" else f"{part.name} as a spare"
            for part in product.parts
        ]
    if not found and attribute.in_name:
        found = re.findall(
            _MEASURE + r"|\d+[- ]slice|(?:\d+|[一两二三四六])\s*片", product.title(language), re.I
        )
    return list(dict.fromkeys(found))


# "do you have / sell the air fryer in black", "有没有黑色的空气炸锅", "你们卖不卖…": whether we
# carry the product named (the catalogue's availability answer), not one of its attributes.
_SELLS = re.compile(
    r"\b(?:do|did|does)\s+(?:you|u|ya)\s+(?:guys\s+)?(?:have|sell|carry|stock|do)\b|"
    r"\b(?:got|have)\s+(?:you\s+)?any\b|有没有|有卖|卖不卖|卖吗|有得卖",
    re.IGNORECASE,
)


async def _product_asked(turn: Turn, text: str) -> str | None:
    """The product a short attribute question is about: the one it names of its own ("is the
    blender waterproof": a new subject), else the one the last answer was about ("is it
    waterproof", "多大"), or the largest or smallest of that kind ("does the small one keep
    warm"); None when it names an order, a fault, another comparison, several products or
    one we do not carry."""
    dialogue = turn.dialogue
    catalogue = turn.deps.catalogue
    way = comparison_asked(text)
    if turn.parse.orders and catalogue is not None and not context.DEFECT.search(text):
        # "order 55120: does the pot go in the dishwasher": a feature the catalogue lists (not
        # any words, "will it make it") asked of what that order holds; a fault told is the
        # complaint's.
        feature = next((a for a in ATTRIBUTES if a.asked.search(text)), None)
        if (
            feature is None
            or not feature.feature
            or not is_question(text)
            or context.length(text) > _FOLLOW_UP_WORDS
        ):
            return None
        try:
            held = await care.ordered(turn)
        except CatalogueError as exc:
            logger.warning("catalogue look-up failed: %s", exc)
            return None
        return held.name if held is not None else None
    attribute = asked_of(text)
    # "is there a manual for the smaller one", "大的那个有保温吗" after two models listed or
    # compared: that one of them.
    chosen = await picked.one(turn)
    if (
        catalogue is None
        or turn.parse.orders
        or context.length(_clause_asking(text, attribute)) > _FOLLOW_UP_WORDS
        or (context.DEFECT.search(text) and not asks_before_buying(text))
        or (way is not None and way not in (BIG_ONE, SMALL_ONE) and chosen is None)
        # "can i swap my keyboard for another colour": the exchange, not its colours.
        or EXCHANGE.search(text)
    ):
        return None
    if chosen is not None:
        return chosen.name
    # The attribute's own words name no product: "dishwasher safe?", "有保温功能吗" (not the
    # dishwasher, nor the 保温杯).
    rest = attribute.asked.sub(" ", text) if attribute is not None else text
    try:
        named = await catalogue.search(rest)
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return None
    if len(named) == 1 and way is None:
        # Asked of a product named of its own: a question, not a wish ("i want a black one")
        # nor its price or stock (the catalogue's availability answer).
        # "do you have the air fryer in black" asks whether we sell it: its availability.
        # ("n the kettle" right after a power: the same question of it, however it ends.)
        carried = attribute is None and _asked_again(turn) is not None
        asked = is_question(text) or carried
        ask = asked and not asks_stock_or_price(text) and not _SELLS.search(text)
        return named[0].name if ask else None
    slot = dialogue.slot("product")
    # "can it hold 2 litres" asks a size; "那个6升的有保温吗" names one.
    sized = sizes_asked(rest) if attribute is not None and attribute.name != "size" else []
    if way is not None or (sized and len(named) != 1):
        # "does the small one have keep warm", "那个6升的有保温吗": that size of the kind named
        # or in play.
        kind = named or (await catalogue.search(slot.value) if slot is not None else [])
        return await _by_size(turn, kind, way, sized[0][1] if sized else None)
    if named:
        if len({p.category for p in named}) == 1 and (
            attribute is None or attribute.name in _EACH_STATED
        ):
            # "and the slow cooker?" right after the rice cooker's power, a name that is
            # several models of one kind: the same attribute of each of them.
            return product_phrase(rest) or rest.strip()
        return None
    # (A product answered beside another request last turn, "do you have the rice cooker?
    # also whats your returns policy", is still the one "does it keep warm" asks of, though
    # the returns came last; so is one whose delivery cost was the answer, "do you sell
    # dishwashers and how much is delivery" - "how loud is it".)
    beside = slot is not None and (
        # (Or named by a request before it in this message, handlers/dispatcher.py.)
        slot.turn == dialogue.turn
        or (
            slot.turn == dialogue.turn - 1
            and bool({INTENT, PRODUCT_INFO, _DELIVERY} & set(dialogue.intents))
        )
    )
    if (
        slot is None
        or (dialogue.topic not in (INTENT, PRODUCT_INFO) and not beside)
        or slot.turn < dialogue.turn - SUBJECT_TURNS
    ):
        # "can the pot go in the dishwasher" about the order talked about: what it holds.
        try:
            held = await care.ordered(turn) if attribute is not None else None
        except CatalogueError as exc:
            logger.warning("catalogue look-up failed: %s", exc)
            return None
        return held.name if held is not None else None
    phrase = product_phrase(rest)
    return slot.value if phrase is None or phrase == slot.value else None


# Where one part of a message ends: "how long is the cord? my socket is far", "kettle
# question - whats the cord length, is it long enough".
_CLAUSE = re.compile(r"(?P<part>.+?)(?P<end>[?？!！。;；,，]+|\s+-+\s+|\n+|$)", re.S)
# How a clause asks: "how long is the cord", "whats the cord length", "电源线有多长".
_ASKS = re.compile(
    r"\s*(?:(?:and|also|plus|so|n|&)\s+)*(?:how|what|whats|what's|which|does|do|is|are|can|will|"
    r"would|could)\b|.*(?:多长|多少|几|吗|么|呢)\s*$",
    re.I,
)


def _clause_asking(text: str, attribute: Attribute | None) -> str:
    """The part of a message that asks the attribute, as a question (the whole text when
    no part does alone): a run-on question is as short a question as its asking part."""
    if attribute is None:
        return text
    # (Asked in so many words, not told: "its the grinder thats making the noise", "i like
    # it but the colour is off" are no questions of noise or colour.)
    for found in _CLAUSE.finditer(text):
        part, end = found.group("part"), found.group("end") or ""
        if attribute.asked.search(part) and ("?" in end or "？" in end or _ASKS.match(part)):
            return part
    return text


def where_it_goes(text: str, start: int, end: int) -> bool:
    """True when the words at ``start:end`` (a product the engine found) are the attribute's
    own words in the question ("can the pot go in the dishwasher", "内胆能放洗碗机吗"): where
    the thing asked about goes, not a product put in play for "how much" next."""
    attribute = asked_of(text)
    if attribute is None or attribute.said.search(text[start:end]) is None:
        return False  # "does the coffee machine have a warranty": the machine is asked about
    return any(m.start() <= start and end <= m.end() for m in attribute.asked.finditer(text))


async def _names_goods(turn: Turn, attribute: Attribute, text: str) -> bool:
    """True for a question whose attribute's own words name a catalogue product ("go in the
    dishwasher", "进洗碗机") and whose other words name none: about something unnamed."""
    catalogue = turn.deps.catalogue
    found = attribute.asked.search(text) if attribute.name == "dishwasher" else None
    if catalogue is None or found is None or not is_question(text) or asks_stock_or_price(text):
        return False
    if turn.parse.orders or _SELLS.search(text):
        return False
    try:
        return bool(await catalogue.search(found.group())) and not await catalogue.search(
            attribute.asked.sub(" ", text)
        )
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return False


async def _by_size(
    turn: Turn, kind: list[Product], way: str | None, size: float | None
) -> str | None:
    """The name of the largest (``BIG_ONE``) or smallest of the products' kind, or the one
    of that ``size``; None when there is none."""
    catalogue = turn.deps.catalogue
    if catalogue is None or not kind:
        return None
    try:
        every = {p.sku: p for k in kind for p in await catalogue.alike(k)}
    except CatalogueError:
        return None
    sized = sorted((p for p in every.values() if size_of(p)), key=lambda p: size_of(p) or 0.0)
    if size is not None:
        return next((p.name for p in sized if abs((size_of(p) or 0.0) - size) < 1e-6), None)
    if not sized:
        return None
    return (sized[-1] if way == BIG_ONE else sized[0]).name


def _sends_for_case(turn: Turn) -> str | None:
    """``complaint.SENDS_PART`` or ``SENDS_NEW`` when the last answers said the open case
    sends the customer a missing part or a new item; else None."""
    for key in (complaint.SENDS_PART, complaint.SENDS_NEW):
        said = turn.dialogue.variant(key)
        if said is not None and 0 < turn.dialogue.turn - said <= SUBJECT_TURNS:
            return key
    return None


async def asks(turn: Turn, *, has_open_case: bool) -> context.Reading | None:
    """What a short follow-up asking an attribute of the subject in play means: a product's
    attribute from the catalogue ("is it waterproof", "续航咋样"), its delivery cost ("and
    shipping?", "运费多少"), express for the part or item a case sends ("can you send it
    express", "能加急寄过来吗"); None when it names a subject of its own or no attribute."""
    text = turn.message.text.strip()
    if (
        has_open_case
        and _sends_for_case(turn)
        and _EXPRESS.search(text)
        and context.length(text) <= _FOLLOW_UP_WORDS
        and not turn.parse.orders
    ):
        return context.Reading("complaint", detail=EXPRESS)
    postage = basket.asks(text) or context.POSTAGE.search(text) or _BARE_DELIVERY.match(text)
    attribute = None if _BARE_DELIVERY.match(text) else asked_of(text) or _asked_again(turn)
    if attribute is None and not postage:
        return None
    if await _product_asked(turn, text) is None:
        if attribute is not None and attribute.name == "manual" and is_question(text):
            # "is the manual in chinese", "说明书有中文吗" with no product in play: a question
            # about a product's papers (which one?), not a complaint about them.
            return context.Reading(PRODUCT_INFO, detail=DETAIL)
        if attribute is not None and await _names_goods(turn, attribute, text):
            # "can the lid go in the dishwasher" with no product to go on: which product (the
            # dishwasher is where it goes, not what is asked about, nor sold).
            return context.Reading(PRODUCT_INFO, detail=DETAIL)
        return None
    if postage and not RETURN.search(text):
        return context.Reading("ask_delivery", detail=basket.DETAIL)
    # "is the black one in stock" is its stock (the catalogue's availability answer).
    if attribute is not None and not asks_stock_or_price(text):
        return context.Reading(PRODUCT_INFO, detail=DETAIL)
    return None


async def answer(
    turn: Turn, *, meant: str | None = None, of: str | None = None
) -> list[Reply]:
    """The product's attribute as the catalogue states it, or plainly that it does not say
    (with what it does list, and a person offered for a feature it does not list); the
    product stays the one in play. ``meant``: the product the customer says they meant,
    asked what the last answer told of another; ``of``: the product the message picks out
    otherwise ("the cheaper one, can it crush ice?" after two compared)."""
    text = turn.message.text.strip()
    named: str | None = meant
    if meant is not None:
        attribute = last_asked(turn)
    elif of is not None:
        attribute, named = asked_of(text), of
    else:
        attribute = asked_of(text) or _asked_again(turn)
        named = await _product_asked(turn, text)
        several = _each_asked(text) if named is not None else []
        if len(several) > 1:
            # "does the robot vacuum mop too? and how long does its battery last": each
            # asked of it, in order (not the battery alone).
            replies = []
            for part in several:
                alone = replace(turn, message=replace(turn.message, text=part))
                replies += await answer(alone, of=named)
            buttons = tuple(dict.fromkeys(b for r in replies for b in r.buttons))
            return [Reply("\n".join(r.text for r in replies), buttons=buttons)]
    catalogue = turn.deps.catalogue
    if attribute is not None and named is None and catalogue is not None:
        # "is the manual in chinese" with no product talked about: which one.
        turn.outcome.intents[-1:] = [PRODUCT_INFO]
        return [turn.reply("attribute_which_product", what=_what(turn, attribute))]
    if attribute is None or named is None or catalogue is None:
        return [turn.reply("help")]
    try:
        found = await catalogue.search(named)
    except CatalogueError as exc:
        logger.warning("catalogue look-up failed: %s", exc)
        return [turn.reply("catalogue_failed", product=named)]
    if not found:
        return [turn.reply("catalogue_missing_again", product=named)]
    compared = await _which_of_them(turn, attribute, text, found)
    if compared is not None:
        return compared
    if len(found) > 1 and meant is None and of is None:
        # A name that is several models of one kind ("and the slow cooker?", "容量呢" about
        # them): the attribute of each, and the kind stays in play.
        each = _each_of(turn, attribute, found, named)
        if each is not None:
            return [each]
    product = found[0]
    turn.outcome.slots["product"] = named
    turn.outcome.intents[-1:] = [PRODUCT_INFO]
    # "and the big one?" next asks the same of another.
    turn.outcome.said[f"{DETAIL}:{attribute.name}"] = turn.dialogue.turn
    title = product.title(turn.language)
    shop_wide = turn.deps.knowledge.entry(attribute.entry) if attribute.entry else None
    if shop_wide is not None:
        said = shop_wide.answer(turn.language)
        whole = next(
            (m.text for m in turn.context.recent if m.id == turn.message_record), text
        )
        others: list[Product] = []
        try:
            # (Word by word: a long message as one query names nothing.)
            for part in [] if meant else re.split(r"[.!?;,。！？；，\s]+(?=\S)", whole):
                others += await catalogue.search(attribute.asked.sub(" ", part))
        except CatalogueError:
            others = []
        if others and all(p.name != product.name for p in others):
            # "the blender died. btw how long is the guarantee again?" with the
            # toaster talked about before: the same for everything we sell, so said plainly,
            # not of a product the message is not about.
            return [Reply(said)]
        return [turn.reply("product_shop_wide", product=title, said=said)]
    what = _what(turn, attribute)
    stated = facts(product, attribute, turn.language)
    if attribute.name == "removable":
        # "can the lid be taken off": what the catalogue says of the lid, not of its filter.
        stated = _of_the_part(text, product, stated)
    joined = ("，" if turn.language == "zh" else ", ").join(stated)
    feature = attribute.feature or attribute.name.startswith(_FEATURE)
    if attribute.name.startswith(SUITS):
        # Whether it suits their room or use is not in the catalogue: no guess.
        use = attribute.name.removeprefix(SUITS)
        specs = product.specs(turn.language)
        return [turn.offer_human("product_suits_unknown", product=title, use=use, specs=specs)]
    if stated:
        key = "product_feature_yes" if feature else "product_attribute"
        return [turn.reply(key, product=title, what=what, facts=joined)]
    specs = product.specs(turn.language)
    if feature:
        # Not in the catalogue: no guess, and a person who can check.
        key = "product_feature_unknown" if specs else "product_feature_unlisted"
        return [turn.offer_human(key, product=title, what=what, specs=specs)]
    if specs:
        return [turn.reply("product_attribute_unknown", product=title, what=what, specs=specs)]
    return [turn.reply("product_attribute_unlisted", product=title, what=what)]


def _each_asked(text: str) -> list[str]:
    """The clauses of a message that each ask a different attribute ("does it mop too? and
    how long does its battery last"), in order; fewer than two when it asks one."""
    asked: dict[str, str] = {}
    for part in clauses(text):
        attribute = asked_of(part)
        if attribute is not None and attribute.name not in asked:
            asked[attribute.name] = part
    return list(asked.values())


# Which of the models in play has more or less of a measure: "which one uses less power",
# "哪款耗电少一点", "哪款容量大一点".
# "Which": "which one uses less power", "哪款耗电少" (also which of two, handlers/pair.py).
WHICH = re.compile(r"\bwhich\b|\bwhat one\b|哪(?:个|款|台|种|一个|一款)", re.I)
_LESS = re.compile(
    r"\b(?:less|lower|least|fewer|smaller|smallest|efficient|saves?|saving)\b|省|少|低|小",
    re.I,
)
_MEASURED = ("power", "capacity")


async def _which_of_them(
    turn: Turn, attribute: Attribute, text: str, found: list[Product]
) -> list[Reply] | None:
    """ "which one uses less power" with two or more models in play (listed, compared, or
    the several a name found): each one's figure, and the one with the least or most (not
    the figure of the one named last); None for any other question."""
    if attribute.name not in _MEASURED or not WHICH.search(text):
        return None
    catalogue = turn.deps.catalogue
    assert catalogue is not None
    pair = turn.dialogue.slot(PAIR_SLOT)
    models = found
    if pair is not None:
        try:
            models = [p for n in pair.value.split("|") for p in (await catalogue.search(n))[:1]]
        except CatalogueError as exc:
            logger.warning("catalogue look-up failed: %s", exc)
            return None
    figures = [(p, _figure(getattr(p, attribute.name))) for p in models]
    measured = [(p, v) for p, v in figures if v is not None]
    if len(measured) < 2 or len(measured) != len(figures):
        return None
    pick = min if _LESS.search(text) else max
    chosen = pick(measured, key=lambda pv: pv[1])[0]
    mark = "；" if turn.language == "zh" else "; "
    each = mark.join(f"{p.title(turn.language)} {getattr(p, attribute.name)}" for p, _ in measured)
    turn.outcome.intents[-1:] = [PRODUCT_INFO]
    turn.outcome.slots["product"] = chosen.name
    what = _what(turn, attribute)
    return [
        turn.reply("attribute_compared", what=what, each=each, product=chosen.title(turn.language))
    ]


# What every model of a kind states, asked of the kind ("how much does the slow cooker weigh",
# "电炖锅功率多大"): each one's.
_EACH_STATED = frozenset({"power", "size", "weight", "noise", "battery", "people"})


def _each_of(
    turn: Turn, attribute: Attribute, found: list[Product], named: str
) -> Reply | None:
    """The attribute carried over ("and the slow cooker?" after a power) of each model the
    name found, when the catalogue states it for all of them; None otherwise."""
    if attribute.name.startswith(SUITS):
        return None
    zh = turn.language == "zh"
    if attribute.feature or attribute.name.startswith(_FEATURE):
        # "它有定时吗" about both slow cookers: which of them lists it (the 6 L's timer is
        # not hidden behind the 3.5 L's silence), when one does.
        listed = [(p, facts(p, attribute, turn.language)) for p in found]
        if not any(said for _, said in listed):
            return None
        unlisted = turn.say("attribute_each_unlisted")
        mark = "，" if zh else ", "
        each = ("；" if zh else "; ").join(
            f"{p.title(turn.language)} {mark.join(said) if said else unlisted}"
            for p, said in listed
        )
        turn.outcome.intents[-1:] = [PRODUCT_INFO]
        turn.outcome.slots["product"] = named
        turn.outcome.said[f"{DETAIL}:{attribute.name}"] = turn.dialogue.turn
        return turn.reply("attribute_each_feature", what=_what(turn, attribute), each=each)
    parts = []
    for product in found:
        stated = facts(product, attribute, turn.language)
        if not stated:
            return None
        title = product.title(turn.language)
        parts.append(f"{title} {'，'.join(stated)}" if zh else f"{title} {', '.join(stated)}")
    turn.outcome.intents[-1:] = [PRODUCT_INFO]
    turn.outcome.slots["product"] = named
    turn.outcome.said[f"{DETAIL}:{attribute.name}"] = turn.dialogue.turn
    each = ("；" if zh else "; ").join(parts)
    return turn.reply("attribute_each", what=_what(turn, attribute), each=each)


def _figure(value: str) -> float | None:
    """The number of a measure as written ("1500 W", "3.5 L"), None when there is none."""
    match = re.search(r"\d+(?:\.\d+)?", value)
    return float(match.group()) if match else None


_FEATURE = "feature:"
# Words of a "can the lid be taken off" question that name no part.
_NOT_PARTS = frozenset(
    {
        "does",
        "do",
        "did",
        "can",
        "could",
        "will",
        "would",
        "is",
        "are",
        "the",
        "it",
        "its",
        "this",
        "that",
        "one",
        "ones",
        "come",
        "comes",
        "coming",
        "off",
        "out",
        "apart",
        "take",
        "taken",
        "pull",
        "lift",
        "twist",
        "unscrew",
        "detach",
        "detachable",
        "detaches",
        "removable",
        "for",
        "washing",
        "wash",
        "cleaning",
        "clean",
        "easily",
        "easy",
        "properly",
        "and",
        "or",
        "be",
        "to",
        "of",
        "on",
        "in",
        "with",
        "you",
        "your",
        "my",
    }
)
# Characters of "能拆下来洗吗" that name no part.
_NOT_PART_ZH = frozenset("能拆下来洗吗嘛呢可以的是不这个那取拿卸开么清理干净方便")


def _of_the_part(text: str, product: Product, stated: list[str]) -> list[str]:
    """The facts about the part the question names ("the lid", "滤网"), all of them when it
    names none; the product's own names are no part."""
    names = " ".join(product_names(product)).lower()
    words = {
        w
        for w in re.findall(r"[a-z]{3,}", text.lower())
        if w not in _NOT_PARTS and w not in names.split()
    }
    han = {c for c in re.findall(r"[\u4e00-\u9fff]", text) if c not in _NOT_PART_ZH}
    han -= set(names)
    if not words and not han:
        return stated
    return [
        f
        for f in stated
        if any(re.search(rf"\b{re.escape(w[:4])}", f.lower()) for w in words) or han & set(f)
    ]


def _what(turn: Turn, attribute: Attribute) -> str:
    """What was asked, in the customer's language: the attribute's name, or the feature's
    own words."""
    if attribute.name.startswith(_FEATURE):
        return attribute.name.removeprefix(_FEATURE)
    if attribute.name.startswith(SUITS):
        return attribute.name.removeprefix(SUITS)
    return turn.say(f"attribute_{attribute.name}")


# "and the big one?", "那大的呢", "what about the 6l one": the attribute just asked, of another.
_AGAIN = re.compile(
    r"^(?:(?:and|an|n|&|plus|so|ok|what about|how about|wbt|what abt)\s+)+(?:the\s+)?"
    r"[\w. -]{1,20}?\s*(?:one)?[?？!.]*$|"
    r"^(?:那|那么)?[\w.\u4e00-\u9fff]{1,8}?(?:的)?(?:呢|那个呢|那款呢)[?？]*$",
    re.I,
)


def last_asked(turn: Turn) -> Attribute | None:
    """The attribute the last answer told of a product, if it told one."""
    for attribute in ATTRIBUTES:
        said = turn.dialogue.variant(f"{DETAIL}:{attribute.name}")
        if said is not None and said == turn.dialogue.turn - 1:
            return attribute
    return None


# Delivery alone after a product's answer ("and delivery?", "delivery then?", "送货呢"): what
# delivering that product costs, as "and shipping?" (not the last attribute asked again).
_BARE_DELIVERY = re.compile(
    r"^\W*(?:and|what about|how about|n|plus)?\s*(?:the\s+)?deliver(?:y|ing it)\s*(?:then)?\W*$|"
    r"^\W*(?:那|还有)?(?:配送|送货|快递费?)(?:呢|咋算|怎么算)\W*$",
    re.IGNORECASE,
)


def _asked_again(turn: Turn) -> Attribute | None:
    """The attribute the last answer told, when the message only names another product or
    size ("and the big one?", "小的呢"); None otherwise."""
    if _AGAIN.search(turn.message.text.strip()) is None:
        return None
    return last_asked(turn)


async def express_for_case(turn: Turn) -> list[Reply]:
    """Express for what the open case sends (the missing part, the new item): only the team
    can arrange it, so the wish is noted on the case and said so, with when it usually
    ships (not an address change, nor the delivery options of an order)."""
    case = await cases.current_case(turn)
    sends = _sends_for_case(turn)
    if case is None or sends is None:
        return [turn.reply("help")]
    await turn.deps.cases.add_note(
        case.number, author="bot", text=f"The customer asks for it by express: {turn.message.text}"
    )
    turn.outcome.case = case.number
    key = "case_express_part" if sends == complaint.SENDS_PART else "case_express_new"
    return [turn.reply(key, number=case.number)]
