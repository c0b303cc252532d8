"""`crm` commands for the support lead: report, segments, import, export, forget, purge, inbox."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from telegram import Bot

from bot.app import open_stores, opened_deps, purge_expired, sla_policy
from bot.cli_support import (
    JsonFlag,
    UserError,
    actor_of,
    err,
    fail,
    jsonable,
    out,
    print_json,
    run_async,
    table,
)
from bot.cli_support import settings_of as _settings
from bot.report_html import render
from crm_memory import (
    ChannelIdentity,
    Customer,
    CustomerExport,
    InboxItem,
    SqlDatabase,
    current_time,
)
from crm_memory.errors import InvalidIdentity
from crm_memory.reports import Report
from handlers.desk import PostEraser
from handlers.imports import ImportFileError, ImportResult, import_customers
from handlers.privacy import Erasure, erase_customer, export_customer
from handlers.sla import SlaLine, SlaReport, sla_report


def parse_day(value: str | None, *, option: str, end: bool = False) -> datetime | None:
    """``2026-11-01`` (a whole day, UTC) or an ISO time; ``--until DAY`` includes that day."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise UserError(f"{option} {value!r}: write a date as YYYY-MM-DD") from None
    whole_day = len(value.strip()) == 10
    parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return parsed + timedelta(days=1) if end and whole_day else parsed


async def _customer(db: SqlDatabase, identity: str) -> Customer:
    customer = await db.customers.find(ChannelIdentity.parse(identity))
    if customer is None:
        raise UserError(f"no customer with identity {identity} (try `crmbot crm cases`)")
    return customer


def _minutes(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds / 60:.1f} min"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


def _counts(title: str, counts: dict[str, int]) -> Table:
    return table(title, (title.split()[-1], "count"), [(k, str(v)) for k, v in counts.items()])


def _print_report(report: Report) -> None:
    since = report.since.strftime("%Y-%m-%d") if report.since else "the beginning"
    until = (report.until - timedelta(seconds=1)).strftime("%Y-%m-%d") if report.until else "now"
    out.print(f"[bold]Support report[/] {since} – {until}")
    summary = Table(show_header=False)
    summary.add_column()
    summary.add_column(justify="right")
    rows = [
        ("conversations", str(report.conversations)),
        (
            "contained by the bot",
            f"{report.contained_conversations} ({_pct(report.containment_rate)})",
        ),
        (
            "escalated to people",
            f"{report.escalated_conversations} ({_pct(report.escalation_rate)})",
        ),
        ("customers who wrote", str(report.customers)),
        ("messages", ", ".join(f"{k} {v}" for k, v in report.messages_by_sender.items()) or "0"),
        ("cases opened", str(report.cases_opened)),
        (
            "first response median / p90",
            f"{_minutes(report.first_response.median_seconds)} / "
            f"{_minutes(report.first_response.p90_seconds)}",
        ),
        (
            "resolution median / p90",
            f"{_minutes(report.resolution.median_seconds)} / "
            f"{_minutes(report.resolution.p90_seconds)}",
        ),
        (
            "CSAT",
            "-"
            if report.csat_average is None
            else f"{report.csat_average:.2f}/5 from {report.csat_responses}",
        ),
        (
            "CSAT bot / people",
            f"{report.csat_bot.average or '-'} / {report.csat_human.average or '-'}",
        ),
        ("survey response rate", _pct(report.csat_response_rate)),
        ("not understood", _pct(report.fallback_rate)),
        ("feedback (+ / - )", f"{report.feedback.positive} / {report.feedback.negative}"),
    ]
    for key, value in rows:
        summary.add_row(key, value)
    out.print(summary)
    for title, counts in (
        ("escalation reasons", report.escalation_reasons),
        ("top intents", report.top_intents),
        ("complaint topics", report.complaint_topics),
        ("cases by priority", report.cases_by_priority),
        ("customers by stage", report.segments),
        ("customers by tier", report.tiers),
    ):
        if counts:
            out.print(_counts(title, counts))
    if report.csat_by_agent:
        per_agent = [
            (agent, f"{c.average:.2f}" if c.average else "-", str(c.responses))
            for agent, c in report.csat_by_agent.items()
        ]
        out.print(table("CSAT per agent", ("agent", "average", "responses"), per_agent))


def report(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="From this day (YYYY-MM-DD, UTC).")] = None,
    until: Annotated[
        str | None, typer.Option(help="Up to and including this day (YYYY-MM-DD, UTC).")
    ] = None,
    as_json: JsonFlag = False,
    html: Annotated[
        Path | None, typer.Option("--html", help="Also write a page with charts to FILE.")
    ] = None,
) -> None:
    """Where customers are happy and where not: containment, escalations, CSAT, times."""
    settings = _settings(ctx)
    try:
        start = parse_day(since, option="--since")
        end = parse_day(until, option="--until", end=True)
    except UserError as exc:
        fail(str(exc))
    if start and end and start >= end:
        fail("--since must come before --until")

    async def go() -> tuple[Report, SlaReport]:
        async with open_stores(settings) as stores, opened_deps(settings, stores) as deps:
            cases = [
                c
                for c in await deps.cases.all(limit=1_000_000)
                if c.escalated_at is not None
                and (start is None or c.escalated_at >= start)
                and (end is None or c.escalated_at < end)
            ]
            sla = sla_report(cases, sla_policy(settings), deps.hours, current_time())
            return await stores.db.reports.report(since=start, until=end), sla

    result, sla = run_async(go())
    if html is not None:
        page = render(result, company=settings.conversation.company, generated=datetime.now(UTC))
        try:
            html.write_text(page, encoding="utf-8")
        except OSError as exc:
            fail(f"cannot write {html}: {exc.strerror}")
    if as_json:
        print_json({**jsonable(result), "sla": jsonable(sla)})
    else:
        _print_report(result)
        _print_sla(sla)
        if html is not None:
            out.print(f"report page written to {html}")


def _print_sla(sla: SlaReport) -> None:
    """SLA met % by priority and by agent, times in business minutes."""

    def rows(lines: tuple[SlaLine, ...]) -> list[tuple[str, ...]]:
        return [
            (
                line.name,
                str(line.cases),
                _met(line.first_response_met, line.first_response_decided),
                _met(line.resolution_met, line.resolution_decided),
                "-" if line.first_response_minutes is None else f"{line.first_response_minutes:g}",
                "-" if line.resolution_minutes is None else f"{line.resolution_minutes:g}",
            )
            for line in lines
        ]

    columns = (
        "cases",
        "first response met",
        "resolution met",
        "avg first resp. min",
        "avg resolution min",
    )
    if sla.by_priority:
        out.print(
            table("SLA by priority (business hours)", ("priority", *columns), rows(sla.by_priority))
        )
        out.print(table("SLA by agent (business hours)", ("agent", *columns), rows(sla.by_agent)))


def _met(met: int, decided: int) -> str:
    return f"{100.0 * met / decided:.0f}% ({met}/{decided})" if decided else "-"


def segments(
    ctx: typer.Context,
    recompute: Annotated[
        bool, typer.Option("--recompute", help="Recompute every customer's stage and tier first.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """How many customers are new, active, at risk or churned (and in each tier)."""
    settings = _settings(ctx)

    async def go() -> tuple[dict[str, int], dict[str, int]]:
        async with open_stores(settings) as stores, opened_deps(settings, stores) as deps:
            if recompute:
                assert deps.segments is not None
                await deps.segments.recompute_all(now=current_time())
            return await stores.db.reports.segments()

    stages, tiers = run_async(go())
    if as_json:
        print_json({"segments": stages, "tiers": tiers})
        return
    out.print(_counts("customers by stage", stages))
    out.print(_counts("customers by tier", tiers))


def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV: identity,external_id,email,name,tier,lifetime_value,tags (any order)."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and say what would change.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Import or update customers' attributes; bad rows are listed and never stop good ones."""
    settings = _settings(ctx)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"cannot read {file}: {exc}")

    async def go() -> ImportResult:
        async with open_stores(settings) as stores, opened_deps(settings, stores) as deps:
            try:
                result = await import_customers(deps.customers, text, dry_run=dry_run)
            except ImportFileError as exc:
                raise UserError(f"{file}: {exc}") from None
            if deps.segments is not None:
                now = datetime.now(UTC)
                for cid in result.customer_ids:
                    await deps.segments.refresh(await deps.customers.get(cid), now=now)
            return result

    result = run_async(go())
    if as_json:
        print_json(result)
    else:
        verb = "would be" if dry_run else "were"
        out.print(f"{result.created} customers {verb} created, {result.updated} updated")
        for error in result.errors:
            err.print(f"{file}:{error.line}: {error.reason}", markup=False)
    if result.errors:
        raise typer.Exit(1)


def export(
    ctx: typer.Context,
    identity: Annotated[str, typer.Argument(help="channel:id, e.g. telegram:42")],
    output: Annotated[
        Path | None, typer.Option("--out", help="Write to FILE instead of the terminal.")
    ] = None,
) -> None:
    """Everything stored about a customer, as JSON (a subject access request)."""
    settings = _settings(ctx)

    async def go() -> CustomerExport:
        async with open_stores(settings) as stores:
            customer = await _customer(stores.db, identity)
            async with opened_deps(settings, stores) as deps:
                data = await export_customer(deps, customer.id)
            await stores.db.audit.write(
                actor=actor_of(ctx), action="export", customer_id=customer.id
            )
            return data

    data = jsonable(run_async(go()))
    if output is None:
        print_json(data)
        return
    output.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    out.print(f"everything stored about {identity} written to {output}")


def forget(
    ctx: typer.Context,
    identity: Annotated[str, typer.Argument(help="channel:id, e.g. telegram:42")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase a customer everywhere: database, conversation state, agents' chat posts."""
    settings = _settings(ctx)
    try:
        ChannelIdentity.parse(identity)
    except InvalidIdentity as exc:
        fail(str(exc))
    if not yes and not typer.confirm(f"Erase everything about {identity}? This cannot be undone"):
        raise typer.Exit(1)
    eraser: PostEraser | None = None
    token = settings.telegram.token
    if token is not None:
        from bot.agent_desk import TelegramPostEraser

        eraser = TelegramPostEraser(
            Bot(
                token.get_secret_value(),
                base_url=settings.telegram.base_url,
                base_file_url=settings.telegram.base_file_url,
            )
        )

    async def go() -> Erasure:
        async with open_stores(settings) as stores:
            customer = await _customer(stores.db, identity)
            async with opened_deps(settings, stores) as deps:
                done = await erase_customer(deps, customer.id, eraser=eraser)
            await stores.db.audit.write(
                actor=actor_of(ctx),
                action="erase",
                customer_id=customer.id,
                detail=f"{done.posts_edited}/{done.posts} posts edited",
            )
            return done

    done = run_async(go())
    out.print(
        f"erased {identity}: {done.chats} chat(s) cleared, "
        f"{done.posts_edited} of {done.posts} agents' chat post(s) edited"
    )
    if done.posts_edited < done.posts:
        reason = "no Telegram token is set" if eraser is None else "see the warnings above"
        err.print(f"{done.posts - done.posts_edited} post(s) still show the customer: {reason}")
        raise typer.Exit(1)


def purge(
    ctx: typer.Context,
    days: Annotated[
        int | None, typer.Option(min=1, help="Override crm.retention_days for this run.")
    ] = None,
) -> None:
    """Retention: delete message texts older than crm.retention_days (counts stay)."""
    settings = _settings(ctx)
    keep = days or settings.crm.retention_days
    if not keep:
        fail("crm.retention_days is 0 (keep forever); set it or pass --days N")

    async def go() -> int:
        async with open_stores(settings) as stores:
            return await purge_expired(stores.db.messages, keep)

    count = run_async(go())
    out.print(f"{count} message text(s) older than {keep} days deleted")


inbox_app = typer.Typer(
    help="Updates waiting in the inbox, and those parked after failing.",
    invoke_without_command=True,
)
INBOX_CHANNELS = ("telegram",)


@inbox_app.callback()
def inbox(
    ctx: typer.Context,
    failed: Annotated[
        bool, typer.Option("--failed", help="List the parked updates with their reason.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """How many updates wait; with --failed, the parked ones (`crm inbox retry` retries)."""
    if ctx.invoked_subcommand is not None:
        return
    settings = _settings(ctx)

    async def go() -> tuple[dict[str, int], list[InboxItem]]:
        async with open_stores(settings, migrate=False) as stores:
            waiting = {
                c: len(await stores.db.inbox.pending(c, limit=1_000_000)) for c in INBOX_CHANNELS
            }
            return waiting, await stores.db.inbox.failed()

    waiting, parked = run_async(go())
    if as_json:
        if failed:
            print_json([_parked(item) for item in parked])
        else:
            print_json({"waiting": waiting, "failed": len(parked)})
        return
    if not failed:
        for channel, count in waiting.items():
            out.print(f"{channel}: {count} waiting")
        hint = " (`crm inbox --failed` lists them)" if parked else ""
        out.print(f"{len(parked)} failed{hint}")
        return
    if not parked:
        out.print("no failed updates")
        return
    out.print(
        table(
            "Failed updates",
            ("channel", "update", "received", "failed", "attempts", "reason"),
            (
                (
                    i.channel,
                    str(i.update_id),
                    f"{i.received_at:%Y-%m-%d %H:%M:%S}",
                    f"{i.failed_at:%Y-%m-%d %H:%M:%S}" if i.failed_at else "",
                    str(i.attempts),
                    (i.error or "").splitlines()[0][:80] if i.error else "",
                )
                for i in parked
            ),
        )
    )
    out.print("`crm inbox retry` retries them all, `crm inbox retry ID` one")


def _parked(item: InboxItem) -> dict[str, object]:
    # The payload holds the customer's words: not printed.
    return {
        "channel": item.channel,
        "update_id": item.update_id,
        "received_at": jsonable(item.received_at),
        "failed_at": jsonable(item.failed_at),
        "attempts": item.attempts,
        "error": item.error,
    }


@inbox_app.command("retry")
def inbox_retry(
    ctx: typer.Context,
    update_id: Annotated[
        int | None, typer.Argument(help="The update to retry (default: every failed one).")
    ] = None,
) -> None:
    """Make parked updates pending again; the running bot answers them in order."""
    settings = _settings(ctx)

    async def go() -> int:
        async with open_stores(settings, migrate=False) as stores:
            return await stores.db.inbox.retry(update_id=update_id)

    count = run_async(go())
    if update_id is not None and not count:
        fail(f"update {update_id} is not among the failed ones (`crm inbox --failed`)")
    out.print(
        f"{count} update(s) pending again; the bot answers them at its next poll "
        "(in webhook mode, at its next start)"
    )
