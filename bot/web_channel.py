"""The website widget's channel: visitors' messages through the inbox and the Dispatcher.

A message is stored in the inbox (idempotent on the visitor and the page's client id) before
it is acknowledged, answered from the inbox in the visitor's order, and the replies are
published on the visitor's topic, which every open socket or long poll of theirs hears
(through Redis when configured, so that the desk process reaches a visitor served by `run`).
The history endpoint replays what was said, so a visitor offline when a reply was published
sees it on their next page.

With several workers (PostgreSQL), any worker may receive a visitor's message; the workers
take the inbox's work visitor by visitor under the same leases as Telegram's chats (see
bot.shared_inbox), so one worker at a time answers a visitor, in the order their messages
were stored, and a dead worker's visitors are continued by another.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.media_cache import MediaCache, MediaError
from bot.outage import Outage
from bot.shared_inbox import ChatWorker
from crm_memory import (
    Attachment,
    ChannelIdentity,
    Customer,
    Direction,
    InboxItem,
    LeaseLost,
    Media,
    MediaKind,
    NotFound,
    Sender,
    StoreUnavailable,
    current_fence,
)
from crm_memory import Message as StoredMessage
from crm_memory.protocols import (
    ConversationState,
    CustomerStore,
    InboxClaims,
    InboxStore,
    MessageStore,
)
from handlers import survey
from handlers.dialogue import KEY as DIALOGUE
from handlers.dispatcher import Dispatcher
from handlers.hours import back_at
from handlers.types import Button, ContentKind, InboundMessage, Reply

logger = logging.getLogger(__name__)

CHANNEL = "web"
ANONYMOUS = "v"  # visitor keys: "v<24 hex>" anonymous, "u:<shop user id>" identified
IDENTIFIED = "u:"
MAX_CLIENT_ID = 64
MAX_USER_ID = 128


# What a visitor may attach, told by the file's first bytes (never its name or declared type):
# the mime type it is, and the kind it is stored as (a photo the desk and the agents' group
# show as one; anything else a file).
UPLOAD_KINDS: dict[str, MediaKind] = {
    "image/jpeg": MediaKind.PHOTO,
    "image/png": MediaKind.PHOTO,
    "image/webp": MediaKind.PHOTO,
    "image/gif": MediaKind.PHOTO,
    "application/pdf": MediaKind.DOCUMENT,
}


def sniff(data: bytes) -> str | None:
    """The type of an attached file by its first bytes, or None when it is none we accept."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


@dataclass(frozen=True, slots=True)
class Upload:
    """A file a visitor attached, its type already checked (``sniff``)."""

    data: bytes
    mime_type: str
    file_name: str | None = None


class WidgetError(Exception):
    """A visitor's request that is refused; ``code`` is what the page shows a text for."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Visitor:
    """Who is on the page: an anonymous visitor (by token) or the shop's signed-in user."""

    key: str
    name: str = ""
    language: str | None = None
    user_id: str | None = None
    email: str | None = None

    @property
    def identity(self) -> ChannelIdentity:
        return ChannelIdentity(CHANNEL, self.key)

    @property
    def topic(self) -> str:
        return f"widget:{self.key}"


TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{32}")  # the random part of a token (192 bits)


class VisitorTokens:
    """Anonymous visitors' tokens, issued by the server and marked by it: ``<nonce>.<mark>``.

    The visitor is told by the nonce alone (``visitor_key``), so a token from before marks
    (the bare nonce) or marked with another key stands for the same visitor once re-marked.
    A page cannot pick its own token: one without a valid mark is believed only for a visitor
    who already wrote (the CRM knows them: a token the server issued before), else replaced.

    Args:
        key: the marking key (``widget.token_secret``), the same in every process serving the
            widget; None: a random key of this process (tokens other processes or earlier
            runs marked are re-marked for visitors who wrote, replaced for the others).
    """

    def __init__(self, key: str | None = None) -> None:
        self._key = key.encode() if key else secrets.token_bytes(32)

    def issue(self) -> str:
        """A fresh token (kept in the visitor's browser)."""
        return self.mark(secrets.token_urlsafe(24))

    def mark(self, nonce: str) -> str:
        """The token for ``nonce``, marked with this server's key."""
        digest = hmac.new(self._key, b"visitor-token\0" + nonce.encode(), hashlib.sha256)
        return f"{nonce}.{digest.hexdigest()[:32]}"

    def marked(self, token: str) -> bool:
        """True when ``token`` carries this server's valid mark."""
        nonce, dot, _ = token.partition(".")
        return bool(dot) and hmac.compare_digest(self.mark(nonce), token)


def nonce_of(token: str) -> str | None:
    """The random part of a well-formed token (marked or from before marks), else None."""
    nonce, dot, mark = token.partition(".")
    if not TOKEN_SHAPE.fullmatch(nonce):
        return None
    if dot and not re.fullmatch(r"[0-9a-f]{32}", mark):
        return None
    return nonce


def visitor_key(token: str) -> str:
    """The anonymous visitor a token stands for (its random part; the token itself is never
    stored)."""
    nonce = token.partition(".")[0]
    return ANONYMOUS + hashlib.sha256(nonce.encode()).hexdigest()[:24]


def signed_text(user_id: str, signed_at: int, *, email: str = "", name: str = "") -> str:
    """What a shop signs: the user id, when it signed (Unix seconds), and the e-mail and
    name the page passes (empty when none), one per line."""
    return "\n".join((user_id, str(signed_at), email, name))


def sign(secret: str, user_id: str, signed_at: int, *, email: str = "", name: str = "") -> str:
    """The signature a shop's back end gives its page (HMAC-SHA256 of ``signed_text``, hex)."""
    text = signed_text(user_id, signed_at, email=email, name=name)
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def sign_legacy(secret: str, user_id: str) -> str:
    """The signature of the first widget's scheme: HMAC-SHA256 of the user id alone, hex
    (no time, name or e-mail in it; believed only with
    ``widget.legacy_user_id_signatures``)."""
    return hmac.new(secret.encode(), user_id.encode(), hashlib.sha256).hexdigest()


def _matches(wanted: str, given: str | None) -> bool:
    # A hex digest or nothing: compare_digest refuses non-ASCII text with a TypeError.
    if not given or not re.fullmatch(r"[0-9a-fA-F]{64}", given):
        return False
    return hmac.compare_digest(wanted, given.lower())


class LegacySignatureRefused(WidgetError):
    """A first-scheme signature (the user id alone), right but not believed: the shop has
    not migrated (README, "Moving to signatures with a time")."""

    def __init__(self) -> None:
        super().__init__(
            "identity",
            "the signature covers the user id only (the old scheme); sign the time, e-mail "
            "and name too",
        )


@dataclass(frozen=True, slots=True)
class Identified:
    """Who a request speaks for, as ``identify`` found them.

    Attributes:
        visitor: the visitor (anonymous, or the shop's signed-in user).
        token: an anonymous visitor's token when the page must keep a new one (it sent none,
            or one the server never made), else None.
        unmarked: an anonymous visitor's token without this server's valid mark: believed
            only for a visitor who already wrote (``WebChannel.known``), else replaced.
        legacy: a signed-in user believed by the first scheme's signature (user id only).
    """

    visitor: Visitor
    token: str | None = None
    unmarked: bool = False
    legacy: bool = False


def identify(
    *,
    token: str | None,
    user_id: str | None,
    signature: str | None,
    secret: str | None,
    tokens: VisitorTokens,
    signed_at: int | None = None,
    max_age: float = 24 * 3600.0,
    name: str = "",
    email: str | None = None,
    language: str | None = None,
    legacy_signatures: bool = False,
    now: float | None = None,
) -> Identified:
    """The visitor a request speaks for (see ``Identified``).

    A name and e-mail are believed only when signed with the user id and the time; an
    anonymous visitor's are ignored (anyone could claim to be anyone), and so are those
    passed with a first-scheme signature (it signs the user id alone).

    Raises:
        WidgetError: a user id with a missing, wrong or expired signature, or without a
            configured secret (``code`` "identity"; ``LegacySignatureRefused`` when the
            signature is of the first scheme and that scheme is off).
    """
    lang = (language or "").split("-")[0].lower()[:8] or None
    if user_id is not None and user_id != "":
        if len(user_id) > MAX_USER_ID:
            raise WidgetError("identity", f"the user id is longer than {MAX_USER_ID} characters")
        if secret is None:
            raise WidgetError("identity", "identified visitors are not enabled on this site")
        name, email = name[:100], (email or "")[:200]
        if any(not c.isprintable() for c in (user_id + name + email)):
            raise WidgetError("identity", "the user id, name or e-mail holds a control character")
        if signed_at is None:
            if _matches(sign_legacy(secret, user_id), signature):
                if legacy_signatures:
                    # The user id alone was signed: the name and e-mail are the page's
                    # word, and the signature never expires.
                    visitor = Visitor(IDENTIFIED + user_id, language=lang, user_id=user_id)
                    return Identified(visitor, legacy=True)
                raise LegacySignatureRefused()
            raise WidgetError("identity", "the signature's time (signed_at) is missing")
        age = (time.time() if now is None else now) - signed_at
        if age > max_age or age < -300:  # five minutes of clock difference allowed
            raise WidgetError("identity", "the signature has expired; reload the page")
        wanted = sign(secret, user_id, signed_at, email=email, name=name)
        if not _matches(wanted, signature):
            raise WidgetError("identity", "the user id's signature is missing or wrong")
        visitor = Visitor(
            IDENTIFIED + user_id,
            name=name.strip(),
            language=lang,
            user_id=user_id,
            email=email.strip() or None,
        )
        return Identified(visitor)
    if not token or len(token) > 100 or nonce_of(token) is None:
        # None yet, or one the server never made (a page's own): a fresh one, kept from now.
        issued = tokens.issue()
        return Identified(Visitor(visitor_key(issued), language=lang), token=issued)
    visitor = Visitor(visitor_key(token), language=lang)
    return Identified(visitor, unmarked=not tokens.marked(token))


def update_id(visitor: Visitor, client_id: str) -> int:
    """The inbox id of a visitor's message: the same client id is the same row (63 bits)."""
    digest = hashlib.sha256(f"{visitor.key}\0{client_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def file_of(media: Media | None) -> dict[str, Any] | None:
    """A message's attachment as the widget shows it (fetched from /widget/api/files/<id>)."""
    if media is None or media.forgotten or not media.attachment.kind.has_file:
        return None
    attachment = media.attachment
    return {
        "id": media.id,
        "kind": attachment.kind.value,
        "mime": attachment.mime_type,
        "name": attachment.file_name,
        "size": attachment.size,
    }


def event_of(
    message: StoredMessage,
    buttons: tuple[Button, ...] = (),
    *,
    key: str | None = None,
    media: Media | None = None,
) -> dict[str, Any]:
    """A history message as the widget shows it (``key``: the visitor's, whose client ids
    follow it in an inbound message's external id; ``media``: its attachment)."""
    external = message.external_id or ""
    prefix = f"{key}:" if key is not None else None
    if prefix is not None and external.startswith(prefix):
        client_id: str | None = external.removeprefix(prefix)
    else:
        client_id = external.split(":", 1)[1] if ":" in external else None
    return {
        "type": "message",
        "id": message.id,
        "from": "visitor" if message.direction is Direction.IN else message.sender.value,
        "agent": message.agent if message.sender is Sender.AGENT else None,
        "text": message.text,
        "buttons": [{"label": b.label, "payload": b.payload} for b in buttons],
        "at": message.created_at.isoformat(),
        "client_id": client_id if message.direction is Direction.IN else None,
        "file": file_of(media),
    }


class WebChannel:
    """Stores visitors' messages, answers them through the dispatcher, publishes replies.

    Args:
        dispatcher: the conversation logic shared with every channel.
        inbox: where messages wait until answered.
        customers: to find or link identified visitors.
        messages: the history replayed to the widget.
        state: publishes replies to visitors' sockets, counts rate limits.
        files: where visitors' attached files are kept (None: attachments refused).
        max_attempts: tries of a failing turn before it is parked as failed.
        retry_seconds: pause after a failure, doubled each time.
        linked_max: identified visitors remembered as linked (the rest are looked up again).
        claims: the shared inbox's per-chat leases (PostgreSQL, several workers): every
            worker takes visitors from the inbox, one worker at a time per visitor, in the
            order stored (``by_arrival`` claims); None: this process answers what it
            received (SQLite, one process).
        worker: this process's name in the leases.
        lease_seconds: a lease's length (see ``ChatWorker``).
        poll_seconds: how often an idle worker looks for visitors others stored.
        max_chats: visitors one worker answers side by side.
    """

    def __init__(
        self,
        *,
        dispatcher: Dispatcher,
        inbox: InboxStore,
        customers: CustomerStore,
        messages: MessageStore,
        state: ConversationState,
        files: MediaCache | None = None,
        max_attempts: int = 5,
        retry_seconds: float = 1.0,
        linked_max: int = 10_000,
        claims: InboxClaims | None = None,
        worker: str = "",
        lease_seconds: float = 15.0,
        poll_seconds: float = 0.2,
        max_chats: int = 32,
    ) -> None:
        self.files = files
        self._dispatcher = dispatcher
        self._inbox = inbox
        self._customers = customers
        self._messages = messages
        self._state = state
        self._max_attempts = max_attempts
        self._retry_seconds = retry_seconds
        # Each visitor's lock and how many turns hold or wait for it.
        self._lanes: dict[str, tuple[asyncio.Lock, list[int]]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        # Identified visitors linked to their customer, newest last; bounded, so a process
        # that met a million visitors does not remember them all (forgotten: looked up again).
        self._linked: dict[str, None] = {}
        self._linked_max = linked_max
        self.database = Outage("the database", doing="website messages wait")
        self.worker: ChatWorker | None = None
        if claims is not None:
            self.worker = ChatWorker(
                channel=CHANNEL,
                claims=claims,
                holder=worker,
                turn=self._leased_turn,
                take_over=self._take_over,
                recover=self._recover,
                database=self.database,
                lease_seconds=lease_seconds,
                poll_seconds=poll_seconds,
                max_chats=max_chats,
            )

    @property
    def state(self) -> ConversationState:
        """The shared short-lived state (what the widget's routes keep of a visitor)."""
        return self._state

    # --- inbound ---------------------------------------------------------------------------

    async def receive(
        self,
        visitor: Visitor,
        *,
        client_id: str,
        text: str,
        kind: ContentKind = ContentKind.TEXT,
        upload: Upload | None = None,
    ) -> bool:
        """Store one message (then the caller acknowledges it) and start its turn; with
        ``upload``, its file is on disk first and ``text`` is its caption.

        Returns False when this client id was stored before (a resend after a reconnect):
        acknowledged again, answered once.

        Raises:
            WidgetError: a malformed client id; a file where files are not kept.
            StoreUnavailable: not stored, so not to be acknowledged (the page resends it).
        """
        if not client_id or len(client_id) > MAX_CLIENT_ID:
            raise WidgetError("client_id", f"each message needs a client id of 1-{MAX_CLIENT_ID}")
        await self.link(visitor)
        uid = update_id(visitor, client_id)
        media: dict[str, Any] | None = None
        if upload is not None:
            if self.files is None:
                raise WidgetError("file_type", "files are not accepted here")
            file_id = await self.files.keep_upload(f"{uid:016x}", upload.data, at=datetime.now(UTC))
            media = {
                "kind": UPLOAD_KINDS[upload.mime_type].value,
                "file_id": file_id,
                "file_unique_id": hashlib.sha256(upload.data).hexdigest()[:32],
                "mime_type": upload.mime_type,
                "size": len(upload.data),
                "file_name": upload.file_name,
            }
        payload = json.dumps(
            {
                "visitor": visitor.key,
                "name": visitor.name,
                "language": visitor.language,
                "client_id": client_id,
                "text": text,
                "kind": kind.value,
                "media": media,
            }
        )
        fresh = await self._inbox.put(CHANNEL, uid, payload, sender=visitor.key)
        if fresh:
            if self.worker is not None:
                self.worker.wake()  # this worker or the one holding the visitor answers it
            else:
                self._start(uid, payload)
        return fresh

    async def link(self, visitor: Visitor) -> Customer | None:
        """An identified visitor is the shop's customer: found by their user id (as
        ``crm import`` sets it) or e-mail, and linked once; anonymous visitors are created
        by their first message."""
        if visitor.user_id is None or visitor.key in self._linked:
            return None
        found = await self._customers.find(visitor.identity)
        if found is None:
            found = await self._customers.find_by(external_ref=visitor.user_id)
            if found is None and visitor.email:
                found = await self._customers.find_by(email=visitor.email)
            if found is not None:
                await self._customers.link_identity(found.id, visitor.identity)
            else:
                found = await self._customers.create(
                    display_name=visitor.name or visitor.email or visitor.user_id,
                    identity=visitor.identity,
                )
                found = await self._customers.update(
                    found.id, external_ref=visitor.user_id, email=visitor.email
                )
        self._linked[visitor.key] = None
        while len(self._linked) > self._linked_max:
            del self._linked[next(iter(self._linked))]
        return found

    async def join(self, visitor: Visitor, token: str) -> bool | None:
        """A visitor who wrote anonymously signs in (the same browser): the chat, cases,
        facts and files of the token's anonymous visitor become the signed-in customer's,
        once, and the token no longer reaches them (another person later using that browser
        anonymously starts afresh, and never sees this customer's history).

        Returns True when the token was taken (joined now, or nothing was left to join: it
        wrote nothing, or joined before): the page forgets it. None when it must wait: a
        message of the anonymous visitor is still being answered (asked again at the
        page's next hello).

        Raises:
            StoreUnavailable: nothing changed; the page asks again at its next hello.
        """
        if visitor.user_id is None or nonce_of(token) is None:
            return True  # nothing a page could join: forgotten
        anonymous = Visitor(visitor_key(token))
        source = await self._customers.find(anonymous.identity)
        if source is None:
            return True
        for item in await self._inbox.pending(CHANNEL, limit=1000):
            with contextlib.suppress(ValueError, TypeError, AttributeError):
                if json.loads(item.payload).get("visitor") == anonymous.key:
                    return None
        await self.link(visitor)
        into = await self._customers.find(visitor.identity)
        if into is None or into.id == source.id:
            return True
        if not await self._customers.merge(source.id, into.id, identities=False):
            return True  # another tab joined it a moment ago
        logger.info("widget: anonymous visitor %s joined customer %s", anonymous.key, into.id)
        # An agent answering the anonymous visitor goes on answering the signed-in customer.
        deps = self._dispatcher.deps
        state = deps.state
        before, after = str(anonymous.identity), str(visitor.identity)
        owner = await state.owner(before)
        if not owner.is_bot:
            await state.claim(after, owner)
            await state.release(before)
        # The conversation goes on where it was: the question the bot asked or the offer it
        # made ("your order number?", "shall I bring in a person?") is answered after signing
        # in. The anonymous chat's is the newest (it just wrote); it reaches no one now.
        with contextlib.suppress(StoreUnavailable):  # the rows joined: the context is a nicety
            dialogue = await state.get(before, DIALOGUE)
            if dialogue is not None:
                await state.set(after, DIALOGUE, dialogue, ttl=deps.conversation_ttl)
            # The one-tap rating offered before signing in is not offered again after it.
            marker = deps.fallback_ttl * 3
            if not await state.first_time(f"{before}:{survey.OFFERED}", ttl=marker):
                await state.first_time(f"{after}:{survey.OFFERED}", ttl=marker)
            await state.forget_chat(before)
        return True

    async def team_notice(self, visitor: Visitor, language: str | None) -> dict[str, Any] | None:
        """The panel's notice while the visitor waits for a person outside the agents'
        hours (``agents.hours``): their case was handed to people, no one answered yet, and
        no one is at work now; None otherwise (always None without hours)."""
        deps = self._dispatcher.deps
        now = deps.clock()
        if deps.hours is None or deps.hours.is_open(now):
            return None
        customer = await self._customers.find(visitor.identity)
        if customer is None:
            return None
        waiting = [
            c
            for c in await deps.cases.for_customer(customer.id, open_only=True)
            if c.escalated_at is not None and c.first_response_at is None
        ]
        if not waiting:
            return None
        lang = "zh" if (language or "").startswith("zh") else "en"
        return {
            "type": "notice",
            "code": "team_away",
            "case": waiting[-1].number,
            "back": back_at(deps.hours, now, lang),
        }

    async def customer(self, visitor: Visitor) -> Customer | None:
        """The CRM customer the visitor is, once they wrote (or signed in)."""
        return await self._customers.find(visitor.identity)

    async def known(self, visitor: Visitor) -> bool:
        """True when the visitor has written before (the CRM knows them)."""
        return await self._customers.find(visitor.identity) is not None

    def _start(self, uid: int, payload: str) -> None:
        task = asyncio.create_task(self._process(uid, payload))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def settle_unsent(self) -> int:
        """Replies recorded but never published (a crash in between): published now, for
        pages open on any worker (a page shows each message id once), and marked sent; a
        page opened later reads them in the history anyway."""
        count = 0
        for message in await self._messages.unsent():
            if message.channel == CHANNEL:
                await self._republish(message)
                count += 1
        return count

    async def _republish(self, message: StoredMessage) -> None:
        identities = await self._customers.identities(message.customer_id)
        store = self._dispatcher.deps.media
        media = await store.for_message(message.id) if store is not None else None
        for identity in identities:
            if identity.channel == CHANNEL:
                visitor = Visitor(identity.external_id)
                await self._publish(visitor, event_of(message, media=media))
        await self._messages.mark_sent(message.id, external_id=f"web:{message.id}")

    async def drain(self) -> int:
        """Answer what was stored and never answered (a restart): in the order received.
        With several workers the chat worker takes them up, visitor by visitor: nothing
        here."""
        if self.worker is not None:
            self.worker.wake()
            return 0
        items = sorted(await self._inbox.pending(CHANNEL, limit=1000), key=lambda i: i.received_at)
        for item in items:
            self._start(item.update_id, item.payload)
        return len(items)

    async def idle(self) -> None:
        """Wait until every turn started so far has finished (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _process(self, uid: int, payload: str) -> None:
        data = json.loads(payload)
        key = str(data["visitor"])
        lock, users = self._lanes.setdefault(key, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:  # one visitor's messages in order (FIFO); visitors side by side
                await self._turn(uid, data)
        finally:
            users[0] -= 1
            if not users[0]:
                self._lanes.pop(key, None)

    async def _turn(self, uid: int, data: dict[str, Any]) -> None:
        """One process: a row's turn until it is done or parked, database outages waited out."""
        visitor, inbound = self._inbound(data)
        delay = self._retry_seconds
        while True:
            try:
                wait = await self._attempt(uid, visitor, inbound)
            except StoreUnavailable as exc:
                logger.warning("widget turn waits for the database: %s", type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            if wait is None:
                return
            await asyncio.sleep(wait)

    async def _leased_turn(self, item: InboxItem) -> float:
        """The chat worker's turn on one row (under the visitor's lease): 0 when finished
        (done or parked), else the seconds before it is tried again.

        Raises:
            StoreUnavailable: the database is away; the row stays pending, the lease ours.
            LeaseLost: another worker holds the visitor now; it answers the row.
        """
        try:
            data = json.loads(item.payload)
            if not isinstance(data, dict):
                raise TypeError("not a JSON object")
            visitor, inbound = self._inbound(data)
        except (ValueError, KeyError, TypeError) as exc:
            # Kept, not dropped: parked with its reason for `crm inbox --failed`.
            reason = f"unreadable: {type(exc).__name__}: {exc}"
            await self._inbox.fail(CHANNEL, item.update_id, reason, max_attempts=1)
            logger.error("widget message %s is unreadable; parked", item.update_id)
            return 0.0
        wait = await self._attempt(item.update_id, visitor, inbound)
        return 0.0 if wait is None else max(0.001, wait)

    async def _take_over(self, chat: str) -> None:
        """A visitor whose worker died mid-turn: the replies it recorded but never published
        are published now (a page shows each message id once), before their next message."""
        customer = await self._customers.find(ChannelIdentity(CHANNEL, chat))
        if customer is None:
            return
        for message in await self._messages.unsent():
            if message.customer_id == customer.id and message.channel == CHANNEL:
                self._guard()
                await self._republish(message)

    async def _recover(self) -> None:
        """After an outage (the chat worker's): raises StoreUnavailable while it lasts."""
        await self._inbox.last_update_id(CHANNEL)  # the cheapest question: is it back?
        self.database.came_back()

    def _guard(self) -> None:
        """Raise LeaseLost when the running widget turn's lease can no longer be proven
        ours: another worker may be answering the visitor, so nothing more is published."""
        fence = current_fence()
        if (
            self.worker is not None
            and fence is not None
            and fence.channel == CHANNEL
            and not self.worker.holds(fence.chat)
        ):
            raise LeaseLost(f"visitor {fence.chat}: the lease may have passed to another worker")

    def _inbound(self, data: dict[str, Any]) -> tuple[Visitor, InboundMessage]:
        visitor = Visitor(str(data["visitor"]), name=str(data.get("name") or ""))
        text = str(data["text"])
        kind = ContentKind(str(data.get("kind") or "text"))
        attachment = None
        if isinstance(found := data.get("media"), dict):
            attachment = Attachment(
                kind=MediaKind(str(found["kind"])),
                file_id=str(found["file_id"]),
                file_unique_id=str(found.get("file_unique_id") or ""),
                mime_type=found.get("mime_type"),
                size=found.get("size"),
                file_name=found.get("file_name"),
                caption=text.strip(),
            )
            # As Telegram's: a captioned file is read as its caption, a bare one by its kind.
            if not text.strip():
                kind = (
                    ContentKind.PHOTO if attachment.kind is MediaKind.PHOTO else ContentKind.OTHER
                )
        inbound = InboundMessage(
            channel=CHANNEL,
            user_id=visitor.key,
            text=text,
            display_name=visitor.name,
            language_code=data.get("language"),
            message_id=f"{visitor.key}:{data['client_id']}",
            kind=kind,
            media=attachment,
        )
        return visitor, inbound

    async def _attempt(
        self, uid: int, visitor: Visitor, inbound: InboundMessage
    ) -> float | None:
        """One try at a row's turn: None when it is finished (done, or parked after its last
        failure), else the seconds before the next try.

        Raises:
            StoreUnavailable: the database is away (no attempt counted).
            LeaseLost: the visitor's lease is gone (no attempt counted).
        """
        try:
            await self._publish(visitor, {"type": "typing", "from": "bot"})
            replies = await self._dispatcher.handle(inbound)
            await self.send_all(visitor, replies)
            # Asked for a person out of hours: the panel says so beside the bot's words.
            notice = None
            with contextlib.suppress(StoreUnavailable):  # only the notice is missed
                notice = await self.team_notice(visitor, inbound.language_code)
            if notice is not None:
                await self._publish(visitor, notice)
            await self._inbox.done(CHANNEL, uid)
            return None
        except (asyncio.CancelledError, StoreUnavailable, LeaseLost):
            raise
        except Exception as exc:  # the adapter's error handler: keep, retry, then park
            attempts = await self._inbox.fail(
                CHANNEL, uid, f"{type(exc).__name__}: {exc}", max_attempts=self._max_attempts
            )
            if attempts >= self._max_attempts:
                logger.error(
                    "widget message %s parked after %d attempts", uid, attempts, exc_info=exc
                )
                apology = self._dispatcher.apology(inbound)
                await self._publish(visitor, {"type": "error", "text": apology})
                return None
            logger.warning("widget turn failed (%s); retrying", type(exc).__name__)
            return float(self._retry_seconds * 2 ** (attempts - 1))

    # --- outbound --------------------------------------------------------------------------

    async def send(self, visitor: Visitor, reply: Reply) -> None:
        """Publish one reply to the visitor's open pages, then mark it sent.

        Published replies reach every socket open now; a page opened later reads them in
        the history, so a visitor who is away loses nothing.
        """
        await self._publish_reply(visitor, reply)
        if reply.record_id is not None:
            await self._dispatcher.mark_sent(reply, external_id=f"web:{reply.record_id}")

    async def send_all(self, visitor: Visitor, replies: Sequence[Reply]) -> None:
        """Publish a turn's replies in order, then mark those published sent, in one write
        (as ``TelegramChannel.send_all``: one connection, statement and commit a turn
        instead of one each reply).

        The window this opens, a published reply still unsent in the database until the
        turn's last is published, needs no journal here: a reply left unsent is published
        again at the next start (``settle_unsent``) or by the worker that takes the visitor
        over (``_take_over``), and a page shows each message id once.
        """
        published: list[tuple[Reply, str | None]] = []
        try:
            for reply in replies:
                await self._publish_reply(visitor, reply)
                if reply.record_id is not None:
                    published.append((reply, f"web:{reply.record_id}"))
        finally:
            if published:
                await self._dispatcher.mark_sent_many(published)

    async def _publish_reply(self, visitor: Visitor, reply: Reply) -> None:
        event: dict[str, Any] = {
            "type": "message",
            "id": reply.record_id,
            "from": "bot",
            "agent": None,
            "text": reply.text,
            "buttons": [{"label": b.label, "payload": b.payload} for b in reply.buttons],
        }
        if reply.record_id is not None and not reply.ephemeral:
            recorded = reply.record
            if recorded is None:  # given by id only: read it back
                recorded = await self._recorded(visitor, reply.record_id)
            if recorded is not None:
                store = self._dispatcher.deps.media
                # An agent's photo or file from the desk: the visitor's page shows it (only
                # agents send files: the bot's replies cost no extra read).
                media = (
                    await store.for_message(recorded.id)
                    if store is not None and recorded.sender is Sender.AGENT
                    else None
                )
                event = event_of(recorded, reply.buttons, media=media)
        await self._publish(visitor, event)

    async def deliver(self, identity: ChannelIdentity, reply: Reply) -> None:
        """Outbox: an agent's words, a hand-back or a survey, outside a reply."""
        if identity.channel != CHANNEL:
            raise ValueError(f"{identity} is not a website visitor")
        await self.send(Visitor(identity.external_id), reply)

    async def agent_typing(self, identity: ChannelIdentity, agent: str) -> None:
        """An agent types in the desk: the visitor's open pages show "<agent> is typing…"
        (through Redis when the desk and the sockets are different processes)."""
        if identity.channel != CHANNEL:
            return  # another channel's customer: nothing to show on a website
        event = {"type": "typing", "from": "agent", "agent": agent[:100]}
        await self._publish(Visitor(identity.external_id), event)

    async def _recorded(self, visitor: Visitor, record_id: int) -> StoredMessage | None:
        """The row of a reply that came with its id only (the dispatcher and the agents'
        service hand over the row itself)."""
        customer = await self._customers.find(visitor.identity)
        if customer is None:
            return None
        for message in await self._messages.history(customer.id, limit=20):
            if message.id == record_id:
                return message
        return None

    async def _publish(self, visitor: Visitor, event: dict[str, Any]) -> None:
        self._guard()  # in a widget turn: only while the visitor's lease is this worker's
        await self._state.publish(visitor.topic, json.dumps(event, ensure_ascii=False))

    def events(self, visitor: Visitor) -> AsyncIterator[str]:
        """What is published for the visitor from now on (their socket or long poll)."""
        return self._state.subscribe(visitor.topic)

    async def history(
        self, visitor: Visitor, *, after: int = 0, limit: int = 100
    ) -> list[dict[str, Any]]:
        """The visitor's conversation on the website (after message ``after``), oldest first."""
        customer = await self._customers.find(visitor.identity)
        if customer is None:
            return []
        # Filtered in the query, before the limit: a customer who also writes on Telegram
        # still sees their last website messages, not a page of Telegram ones filtered out.
        found = await self._messages.history(
            customer.id, limit=limit, channel=CHANNEL, after=after or None
        )
        store = self._dispatcher.deps.media
        attached = (
            {m.message_id: m for m in await store.for_customer(customer.id)}
            if store is not None
            else {}
        )
        return [event_of(m, key=visitor.key, media=attached.get(m.id)) for m in found]

    async def file(self, visitor: Visitor, media_id: int) -> tuple[Media, bytes]:
        """A file in the visitor's own conversation (theirs or an agent's), to show them.

        Raises:
            NotFound: no such file in this visitor's conversation (or erased, or not kept).
        """
        store = self._dispatcher.deps.media
        customer = await self._customers.find(visitor.identity)
        if store is None or self.files is None or customer is None:
            raise NotFound(f"no file {media_id}")
        media = await store.get(media_id)
        if media.customer_id != customer.id or media.forgotten:
            raise NotFound(f"no file {media_id}")
        try:
            return media, await self.files.read(media)
        except MediaError as exc:
            raise NotFound(f"file {media_id}: {exc}") from exc

    async def allow(self, counter: str, limit: int) -> bool:
        """Count one message against a per-minute limit; False past it."""
        return await self._state.hit(f"widget:rate:{counter}", window=60.0) <= limit
