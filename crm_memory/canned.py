"""Canned replies: named answers with language variants and placeholders, and their rules."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from crm_memory.errors import InvalidInput
from crm_memory.media import Attachment, MediaKind
from crm_memory.validation import check_text

# What a canned text may ask to be filled in, and what fills it (for error messages).
PLACEHOLDERS: Mapping[str, str] = {
    "name": "the customer's name",
    "order": "the order in play or the last one the customer named",
    "case": "the case number, as #N",
    "agent": "the agent's display name",
}
ATTACHMENT_KINDS = ("photo", "document")
MAX_TEXT = 4096
# Typed after /c in the agents' group and after / in the desk: no spaces, no case games.
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
# en, zh, pt-BR, zh-Hant: a language code (BCP 47 language, optional script or region).
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?")
# Telegram file ids are URL-safe base64 of a few dozen to a few hundred characters.
_FILE_ID = re.compile(r"[A-Za-z0-9_-]{10,512}")


@dataclass(frozen=True, slots=True)
class CannedReply:
    """A named answer agents send often, in one or more languages (``variants``: code→text),
    and the photo or document sent after it (kind and Telegram file id)."""

    id: int
    name: str
    variants: Mapping[str, str]
    attachment: Attachment | None
    created_at: datetime
    updated_at: datetime
    updated_by: str

    def variant(self, language: str | None) -> tuple[str, str]:
        """(language, text) for a customer speaking ``language``: that language, else its
        base (``zh`` for ``zh-TW``), else English, else the first variant by code."""
        wanted = [language, language.split("-")[0]] if language else []
        for code in (*wanted, "en"):
            if code and code in self.variants:
                return code, self.variants[code]
        code = sorted(self.variants)[0]
        return code, self.variants[code]


class MissingValue(InvalidInput):
    """A placeholder has nothing to fill it for this customer or case."""

    def __init__(self, placeholder: str, reason: str) -> None:
        super().__init__("{" + placeholder + "}", reason)
        self.placeholder = placeholder


def check_canned_name(name: str, *, field: str = "name") -> str:
    """The name lower-cased, or InvalidInput: 1-64 of a-z, 0-9, ``_`` and ``-``, starting
    with a letter or digit (``refund_info``), since agents type it after ``/c``."""
    cleaned = name.strip().lower()
    if not _NAME.fullmatch(cleaned):
        raise InvalidInput(
            field, "1 to 64 characters of a-z, 0-9, _ and -, starting with a letter or digit"
        )
    return cleaned


def check_language(code: str, *, field: str = "language") -> str:
    """A language code as stored (``en``, ``zh``, ``pt-BR``), or InvalidInput."""
    cleaned = code.strip()
    if not _LANGUAGE.fullmatch(cleaned):
        raise InvalidInput(field, "a language code such as en, zh or pt-BR")
    base, _, rest = cleaned.partition("-")
    return f"{base.lower()}-{rest}" if rest else base.lower()


def check_attachment(kind: str, file_id: str) -> Attachment:
    """An attachment, or InvalidInput naming what is wrong with it."""
    if kind not in ATTACHMENT_KINDS:
        raise InvalidInput("attachment.kind", f"one of {', '.join(ATTACHMENT_KINDS)}")
    if not _FILE_ID.fullmatch(file_id.strip()):
        raise InvalidInput("attachment.file_id", "a Telegram file id (letters, digits, _ and -)")
    return Attachment(MediaKind(kind), file_id.strip())


def _parse(text: str, field: str) -> list[tuple[str, str | None]]:
    """(literal, placeholder) pairs; InvalidInput for broken braces or formatting tricks."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        raise InvalidInput(
            field, "a { or } without its pair; write {{ or }} for a brace the customer sees"
        ) from None
    out: list[tuple[str, str | None]] = []
    for literal, name, spec, conversion in parts:
        if name is not None and (spec or conversion):
            raise InvalidInput(field, f"write {{{name.split('!')[0]}}} without : or !")
        out.append((literal, name))
    return out


def placeholders(text: str, *, field: str = "text") -> list[str]:
    """The placeholders a text uses, in order of first use."""
    found: list[str] = []
    for _, name in _parse(text, field):
        if name is not None and name not in found:
            found.append(name)
    return found


def check_template(text: str, *, field: str = "text") -> str:
    """The text stripped, or InvalidInput when it is blank, too long, holds control
    characters, or uses a placeholder other than {name}, {order}, {case} and {agent}."""
    text = check_text(text, field=field, max_length=MAX_TEXT)
    unknown = [p for p in placeholders(text, field=field) if p not in PLACEHOLDERS]
    if unknown:
        shown = ", ".join("{" + p + "}" for p in unknown)
        known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
        raise InvalidInput(field, f"unknown placeholder {shown}; use {known}")
    return text


def fill(text: str, values: Mapping[str, str | None]) -> str:
    """The text with its placeholders filled (values are inserted as they are, never
    formatted). Raises MissingValue for a placeholder whose value is None or blank."""
    out: list[str] = []
    for literal, name in _parse(text, "text"):
        out.append(literal)
        if name is None:
            continue
        value = values.get(name)
        if value is None or not value.strip():
            what = PLACEHOLDERS.get(name, "a value")
            raise MissingValue(name, f"no value for {what}; write the reply yourself")
        out.append(value)
    return "".join(out)


class CannedStore(Protocol):
    """Where canned replies are kept (names are unique, stored lower-case)."""

    async def all(self, *, query: str = "", limit: int = 200) -> list[CannedReply]:
        """Every canned reply by name; with ``query``, those whose name or text contains it."""
        ...

    async def get(self, name: str) -> CannedReply:
        """The canned reply called ``name``; NotFound otherwise."""
        ...

    async def add(
        self,
        name: str,
        *,
        variants: Mapping[str, str],
        attachment: Attachment | None = None,
        author: str,
    ) -> CannedReply:
        """A new canned reply; AlreadyExists when the name is taken, InvalidInput for a bad
        name, language, text or placeholder."""
        ...

    async def update(
        self,
        name: str,
        *,
        variants: Mapping[str, str | None] | None = None,
        attachment: Attachment | None = None,
        drop_attachment: bool = False,
        author: str,
    ) -> CannedReply:
        """Set (text) or remove (None) language variants and replace or drop the attachment.
        NotFound, InvalidInput, or InvalidInput when no variant would be left."""
        ...

    async def remove(self, name: str) -> None:
        """Delete a canned reply; NotFound when there is none."""
        ...
