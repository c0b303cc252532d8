"""Commands for the desk: serve it, manage agents' accounts and API tokens, read the audit log."""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Annotated

import typer

from bot.app import open_stores, serve_desk
from bot.cli_support import (
    JsonFlag,
    UserError,
    actor_of,
    fail,
    out,
    print_json,
    run_async,
    settings_of,
    store_action,
    table,
)
from bot.web.auth import SCOPES, account_name, hash_password, new_token, token_hash
from crm_memory import (
    AgentAccount,
    AlreadyExists,
    ApiToken,
    AuditEntry,
    ChannelIdentity,
    InvalidInput,
    Role,
    check_name,
)

agents_app = typer.Typer(help="Accounts for the web desk and their roles.", no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for other systems.", no_args_is_help=True)
MIN_PASSWORD = 10


def web(ctx: typer.Context) -> None:
    """Serve the agents' desk and the REST API (web.listen:web.port)."""
    settings = settings_of(ctx)

    async def go() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        out.print(f"desk on http://{settings.web.listen}:{settings.web.port}/desk")
        await serve_desk(settings, stop)

    run_async(go())


def _password(given_on_stdin: bool) -> str:
    if given_on_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        fail(f"a password needs at least {MIN_PASSWORD} characters")
    return password


PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


@agents_app.command("add")
def agents_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="How the agent signs in and signs replies.")],
    role: Annotated[Role, typer.Option(case_sensitive=False)] = Role.AGENT,
    password_stdin: PasswordStdin = False,
) -> None:
    """Create a desk account (agent: works cases; lead: also reports and export; admin: also
    accounts, tokens and erasure)."""
    try:
        name = check_name(name, field="NAME")  # the desk's and the API's rule
    except InvalidInput as exc:
        fail(str(exc))
    password = _password(password_stdin)

    store_action(
        ctx,
        lambda db: db.accounts.add_agent(name, password_hash=hash_password(password), role=role),
        audit="agent added",
        detail=name,
        refused=(AlreadyExists,),
    )
    out.print(f"agent {name} ({role.value}) can now sign in")


@agents_app.command("list")
def agents_list(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Desk accounts."""
    settings = settings_of(ctx)

    async def go() -> list[AgentAccount]:
        async with open_stores(settings) as stores:
            return await stores.db.accounts.agents()

    accounts = run_async(go())
    if as_json:
        print_json(accounts)
        return
    rows = [(a.name, a.role.value, "yes" if a.active else "no") for a in accounts]
    shown = table("agents", ("name", "role", "active"), rows)
    out.print(shown if accounts else "no agents yet: `python -m bot agents add NAME`")


@agents_app.command("disable")
def agents_disable(ctx: typer.Context, name: str) -> None:
    """The agent can no longer sign in; open sessions end."""
    name = account_name(name)

    store_action(ctx, lambda db: db.accounts.deactivate(name), audit="agent disabled", detail=name)
    out.print(f"agent {name} disabled")


@agents_app.command("password")
def agents_password(ctx: typer.Context, name: str, password_stdin: PasswordStdin = False) -> None:
    """Set a new password."""
    name = account_name(name)
    password = _password(password_stdin)

    store_action(ctx, lambda db: db.accounts.set_password(name, hash_password(password)))
    out.print(f"password of {name} changed")


@tokens_app.command("create")
def tokens_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Which system uses it, e.g. shop-backend.")],
    scope: Annotated[str, typer.Option(help="read or write.")] = "read",
) -> None:
    """Create an API token; it is shown once (only its hash is stored)."""
    settings = settings_of(ctx)
    if scope not in SCOPES:
        fail(f"--scope is read or write, not {scope!r}")
    try:
        name = check_name(name, field="NAME")
    except InvalidInput as exc:
        fail(str(exc))
    token = new_token("crm_")

    async def go() -> int:
        async with open_stores(settings) as stores:
            created = await stores.db.accounts.add_token(
                name, token_hash=token_hash(token), scope=scope
            )
            await stores.db.audit.write(actor=actor_of(ctx), action="token created", detail=name)
            return created.id

    token_id = run_async(go())
    out.print(f"token {token_id} ({scope}) for {name} — copy it now, it is not shown again:")
    out.print(token, soft_wrap=True, markup=False)


@tokens_app.command("list")
def tokens_list(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """API tokens (never their values)."""
    settings = settings_of(ctx)

    async def go() -> list[ApiToken]:
        async with open_stores(settings) as stores:
            return await stores.db.accounts.tokens()

    tokens = run_async(go())
    if as_json:
        print_json(tokens)
        return
    rows = [
        (
            str(t.id),
            t.name,
            t.scope,
            f"{t.created_at:%Y-%m-%d}",
            f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "-",
            f"{t.revoked_at:%Y-%m-%d}" if t.revoked_at else "-",
        )
        for t in tokens
    ]
    out.print(table("API tokens", ("id", "name", "scope", "created", "last used", "revoked"), rows))


@tokens_app.command("revoke")
def tokens_revoke(ctx: typer.Context, token_id: int) -> None:
    """Stop a token from working."""

    store_action(
        ctx,
        lambda db: db.accounts.revoke_token(token_id),
        audit="token revoked",
        detail=str(token_id),
    )
    out.print(f"token {token_id} revoked")


def audit(
    ctx: typer.Context,
    identity: Annotated[
        str | None, typer.Option("--customer", help="Only this customer (channel:id).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 100,
    as_json: JsonFlag = False,
) -> None:
    """Who viewed, exported or erased customers' data, newest first."""
    settings = settings_of(ctx)

    async def go() -> list[AuditEntry]:
        async with open_stores(settings) as stores:
            customer_id = None
            if identity:
                found = await stores.db.customers.find(ChannelIdentity.parse(identity))
                if found is None:
                    raise UserError(f"no customer with identity {identity}")
                customer_id = found.id
            return await stores.db.audit.entries(customer_id=customer_id, limit=limit)

    entries = run_async(go())
    if as_json:
        print_json(entries)
        return
    rows = [
        (f"{e.at:%Y-%m-%d %H:%M:%S}", e.actor, e.action, str(e.customer_id or "-"), e.detail)
        for e in entries
    ]
    out.print(table("audit log", ("when", "who", "what", "customer", "detail"), rows))
