"""The port helpers that tests and benchmarks start their servers with."""

from __future__ import annotations

import asyncio
import time

import pytest

from tests.ports import free_port, until_listening, until_listening_sync


async def test_until_listening_returns_once_a_server_accepts() -> None:
    port = free_port()

    async def late_server() -> asyncio.Server:
        await asyncio.sleep(0.3)
        return await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", port)

    starting = asyncio.create_task(late_server())
    start = time.monotonic()
    await until_listening(port, within=5)
    waited = time.monotonic() - start
    server = await starting
    server.close()
    await server.wait_closed()
    assert 0.25 <= waited < 5


async def test_until_listening_says_which_port_never_listened() -> None:
    port = free_port()
    with pytest.raises(AssertionError, match=f"nothing listens on {port}"):
        await until_listening(port, within=0.2)


def test_until_listening_sync_is_false_when_nothing_listens() -> None:
    assert until_listening_sync(free_port(), within=0.2) is False
