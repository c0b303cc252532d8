"""The Telegram channel: converts updates to InboundMessage, sends the dispatcher's replies.

Updates reach the bot through a transactional inbox: each is stored before the next
``getUpdates`` call confirms it to Telegram, processed from the inbox, and marked done, so a
crash loses nothing and a restart resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import json
import logging
import math
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar
from urllib.parse import urlsplit

from aiohttp import web
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    Update,
)
from telegram.constants import MessageLimit
from telegram.error import Forbidden, InvalidToken, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.media_cache import MediaCache
from bot.observe import ChannelEvents, Unobserved
from bot.outage import Outage
from bot.sent_journal import SentJournal
from bot.shared_inbox import ChatWorker
from bot.telegram_media import SENDERS, attachment_of
from crm_memory import (
    Attachment,
    ChannelIdentity,
    ChatBusy,
    InboxItem,
    LeaseLost,
    StoreUnavailable,
    current_fence,
)
from crm_memory import Message as StoredMessage
from crm_memory.protocols import (
    ConversationState,
    CustomerStore,
    InboxClaims,
    InboxStore,
    LeaderLock,
    MessageStore,
)
from handlers.agents import RATE, AgentService
from handlers.desk import AgentDesk
from handlers.dispatcher import Dispatcher
from handlers.survey import BOT_RATE
from handlers.types import ContentKind, InboundMessage, Reply

logger = logging.getLogger(__name__)
T = TypeVar("T")

CHANNEL = "telegram"
AgentsHandler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]
COMMANDS = (
    ("start", "Start or restart the conversation"),
    ("help", "What I can do"),
    ("agent", "Talk to a person"),
    ("mydata", "What we store about you"),
    ("forget", "Erase what we store about you"),
)
ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
MAX_SEND_ATTEMPTS = 5


class Outcome(enum.Enum):
    """What became of one attempt at an inbox row."""

    DONE = "done"  # the turn completed
    RETRY = "retry"  # it failed and is tried again after a pause, before the chat's next row
    PARKED = "parked"  # it failed too often: kept as failed with its reason, the chat goes on


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Split a long reply into messages Telegram accepts, at line or word breaks."""
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    chunks.append(rest)
    return [c for c in chunks if c] or [""]


def to_inbound(message: Message) -> InboundMessage:
    """What a customer's Telegram message means to the dispatcher."""
    user = message.from_user
    attachment = attachment_of(message)
    text = message.text or message.caption or ""
    if message.text is not None:
        kind = ContentKind.COMMAND if message.text.startswith("/") else ContentKind.TEXT
    elif message.caption:
        kind = ContentKind.TEXT
    elif message.sticker is not None:
        kind = ContentKind.STICKER
    elif message.photo:
        kind = ContentKind.PHOTO
    elif message.voice is not None or message.audio is not None:
        kind = ContentKind.VOICE
    else:
        kind = ContentKind.OTHER
    return InboundMessage(
        channel=CHANNEL,
        user_id=str(user.id if user else message.chat.id),
        text=text,
        display_name=(user.full_name if user else "") or "",
        language_code=user.language_code if user else None,
        message_id=f"{message.chat.id}:{message.message_id}",
        kind=kind,
        media=attachment,
    )


def chat_of(update: Update) -> str | None:
    """The conversation an update belongs to, the inbox's unit of order: its chat's id."""
    chat = update.effective_chat
    return str(chat.id) if chat is not None else sender_of(update)


def sender_of(update: Update) -> str | None:
    """Who wrote an update, as the customer's Telegram identity names them (see to_inbound)."""
    user = update.effective_user
    chat = update.effective_chat
    if user is not None:
        return str(user.id)
    return str(chat.id) if chat is not None else None


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """A reply's buttons as an inline keyboard, one button a row."""
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.label, callback_data=b.payload)] for b in reply.buttons]
    )


def _seconds(value: int | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class _Page:
    """What became of one page of inbox rows while it is drained."""

    __slots__ = ("done", "parked")

    def __init__(self) -> None:
        self.done: list[int] = []
        self.parked = 0


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


class TelegramChannel:
    """A PTB Application fed from the inbox, answering through the shared dispatcher.

    Args:
        token: the bot's token.
        base_url: the Bot API server (``.../bot``); a local or self-hosted one in tests.
        dispatcher: the conversation logic.
        inbox: where updates wait until processed.
        customers: to mark customers who blocked the bot as unreachable.
        messages: to find replies recorded but never sent, after a crash.
        state: so that only one worker re-sends each of those.
        poll_timeout: seconds a ``getUpdates`` long poll may wait.
        max_attempts: tries of a failing turn before its update is parked as failed.
        retry_seconds: pause after the first failure, doubled after each further one.
        journal: where replies delivered while the database was away are kept until they
            are marked, so that a crash meanwhile does not send them again.
        claims: the shared inbox's per-chat leases (PostgreSQL): any worker may receive any
            update, and every worker takes chats from the inbox, one worker at a time per
            chat; None: this process answers what it received (SQLite, one process).
        leader: with ``claims`` in polling mode, the lock that lets one process poll.
        worker: this process's name in the leases.
        lease_seconds: a lease's length (see ``ChatWorker``).
        poll_seconds: how often an idle worker looks for chats others stored.
        max_chats: chats one worker handles side by side.
    """

    def __init__(
        self,
        *,
        token: str,
        base_url: str,
        base_file_url: str,
        dispatcher: Dispatcher,
        inbox: InboxStore,
        customers: CustomerStore,
        messages: MessageStore,
        state: ConversationState,
        poll_timeout: int = 30,
        max_attempts: int = 5,
        retry_seconds: float = 1.0,
        journal: SentJournal | None = None,
        claims: InboxClaims | None = None,
        leader: LeaderLock | None = None,
        worker: str = "",
        lease_seconds: float = 15.0,
        poll_seconds: float = 0.2,
        max_chats: int = 32,
    ) -> None:
        self.app: Application = (  # type: ignore[type-arg]
            ApplicationBuilder()
            .token(token)
            .base_url(base_url)
            .base_file_url(base_file_url)
            .updater(None)
            .build()
        )
        self._dispatcher = dispatcher
        self._inbox = inbox
        self._customers = customers
        self._messages = messages
        self._state = state
        self._poll_timeout = poll_timeout
        self._max_attempts = max_attempts
        self._retry_seconds = retry_seconds
        self._offset: int | None = None
        # The error of each update whose handling failed, as PTB's error handler saw it.
        self._errors: dict[int, BaseException] = {}
        # Rows that failed and wait for their retry: update id -> monotonic time.
        self._not_before: dict[int, float] = {}
        # The last poll's updates as PTB parsed them, by update id: their inbox rows are
        # worked at once, without parsing the stored payload a second time.
        self._polled: dict[int, Update] = {}
        # Replies sent while the database could not mark them: record id -> external id.
        self._unmarked: dict[int, str | None] = {}
        self._journal = journal
        self._adopting = asyncio.Lock()
        self.database = Outage("the database", doing="updates are not confirmed")
        self.telegram = Outage("the Bot API", doing="getUpdates is retried", max_delay=5.0)
        # Set by the wiring when an agents' chat exists: (service, desk, waiting time).
        self.reminders: tuple[AgentService, AgentDesk, timedelta] | None = None
        # Set by the wiring: health checks and metrics hear of polls, turns, replies, errors.
        self.events: ChannelEvents = Unobserved()
        self._leader = leader
        self._lease_seconds = lease_seconds
        self.worker: ChatWorker | None = None
        if claims is not None:
            self.worker = ChatWorker(
                channel=CHANNEL,
                claims=claims,
                holder=worker,
                turn=self._turn,
                take_over=self._take_over,
                recover=self.recover,
                database=self.database,
                lease_seconds=lease_seconds,
                poll_seconds=poll_seconds,
                max_chats=max_chats,
                chat_of=self._chat_of_payload,
            )
        private = filters.ChatType.PRIVATE
        self.app.add_handler(MessageHandler(private & ~filters.UpdateType.EDITED, self._on_message))
        self.app.add_handler(CallbackQueryHandler(self._on_button))
        self.app.add_error_handler(self._on_error)

    async def start(self, *, webhook: bool = False) -> None:
        """Connect, publish the command menu, and deliver replies a crash left unsent."""
        await self.app.initialize()
        await self.app.start()
        if not webhook:
            await self.app.bot.delete_webhook(drop_pending_updates=False)
        await self.app.bot.set_my_commands([BotCommand(c, d) for c, d in COMMANDS])
        last = await self._inbox.last_update_id(CHANNEL)
        self._offset = last + 1 if last is not None else None
        await self._adopt_journal()
        await self.resend_unsent()
        if self.worker is not None:
            return  # the chat worker takes up pending rows, chat by chat, with the others
        try:
            await self.drain()
        except StoreUnavailable as exc:
            self.database.went_away(exc)  # `run` or the webhook worker resumes it

    async def _adopt_journal(self) -> None:
        """Replies a dead process (on this machine) delivered but never marked: marked now,
        not sent again. (Lines of replies marked since stay until the file empties: skipped.)"""
        async with self._adopting:  # several chats of a dead worker are taken over at once
            await self._adopt_journal_now()

    async def _adopt_journal_now(self) -> None:
        if self._journal is not None and (noted := self._journal.take_over()):
            unsent = {m.id for m in await self._messages.unsent()}
            for record_id, external_id in noted.items():
                if record_id in unsent:
                    self._unmarked[record_id] = external_id
                else:
                    self._journal.settled(record_id)
            await self._mark_unmarked()

    async def stop(self) -> None:
        await self.app.stop()
        await self.app.shutdown()

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until ``stop`` is set; network trouble and store outages are waited out.

        While the database is away no ``getUpdates`` confirms anything (Telegram keeps the
        updates); the loop retries within seconds and resumes when it is back.
        """
        if self.worker is not None:
            await self._run_shared(stop)
            return
        while not stop.is_set():
            try:
                if self.database.away:
                    await self.recover()
                await self.poll_once()
                self.telegram.came_back()
            except InvalidToken:
                raise  # revoked: waiting does not help
            except TelegramError as exc:
                await _sleep_or_stop(stop, self.telegram.went_away(exc))
            except StoreUnavailable as exc:
                await _sleep_or_stop(stop, self.database.went_away(exc))

    async def _run_shared(self, stop: asyncio.Event) -> None:
        """Polling with several processes: the one holding the leader lock polls and stores,
        every process works the inbox. When the poller dies, its lock goes with its database
        connection and another process polls from the highest update id stored."""
        assert self.worker is not None
        working = asyncio.create_task(self.worker.run())
        leading = False
        try:
            while not stop.is_set():
                if working.done():
                    working.result()  # the worker died: its error ends the process
                try:
                    if self.database.away:
                        await self.recover()
                    if self._leader is None or await self._leader.acquire():
                        if not leading:
                            leading = True
                            last = await self._inbox.last_update_id(CHANNEL)
                            self._offset = last + 1 if last is not None else None
                            logger.info("this process polls Telegram now (%s)", self.worker.holder)
                        await self.poll_once()
                        self.telegram.came_back()
                    else:
                        if leading:
                            logger.warning("another process polls Telegram now")
                        leading = False
                        # Not the poller: the chat worker answers what the poller stores.
                        # Ready as a standby (the lock's database answered): readiness
                        # asks for recent polls, which only the poller makes.
                        self.events.polled()
                        await _sleep_or_stop(stop, min(2.0, self._lease_seconds / 3))
                except InvalidToken:
                    raise
                except TelegramError as exc:
                    await _sleep_or_stop(stop, self.telegram.went_away(exc))
                except StoreUnavailable as exc:
                    await _sleep_or_stop(stop, self.database.went_away(exc))
        finally:
            # The turns in hand finish (or are cut after a lease), then the leases go.
            self.worker.stop()
            await self._stopped(working)
            if self._leader is not None:
                await self._leader.release()

    async def _stopped(self, working: asyncio.Task[None]) -> None:
        """Wait for the chat worker to stop (it gives its turns in hand a lease to finish)."""
        _, late = await asyncio.wait({working}, timeout=self._lease_seconds + 10)
        for task in late:
            task.cancel()
        await asyncio.gather(working, return_exceptions=True)

    async def recover(self) -> None:
        """After an outage: mark what was sent meanwhile, then send what was left unsent.

        Raises:
            StoreUnavailable: when the database is still away.
        """
        await self._inbox.last_update_id(CHANNEL)  # the cheapest question: is it back?
        await self._mark_unmarked()
        if self.database.came_back():
            await self.resend_unsent()

    async def serve_webhook(
        self,
        *,
        url: str,
        listen: str,
        port: int,
        secret: str | None,
        stop: asyncio.Event,
    ) -> None:
        """Receive updates over HTTPS from Telegram (through your proxy) until ``stop``.

        Each update is stored in the inbox before the 200 answer, so Telegram redelivers
        anything we did not store. With claims (PostgreSQL), every worker behind the address
        takes chats from the shared inbox, one worker at a time per chat, in order, whichever
        worker received the update. Without (SQLite, one process), this worker processes the
        updates it received in the order it received them; what a crashed worker stored but
        did not process is taken up by the next ``start``.
        """
        received: asyncio.Queue[tuple[int, dict[str, object]]] = asyncio.Queue()

        async def receive(request: web.Request) -> web.Response:
            given = request.headers.get("X-Telegram-Bot-Api-Secret-Token")
            if secret is not None and given != secret:
                logger.warning("webhook call with a wrong secret token from %s", request.remote)
                return web.Response(status=403)
            try:
                data = await request.json()
                update_id = int(data["update_id"])
            except (ValueError, KeyError, TypeError):
                return web.Response(status=400, text="not a Telegram update")
            try:
                parsed = Update.de_json(data, self.app.bot)
                sender, chat = sender_of(parsed), chat_of(parsed)
            except (ValueError, KeyError, TypeError):
                sender = chat = None  # stored all the same; its turn says what is wrong with it
            try:
                fresh = await self._inbox.put(
                    CHANNEL, update_id, json.dumps(data), sender=sender, chat=chat
                )
            except StoreUnavailable as exc:
                # Not stored, so not acknowledged: Telegram delivers it again later.
                self.database.went_away(exc)
                return web.Response(status=503, text="storage unavailable; retry later")
            if self.worker is not None:
                self.worker.wake()  # this worker or another takes it from the inbox
            elif fresh:
                received.put_nowait((update_id, data))  # a redelivery is queued already
            self.events.polled()
            return web.Response(status=200)

        async def work() -> None:
            if self.worker is not None:
                await self.worker.run()
                return
            await self._catch_up()
            while True:
                update_id, data = await received.get()
                await self._settle(update_id, Update.de_json(data, self.app.bot))

        app = web.Application()
        path = urlsplit(url).path or "/"
        app.router.add_post(path, receive)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, listen, port)
        await site.start()
        await self.app.bot.set_webhook(
            url, secret_token=secret, allowed_updates=list(ALLOWED_UPDATES)
        )
        logger.info("webhook at %s (listening on %s:%s%s)", url, listen, port, path)
        worker = asyncio.create_task(work())
        stopping = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({worker, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if worker.done():
                worker.result()  # the worker died: its error ends the process
        finally:
            stopping.cancel()
            if self.worker is not None:
                self.worker.stop()  # turns in hand finish, then the leases go at once
                await self._stopped(worker)
            worker.cancel()
            await asyncio.gather(worker, stopping, return_exceptions=True)
            await runner.cleanup()

    async def _catch_up(self) -> None:
        """Webhook worker: when ``start`` could not drain the inbox (the database went away),
        drain it once the database is back, before anything received since; polling does
        this on its next poll, but a webhook may receive nothing new for a long while."""
        while self.database.away:
            try:
                await self.recover()
                await self.drain()
            except StoreUnavailable as exc:
                await asyncio.sleep(self.database.went_away(exc))

    async def _settle(self, update_id: int, update: Update) -> None:
        """Webhook worker: process one update until it is done or parked, however long the
        database is away meanwhile; failed turns are retried after their pause."""
        while True:
            try:
                if self.database.away:
                    await self.recover()
                wait = self._not_before.get(update_id, 0.0) - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                outcome = await self._attempt(update_id, update)
                if outcome is Outcome.RETRY:
                    continue
                if outcome is Outcome.DONE:
                    await self._inbox.done(CHANNEL, update_id)
                return
            except StoreUnavailable as exc:
                await asyncio.sleep(self.database.went_away(exc))

    async def poll_once(self) -> int:
        """One long poll: store the updates, then process what the inbox holds."""
        timeout = self._poll_timeout
        if self._not_before:
            # A failed turn is due for its retry: poll no longer than until then.
            due = min(self._not_before.values()) - time.monotonic()
            timeout = min(timeout, max(0, math.ceil(due)))
        updates = await self.app.bot.get_updates(
            offset=self._offset,
            timeout=timeout,
            allowed_updates=list(ALLOWED_UPDATES),
            read_timeout=timeout + 10,
        )
        # Stored in one transaction before the next getUpdates (with a higher offset)
        # confirms them to Telegram.
        stored = await self._inbox.put_many(
            CHANNEL,
            [(u.update_id, json.dumps(u.to_dict())) for u in updates],
            senders={u.update_id: s for u in updates if (s := sender_of(u)) is not None},
            chats={u.update_id: c for u in updates if (c := chat_of(u)) is not None},
        )
        fresh = set(stored)
        # Replaced, not added to: what a drain did not reach is parsed from its row later.
        self._polled = {u.update_id: u for u in updates if u.update_id in fresh}
        self.events.polled()
        if updates:
            self._offset = updates[-1].update_id + 1
        if self.worker is not None:
            self.worker.wake()  # it (and the other processes) answer from the inbox
        else:
            await self.drain()
        return len(updates)

    async def drain(self) -> None:
        """Process every pending inbox row: each chat in order, different chats at once.

        Customers' chats are independent, so their updates are handled side by side (the
        database and Telegram round trips of one overlap with the work of another); an update
        from a group (the agents' chat) waits for everything before it and holds back
        everything after it, so an agent's action and a customer's message keep their order.
        A row is done only when its turn completed: a failed turn holds its chat back until
        its retry, and after ``max_attempts`` it is parked as failed and the chat goes on.

        Raises:
            StoreUnavailable: the database went away; what completed so far is marked done
                if it still can be, the rest is processed again (the history recognises it).
        """
        while items := await self._inbox.pending(CHANNEL, limit=100):
            page = _Page()
            try:
                await self._drain_page(items, page)
            finally:
                # Marked in one statement; a crash before it only repeats work the history
                # recognises (a recorded message is not answered twice, a recorded reply is
                # re-sent only if it was never marked sent).
                if page.done:
                    await self._inbox.done(CHANNEL, *page.done)
            if not page.done and not page.parked:
                return  # what is left waits for its retry

    async def _parsed(self, item: InboxItem) -> Update | None:
        """The row's update, or None after parking a row no Update can be read from (stored
        as received by the webhook): one such row must not stop every chat behind it."""
        polled = self._polled.pop(item.update_id, None)
        if polled is not None:
            return polled
        try:
            return Update.de_json(json.loads(item.payload), self.app.bot)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            await self._inbox.fail(
                CHANNEL, item.update_id, f"unreadable update: {type(exc).__name__}", max_attempts=1
            )
            logger.error(
                "update %s is not a Telegram update; parked as failed (`crm inbox --failed`)",
                item.update_id,
            )
            return None

    async def _drain_page(self, items: list[InboxItem], page: _Page) -> None:
        lanes: dict[int, list[tuple[int, Update]]] = {}
        for item in items:
            update = await self._parsed(item)
            if update is None:
                page.parked += 1
                continue
            chat = update.effective_chat
            if chat is not None and chat.type != chat.PRIVATE:
                held = await self._run_lanes(lanes, page)
                lanes = {}
                if held or await self._try(item.update_id, update, page):
                    # An earlier turn waits for its retry, or this one does: nothing after
                    # an agents' chat update may overtake it.
                    return
            else:
                lane = lanes.setdefault(chat.id if chat else item.update_id, [])
                lane.append((item.update_id, update))
        await self._run_lanes(lanes, page)

    async def _run_lanes(self, lanes: dict[int, list[tuple[int, Update]]], page: _Page) -> bool:
        """Each chat's rows in order, the chats side by side; True when any chat is held."""

        async def in_order(lane: list[tuple[int, Update]]) -> bool:
            for update_id, update in lane:
                if await self._try(update_id, update, page):
                    return True
            return False

        results = await asyncio.gather(
            *(in_order(lane) for lane in lanes.values()), return_exceptions=True
        )
        # Every chat finished its turn before an outage is reported: none is cut mid-turn.
        for result in results:
            if isinstance(result, BaseException):
                raise result
        return any(results)

    async def _try(self, update_id: int, update: Update, page: _Page) -> bool:
        """One row of a lane; True when it holds its chat back (waiting for a retry)."""
        if self._not_before.get(update_id, 0.0) > time.monotonic():
            return True
        outcome = await self._attempt(update_id, update)
        if outcome is Outcome.DONE:
            page.done.append(update_id)
        elif outcome is Outcome.PARKED:
            page.parked += 1
        return outcome is Outcome.RETRY

    async def _attempt(self, update_id: int, update: Update) -> Outcome:
        """Process one update once and record what became of it.

        Raises:
            StoreUnavailable: the database is away; the row stays pending, no attempt counted.
        """
        await self.app.process_update(update)
        error = self._errors.pop(update.update_id, None)
        if error is None:
            self._not_before.pop(update_id, None)
            return Outcome.DONE
        if isinstance(error, StoreUnavailable) and not isinstance(error, ChatBusy):
            raise error
        if isinstance(error, LeaseLost):
            raise error  # not this row's fault: the chat's new holder answers it
        reason = f"{type(error).__name__}: {error}"
        attempts = await self._inbox.fail(
            CHANNEL, update_id, reason, max_attempts=self._max_attempts
        )
        if attempts >= self._max_attempts:
            self._not_before.pop(update_id, None)
            logger.error(
                "update %s parked as failed after %d attempts (`crm inbox --failed`)",
                update_id,
                attempts,
                exc_info=error,
            )
            await self._apologise(update)
            return Outcome.PARKED
        delay = self._retry_seconds * 2 ** (attempts - 1)
        self._not_before[update_id] = time.monotonic() + delay
        # The reason is kept with the row; the log names only its kind (no customer words).
        logger.warning(
            "update %s failed (attempt %d of %d, %s); retrying in %.1f s",
            update_id,
            attempts,
            self._max_attempts,
            type(error).__name__,
            delay,
        )
        return Outcome.RETRY

    async def _turn(self, item: InboxItem) -> float:
        """The chat worker's turn on one row: 0 when finished, else seconds to its retry."""
        update = await self._parsed(item)
        if update is None:
            return 0.0
        outcome = await self._attempt(item.update_id, update)
        if outcome is Outcome.DONE:
            await self._inbox.done(CHANNEL, item.update_id)
        if outcome is not Outcome.RETRY:
            return 0.0
        return max(0.001, self._not_before.get(item.update_id, 0.0) - time.monotonic())

    async def _take_over(self, chat: str) -> None:
        """A chat whose worker died mid-turn: what it delivered but never marked is marked
        (from its journal, when it ran on this machine), what it recorded but never
        delivered is sent now, before the chat's next row."""
        await self._adopt_journal()
        customer = await self._customers.find(ChannelIdentity(CHANNEL, chat))
        if customer is None:
            return  # the agents' group, or nobody recorded yet
        await self._resend(
            chat,
            [
                m
                for m in await self._messages.unsent()
                if m.customer_id == customer.id and m.channel == CHANNEL
            ],
        )

    async def _resend(self, chat: str, messages: list[StoredMessage]) -> None:
        """Send a chat's recorded, unsent replies again, under the chat's lease: not those
        delivered and waiting to be marked, here or (journaled) by a live worker on this
        machine whose database was away when it delivered them; those are marked."""
        delivered = self._journal.peek() if self._journal is not None else {}
        for message in messages:
            if message.id in self._unmarked:
                continue
            if message.id in delivered:
                await self._messages.mark_sent(message.id, external_id=delivered[message.id])
                continue
            self._guard()  # before the key below: a reply nobody may send stays unsent
            if await self._state.first_time(f"resend:{message.id}", ttl=3600):
                await self.send(int(chat), await self._unsent_reply(message))

    async def resend_unsent(self) -> None:
        """Send replies that were recorded but not confirmed sent (a crash in between).

        With several workers, a reply recorded moments ago may be on its way from a live
        worker: only those older than two leases are sent here (a dead worker's newer ones
        are sent by whoever takes its chats over)."""
        settled = datetime.now(UTC) - timedelta(seconds=2 * self._lease_seconds)
        chats: dict[str, list[StoredMessage]] = {}
        for message in await self._messages.unsent():
            if message.channel != CHANNEL or message.id in self._unmarked:
                continue  # another channel's, or sent and waiting to be marked
            if self.worker is not None and message.created_at > settled:
                continue
            identities = await self._customers.identities(message.customer_id)
            chat = next((i for i in identities if i.channel == CHANNEL), None)
            if chat is not None:
                chats.setdefault(chat.external_id, []).append(message)
        for chat_id, messages in chats.items():
            if self.worker is None:
                await self._resend(chat_id, messages)
                continue
            # Only under the chat's lease: one another worker holds is its to settle.
            try:
                await self.worker.under_lease(chat_id, partial(self._resend, chat_id, messages))
            except LeaseLost:
                logger.warning("chat %s: the lease ran out while resending; left over", chat_id)

    async def _unsent_reply(self, message: StoredMessage) -> Reply:
        """A recorded reply as it was meant: an agent's photo or voice note is sent natively
        again (not as its "[photo]" line), when its file can still be reached: by its
        message or file id, or (uploaded in a desk without Telegram) from the desk's cache."""
        deps = self._dispatcher.deps
        media = await deps.media.for_message(message.id) if deps.media is not None else None
        if media is not None and not media.forgotten:
            attachment = media.attachment
            if attachment.source or attachment.file_id:
                return Reply(attachment.caption, record_id=message.id, media=attachment)
            files = deps.media_files
            upload = await files.cached(media.id) if isinstance(files, MediaCache) else None
            if upload is not None:
                return Reply(
                    attachment.caption, record_id=message.id, media=attachment, upload=upload
                )
        return Reply(message.text, record_id=message.id)

    def add_agents_chat(self, chat_id: int, handler: AgentsHandler) -> None:
        """Route messages in the agents' group to the desk."""
        self.app.add_handler(
            MessageHandler(filters.Chat(chat_id) & ~filters.UpdateType.EDITED, handler), group=1
        )

    async def deliver(self, identity: ChannelIdentity, reply: Reply) -> None:
        """Outbox: send to a Telegram customer outside a reply (agents' words, surveys)."""
        if identity.channel != CHANNEL:
            raise ValueError(f"{identity} is not a Telegram identity")
        await self.send(int(identity.external_id), reply)

    async def send(self, chat_id: int, reply: Reply) -> None:
        """Send one reply (split when too long), then mark it sent in the history."""
        await self.send_all(chat_id, [reply])

    async def send_all(self, chat_id: int, replies: Sequence[Reply]) -> None:
        """Send a turn's replies in order, then mark those delivered sent, in one write.

        Why one write after the last, not one after each: each mark is a connection, a
        statement and a commit. What it changes is the window in which a delivered reply
        still looks unsent in the database: from one write to the delivery of the turn's
        later replies (tens of ms) and the write. In that window nothing sends it again:
        - this process: each delivered reply is in ``_unmarked`` (delivered, waiting to be
          marked) from its delivery on, which ``resend_unsent`` and a take-over skip, as
          they did for a reply whose mark waited on a database that was away;
        - a kill -9 of this process: each is in the sent journal (written, not synced,
          before the next reply is sent; a write the kernel holds survives the process), so
          the next start, or a worker on this machine taking the chat over, marks it;
        - a worker on another machine takes the chat over only once this worker's lease has
          run out, which a live worker renews; a dead one's delivered, unmarked replies are
          sent again there, as before (the window is wider, the case is the same).
        A failed mark (the database away) leaves them in ``_unmarked`` and in the journal,
        synced, marked when it is back, as before.
        """
        delivered: list[tuple[Reply, str]] = []
        try:
            for reply in replies:
                external_id = await self._deliver(chat_id, reply)
                if external_id is None:
                    continue
                self.events.sent(CHANNEL)
                if reply.record_id is not None:
                    self._unmarked[reply.record_id] = external_id
                    if self._journal is not None:
                        # Noted before the database is asked (and before the next reply):
                        # a kill -9 meanwhile does not have the next start send it again.
                        self._journal.add(reply.record_id, external_id, sync=False)
                delivered.append((reply, external_id))
        finally:
            if delivered:
                await self._mark_delivered(delivered)

    async def _mark_delivered(self, delivered: list[tuple[Reply, str]]) -> None:
        try:
            await self._dispatcher.mark_sent_many(delivered)
        except StoreUnavailable as exc:
            # Delivered: left in _unmarked and marked when the database is back, so that
            # `resend_unsent` does not send them a second time.
            if self._journal is not None:
                for reply, external_id in delivered:
                    if reply.record_id is not None:
                        self._journal.add(reply.record_id, external_id)  # synced: may be long
            self.database.went_away(exc)
            return
        for reply, _ in delivered:
            if reply.record_id is not None:
                self._unmarked.pop(reply.record_id, None)
                if self._journal is not None:
                    self._journal.settled(reply.record_id)

    async def _deliver(self, chat_id: int, reply: Reply) -> str | None:
        """Send one reply (split when too long): its last Telegram message as
        ``chat:message``, or None when it could not be delivered."""
        last: int | None = None
        if reply.media is not None:
            sent_media = await self._send_media(chat_id, reply)
            if sent_media is None:
                return None
            last, made = sent_media
            if made is not None:
                await self._keep_file_id(reply, made)
        else:
            chunks = split_text(reply.text)
            for number, chunk in enumerate(chunks, start=1):
                markup = keyboard(reply) if number == len(chunks) else None
                sent = await self._send_chunk(chat_id, chunk, markup)
                if sent is None:
                    return None
                last = sent.message_id
        return None if last is None else f"{chat_id}:{last}"

    async def _mark_unmarked(self) -> None:
        """Mark the replies delivered while the database was away (raises while it still is)."""
        if not self._unmarked:
            return
        for record_id, external_id in list(self._unmarked.items()):
            await self._messages.mark_sent(record_id, external_id=external_id)
            self._unmarked.pop(record_id, None)  # marking twice (two callers at once) is harmless
            if self._journal is not None:
                self._journal.settled(record_id)

    async def _send_chunk(
        self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> Message | None:
        async def call() -> Message:
            sent: Message = await self.app.bot.send_message(chat_id, text, reply_markup=markup)
            return sent

        return await self._attempts(chat_id, call)

    async def _keep_file_id(self, reply: Reply, file: Attachment) -> None:
        """An upload now has a Telegram file id: recorded with its media, so the desk can
        fetch it again once its cached copy is evicted."""
        store = self._dispatcher.deps.media
        if store is None or reply.record_id is None or not file.file_id:
            return
        try:
            media = await store.for_message(reply.record_id)
            if media is not None:
                await store.record_file(
                    media.id, file_id=file.file_id, file_unique_id=file.file_unique_id
                )
        except StoreUnavailable as exc:
            # Delivered all the same; the cached copy still shows it in the desk.
            logger.warning(
                "the file id of sent media %s was not recorded: %s", reply.record_id, exc
            )

    async def _send_media(self, chat_id: int, reply: Reply) -> tuple[int, Attachment | None] | None:
        """Send a reply's media natively: copied from its message when it has one (a voice
        note stays a voice note), else by file id or from the uploaded bytes. The sent
        message's id, and the file Telegram made of uploaded bytes."""
        media = reply.media
        assert media is not None
        caption = reply.text[: MessageLimit.CAPTION_LENGTH] or None
        captioned = media.kind.has_caption
        bot = self.app.bot

        async def call() -> tuple[int, Attachment | None]:
            if media.source and not reply.upload:
                from_chat, _, message_id = media.source.rpartition(":")
                copied = await bot.copy_message(
                    chat_id,
                    int(from_chat),
                    int(message_id),
                    caption=caption if captioned else None,
                )
                return int(copied.message_id), None
            file: str | InputFile = media.file_id
            if reply.upload is not None:
                file = InputFile(reply.upload, filename=media.file_name or f"{media.kind}")
            send = SENDERS[media.kind]
            extra = {"caption": caption} if captioned else {}
            sent: Message = await getattr(bot, send)(chat_id, file, **extra)
            made = attachment_of(sent) if reply.upload is not None else None
            return int(sent.message_id), made

        return await self._attempts(chat_id, call)

    def _guard(self) -> None:
        """Raise LeaseLost when the running turn's chat lease can no longer be proven ours:
        another worker may be answering the chat, so nothing more is sent for it."""
        fence = current_fence()
        if (
            self.worker is not None
            and fence is not None
            # A website visitor's turn (the widget's lease) may send here too: not ours.
            and fence.channel == CHANNEL
            and not self.worker.holds(fence.chat)
        ):
            raise LeaseLost(f"chat {fence.chat}: the lease may have passed to another worker")

    def _chat_of_payload(self, payload: str) -> str | None:
        """The chat of a stored update, None when no Update can be read from it."""
        try:
            return chat_of(Update.de_json(json.loads(payload), self.app.bot))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    async def _attempts(self, chat_id: int, call: Callable[[], Awaitable[T]]) -> T | None:
        for _ in range(MAX_SEND_ATTEMPTS):
            self._guard()  # before every call: a retry may come after the lease ran out
            try:
                return await call()
            except RetryAfter as exc:
                logger.warning("Telegram asks to wait %ss", _seconds(exc.retry_after))
                await asyncio.sleep(_seconds(exc.retry_after))
            except Forbidden:
                # The customer blocked the bot: keep the reply unsent, stop trying.
                logger.info("chat %s blocked the bot; marking the customer unreachable", chat_id)
                customer = await self._customers.find(ChannelIdentity(CHANNEL, str(chat_id)))
                if customer is not None:
                    await self._customers.update(customer.id, unreachable=True)
                return None
        logger.error("giving up sending to chat %s after %d attempts", chat_id, MAX_SEND_ATTEMPTS)
        return None

    async def _on_message(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        await self._answer(message.chat.id, to_inbound(message))

    async def _on_button(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None or query.message is None:
            return
        await query.answer()
        user = query.from_user
        chat_id = query.message.chat.id
        inbound = InboundMessage(
            channel=CHANNEL,
            user_id=str(user.id),
            text=query.data or "",
            display_name=user.full_name or "",
            language_code=user.language_code,
            message_id=f"callback:{query.id}",
            kind=ContentKind.BUTTON,
        )
        with self.events.turn(CHANNEL):
            replies = await self._dispatcher.handle(inbound)
        if replies and (query.data or "").startswith((f"{RATE}:", f"{BOT_RATE}:")):
            # The survey message itself turns into the thank-you, without its buttons.
            first, *replies = replies
            edited = await query.edit_message_text(first.text)
            message_id = edited.message_id if isinstance(edited, Message) else None
            # The survey message already holds chat:message_id; the edit is recorded beside it.
            await self._dispatcher.mark_sent(first, external_id=f"{chat_id}:{message_id}:edited")
        await self.send_all(chat_id, replies)

    async def _answer(self, chat_id: int, inbound: InboundMessage) -> None:
        with self.events.turn(CHANNEL):
            replies = await self._dispatcher.handle(inbound)
        await self.send_all(chat_id, replies)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # The one place that catches everything: the inbox row decides what happens next
        # (retried, parked, or waiting for the database), so nothing is said or logged here.
        self.events.failed(CHANNEL, context.error)
        if isinstance(update, Update) and context.error is not None:
            self._errors[update.update_id] = context.error
        else:
            logger.error("handling %r failed", type(update).__name__, exc_info=context.error)

    async def _apologise(self, update: Update) -> None:
        """Tell the customer their message could not be answered (it is parked, not lost)."""
        chat = update.effective_chat
        if chat is None or chat.type != chat.PRIVATE:
            return
        user = update.effective_user
        message = update.effective_message
        inbound = InboundMessage(
            channel=CHANNEL,
            user_id=str(user.id if user else chat.id),
            text=(message.text or "") if message else "",
            language_code=user.language_code if user else None,
        )
        try:
            await self.app.bot.send_message(chat.id, self._dispatcher.apology(inbound))
        except TelegramError:
            logger.warning("could not apologise to chat %s", chat.id)
