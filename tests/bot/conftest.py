"""The handlers' fixtures (a real dispatcher on SQLite) and the desk, for the desk and API tests."""

from __future__ import annotations

from tests.bot.test_web_api import desk
from tests.handlers.conftest import deps, dispatcher

__all__ = ["deps", "desk", "dispatcher"]
