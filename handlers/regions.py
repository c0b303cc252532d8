"""Countries and regions a delivery question names, and whether we deliver there."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Region:
    """A country or region as customers name it, and whether the demo shop's delivery list
    has it (``served``; a shop's own list is a :class:`DeliveryList`)."""

    en: str
    zh: str
    served: bool
    pattern: re.Pattern[str]

    def name(self, language: str) -> str:
        """The region's name in ``language`` (English otherwise)."""
        return self.zh if language == "zh" else self.en


def _region(en: str, zh: str, served: bool, words: str) -> Region:
    return Region(en=en, zh=zh, served=served, pattern=re.compile(words, re.IGNORECASE))


# The demo shop's delivery list, as its knowledge base says it ("most of Europe, the UK, the
# US, Canada, China and Singapore"), one row per country customers ask about; a region not on
# it is said so honestly. Taiwan, Hong Kong and Macau have their own customs and carriers: not
# on the list. More specific names first ("new zealand" before "zealand", "hong kong" before
# "china"). A shop's own list: config ``conversation.ships_to`` (:class:`DeliveryList`).
REGIONS = (
    _region("Hong Kong", "香港", False, r"\bhong ?kong\b|\bhk\b|香港"),
    _region("Macau", "澳门", False, r"\bmaca[ou]\b|澳门"),
    _region("Taiwan", "台湾", False, r"\btaiwan\b|台湾|台灣|台北|\btaipei\b"),
    _region("New Zealand", "新西兰", False, r"\bnew zealand\b|\bnz\b|新西兰|纽西兰"),
    _region("Australia", "澳大利亚", False, r"\baustralia\b|\baussie\b|\boz\b|澳大利亚|澳洲"),
    _region("Japan", "日本", False, r"\bjapan\b|日本"),
    _region("South Korea", "韩国", False, r"\b(?:south )?korea\b|韩国"),
    _region("India", "印度", False, r"\bindia\b|印度"),
    _region("Brazil", "巴西", False, r"\bbrazil\b|巴西"),
    _region("Mexico", "墨西哥", False, r"\bmexico\b|墨西哥"),
    _region("Russia", "俄罗斯", False, r"\brussia\b|俄罗斯"),
    _region("South Africa", "南非", False, r"\bsouth africa\b|南非"),
    _region("the UAE", "阿联酋", False, r"\buae\b|\bdubai\b|emirates|阿联酋|迪拜"),
    _region("Malaysia", "马来西亚", False, r"\bmalaysia\b|马来西亚"),
    _region("Thailand", "泰国", False, r"\bthailand\b|泰国"),
    _region("Vietnam", "越南", False, r"\bviet ?nam\b|越南"),
    _region("the Philippines", "菲律宾", False, r"\bphilippines\b|菲律宾"),
    _region("Indonesia", "印度尼西亚", False, r"\bindonesia\b|印尼|印度尼西亚"),
    _region("Turkey", "土耳其", False, r"\bturkey\b|\bt[uü]rkiye\b|土耳其"),
    _region("Israel", "以色列", False, r"\bisrael\b|以色列"),
    _region("Switzerland", "瑞士", False, r"\bswitzerland\b|\bswiss\b|瑞士"),
    _region("Norway", "挪威", False, r"\bnorway\b|挪威"),
    _region("Iceland", "冰岛", False, r"\biceland\b|冰岛"),
    _region("Argentina", "阿根廷", False, r"\bargentina\b|阿根廷"),
    _region("Chile", "智利", False, r"\bchile\b|智利"),
    _region("Nigeria", "尼日利亚", False, r"\bnigeria\b|尼日利亚"),
    _region("Egypt", "埃及", False, r"\begypt\b|埃及"),
    _region("Saudi Arabia", "沙特阿拉伯", False, r"\bsaudi\b|沙特"),
    _region(
        "the UK",
        "英国",
        True,
        r"\buk\b|\bu\.k\.|united kingdom|britain|england|scotland|"
        r"wales|northern ireland|\blondon\b|英国|英格兰|苏格兰|伦敦",
    ),
    _region("the US", "美国", True, r"\busa\b|\bthe us\b|\bu\.s\.|united states|\bamerica\b|美国"),
    _region("Canada", "加拿大", True, r"\bcanada\b|加拿大"),
    _region("Singapore", "新加坡", True, r"\bsingapore\b|新加坡"),
    _region("China", "中国", True, r"\bchina\b|\bmainland\b|中国|大陆|内地"),
    _region("Germany", "德国", True, r"\bgermany\b|deutschland|德国"),
    _region("France", "法国", True, r"\bfrance\b|法国"),
    _region("Spain", "西班牙", True, r"\bspain\b|西班牙"),
    _region("Italy", "意大利", True, r"\bitaly\b|意大利"),
    _region("the Netherlands", "荷兰", True, r"netherlands|holland|荷兰"),
    _region("Belgium", "比利时", True, r"\bbelgium\b|比利时"),
    _region("Austria", "奥地利", True, r"\baustria\b|奥地利"),
    _region("Ireland", "爱尔兰", True, r"(?<!northern )\bireland\b|爱尔兰"),
    _region("Portugal", "葡萄牙", True, r"\bportugal\b|葡萄牙"),
    _region("Poland", "波兰", True, r"\bpoland\b|波兰"),
    _region("Sweden", "瑞典", True, r"\bsweden\b|瑞典"),
    _region("Denmark", "丹麦", True, r"\bdenmark\b|丹麦"),
    _region("Finland", "芬兰", True, r"\bfinland\b|芬兰"),
    _region("Greece", "希腊", True, r"\bgreece\b|希腊"),
    _region("Czechia", "捷克", True, r"\bczech(?:ia| republic)?\b|捷克"),
    _region("Hungary", "匈牙利", True, r"\bhungary\b|匈牙利"),
    _region("Romania", "罗马尼亚", True, r"\bromania\b|罗马尼亚"),
    _region("Luxembourg", "卢森堡", True, r"\bluxembourg\b|卢森堡"),
)


# Asking whether we deliver somewhere: "ship to", "deliver to", "寄", "送到", "发往".
_SHIPS = re.compile(
    r"\b(?:ship|shipping|deliver|delivery|send|post|mail)(?:s|ed|ing)?\b|\bwhat about\b|"
    r"寄|送|发(?:到|往|货)|配送|邮|快递|能到|包邮",
    re.IGNORECASE,
)


def asks_about_shipping(text: str) -> bool:
    """True when the text has a delivery word ("ship to", "寄", "送到")."""
    return bool(_SHIPS.search(text))


def region_named(text: str) -> Region | None:
    """The first country or region the text names, if any; else one a long English word of
    the text is a typo of ("and austrlia?", "what about germny")."""
    for region in REGIONS:
        if region.pattern.search(text):
            return region
    for word in re.findall(r"[a-z]{6,}", text.lower()):
        if word in _NOT_TYPOS:
            continue
        for region in REGIONS:
            name = region.en.lower().removeprefix("the ")
            if " " not in name and len(name) >= 6 and _one_typo(word, name):
                return region
    return None


# Words one letter away from a country that are words of their own ("i'm hungry").
_NOT_TYPOS = frozenset({"hungry", "germane", "frances", "trance", "turkeys"})


def _one_typo(typed: str, name: str) -> bool:
    """True when ``typed`` is ``name`` with one letter left out, added, changed, or two
    letters swapped ("austrlia", "germnay"); not the name itself, nor it cut short or
    lengthened at the end."""
    if abs(len(typed) - len(name)) > 1 or typed.startswith(name) or name.startswith(typed):
        return False  # (nor "german", "russian", "israeli": the language, the people)
    if len(typed) == len(name):
        diff = [i for i, (a, b) in enumerate(zip(typed, name, strict=True)) if a != b]
        if len(diff) == 1:
            return True
        i = diff[0]
        swapped = typed[i] == name[i + 1] and typed[i + 1] == name[i]
        return len(diff) == 2 and diff[1] == i + 1 and swapped
    short, long_ = (typed, name) if len(typed) < len(name) else (name, typed)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _plain(name: str) -> str:
    """A configured name compared loosely: case, spaces and a leading "the" do not count."""
    name = name.strip().casefold()
    name = name.removeprefix("the ")
    return re.sub(r"\s+", " ", name)


def _by_name(name: str) -> Region | None:
    """The region a configured name means: its English or Chinese name, or a way customers
    write it ("UK", "Deutschland", "澳洲")."""
    plain = _plain(name)
    for region in REGIONS:
        if plain in (_plain(region.en), _plain(region.zh)):
            return region
    for region in REGIONS:
        if region.pattern.fullmatch(name.strip()):
            return region
    return None


class DeliveryList:
    """The countries the shop delivers to (config ``conversation.ships_to``; empty: the demo
    shop's list). Customers asking about any other country named in :data:`REGIONS` are
    told plainly that it is not on the list, with a person offered to check."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        wanted = [name for name in names if name.strip()]
        if not wanted:
            self._served = frozenset(region.en for region in REGIONS if region.served)
            return
        served: set[str] = set()
        for name in wanted:
            region = _by_name(name)
            if region is None:
                known = ", ".join(region.en.removeprefix("the ") for region in REGIONS)
                raise ValueError(f"unknown country {name!r} (known: {known})")
            served.add(region.en)
        self._served = frozenset(served)

    def serves(self, region: Region) -> bool:
        """True when ``region`` is on the shop's delivery list."""
        return region.en in self._served
