"""The handlers' fixtures (a real dispatcher on SQLite) for the desk and API tests."""

from __future__ import annotations

from tests.handlers.conftest import deps, dispatcher

__all__ = ["deps", "dispatcher"]
