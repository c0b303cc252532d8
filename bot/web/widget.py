"""The website widget's routes: widget.js, its WebSocket, and the HTTP long-poll fallback."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import unquote

from fastapi import (
    Depends,
    FastAPI,
    File,
    Form,
    Header,
    HTTPException,
    Query,
    Request,
    UploadFile,
    WebSocket,
)
from fastapi import (
    Path as PathParam,
)
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocketDisconnect, WebSocketState

from bot.media_cache import content_type
from bot.metrics import Metrics
from bot.web.events import TOPIC as DESK_TOPIC
from bot.web.identity import Identities
from bot.web.pages import checked_page
from bot.web.pages import remember as remember_page
from bot.web.security import BodyLimit
from bot.web_channel import UPLOAD_KINDS, Upload, Visitor, WebChannel, WidgetError, sniff
from crm_memory import NotFound, StoreUnavailable
from handlers.types import ContentKind

logger = logging.getLogger(__name__)

SCRIPT = Path(__file__).parent / "static" / "widget.js"
PREFIX = "/widget/"
HELLO_SECONDS = 10.0
CATCH_UP = 2.0  # seconds after a socket opens when what it may have missed is sent again
MAX_WAIT = 25.0  # a long poll answers within this many seconds, messages or not
UPLOADS = PREFIX + "api/media"
TYPINGS_PER_MINUTE = 20  # "visitor is typing" events of one visitor a minute (one per 3 s)
PAGES_PER_MINUTE = 30  # pages a visitor's widget may name a minute (a single-page shop's routes)
CREDENTIAL_HEADERS = (
    "content-type, x-widget-token, x-widget-user, x-widget-signature, x-widget-signed-at, "
    "x-widget-email, x-widget-name"
)


@dataclass(frozen=True, slots=True)
class WidgetConfig:
    """The widget's part of config.yml (``widget:``), as the routes need it."""

    allowed_origins: tuple[str, ...] = ()
    identity_secret: str | None = None
    title: dict[str, str] = field(default_factory=lambda: {"en": "Chat with us", "zh": "在线客服"})
    welcome: dict[str, str] = field(default_factory=dict)
    colour: str = "#2563eb"
    text_colour: str = "#ffffff"
    position: Literal["right", "left"] = "right"
    visitor_per_minute: int = 20
    address_per_minute: int = 120
    max_chars: int = 2000
    max_upload_bytes: int = 10 << 20
    sockets_per_address: int = 50  # an office behind one address has many visitors
    sockets_per_visitor: int = 10  # tabs of one visitor
    signature_max_age: float = 24 * 3600.0  # seconds a signed identity is believed
    # Believe the first scheme's signature (the user id alone) while a shop migrates.
    legacy_signatures: bool = False
    # The key anonymous visitors' tokens are marked with (None: a random one per process).
    token_secret: str | None = None

    def allows(self, origin: str | None) -> bool:
        """True when a page from ``origin`` may use the widget."""
        if "*" in self.allowed_origins:
            return True
        return origin is not None and origin.rstrip("/") in self.allowed_origins

    def public(self) -> dict[str, Any]:
        """What the page's script is told (nothing secret)."""
        return {
            "title": self.title,
            "welcome": self.welcome,
            "colour": self.colour,
            "textColour": self.text_colour,
            "position": self.position,
            "maxChars": self.max_chars,
            "maxUploadBytes": self.max_upload_bytes,
            "uploadTypes": list(UPLOAD_KINDS),
        }


class WidgetCors:
    """CORS for the widget's HTTP API: pages of allowed origins get their answers, others
    are refused before any route runs (the socket checks its Origin itself)."""

    def __init__(self, app: ASGIApp, *, config: WidgetConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not path.startswith(PREFIX + "api/"):
            await self.app(scope, receive, send)
            return
        origin = next(
            (v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"origin"), None
        )
        if origin is not None and not self.config.allows(origin):
            await JSONResponse({"detail": "this site may not use the chat widget"}, 403)(
                scope, receive, send
            )
            return
        cors = (
            {
                "access-control-allow-origin": origin,
                "access-control-allow-headers": CREDENTIAL_HEADERS,
                "access-control-allow-methods": "GET, POST, OPTIONS",
                "access-control-max-age": "600",
                "vary": "Origin",
            }
            if origin is not None
            else {}
        )
        if scope["method"] == "OPTIONS":
            await Response(status_code=204, headers=cors)(scope, receive, send)
            return

        async def with_cors(message: Any) -> None:
            if message["type"] == "http.response.start" and cors:
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    *((k.encode(), v.encode()) for k, v in cors.items()),
                ]
            await send(message)

        # An attached file's body is refused past its limit before it is read whole (the
        # desk's own body limit is not there when `run` serves only the widget).
        limit = self.config.max_upload_bytes + (64 << 10) if path == UPLOADS else 256 << 10
        await BodyLimit(self.app, limit=limit)(scope, receive, with_cors)


# Credentials of the HTTP fallback: an anonymous visitor's token, or the signed user id.
Token = Annotated[str | None, Header(alias="X-Widget-Token", max_length=100)]
User = Annotated[str | None, Header(alias="X-Widget-User", max_length=128)]
Signature = Annotated[str | None, Header(alias="X-Widget-Signature", max_length=128)]
SignedAt = Annotated[int | None, Header(alias="X-Widget-Signed-At", ge=0, le=2**40)]
# Percent-encoded (UTF-8): header values are Latin-1, names are often not.
Email = Annotated[str | None, Header(alias="X-Widget-Email", max_length=1000)]
Name = Annotated[str | None, Header(alias="X-Widget-Name", max_length=1000)]


class PageSeen(BaseModel):
    """The page the visitor is on, as their widget tells it (shown to agents once checked:
    ``bot.web.pages.checked_page``; an address too long or of another site is not kept)."""

    url: str = Field(max_length=4000)
    title: str = Field(default="", max_length=1000)


class Hello(BaseModel):
    token: str | None = Field(default=None, max_length=100)
    user_id: str | None = Field(default=None, max_length=128)
    signature: str | None = Field(default=None, max_length=128)
    signed_at: int | None = Field(default=None, ge=0, le=2**40)
    name: str = Field(default="", max_length=100)
    email: str | None = Field(default=None, max_length=200)
    lang: str | None = Field(default=None, max_length=35)
    # A signed-in page: the token this browser chatted with anonymously before, whose chat
    # joins the customer's (``WebChannel.join``).
    visitor_token: str | None = Field(default=None, max_length=100)
    page: PageSeen | None = None


class Refused(BaseModel):
    """Every error the widget's API answers: ``detail`` says why. A message or file that was
    not stored also names its ``client_id`` and a ``reason`` the page has words for (and
    ``token`` when the page must keep a new one)."""

    detail: str
    type: Literal["refused"] | None = None
    client_id: str | None = None
    reason: (
        Literal["empty", "too_long", "rate", "format", "unavailable", "file_size", "file_type"]
        | None
    ) = None
    token: str | None = None


class Acked(BaseModel):
    """A message or file stored (``fresh`` false: stored before, a resend)."""

    type: Literal["ack"]
    client_id: str
    fresh: bool
    token: str | None = Field(default=None, description="keep this token from now on")


class Chat(BaseModel):
    """A visitor's chat: who they are, their token, their history (messages as the socket
    sends them), whether an anonymous chat joined them, and the team-away notice."""

    visitor: str
    token: str | None = None
    history: list[dict[str, Any]]
    joined: bool | None = None
    notice: dict[str, Any] | None = None


class Messages(BaseModel):
    """Messages after ``after`` (``token``: keep this one from now on)."""

    messages: list[dict[str, Any]]
    token: str | None = None


_MEANING = {
    400: "The body could not be read as JSON (or, for a file, as multipart form data).",
    401: "No or a malformed token, or a signed-in visitor whose signature is missing, wrong "
    "or expired.",
    403: "A page of an origin not in widget.allowed_origins.",
    404: "No such file in this visitor's conversation.",
    413: "The body (or the file) is too large.",
    415: "The file is not a JPEG, PNG, WebP or GIF photo or a PDF (told by its first bytes).",
    422: "Invalid input, or a message refused (empty, too long, not a widget command).",
    429: "Too many messages a minute from this visitor or address: send it again later.",
    503: "Not stored just now (the database is away): send it again with the same client_id.",
}


# The 200 answer of GET /widget/api/media/{media_id}: the file as it was kept.
FILE_TYPES = {
    t: {"schema": {"type": "string", "format": "binary"}}
    for t in (*UPLOAD_KINDS, "application/octet-stream")
}


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {s: {"model": Refused, "description": _MEANING[s]} for s in statuses}


def http_hello(
    token: Token = None,
    user: User = None,
    signature: Signature = None,
    signed_at: SignedAt = None,
    email: Email = None,
    name: Name = None,
) -> Hello:
    """The credentials of an HTTP request, as the socket's hello carries them."""
    try:
        return Hello(
            token=token,
            user_id=user,
            signature=signature,
            signed_at=signed_at,
            email=unquote(email) if email else None,
            name=unquote(name or ""),
        )
    except ValueError as exc:
        raise HTTPException(401, "the identity headers are malformed") from exc


Credentials = Annotated[Hello, Depends(http_hello)]

# The menu's commands: the same privacy requests and hand-off as Telegram's command menu.
COMMANDS = ("/agent", "/mydata", "/forget", "/start")


class Sent(BaseModel):
    client_id: str = Field(min_length=1, max_length=64)
    text: str = Field(max_length=20000)
    kind: Literal["text", "button", "command"] = "text"


def add_widget_routes(
    app: FastAPI, channel: WebChannel, config: WidgetConfig, *, metrics: Metrics | None = None
) -> None:
    """Serve the widget on ``app``: /widget.js, /widget/ws and /widget/api/*; ``metrics``
    counts visitors believed by an old-scheme signature."""
    app.add_middleware(WidgetCors, config=config)
    secret = config.identity_secret
    identities = Identities(
        channel=channel,
        secret=secret,
        max_age=config.signature_max_age,
        legacy_signatures=config.legacy_signatures,
        token_secret=config.token_secret,
        metrics=metrics,
    )

    async def who(hello: Hello) -> tuple[Visitor, str | None]:
        return await identities.who(
            token=hello.token,
            user_id=hello.user_id,
            signature=hello.signature,
            signed_at=hello.signed_at,
            name=hello.name,
            email=hello.email,
            language=hello.lang,
        )

    def refusal(text: str, max_chars: int) -> str | None:
        if not text.strip():
            return "empty"
        if len(text) > max_chars:
            return "too_long"
        return None

    async def take(
        visitor: Visitor, address: str, sent: Sent, upload: Upload | None = None
    ) -> dict[str, Any]:
        """Store one message; what the page is told (ack, or why it was refused)."""
        reason = refusal(sent.text, config.max_chars) if upload is None else None
        if reason is None and not (
            await channel.allow(f"v:{visitor.key}", config.visitor_per_minute)
            and await channel.allow(f"a:{address}", config.address_per_minute)
        ):
            reason = "rate"
        if reason is not None:
            # Not stored: the page keeps the message and says why (shorten, or wait a bit).
            return _refused(sent.client_id, reason)
        if sent.kind == "command" and sent.text not in COMMANDS:
            return _refused(sent.client_id, "format")
        kind = {"button": ContentKind.BUTTON, "command": ContentKind.COMMAND}.get(
            sent.kind, ContentKind.TEXT
        )
        try:
            fresh = await channel.receive(
                visitor, client_id=sent.client_id, text=sent.text, kind=kind, upload=upload
            )
        except Exception as exc:  # the adapter's handler: not stored, so not acked; resent
            if not isinstance(exc, StoreUnavailable):
                # A fault of ours, not an outage: its traceback, not only its name.
                logger.error("widget message not stored: %s", type(exc).__name__, exc_info=exc)
            return _refused(sent.client_id, "unavailable")
        return {"type": "ack", "client_id": sent.client_id, "fresh": fresh}

    script_text = SCRIPT.read_text(encoding="utf-8")  # once, not on the loop per request

    @app.get("/widget.js", include_in_schema=False)
    async def script() -> Response:
        body = "window.__crmWidgetConfig=" + json.dumps(config.public()) + ";\n"
        body += script_text
        # Cached briefly: a config change reaches the pages within minutes.
        return Response(
            body,
            media_type="text/javascript; charset=utf-8",
            headers={"Cache-Control": "public, max-age=300"},
        )

    counts = SocketCounts()
    app.state.widget_sockets = counts  # (read by tests and nothing else)

    @app.websocket("/widget/ws")
    async def socket(ws: WebSocket) -> None:
        if not config.allows(ws.headers.get("origin")):
            await ws.close(code=4403, reason="origin not allowed")  # answered 403 by Starlette
            return
        address = ws.client.host if ws.client else "?"
        # Counted from the accept, not the hello: a socket that never says hello holds a slot.
        if not counts.enter(counts.by_address, address, config.sockets_per_address):
            await _too_many(ws, "this address has too many chat connections open")
            return
        try:
            await serve(ws, address)
        finally:
            counts.leave(counts.by_address, address)

    async def serve(ws: WebSocket, address: str) -> None:
        await ws.accept()
        try:
            raw = await asyncio.wait_for(ws.receive_text(), HELLO_SECONDS)
            hello = Hello.model_validate_json(raw)
            visitor, issued = await who(hello)
        except WidgetError as exc:
            await ws.send_json({"type": "error", "code": exc.code, "detail": exc.detail})
            await _close(ws, 4401, exc.code)
            return
        except (TimeoutError, ValueError):
            await _close(ws, 4400, "the first frame must be a hello")
            return
        except WebSocketDisconnect:
            return
        except StoreUnavailable as exc:  # the page reconnects later, backing off
            logger.warning("widget visitor not looked up: %s", type(exc).__name__)
            await _close(ws, 1013, "try again later")
            return
        if not counts.enter(counts.by_visitor, visitor.key, config.sockets_per_visitor):
            await _too_many(ws, "too many chat windows are open; close one")
            return
        try:
            await converse(ws, address, visitor, hello, issued)
        finally:
            counts.leave(counts.by_visitor, visitor.key)

    async def converse(
        ws: WebSocket, address: str, visitor: Visitor, hello: Hello, issued: str | None
    ) -> None:
        lock = asyncio.Lock()
        # The message ids this socket has been sent: a message the catch-up sends again after
        # it came live (or live after the catch-up) is sent once.
        sent: set[int] = set()

        async def push(text: str) -> None:
            async with lock:
                await ws.send_text(text)

        async def push_once(text: str) -> None:
            async with lock:
                number = _message_id(text)
                if number is not None:
                    if number in sent:
                        return
                    sent.add(number)
                await ws.send_text(text)

        source = channel.events(visitor)
        # Subscribed before the history is read: nothing said meanwhile falls in between.
        pusher = asyncio.create_task(_forward(source, push_once))
        tasks: set[asyncio.Task[None]] = {pusher}
        try:
            await asyncio.sleep(0)
            try:
                await channel.link(visitor)
                joined = await join(visitor, hello)
                await note_page(visitor, hello.page)
                history = await channel.history(visitor)
                notice = await channel.team_notice(visitor, hello.lang)
            except Exception as exc:  # the adapter's handler: the page reconnects, and gets it
                logger.warning("widget history unavailable: %s", type(exc).__name__)
                await _close(ws, 1013, "try again later")
                return
            ready = {
                "type": "ready",
                "visitor": visitor.key,
                "token": issued or hello.token,
                "history": history,
                **joined,
                **({"notice": notice} if notice else {}),
            }
            await push(json.dumps(ready, ensure_ascii=False))
            seen = max((int(m["id"]) for m in history), default=0)
            catching_up = asyncio.create_task(_catch_up(channel, visitor, seen, push_once))
            tasks.add(catching_up)
            while True:
                try:
                    raw = await ws.receive_text()
                except KeyError:  # a binary frame: Starlette finds no "text" in it
                    await push(
                        json.dumps({"type": "error", "code": "format", "detail": "frames are text"})
                    )
                    continue
                answer = await _one(raw, visitor, address, take, note_page, visitor_typing)
                if answer is not None:
                    await push(json.dumps(answer, ensure_ascii=False))
        except WebSocketDisconnect:
            pass
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            with contextlib.suppress(Exception):
                await source.aclose()  # type: ignore[attr-defined]

    async def join(visitor: Visitor, hello: Hello) -> dict[str, Any]:
        """A signed-in page's earlier anonymous chat joins the customer; what the page is
        told: ``joined`` true (forget the anonymous token) or null (send it again next
        time), nothing when it sent none."""
        if not hello.visitor_token or visitor.user_id is None:
            return {}
        try:
            return {"joined": await channel.join(visitor, hello.visitor_token)}
        except StoreUnavailable as exc:
            logger.warning("widget visitor not joined yet: %s", type(exc).__name__)
            return {"joined": None}

    async def note_page(visitor: Visitor, page: PageSeen | None) -> bool:
        """Keep the page the visitor is on for agents; False when it is not kept (not a
        page of an allowed origin, or the visitor names pages too often)."""
        checked = page and checked_page(page.url, page.title, allows=config.allows)
        if not checked or not await channel.allow(f"p:{visitor.key}", PAGES_PER_MINUTE):
            return False
        try:
            await remember_page(channel.state, visitor.identity, checked)
        except StoreUnavailable as exc:  # only agents miss it, until the next page
            logger.warning("widget page not kept: %s", type(exc).__name__)
            return False
        return True

    async def visitor_typing(visitor: Visitor) -> None:
        """The visitor types in the panel: desk pages showing their case say so for a few
        seconds (at most ``TYPINGS_PER_MINUTE`` events a visitor; the page sends one every
        3 s while typing). Nothing for a visitor who never wrote (no case to show it on)."""
        try:
            if not await channel.allow(f"t:{visitor.key}", TYPINGS_PER_MINUTE):
                return
            customer = await channel.customer(visitor)
            if customer is not None:
                event = {"type": "typing", "case": None, "customer": customer.id}
                await channel.state.publish(DESK_TOPIC, json.dumps(event))
        except StoreUnavailable as exc:  # only the desk's hint is missed
            logger.debug("visitor typing not told: %s", type(exc).__name__)

    async def visitor_of(hello: Hello) -> tuple[Visitor, str | None]:
        """The visitor of an HTTP request, and the token their page keeps from now on when
        it changed (answered as ``token``: the request is served as that visitor, so a
        message sent with a token the server never issued is kept, not lost)."""
        if not hello.token and not hello.user_id:
            raise HTTPException(401, "send X-Widget-Token (from POST /widget/api/session)")
        try:
            return await who(hello)
        except WidgetError as exc:
            raise HTTPException(401, exc.detail) from exc
        except StoreUnavailable as exc:
            raise HTTPException(503, "try again in a moment") from exc

    def told(answer: dict[str, Any], token: str | None) -> dict[str, Any]:
        return answer if token is None else {**answer, "token": token}

    @app.post(
        "/widget/api/session",
        tags=["widget"],
        responses={200: {"model": Chat}, **_errors(400, 401, 403, 413, 422, 503)},
    )
    async def session(hello: Hello) -> dict[str, Any]:
        """Start or resume a visitor's chat: their token (new when none was sent, or when the
        server did not issue the one sent) and history."""
        try:
            visitor, issued = await who(hello)
        except WidgetError as exc:
            raise HTTPException(401, exc.detail) from exc
        except StoreUnavailable as exc:
            raise HTTPException(503, "try again in a moment") from exc
        await channel.link(visitor)
        joined = await join(visitor, hello)
        await note_page(visitor, hello.page)
        notice = await channel.team_notice(visitor, hello.lang)
        return {
            "visitor": visitor.key,
            "token": issued or hello.token,
            "history": await channel.history(visitor),
            **joined,
            **({"notice": notice} if notice else {}),
        }

    @app.post(
        "/widget/api/messages",
        tags=["widget"],
        responses={200: {"model": Acked}, **_errors(400, 401, 403, 413, 422, 429, 503)},
    )
    async def post_message(
        sent: Sent,
        request: Request,
        credentials: Credentials,
    ) -> JSONResponse:
        """Send one message (the WebSocket's fallback); acknowledged once stored."""
        visitor, token = await visitor_of(credentials)
        address = request.client.host if request.client else "?"
        answer = await take(visitor, address, sent)
        status = {"rate": 429, "unavailable": 503}.get(str(answer.get("reason")), 422)
        code = 200 if answer["type"] == "ack" else status
        return JSONResponse(told(answer, token), status_code=code)

    @app.post(
        "/widget/api/media",
        tags=["widget"],
        responses={200: {"model": Acked}, **_errors(400, 401, 403, 413, 415, 422, 429, 503)},
    )
    async def post_media(
        request: Request,
        file: Annotated[UploadFile, File(description="a JPEG/PNG/WebP/GIF image or a PDF")],
        client_id: Annotated[str, Form(min_length=1, max_length=64)],
        credentials: Credentials,
        caption: Annotated[str, Form(max_length=20000)] = "",
    ) -> JSONResponse:
        """Attach a file (with an optional caption); acknowledged once stored. Its type is
        told by its first bytes, not its name; 413 past ``widget.max_upload_mb``, 415 for
        any other type."""
        visitor, token = await visitor_of(credentials)
        data = await file.read(config.max_upload_bytes + 1)
        reason: str | None = None
        mime = sniff(data)
        if channel.files is None:
            reason = "file_type"  # no place to keep files in this process
        elif len(data) > config.max_upload_bytes:
            reason = "file_size"
        elif mime is None:
            reason = "file_type"
        elif caption and (why := refusal(caption, config.max_chars)) == "too_long":
            reason = why
        if reason is not None or mime is None:
            status = {"file_size": 413, "file_type": 415}.get(reason or "", 422)
            refused = _refused(client_id, reason or "file_type")
            return JSONResponse(told(refused, token), status_code=status)
        name = "".join(c for c in (file.filename or "") if c.isprintable())[:200] or None
        address = request.client.host if request.client else "?"
        sent = Sent(client_id=client_id, text=caption)
        answer = await take(visitor, address, sent, Upload(data, mime, name))
        status = {"rate": 429, "unavailable": 503}.get(str(answer.get("reason")), 422)
        code = 200 if answer["type"] == "ack" else status
        return JSONResponse(told(answer, token), status_code=code)

    @app.get(
        "/widget/api/media/{media_id}",
        tags=["widget"],
        response_class=Response,
        responses={200: {"content": FILE_TYPES}, **_errors(401, 403, 404, 422, 503)},
    )
    async def get_media(
        media_id: Annotated[int, PathParam(ge=1, le=2**62)],
        credentials: Credentials,
    ) -> Response:
        """A file in the visitor's own conversation (theirs or an agent's)."""
        visitor, _ = await visitor_of(credentials)
        try:
            media, data = await channel.file(visitor, media_id)
        except NotFound:
            raise HTTPException(404, "no such file in this conversation") from None
        kind = content_type(media)
        # Images are shown in the panel; anything else is a download, never a page of ours.
        shown = "inline" if kind.startswith("image/") else "attachment"
        name = media.attachment.file_name or f"{media.attachment.kind}-{media.id}"
        safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)
        return Response(
            data,
            media_type=kind,
            headers={
                "Content-Disposition": f'{shown}; filename="{safe}"',
                "X-Content-Type-Options": "nosniff",
                "Cache-Control": "private, max-age=3600",
            },
        )

    @app.get(
        "/widget/api/history",
        tags=["widget"],
        responses={200: {"model": Messages}, **_errors(401, 403, 422, 503)},
    )
    async def get_history(
        request: Request,
        credentials: Credentials,
        after: Annotated[int, Query(ge=0)] = 0,
        wait: Annotated[float, Query(ge=0, le=MAX_WAIT)] = 0.0,
    ) -> dict[str, Any]:
        """Messages after ``after``; with ``wait``, a long poll that answers when one comes."""
        visitor, token = await visitor_of(credentials)
        if token is not None:
            wait = 0.0  # a page told a new token now, not after a long poll
        source = channel.events(visitor) if wait else None
        try:
            found = await channel.history(visitor, after=after)
            if not found and source is not None:
                with contextlib.suppress(TimeoutError, StopAsyncIteration):
                    async with asyncio.timeout(wait):
                        async for data in source:
                            if json.loads(data).get("type") == "message":
                                break
                found = await channel.history(visitor, after=after)
        finally:
            if source is not None:
                await source.aclose()  # type: ignore[attr-defined]
        return told({"messages": found}, token)


async def _one(
    raw: str,
    visitor: Visitor,
    address: str,
    take: Callable[[Visitor, str, Sent], Awaitable[dict[str, Any]]],
    note_page: Callable[[Visitor, PageSeen | None], Awaitable[bool]],
    typing: Callable[[Visitor], Awaitable[None]],
) -> dict[str, Any] | None:
    """One frame from the page, and the answer to it (None: none is due)."""
    try:
        data = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("not an object")
    except ValueError:
        return {"type": "error", "code": "format", "detail": "frames are JSON objects"}
    kind = data.get("type")
    if kind == "ping":
        return {"type": "pong"}
    if kind == "typing":  # shown in the desk; no answer due
        await typing(visitor)
        return None
    if kind == "page":  # the visitor moved to another page of the shop (no answer due)
        try:
            found = {"url": data.get("url"), "title": data.get("title") or ""}
            page = PageSeen.model_validate(found)
        except ValueError:
            return {"type": "error", "code": "format", "detail": "a page frame has a url"}
        await note_page(visitor, page)
        return None
    if kind not in ("message", "button", "command"):
        return {"type": "error", "code": "format", "detail": f"unknown frame type {kind!r}"}
    try:
        sent = Sent.model_validate(
            {
                "client_id": data.get("client_id"),
                "text": data.get("payload") if kind == "button" else data.get("text"),
                "kind": "text" if kind == "message" else kind,
            }
        )
    except ValueError:
        return _refused(str(data.get("client_id"))[:64], "format")
    return await take(visitor, address, sent)


# What a refusal's reason means, for whoever reads the HTTP answer (the panel has its own
# words for each reason, in the visitor's language).
REASONS = {
    "empty": "the message is empty",
    "too_long": "the message is longer than widget.max_message_chars",
    "rate": "too many messages a minute from this visitor or address; send it again later",
    "format": "the message is not one the widget sends (kind, command or client id)",
    "unavailable": "it could not be stored just now; send it again with the same client_id",
    "file_size": "the file is larger than widget.max_upload_mb",
    "file_type": "only JPEG, PNG, WebP and GIF photos and PDF files are accepted (told by "
    "their first bytes)",
}


def _refused(client_id: str, reason: str) -> dict[str, Any]:
    """The answer to a message that was not stored (the page keeps or drops it by reason)."""
    return {
        "type": "refused",
        "client_id": client_id,
        "reason": reason,
        "detail": REASONS.get(reason, reason),
    }


async def _catch_up(
    channel: WebChannel, visitor: Visitor, seen: int, push: Callable[[str], Awaitable[None]]
) -> None:
    """Replies published after the history was read but before a Redis subscription took
    effect would reach the page only at its next load: sent again once (the page shows
    each message id once)."""
    await asyncio.sleep(CATCH_UP)
    try:
        missed = await channel.history(visitor, after=seen)
    except Exception as exc:  # the adapter's handler: the next page load shows them
        logger.warning("widget catch-up skipped: %s", type(exc).__name__)
        return
    for message in missed:
        if message["from"] != "visitor":
            await push(json.dumps(message, ensure_ascii=False))


def _message_id(text: str) -> int | None:
    """The id of a message frame (to send each once), None for any other frame."""
    try:
        frame = json.loads(text)
    except ValueError:
        return None
    if not isinstance(frame, dict) or frame.get("type") != "message":
        return None
    number = frame.get("id")
    return number if isinstance(number, int) else None


async def _forward(source: AsyncIterator[str], push: Callable[[str], Awaitable[None]]) -> None:
    async for data in source:
        await push(data)


class SocketCounts:
    """Open sockets per client address and per visitor in this process; a key is dropped
    when its count falls to zero, so nothing is kept for visitors who left."""

    def __init__(self) -> None:
        self.by_address: dict[str, int] = {}
        self.by_visitor: dict[str, int] = {}

    @staticmethod
    def enter(table: dict[str, int], key: str, limit: int) -> bool:
        """Count one more socket for ``key``; False (not counted) at ``limit``."""
        count = table.get(key, 0)
        if count >= limit:
            return False
        table[key] = count + 1
        return True

    @staticmethod
    def leave(table: dict[str, int], key: str) -> None:
        count = table.get(key, 0) - 1
        if count <= 0:
            table.pop(key, None)
        else:
            table[key] = count


async def _too_many(ws: WebSocket, detail: str) -> None:
    """Refused for a cap: the page is told why, and reconnects later (backing off)."""
    with contextlib.suppress(Exception):
        if ws.application_state is WebSocketState.CONNECTING:
            await ws.accept()
        await ws.send_json({"type": "error", "code": "sockets", "detail": detail})
    await _close(ws, 4429, "too many sockets")


async def _close(ws: WebSocket, code: int, reason: str) -> None:
    if ws.application_state is WebSocketState.CONNECTED:
        with contextlib.suppress(Exception):
            await ws.close(code=code, reason=reason)
