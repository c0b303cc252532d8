"""/api/canned and the desk's canned-reply page: who may read and write, bad input, filling."""

from __future__ import annotations

import re

import pytest

from tests.bot.test_web_api import Desk, _login, _token

REFUND = {
    "name": "refund_info",
    "variants": {
        "en": "Hi {name}, the refund for {order} ({case}) is on its way. — {agent}",
        "zh": "{name}您好，订单{order}的退款已批（工单{case}）。—— {agent}",
    },
}


async def test_leads_write_agents_read(desk: Desk) -> None:
    agent = {"x-csrf-token": await _login(desk, "maria")}
    refused = await desk.client.post("/api/canned", headers=agent, json=REFUND)
    assert refused.status_code == 403 and "lead" in refused.json()["detail"]
    desk.client.cookies.clear()
    lead = {"x-csrf-token": await _login(desk, "lee")}
    made = await desk.client.post("/api/canned", headers=lead, json=REFUND)
    assert made.status_code == 201, made.text
    assert made.json()["name"] == "refund_info" and made.json()["updated_by"] == "lee"
    twice = await desk.client.post("/api/canned", headers=lead, json=REFUND)
    assert twice.status_code == 409 and "exists already" in twice.json()["detail"]

    desk.client.cookies.clear()
    agent = {"x-csrf-token": await _login(desk, "maria")}
    listed = (await desk.client.get("/api/canned?q=REFUND")).json()
    assert [c["name"] for c in listed] == ["refund_info"]
    assert (await desk.client.get("/api/canned?q=nothing-like-it")).json() == []
    one = await desk.client.get("/api/canned/refund_info")
    assert one.json()["variants"] == REFUND["variants"]
    for method, path in (("PATCH", "/api/canned/refund_info"), ("DELETE", "/api/canned/x")):
        answer = await desk.client.request(method, path, headers=agent, json={"variants": {}})
        assert answer.status_code == 403, (method, answer.text)

    read = await _token(desk, "read")
    assert (await desk.client.get("/api/canned", headers=read)).status_code == 200
    no = await desk.client.post("/api/canned", headers=read, json={**REFUND, "name": "r2"})
    assert no.status_code == 403
    actions = [e.action for e in await desk.db.audit.entries() if e.action.startswith("canned")]
    assert actions == ["canned added"]


async def test_bad_input_is_422_and_unknown_is_404(desk: Desk) -> None:
    lead = await _token(desk, "write")
    cases = [
        ({**REFUND, "variants": {"en": "Hi {customer}"}}, "unknown placeholder {customer}"),
        ({**REFUND, "variants": {"en": "Hi {name"}}, "without its pair"),
        ({**REFUND, "variants": {}}, "variants"),
        ({**REFUND, "variants": {"english!": "Hi"}}, "language code"),
        ({**REFUND, "name": "refund info"}, "name"),
        ({**REFUND, "attachment": {"kind": "sticker", "file_id": "AgACAgIAAxkBAAIB"}}, "kind"),
        ({"name": "x"}, "variants"),
    ]
    for body, says in cases:
        answer = await desk.client.post("/api/canned", headers=lead, json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert says in answer.json()["detail"], (body, answer.json())
    assert (await desk.client.get("/api/canned", headers=lead)).json() == []

    for method in ("GET", "PATCH", "DELETE"):
        body = {"variants": {"en": "x"}} if method == "PATCH" else None
        gone = await desk.client.request(method, "/api/canned/nope", headers=lead, json=body)
        assert gone.status_code == 404 and "no canned reply" in gone.json()["detail"], method


async def test_update_and_delete(desk: Desk) -> None:
    lead = await _token(desk, "write")
    body = {**REFUND, "attachment": {"kind": "photo", "file_id": "AgACAgIAAxkBAAIB"}}
    assert (await desk.client.post("/api/canned", headers=lead, json=body)).status_code == 201
    changed = await desk.client.patch(
        "/api/canned/refund_info",
        headers=lead,
        json={"variants": {"zh": None, "fr": "Bonjour {name}"}, "attachment": None},
    )
    assert changed.status_code == 200, changed.text
    assert set(changed.json()["variants"]) == {"en", "fr"} and changed.json()["attachment"] is None
    bad = await desk.client.patch(
        "/api/canned/refund_info", headers=lead, json={"variants": {"en": "{oops}"}}
    )
    assert bad.status_code == 422
    emptied = await desk.client.patch(
        "/api/canned/refund_info", headers=lead, json={"variants": {"en": None, "fr": None}}
    )
    assert emptied.status_code == 422 and "at least one" in emptied.json()["detail"]
    removed = await desk.client.delete("/api/canned/refund_info", headers=lead)
    assert removed.json() == {"removed": "refund_info"}
    assert (await desk.client.get("/api/canned/refund_info", headers=lead)).status_code == 404


async def test_create_with_an_idempotency_key_once(desk: Desk) -> None:
    lead = {**await _token(desk, "write"), "idempotency-key": "k-1"}
    first = await desk.client.post("/api/canned", headers=lead, json=REFUND)
    again = await desk.client.post("/api/canned", headers=lead, json=REFUND)
    assert first.status_code == 201 and again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    other = await desk.client.post("/api/canned", headers=lead, json={**REFUND, "name": "r2"})
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["detail"]


async def test_fill_for_a_case(desk: Desk) -> None:
    await desk.anna("my kettle from order A-1001 is broken, get me a human")
    await desk.client.post("/api/canned", headers=await _token(desk, "write"), json=REFUND)
    await _login(desk, "maria")
    filled = await desk.client.get("/api/cases/1/canned/refund_info")
    assert filled.status_code == 200, filled.text
    assert filled.json()["language"] == "en"
    assert filled.json()["text"] == "Hi Anna, the refund for A-1001 (#1) is on its way. — Maria"
    assert all(text != filled.json()["text"] for _, text in desk.outbox.sent)  # not sent
    assert (await desk.client.get("/api/cases/1/canned/nope")).status_code == 404
    assert (await desk.client.get("/api/cases/9/canned/refund_info")).status_code == 404
    (entry,) = [e for e in await desk.db.audit.entries() if "canned" in e.detail]
    assert (entry.actor, entry.action, entry.detail) == (
        "maria",
        "view",
        "canned refund_info for case #1",
    )


async def test_fill_without_a_value_is_409_naming_the_placeholder(desk: Desk) -> None:
    await desk.anna("I want to talk to a human")
    headers = await _token(desk, "write")
    await desk.client.post("/api/canned", headers=headers, json=REFUND)
    answer = await desk.client.get("/api/cases/1/canned/refund_info", headers=headers)
    assert answer.status_code == 409 and "{order}" in answer.json()["detail"]


async def test_desk_page_lists_and_leads_manage(desk: Desk) -> None:
    await _login(desk, "maria")
    page = await desk.client.get("/desk/canned")
    assert page.status_code == 200 and "No canned replies yet." in page.text
    assert 'id="canned-form"' not in page.text  # agents read only
    desk.client.cookies.clear()
    csrf = await _login(desk, "lee")
    form = {"csrf": csrf, "name": "refund_info", "language": "en", "text": "Hi {name}"}
    assert (await desk.client.post("/desk/canned", data=form)).status_code == 303
    form |= {"language": "zh", "text": "{name}您好"}
    assert (await desk.client.post("/desk/canned", data=form)).status_code == 303
    bad = await desk.client.post("/desk/canned", data=form | {"text": "Hi {nmae}"})
    assert bad.status_code == 422 and "unknown placeholder {nmae}" in bad.text
    page = await desk.client.get("/desk/canned?q=refund")
    assert 'id="canned-form"' in page.text and re.search(r"<td>zh</td>", page.text)
    assert (await desk.db.canned.get("refund_info")).variants == {
        "en": "Hi {name}",
        "zh": "{name}您好",
    }
    removed = await desk.client.post(
        "/desk/canned/refund_info/remove", data={"csrf": csrf, "language": "zh"}
    )
    assert removed.status_code == 303
    assert set((await desk.db.canned.get("refund_info")).variants) == {"en"}


@pytest.mark.parametrize("path", ["/api/canned", "/api/canned/x", "/api/cases/1/canned/x"])
async def test_strangers_get_401(desk: Desk, path: str) -> None:
    answer = await desk.client.get(path)
    assert answer.status_code == 401


async def test_the_desk_reply_picked_from_a_canned_reply_sends_its_photo_after_the_text(
    desk: Desk,
) -> None:
    await desk.anna("my kettle from order A-1001 is broken, get me a human")
    photo = {"kind": "photo", "file_id": "AgACAgIAAxkBAAIBZ2"}
    await desk.client.post(
        "/api/canned", headers=await _token(desk, "write"), json={**REFUND, "attachment": photo}
    )
    csrf = await _login(desk, "maria")
    page = await desk.client.get("/desk/cases/1")
    assert 'name="canned" id="canned-attachment"' in page.text  # the picker fills it in
    edited = "Hi Anna, the refund for A-1001 is on its way. Sorry again! — Maria"
    form = {"csrf": csrf, "text": edited, "canned": "refund_info", "idempotency_key": "k-1"}
    sent = await desk.client.post("/desk/cases/1/reply", data=form)
    assert sent.status_code == 303, sent.text
    # The agent's own words, then the canned reply's photo, natively by its file id.
    texts = [m.text for m in await desk.db.messages.history(1) if m.agent == "maria"]
    assert texts[-2:] == [edited, "[photo]"]
    (media,) = await desk.db.media.for_case(1)
    assert (media.attachment.kind, media.attachment.file_id) == ("photo", photo["file_id"])
    # A reply typed by hand sends no file.
    form = {"csrf": csrf, "text": "anything else?", "idempotency_key": "k-2"}
    assert (await desk.client.post("/desk/cases/1/reply", data=form)).status_code == 303
    assert len(await desk.db.media.for_case(1)) == 1
