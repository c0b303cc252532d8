"""What channels hand to the dispatcher and get back, free of any channel's types."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from crm_memory import Attachment, Case, ChannelIdentity, Customer, Message


class ContentKind(StrEnum):
    """What a customer sent."""

    TEXT = "text"
    COMMAND = "command"
    BUTTON = "button"
    STICKER = "sticker"
    PHOTO = "photo"
    VOICE = "voice"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One message from a customer, as any channel adapter converts it.

    ``message_id`` is the channel's id for this message or update; the same id arriving
    twice is stored and answered once.
    """

    channel: str
    user_id: str
    text: str
    display_name: str = ""
    language_code: str | None = None
    message_id: str | None = None
    kind: ContentKind = ContentKind.TEXT
    # A photo, file, voice note, location or contact sent with (or as) the message.
    media: Attachment | None = None

    @property
    def identity(self) -> ChannelIdentity:
        """The customer's identity on this channel."""
        return ChannelIdentity(self.channel, self.user_id)


@dataclass(frozen=True, slots=True)
class Button:
    """A choice shown under a reply; pressing it sends ``payload`` back as a BUTTON message."""

    label: str
    payload: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One message the bot sends; ``record_id`` is its row in the history once recorded.

    ``ephemeral`` replies are sent but not recorded: the last words to a customer who has
    just been erased. A reply with ``media`` sends it natively (copied from ``media.source``
    when it has one, else by file id, else ``upload``'s bytes) with ``text`` as its caption.
    ``record`` is the stored row itself when whoever recorded it had it at hand (see
    ``recorded_as``), so a channel can show its time and sender without reading it back.
    """

    text: str
    buttons: tuple[Button, ...] = ()
    record_id: int | None = None
    ephemeral: bool = False
    media: Attachment | None = None
    upload: bytes | None = None
    record: Message | None = field(default=None, compare=False, repr=False)

    def recorded_as(self, message: Message) -> Reply:
        """This reply, recorded as ``message`` in the history."""
        return replace(self, record_id=message.id, record=message)


@dataclass(frozen=True, slots=True)
class Handoff:
    """A case handed to people, with what they need to not ask the customer again."""

    case: Case
    customer: Customer
    identity: ChannelIdentity
    reason: str
    recent: tuple[str, ...]
    sentiment_trend: tuple[float, ...]
    past_cases: tuple[Case, ...]
