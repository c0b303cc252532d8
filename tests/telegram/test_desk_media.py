"""The desk's media: files fetched from the Bot API (getFile + download) through an
authenticated, audited endpoint and cached under a limit; uploads sent to the customer
natively; erasure deletes the copies."""

from __future__ import annotations

import asyncio
import base64
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx
import pytest

from bot.app import (
    NotConnected,
    Services,
    Stores,
    build_media_cache,
    build_telegram,
    build_web,
    serve_web,
)
from bot.config import Settings
from bot.media_cache import MediaCache
from bot.telegram_media import TelegramFiles
from bot.web.app import WebContext, create_app
from bot.web.auth import Authenticator, hash_password
from bot.web.events import WebDesk
from crm_memory import (
    Attachment,
    ChannelIdentity,
    MediaKind,
    Role,
    SqlDatabase,
)
from handlers.agents import AgentService
from handlers.desk import Desks
from handlers.dispatcher import Dispatcher
from handlers.privacy import erase_customer, export_customer
from handlers.types import ContentKind, InboundMessage, Reply
from tests.browser import launch, needs_chromium
from tests.ports import free_port, until_listening
from tests.telegram.standin import BotApiStandIn, photo, voice
from tests.telegram.test_handoff import AGENTS, MARIA

PASSWORD = "correct horse battery"
ANNA = 501
# A real 1x1 JPEG (browsers decode it), and the first bytes of an OGG voice note.
JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////"
    "////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQAB"
    "PxA="
)
OGG = b"OggS\x00\x02" + bytes(200)


@dataclass
class Outbox:
    """What the desk delivered to customers (``offline``: a desk running without Telegram)."""

    sent: list[tuple[str, Reply]] = field(default_factory=list)
    offline: bool = False

    async def deliver(self, identity: ChannelIdentity, reply: Reply) -> None:
        if self.offline:
            await NotConnected().deliver(identity, reply)
        self.sent.append((str(identity), reply))


@dataclass
class Desk:
    client: httpx.AsyncClient
    db: SqlDatabase
    outbox: Outbox
    cache: MediaCache
    dispatcher: Dispatcher


@pytest.fixture
async def desk(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase, tmp_path: Path
) -> AsyncIterator[Desk]:
    deps = dispatcher.deps
    outbox = Outbox()
    files = TelegramFiles(token=api.token, base_url=api.base_url, base_file_url=api.base_file_url)
    cache = MediaCache(
        directory=tmp_path / "media", max_bytes=1 << 20, max_file_bytes=64 << 10, fetcher=files
    )
    # Wired as bot.app wires it: erasure anywhere deletes the desk's copies.
    deps = dispatcher.deps = replace(deps, media_files=cache)
    app = create_app(
        WebContext(
            db=sqlite_db,
            state=deps.state,
            deps=deps,
            agents=AgentService(deps=deps, outbox=outbox),
            auth=Authenticator(accounts=sqlite_db.accounts, state=deps.state, attempts=3),
            events=WebDesk(deps.state),
            company="Acme Home",
            media_cache=cache,
        )
    )
    await sqlite_db.accounts.add_agent(
        "maria", password_hash=hash_password(PASSWORD), role=Role.AGENT
    )
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as client:
        yield Desk(client, sqlite_db, outbox, cache, dispatcher)
    await files.close()


async def _login(desk: Desk) -> str:
    form = await desk.client.get("/login")
    found = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert found is not None
    data = {"name": "maria", "password": PASSWORD, "csrf": found.group(1)}
    assert (await desk.client.post("/login", data=data)).status_code == 303
    page = await desk.client.get("/desk")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    return csrf.group(1)


async def _customer_sends(desk: Desk, number: int, kind: MediaKind, file_id: str) -> None:
    mime = {MediaKind.PHOTO: None, MediaKind.VOICE: "audio/ogg"}.get(kind)
    await desk.dispatcher.handle(
        InboundMessage(
            channel="telegram",
            user_id=str(ANNA),
            text="",
            display_name="Anna",
            message_id=f"{ANNA}:{number}",
            kind=ContentKind.PHOTO if kind is MediaKind.PHOTO else ContentKind.VOICE,
            media=Attachment(
                kind=kind,
                file_id=file_id,
                file_unique_id=f"u{file_id}",
                mime_type=mime,
                source=f"{ANNA}:{number}",
            ),
        )
    )


async def _escalated(desk: Desk) -> int:
    """Anna asks for a person, then sends a photo and a voice note; the case number."""
    await desk.dispatcher.handle(
        InboundMessage("telegram", str(ANNA), "I want to talk to a human", "Anna", "en", "501:1")
    )
    await _customer_sends(desk, 2, MediaKind.PHOTO, "ph-anna")
    await _customer_sends(desk, 3, MediaKind.VOICE, "vo-anna")
    (case,) = await desk.db.cases.all()
    return case.number


async def test_the_desk_serves_a_customers_files_to_agents_only(
    api: BotApiStandIn, desk: Desk
) -> None:
    api.files.update({"ph-anna": JPEG, "vo-anna": OGG})
    number = await _escalated(desk)
    photo, voice = await desk.db.media.for_case(number)

    refused = await desk.client.get(f"/api/media/{photo.id}")
    assert refused.status_code == 401 and refused.json() == {
        "detail": "sign in or send a valid token"
    }
    assert api.downloads == []  # nothing fetched for a stranger

    await _login(desk)
    shown = await desk.client.get(f"/api/media/{photo.id}")
    assert shown.status_code == 200, shown.text
    assert shown.headers["content-type"] == "image/jpeg" and shown.content == JPEG
    assert shown.headers["content-disposition"].startswith("inline")
    heard = await desk.client.get(f"/api/media/{voice.id}")
    assert heard.headers["content-type"] == "audio/ogg" and heard.content == OGG
    assert [c[0] for c in api.calls if c[0] == "getFile"] == ["getFile", "getFile"]
    # Shown again: from the cache, Telegram is not asked twice.
    again = await desk.client.get(f"/api/media/{photo.id}")
    assert again.content == JPEG and len(api.downloads) == 2
    assert desk.cache.size() == len(JPEG) + len(OGG)
    viewed = [e.detail for e in await desk.db.audit.entries(limit=20)]
    assert f"media #{photo.id}" in viewed and f"media #{voice.id}" in viewed

    # The case page shows the photo inline and the voice note playable.
    page = await desk.client.get(f"/desk/cases/{number}")
    assert f'<img src="/api/media/{photo.id}"' in page.text
    assert f'<audio controls preload="none" src="/api/media/{voice.id}">' in page.text

    assert (await desk.client.get("/api/media/999")).status_code == 404
    # The customer's export lists their files (kind, type, size, caption), not the bytes.
    exported = await export_customer(desk.dispatcher.deps, photo.customer_id)
    assert [m.attachment.kind for m in exported.media] == [MediaKind.PHOTO, MediaKind.VOICE]
    # Erasure: the copies are deleted and the file ids forgotten; the file is gone for good.
    await erase_customer(desk.dispatcher.deps, photo.customer_id)
    assert desk.cache.size() == 0
    assert (await desk.db.media.get(photo.id)).attachment.file_id == ""
    assert (await desk.client.get(f"/api/media/{photo.id}")).status_code == 410


async def test_a_file_telegram_no_longer_has_is_a_clear_error(
    api: BotApiStandIn, desk: Desk
) -> None:
    number = await _escalated(desk)  # api.files is empty: getFile answers 400
    photo, _ = await desk.db.media.for_case(number)
    await _login(desk)
    answer = await desk.client.get(f"/api/media/{photo.id}")
    assert answer.status_code == 502 and "Invalid file_id" in answer.json()["detail"]


async def test_an_upload_from_the_desk_reaches_the_customer_natively(
    api: BotApiStandIn, desk: Desk
) -> None:
    number = await _escalated(desk)
    csrf = await _login(desk)
    headers = {"X-CSRF-Token": csrf}
    sent = await desk.client.post(
        f"/api/cases/{number}/media",
        files={"file": ("label.jpg", JPEG, "image/jpeg")},
        data={"caption": "your return label 退货标签"},
        headers=headers,
    )
    assert sent.status_code == 201, sent.text
    ((to, reply),) = desk.outbox.sent[-1:]
    assert to == f"telegram:{ANNA}"
    assert reply.media is not None and reply.media.kind is MediaKind.PHOTO
    assert reply.upload == JPEG and reply.text == "your return label 退货标签"
    media = await desk.db.media.get(sent.json()["id"])
    assert media.case_number == number and media.attachment.file_name == "label.jpg"
    # Shown in the desk from the cache: Telegram is not asked for it.
    assert (await desk.client.get(f"/api/media/{media.id}")).content == JPEG
    assert api.downloads == []

    voice = await desk.client.post(
        f"/api/cases/{number}/media",
        files={"file": ("note.ogg", OGG, "audio/ogg")},
        headers=headers,
    )
    assert voice.status_code == 201
    assert desk.outbox.sent[-1][1].media.kind is MediaKind.VOICE  # type: ignore[union-attr]

    # Refused with the reason: a program called a photo, an unknown type, too large, no CSRF.
    fake = await desk.client.post(
        f"/api/cases/{number}/media",
        files={"file": ("cat.jpg", b"MZ\x90\x00 not a picture", "image/jpeg")},
        headers=headers,
    )
    assert fake.status_code == 415 and "not image/jpeg" in fake.json()["detail"]
    exe = await desk.client.post(
        f"/api/cases/{number}/media",
        files={"file": ("setup.exe", b"MZ", "application/x-msdownload")},
        headers=headers,
    )
    assert exe.status_code == 415
    big = await desk.client.post(
        f"/api/cases/{number}/media",
        files={"file": ("big.pdf", b"%PDF-" + bytes(70 << 10), "application/pdf")},
        headers=headers,
    )
    assert big.status_code == 413
    forged = await desk.client.post(
        f"/api/cases/{number}/media", files={"file": ("a.jpg", JPEG, "image/jpeg")}
    )
    assert forged.status_code == 403
    assert len([r for _, r in desk.outbox.sent if r.media is not None]) == 2


@needs_chromium
async def test_the_browser_shows_a_customers_photo_and_sends_one_back(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase, tmp_path: Path
) -> None:
    """Playwright in Chromium: the customer's photo is shown (decoded, not a broken image),
    the voice note has a player, and a photo uploaded in the desk reaches Telegram natively."""
    from playwright.async_api import async_playwright

    port = free_port()
    settings = Settings(
        telegram={
            "token": api.token,
            "base_url": api.base_url,
            "base_file_url": api.base_file_url,
        },
        agents={"chat_id": AGENTS, "user_ids": [MARIA]},
        web={"enabled": True, "port": port},
        media={"cache_dir": str(tmp_path / "media")},
    )
    services = Services(
        stores=Stores(db=sqlite_db, state=dispatcher.deps.state), dispatcher=dispatcher
    )
    dispatcher.deps = replace(dispatcher.deps, media_files=build_media_cache(settings))
    channel = build_telegram(settings, services, poll_timeout=0)
    await channel.start()
    app, events = build_web(settings, services, outbox=channel, eraser=dispatcher.deps.desk)
    assert dispatcher.deps.desk is not None
    dispatcher.attach_desk(Desks(dispatcher.deps.desk, events))
    await sqlite_db.accounts.add_agent("Li", password_hash=hash_password(PASSWORD), role=Role.AGENT)
    stop = asyncio.Event()
    server = asyncio.create_task(serve_web(settings, app, stop))
    url = f"http://127.0.0.1:{port}"
    api.files.update({"ph-kettle": JPEG, "vo-kettle": OGG})
    try:
        await until_listening(port)
        api.customer_says(ANNA, "the kettle leaks, I want to talk to a human")
        api.customer_sends(ANNA, photo("ph-kettle"), caption="see the crack")
        api.customer_sends(ANNA, voice("vo-kettle"))
        await channel.poll_once()
        async with async_playwright() as p:
            browser = await launch(p)
            try:
                page = await browser.new_page()
                await page.goto(f"{url}/desk")
                await page.fill("input[name=name]", "Li")
                await page.fill("input[name=password]", PASSWORD)
                await page.click("button[type=submit]")
                await page.wait_for_url(f"{url}/desk")
                await page.goto(f"{url}/desk/cases/1")
                image = page.locator("#messages .media-photo img")
                await image.wait_for(timeout=10_000)
                decoded = await image.evaluate(
                    "img => img.decode().then(() => img.naturalWidth, () => 0)"
                )
                assert decoded == 1  # the 1x1 JPEG came through with its type, and decodes
                player = page.locator("#messages .media-voice audio")
                assert await player.get_attribute("controls") is not None
                heard = await player.evaluate(
                    "a => fetch(a.src).then(r => [r.status, r.headers.get('content-type')])"
                )
                assert heard == [200, "audio/ogg"]

                upload = tmp_path / "label.jpg"
                upload.write_bytes(JPEG)
                await page.set_input_files("#send-media input[type=file]", str(upload))
                await page.fill("#send-media input[name=caption]", "your return label")
                await page.click("#send-media button")
                await page.wait_for_url(f"{url}/desk/cases/1")
                await api.wait_for(lambda: any(s.method == "sendPhoto" for s in api.to(ANNA)))
                (sent,) = [s for s in api.to(ANNA) if s.method == "sendPhoto"]
                assert sent.text == "your return label"
                assert api.uploads[sent.message_id][2] == JPEG
            finally:
                await browser.close()
    finally:
        stop.set()
        await server
        await channel.stop()


async def test_an_uploads_telegram_file_id_is_kept_so_the_desk_shows_it_after_eviction(
    api: BotApiStandIn, dispatcher: Dispatcher, sqlite_db: SqlDatabase, tmp_path: Path
) -> None:
    settings = Settings(
        telegram={"token": api.token, "base_url": api.base_url, "base_file_url": api.base_file_url},
        media={"cache_dir": str(tmp_path / "media")},
    )
    services = Services(
        stores=Stores(db=sqlite_db, state=dispatcher.deps.state), dispatcher=dispatcher
    )
    cache = build_media_cache(settings)
    dispatcher.deps = replace(dispatcher.deps, media_files=cache)
    channel = build_telegram(settings, services, poll_timeout=0)
    await channel.app.initialize()
    try:
        await dispatcher.handle(
            InboundMessage("telegram", str(ANNA), "I want to talk to a human", "Anna", "en", "1")
        )
        (case,) = await sqlite_db.cases.all()
        label = Attachment(
            kind=MediaKind.PHOTO, mime_type="image/jpeg", size=len(JPEG), file_name="label.jpg"
        )
        agents = AgentService(deps=dispatcher.deps, outbox=channel)
        stored = await agents.send_media(case.number, "maria", label, upload=JPEG)
        assert stored is not None
        (sent,) = [s for s in api.to(ANNA) if s.method == "sendPhoto"]
        # The file Telegram made of the bytes is the one the media row names now.
        media = await sqlite_db.media.get(stored.id)
        assert media.attachment.file_id == f"up{sent.message_id}"
        # No copy cached (evicted): the desk fetches it from Telegram by that id.
        assert cache.drop([media.id]) == 0
        assert await cache.read(media) == JPEG
        assert api.downloads
    finally:
        await channel.app.shutdown()
        await cache.close()


async def test_an_upload_in_a_desk_without_telegram_is_kept_and_sent_when_the_bot_starts(
    api: BotApiStandIn, desk: Desk, tmp_path: Path
) -> None:
    desk.outbox.offline = True
    number = await _escalated(desk)
    csrf = await _login(desk)
    answer = await desk.client.post(
        f"/api/cases/{number}/media",
        files={"file": ("label.jpg", JPEG, "image/jpeg")},
        data={"caption": "your return label"},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 202, answer.text
    assert "not sent yet" in answer.json()["pending"]
    media = await desk.db.media.get(answer.json()["id"])
    # Kept: the row (waiting, unsent) and the bytes, shown in the desk meanwhile.
    assert await desk.cache.cached(media.id) == JPEG
    assert (await desk.client.get(f"/api/media/{media.id}")).content == JPEG
    assert media.message_id in [m.id for m in await desk.db.messages.unsent()]

    # The bot starts: the photo reaches Anna natively, from the kept bytes, once.
    settings = Settings(
        telegram={"token": api.token, "base_url": api.base_url, "base_file_url": api.base_file_url},
        media={"cache_dir": str(tmp_path / "media")},
    )
    dispatcher = desk.dispatcher
    services = Services(
        stores=Stores(db=desk.db, state=dispatcher.deps.state), dispatcher=dispatcher
    )
    channel = build_telegram(settings, services, poll_timeout=0)
    await channel.app.initialize()
    try:
        await channel.resend_unsent()
    finally:
        await channel.app.shutdown()
    (sent,) = [s for s in api.to(ANNA) if s.method == "sendPhoto"]
    assert sent.text == "your return label" and api.uploads[sent.message_id][2] == JPEG
    assert (await desk.db.media.get(media.id)).attachment.file_id == f"up{sent.message_id}"
    assert await desk.db.messages.unsent() == []
