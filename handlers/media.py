"""Customers' photos, files and voice notes: kept with the message, attached to their case."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

from crm_memory import Case, Customer, Media, MediaKind, Message
from handlers.turn import Deps, Turn
from handlers.types import ContentKind, InboundMessage, Reply

logger = logging.getLogger(__name__)

# Reactions, not documents: outside a case they get the usual "please write it down".
REACTIONS = (MediaKind.STICKER, MediaKind.ANIMATION)
KIND_NAMES: dict[str, dict[MediaKind, str]] = {
    "en": {
        MediaKind.PHOTO: "photo",
        MediaKind.DOCUMENT: "file",
        MediaKind.VOICE: "voice message",
        MediaKind.VIDEO: "video",
        MediaKind.AUDIO: "audio",
        MediaKind.STICKER: "sticker",
        MediaKind.LOCATION: "location",
        MediaKind.CONTACT: "contact",
        MediaKind.ANIMATION: "GIF",
        MediaKind.VIDEO_NOTE: "video message",
    },
    "zh": {
        MediaKind.PHOTO: "照片",
        MediaKind.DOCUMENT: "文件",
        MediaKind.VOICE: "语音",
        MediaKind.VIDEO: "视频",
        MediaKind.AUDIO: "音频",
        MediaKind.STICKER: "表情",
        MediaKind.LOCATION: "位置",
        MediaKind.CONTACT: "名片",
        MediaKind.ANIMATION: "动图",
        MediaKind.VIDEO_NOTE: "视频消息",
    },
}


def kind_name(kind: MediaKind, language: str) -> str:
    """A kind of media in the customer's words: ``voice`` -> "voice message" / "语音"."""
    return KIND_NAMES.get(language, KIND_NAMES["en"])[kind]


def history_text(message: InboundMessage, text: str) -> str:
    """How a message reads in history: ``[photo] caption``; nothing is ever lost as blank."""
    if message.media is not None:
        return message.media.marker()
    if text:
        return text
    return f"[{'blank' if message.kind is ContentKind.TEXT else message.kind}]"


async def keep(deps: Deps, stored: Message, message: InboundMessage) -> Media | None:
    """Store the message's attachment as its own row (once, however often it arrives)."""
    if message.media is None or deps.media is None:
        return None
    return await deps.media.add(
        message_id=stored.id,
        customer_id=stored.customer_id,
        attachment=message.media,
        case_number=None,
    )


async def to_agent(
    deps: Deps,
    kept: Media | None,
    *,
    case_number: int | None,
    customer: Customer,
    message: InboundMessage,
) -> None:
    """An agent has the chat: the media goes with the case, and to the agents natively."""
    if kept is None or deps.media is None:
        return
    if case_number is not None and kept.case_number is None:
        kept = await deps.media.attach(kept.id, case_number)
    if deps.desk is not None:
        await deps.desk.customer_media(
            case_number=case_number, customer=customer, identity=message.identity, media=kept
        )


def _recent_case(cases: list[Case], kept: Media, window: timedelta) -> Case | None:
    """The case the media belongs to: the newest open one waiting for agents, else the newest
    one opened at most ``window`` before (a photo of the broken kettle after the complaint)."""
    newest_first = sorted(cases, key=lambda c: c.opened_at, reverse=True)
    for case in newest_first:
        if case.escalated_at is not None:
            return case  # agents will read it: whatever the customer adds goes with it
    for case in newest_first:
        if kept.created_at - case.opened_at <= window:
            return case
    return None


async def after_turn(turn: Turn, kept: Media | None, replies: list[Reply]) -> list[Reply]:
    """The bot had the chat: media sent right after a complaint (or with it, as the caption)
    is attached to that case, shown to agents when the case is with them, and the customer
    is told where it went instead of "I can only read text"."""
    deps = turn.deps
    if kept is None or deps.media is None:
        return replies
    open_cases = await deps.cases.for_customer(turn.customer_id, open_only=True)
    case = _recent_case(open_cases, kept, deps.media_attach_window)
    name = kind_name(kept.attachment.kind, turn.language)
    if case is None:
        if turn.message.kind is ContentKind.TEXT or kept.attachment.kind in REACTIONS:
            return replies  # the caption was answered; a sticker asks for words as before
        return [turn.reply("media_kept", kind=name)]
    kept = await deps.media.attach(kept.id, case.number)
    if case.escalated_at is not None and deps.desk is not None:
        # Already with the agents: they see it in the case's thread now.
        await deps.desk.customer_media(
            case_number=case.number,
            customer=turn.context.customer,
            identity=turn.message.identity,
            media=kept,
        )
    told = turn.reply("media_attached", kind=name, number=case.number)
    if turn.message.kind is not ContentKind.TEXT:
        return [told]
    if not replies:
        return [told]
    if any(f"#{case.number}" in r.text for r in replies):
        return replies  # the answer to the caption opened the case and names it
    last = replies[-1]
    return [*replies[:-1], replace(last, text=f"{last.text}\n{told.text}")]
