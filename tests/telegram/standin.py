"""A local stand-in for the Telegram Bot API: the real PTB Application talks to it over HTTP.

Tests inject customer and agent updates, read what the bot sent, and make the next calls
fail the way Telegram does (429 with retry_after, 403 for a blocked bot).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.ports import free_port

BOT_ID = 777000


@dataclass
class Sent:
    method: str
    chat_id: int
    text: str
    message_id: int
    reply_markup: dict[str, Any] | None = None
    params: dict[str, Any] = field(default_factory=dict)


class BotApiStandIn:
    """Serves ``/bot<token>/<method>`` on 127.0.0.1 like api.telegram.org."""

    def __init__(self, token: str = "123:TEST") -> None:
        self.token = token
        self.updates: list[dict[str, Any]] = []
        self.sent: list[Sent] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.failures: dict[str, list[tuple[int, str, int | None]]] = {}
        self.topics: dict[int, str] = {}
        # Files the bot can fetch (getFile, then /file/bot<token>/<path>): file_id -> bytes.
        self.files: dict[str, bytes] = {}
        # Files the bot uploaded in multipart calls: message id -> (field, filename, bytes).
        self.uploads: dict[int, tuple[str, str, bytes]] = {}
        self.downloads: list[str] = []
        # Messages the bot sent or copied that carry media (no text to edit).
        self.media_messages: set[tuple[int, int]] = set()
        self.deleted: list[tuple[int, int]] = []
        # What each message the bot sent reads now, after edits: (chat_id, message_id) -> text.
        self.current: dict[tuple[int, int], str] = {}
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._new_update = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        self.port = free_port()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()

    async def stop(self) -> None:
        self._closing = True
        self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- what tests do ------------------------------------------------------------------

    def fail_next(
        self, method: str, code: int, description: str, retry_after: int | None = None
    ) -> None:
        self.failures.setdefault(method, []).append((code, description, retry_after))

    def _user(self, user_id: int, name: str, language: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": name}
        if language:
            user["language_code"] = language
        return user

    def push(self, update: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self.updates.append({"update_id": update_id, **update})
        self._new_update.set()
        return update_id

    def customer_says(
        self, user_id: int, text: str, *, name: str = "Anna", language: str | None = "en"
    ) -> int:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": name},
            "from": self._user(user_id, name, language),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self.push({"message": message})

    def customer_sends_sticker(self, user_id: int, *, name: str = "Anna") -> int:
        return self.push(
            {
                "message": {
                    "message_id": next(self._message_ids),
                    "date": int(time.time()),
                    "chat": {"id": user_id, "type": "private", "first_name": name},
                    "from": self._user(user_id, name, "en"),
                    "sticker": {
                        "file_id": "s1",
                        "file_unique_id": "u1",
                        "width": 512,
                        "height": 512,
                        "is_animated": False,
                        "is_video": False,
                        "type": "regular",
                    },
                }
            }
        )

    def customer_sends(
        self,
        user_id: int,
        media: dict[str, Any],
        *,
        caption: str | None = None,
        name: str = "Anna",
        language: str | None = "en",
    ) -> int:
        """A customer's photo, voice note, document, location... ``media`` is the Bot API
        field(s): ``photo(...)``, ``voice(...)``, ``{"location": {...}}``."""
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": name},
            "from": self._user(user_id, name, language),
            **media,
        }
        if caption is not None:
            message["caption"] = caption
        return self.push({"message": message})

    def customer_presses(self, user_id: int, sent: Sent, data: str, *, name: str = "Anna") -> int:
        return self.push(
            {
                "callback_query": {
                    "id": f"cb{next(self._message_ids)}",
                    "from": self._user(user_id, name, "en"),
                    "chat_instance": "ci",
                    "data": data,
                    "message": {
                        "message_id": sent.message_id,
                        "date": int(time.time()),
                        "chat": {"id": user_id, "type": "private", "first_name": name},
                        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Bot"},
                        "text": sent.text,
                    },
                }
            }
        )

    def agent_says(
        self,
        user_id: int,
        chat_id: int,
        text: str,
        *,
        name: str = "Maria",
        reply_to: Sent | None = None,
        thread: int | None = None,
        media: dict[str, Any] | None = None,
    ) -> int:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {
                "id": chat_id,
                "type": "supergroup",
                "title": "Agents",
                "is_forum": thread is not None,
            },
            "from": self._user(user_id, name, "en"),
        }
        if media is not None:
            # A photo or voice note: what the agent wrote is its caption.
            message.update(media)
            if text:
                message["caption"] = text
        else:
            message["text"] = text
        if text.startswith("/") and media is None:
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if reply_to is not None:
            message["reply_to_message"] = {
                "message_id": reply_to.message_id,
                "date": int(time.time()),
                "chat": message["chat"],
                "text": reply_to.text,
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Acme"},
            }
        if thread is not None:
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
            topic = self.topics[thread]
            message.setdefault(
                "reply_to_message",
                {
                    "message_id": thread,
                    "date": int(time.time()),
                    "chat": message["chat"],
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Acme"},
                    "forum_topic_created": {"name": topic, "icon_color": 7322096},
                    "message_thread_id": thread,
                    "is_topic_message": True,
                },
            )
        return self.push({"message": message})

    def reads_now(self, chat_id: int) -> list[str]:
        """What every message the bot sent to a chat reads now, edits applied."""
        return [text for (chat, _), text in self.current.items() if chat == chat_id]

    def to(self, chat_id: int) -> list[Sent]:
        return [s for s in self.sent if s.chat_id == chat_id]

    async def wait_for(self, predicate: Any, within: float = 10.0) -> None:
        deadline = time.monotonic() + within
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; sent so far: {[s.text for s in self.sent]}")
            await asyncio.sleep(0.02)

    # --- the Bot API --------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        params = dict(await request.post()) if request.can_read_body else {}
        decoded = {k: _decode(v) for k, v in params.items() if isinstance(v, str)}
        for key, value in params.items():
            if isinstance(value, web.FileField):
                decoded[key] = Upload(value.filename, value.file.read())
        self.calls.append((method, decoded))
        failures = self.failures.get(method)
        if failures:
            code, description, retry_after = failures.pop(0)
            return self._error(code, description, retry_after)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return self._ok(True)
        result = await handler(decoded)
        if isinstance(result, web.Response):
            return result
        return self._ok(result)

    def _ok(self, result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    def _error(self, code: int, description: str, retry_after: int | None = None) -> web.Response:
        body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return web.json_response(body, status=code)

    async def _api_getMe(self, _: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Acme",
            "username": "acme_bot",
            "can_join_groups": True,
            "can_read_all_group_messages": True,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:  # noqa: N802
        offset = int(p.get("offset") or 0)
        # Telegram forgets updates below the offset: they are confirmed.
        self.updates = [u for u in self.updates if u["update_id"] >= offset]
        timeout = float(p.get("timeout") or 0)
        deadline = time.monotonic() + timeout
        while not self.updates and not self._closing and time.monotonic() < deadline:
            self._new_update.clear()
            try:
                async with asyncio.timeout(max(0.0, deadline - time.monotonic())):
                    await self._new_update.wait()
            except TimeoutError:
                break
        limit = int(p.get("limit") or 100)
        return self.updates[:limit]

    async def _api_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        message_id = next(self._message_ids)
        chat_id = int(p["chat_id"])
        self.sent.append(
            Sent("sendMessage", chat_id, str(p["text"]), message_id, p.get("reply_markup"), p)
        )
        self.current[(chat_id, message_id)] = str(p["text"])
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Acme"},
            "text": p["text"],
        }

    async def _api_editMessageText(self, p: dict[str, Any]) -> Any:  # noqa: N802
        chat_id = int(p["chat_id"])
        if (chat_id, int(p["message_id"])) in self.media_messages:
            return self._error(400, "Bad Request: there is no text in the message to edit")
        self.current[(chat_id, int(p["message_id"]))] = str(p["text"])
        self.sent.append(
            Sent(
                "editMessageText",
                chat_id,
                str(p["text"]),
                int(p["message_id"]),
                p.get("reply_markup"),
                p,
            )
        )
        return {
            "message_id": int(p["message_id"]),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "text": p["text"],
        }

    async def _api_createForumTopic(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        thread = next(self._message_ids)
        self.topics[thread] = str(p["name"])
        return {"message_thread_id": thread, "name": p["name"], "icon_color": 7322096}

    async def _api_editForumTopic(self, p: dict[str, Any]) -> bool:  # noqa: N802
        self.topics[int(p["message_thread_id"])] = str(p["name"])
        return True

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        self.downloads.append(path)
        file_id = path.rsplit("/", 1)[-1]
        if file_id not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[file_id])

    async def _api_getFile(self, p: dict[str, Any]) -> Any:  # noqa: N802
        file_id = str(p["file_id"])
        if file_id not in self.files:
            return self._error(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": len(self.files[file_id]),
            "file_path": f"media/{file_id}",
        }

    async def _api_copyMessage(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        message_id = next(self._message_ids)
        chat_id = int(p["chat_id"])
        caption = str(p.get("caption") or "")
        self.sent.append(Sent("copyMessage", chat_id, caption, message_id, None, p))
        self.media_messages.add((chat_id, message_id))
        self.current[(chat_id, message_id)] = caption
        return {"message_id": message_id}

    def _media_sent(self, method: str, field_name: str, p: dict[str, Any]) -> dict[str, Any]:
        message_id = next(self._message_ids)
        chat_id = int(p["chat_id"])
        caption = str(p.get("caption") or "")
        value = p[field_name]
        if isinstance(value, Upload):
            self.uploads[message_id] = (field_name, value.filename, value.data)
            file_id = f"up{message_id}"
            self.files[file_id] = value.data
        else:
            file_id = str(value)
        self.sent.append(Sent(method, chat_id, caption, message_id, None, p))
        self.current[(chat_id, message_id)] = caption
        self.media_messages.add((chat_id, message_id))
        file: dict[str, Any] = {"file_id": file_id, "file_unique_id": f"u-{file_id}"}
        media: Any = file
        if field_name == "photo":
            media = [{**file, "width": 800, "height": 600}]
        elif field_name == "voice":
            media = {**file, "duration": 3}
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Acme"},
            field_name: media,
            **({"caption": caption} if caption else {}),
        }

    async def _api_sendPhoto(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return self._media_sent("sendPhoto", "photo", p)

    async def _api_sendDocument(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return self._media_sent("sendDocument", "document", p)

    async def _api_sendVoice(self, p: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        return self._media_sent("sendVoice", "voice", p)

    async def _api_deleteMessage(self, p: dict[str, Any]) -> bool:  # noqa: N802
        key = (int(p["chat_id"]), int(p["message_id"]))
        self.current.pop(key, None)
        self.deleted.append(key)
        return True

    async def _api_answerCallbackQuery(self, p: dict[str, Any]) -> bool:  # noqa: N802
        self.callback_answers.append(p)
        return True


@dataclass(frozen=True)
class Upload:
    """A file the bot sent in a multipart call."""

    filename: str
    data: bytes


def photo(file_id: str = "ph1", *, size: int = 20480) -> dict[str, Any]:
    """A customer's photo as Telegram sends it: several sizes, the largest last."""
    return {
        "photo": [
            {
                "file_id": f"{file_id}-s",
                "file_unique_id": f"u-{file_id}-s",
                "width": 90,
                "height": 68,
                "file_size": 1200,
            },
            {
                "file_id": file_id,
                "file_unique_id": f"u-{file_id}",
                "width": 1280,
                "height": 960,
                "file_size": size,
            },
        ]
    }


def voice(file_id: str = "vo1", *, seconds: int = 4) -> dict[str, Any]:
    """A voice note (OGG/Opus)."""
    return {
        "voice": {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "duration": seconds,
            "mime_type": "audio/ogg",
            "file_size": 6400,
        }
    }


def document(file_id: str = "doc1", *, name: str = "receipt.pdf") -> dict[str, Any]:
    """A file sent as a document."""
    return {
        "document": {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_name": name,
            "mime_type": "application/pdf",
            "file_size": 52000,
        }
    }


def _decode(value: str) -> Any:
    # PTB sends non-string values JSON-encoded in form fields.
    try:
        return json.loads(value)
    except ValueError:
        return value
