"""Customers' files fetched from the Bot API, cached on disk under a size limit for the desk."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from crm_memory import Media, MediaKind

logger = logging.getLogger(__name__)

# What a kind of media is when Telegram does not say (photos, voice notes and stickers
# come without a mime type, or always in one format).
DEFAULT_TYPES = {
    MediaKind.PHOTO: "image/jpeg",
    MediaKind.VOICE: "audio/ogg",
    MediaKind.STICKER: "image/webp",
    MediaKind.VIDEO_NOTE: "video/mp4",
    MediaKind.ANIMATION: "video/mp4",
    MediaKind.VIDEO: "video/mp4",
    MediaKind.AUDIO: "audio/mpeg",
}


# Files visitors attach in the website widget have no channel to fetch them from again: kept
# under ``uploads/`` of the cache directory, never evicted by the size limit (only erasure and
# retention delete them), and named in the media row by this file id.
UPLOAD_PREFIX = "web:"
_UPLOAD_NAME = re.compile(r"[0-9a-f]{16,64}")


class MediaError(Exception):
    """A file cannot be shown: the message says why, for the agent."""


class TooLarge(MediaError):
    """The file is larger than ``media.max_file_mb``."""


class Unavailable(MediaError):
    """The Bot API could not give the file (not configured, down, or the file id is gone)."""


class Fetcher(Protocol):
    """Fetches a file's bytes by its channel file id (Bot API ``getFile`` + download)."""

    async def fetch(self, file_id: str, *, max_bytes: int) -> bytes:
        """The file's bytes; raises TooLarge or Unavailable."""
        ...

    async def close(self) -> None:
        """Let go of connections (at shut-down)."""
        ...


def content_type(media: Media) -> str:
    """The HTTP content type to serve a file as."""
    attachment = media.attachment
    return attachment.mime_type or DEFAULT_TYPES.get(attachment.kind, "application/octet-stream")


class MediaCache:
    """Files by media id in ``directory``, at most ``max_bytes`` in all (oldest media go first).

    Each file's modification time is its media's time, so retention removes what it forgot
    (``expire``) and the size limit evicts the oldest media first. Every process (bot, desk,
    CLI) may use the same directory: erasure anywhere deletes the copies (``drop``).

    Args:
        directory: ``media.cache_dir``.
        max_bytes: ``media.cache_max_mb`` in bytes.
        max_file_bytes: files larger than this are neither fetched nor accepted.
        fetcher: where files come from; None when no Bot API is configured.
    """

    def __init__(
        self,
        *,
        directory: Path,
        max_bytes: int,
        max_file_bytes: int,
        fetcher: Fetcher | None = None,
    ) -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self.max_file_bytes = max_file_bytes
        self.fetcher = fetcher
        self._lock = asyncio.Lock()

    def _path(self, media_id: int) -> Path:
        return self.directory / f"{media_id}.bin"

    async def read(self, media: Media) -> bytes:
        """The file of stored media, from the cache or fetched and cached.

        Raises:
            MediaError: forgotten (erased or expired), not a file, too large, or unavailable.
        """
        if media.forgotten:
            self.drop([media.id])
            raise MediaError("this file was erased or expired")
        if not media.attachment.kind.has_file:
            raise MediaError(f"a {media.attachment.kind} is not a file")
        size = media.attachment.size
        if size is not None and size > self.max_file_bytes:
            raise TooLarge(f"the file is larger than {self.max_file_bytes // (1 << 20)} MB")
        cached = await self.cached(media.id)
        if cached is not None:
            return cached
        if media.attachment.file_id.startswith(UPLOAD_PREFIX):
            upload = self._upload_path(media.attachment.file_id)
            try:
                return await asyncio.to_thread(upload.read_bytes)
            except OSError as exc:
                raise Unavailable("the visitor's file is no longer kept") from exc
        if self.fetcher is None or not media.attachment.file_id:
            raise Unavailable("the file is not cached and no Bot API is configured to fetch it")
        data = await self.fetcher.fetch(media.attachment.file_id, max_bytes=self.max_file_bytes)
        await self.put(media.id, data, at=media.created_at)
        return data

    async def cached(self, media_id: int) -> bytes | None:
        """The cached copy of a file, if there is one (never fetched)."""
        with contextlib.suppress(FileNotFoundError):
            return await asyncio.to_thread(self._path(media_id).read_bytes)
        return None

    async def put(self, media_id: int, data: bytes, *, at: datetime) -> None:
        """Keep a file (an agent's upload, or one just fetched), then keep under the limit."""
        if len(data) > self.max_bytes:
            return  # would evict everything else and itself: served, not kept
        path = self._path(media_id)
        async with self._lock:
            await asyncio.to_thread(self._write, path, data, at.timestamp())
            await asyncio.to_thread(self._trim)

    def _write(self, path: Path, data: bytes, stamp: float, *, durable: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        with partial.open("wb") as out:
            out.write(data)
            if durable:  # acknowledged to a visitor: on disk, not in the page cache only
                out.flush()
                os.fsync(out.fileno())
        os.utime(partial, (stamp, stamp))
        partial.replace(path)  # readers never see half a file
        if durable:  # the rename too: without the directory's entry the file is not found
            directory = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)

    def _trim(self) -> None:
        entries = []
        for path in self.directory.glob("*.bin"):
            with contextlib.suppress(FileNotFoundError):
                stat = path.stat()
                entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size

    def _upload_path(self, file_id: str) -> Path:
        name = file_id.removeprefix(UPLOAD_PREFIX)
        if not file_id.startswith(UPLOAD_PREFIX) or not _UPLOAD_NAME.fullmatch(name):
            raise ValueError(f"not an uploaded file's id: {file_id!r}")
        return self.directory / "uploads" / f"{name}.bin"

    async def keep_upload(self, name: str, data: bytes, *, at: datetime) -> str:
        """Keep a file a visitor attached (durably: on disk before the caller acknowledges
        it); returns the file id its media row names it by. ``name``: 16-64 hex digits,
        unique per message. The same message sent again keeps the file first written: the
        row stored for it describes those bytes (a resend with other bytes must not swap a
        PDF in under a photo's row)."""
        file_id = UPLOAD_PREFIX + name
        path = self._upload_path(file_id)
        if not path.exists():  # complete when it exists: written under .part, then renamed
            await asyncio.to_thread(self._write, path, data, at.timestamp(), durable=True)
        return file_id

    def forget_files(self, file_ids: Iterable[str]) -> int:
        """Delete kept uploads by their file ids (erasure); other ids are not ours."""
        dropped = 0
        for file_id in file_ids:
            if not file_id.startswith(UPLOAD_PREFIX):
                continue
            with contextlib.suppress(ValueError):
                path = self._upload_path(file_id)
                if path.exists():
                    path.unlink(missing_ok=True)
                    dropped += 1
        return dropped

    def drop(self, media_ids: Iterable[int]) -> int:
        """Delete cached copies (erasure); returns how many there were."""
        dropped = 0
        for media_id in media_ids:
            path = self._path(media_id)
            if path.exists():
                path.unlink(missing_ok=True)
                dropped += 1
        return dropped

    def expire(self, older_than: datetime) -> int:
        """Delete copies of media older than ``older_than`` (retention); returns how many."""
        if not self.directory.exists():
            return 0
        limit = older_than.timestamp()
        expired = 0
        for path in [*self.directory.glob("*.bin"), *self.directory.glob("uploads/*.bin")]:
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_mtime < limit:
                    path.unlink(missing_ok=True)
                    expired += 1
        return expired

    async def close(self) -> None:
        """Close the fetcher's connections (the app calls this at shut-down)."""
        if self.fetcher is not None:
            await self.fetcher.close()

    def size(self) -> int:
        """Bytes cached now."""
        if not self.directory.exists():
            return 0
        return sum(p.stat().st_size for p in self.directory.glob("*.bin"))
