"""Canned replies: placeholder rules, filling, language choice, and the SQL store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crm_memory import AlreadyExists, Attachment, InvalidInput, MediaKind, NotFound, SqlDatabase
from crm_memory.canned import (
    CannedReply,
    MissingValue,
    check_attachment,
    check_canned_name,
    check_language,
    check_template,
    fill,
    placeholders,
)

T0 = datetime(2026, 11, 29, tzinfo=UTC)


def canned(**variants: str) -> CannedReply:
    return CannedReply(1, "x", variants, None, T0, T0, "lee")


# --- placeholders --------------------------------------------------------------------------


def test_fill_puts_every_placeholder_in_and_keeps_escaped_braces() -> None:
    text = "Hi {name}, order {order} is under {case}. {{tracking}} soon — {agent}"
    values = {"name": "Anna", "order": "A-1001", "case": "#7", "agent": "Maria"}
    assert fill(text, values) == "Hi Anna, order A-1001 is under #7. {tracking} soon — Maria"


def test_values_are_inserted_as_they_are_never_formatted() -> None:
    # A customer called "{order}" or "{0.__class__}" must not open the template again.
    values = {"name": "{order} {0.__class__}", "order": "A-1001"}
    assert fill("Hi {name}, {order}", values) == "Hi {order} {0.__class__}, A-1001"


@pytest.mark.parametrize("missing", [None, "", "  "])
def test_a_placeholder_without_a_value_is_refused_not_sent(missing: str | None) -> None:
    with pytest.raises(MissingValue) as caught:
        fill("Refund for {order} approved", {"order": missing})
    assert caught.value.placeholder == "order"
    assert "order" in str(caught.value)


def test_placeholders_in_order_of_use() -> None:
    assert placeholders("{case} {name} {case} {{agent}}") == ["case", "name"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("Hi {customer}", "unknown placeholder {customer}"),
        ("Hi {Name}", "unknown placeholder {Name}"),
        ("Hi {}", "unknown placeholder {}"),
        ("Hi {name.upper}", "unknown placeholder {name.upper}"),
        ("Hi {name!r}", "without : or !"),
        ("Total {order:>10}", "without : or !"),
        ("Hi {name", "without its pair"),
        ("Hi name}", "without its pair"),
        ("   ", "blank"),
        ("hi\x00", "control characters"),
        ("x" * 4097, "at most 4096"),
    ],
)
def test_bad_templates_are_refused_with_the_reason(text: str, says: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_template(text)
    assert says in str(caught.value)


def test_a_good_template_in_chinese_is_kept_stripped() -> None:
    assert check_template("  {name}您好，订单{order}已退款 \n") == "{name}您好，订单{order}已退款"


@pytest.mark.parametrize(
    ("name", "ok"),
    [("refund_info", "refund_info"), (" Refund-Info ", "refund-info"), ("r2", "r2")],
)
def test_names_are_what_agents_can_type(name: str, ok: str) -> None:
    assert check_canned_name(name) == ok


@pytest.mark.parametrize("name", ["", "refund info", "_x", "退款", "a" * 65, "x/y"])
def test_names_agents_cannot_type_after_slash_c_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput):
        check_canned_name(name)


def test_language_codes() -> None:
    assert check_language("ZH") == "zh" and check_language("pt-BR") == "pt-BR"
    for bad in ("", "english", "z", "zh_CN!", "中文"):
        with pytest.raises(InvalidInput):
            check_language(bad)


def test_attachments_need_a_known_kind_and_a_file_id() -> None:
    photo = Attachment(MediaKind.PHOTO, "AgACAgIAAxkBAAIB")
    assert check_attachment("photo", "AgACAgIAAxkBAAIB") == photo
    with pytest.raises(InvalidInput, match="kind"):
        check_attachment("sticker", "AgACAgIAAxkBAAIB")
    with pytest.raises(InvalidInput, match="file_id"):
        check_attachment("photo", "https://evil.example/x.png")


def test_the_customers_language_then_its_base_then_english_then_any() -> None:
    both = canned(en="Hello", zh="您好")
    assert both.variant("zh") == ("zh", "您好")
    assert both.variant("zh-TW") == ("zh", "您好")
    assert both.variant("de") == ("en", "Hello")
    assert both.variant(None) == ("en", "Hello")
    assert canned(zh="您好", fr="Bonjour").variant("de") == ("fr", "Bonjour")


# --- the SQL store -------------------------------------------------------------------------


async def test_store_adds_finds_edits_and_removes(db: SqlDatabase) -> None:
    store = db.canned
    made = await store.add(
        "Refund_Info",
        variants={"en": "Hi {name}, refund for {order} is on its way", "ZH": "{name}您好，已退款"},
        attachment=Attachment(MediaKind.DOCUMENT, "BQACAgIAAxkBAAIC"),
        author="lee",
    )
    assert made.name == "refund_info" and set(made.variants) == {"en", "zh"}
    assert made.attachment == Attachment(MediaKind.DOCUMENT, "BQACAgIAAxkBAAIC")
    # The media Attachment, as read back: sent by AgentService.send_media as it is.
    assert (await store.get("refund_info")).attachment.kind is MediaKind.DOCUMENT  # type: ignore[union-attr]
    await store.add("greeting", variants={"en": "Hello {name}"}, author="lee")

    assert [c.name for c in await store.all()] == ["greeting", "refund_info"]
    assert [c.name for c in await store.all(query="REF")] == ["refund_info"]
    assert [c.name for c in await store.all(query="已退款")] == ["refund_info"]
    assert [c.name for c in await store.all(query="%")] == []  # a literal, not a wildcard

    changed = await store.update(
        "refund_info",
        variants={"zh": None, "pt-BR": "Olá {name}"},
        drop_attachment=True,
        author="ada",
    )
    assert dict(changed.variants) == {
        "en": "Hi {name}, refund for {order} is on its way",
        "pt-BR": "Olá {name}",
    }
    assert changed.attachment is None and changed.updated_by == "ada"
    assert (await store.get("REFUND_INFO")).variants == changed.variants

    await store.remove("refund_info")
    with pytest.raises(NotFound):
        await store.get("refund_info")
    assert [c.name for c in await store.all()] == ["greeting"]


async def test_store_refuses_what_would_break_later(db: SqlDatabase) -> None:
    store = db.canned
    await store.add("greeting", variants={"en": "Hello {name}"}, author="lee")
    with pytest.raises(AlreadyExists):
        await store.add("Greeting", variants={"en": "Hi"}, author="lee")
    with pytest.raises(InvalidInput, match="unknown placeholder"):
        await store.add("late", variants={"en": "Sorry {customer}"}, author="lee")
    with pytest.raises(InvalidInput, match="unknown placeholder"):
        await store.update("greeting", variants={"zh": "您好{客户}"}, author="lee")
    with pytest.raises(InvalidInput, match="at least one"):
        await store.update("greeting", variants={"en": None}, author="lee")
    with pytest.raises(InvalidInput, match="at least one"):
        await store.add("empty", variants={}, author="lee")
    with pytest.raises(NotFound):
        await store.update("nothing", variants={"en": "x"}, author="lee")
    with pytest.raises(NotFound):
        await store.remove("not a name")
    assert (await store.get("greeting")).variants == {"en": "Hello {name}"}
