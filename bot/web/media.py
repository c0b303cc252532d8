"""Media in the desk and API: customers' files served to agents, agents' uploads sent natively."""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Form, HTTPException, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from bot.cli_support import jsonable
from bot.media_cache import MediaCache, MediaError, TooLarge, Unavailable, content_type
from bot.web.auth import Principal
from bot.web.contract import CaseNumber, MediaId, errors
from crm_memory import Attachment, Media, MediaKind, MediaStore, Message, NotFound
from handlers.agents import AgentService, NotSent

# What the desk accepts, and as what it reaches the customer: a photo stays a photo, an OGG
# voice recording a voice note, anything else a file. Each checked by its first bytes too.
UPLOADS: dict[str, MediaKind] = {
    "image/jpeg": MediaKind.PHOTO,
    "image/png": MediaKind.PHOTO,
    "application/pdf": MediaKind.DOCUMENT,
    "text/plain": MediaKind.DOCUMENT,
    "audio/ogg": MediaKind.VOICE,
    "audio/mpeg": MediaKind.AUDIO,
    "video/mp4": MediaKind.VIDEO,
}
SHOWN_INLINE = ("image/", "audio/", "video/")
# The 200 answer of GET /api/media/{media_id}: whatever the file is.
FILE_TYPES = {
    t: {"schema": {"type": "string", "format": "binary"}}
    for t in ("image/*", "audio/*", "video/*", "application/*", "text/plain")
}


def looks_like(data: bytes, mime: str) -> bool:
    """True when the first bytes agree with the declared type (a renamed .exe is refused)."""
    if mime == "image/jpeg":
        return data.startswith(b"\xff\xd8\xff")
    if mime == "image/png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if mime == "application/pdf":
        return data.startswith(b"%PDF-")
    if mime == "audio/ogg":
        return data.startswith(b"OggS")
    if mime == "audio/mpeg":
        return data.startswith(b"ID3") or (len(data) > 1 and data[0] == 0xFF and data[1] >= 0xE0)
    if mime == "video/mp4":
        return data[4:8] == b"ftyp"
    if mime == "text/plain":
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return b"\x00" not in data
    return False


async def media_of(store: MediaStore | None, messages: Sequence[Message]) -> dict[int, Media]:
    """The attachments of these messages, by message id (for the desk's conversation)."""
    if store is None or not messages:
        return {}
    found: dict[int, Media] = {}
    for customer_id in {m.customer_id for m in messages}:
        for media in await store.for_customer(customer_id):
            found[media.message_id] = media
    return found


@dataclass(frozen=True, slots=True)
class MediaRoutes:
    """What the media routes work with (given by create_app)."""

    store: MediaStore
    cache: MediaCache
    agents: AgentService
    audit: Callable[[Principal, str, int | None, str], Awaitable[None]]
    case_changed: Callable[[int], Awaitable[None]]


def add_media_routes(
    app: FastAPI, routes: MediaRoutes, *, agent: Callable[..., Awaitable[Principal]]
) -> None:
    """GET /api/media/{media_id}, POST /api/cases/{number}/media and the desk's upload form."""

    async def serve(media_id: int, who: Principal) -> Response:
        try:
            media = await routes.store.get(media_id)
        except NotFound:
            raise HTTPException(404, f"no media with id {media_id}") from None
        if media.forgotten:
            raise HTTPException(410, "this file was erased or expired")
        try:
            data = await routes.cache.read(media)
        except TooLarge as exc:
            raise HTTPException(409, str(exc)) from None
        except Unavailable as exc:
            raise HTTPException(502, str(exc)) from None
        except MediaError as exc:
            raise HTTPException(409, str(exc)) from None
        await routes.audit(who, "view", media.customer_id, f"media #{media_id}")
        kind = content_type(media)
        name = media.attachment.file_name or f"{media.attachment.kind}-{media.id}"
        shown = "inline" if kind.startswith(SHOWN_INLINE) else "attachment"
        safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in name)
        return Response(
            data,
            media_type=kind,
            headers={"Content-Disposition": f'{shown}; filename="{safe}"'},
        )

    @app.get(
        "/api/media/{media_id}",
        tags=["media"],
        response_class=Response,
        responses={200: {"content": FILE_TYPES}, **errors(401, 404, 409, 410, 422, 502)},
    )
    async def get_media(media_id: MediaId, who: Annotated[Principal, Depends(agent)]) -> Response:
        """A customer's (or an agent's) photo, file or voice note: fetched from the Bot API
        at first, then from the desk's cache."""
        return await serve(media_id, who)

    async def upload(
        number: int, who: Principal, file: UploadFile, caption: str
    ) -> tuple[Media, str | None]:
        """The media sent (or kept to send), and why it waits when it is not sent yet."""
        mime = (file.content_type or "").split(";")[0].strip().lower()
        if mime not in UPLOADS:
            allowed = ", ".join(UPLOADS)
            raise HTTPException(415, f"file: {mime or 'no type'} is not accepted ({allowed})")
        data = await file.read(routes.cache.max_file_bytes + 1)
        if len(data) > routes.cache.max_file_bytes:
            mb = routes.cache.max_file_bytes // (1 << 20)
            raise HTTPException(413, f"file: larger than {mb} MB")
        if not data:
            raise HTTPException(422, "file: empty")
        if not looks_like(data, mime):
            raise HTTPException(415, f"file: its content is not {mime}")
        if len(caption) > 1024:
            raise HTTPException(422, "caption: at most 1024 characters")
        attachment = Attachment(
            kind=UPLOADS[mime],
            mime_type=mime,
            size=len(data),
            file_name=(file.filename or "")[:200] or None,
            caption=caption.strip(),
        )
        kept: list[Media] = []

        async def keep(media: Media) -> None:
            # Cached before it is delivered: the desk shows it from here without asking
            # Telegram, and a desk without Telegram keeps it until the bot sends it.
            await routes.cache.put(media.id, data, at=media.created_at)
            kept.append(media)

        try:
            sent = await routes.agents.send_media(
                number, who.name, attachment, upload=data, stored=keep
            )
        except NotSent as exc:
            if not kept:
                raise
            # Recorded with its file: `python -m bot run` sends it when it starts.
            await routes.case_changed(number)
            return kept[0], str(exc)
        await routes.case_changed(number)
        if sent is None:
            raise HTTPException(409, "media are not stored in this deployment")
        return sent, None

    @app.post(
        "/api/cases/{number}/media",
        tags=["cases"],
        status_code=201,
        # 400: a multipart body that cannot be read as one.
        responses={
            202: {"description": "Kept, not sent yet: no Telegram here; `run` sends it"},
            **errors(400, 401, 403, 404, 409, 413, 415, 422),
        },
    )
    async def post_media(
        number: CaseNumber,
        who: Annotated[Principal, Depends(agent)],
        file: Annotated[UploadFile, File(description="JPEG/PNG photo, PDF, text, OGG voice…")],
        caption: Annotated[str, Form(max_length=1024)] = "",
    ) -> Any:
        """Send a photo, file or voice note to the case's customer, natively (a photo as a
        photo, an OGG recording as a voice note), with an optional caption. 202 with
        ``pending`` when this desk runs without Telegram: the file is kept and sent when
        the bot starts."""
        media, pending = await upload(number, who, file, caption)
        body = dict(jsonable(media))
        if pending is None:
            return body
        return JSONResponse({**body, "pending": pending}, status_code=202)

    @app.post("/desk/cases/{number}/media", include_in_schema=False)
    async def desk_media(
        number: CaseNumber,
        who: Annotated[Principal, Depends(agent)],
        file: Annotated[UploadFile, File()],
        caption: Annotated[str, Form(max_length=1024)] = "",
    ) -> RedirectResponse:
        # Not sent yet (no Telegram here): kept, and `python -m bot run` sends it at start.
        await upload(number, who, file, caption)
        return RedirectResponse(f"/desk/cases/{number}", status_code=303)
