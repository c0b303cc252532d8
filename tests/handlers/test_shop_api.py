"""The shop API client both the catalogue and the order look-up use: one behaviour for both."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest

from handlers.catalogue import CatalogueError, HttpCatalogue
from handlers.orders import HttpOrderLookup, OrderLookupError
from handlers.shop_api import ShopApi

Handler = Callable[[httpx.Request], httpx.Response]
Ask = Callable[[ShopApi], Awaitable[object]]


def _catalogue(handler: Handler) -> ShopApi:
    return _client(HttpCatalogue, "https://shop.example/api/products?q={query}", handler)


def _orders(handler: Handler) -> ShopApi:
    return _client(HttpOrderLookup, "https://shop.example/api/orders/{order}", handler)


def _client(kind: type[ShopApi], template: str, handler: Handler) -> ShopApi:
    return kind(
        template,
        timeout=0.5,
        headers={"Authorization": "Bearer shop-key"},
        transport=httpx.MockTransport(handler),
    )


async def _search(client: ShopApi) -> object:
    assert isinstance(client, HttpCatalogue)
    return await client.search("air fryer")


async def _find(client: ShopApi) -> object:
    assert isinstance(client, HttpOrderLookup)
    return await client.find("a-1001")


CLIENTS = [
    pytest.param(_catalogue, _search, CatalogueError, [], id="catalogue"),
    pytest.param(_orders, _find, OrderLookupError, None, id="orders"),
]


@pytest.mark.parametrize(("make", "ask", "error", "none"), CLIENTS)
async def test_the_key_and_the_words_reach_the_shop_and_404_is_none(
    make: Callable[[Handler], ShopApi], ask: Ask, error: type[Exception], none: object
) -> None:
    seen: list[httpx.Request] = []

    def shop(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404)

    client = make(shop)
    try:
        assert await ask(client) == none
    finally:
        await client.close()
    (request,) = seen
    assert request.headers["authorization"] == "Bearer shop-key"
    assert request.url.path.endswith("/A-1001") or request.url.params["q"] == "air fryer"
    assert request.extensions["timeout"] == {"connect": 0.5, "read": 0.5, "write": 0.5, "pool": 0.5}


@pytest.mark.parametrize(("make", "ask", "error", "none"), CLIENTS)
@pytest.mark.parametrize(
    "answer",
    [
        pytest.param(lambda r: httpx.Response(503), id="5xx"),
        pytest.param(lambda r: httpx.Response(200, content=b"<html>"), id="not-json"),
        pytest.param(lambda r: httpx.Response(200, json="nonsense"), id="wrong-shape"),
    ],
)
async def test_a_failure_is_the_clients_own_error_asked_once_no_retry(
    make: Callable[[Handler], ShopApi],
    ask: Ask,
    error: type[Exception],
    none: object,
    answer: Handler,
) -> None:
    calls: list[httpx.Request] = []

    def shop(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return answer(request)

    client = make(shop)
    try:
        with pytest.raises(error, match="API failed"):
            await ask(client)
    finally:
        await client.close()
    assert len(calls) == 1


@pytest.mark.parametrize(("make", "ask", "error", "none"), CLIENTS)
async def test_a_timeout_is_the_clients_own_error(
    make: Callable[[Handler], ShopApi], ask: Ask, error: type[Exception], none: object
) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("the shop took too long", request=request)

    client = make(slow)
    with pytest.raises(error, match="ReadTimeout"):
        await ask(client)
    assert not client.closed
    await client.close()
    assert client.closed


async def test_a_failure_names_no_customer_words_errors_reach_the_logs() -> None:
    catalogue = _catalogue(lambda r: httpx.Response(503))
    with pytest.raises(CatalogueError) as failed:
        await catalogue.search("the air fryer for my mum")
    await catalogue.close()
    assert "503" in str(failed.value)
    assert "fryer" not in str(failed.value) and "mum" not in str(failed.value)
