"""Uploads a visitor attached are kept once per message (MediaCache.keep_upload)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.media_cache import MediaCache


async def test_a_resent_message_keeps_the_file_first_written(tmp_path: Path) -> None:
    cache = MediaCache(directory=tmp_path, max_bytes=10_000, max_file_bytes=1_000)
    at = datetime.now(UTC)
    first = await cache.keep_upload("ab" * 8, b"%PDF-1.4 first", at=at)
    again = await cache.keep_upload("ab" * 8, b"\\x89PNG other bytes", at=at)
    assert first == again
    (kept,) = (tmp_path / "uploads").glob("*.bin")
    assert kept.read_bytes() == b"%PDF-1.4 first"
    assert not list((tmp_path / "uploads").glob("*.part"))
