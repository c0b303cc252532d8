"""The MediaStore contract on every SQL backend: one attachment per message, by customer and
case, attached to a case later, refused for a message that does not exist."""

from __future__ import annotations

import pytest

from crm_memory import (
    Attachment,
    ChannelIdentity,
    Direction,
    MediaKind,
    NotFound,
    Sender,
    SqlDatabase,
)

VOICE = Attachment(
    kind=MediaKind.VOICE,
    file_id="AwACAgIAAxkBAAIBZ2",
    file_unique_id="AgADvoice",
    mime_type="audio/ogg",
    size=6400,
    caption="听一下这个声音，开机就咔咔响",
    source="77:5",
)


async def _message(db: SqlDatabase, external: str) -> tuple[int, int]:
    customer, _ = await db.customers.get_or_create(
        ChannelIdentity("telegram", "77"), display_name="王芳"
    )
    stored, _ = await db.messages.record(
        customer_id=customer.id,
        channel="telegram",
        direction=Direction.IN,
        sender=Sender.CUSTOMER,
        text=VOICE.marker(),
        external_id=external,
    )
    return customer.id, stored.id


async def test_an_attachment_is_stored_once_per_message(db: SqlDatabase) -> None:
    cid, mid = await _message(db, "77:5")
    first = await db.media.add(message_id=mid, customer_id=cid, attachment=VOICE, case_number=None)
    again = await db.media.add(message_id=mid, customer_id=cid, attachment=VOICE, case_number=3)
    assert again.id == first.id and again.case_number is None
    assert first.attachment == VOICE and not first.forgotten
    assert await db.media.for_message(mid) == first
    assert await db.media.get(first.id) == first
    assert [m.id for m in await db.media.for_customer(cid)] == [first.id]


async def test_media_is_attached_to_a_case_later(db: SqlDatabase) -> None:
    cid, mid = await _message(db, "77:6")
    kept = await db.media.add(message_id=mid, customer_id=cid, attachment=VOICE, case_number=None)
    assert await db.media.for_case(12) == []
    attached = await db.media.attach(kept.id, 12)
    assert attached.case_number == 12
    assert [m.id for m in await db.media.for_case(12)] == [kept.id]


async def test_unknown_media_and_messages_are_refused(db: SqlDatabase) -> None:
    cid, _ = await _message(db, "77:7")
    with pytest.raises(NotFound):
        await db.media.get(999)
    with pytest.raises(NotFound):
        await db.media.attach(999, 1)
    with pytest.raises(NotFound):
        await db.media.add(message_id=999, customer_id=cid, attachment=VOICE, case_number=None)


def test_history_text_reads_like_the_message() -> None:
    assert VOICE.marker() == "[voice] 听一下这个声音，开机就咔咔响"
    location = Attachment(MediaKind.LOCATION, details={"latitude": "31.2", "longitude": "121.5"})
    assert location.marker() == "[location] 31.2,121.5"
    assert Attachment(MediaKind.PHOTO).marker() == "[photo]"


async def test_the_file_id_of_an_upload_is_recorded_once_sent_unless_erased(
    db: SqlDatabase,
) -> None:
    cid, mid = await _message(db, "77:8")
    upload = Attachment(kind=MediaKind.PHOTO, mime_type="image/jpeg", size=3, file_name="l.jpg")
    kept = await db.media.add(message_id=mid, customer_id=cid, attachment=upload, case_number=4)
    assert kept.attachment.file_id == ""
    sent = await db.media.record_file(kept.id, file_id="AgACAgIAAx-up", file_unique_id="AQADup")
    assert (sent.attachment.file_id, sent.attachment.file_unique_id) == ("AgACAgIAAx-up", "AQADup")
    assert await db.media.get(kept.id) == sent
    await db.customers.forget(cid)
    after = await db.media.record_file(kept.id, file_id="late", file_unique_id="late")
    assert after.forgotten and after.attachment.file_id == ""
    with pytest.raises(NotFound):
        await db.media.record_file(999, file_id="x", file_unique_id="x")
