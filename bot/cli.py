"""Command line: run the bot, chat in the terminal, migrate, and read CRM memory."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer

from bot import accounts_cli, assign_cli, canned_cli, crm_cli
from bot import console as console_channel
from bot.app import (
    Stores,
    Unrecoverable,
    check_here,
    open_services,
    open_stores,
    purge_expired,
    serve_telegram,
    web_url,
)
from bot.cli_support import (
    ACTOR,
    JsonFlag,
    TrainingNotice,
    UserError,
    actor_of,
    err,
    jsonable,
    out,
    print_json,
    run_async,
    settings_of,
    table,
)
from bot.config import ConfigError, Settings, load_settings
from bot.conversation_cli import test_app
from bot.nlu_cli import nlu_app
from crm_memory import (
    CaseStatus,
    ChannelIdentity,
    CrmError,
    Customer,
    InvalidInput,
    NotFound,
    check_name,
    check_text,
)

logger = logging.getLogger(__name__)

app = typer.Typer(
    help="Customer-service chat bot with CRM memory.", no_args_is_help=True, add_completion=False
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
crm_app = typer.Typer(help="Read CRM memory: customers, histories, cases.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(crm_app, name="crm")
app.add_typer(nlu_app, name="nlu")
app.add_typer(test_app, name="test")


@app.callback()
def _main(
    ctx: typer.Context,
    config: Annotated[
        Path | None, typer.Option("--config", help="YAML settings file (default ./config.yml).")
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="Who you are, for the audit log (default: your OS user); written as cli:NAME.",
        ),
    ] = None,
) -> None:
    if actor is not None:
        try:
            ctx.meta[ACTOR] = check_name(actor, field="--as")
        except InvalidInput as exc:
            err.print(str(exc), markup=False)
            raise typer.Exit(2) from None
    try:
        settings = load_settings(config)
    except ConfigError as exc:
        err.print(f"[bold red]config error[/] {exc}", markup=True)
        raise typer.Exit(2) from None
    logging.basicConfig(
        level=settings.logging.level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Migrations and HTTP clients report each step at INFO; users need only hear of problems.
    for chatty in ("alembic", "httpx"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    ctx.obj = settings


def _default_name() -> str:
    return (os.environ.get("USER") or os.environ.get("USERNAME") or "guest").strip() or "guest"


async def _console(settings: Settings, name: str) -> None:
    notice = TrainingNotice()
    async with open_services(settings, progress=notice) as services:
        notice.finish()
        if settings.crm.retention_days:
            await purge_expired(services.stores.db.messages, settings.crm.retention_days)
        await console_channel.chat(services.dispatcher, name=name, console=out)


@app.command()
def run(ctx: typer.Context) -> None:
    """Start the bot: Telegram when a token is configured, else the console chat."""
    settings = settings_of(ctx)
    if settings.telegram.token is None:
        err.print(
            "No Telegram token (set CRMBOT_TELEGRAM__TOKEN); opening the console chat instead."
        )
        run_async(_console(settings, _default_name()))
        return

    async def serve() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await serve_telegram(settings, stop)

    try:
        run_async(serve())
    except Unrecoverable as exc:
        # One line for the operator; the traceback only when asked for (DEBUG).
        logger.critical("the bot stopped: %s; exiting with status 1", exc)
        logger.debug("why it stopped", exc_info=exc.__cause__ or exc)
        raise typer.Exit(1) from None


@app.command()
def status(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Is the bot ready? Asks the running bot's /readyz (on web.listen:web.port); with no bot
    answering there, checks the stores from here. Exit status 0 only when ready."""
    settings = settings_of(ctx)
    url = web_url(settings, "/readyz")
    timeout = settings.health.check_timeout_seconds * 2 + 2

    async def go() -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(timeout=timeout) as client:
                answer = await client.get(url)
            body: dict[str, Any] = answer.json()
            if answer.status_code not in (200, 503) or "ready" not in body:
                raise UserError(f"{url} answered {answer.status_code}: not a crmbot")
            return body
        except (httpx.TransportError, ValueError):
            here = (await check_here(settings)).to_json()
            here["ready"] = False
            here["reasons"].insert(0, f"no bot answers at {url}")
            return here

    body = run_async(go())
    if as_json:
        print_json(body)
    else:
        _print_status(body)
    raise typer.Exit(0 if body["ready"] else 1)


def _print_status(body: dict[str, Any]) -> None:
    out.print(f"ready: {'yes' if body['ready'] else 'NO'}")
    for reason in body["reasons"]:
        out.print(f"  - {reason}", markup=False)
    for name, store in body["stores"].items():
        said = "ok" if store["ok"] else f"unavailable: {store['error']}"
        out.print(f"{name:<9} {said} ({store['seconds'] * 1000:.0f} ms)", markup=False)
    inbox, cases = body["inbox"], body["cases"]
    if inbox["pending"] is not None:
        oldest = inbox["oldest_pending_seconds"]
        failed = inbox["failed"] if inbox["failed"] is not None else "-"
        waited = f", the oldest waiting {oldest:.0f} s" if oldest is not None else ""
        out.print(f"inbox     {inbox['pending']} pending{waited}; failed {failed}")
        out.print(f"cases     {cases['open']} open, {cases['assigned']} with an agent")
    ago = body["last_poll_seconds_ago"]
    out.print(f"last poll {f'{ago:.0f} s ago' if ago is not None else '-'}")


@app.command()
def chat(
    ctx: typer.Context,
    as_name: Annotated[
        str | None, typer.Option("--as", help="Whom to chat as (default: your user name).")
    ] = None,
) -> None:
    """Chat with the bot in this terminal, with the same behaviour and store as Telegram."""
    run_async(_console(settings_of(ctx), (as_name or _default_name()).strip() or "guest"))


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply the database migrations (also done automatically by `run`)."""

    async def go() -> None:
        async with open_stores(settings_of(ctx), migrate=True):
            pass

    run_async(go())
    out.print("database is up to date")


# --- crm ---------------------------------------------------------------------------------


async def _customer(stores: Stores, identity: str) -> Customer:
    customer = await stores.db.customers.find(ChannelIdentity.parse(identity))
    if customer is None:
        raise UserError(f"no customer with identity {identity} (try `crmbot crm cases`)")
    return customer


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


@crm_app.command("history")
def crm_history(
    ctx: typer.Context,
    identity: Annotated[str, typer.Argument(help="channel:id, e.g. telegram:42")],
    limit: Annotated[int, typer.Option(min=1, max=10000, help="Last N messages.")] = 50,
    as_json: JsonFlag = False,
) -> None:
    """A customer's messages, oldest first."""

    async def go() -> None:
        async with open_stores(settings_of(ctx)) as stores:
            customer = await _customer(stores, identity)
            messages = await stores.db.messages.history(customer.id, limit=limit)
            await stores.db.audit.write(
                actor=actor_of(ctx), action="view", customer_id=customer.id, detail="history"
            )
        if as_json:
            print_json(
                [
                    {
                        "id": m.id,
                        "direction": m.direction,
                        "sender": m.sender,
                        "agent": m.agent,
                        "text": m.text,
                        "intent": m.intent,
                        "confidence": m.confidence,
                        "channel": m.channel,
                        "created_at": m.created_at,
                    }
                    for m in messages
                ]
            )
            return
        rows = [
            (
                _when(m.created_at),
                f"agent {m.agent}" if m.agent else m.sender.value,
                m.text,
                m.intent or "",
            )
            for m in messages
        ]
        shown = table(
            f"{customer.display_name} ({identity})", ("when", "from", "text", "intent"), rows
        )
        out.print(shown if messages else "no messages yet")

    run_async(go())


@crm_app.command("cases")
def crm_cases(
    ctx: typer.Context,
    status: Annotated[
        CaseStatus | None, typer.Option(help="Only cases of this status.", case_sensitive=False)
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 200,
    as_json: JsonFlag = False,
) -> None:
    """Cases, newest first."""

    async def go() -> None:
        async with open_stores(settings_of(ctx)) as stores:
            cases = await stores.db.cases.all(status=status, limit=limit)
            names = {c.customer_id: await stores.db.customers.get(c.customer_id) for c in cases}
            await stores.db.audit.write(
                actor=actor_of(ctx), action="view", detail=f"cases -> {len(cases)}"
            )
        rows = [
            {
                "id": c.number,
                "customer": names[c.customer_id].display_name,
                "customer_id": c.customer_id,
                "kind": c.kind,
                "status": c.status,
                "priority": c.priority,
                "reason": c.reason,
                "owner": c.owner,
                "csat": c.csat,
                "opened_at": c.opened_at,
                "closed_at": c.closed_at,
            }
            for c in cases
        ]
        if as_json:
            print_json(rows)
            return
        shown = table(
            "cases",
            ("#", "customer", "kind", "status", "priority", "reason", "owner", "csat"),
            [
                (
                    f"#{r['id']}",
                    str(r["customer"]),
                    str(r["kind"]),
                    str(r["status"]),
                    str(r["priority"]),
                    str(r["reason"]),
                    str(r["owner"] or "-"),
                    str(r["csat"] or "-"),
                )
                for r in rows
            ],
        )
        out.print(shown if rows else "no cases")

    run_async(go())


@crm_app.command("customer")
def crm_customer(
    ctx: typer.Context,
    identity: Annotated[str, typer.Argument(help="channel:id, e.g. telegram:42")],
    as_json: JsonFlag = False,
) -> None:
    """A customer's profile, identities, remembered facts, segment and cases."""

    async def go() -> None:
        async with open_stores(settings_of(ctx)) as stores:
            customer = await _customer(stores, identity)
            identities = await stores.db.customers.identities(customer.id)
            facts = await stores.db.customers.facts(customer.id)
            cases = await stores.db.cases.for_customer(customer.id)
            ratings = await stores.db.surveys.for_customer(customer.id)
            await stores.db.audit.write(
                actor=actor_of(ctx), action="view", customer_id=customer.id, detail="profile"
            )
        data = {
            **jsonable(customer),
            "identities": [str(i) for i in identities],
            "facts": facts,
            "cases": [
                {
                    "id": c.number,
                    "kind": c.kind,
                    "status": c.status,
                    "priority": c.priority,
                    "reason": c.reason,
                    "csat": c.csat,
                    "opened_at": c.opened_at,
                }
                for c in cases
            ],
            "ratings": ratings,
        }
        if as_json:
            print_json(data)
            return
        names = ", ".join(data["identities"])
        out.print(f"[bold]{customer.display_name}[/]  #{customer.id}  {names}")
        out.print(
            f"language {customer.language or '-'} · segment {customer.segment} · "
            f"tier {customer.tier} ({customer.tier_source}) · lifetime value "
            f"{customer.lifetime_value if customer.lifetime_value is not None else '-'} · "
            f"tags {', '.join(customer.tags) or '-'} · "
            f"last seen {_when(customer.last_seen_at)}"
        )
        if facts:
            rows = [(f.kind, f.value, _when(f.learned_at)) for f in facts]
            out.print(table("remembered facts", ("kind", "value", "learned"), rows))
        for c in cases:
            out.print(
                f"#{c.number} {c.kind.value} {c.status.value} {c.priority.value} — {c.reason}"
                + (f" (rated {c.csat}/5)" if c.csat else "")
            )

    run_async(go())


feedback_app = typer.Typer(help="Customer feedback and closing the loop.", no_args_is_help=True)
crm_app.add_typer(feedback_app, name="feedback")


@feedback_app.command("list")
def feedback_list(
    ctx: typer.Context,
    open_only: Annotated[bool, typer.Option("--open", help="Only feedback not acted on.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 200,
    as_json: JsonFlag = False,
) -> None:
    """Feedback, newest first, with its kind (praise, criticism, suggestion), sentiment, topic
    and what was done about it."""

    async def go() -> None:
        async with open_stores(settings_of(ctx)) as stores:
            items = await stores.db.feedback.all(acted_on=False if open_only else None, limit=limit)
            await stores.db.audit.write(
                actor=actor_of(ctx), action="view", detail=f"feedback -> {len(items)}"
            )
        if as_json:
            print_json(items)
            return
        rows = [
            (
                str(f.id),
                _when(f.created_at),
                f.kind.value,
                f"{f.sentiment:+.2f}",
                f.topic or "-",
                f.text,
                f.action_note or "-",
            )
            for f in items
        ]
        shown = table(
            "feedback", ("id", "when", "kind", "sentiment", "topic", "text", "acted on"), rows
        )
        out.print(shown if items else "no feedback")

    run_async(go())


@feedback_app.command("done")
def feedback_done(
    ctx: typer.Context,
    feedback_id: Annotated[int, typer.Argument(help="The feedback's id (see `list`).")],
    note: Annotated[str, typer.Argument(help="What changed; the customer is told this.")],
) -> None:
    """Mark feedback as acted on; the bot tells the customer what changed when they next write."""
    try:
        note = check_text(note, field="NOTE", max_length=2000)
    except InvalidInput as exc:
        err.print(f"{exc} (say what changed: the customer will read it)", markup=False)
        raise typer.Exit(1) from None

    async def go() -> None:
        async with open_stores(settings_of(ctx)) as stores:
            try:
                await stores.db.feedback.mark_acted_on(feedback_id, note)
            except NotFound as exc:
                raise UserError(str(exc)) from exc
        out.print(f"feedback {feedback_id} marked as acted on")

    run_async(go())


accounts_cli.agents_app.command("set")(assign_cli.agents_set)
accounts_cli.agents_app.command("roster")(assign_cli.agents_roster)
app.add_typer(accounts_cli.agents_app, name="agents")
app.add_typer(accounts_cli.tokens_app, name="tokens")
app.add_typer(canned_cli.canned_app, name="canned")
app.command("web")(accounts_cli.web)
crm_app.command("audit")(accounts_cli.audit)
crm_app.add_typer(crm_cli.inbox_app, name="inbox")
for _name, _command in (
    ("report", crm_cli.report),
    ("segments", crm_cli.segments),
    ("import", crm_cli.import_),
    ("export", crm_cli.export),
    ("forget", crm_cli.forget),
    ("purge", crm_cli.purge),
):
    crm_app.command(_name)(_command)


def main() -> None:
    """Run the command line (the ``crmbot`` script and ``python -m bot``)."""
    try:
        app()
    except CrmError as exc:  # a store failing mid-command: no traceback for the user
        err.print(f"error: {exc}", markup=False)
        raise SystemExit(2) from None
