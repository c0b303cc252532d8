"""The agents' desk in a Telegram group: cases posted with context, agents act by replying."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from telegram import Bot, InputFile, Message, MessageId, ReplyParameters, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.media_cache import MediaCache, MediaError
from bot.telegram_media import attachment_of
from bot.web.pages import VisitorPage, page_of
from crm_memory import Attachment, Case, ChannelIdentity, Customer, DeskPost, Media, MediaStore
from crm_memory.assignment import AgentStatus
from crm_memory.protocols import (
    AuditLog,
    ConversationState,
    CustomerStore,
    DeskPostStore,
    MessageStore,
)
from handlers.agents import AgentError, AgentService
from handlers.assignment import Router
from handlers.canned import CannedService
from handlers.types import Handoff

logger = logging.getLogger(__name__)

CASE_REF = re.compile(r"#(\d+)")
THREAD_TTL = 90 * 24 * 3600.0
AGENT_COMMANDS = ("take", "close", "handback", "note", "cases", "customer", "transfer")
STATUS_COMMANDS = {s.value: s for s in AgentStatus}
ERASED = "[erased]"
PHOTO_BYTES = 10 << 20  # the Bot API takes photos up to 10 MB; larger ones go as documents


async def erase_posts(bot: Bot, posts: Iterable[DeskPost]) -> int:
    """Edit each post to "[erased]" and rename case topics; returns how many posts were edited.

    A post that cannot be edited (deleted by an admin, too old for Telegram) is logged by id.
    """
    edited = 0
    renamed: set[tuple[int, int]] = set()
    for post in posts:
        try:
            await bot.edit_message_text(ERASED, chat_id=post.chat_id, message_id=post.message_id)
            edited += 1
        except TelegramError as exc:
            # A copied photo or voice note has no text to edit: it is deleted instead.
            try:
                await bot.delete_message(post.chat_id, post.message_id)
                edited += 1
            except TelegramError:
                logger.warning("could not erase agents' chat post %s: %s", post.message_id, exc)
        if post.thread_id is not None and (post.chat_id, post.thread_id) not in renamed:
            renamed.add((post.chat_id, post.thread_id))
            name = f"#{post.case_number} {ERASED}" if post.case_number else ERASED
            try:
                await bot.edit_forum_topic(post.chat_id, post.thread_id, name=name)
            except TelegramError as exc:
                logger.warning("could not rename topic %s: %s", post.thread_id, exc)
    return edited


class TelegramPostEraser:
    """Erases posts in the agents' chat with a bot of its own (for `crm forget`)."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def erase(self, posts: Sequence[DeskPost]) -> int:
        async with self._bot:
            return await erase_posts(self._bot, posts)


def case_post(handoff: Handoff, page: VisitorPage | None = None) -> str:
    """What agents see about a new case, so nobody asks the customer to repeat themselves
    (``page``: the shop's page a website visitor is on)."""
    case, customer = handoff.case, handoff.customer
    trend = " → ".join(f"{s:+.1f}" for s in handoff.sentiment_trend) or "-"
    lines = [
        f"🆘 Case #{case.number} · {case.priority.value} · {handoff.reason}",
        f"Customer: {customer.display_name} ({handoff.identity}) · segment {customer.segment}"
        f" · tier {customer.tier} · language {customer.language or '-'}",
        f"Case: {case.kind.value} — {case.reason}",
        f"Sentiment trend: {trend}",
    ]
    if page is not None:
        lines.append(f"On the website: {page.title or '-'} · {page.url}")
    if handoff.past_cases:
        past = ", ".join(
            f"#{c.number} {c.status.value}" + (f" ({c.csat}/5)" if c.csat else "")
            for c in handoff.past_cases[:5]
        )
        lines.append(f"Other cases: {past}")
    if handoff.recent:
        lines.append("Recent messages:")
        lines += [f"  {line}" for line in handoff.recent]
    lines.append(
        "Reply to this message to answer the customer; /take /note /handback /close /transfer NAME."
    )
    return "\n".join(lines)


class TelegramAgentDesk:
    """Posts cases to ``chat_id`` and turns agents' messages there into AgentService calls.

    Args:
        bot: the bot that posts.
        chat_id: the agents' group.
        agent_ids: Telegram user ids allowed to act; anyone else is ignored.
        use_topics: the group is a forum: each case gets its own topic.
        files: where files without a Telegram message to copy are read from (a website
            visitor's uploads), to upload them to the group.
    """

    def __init__(
        self,
        *,
        bot: Bot,
        chat_id: int,
        agent_ids: Sequence[int],
        use_topics: bool,
        service: AgentService,
        customers: CustomerStore,
        messages: MessageStore,
        state: ConversationState,
        posts: DeskPostStore | None = None,
        audit: AuditLog | None = None,
        canned: CannedService | None = None,
        media: MediaStore | None = None,
        router: Router | None = None,
        files: MediaCache | None = None,
    ) -> None:
        self._router = router
        self._files = files
        self._bot = bot
        self._canned = canned
        self._media = media
        self._audit = audit
        self._posts = posts
        self.chat_id = chat_id
        self._agents = set(agent_ids)
        self._topics = use_topics
        self._service = service
        self._customers = customers
        self._messages = messages
        self._state = state

    # --- the dispatcher's side (AgentDesk) ----------------------------------------------

    async def case_escalated(self, handoff: Handoff) -> None:
        number = handoff.case.number
        # A repeated turn (crm_memory.source) posts only what its earlier run did not: the
        # card and its topic, then each copy of the customer's media, once.
        if not await self._posted_already(number):
            await self._post_card(handoff)
        if self._media is not None:
            # What the customer sent with the complaint: shown with the case, natively.
            for media in await self._media.for_case(number):
                await self._copy(media, number, handoff.customer)

    async def _post_card(self, handoff: Handoff) -> None:
        thread = None
        if self._topics:
            name = f"#{handoff.case.number} {handoff.customer.display_name}"[:128]
            topic = await self._bot.create_forum_topic(self.chat_id, name)
            thread = topic.message_thread_id
            await self._state.set(
                f"case:{handoff.case.number}", "thread", str(thread), ttl=THREAD_TTL
            )
        page = await page_of(self._state, (handoff.identity,))
        posted = await self._post(
            case_post(handoff, page),
            thread,
            customer_id=handoff.customer.id,
            case_number=handoff.case.number,
            checked=True,
        )
        number = handoff.case.number
        if posted is not None:
            await self._state.set(f"case:{number}", "post", str(posted.message_id), ttl=THREAD_TTL)

    async def customer_wrote(
        self, *, case_number: int | None, customer: Customer, identity: ChannelIdentity, text: str
    ) -> None:
        ref = f"#{case_number} " if case_number is not None else ""
        await self._post(
            f"💬 {ref}{customer.display_name}: {text}",
            await self._thread(case_number),
            customer_id=customer.id,
            case_number=case_number,
        )

    async def customer_media(
        self,
        *,
        case_number: int | None,
        customer: Customer,
        identity: ChannelIdentity,
        media: Media,
    ) -> None:
        await self._copy(media, case_number, customer)

    async def _copy(self, media: Media, case_number: int | None, customer: Customer) -> None:
        """Copy a customer's media into the case's topic, or as a reply to the case post, with
        the case number (agents reply to it like to any post of the case)."""
        ref = f"#{case_number} " if case_number is not None else ""
        attachment = media.attachment
        if media.forgotten or await self._posted_already(case_number):
            return
        upload = None
        if attachment.source is None:
            # No Telegram message to copy (a website visitor's file): uploaded from its bytes.
            if self._files is None or not attachment.kind.has_file:
                return
            try:
                upload = await self._files.read(media)
            except MediaError as exc:
                logger.error("a customer's %s cannot reach the agents: %s", attachment.kind, exc)
                return
        thread = await self._thread(case_number)
        post = await self._state.get(f"case:{case_number}", "post") if case_number else None
        caption = f"📎 {ref}{customer.display_name}: {attachment.caption}".strip()
        reply = ReplyParameters(int(post), allow_sending_without_reply=True) if post else None
        copied: MessageId | Message
        try:
            if upload is not None:
                copied = await self._upload(media, upload, caption[:1024], thread, reply)
            else:
                from_chat, _, message_id = (attachment.source or "").rpartition(":")
                copied = await self._bot.copy_message(
                    self.chat_id,
                    int(from_chat),
                    int(message_id),
                    message_thread_id=thread,
                    caption=caption[:1024] if attachment.kind.has_caption else None,
                    reply_parameters=reply,
                )
        except TelegramError as exc:
            logger.error(
                "could not copy a customer's %s to the agents' chat: %s", attachment.kind, exc
            )
            return
        if self._posts is not None:
            await self._posts.add(
                DeskPost(
                    customer_id=customer.id,
                    chat_id=self.chat_id,
                    message_id=copied.message_id,
                    case_number=case_number,
                    thread_id=thread,
                )
            )

    async def _upload(
        self,
        media: Media,
        data: bytes,
        caption: str,
        thread: int | None,
        reply: ReplyParameters | None,
    ) -> Message:
        """A file sent from its bytes: JPEG and PNG photos as photos (under Telegram's 10 MB
        for photos), anything else (a GIF, WebP, PDF) as a document, as it was."""
        attachment = media.attachment
        name = attachment.file_name or f"{attachment.kind}-{media.id}"
        if attachment.mime_type in ("image/jpeg", "image/png") and len(data) <= PHOTO_BYTES:
            return await self._bot.send_photo(
                self.chat_id,
                InputFile(data, filename=name),
                caption=caption,
                message_thread_id=thread,
                reply_parameters=reply,
            )
        return await self._bot.send_document(
            self.chat_id,
            InputFile(data, filename=name),
            caption=caption,
            message_thread_id=thread,
            reply_parameters=reply,
        )

    async def alert(self, text: str, *, case_number: int | None = None) -> None:
        customer_id = None
        post = None
        if case_number is not None:
            try:
                customer_id = (await self._service.case(case_number)).customer_id
            except AgentError:
                customer_id = None
            post = await self._state.get(f"case:{case_number}", "post")
        # In the case's thread: its topic, and as a reply to its post (who got the case, SLA
        # warnings and reminders read under the case they are about, not loose in the group).
        await self._post(
            text,
            await self._thread(case_number),
            customer_id=customer_id,
            case_number=case_number,
            reply_to=int(post) if post else None,
        )

    async def erase(self, posts: Sequence[DeskPost]) -> int:
        return await erase_posts(self._bot, posts)

    async def _posted_already(self, case_number: int | None) -> bool:
        """This post was made by an earlier run of the customer's turn now running (cut
        before its closing write, a worker killed): see DeskPostStore.already_posted."""
        return self._posts is not None and await self._posts.already_posted(case_number)

    async def _thread(self, case_number: int | None) -> int | None:
        if not self._topics or case_number is None:
            return None
        value = await self._state.get(f"case:{case_number}", "thread")
        return int(value) if value else None

    async def _post(
        self,
        text: str,
        thread: int | None = None,
        *,
        customer_id: int | None = None,
        case_number: int | None = None,
        reply_to: int | None = None,
        checked: bool = False,
    ) -> Message | None:
        """Post in the agents' chat (``reply_to``: as a reply to that post, if it is still
        there); a post about a customer is remembered for erasure, and is made once by a
        customer's turn that runs twice (``checked``: the caller asked already)."""
        if customer_id is not None and not checked and await self._posted_already(case_number):
            return None
        try:
            message: Message = await self._bot.send_message(
                self.chat_id,
                text[:4096],
                message_thread_id=thread,
                reply_parameters=(
                    ReplyParameters(reply_to, allow_sending_without_reply=True)
                    if reply_to is not None
                    else None
                ),
            )
        except TelegramError as exc:
            # The case is stored either way; the queue (/cases) and reminders still show it.
            logger.error("could not post to the agents' chat: %s", exc)
            return None
        if customer_id is not None and self._posts is not None:
            await self._posts.add(
                DeskPost(
                    customer_id=customer_id,
                    chat_id=self.chat_id,
                    message_id=message.message_id,
                    case_number=case_number,
                    thread_id=thread,
                )
            )
        return message

    # --- the agents' side ---------------------------------------------------------------

    async def on_group_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        user = update.effective_user
        if message is None or user is None or user.is_bot:
            return
        if user.id not in self._agents:
            logger.warning("ignored a message from non-agent %s in the agents' chat", user.id)
            return
        agent = user.full_name or user.username or str(user.id)
        if self._router is not None:
            # A Telegram user linked to a desk account acts under the account's name.
            agent = await self._router.agent_for_telegram(user.id) or agent
        attachment = attachment_of(message)
        text = (message.text or message.caption or "").strip()
        thread = message.message_thread_id if message.is_topic_message else None
        command, _, rest = text.partition(" ") if text.startswith("/") else ("", "", text)
        command = command.lstrip("/").split("@")[0].lower()
        try:
            answer = await self._act(command, rest.strip(), message, agent, attachment)
        except AgentError as exc:
            answer = f"⚠️ {exc}"
        if answer:
            await self._post(answer, thread)

    async def _case_number(self, message: Message, args: str) -> int | None:
        found = CASE_REF.search(args)
        if found:
            return int(found.group(1))
        replied = message.reply_to_message
        if replied is not None:
            source = replied.text or replied.caption or ""
            if replied.forum_topic_created is not None:
                source = replied.forum_topic_created.name
            found = CASE_REF.search(source)
            if found:
                return int(found.group(1))
        return None

    async def _act(
        self,
        command: str,
        args: str,
        message: Message,
        agent: str,
        attachment: Attachment | None = None,
    ) -> str | None:
        if command == "cases":
            queue = await self._service.queue()
            if not queue:
                return "No open cases."
            return "Open cases:\n" + "\n".join(
                f"#{c.number} · {c.priority.value} · {c.status.value}"
                f" · {c.owner or 'unassigned'} · {c.escalation_reason or c.reason}"
                for c in queue[:50]
            )
        if command == "c" and self._canned is not None:
            return await self._canned_reply(args, message, agent)
        if command in STATUS_COMMANDS and self._router is not None:
            user = message.from_user
            linked = await self._router.agent_for_telegram(user.id) if user else None
            if linked is None:
                # Cases are owned under a desk account's name: a status needs the link.
                raise AgentError(
                    "your Telegram account is not linked to an agent: a lead runs "
                    f"`python -m bot agents set NAME --telegram {user.id if user else '?'}`"
                )
            status = STATUS_COMMANDS[command]
            await self._router.set_status(linked, status)
            return f"{linked} is {status.value}."
        if command and command not in AGENT_COMMANDS:
            return None  # another bot's command, or a typo: stay out of the way
        number = await self._case_number(message, args)
        if number is None:
            if not command:
                return None  # ordinary talk among agents
            raise AgentError(f"which case? reply to its post or write /{command} #N")
        rest = CASE_REF.sub("", args, count=1).strip()
        if command == "take":
            await self._service.take(number, agent)
            return f"✅ #{number} taken by {agent}; the bot is quiet in that chat."
        if command == "close":
            await self._service.close(number, agent)
            return f"✅ #{number} closed by {agent}; the customer was asked for a rating."
        if command == "handback":
            await self._service.handback(number, agent)
            return f"↩️ #{number} handed back to the bot by {agent}."
        if command == "transfer":
            await self._service.transfer(number, rest, by=agent)
            return None  # the router announces it in the case's thread
        if command == "note":
            await self._service.note(number, agent, rest)
            return f"📝 note added to #{number}."
        if command == "customer":
            case = await self._service.case(number)
            if self._audit is not None:
                await self._audit.write(
                    actor=agent,
                    action="view",
                    customer_id=case.customer_id,
                    detail=f"customer card, case #{number} (agents' group)",
                )
            await self._post(
                await self._customer_card(case),
                message.message_thread_id if message.is_topic_message else None,
                customer_id=case.customer_id,
                case_number=number,
            )
            return None
        if attachment is not None:
            # A photo, file or voice note for the customer, copied as it is; its caption
            # without the "#N" or command that told us which case it is for.
            await self._service.send_media(number, agent, replace(attachment, caption=rest))
            return None
        await self._service.reply(number, agent, rest)
        return None

    async def _canned_reply(self, args: str, message: Message, agent: str) -> str:
        """``/c NAME`` (replying to a case's post or in its topic, or with ``#N``) sends the
        canned reply filled in for that case's customer; ``/c`` alone lists them."""
        assert self._canned is not None
        name = next((w for w in args.split() if not CASE_REF.fullmatch(w)), "")
        if not name:
            found = await self._canned.all()
            if not found:
                return "No canned replies yet: a lead adds them (python -m bot canned add)."
            return "Canned replies (/c NAME in a case's thread):\n" + "\n".join(
                f"{c.name} ({', '.join(c.variants)})" for c in found
            )
        number = await self._case_number(message, args)
        if number is None:
            raise AgentError("which case? reply to its post with /c NAME, or write /c NAME #N")
        filled = await self._canned.send(name, number, agent)
        sent = f"{filled.name} ({filled.language})"
        if filled.attachment is not None:
            sent += f" and its {filled.attachment.kind}"
        return f"✅ {sent} sent to #{number}."

    async def _customer_card(self, case: Case) -> str:
        customer = await self._customers.get(case.customer_id)
        identities = ", ".join(str(i) for i in await self._customers.identities(customer.id))
        facts = ", ".join(f"{f.kind} {f.value}" for f in await self._customers.facts(customer.id))
        history = await self._messages.history(customer.id, limit=15)
        lines = [
            f"👤 {customer.display_name} ({identities})",
            f"segment {customer.segment} · tier {customer.tier} · language "
            f"{customer.language or '-'} · facts: {facts or '-'}",
        ]
        lines += [
            f"  {m.created_at:%m-%d %H:%M} {m.agent or m.sender.value}: {m.text[:150]}"
            for m in history
        ]
        notes = await self._service.notes(case.number)
        if notes:
            lines.append(f"Notes on #{case.number} (internal):")
            lines += [f"  📝 {n.created_at:%m-%d %H:%M} {n.author}: {n.text[:300]}" for n in notes]
        return "\n".join(lines)
