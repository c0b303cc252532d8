"""The app's wiring: what start-up opens, shut-down closes."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.app import open_services, open_stores, opened_deps
from bot.config import Settings
from bot.media_cache import MediaCache
from bot.telegram_media import TelegramFiles
from handlers.catalogue import HttpCatalogue
from handlers.orders import HttpOrderLookup
from nlu.rasa import RasaEngine


def _with_shop_api(tmp_path: Path) -> Settings:
    return Settings(
        storage={"database_url": f"sqlite+aiosqlite:///{tmp_path / 'crm.db'}", "redis_url": ""},
        conversation={"orders_url": "http://shop.test/api/orders/{order}"},
        catalogue={"url": "http://shop.test/api/products?q={query}"},
    )


async def test_the_shop_api_clients_are_closed_when_the_app_stops(tmp_path: Path) -> None:
    async with open_services(_with_shop_api(tmp_path)) as services:
        deps = services.dispatcher.deps
        orders, catalogue = deps.orders, deps.catalogue
        assert isinstance(orders, HttpOrderLookup) and isinstance(catalogue, HttpCatalogue)
        assert not orders.closed and not catalogue.closed  # open while the app serves
    assert orders.closed and catalogue.closed


async def test_the_shop_api_clients_are_closed_when_the_app_stops_on_an_error(
    tmp_path: Path,
) -> None:
    with pytest.raises(RuntimeError, match="the channel broke"):
        async with open_services(_with_shop_api(tmp_path)) as services:
            deps = services.dispatcher.deps
            raise RuntimeError("the channel broke")
    assert isinstance(deps.orders, HttpOrderLookup) and deps.orders.closed
    assert isinstance(deps.catalogue, HttpCatalogue) and deps.catalogue.closed


async def test_a_crm_commands_shop_api_clients_are_closed_after_it(tmp_path: Path) -> None:
    settings = _with_shop_api(tmp_path)
    async with open_stores(settings) as stores, opened_deps(settings, stores) as deps:
        assert isinstance(deps.orders, HttpOrderLookup) and not deps.orders.closed
    assert deps.orders.closed
    assert isinstance(deps.catalogue, HttpCatalogue) and deps.catalogue.closed


async def test_a_rasa_engine_is_closed_when_the_app_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed: list[RasaEngine] = []
    close = RasaEngine.close

    async def recording(self: RasaEngine) -> None:
        closed.append(self)
        await close(self)

    monkeypatch.setattr(RasaEngine, "close", recording)
    settings = Settings(
        storage={"database_url": f"sqlite+aiosqlite:///{tmp_path / 'crm.db'}", "redis_url": ""},
        # Down (nothing listens on port 1): the built-in engine stands in, the client stays.
        nlu={"backend": "rasa", "rasa_url": "http://127.0.0.1:1", "rasa_fallback_to_builtin": True},
    )
    async with open_services(settings):
        assert closed == []
    assert len(closed) == 1


async def test_the_media_attach_window_comes_from_the_config(tmp_path: Path) -> None:
    settings = Settings(
        storage={"database_url": f"sqlite+aiosqlite:///{tmp_path / 'crm.db'}", "redis_url": ""},
        media={"attach_window_minutes": 40, "cache_dir": str(tmp_path / "cache")},
    )
    async with open_stores(settings) as stores, opened_deps(settings, stores) as deps:
        assert deps.media_attach_window == timedelta(minutes=40)


async def test_the_media_caches_bot_is_closed_when_the_app_stops(tmp_path: Path) -> None:
    settings = Settings(
        storage={"database_url": f"sqlite+aiosqlite:///{tmp_path / 'crm.db'}", "redis_url": ""},
        telegram={"token": "123:TEST"},
        media={"cache_dir": str(tmp_path / "cache")},
    )
    async with open_services(settings) as services:
        cache = services.dispatcher.deps.media_files
        assert isinstance(cache, MediaCache) and isinstance(cache.fetcher, TelegramFiles)
        files = cache.fetcher
        assert not files.closed
    assert files.closed
