"""The handlers' fixtures (a real dispatcher on SQLite) and the desk, for the desk and API tests."""

from __future__ import annotations

import pytest

from tests.bot.test_web_api import desk
from tests.handlers.conftest import RealClock, deps, dispatcher

__all__ = ["deps", "desk", "dispatcher"]


@pytest.fixture
def week_clock() -> RealClock:
    """These tests run on the real clock (the handlers' fixed week is for replies' dates)."""
    return RealClock()
