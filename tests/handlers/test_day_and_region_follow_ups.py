"""Follow-ups on the hours ("and tomorrow?", "那明天呢") and on delivery countries ("what about
australia", "寄台湾吗"): that day's hours in the shop's time zone; a region not on the delivery
list said so plainly (issue #15). Held-out wordings, not lines from nlu/data."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from handlers.dispatcher import Dispatcher
from handlers.hours import BusinessHours, day_ahead, weekday_ahead
from handlers.regions import REGIONS, DeliveryList, region_named
from handlers.turn import Deps
from nlu import BuiltinEngine
from tests.handlers.conftest import make_say

HOURS_LINES = ["Mon-Fri 09:00-18:00", "Sat 10:00-14:00"]
# Friday 21:00 UTC: still Friday in London, already Saturday 05:00 in Shanghai.
FRIDAY_NIGHT = datetime(2026, 11, 27, 21, 0, tzinfo=UTC)


def shop(deps: Deps, engine: BuiltinEngine, zone: str) -> Dispatcher:
    hours = BusinessHours.parse(HOURS_LINES, zone)
    return Dispatcher(deps=replace(deps, hours=hours, clock=lambda: FRIDAY_NIGHT), nlu=engine)


def test_tomorrow_is_counted_in_the_shops_time_zone() -> None:
    london = BusinessHours.parse(HOURS_LINES, "Europe/London")
    shanghai = BusinessHours.parse(HOURS_LINES, "Asia/Shanghai")
    assert weekday_ahead(london, FRIDAY_NIGHT, 1) == 5  # Saturday
    assert weekday_ahead(shanghai, FRIDAY_NIGHT, 1) == 6  # Sunday
    assert day_ahead("and tmrw?") == 1
    assert day_ahead("那后天呢") == 2
    assert day_ahead("what about saturday") is None


@pytest.mark.parametrize(
    ("zone", "language", "first", "follow_up", "present", "absent"),
    [
        # Tomorrow is Saturday in London: the Saturday hours, not the weekday ones.
        (
            "Europe/London",
            "en",
            "when can i talk to your team",
            "great. and tmrw",
            ["10:00-14:00"],
            ["09:00"],
        ),
        # ... and Sunday in Shanghai: the team is off.
        (
            "Asia/Shanghai",
            "en",
            "when can i talk to your team",
            "cool, and tomorrow",
            [" off"],
            ["10:00"],
        ),
        ("Europe/London", "zh", "人工客服几点下班", "那明儿呢", ["明天", "10:00-14:00"], ["09:00"]),
        ("Asia/Shanghai", "zh", "人工客服几点下班", "明天呢", ["明天", "休息"], ["10:00"]),
    ],
)
async def test_a_day_after_the_hours_gets_that_days_hours(
    deps: Deps,
    engine: BuiltinEngine,
    zone: str,
    language: str,
    first: str,
    follow_up: str,
    present: list[str],
    absent: list[str],
) -> None:
    say = make_say(shop(deps, engine, zone), "901", "Kim", language)
    await say(first)
    replies = await say(follow_up)
    text = " ".join(r.text for r in replies)
    for word in present:
        assert word in text, text
    for word in absent:
        assert word not in text, text


@pytest.mark.parametrize(
    ("language", "first", "follow_up", "region", "no_list"),
    [
        ("en", "where do you deliver to", "what about australia then", "Australia", "Singapore"),
        ("en", "where do you deliver to", "nz?", "New Zealand", "Singapore"),
        ("zh", "你们都寄哪些国家", "能寄到台湾吗", "台湾", "新加坡"),
        ("zh", "你们都寄哪些国家", "那澳洲呢", "澳大利亚", "新加坡"),
    ],
)
async def test_a_region_not_listed_is_said_plainly_with_a_person_to_check(
    dispatcher: Dispatcher, language: str, first: str, follow_up: str, region: str, no_list: str
) -> None:
    say = make_say(dispatcher, "902", "Ana", language)
    await say(first)
    (reply,) = await say(follow_up)
    assert region in reply.text
    assert ("don't" in reply.text) if language == "en" else ("不" in reply.text)
    assert no_list not in reply.text  # not the whole list again
    assert any(b.payload == "human" for b in reply.buttons), reply.buttons


async def test_a_listed_country_is_a_yes(dispatcher: Dispatcher) -> None:
    (reply,) = await make_say(dispatcher, "903", "Ana", "en")("can you ship to france?")
    assert "France" in reply.text and "don't" not in reply.text


async def test_a_region_without_a_shipping_question_is_not_a_delivery_answer(
    dispatcher: Dispatcher,
) -> None:
    # "us" is a pronoun, "german" a language: neither is a country asked about.
    assert region_named("can you send it to us quickly") is None
    assert region_named("the manual is only in german") is None
    assert region_named("do you ship to the US") is not None


async def test_how_long_to_a_listed_country_is_the_delivery_time(dispatcher: Dispatcher) -> None:
    (reply,) = await make_say(dispatcher, "904", "Ana", "en")(
        "how long does shipping to spain take"
    )
    assert "working days" in reply.text, reply.text


@pytest.mark.parametrize(
    ("zone", "language", "question", "said", "never"),
    [
        ("Asia/Shanghai", "zh", "人工客服几点上班", "北京时间", "Asia/"),
        ("Europe/London", "zh", "你们客服几点有人", "伦敦时间", "Europe/"),
        ("Europe/London", "en", "what are your opening hours", "London time", "Europe/"),
        ("America/New_York", "en", "when is your team around", "New York time", "America/"),
    ],
)
async def test_the_time_zone_is_named_as_customers_say_it(
    deps: Deps,
    engine: BuiltinEngine,
    zone: str,
    language: str,
    question: str,
    said: str,
    never: str,
) -> None:
    # "（Asia/Shanghai 时间）" inside a Chinese sentence read as a machine's (eval10).
    say = make_say(shop(deps, engine, zone), "902", "Lin", language)
    text = " ".join(r.text for r in await say(question))
    assert said in text and never not in text, text


def test_the_default_delivery_list_is_the_demo_shops() -> None:
    default = DeliveryList()
    assert {r.en for r in REGIONS if default.serves(r)} == {r.en for r in REGIONS if r.served}


def test_a_configured_delivery_list_takes_names_as_people_write_them() -> None:
    own = DeliveryList(["UK", "the Netherlands", "澳洲", " new zealand "])
    served = {r.en for r in REGIONS if own.serves(r)}
    assert served == {"the UK", "the Netherlands", "Australia", "New Zealand"}
    with pytest.raises(ValueError, match="Atlantis"):
        DeliveryList(["UK", "Atlantis"])


@pytest.mark.parametrize(
    ("language", "question", "yes", "no"),
    [
        ("en", "do you ship to australia?", "Australia", None),
        ("en", "can you ship to france?", None, "France"),
        ("zh", "能寄到澳洲吗", "澳大利亚", None),
        ("zh", "寄法国吗", None, "法国"),
    ],
)
async def test_the_shops_own_delivery_list_decides_the_answer(
    deps: Deps, engine: BuiltinEngine, language: str, question: str, yes: str | None, no: str | None
) -> None:
    """A shop shipping to Australia and the UK only (``conversation.ships_to``): Australia
    is a yes, France (on the demo list) a plain no with a person to check."""
    own = DeliveryList(["Australia", "UK"])
    say = make_say(Dispatcher(deps=replace(deps, delivery=own), nlu=engine), "905", "Lu", language)
    (reply,) = await say(question)
    if yes is not None:
        assert yes in reply.text and "don't" not in reply.text and "不" not in reply.text, reply
    else:
        assert no is not None and no in reply.text, reply
        assert any(b.payload == "human" for b in reply.buttons), reply.buttons


def test_an_unknown_country_in_the_config_is_a_config_error() -> None:
    from bot.app import build_deps
    from bot.config import ConfigError, Settings

    settings = Settings.model_validate({"conversation": {"ships_to": ["UK", "Narnia"]}})
    with pytest.raises(ConfigError, match="ships_to"):
        build_deps(settings, None)  # type: ignore[arg-type]
