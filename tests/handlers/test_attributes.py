"""A short follow-up naming an attribute of the subject in play: a catalogue product's
specs, its delivery cost, express for what a case sends (issue #15)."""

from __future__ import annotations

from handlers.attributes import asked_of, facts, where_it_goes
from handlers.catalogue import Product
from handlers.dispatcher import Dispatcher
from tests.handlers.conftest import Say, make_say

_WATCH = Product(
    sku="SW",
    name="Smart watch",
    name_zh="智能手表",
    features="heart rate, GPS, 7-day battery, water-resistant to 50 m",
    features_zh="心率监测、GPS、续航 7 天、50 米防水",
)


def test_attribute_words_in_both_languages() -> None:
    for text, name in [
        ("is it waterproof", "water"),
        ("can i swim with it", "water"),
        ("防水吗", "water"),
        ("whats the battery like", "battery"),
        ("续航咋样", "battery"),
        ("how big is it", "size"),
        ("多大", "size"),
        ("有几个颜色", "colour"),
        ("is it loud", "noise"),
        ("功率多少", "power"),
    ]:
        found = asked_of(text)
        assert found is not None and found.name == name, text
    assert asked_of("how much is it") is None


def test_the_cord_is_not_the_power() -> None:
    for text in ("how long is the power cord", "whats the cord length", "电源线有多长", "线长不长"):
        found = asked_of(text)
        assert found is not None and found.name == "cord", text
    assert getattr(asked_of("how powerful is it"), "name", None) == "power"
    # The USB cable's own length is no power cord.
    assert getattr(asked_of("数据线多长"), "name", None) != "cord"


def test_works_with_a_device_is_a_feature_listed_or_not() -> None:
    ps5 = asked_of("do the headphones work with a ps5")
    app = asked_of("does it work with an app on my phone")
    zh_app = asked_of("扫地机能连手机app吗")
    phone = asked_of("手表兼容苹果手机吗")
    assert ps5 is not None and ps5.feature and ps5.name == "feature:compatibility with ps5"
    assert app is not None and app.name == "feature:compatibility with app"
    assert zh_app is not None and phone is not None and phone.name == "feature:兼容苹果手机"
    vacuum = Product(sku="RV", name="Robot vacuum", features="app control, self-charging")
    assert facts(vacuum, app, "en") == ["app control"]
    assert facts(vacuum, zh_app, "en") == ["app control"]
    assert facts(_WATCH, ps5, "en") == []
    # Payments, people and orders are not devices.
    for text in ("does the refund work with paypal", "能连上客服吗", "will it work with my order"):
        found = asked_of(text)
        assert found is None or not found.name.startswith("feature:"), text


def test_facts_come_from_the_catalogue() -> None:
    water = asked_of("is it waterproof")
    colour = asked_of("what colours")
    assert water is not None and colour is not None
    assert facts(_WATCH, water, "en") == ["water-resistant to 50 m"]
    assert facts(_WATCH, water, "zh") == ["50 米防水"]
    assert facts(_WATCH, colour, "en") == []  # the catalogue does not say


def test_a_feature_called_a_setting_or_a_function_is_the_feature() -> None:
    toaster = Product(sku="TO", name="Toaster", features="7 browning levels, defrost and reheat")
    for text in (
        "does it have a defrost setting",
        "is there a reheat function",
        "has it got a defrost option",
        "is there a defrost mode on it",
    ):
        found = asked_of(text)
        assert found is not None and found.feature, text
        assert facts(toaster, found, "en") == ["defrost and reheat"], text
    bagel = asked_of("does it have a bagel mode")
    assert bagel is not None and facts(toaster, bagel, "en") == []
    # Not a feature: a delay or a fee "there" is no setting of the product.
    for text in ("is there a delay", "is there a fee for that"):
        found = asked_of(text)
        assert found is None or not found.feature, text


def test_where_a_thing_goes_is_no_product_asked_about() -> None:
    for text, word in (
        ("can the pot go in the dishwasher", "dishwasher"),
        ("内胆能放洗碗机吗", "洗碗机"),
    ):
        start = text.index(word)
        assert where_it_goes(text, start, start + len(word)), text
    for text, word in (
        ("does the coffee machine have a warranty", "coffee machine"),
        ("is the dishwasher quiet", "dishwasher"),
        ("how much is the dishwasher", "dishwasher"),
    ):
        start = text.index(word)
        assert not where_it_goes(text, start, start + len(word)), text


async def test_product_attribute_after_its_price(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "4001", "Al")
    await say("how much is the smart watch")
    (water,) = await say("is it waterproof")
    assert "50 m" in water.text and "Details" not in water.text, water.text
    (colours,) = await say("what colours")
    assert "doesn't say" in colours.text, colours.text
    (stock,) = await say("is the black one in stock")  # its stock, not its colours
    assert "in stock" in stock.text and "doesn't say" not in stock.text, stock.text


async def test_zh_product_attribute(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "4002", "小蓝", "zh")
    await say("电饭煲多少钱")
    (size,) = await say("多大")
    assert "3 L" in size.text and "14 件" not in size.text, size.text


async def test_a_new_product_is_a_new_question(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "4003", "Bea")
    await say("how much is the smart watch")
    (other,) = await say("is the blender waterproof")
    assert "50 m" not in other.text, other.text


async def test_shipping_after_a_product_is_its_delivery(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "4004", "Cal")
    await say("how much is the laptop stand")
    (cost,) = await say("and shipping?")
    assert "$4.90" in cost.text and "Laptop stand" in cost.text, cost.text
    assert "together" not in cost.text, cost.text


async def test_shipping_after_delivery_times_is_the_delivery_price(
    dispatcher: Dispatcher,
) -> None:
    say = make_say(dispatcher, "4005", "小紫", "zh")
    await say("几天能到")
    (cost,) = await say("那运费呢")
    assert "4.90" in cost.text and "寄回" not in cost.text, cost.text


async def test_express_for_a_missing_part(dispatcher: Dispatcher) -> None:
    say = make_say(dispatcher, "4006", "Dee")
    await say("my blender A-1001 came without the lid")
    replies = await say("can you send it express")
    text = " ".join(r.text for r in replies)
    assert "express" in text and "missing part" in text, text
    assert "address" not in text, text


async def test_an_attribute_carried_to_a_name_of_several_models_gives_each(
    anna: Say,
) -> None:
    # "and the slow cooker?" right after the rice cooker's power: both slow cookers' power,
    # not their price and stock nor "which one do you mean".
    await anna("whats the power of the rice cooker")
    replies = await anna("and the slow cooker?")
    text = replies[-1].text
    assert "200 W" in text and "320 W" in text and "in stock" not in text


def test_before_buying_qualities_are_attributes() -> None:
    # Leaks, what it is made of and a hot outside, asked before buying (brief C97).
    for text, name in [
        ("does it leak", "leak"),
        ("is it leakproof", "leak"),
        ("会不会漏水", "leak"),
        ("会漏吗", "leak"),
        ("is the jug glass or plastic", "material"),
        ("whats it made of", "material"),
        ("杯子是玻璃的还是塑料的", "material"),
        ("什么材质", "material"),
        ("does it get hot on the outside", "heat"),
        ("does the outside get hot", "heat"),
        ("外面烫不烫", "heat"),
        ("用的时候外壳会很烫吗", "heat"),
        ("哪个声音小", "noise"),
        ("how many slices", "size"),
        ("能做几杯", "size"),
    ]:
        found = asked_of(text)
        assert found is not None and found.name == name, text
    # With children named, the shop's safety entry answers, not the catalogue.
    heat = asked_of("does it get hot on the outside, i have small kids")
    assert heat is None or heat.name != "heat"


def test_material_and_slices_from_the_catalogue() -> None:
    blender = Product(sku="BL", name="Blender 1.5 L", features="glass jug, 3 speeds")
    material = asked_of("is the jug glass or plastic")
    assert material is not None
    assert facts(blender, material, "en") == ["glass jug"]
    assert facts(_WATCH, material, "en") == []
    size = asked_of("how many slices")
    assert size is not None
    toaster = Product(sku="TS", name="Toaster 2-slice", name_zh="两片式烤面包机")
    assert facts(toaster, size, "en") == ["2-slice"]
    assert facts(toaster, size, "zh") == ["两片"]
