"""The page a website visitor is on, as their widget tells it: checked, kept a while, shown
to agents with the visitor's case."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

from crm_memory import ChannelIdentity
from crm_memory.protocols import ConversationState

KEY = "page"
TTL = 7 * 24 * 3600.0  # the page of a visitor who left is of no use after a week
MAX_URL = 1000
MAX_TITLE = 200


@dataclass(frozen=True, slots=True)
class VisitorPage:
    """Where the visitor is: the page's address and title, and when the widget said so."""

    url: str
    title: str
    at: datetime


def checked_page(
    url: str | None, title: str | None, *, allows: Callable[[str], bool]
) -> VisitorPage | None:
    """The page the widget names, or None when it is not one agents may be shown: not an
    http(s) address of an origin the widget is allowed on, longer than ``MAX_URL``, or with
    control characters (a title is cut to ``MAX_TITLE`` and its control characters dropped).
    """
    if not url or len(url) > MAX_URL or any(not c.isprintable() or c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a port that is not a number
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username:
        return None
    origin = f"{parts.scheme}://{parts.hostname}" + (f":{port}" if port is not None else "")
    if not allows(origin):
        return None
    shown = " ".join("".join(c if c.isprintable() else " " for c in title or "").split())
    return VisitorPage(url=url, title=shown[:MAX_TITLE], at=datetime.now(UTC))


async def remember(state: ConversationState, identity: ChannelIdentity, page: VisitorPage) -> None:
    """Keep the visitor's page (replacing the one before) for ``TTL``."""
    value = {"url": page.url, "title": page.title, "at": page.at.isoformat()}
    await state.set(str(identity), KEY, json.dumps(value, ensure_ascii=False), ttl=TTL)


async def page_of(
    state: ConversationState, identities: Iterable[ChannelIdentity]
) -> VisitorPage | None:
    """The page the customer's widget named last, of any of their website identities."""
    found: list[VisitorPage] = []
    for identity in identities:
        if identity.channel != "web":
            continue
        raw = await state.get(str(identity), KEY)
        if raw is None:
            continue
        try:
            data = json.loads(raw)
            found.append(
                VisitorPage(
                    url=str(data["url"]),
                    title=str(data.get("title") or ""),
                    at=datetime.fromisoformat(str(data["at"])),
                )
            )
        except (ValueError, KeyError, TypeError):
            continue  # a value this code did not write: no page rather than an error
    return max(found, key=lambda p: p.at, default=None)
