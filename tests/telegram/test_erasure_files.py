"""/forget on Telegram leaves none of the customer's words in the raw SQLite files."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from bot.telegram_channel import TelegramChannel
from crm_memory import SqlDatabase
from handlers.dispatcher import Dispatcher
from tests.telegram.standin import BotApiStandIn
from tests.telegram.test_channel import make_channel

QUENTIN = 5088
WORDS = ("quentin.zed@example.com", "zorblax", "A-1002")


def raw(db: SqlDatabase) -> bytes:
    """The database file and its write-ahead log as they are on disk now."""
    path = Path(str(make_url(db.url).database))
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


async def test_forget_leaves_no_word_in_the_sqlite_files(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase
) -> None:
    channel: TelegramChannel = make_channel(api, dispatcher, sqlite_db)
    await channel.start()
    try:
        name = "Quentin Zed"
        api.customer_says(QUENTIN, "my email is quentin.zed@example.com", name=name)
        api.customer_says(QUENTIN, "my zorblax from order A-1002 arrived broken", name=name)
        await channel.poll_once()
        assert all(word.encode() in raw(sqlite_db) for word in WORDS)
        api.customer_says(QUENTIN, "/forget", name=name)
        await channel.poll_once()
        api.customer_presses(QUENTIN, api.to(QUENTIN)[-1], "forget:yes", name=name)
        await channel.poll_once()
        assert "erased" in api.to(QUENTIN)[-1].text
        # While the bot runs, with the database open: not even the name and id that the
        # confirming button press carried in the inbox until it was marked done.
        now = raw(sqlite_db)
        for word in (*WORDS, "Quentin", str(QUENTIN)):
            assert word.encode() not in now, word
    finally:
        await channel.stop()
