"""A visitor chats through the widget on a shop's page while an agent answers from the desk API.

Playwright drives Debian's Chromium against two servers the test starts: the bot's web port
(wired by bot.app as `run` wires the widget) and a demo shop page on another origin that
embeds it with one script tag.
"""

from __future__ import annotations

import asyncio
import html
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from aiohttp import web as aioweb

from bot.app import Services, Stores, build_web, build_widget, serve_web, widget_config
from bot.config import Settings
from bot.web.auth import new_token, token_hash
from bot.web.widget import add_widget_routes
from bot.web_channel import Visitor, WebChannel, sign, visitor_key
from crm_memory import ChannelIdentity, Direction, SqlDatabase
from handlers.desk import Outboxes
from handlers.dispatcher import Dispatcher
from tests.browser import launch, needs_chromium
from tests.ports import free_port, until_listening

XSS = '<img src=x onerror="window.hacked=1">'

pytestmark = needs_chromium


@dataclass
class Site:
    shop: str
    bot: str
    channel: WebChannel
    db: SqlDatabase
    token: str


@pytest.fixture
async def site(
    request: pytest.FixtureRequest, dispatcher: Dispatcher, sqlite_db: SqlDatabase, tmp_path: Path
) -> AsyncIterator[Site]:
    bot_port, shop_port = free_port(), free_port()
    shop = f"http://127.0.0.1:{shop_port}"
    settings = Settings(
        web={"enabled": True, "port": bot_port},
        media={"cache_dir": str(tmp_path / "media")},
        # More widget settings from a test's indirect parameter.
        widget={"enabled": True, "allowed_origins": [shop], **getattr(request, "param", {})},
    )
    services = Services(
        stores=Stores(db=sqlite_db, state=dispatcher.deps.state), dispatcher=dispatcher
    )
    # Trained before the first visitor writes, as `run` does (open_services), so that the
    # first answer is not late by a training on the event loop on a busy machine.
    _ = dispatcher.deps.acts.engine
    channel = build_widget(settings, services)
    app, events = build_web(settings, services, outbox=Outboxes({"web": channel}))
    dispatcher.attach_desk(events)
    add_widget_routes(app, channel, widget_config(settings))
    stop = asyncio.Event()
    server = asyncio.create_task(serve_web(settings, app, stop))

    bot = f"http://127.0.0.1:{bot_port}"
    page = (
        "<!doctype html><html lang='en'><head><title>Acme Home</title></head><body>"
        "<h1>Acme Home: kettles and more</h1>"
        f"<script src='{bot}/widget.js' async></script></body></html>"
    )

    async def home(_: aioweb.Request) -> aioweb.Response:
        return aioweb.Response(text=page, content_type="text/html")

    async def signed_in(request: aioweb.Request) -> aioweb.Response:
        """A page of a signed-in customer: the query's fields as the tag's data- attributes."""
        fields = "".join(
            f" data-{html.escape(k)}='{html.escape(v)}'" for k, v in request.query.items()
        )
        tag = f"<script src='{bot}/widget.js' async{fields}></script>"
        return aioweb.Response(
            text=page.replace(f"<script src='{bot}/widget.js' async></script>", tag),
            content_type="text/html",
        )

    shop_app = aioweb.Application()
    shop_app.router.add_get("/", home)
    shop_app.router.add_get("/account", signed_in)
    runner = aioweb.AppRunner(shop_app, access_log=None)
    await runner.setup()
    await aioweb.TCPSite(runner, "127.0.0.1", shop_port).start()
    await until_listening(bot_port)
    token = new_token("crm_")
    await sqlite_db.accounts.add_token("desk-test", token_hash=token_hash(token), scope="write")
    yield Site(shop, bot, channel, sqlite_db, token)
    await channel.idle()
    await runner.cleanup()
    stop.set()
    await server
    await channel.close()


async def test_a_visitor_is_answered_handed_to_an_agent_and_keeps_the_history(
    site: Site,
) -> None:
    import httpx
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await launch(p)
        try:
            context = await browser.new_context()
            page = await context.new_page()
            await page.goto(site.shop)
            # Keyboard only: Tab to the bubble, Enter opens the panel with the input focused.
            await page.locator(".crmw-bubble").focus()
            await page.keyboard.press("Enter")
            await page.locator(".crmw-panel").wait_for(state="visible")
            assert await page.locator(".crmw-bubble").get_attribute("aria-expanded") == "true"

            await page.keyboard.type("hi, where is my order A-1001?")
            await page.keyboard.press("Enter")
            bot = page.locator(".crmw-bot .crmw-text", has_text="DHL")
            await bot.wait_for(timeout=15_000)

            await page.fill(".crmw-input", XSS)
            await page.keyboard.press("Enter")
            await page.locator(".crmw-visitor .crmw-text", has_text="onerror").wait_for()
            assert await page.locator("[data-crm-widget] img").count() == 0
            assert await page.evaluate("window.hacked") is None

            await page.fill(".crmw-input", "this is useless, I want to talk to a real person")
            await page.keyboard.press("Enter")
            await site.channel.idle()
            await page.wait_for_timeout(500)
            await site.channel.idle()
            cases = await site.db.cases.all()
            assert len(cases) == 1, cases
            number = cases[0].number

            # The agent answers from the desk's API: the visitor sees it live, with the name.
            async with httpx.AsyncClient(base_url=site.bot) as desk:
                said = await desk.post(
                    f"/api/cases/{number}/reply",
                    json={"text": "Hi, Li here: A-1001 is with DHL, due in two days."},
                    headers={"Authorization": f"Bearer {site.token}"},
                )
                assert said.status_code == 200, said.text
            agent = page.locator(".crmw-agent", has_text="Li here")
            await agent.wait_for(timeout=10_000)

            # The network drops and comes back mid-message: sent once, nothing lost.
            await context.set_offline(True)
            await page.fill(".crmw-input", "ok thanks, and can I change the address?")
            await page.keyboard.press("Enter")
            await page.wait_for_timeout(300)
            await context.set_offline(False)
            await page.evaluate("window.dispatchEvent(new Event('online'))")
            await _recorded(site, "can I change the address?")

            # The agent closes the case: the survey's buttons are buttons, a press rates it.
            async with httpx.AsyncClient(base_url=site.bot) as desk:
                closed = await desk.post(
                    f"/api/cases/{number}/close",
                    headers={"Authorization": f"Bearer {site.token}"},
                )
                assert closed.status_code == 200, closed.text
            survey = page.locator(".crmw-agent, .crmw-bot").filter(has_text="How satisfied").last
            await survey.locator(".crmw-choice").last.wait_for(timeout=10_000)
            await survey.locator(".crmw-choice").last.click()
            for _ in range(100):
                await site.channel.idle()
                if (await site.db.cases.get(number)).csat is not None:
                    break
                await asyncio.sleep(0.1)
            assert (await site.db.cases.get(number)).csat is not None

            # A reload keeps the conversation (the token in localStorage, the history).
            await page.reload()
            await page.locator(".crmw-panel").wait_for(state="visible")
            await page.locator(".crmw-agent", has_text="Li here").wait_for(timeout=10_000)
            log = await page.inner_text(".crmw-log")
            assert "where is my order A-1001?" in log and "DHL" in log
            assert log.count("can I change the address?") == 1
        finally:
            await browser.close()
    visitor = await _visitor(site)
    texts = [m.text for m in await site.db.messages.history(visitor, limit=100)]
    assert texts.count("ok thanks, and can I change the address?") == 1
    assert XSS in texts


async def _visitor(site: Site) -> int:
    customers = await site.db.customers.all_customers()
    for customer in customers:
        identities = await site.db.customers.identities(customer.id)
        if any(i.channel == "web" for i in identities):
            return customer.id
    raise AssertionError("no web visitor")


async def _recorded(site: Site, text: str) -> None:
    for _ in range(300):  # up to ~30 s: a busy machine (CI beside other jobs) is slow
        await site.channel.idle()
        try:
            visitor = await _visitor(site)
        except AssertionError:  # anonymous visitors become customers with their first message
            await asyncio.sleep(0.1)
            continue
        history = await site.db.messages.history(visitor, limit=100)
        if any(text in m.text for m in history if m.direction is Direction.IN):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{text!r} never recorded")


async def test_a_visitor_attaches_a_photo_and_the_agent_sees_it_in_the_desk(site: Site) -> None:
    from playwright.async_api import FileChooser, async_playwright

    from tests.bot.test_widget_files import png

    image = png(8, 8)
    async with async_playwright() as p:
        browser = await launch(p)
        try:
            page = await browser.new_page()
            # File choosers are listened for from the start, for the whole test, not only in
            # a 10 s wait around the key press, pressed again when it ran out (issue #20's
            # flake under load). This process also serves the bot (a turn holds its event
            # loop): a chooser that came after such a wait gave up found no listener and was
            # dropped unanswered, and Chromium opens no other chooser for the page while one
            # is unanswered (tried: the next press clicks the input and nothing opens), so
            # pressing again lost that press too. Now one press, and a late chooser is its.
            choosers: asyncio.Queue[FileChooser] = asyncio.Queue()
            page.on("filechooser", choosers.put_nowait)
            await page.goto(site.shop)
            await page.locator(".crmw-bubble").click()
            await page.fill(
                ".crmw-input", "the kettle I got is cracked, I want to talk to a person"
            )
            await page.keyboard.press("Enter")
            await _recorded(site, "cracked")
            # The bot's answer first: a reply drawn while the keys are pressed can take the
            # key press before the button does (seen once under load).
            await page.locator(".crmw-bot .crmw-text", has_text="#").first.wait_for(timeout=30_000)
            # The attach button is a button the keyboard reaches (Tab from the menu to it).
            attach = page.locator(".crmw-attach")
            assert await attach.get_attribute("aria-label") == "Attach a photo or PDF"
            # Where a lost press was lost (issue #20): counted in the page, said on failure.
            await page.evaluate(
                """() => {
                    window.__attach = {clicks: 0, pickers: 0};
                    document.querySelector('.crmw-attach').addEventListener(
                        'click', () => { window.__attach.clicks += 1; });
                    document.querySelector('.crmw-file').addEventListener(
                        'click', () => { window.__attach.pickers += 1; });
                }"""
            )
            await page.locator(".crmw-input").focus()
            await page.keyboard.press("Shift+Tab")
            assert await attach.evaluate("b => b === document.activeElement")
            await page.keyboard.press("Enter")
            try:
                # Listened for since the page opened (see ``choosers``), so one that comes
                # late is still this press's: nothing is pressed twice.
                chooser = await asyncio.wait_for(choosers.get(), 30)
            except TimeoutError:
                seen = await page.evaluate(
                    "() => ({...window.__attach, focused: document.activeElement &&"
                    " document.activeElement.className,"
                    " active: navigator.userActivation && navigator.userActivation.isActive})"
                )
                raise AssertionError(
                    f"Enter on the focused attach button opened no file chooser: {seen}"
                ) from None
            await chooser.set_files(
                {"name": "crack.png", "mimeType": "image/png", "buffer": image}
            )
            await _recorded(site, "[photo] crack.png")
            # Refused: a file that only claims to be a picture says why, in the panel.
            await page.set_input_files(
                ".crmw-file",
                {"name": "virus.png", "mimeType": "image/png", "buffer": b"MZ\x90\x00 a program"},
            )
            refused = page.locator(".crmw-visitor", has_text="virus.png").locator(".crmw-note")
            await refused.filter(has_text="Only photos").wait_for(timeout=10_000)

            cases = await site.db.cases.all()
            assert len(cases) == 1, cases
            number = cases[0].number
            # The agent's desk: the case page shows the visitor's photo as an image.
            desk = await browser.new_page()
            await desk.set_extra_http_headers({"Authorization": f"Bearer {site.token}"})
            await desk.goto(f"{site.bot}/desk/cases/{number}")
            shown = desk.locator(".media-photo img")
            await shown.wait_for(timeout=10_000)
            width = await shown.evaluate("img => img.complete ? img.naturalWidth : -1")
            assert width == 8, width
            # The agent types a reply: the visitor's panel says who is typing, for a while.
            await desk.fill("#reply-text", "")
            await desk.locator("#reply-text").press_sequentially("Thanks, I see the crack")
            status = page.locator(".crmw-status")
            await status.filter(has_text="desk-test is typing…").wait_for(timeout=10_000)
            await status.filter(has_text="typing").wait_for(state="detached", timeout=10_000)
            # The visitor sees their own photo after a reload, fetched with their token.
            await page.reload()
            await page.locator(".crmw-panel").wait_for(state="visible")
            mine = page.locator(".crmw-visitor .crmw-image")
            await mine.wait_for(timeout=10_000)
            await page.wait_for_function(
                "() => document.querySelector('.crmw-visitor .crmw-image').naturalWidth === 8"
            )
        finally:
            await browser.close()


async def test_a_file_attached_offline_is_sent_after_a_reload(site: Site) -> None:
    from playwright.async_api import Route, async_playwright

    from tests.bot.test_widget_files import png

    image = png(6, 6)
    uploads = f"{site.bot}/widget/api/media"

    async def unreachable(route: Route) -> None:
        await route.abort("internetdisconnected")

    async with async_playwright() as p:
        browser = await launch(p)
        try:
            page = await browser.new_page()
            await page.route(uploads, unreachable)  # the network drops for the upload
            await page.goto(site.shop)
            await page.locator(".crmw-bubble").click()
            await page.fill(".crmw-input", "here is the broken lid")
            await page.set_input_files(
                ".crmw-file", {"name": "lid.png", "mimeType": "image/png", "buffer": image}
            )
            mine = page.locator(".crmw-visitor", has_text="here is the broken lid")
            await mine.locator(".crmw-note", has_text="offline").wait_for(timeout=10_000)
            # The visitor reloads before the network is back: the file is still there,
            # kept by the page, drawn again, and sent once the upload goes through.
            await page.reload()
            await page.locator(".crmw-panel").wait_for(state="visible")
            again = page.locator(".crmw-visitor", has_text="here is the broken lid")
            await again.locator(".crmw-image").wait_for(timeout=10_000)
            await page.unroute(uploads, unreachable)
            await _recorded(site, "here is the broken lid")
            await again.locator(".crmw-note", has_text="offline").wait_for(
                state="detached", timeout=10_000
            )
            visitor = await _visitor(site)
            store = site.channel._dispatcher.deps.media
            assert store is not None
            files = await store.for_customer(visitor)
            assert [m.attachment.file_name for m in files] == ["lid.png"]
            # Sent, so no longer kept: another reload draws it once, from the history.
            await page.reload()
            await page.locator(".crmw-visitor .crmw-image").wait_for(timeout=10_000)
            await page.wait_for_timeout(1000)
            assert await page.locator(".crmw-visitor", has_text="broken lid").count() == 1
            kept = await page.evaluate(
                """() => new Promise(done => {
                    const o = indexedDB.open("crmw-files", 1);
                    o.onsuccess = () => {
                        const r = o.result.transaction("files").objectStore("files").count();
                        r.onsuccess = () => done(r.result);
                    };
                })"""
            )
            assert kept == 0
        finally:
            await browser.close()


async def test_an_anonymous_visitor_from_before_per_visitor_keys_keeps_their_token(
    site: Site,
) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await launch(p)
        page = await browser.new_page()
        await page.goto(site.shop + "/")
        await page.locator(".crmw-bubble").click()
        await page.wait_for_function(
            "() => Object.keys(localStorage).some(k => k.endsWith(':anon:token'))"
        )
        # The page as an older widget left it: the token under "crmw:<api>:token".
        before = await page.evaluate(
            """() => {
                const key = Object.keys(localStorage).find(k => k.endsWith(':anon:token'));
                const token = localStorage.getItem(key);
                const old = key.slice(0, -'anon:token'.length) + 'token';
                localStorage.removeItem(key);
                localStorage.setItem(old, token);
                return [old, token];
            }"""
        )
        await page.reload()
        await page.wait_for_function(
            """([old, token]) => localStorage.getItem(old) === null
                && Object.keys(localStorage).some(
                    k => k.endsWith(':anon:token') && localStorage.getItem(k) === token)""",
            arg=before,
            timeout=15_000,
        )
        await browser.close()


@pytest.mark.parametrize("site", [{"sockets_per_visitor": 1}], indirect=True)
async def test_a_tab_over_the_socket_cap_chats_by_long_polling(site: Site) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await launch(p)
        context = await browser.new_context()
        first = await context.new_page()
        await first.goto(site.shop + "/")
        await first.locator(".crmw-bubble").click()
        await first.wait_for_function(
            "() => Object.keys(localStorage).some(k => k.endsWith(':anon:token'))"
        )
        # The same visitor in a second tab: its socket is over the cap and refused. It must
        # not reconnect forever with what the visitor writes stuck, but chat by polling.
        second = await context.new_page()
        await second.goto(site.shop + "/")
        bubble = second.locator(".crmw-bubble")
        await bubble.wait_for()
        if await bubble.get_attribute("aria-expanded") != "true":  # opens as the first left it
            await bubble.click()
        await second.fill(".crmw-input", "what are your opening hours on saturday?")
        await second.keyboard.press("Enter")
        await _recorded(site, "opening hours on saturday")
        await second.locator(".crmw-bot .crmw-text").first.wait_for(timeout=30_000)
        await browser.close()


async def test_a_visitor_from_before_marked_tokens_keeps_their_conversation(site: Site) -> None:
    from playwright.async_api import async_playwright

    # Wrote before the upgrade; their browser holds the bare token under the old key.
    old = "Zm9yLXRoZS1vbGQtd2lkZ2V0XzEyMzQ1"
    await site.channel.receive(Visitor(visitor_key(old)), client_id="o1", text="is A-1001 lost?")
    await site.channel.idle()
    async with async_playwright() as p:
        browser = await launch(p)
        try:
            page = await browser.new_page()
            await page.goto(site.shop + "/")
            # This page's own visitor first (so that it writes nothing after the swap).
            await page.wait_for_function(
                "() => Object.keys(localStorage).some(k => k.endsWith(':anon:token'))"
            )
            await page.evaluate(
                "([key, token]) => { localStorage.clear(); localStorage.setItem(key, token); "
                "localStorage.setItem(key.replace('token', 'open'), '1'); }",
                [f"crmw:{site.bot}:token", old],
            )
            await page.reload()
            await page.locator(".crmw-visitor", has_text="is A-1001 lost?").wait_for(timeout=15_000)
            # The bot marked it: the same visitor, a token it can tell is its own from now on.
            kept = await page.wait_for_function(
                """(old) => Object.entries(localStorage).find(
                    ([k, v]) => k.endsWith(':anon:token') && v.startsWith(old + '.'))""",
                arg=old,
                timeout=15_000,
            )
            assert kept is not None
        finally:
            await browser.close()


@pytest.mark.parametrize("site", [{"identity_secret": "shop secret"}], indirect=True)
async def test_a_forged_signature_is_refused_in_the_panel(site: Site) -> None:
    from playwright.async_api import async_playwright

    forged = {
        "user-id": "shop-7",
        "signed-at": str(int(time.time())),
        "name": "Wei",
        "signature": sign("another secret", "shop-7", int(time.time()), name="Wei"),
    }
    async with async_playwright() as p:
        browser = await launch(p)
        try:
            page = await browser.new_page()
            await page.goto(site.shop + "/account?" + urlencode(forged))
            await page.locator(".crmw-bubble").click()
            await page.locator(".crmw-bot", has_text="could not confirm who you are").wait_for(
                timeout=15_000
            )
            await page.fill(".crmw-input", "refund my order A-1001 now")
            await page.keyboard.press("Enter")
            await page.wait_for_timeout(1000)
        finally:
            await browser.close()
    await site.channel.idle()
    assert await site.db.customers.find(ChannelIdentity("web", "u:shop-7")) is None
    assert await site.db.customers.all_customers() == []


async def test_a_reply_while_the_panel_is_closed_shows_a_count_on_the_bubble(site: Site) -> None:
    import httpx
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await launch(p)
        try:
            page = await browser.new_page()
            await page.goto(site.shop + "/")
            await page.locator(".crmw-bubble").click()
            await page.fill(".crmw-input", "this is useless, I want to talk to a real person")
            await page.keyboard.press("Enter")
            await _recorded(site, "talk to a real person")
            for _ in range(100):
                await site.channel.idle()
                if cases := await site.db.cases.all():
                    break
                await asyncio.sleep(0.1)
            await page.locator(".crmw-bot").last.wait_for(timeout=15_000)
            await page.keyboard.press("Escape")  # the visitor goes on browsing the shop
            badge = page.locator(".crmw-unread")
            assert not await badge.is_visible()
            async with httpx.AsyncClient(base_url=site.bot) as desk:
                said = await desk.post(
                    f"/api/cases/{cases[0].number}/reply",
                    json={"text": "Li here, how can I help?"},
                    headers={"Authorization": f"Bearer {site.token}"},
                )
                assert said.status_code == 200, said.text
            await page.wait_for_function(
                "() => document.querySelector('.crmw-unread').textContent === '1'"
                " && document.querySelector('.crmw-unread').style.display === 'block'",
                timeout=15_000,
            )
            label = await page.locator(".crmw-bubble").get_attribute("aria-label")
            assert label is not None and "1 new" in label
            # Still unread on the next page of the shop, until the panel is opened.
            await page.reload()
            await page.wait_for_function(
                "() => document.querySelector('.crmw-unread').textContent === '1'",
                timeout=15_000,
            )
            await page.locator(".crmw-bubble").click()
            await page.locator(".crmw-agent", has_text="Li here").wait_for()
            assert not await badge.is_visible()
            await page.keyboard.press("Escape")
            await page.reload()  # closed again, and the reply was read: nothing counted
            await page.locator(".crmw-agent", has_text="Li here").wait_for(state="attached")
            assert not await badge.is_visible()
        finally:
            await browser.close()


@pytest.mark.parametrize(
    ("width", "height", "panel_width"),
    [(320, 568, 320 - 32), (390, 844, 390 - 32), (1280, 800, 360)],
    ids=["small-phone", "phone", "desktop"],
)
async def test_the_panel_fits_the_screen_from_a_small_phone_to_a_desktop(
    site: Site, width: int, height: int, panel_width: int
) -> None:
    """The panel is 360 px wide where there is room and the screen less 32 px where there
    is not (min(360px, 100vw - 32px)): all of it on screen, and a visitor on a small phone
    can type, send and read the answer."""
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await launch(p)
        try:
            page = await browser.new_page(viewport={"width": width, "height": height})
            await page.goto(site.shop + "/")
            await page.locator(".crmw-bubble").click()
            panel = page.locator(".crmw-panel")
            await panel.wait_for()
            box = await panel.bounding_box()
            assert box is not None
            assert abs(box["width"] - panel_width) <= 1, box
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, box
            assert box["y"] >= 0 and box["y"] + box["height"] <= height, box
            for part in (".crmw-input", ".crmw-send"):
                inner = await page.locator(part).bounding_box()
                assert inner is not None
                assert inner["x"] >= box["x"] and inner["x"] + inner["width"] <= box["x"] + box[
                    "width"
                ] + 1, (part, inner, box)
            await page.fill(".crmw-input", "what are your opening hours?")
            await page.locator(".crmw-send").click()
            await page.locator(".crmw-bot").last.wait_for(timeout=15_000)
            assert await page.locator(".crmw-bot").last.is_visible()
        finally:
            await browser.close()
