"""The agents' business hours: whether people are there now, and when they are back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SPEC = re.compile(
    r"^\s*(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+"
    r"(?P<open>\d{1,2}:\d{2})\s*-\s*(?P<close>\d{1,2}:\d{2})\s*$",
    re.IGNORECASE,
)


class HoursError(ValueError):
    """A business-hours line is not of the form ``Mon-Fri 09:00-18:00``."""


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """Opening times per weekday in one time zone; no lines means always open."""

    windows: tuple[tuple[int, time, time], ...]
    zone: ZoneInfo

    @classmethod
    def parse(cls, lines: list[str], zone: str) -> BusinessHours:
        """From lines like ``Mon-Fri 09:00-18:00`` and ``Sat 10:00-14:00``."""
        try:
            tz = ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise HoursError(f"unknown time zone {zone!r}; use e.g. Europe/Berlin") from exc
        windows = []
        for line in lines:
            match = _SPEC.match(line)
            if match is None:
                raise HoursError(f"{line!r} is not like 'Mon-Fri 09:00-18:00'")
            first = match.group("first").lower()
            last = (match.group("last") or first).lower()
            if first not in DAYS or last not in DAYS:
                raise HoursError(f"{line!r}: days are {', '.join(DAYS)}")
            opens, closes = (time.fromisoformat(match.group(k).zfill(5)) for k in ("open", "close"))
            if closes <= opens:
                raise HoursError(f"{line!r}: closes before it opens")
            for day in range(DAYS.index(first), DAYS.index(last) + 1):
                windows.append((day, opens, closes))
        return cls(windows=tuple(windows), zone=tz)

    def is_open(self, at: datetime) -> bool:
        """Are agents working at this moment?"""
        if not self.windows:
            return True
        local = at.astimezone(self.zone)
        return any(
            day == local.weekday() and opens <= local.time() < closes
            for day, opens, closes in self.windows
        )

    def next_open(self, at: datetime) -> datetime:
        """When agents are next at work (``at`` itself when open now)."""
        if self.is_open(at):
            return at
        local = at.astimezone(self.zone)
        for ahead in range(8):
            date = (local + timedelta(days=ahead)).date()
            starts = sorted(
                datetime.combine(date, opens, self.zone)
                for day, opens, _ in self.windows
                if day == date.weekday()
            )
            for start in starts:
                if start > local:
                    return start
        return at

    def after_working(self, start: datetime, duration: timedelta) -> datetime:
        """The moment ``duration`` of working time has passed since ``start`` (time outside
        the hours does not count); always open: plain ``start + duration``."""
        if not self.windows:
            return start + duration
        left = duration
        local = start.astimezone(self.zone)
        for ahead in range(366):
            date = (local + timedelta(days=ahead)).date()
            for day, opens, closes in sorted(self.windows, key=lambda w: w[1]):
                if day != date.weekday():
                    continue
                begin = max(datetime.combine(date, opens, self.zone), local)
                end = datetime.combine(date, closes, self.zone)
                if end <= begin:
                    continue
                if end - begin >= left:
                    return begin + left
                left -= end - begin
        return start + duration

    def working_day(self) -> timedelta:
        """The length of the longest opening window: what "one working day" means here."""
        if not self.windows:
            return timedelta(days=1)
        return max(
            timedelta(hours=c.hour - o.hour, minutes=c.minute - o.minute)
            for _, o, c in self.windows
        )


DAY_NAMES = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "zh": ("周一", "周二", "周三", "周四", "周五", "周六", "周日"),
}


def back_at(hours: BusinessHours | None, now: datetime, language: str) -> str:
    """When the team is next at work, in words: ``Monday 09:00`` (``周一 09:00``)."""
    back = (hours.next_open(now) if hours is not None else now).astimezone(
        hours.zone if hours is not None else None
    )
    day = DAY_NAMES.get(language, DAY_NAMES["en"])[back.weekday()]
    return f"{day} {back:%H:%M}"


def when_words(hours: BusinessHours | None, at: datetime, now: datetime, language: str) -> str:
    """A moment as a customer says it: ``today (Tuesday) 15:00``, ``tomorrow (Wednesday) 15:00``,
    ``Friday 15:00`` (``今天 15:00``, ``明天（周三）15:00``, ``周五 15:00``)."""
    zone = hours.zone if hours is not None else None
    local, today = at.astimezone(zone), now.astimezone(zone).date()
    day = DAY_NAMES.get(language, DAY_NAMES["en"])[local.weekday()]
    days = (local.date() - today).days
    if language == "zh":
        prefix = {0: f"今天（{day}）", 1: f"明天（{day}）"}.get(days, f"{day} ")
    else:
        prefix = {0: f"today ({day}) ", 1: f"tomorrow ({day}) "}.get(days, f"{day} ")
    return f"{prefix}{local:%H:%M}"


# Zones customers know by a city's name in Chinese; others by the zone's city in English.
_ZONE_ZH = {
    "Asia/Shanghai": "北京",
    "Asia/Chongqing": "北京",
    "Asia/Hong_Kong": "香港",
    "Asia/Taipei": "台北",
    "Asia/Singapore": "新加坡",
    "Asia/Tokyo": "东京",
    "Asia/Seoul": "首尔",
    "Europe/London": "伦敦",
    "Europe/Berlin": "柏林",
    "Europe/Paris": "巴黎",
    "Europe/Amsterdam": "阿姆斯特丹",
    "America/New_York": "纽约",
    "America/Los_Angeles": "洛杉矶",
    "America/Toronto": "多伦多",
    "Australia/Sydney": "悉尼",
    "UTC": "UTC ",
}


def zone_label(hours: BusinessHours, language: str) -> str:
    """The hours' time zone as a customer reads it: "London" ("London time"), "北京"
    ("北京时间"), never the zone database's "Europe/London" inside a sentence."""
    key = hours.zone.key
    if language == "zh" and key in _ZONE_ZH:
        return _ZONE_ZH[key]
    city = key.rsplit("/", 1)[-1].replace("_", " ")
    return city if language != "zh" else f"{city} "


def describe(hours: BusinessHours, language: str) -> str:
    """The opening times in words: ``Monday to Friday 09:00-18:00; Saturday 10:00-14:00``
    (``周一至周五 09:00-18:00；周六 10:00-14:00``), days with the same times grouped."""
    names = DAY_NAMES.get(language, DAY_NAMES["en"])
    per_day = [
        ", ".join(f"{o:%H:%M}-{c:%H:%M}" for d, o, c in sorted(hours.windows) if d == day)
        for day in range(7)
    ]
    groups: list[tuple[int, int, str]] = []
    for day, times in enumerate(per_day):
        if not times:
            continue
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == times:
            groups[-1] = (groups[-1][0], day, times)
        else:
            groups.append((day, day, times))
    joiner, to = ("；", "至") if language == "zh" else ("; ", " to ")
    parts = []
    for first, last, times in groups:
        if first == last:
            days = names[first]
        elif last == first + 1:
            days = f"{names[first]}{'、' if language == 'zh' else ' and '}{names[last]}"
        else:
            days = f"{names[first]}{to}{names[last]}"
        parts.append(f"{days} {times}")
    return joiner.join(parts)


def closed_days(hours: BusinessHours, language: str) -> str:
    """The weekdays with no hours (``Saturday and Sunday``, ``周六、周日``); empty if none."""
    names = DAY_NAMES.get(language, DAY_NAMES["en"])
    open_days = {d for d, _, _ in hours.windows}
    closed = [names[d] for d in range(7) if d not in open_days]
    if language == "zh" or len(closed) < 2:
        return "、".join(closed)
    return f"{', '.join(closed[:-1])} and {closed[-1]}"


# Days a question names: "on saturdays", "礼拜天", "周末", "平时" (working days).
_DAY_WORDS = (
    (r"\bmon(?:day)?s?\b|\bmon\w{1,3}days?\b|周一|星期一|礼拜一", (0,)),
    (r"\btue(?:s|sday)?s?\b|\btu\w{2,5}days?\b|周二|星期二|礼拜二", (1,)),
    (r"\bwed(?:nesday)?s?\b|\bwe[dn]\w{1,5}days?\b|周三|星期三|礼拜三", (2,)),
    (r"\bthu(?:rs|rsday)?s?\b|\bthu\w{1,4}days?\b|周四|星期四|礼拜四", (3,)),
    (r"\bfri(?:day)?s?\b|\bfri\w{1,2}days?\b|周五|星期五|礼拜五", (4,)),
    (r"\bsat(?:urday)?s?\b|\bsat\w{1,4}days?\b|周六|星期六|礼拜六", (5,)),
    (r"\bsun(?:day)?s?\b|\bsun\w{1,2}days?\b|周日|周天|星期日|星期天|礼拜日|礼拜天", (6,)),
    (r"\bweekends?\b|周末|双休", (5, 6)),
    (r"\bweekdays?\b|\bworking days?\b|平时|工作日|平日", (0, 1, 2, 3, 4)),
)


# Public holidays a question names: "bank holidays", "christmas", "国庆", "过年", "节假日".
# Who a question about the team's hours is about: "you", "u guys", "support", "anyone".
_TEAM = (
    r"(?:you(?: guys| all)?|u(?: guys)?|ya|y'?all|ur team|your team|the team|support|"
    r"customer (?:service|support)|some(?:one|body)|any(?:one|body)|an? (?:agent|person|human)|"
    r"agents|staff|people|the (?:shop|store|office))"
)
_EN_DAY = (
    r"(?:tomorrow|today|tonight|later|this (?:weekend|evening|afternoon)|at the weekend|"
    r"(?:on )?(?:the )?weekends?|(?:on )?(?:mon|tues|wednes|thurs|fri|satur|sun)days?|"
    r"(?:on )?(?:mon|tue|wed|thu|fri|sat|sun))"
)
_ZH_DAY = r"(?:明天|今天|今晚|晚上|早上|周末|(?:周|星期|礼拜)[一二三四五六日天]|节假日|假期|过节)"
# "when are you back", "wen r u guys back online", "are you open tomorrow", "what time do you
# close", "你们啥时候上班", "客服几点回来", "明天有人吗": when the team is there, not the
# returns answer "back" is near.
_ASKS_TEAM_HOURS = re.compile(
    rf"\b(?:when|wen|what time|wat time|wot time)\s+(?:are|r|will|do|does|is|would)\s+{_TEAM}\s+"
    # (Not "when will someone get back to me": the case's answer, not the hours.)
    r"(?:be\s+)?(?:back|open|opening|online|available|around|in|on|start|starting|"
    r"working|there|close|closing|finish)\b(?!\s+to\b)|"
    rf"\b(?:are|r|is|will)\s+{_TEAM}\s+(?:be\s+)?(?:open|working|around|online|available|in|there|"
    rf"back)\s+{_EN_DAY}\b|"
    r"(?:啥时候|什么时候|几点|哪天|几号)(?:能|会|才|开始)?(?:上班|下班|开工|营业|开门|关门|上线)|"
    r"(?:你们|客服|人工|工作人员)(?:都|一般)?(?:啥时候|什么时候|几点|哪天)(?:能|会|才)?(?:回来|有人|在线)|"
    rf"{_ZH_DAY}(?:你们|客服|人工)?(?:有人|上班|营业|开门|在线)(?:吗|么|不|没|嘛|没有)?\s*[?？]*\s*$",
    re.IGNORECASE,
)


_ANYONE = r"(?:any(?:one|body)|some(?:one|body)|an? (?:real |actual )?(?:person|human|agent)|" \
    r"(?:real |actual )?(?:people|humans)|your team|the team|u guys|you guys)"
# Whether anyone is there, and when someone reads or answers: "is anyone even there", "hello?
# anybody there?", "when will someone read this", "how long till somebody answers me", "anyone
# gonna read my message or what", "有人吗", "有活人吗", "啥时候有人回", "到底有没有人管".
_ANYONE_THERE = re.compile(
    rf"\b(?:is|are|r)\s+(?:there\s+)?(?:any\s+)?{_ANYONE}\s+(?:even\s+|actually\s+|still\s+)?"
    r"(?:there|here|around|in|reading|alive|awake|working|available|online)\b|"
    rf"\b{_ANYONE}\s+(?:there|here|home|alive|awake|around|online)\b\s*[?？]|"
    rf"\b(?:when|how long|how soon|will|does|do|is|ever)\b.{{0,25}}\b{_ANYONE}\b.{{0,30}}"
    r"\b(?:read|reads|reading|see|sees|look at|looks at|answer|answers|reply|replies|respond|"
    r"responds|get back|gets back|pick (?:this|it) up|contact|contacts|get in touch|"
    r"gets in touch|reach out|reaches out|call me|calls me|ring me|rings me|write to me|"
    r"writes to me|message me|messages me|email me|emails me|follow up|follows up)\b|"
    rf"\b{_ANYONE}\s+(?:gonna|going to|ever|actually|even)\s+(?:read|answer|reply|respond|look)|"
    r"有人吗|有没有人|有人在吗|有活人|有人没|还有人|"
    # "明早会有人回我吗", "今晚能有人回我不": whether someone gets back to them, and when.
    r"(?:会|能|才|可以)有人(?:来)?(?:联系|回复|回|打电话给|打给|找|理|跟进)我|"
    r"(?:啥时候|什么时候|几点|多久|多长时间|哪天)(?:才|能|会)?(?:有人|人工|客服)(?:来)?"
    r"(?:回|看|理|管|处理|回复|联系|上班|在)|"
    r"(?:有人|客服|人工)(?:什么时候|啥时候|几点|多久|多长时间)(?:才|能|会)?(?:回|看|理|管|在|有人|上班)",
    re.IGNORECASE,
)


def asks_for_anyone(text: str) -> bool:
    """True when the message asks whether anyone is there or when someone will read or answer
    it ("is anyone even there", "when will someone read this", "啥时候有人回", "有活人吗")."""
    return _ANYONE_THERE.search(text) is not None


# A person asked for now, in a question's form, with no day or hour asked: "那我现在能找人工
#吗", "现在可以转人工不", "can i talk to someone now then": the hand-off (not the team's hours,
# as "现在有人工吗" or "can i talk to someone on sunday" may be).
_PERSON_NOW = re.compile(
    r"\b(?:can|could|may)\s+(?:i|we)\s+(?:\w+\s+){0,2}(?:talk|speak|chat)\s+(?:to|with)\s+"
    r"(?:someone|somebody|a (?:real |actual )?(?:person|human|agent))\b.{0,12}\b(?:now|then)\b|"
    r"现在(?:就)?(?:能|可以|能不能|可不可以)(?:帮我)?(?:找|转|要|接)(?:个)?(?:人工|真人|客服)|"
    r"^\W*(?:那|那我|那就)(?:能|可以|能不能|可不可以)(?:帮我)?(?:找|转|要|接)(?:个)?(?:人工|真人|客服)",
    re.IGNORECASE,
)
# When or on which day, asked too: the team's hours.
_WHEN_ASKED = re.compile(
    r"\b(?:when|what time|which day|tomorrow|tonight|weekend)\b|"
    r"几点|什么时候|啥时候|明天|周末|哪天",
    re.IGNORECASE,
)


def asks_person_now(text: str) -> bool:
    """True for a person asked for now in a question's form ("那我现在能找人工吗"), no day
    or hour asked with it."""
    if _PERSON_NOW.search(text) is None or _WHEN_ASKED.search(text):
        return False
    return not days_named(text) and not holiday_named(text)


def asks_team_hours(text: str) -> bool:
    """True when the message asks when the team is there ("when are you back", "r u open on
    sunday", "你们啥时候上班", "明天有人吗")."""
    return _ASKS_TEAM_HOURS.search(text) is not None


_HOLIDAYS = re.compile(
    r"\bholidays?\b|\bbank hol|christmas|\bxmas\b|easter|new year|boxing day|thanksgiving|"
    r"节假日|假期|放假|过节|国庆|春节|过年|元旦|五一|劳动节|中秋|端午|清明|法定",
    re.IGNORECASE,
)


def holiday_named(text: str) -> bool:
    """True when a question is about public holidays rather than a weekday."""
    return bool(_HOLIDAYS.search(text))


# Days named relative to today: "tomorrow", "明天", "后天" (how many days ahead).
_RELATIVE = (
    (re.compile(r"\bday after tomorrow\b|后天", re.IGNORECASE), 2),
    (re.compile(r"\b(?:tomorrow|tmrw?|tmr|tomoz|2moro|2morrow)\b|明天|明儿|明日", re.I), 1),
    (re.compile(r"\b(?:today|tonight|this evening)\b|今天|今日|今晚|今儿", re.IGNORECASE), 0),
)


def day_ahead(text: str) -> int | None:
    """How many days ahead a question's "today" / "tomorrow" / "后天" is; None when it names
    no such day."""
    for pattern, ahead in _RELATIVE:
        if pattern.search(text):
            return ahead
    return None


def weekday_ahead(hours: BusinessHours, now: datetime, ahead: int) -> int:
    """The weekday (0 = Monday) ``ahead`` days from now in the shop's time zone (late on
    Friday evening in UTC may already be Saturday there)."""
    return (now.astimezone(hours.zone) + timedelta(days=ahead)).weekday()


def without_days(text: str) -> str:
    """The text with the weekdays and holidays it names left out ("sunday too?" -> " too?")."""
    for pattern, _ in _DAY_WORDS:
        text = re.sub(pattern, " ", text, flags=re.IGNORECASE)
    return _HOLIDAYS.sub(" ", text)


def days_named(text: str) -> tuple[int, ...]:
    """The weekdays (0 = Monday) a question names, in order; empty when it names none."""
    found: list[int] = []
    for pattern, days in _DAY_WORDS:
        if re.search(pattern, text, re.IGNORECASE):
            found.extend(d for d in days if d not in found)
    return tuple(sorted(found))


def day_times(hours: BusinessHours, day: int) -> str:
    """``09:00-18:00`` (several windows joined by commas) on a weekday; empty when closed."""
    return ", ".join(f"{o:%H:%M}-{c:%H:%M}" for d, o, c in sorted(hours.windows) if d == day)


# The wait until the team is back, named in a reaction to it: the day ("monday??", "周一?"),
# the weekend, "till tomorrow", "all weekend", "这两天", "等到周一".
_WAIT_NAMED = re.compile(
    r"\b(?:till|until|til|before)\b|\b(?:all|whole|entire) (?:weekend|day)\b|"
    r"\bthat long\b|\b(?:two|2|three|3) (?:more )?days\b|"
    r"这两天|两天|这几天|那么久|这么久|等到|要等|才(?:有人|回来|上班|处理)",
    re.IGNORECASE,
)
# How the customer takes it: incredulous or cross ("monday??", "are you serious", "great",
# "so i just wait", "咋办", "开玩笑吧", "服了"), not a plain "ok monday then".
_TAKES_IT_BADLY = re.compile(
    r"[?？!！]|\b(?:serious(?:ly)?|kidding|joke|great|brilliant|wonderful|perfect|wow|ugh|"
    r"really|ridiculous|unbelievable|joking|nobody|no ?one|just wait|supposed to|what now|"
    r"what do i do|so i (?:just|have to)|annoying|typical|fantastic|lovely)\b|"
    r"咋办|怎么办|开玩笑|服了|无语|离谱|搞什么|真是的|没人|太久|这么久|那么久|啊|吧|呵呵|才",
    re.IGNORECASE,
)
# Longer than this (words, or two ideographs each), a message says more than the reaction.
_REACTION_WORDS = 10


def reacts_to_wait(text: str) -> bool:
    """True for a short reaction to being told when the team is back: incredulous or cross,
    naming the day or the wait ("great so nobody till monday", "monday?? are you serious",
    "wow so i just wait all weekend", "周一?? 那我这两天咋办", "要等到周一啊 服了"); not a
    question of the hours ("are you open on sunday?") nor a plain "ok monday then"."""
    if not (days_named(text) or _WAIT_NAMED.search(text)) or _TAKES_IT_BADLY.search(text) is None:
        return False
    words = len(re.findall(r"[A-Za-z0-9']+", text)) + sum(
        1 for c in text if "\u4e00" <= c <= "\u9fff"
    ) // 2
    if words > _REACTION_WORDS:
        return False
    # "are you open on saturday?", "周六上班吗": the hours asked, not a reaction to them.
    return not asks_team_hours(text) or _TAKES_IT_BADLY.search(text.replace("?", "")) is not None

