"""Agents see the page of the shop a website visitor is on: told by the widget, checked
(an address of an allowed origin, length-limited), shown with the case in the desk."""

from __future__ import annotations

import asyncio
import json
import re

import httpx
import pytest

from bot.web.auth import hash_password, new_token, token_hash
from bot.web.pages import MAX_URL, checked_page, page_of
from crm_memory import ChannelIdentity, Role
from tests.bot import test_widget
from tests.bot.test_widget import SHOP, Widget, _next, signed

widget = test_widget.widget  # the same served widget fixture

KETTLE = SHOP + "/kettles/kx-2?colour=red"


def allowed(origin: str) -> bool:
    return origin == SHOP


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "https://evil.example/kettles",
        "https://shop.example.evil.example/",
        "https://user@shop.example/",
        "http://shop.example/",  # not the allowed scheme
        "https://shop.example:99999/",
        "https://shop.example/a b",
        "https://shop.example/\u202e",
        SHOP + "/" + "a" * MAX_URL,
        "",
    ],
)
def test_an_address_not_of_the_shop_or_too_long_is_not_kept(url: str) -> None:
    assert checked_page(url, "Kettle", allows=allowed) is None


def test_a_page_of_the_shop_is_kept_with_a_clean_title() -> None:
    page = checked_page(KETTLE, "  Kettle\tKX-2\n | 小店 " + "x" * 300, allows=allowed)
    assert page is not None and page.url == KETTLE
    assert page.title.startswith("Kettle KX-2 | 小店 x") and len(page.title) == 200


async def _case_for(widget: Widget, hello: dict[str, object]) -> tuple[int, object]:
    conn = await widget.open(hello)
    await _next(conn, "ready")
    frame = {"type": "message", "client_id": "p1", "text": "I want to talk to a human"}
    await conn.send(json.dumps(frame))
    await _next(conn, "ack")
    await widget.channel.idle()
    (case,) = await widget.db.cases.all()
    return case.number, conn


async def _api(widget: Widget, number: int) -> dict[str, object]:
    token = new_token("crm_")
    await widget.db.accounts.add_token(f"t{number}", token_hash=token_hash(token), scope="read")
    async with httpx.AsyncClient(base_url=widget.url) as desk:
        found = await desk.get(
            f"/api/cases/{number}", headers={"Authorization": f"Bearer {token}"}
        )
    assert found.status_code == 200, found.text
    return dict(found.json())


async def test_the_desk_shows_the_page_the_visitor_is_on(widget: Widget) -> None:
    page = {"url": KETTLE, "title": "Kettle KX-2 <b>sale</b>"}
    number, conn = await _case_for(widget, {"token": None, "page": page})
    case = await _api(widget, number)
    shown = case["visitor_page"]
    assert isinstance(shown, dict)
    assert (shown["url"], shown["title"]) == (KETTLE, "Kettle KX-2 <b>sale</b>")
    # The visitor moves on (a shop that changes pages without loading them).
    await conn.send(json.dumps({"type": "page", "url": SHOP + "/checkout", "title": "Checkout"}))
    await conn.send(json.dumps({"type": "ping"}))
    assert (await _next(conn, "pong")) == {"type": "pong"}  # the page frame needs no answer
    moved = (await _api(widget, number))["visitor_page"]
    assert isinstance(moved, dict) and moved["url"] == SHOP + "/checkout"
    # In the desk's case page: a link, the title as text (never markup).
    await widget.db.accounts.add_agent(
        "maria", password_hash=hash_password("a long password 1"), role=Role.AGENT
    )
    async with httpx.AsyncClient(base_url=widget.url) as desk:
        form = await desk.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert csrf is not None
        await desk.post(
            "/login",
            data={"name": "maria", "password": "a long password 1", "csrf": csrf.group(1)},
        )
        html = (await desk.get(f"/desk/cases/{number}")).text
    link = f'<a href="{SHOP}/checkout" target="_blank" rel="noopener noreferrer">Checkout</a>'
    assert link in html
    await conn.close()


async def test_a_page_of_another_site_is_not_shown(widget: Widget) -> None:
    page = {"url": "https://evil.example/phish", "title": "Log in to your bank"}
    number, conn = await _case_for(widget, {"token": None, "page": page})
    await conn.send(json.dumps({"type": "page", "url": "javascript:alert(1)"}))
    await conn.send(json.dumps({"type": "page"}))
    assert (await _next(conn, "error"))["code"] == "format"
    assert (await _api(widget, number))["visitor_page"] is None
    await conn.close()


async def test_the_http_fallback_tells_the_page_too_and_bad_shapes_are_a_4xx(
    widget: Widget,
) -> None:
    async with httpx.AsyncClient(base_url=widget.url, headers={"Origin": SHOP}) as http:
        hello = {**signed("shop-60"), "page": {"url": KETTLE, "title": "Kettle"}}
        assert (await http.post("/widget/api/session", json=hello)).status_code == 200
        for bad in ({"url": 5}, {"title": "no url"}, {"url": "x" * 5000}, "a page"):
            refused = await http.post("/widget/api/session", json={"token": None, "page": bad})
            assert refused.status_code == 422, (bad, refused.text)
    found = await page_of(widget.channel.state, [ChannelIdentity("web", "u:shop-60")])
    assert found is not None and (found.url, found.title) == (KETTLE, "Kettle")


async def test_a_visitor_naming_pages_too_often_is_not_followed(widget: Widget) -> None:
    conn = await widget.open({"token": None})
    visitor = (await _next(conn, "ready"))["visitor"]
    for n in range(40):
        await conn.send(json.dumps({"type": "page", "url": f"{SHOP}/p/{n}", "title": str(n)}))
    await conn.send(json.dumps({"type": "ping"}))
    await _next(conn, "pong")
    await asyncio.sleep(0)
    found = await page_of(widget.channel.state, [ChannelIdentity("web", str(visitor))])
    assert found is not None and found.url == f"{SHOP}/p/29"  # 30 a minute
    await conn.close()
