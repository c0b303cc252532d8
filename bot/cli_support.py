"""What the command modules share: consoles, JSON output, running coroutines, errors."""

from __future__ import annotations

import asyncio
import getpass
import json
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterable, Sequence
from dataclasses import asdict, is_dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from bot.config import ConfigError, Settings
from crm_memory.errors import InvalidIdentity, NotFound

if TYPE_CHECKING:
    from crm_memory import SqlDatabase

T = TypeVar("T")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON and nothing else.")]


class UserError(Exception):
    """A mistake on the command line: printed without a traceback, exit status 1."""


def fail(message: str) -> NoReturn:
    """End a command over a user's mistake: the message, no traceback, exit status 1."""
    err.print(message, markup=False)
    raise typer.Exit(1)


ACTOR = "crmbot.actor"


def actor_of(ctx: typer.Context) -> str:
    """Who runs this command, for the audit log: ``cli:`` and the OS user, or ``--as NAME``."""
    name = ctx.meta.get(ACTOR)
    if not isinstance(name, str):
        name = who_runs()
    return f"cli:{name}"


def who_runs() -> str:
    """The OS user running the command (``getpass``: LOGNAME, USER, ... then the password
    database), or ``unknown`` in a container that has none."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def settings_of(ctx: typer.Context) -> Settings:
    settings = ctx.obj
    assert isinstance(settings, Settings)
    return settings


def run_async(coro: Coroutine[Any, Any, T]) -> T:
    """Run a command's coroutine; user and config errors end it with a clear message."""
    try:
        return asyncio.run(coro)
    except ConfigError as exc:
        err.print(f"[bold red]config error[/] {exc}", markup=True)
        raise typer.Exit(2) from None
    except (UserError, InvalidIdentity) as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None


def store_action(
    ctx: typer.Context,
    act: Callable[[SqlDatabase], Awaitable[T]],
    *,
    audit: str | None = None,
    detail: str = "",
    refused: tuple[type[Exception], ...] = (NotFound,),
    fix: str = "",
) -> T:
    """One change a command makes: open the stores, ``act`` on the database, a refusal
    (``refused``: NotFound unless told) printed as the user's mistake with ``fix`` after it,
    then the audit entry (``audit``: the action, with ``detail``) as the command's runner."""
    # Here, not at the top: bot.app builds the web app, whose modules import this one.
    from bot.app import open_stores

    async def go() -> T:
        async with open_stores(settings_of(ctx)) as stores:
            try:
                result = await act(stores.db)
            except refused as exc:
                raise UserError(f"{exc}; {fix}" if fix else str(exc)) from None
            if audit is not None:
                await stores.db.audit.write(actor=actor_of(ctx), action=audit, detail=detail)
            return result

    return run_async(go())


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {k: jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> Table:
    """A Rich table with a title, a header of ``columns`` and the given rows."""
    result = Table(title=title)
    for column in columns:
        result.add_column(column)
    for row in rows:
        result.add_row(*row)
    return result


class TrainingNotice:
    """Tells the person at the terminal what a first start is doing while the language model
    trains (it is trained once, then loaded from its cache), step by step, on stderr.

    Pass it as ``progress`` to ``build_nlu``/``open_services``; it says nothing when the
    cached model is loaded. ``finish`` says how long it took.
    """

    def __init__(self, console: Console | None = None) -> None:
        self._console = console or err
        self._started: float | None = None
        self._steps = 0

    def __call__(self, step: str) -> None:
        now = time.perf_counter()
        if self._started is None:
            self._started = now
            self._console.print(
                "Training the language model for the first time (once, ~20 s; later starts "
                "load it)…",
                markup=False,
            )
        self._steps += 1
        self._console.print(f"  {self._steps}. {step} ({now - self._started:.0f} s)", markup=False)

    def finish(self) -> None:
        """Say the training is over, if there was any."""
        if self._started is not None:
            seconds = time.perf_counter() - self._started
            self._console.print(f"  ready in {seconds:.0f} s; saved for next time.", markup=False)
            self._started = None


def print_json(value: Any) -> None:
    print(json.dumps(jsonable(value), ensure_ascii=False, indent=2))
