"""Files a visitor attaches in the widget: told by their bytes, kept before the ack, stored as
media rows like Telegram's, shown back to their visitor only, refused with a reason, erased."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace

import httpx

from bot.web.widget import REASONS
from bot.web_channel import sniff
from crm_memory import ChannelIdentity, MediaKind
from handlers.privacy import erase_customer
from tests.bot import test_widget
from tests.bot.test_widget import SHOP, Widget

widget = test_widget.widget  # the same served widget fixture


def png(width: int = 2, height: int = 2) -> bytes:
    """A real, tiny PNG (a browser shows it; Telegram would take it as a photo)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def _session(http: httpx.AsyncClient) -> str:
    started = await http.post("/widget/api/session", json={"lang": "en"})
    assert started.status_code == 200, started.text
    return str(started.json()["token"])


async def _upload(
    http: httpx.AsyncClient,
    token: str,
    data: bytes,
    *,
    name: str,
    mime: str,
    client_id: str = "f1",
    caption: str = "",
) -> httpx.Response:
    return await http.post(
        "/widget/api/media",
        headers={"X-Widget-Token": token},
        data={"client_id": client_id, "caption": caption},
        files={"file": (name, data, mime)},
    )


def test_types_are_told_by_their_first_bytes() -> None:
    assert sniff(png()) == "image/png"
    assert sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF") == "image/jpeg"
    assert sniff(b"GIF89a\x01\x00") == "image/gif"
    assert sniff(b"RIFF\x24\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(PDF) == "application/pdf"
    assert sniff(b"MZ\x90\x00 a program") is None
    assert sniff(b"<svg onload=alert(1)>") is None
    assert sniff(b"") is None


async def test_a_photo_is_kept_acked_stored_as_media_and_shown_back(widget: Widget) -> None:
    image = png()
    async with httpx.AsyncClient(base_url=widget.url, headers={"Origin": SHOP}) as http:
        token = await _session(http)
        sent = await _upload(
            http, token, image, name="broken kettle.png", mime="image/png", caption="it leaks"
        )
        assert sent.status_code == 200, sent.text
        assert sent.json() == {"type": "ack", "client_id": "f1", "fresh": True}
        await widget.channel.idle()
        # The page resends after a lost answer: the same message, stored once.
        again = await _upload(http, token, image, name="broken kettle.png", mime="image/png")
        assert again.json()["fresh"] is False
        await widget.channel.idle()

        history = (await http.get("/widget/api/history", headers={"X-Widget-Token": token})).json()
        (mine,) = [m for m in history["messages"] if m["from"] == "visitor"]
        assert mine["client_id"] == "f1" and mine["text"] == "[photo] it leaks"
        assert mine["file"]["mime"] == "image/png" and mine["file"]["name"] == "broken kettle.png"
        shown = await http.get(
            f"/widget/api/media/{mine['file']['id']}", headers={"X-Widget-Token": token}
        )
        assert shown.status_code == 200 and shown.content == image
        assert shown.headers["content-type"] == "image/png"
        assert shown.headers["x-content-type-options"] == "nosniff"

        # Another visitor (a customer too: they wrote) cannot read it, guessing ids or not.
        other = await _session(http)
        wrote = await http.post(
            "/widget/api/messages",
            headers={"X-Widget-Token": other},
            json={"client_id": "o1", "text": "hello"},
        )
        assert wrote.status_code == 200, wrote.text
        await widget.channel.idle()
        peeked = await http.get(
            f"/widget/api/media/{mine['file']['id']}", headers={"X-Widget-Token": other}
        )
        assert peeked.status_code == 404

    customer = next(iter(await widget.db.customers.all_customers()))
    (media,) = await widget.db.media.for_customer(customer.id)
    assert media.attachment.kind is MediaKind.PHOTO and media.attachment.size == len(image)
    assert media.attachment.caption == "it leaks"
    # The desk reads it through its cache as it reads Telegram's files.
    assert widget.channel.files is not None
    assert await widget.channel.files.read(media) == image


async def test_a_pdf_is_a_file_and_a_bare_one_is_not_lost(widget: Widget) -> None:
    async with httpx.AsyncClient(base_url=widget.url, headers={"Origin": SHOP}) as http:
        token = await _session(http)
        sent = await _upload(http, token, PDF, name="invoice.pdf", mime="application/pdf")
        assert sent.status_code == 200, sent.text
        await widget.channel.idle()
        history = (await http.get("/widget/api/history", headers={"X-Widget-Token": token})).json()
    texts = [m["text"] for m in history["messages"]]
    assert "[document] invoice.pdf" in texts
    # Answered as Telegram answers a file outside a case: told it was kept.
    assert any(m["from"] == "bot" for m in history["messages"])
    (doc,) = [m for m in history["messages"] if m["from"] == "visitor"]
    assert doc["file"]["kind"] == "document" and doc["file"]["mime"] == "application/pdf"


async def test_refused_types_and_sizes_say_why_and_store_nothing(widget: Widget) -> None:
    async with httpx.AsyncClient(base_url=widget.url, headers={"Origin": SHOP}) as http:
        token = await _session(http)
        # A program renamed to .png and declared image/png: its bytes say otherwise.
        renamed = await _upload(http, token, b"MZ\x90\x00program", name="cat.png", mime="image/png")
        assert renamed.status_code == 415
        assert renamed.json() == {
            "type": "refused",
            "client_id": "f1",
            "reason": "file_type",
            "detail": REASONS["file_type"],
        }
        svg = await _upload(http, token, b"<svg onload=alert(1)/>", name="x.svg", mime="image/svg")
        assert svg.json()["reason"] == "file_type"
        limit = 10 << 20
        huge = b"\x89PNG\r\n\x1a\n" + b"\x00" * limit
        too_big = await _upload(http, token, huge, name="huge.png", mime="image/png")
        assert too_big.status_code == 413
        assert too_big.json()["reason"] == "file_size"
        await widget.channel.idle()
    # An anonymous visitor becomes a customer with their first stored message: none was.
    assert await widget.db.customers.find(ChannelIdentity("web", _key(token))) is None
    assert widget.channel.files is not None
    assert not list((widget.channel.files.directory / "uploads").glob("*.bin"))


async def test_erasure_deletes_the_kept_file(widget: Widget) -> None:
    async with httpx.AsyncClient(base_url=widget.url, headers={"Origin": SHOP}) as http:
        token = await _session(http)
        assert (await _upload(http, token, png(), name="a.png", mime="image/png")).is_success
        await widget.channel.idle()
        customer = next(iter(await widget.db.customers.all_customers()))
        (media,) = await widget.db.media.for_customer(customer.id)
        assert widget.channel.files is not None
        kept = list((widget.channel.files.directory / "uploads").glob("*.bin"))
        assert len(kept) == 1
        deps = widget.channel._dispatcher.deps
        await erase_customer(replace(deps, media_files=widget.channel.files), customer.id)
        assert not kept[0].exists()
        gone = await http.get(f"/widget/api/media/{media.id}", headers={"X-Widget-Token": token})
        assert gone.status_code == 404


def _key(token: str) -> str:
    from bot.web_channel import visitor_key

    return visitor_key(token)
