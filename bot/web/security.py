"""ASGI middleware for every response: hardening headers, a CSP nonce, a request body limit."""

from __future__ import annotations

import json
import secrets

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

NONCE = "csp_nonce"  # scope["state"] key: the nonce this response's inline scripts and styles carry


class BodyTooLarge(HTTPException):
    """Raised while reading a body past the limit; answered 413 with the API's error shape."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the body is larger than {limit} bytes (web.max_body_bytes)")


class BodyLimit:
    """Refuses bodies over ``limit`` bytes: by Content-Length before anything is read, and while
    a chunked body streams in, so an oversized body is never held whole in memory."""

    def __init__(self, app: ASGIApp, *, limit: int, upload_limit: int | None = None) -> None:
        self.app = app
        self.limit = limit
        # Media uploads (paths ending in /media) may be larger: up to media.max_file_mb.
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit
        if self.upload_limit is not None and str(scope.get("path", "")).endswith("/media"):
            limit = max(limit, self.upload_limit)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _problem(send, BodyTooLarge(limit))
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)  # the app's handlers answer it (413)
            return message

        await self.app(scope, counted, send)


class Hardening:
    """Security headers on every response, and a fresh CSP nonce per request for the pages'
    inline ``<script>``/``<style>`` (templates read it as ``request.state.csp_nonce``)."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(18)
        scope.setdefault("state", {})[NONCE] = nonce

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers(nonce).items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)

    def headers(self, nonce: str) -> dict[str, str]:
        found = {
            "Content-Security-Policy": "; ".join(
                (
                    "default-src 'self'",
                    f"script-src 'nonce-{nonce}'",
                    f"style-src 'nonce-{nonce}'",
                    "img-src 'self' data:",
                    "connect-src 'self'",
                    "object-src 'none'",
                    "base-uri 'none'",
                    "form-action 'self'",
                    "frame-ancestors 'none'",
                )
            ),
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            # Customers' data is in every page and API answer: never kept by a browser or proxy.
            "Cache-Control": "no-store",
            "Cross-Origin-Opener-Policy": "same-origin",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
        }
        if self.hsts:
            found["Strict-Transport-Security"] = "max-age=31536000"
        return found


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _problem(send: Send, error: HTTPException) -> None:
    body = json.dumps({"detail": error.detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": error.status_code,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
