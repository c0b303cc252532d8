"""The desk's canned-reply picker in Chromium: search or "/ref" in the reply box, Enter fills
the reply for the case's customer, the agent edits it and sends it to Telegram."""

from __future__ import annotations

from bot.telegram_channel import TelegramChannel
from crm_memory import Attachment, MediaKind, SqlDatabase
from tests.browser import launch, needs_chromium
from tests.telegram.standin import BotApiStandIn
from tests.telegram.test_desk_browser import PASSWORD, WEI, desk_url

__all__ = ["desk_url"]

pytestmark = needs_chromium


async def test_picker_fills_the_reply(
    api: BotApiStandIn, desk_url: tuple[str, TelegramChannel], sqlite_db: SqlDatabase
) -> None:
    from playwright.async_api import async_playwright

    url, channel = desk_url
    await sqlite_db.canned.add(
        "refund_info",
        variants={
            "en": "Hi {name}, the refund for {order} ({case}) is approved. — {agent}",
            "zh": "{name}您好，订单{order}已退款（{case}）。—— {agent}",
        },
        attachment=Attachment(MediaKind.PHOTO, "AgACAgIAAxkBAAIBZ2"),
        author="lee",
    )
    await sqlite_db.canned.add("greeting", variants={"en": "Hello {name}!"}, author="lee")
    api.customer_says(WEI, "my order A-1001 is late, refund pls", name="Wei")
    api.customer_says(WEI, "I want to talk to a human", name="Wei")
    await channel.poll_once()

    async with async_playwright() as p:
        browser = await launch(p)
        try:
            page = await browser.new_page()
            await page.goto(f"{url}/desk/cases/1")
            await page.fill("input[name=name]", "Li")
            await page.fill("input[name=password]", PASSWORD)
            await page.click("button[type=submit]")
            await page.wait_for_url(f"{url}/desk")
            await page.goto(f"{url}/desk/cases/1")
            box = page.locator("#reply-text")

            # "/" shortcut: typing "/ref" lists what matches; Enter puts it in, filled in.
            await box.click()
            await box.press_sequentially("/ref")
            first = page.locator("#canned-list li").first
            await first.wait_for(timeout=10_000)
            assert (await first.inner_text()).startswith("refund_info")
            await box.press("Enter")
            filled = "Hi Wei, the refund for A-1001 (#1) is approved. — Li"
            await page.wait_for_function(
                "text => document.getElementById('reply-text').value === text", arg=filled
            )
            assert await page.locator("#canned-list").is_hidden()

            # The search box: type, arrow down to the second match, Enter.
            await box.fill("")
            search = page.locator("#canned-search")
            await search.click()
            await search.press_sequentially("e")  # greeting and refund_info both match
            await page.locator("#canned-list li").nth(1).wait_for(timeout=10_000)
            await search.press("ArrowDown")
            await search.press("Enter")
            await page.wait_for_function(
                "() => document.getElementById('reply-text').value === 'Hi Wei, the refund "
                "for A-1001 (#1) is approved. — Li'"
            )
            assert await page.locator("#canned-attachment").input_value() == "refund_info"
            assert "photo is sent after the text" in await page.inner_text("#canned-error")

            # The agent edits before sending; the customer gets the edited text.
            await box.press("End")
            await box.press_sequentially(" Sorry again!")
            await page.click("#reply button[type=submit]")
            await page.wait_for_url(f"{url}/desk/cases/1")
            # The edited words, then the canned reply's photo, natively by its file id.
            await api.wait_for(lambda: api.to(WEI)[-1].method == "sendPhoto")
            words, picture = api.to(WEI)[-2:]
            assert words.text == filled + " Sorry again!"
            assert picture.params["photo"] == "AgACAgIAAxkBAAIBZ2"
        finally:
            await browser.close()
