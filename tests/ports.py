"""Loopback ports for servers that tests and benchmarks start: a free one, and waiting for one."""

from __future__ import annotations

import asyncio
import socket
import time


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def until_listening(port: int, *, within: float = 10.0, every: float = 0.05) -> None:
    """Until something accepts connections on ``port``; AssertionError after ``within`` s."""
    deadline = time.monotonic() + within
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if time.monotonic() >= deadline:
                raise AssertionError(f"nothing listens on {port} after {within:g} s") from None
            await asyncio.sleep(every)
        else:
            writer.close()
            return


def until_listening_sync(port: int, *, within: float = 10.0, every: float = 0.05) -> bool:
    """``until_listening`` outside an event loop: True once ``port`` accepts, False after
    ``within`` s (the caller says what was not listening, with its logs)."""
    deadline = time.monotonic() + within
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(every)
