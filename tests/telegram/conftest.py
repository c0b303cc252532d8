"""The handlers' fixtures (a real dispatcher on SQLite) serve the Telegram tests too."""

from tests.handlers.conftest import deps, dispatcher

__all__ = ["deps", "dispatcher"]
