"""The console channel: chat with the bot in a terminal, buttons shown as numbered choices."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from rich.console import Console

from handlers.dispatcher import Dispatcher
from handlers.types import Button, ContentKind, InboundMessage

logger = logging.getLogger(__name__)

QUIT = ("/quit", "/exit")


def to_inbound(line: str, *, name: str, buttons: list[Button]) -> InboundMessage:
    """What a typed line means: a pressed button (its number), a command, or text."""
    text = line.strip()
    kind = ContentKind.TEXT
    if text.isdigit() and buttons and 1 <= int(text) <= len(buttons):
        text, kind = buttons[int(text) - 1].payload, ContentKind.BUTTON
    elif text.startswith("/"):
        kind = ContentKind.COMMAND
    return InboundMessage(channel="console", user_id=name, text=text, display_name=name, kind=kind)


async def chat(
    dispatcher: Dispatcher,
    *,
    name: str,
    console: Console,
    read: Callable[[], str] | None = None,
) -> None:
    """Talk to the dispatcher until /quit or end of input."""
    ask = read or (lambda: console.input("[bold cyan]you>[/] "))
    console.print(
        f"[dim]Chatting as [bold]{name}[/bold] (console:{name}). Try “hi”, “where is my order "
        "A-1001”, “my kettle arrived broken”. Buttons appear as numbers: type one to press it. "
        "/help, /mydata, /agent; /quit to leave.[/dim]"
    )
    buttons: list[Button] = []
    while True:
        try:
            line = await asyncio.to_thread(ask)
        except (EOFError, KeyboardInterrupt):
            break
        if line.strip().lower() in QUIT:
            break
        message = to_inbound(line, name=name, buttons=buttons)
        try:
            replies = await dispatcher.handle(message)
        except Exception:
            # The adapter is the one place that catches everything: the message was recorded
            # first, so apologise and keep the chat going.
            logger.exception("console message failed")
            console.print(f"[bold red]bot>[/] {dispatcher.apology(message)}", highlight=False)
            continue
        buttons = []
        for reply in replies:
            console.print(f"[bold green]bot>[/] {reply.text}", highlight=False)
            for button in reply.buttons:
                buttons.append(button)
                console.print(f"     [yellow][{len(buttons)}][/] {button.label}", highlight=False)
            await dispatcher.mark_sent(reply)
    console.print("[dim]bye[/dim]")
