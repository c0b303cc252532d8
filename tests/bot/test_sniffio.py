"""httpcore's look-up of sniffio on every lock costs no search of sys.path (issue #21)."""

from __future__ import annotations

import importlib.machinery
from typing import Any

import pytest
from httpcore._synchronization import current_async_library


async def test_httpcore_does_not_search_for_sniffio_on_every_call(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """sniffio is a declared dependency: httpcore imports it once and finds it in
    sys.modules after that. Absent (anyio 4.11 no longer brings it), Python does not remember
    the failed import and every call searched sys.path again (0.2-0.4 ms each)."""
    current_async_library()  # imported here, if it can be
    searched: list[str] = []
    find_spec = importlib.machinery.PathFinder.find_spec

    def counting(name: str, *args: Any, **kwargs: Any) -> Any:
        searched.append(name)
        return find_spec(name, *args, **kwargs)

    monkeypatch.setattr(importlib.machinery.PathFinder, "find_spec", counting)
    for _ in range(3):
        assert current_async_library() == "asyncio"
    assert "sniffio" not in searched, "sniffio is not installed: `make install` (pyproject.toml)"
