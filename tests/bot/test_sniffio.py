"""httpcore's look-up of sniffio on every lock costs no search of sys.path (issue #21)."""

from __future__ import annotations

import importlib.machinery
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from httpcore._synchronization import current_async_library

from bot.app import spare_failed_sniffio_imports


@pytest.fixture
def sniffio_as_it_was() -> Iterator[None]:
    had = "sniffio" in sys.modules
    before = sys.modules.get("sniffio")
    yield
    if had:
        sys.modules["sniffio"] = before  # type: ignore[assignment]
    else:
        sys.modules.pop("sniffio", None)


def test_httpcore_does_not_search_for_sniffio_on_every_call(
    sniffio_as_it_was: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if sys.modules.get("sniffio", 0) is None:
        del sys.modules["sniffio"]  # as a fresh process starts, without the marker
    spare_failed_sniffio_imports()
    searched: list[str] = []
    find_spec = importlib.machinery.PathFinder.find_spec

    def counting(name: str, *args: Any, **kwargs: Any) -> Any:
        searched.append(name)
        return find_spec(name, *args, **kwargs)

    monkeypatch.setattr(importlib.machinery.PathFinder, "find_spec", counting)
    for _ in range(3):
        assert current_async_library() == "asyncio"
    assert "sniffio" not in searched
