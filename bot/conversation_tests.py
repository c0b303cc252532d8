"""Conversation tests: YAML conversations replayed through the real Dispatcher, turn by turn."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from bot.conversation_checks import ConversationFileError, check, fill
from crm_memory import (
    Case,
    CaseStatus,
    ChannelIdentity,
    Customer,
    DeskPost,
    Media,
    MemoryConversationState,
    SqlDatabase,
    use_clock,
)
from handlers import dialogue, yaml_text
from handlers.acts import ActReader, shipped_acts
from handlers.agents import AgentError, AgentService
from handlers.arrival import ShippingTimes
from handlers.catalogue import SAMPLE_CATALOGUE, CsvCatalogue
from handlers.dispatcher import Dispatcher
from handlers.hours import BusinessHours, HoursError
from handlers.knowledge import KnowledgeBase
from handlers.orders import (
    SAMPLE_ORDERS,
    CsvOrderLookup,
    Order,
    OrderLookup,
    normalise_order_number,
    order_key,
    resolve_eta,
)
from handlers.responses import Responses
from handlers.segments import Segmenter, SegmentRules
from handlers.turn import Deps
from handlers.types import ContentKind, Handoff, InboundMessage, Reply
from nlu import NluEngine

DEFAULT_START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday morning
CHANNEL = "telegram"
USER = "4242"
EXPECTATIONS = {
    "intent",
    "intents",
    "contains",
    "not_contains",
    "case",
    "cases",
    "priority",
    "order",
    "buttons",
    "no_buttons",
    "language",
    "silent",
    "replies",
    "rating",
    "comment",
}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$")


@dataclass(frozen=True, slots=True)
class TurnResult:
    """One turn of a conversation: what was said or done, what the bot sent, what was wrong."""

    session: int
    index: int
    said: str
    replies: tuple[str, ...]
    checked: bool
    problems: tuple[str, ...] = ()
    # What the bot acted on, and which reading (handlers/readings.py) read each request.
    intents: tuple[str, ...] = ()
    readings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class ConversationResult:
    """A whole conversation file's run."""

    path: str
    name: str
    turns: tuple[TurnResult, ...]

    @property
    def checked(self) -> int:
        return sum(1 for t in self.turns if t.checked)

    @property
    def passed(self) -> int:
        return sum(1 for t in self.turns if t.checked and t.ok)

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.turns)


def duration(value: object, where: str) -> timedelta:
    """``90s`` / ``45m`` / ``2h`` / ``3d`` (or 0)."""
    if value in (0, "0", None):
        return timedelta()
    match = _DURATION.match(str(value))
    if match is None:
        raise ConversationFileError(f"{where}: {value!r} is not a duration like 90s, 45m, 2h, 3d")
    amount, unit = float(match.group(1)), match.group(2)
    return timedelta(**{{"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}[unit]: amount})


def conversation_files(paths: Sequence[Path]) -> list[Path]:
    """The ``*.yml`` / ``*.yaml`` files named, or found under the folders named, sorted."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml"))
        elif path.is_file():
            found.append(path)
        else:
            raise ConversationFileError(f"{path}: no such file or folder")
    return found


class _Clock:
    """The conversation's fixed clock, moved on by the replay."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def monotonic(self) -> float:
        return self.now.timestamp()


class _Orders:
    """The orders a conversation file declares."""

    def __init__(self, orders: dict[str, Order]) -> None:
        self._orders = orders

    async def find(self, number: str) -> Order | None:
        return self._orders.get(order_key(number))


class _Desk:
    """Agents' side of the replay: records hand-offs and relayed words."""

    def __init__(self) -> None:
        self.handoffs: list[Handoff] = []
        self.relayed: list[str] = []
        self.alerts: list[str] = []

    async def case_escalated(self, handoff: Handoff) -> None:
        self.handoffs.append(handoff)

    async def customer_wrote(
        self, *, case_number: int | None, customer: Customer, identity: ChannelIdentity, text: str
    ) -> None:
        self.relayed.append(text)

    async def customer_media(
        self,
        *,
        case_number: int | None,
        customer: Customer,
        identity: ChannelIdentity,
        media: Media,
    ) -> None:
        self.relayed.append(media.attachment.marker())

    async def alert(self, text: str, *, case_number: int | None = None) -> None:
        self.alerts.append(text)

    async def erase(self, posts: Sequence[DeskPost]) -> int:
        return 0


class _Outbox:
    """What agents' actions deliver to the customer."""

    def __init__(self) -> None:
        self.delivered: list[Reply] = []

    async def deliver(self, identity: ChannelIdentity, reply: Reply) -> None:
        self.delivered.append(reply)


def _orders_of(spec: dict[str, Any], start: date, where: str) -> OrderLookup:
    raw = spec.get("orders")
    if raw is None:
        return CsvOrderLookup(SAMPLE_ORDERS, today=start)
    if not isinstance(raw, list):
        raise ConversationFileError(f"{where}: orders must be a list")
    orders: dict[str, Order] = {}
    for item in raw:
        if not isinstance(item, dict) or "number" not in item or "status" not in item:
            raise ConversationFileError(f"{where}: each order needs number and status")
        number = normalise_order_number(str(item["number"]))
        orders[order_key(number)] = Order(
            number=number,
            status=str(item["status"]),
            carrier=str(item.get("carrier") or ""),
            tracking=str(item.get("tracking") or ""),
            eta=resolve_eta(str(item.get("eta") or ""), start),
            items=items_text(item.get("items"), where),
        )
    return _Orders(orders)


def items_text(raw: Any, where: str) -> str:
    """An order's items as the order source gives them: text ("electric kettle, 2x mug"), or
    a list of names joined the same way."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, list) and all(isinstance(name, str) for name in raw):
        return ", ".join(raw)
    raise ConversationFileError(
        f"{where}: an order's items must be text or a list of names, e.g. items: electric kettle"
    )


def _start(spec: dict[str, Any], where: str) -> datetime:
    value = spec.get("start")
    if value is None:
        return DEFAULT_START
    when = value if isinstance(value, datetime) else None
    if when is None:
        try:
            when = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError as exc:
            raise ConversationFileError(f"{where}: start {value!r} is not an ISO time") from exc
    return when if when.tzinfo else when.replace(tzinfo=UTC)


class Replay:
    """One conversation file replayed on a fresh database with a fixed clock.

    Args:
        spec: the parsed YAML.
        path: where it came from (for messages).
        nlu: the engine to understand the customer with.
        acts: the dialogue-act classifier (default: the shipped one, trained in memory).
        workdir: where the throwaway SQLite database goes.
    """

    def __init__(
        self,
        spec: dict[str, Any],
        *,
        path: str,
        nlu: NluEngine,
        workdir: Path,
        acts: ActReader | None = None,
    ) -> None:
        self.spec = spec
        self.path = path
        self.nlu = nlu
        self.acts = acts or shipped_acts()
        self.workdir = workdir
        self.language = str(spec.get("language") or "en")
        customer = spec.get("customer") or {}
        if not isinstance(customer, dict):
            raise ConversationFileError(f"{path}: customer must be a mapping")
        self.customer_spec = customer
        self.name = str(customer.get("name") or "Alex")
        self.clock = _Clock(_start(spec, path))
        self.last_replies: list[Reply] = []
        self.counter = 0

    async def run(self, template: Path | None = None) -> ConversationResult:
        """Replay the file; ``template``: an empty migrated database to start from a copy of."""
        path = self.workdir / "crm.db"
        if template is not None:
            shutil.copyfile(template, path)
        db = SqlDatabase(f"sqlite+aiosqlite:///{path}")
        try:
            with use_clock(self.clock):
                if template is None:
                    await db.upgrade()
                return await self._run(db)
        finally:
            await db.dispose()

    async def _run(self, db: SqlDatabase) -> ConversationResult:
        spec, path = self.spec, self.path
        hours = None
        if spec.get("hours"):
            try:
                hours = BusinessHours.parse(
                    [str(h) for h in spec["hours"]], str(spec.get("timezone") or "UTC")
                )
            except HoursError as exc:
                raise ConversationFileError(f"{path}: {exc}") from exc
        self.desk = _Desk()
        self.outbox = _Outbox()
        deps = Deps(
            customers=db.customers,
            messages=db.messages,
            cases=db.cases,
            feedback=db.feedback,
            surveys=db.surveys,
            state=MemoryConversationState(clock=self.clock.monotonic),
            responses=_responses(self.language),
            knowledge=_knowledge(),
            orders=_orders_of(spec, self.clock.now.date(), path),
            catalogue=_catalogue(),
            desk=self.desk,
            hours=hours,
            shipping=ShippingTimes(zone=hours.zone) if hours is not None else ShippingTimes(),
            clock=self.clock,
            company=str(spec.get("company") or "Acme Home"),
            posts=db.posts,
            segments=Segmenter(db.customers, SegmentRules()),
            acts=self.acts,
        )
        self.deps = deps
        self.dispatcher = Dispatcher(deps=deps, nlu=self.nlu, default_language=self.language)
        self.agents = AgentService(deps=deps, outbox=self.outbox)
        self.customer = await self._customer(db)
        sessions = spec.get("sessions")
        if not isinstance(sessions, list) or not sessions:
            raise ConversationFileError(f"{path}: needs sessions, a list of visits with turns")
        results: list[TurnResult] = []
        for s_index, session in enumerate(sessions, start=1):
            where = f"{path} session {s_index}"
            if not isinstance(session, dict) or not isinstance(session.get("turns"), list):
                raise ConversationFileError(f"{where}: needs turns, a list")
            if s_index > 1:
                self.clock.now += duration(session.get("after", "1d"), where)
            for t_index, step in enumerate(session["turns"], start=1):
                if not isinstance(step, dict):
                    raise ConversationFileError(f"{where} turn {t_index}: must be a mapping")
                results.append(await self._step(step, s_index, t_index, f"{where} turn {t_index}"))
        return ConversationResult(path, str(spec.get("name") or Path(path).stem), tuple(results))

    async def _customer(self, db: SqlDatabase) -> Customer:
        spec = self.customer_spec
        code = spec.get("language_code", self.language)
        customer, _ = await db.customers.get_or_create(
            ChannelIdentity(CHANNEL, USER), display_name=self.name, language=None
        )
        self.language_code = str(code) if code else None
        changes: dict[str, Any] = {}
        if spec.get("tier"):
            changes["tier"] = str(spec["tier"])
        if spec.get("tags"):
            changes["tags"] = [str(t) for t in spec["tags"]]
        if spec.get("email"):
            changes["email"] = str(spec["email"])
        if spec.get("lifetime_value") is not None:
            changes["lifetime_value"] = float(spec["lifetime_value"])
        if changes:
            customer = await db.customers.update(customer.id, **changes)
        return customer

    async def _cases(self) -> dict[int, Case]:
        return {c.number: c for c in await self.deps.cases.for_customer(self.customer.id)}

    async def _step(self, step: dict[str, Any], session: int, index: int, where: str) -> TurnResult:
        before = await self._cases()
        said, replies = await self._act(step, where)
        self.clock.now += timedelta(seconds=20)
        after = await self._cases()
        expect = step.get("expect")
        if expect is None:
            return TurnResult(
                session,
                index,
                said,
                tuple(r.text for r in replies),
                False,
                intents=self.intents,
                readings=self.readings,
            )
        if not isinstance(expect, dict):
            raise ConversationFileError(f"{where}: expect must be a mapping")
        unknown = set(expect) - EXPECTATIONS
        if unknown:
            raise ConversationFileError(
                f"{where}: unknown expectation {', '.join(sorted(unknown))}"
            )
        ratings = []
        if "rating" in expect or "comment" in expect:
            ratings = await self.deps.surveys.for_customer(self.customer.id)
        problems = check(
            expect,
            replies=replies,
            before=before,
            after=after,
            intents=self.intents,
            name=self.name,
            default_language=self.language,
            ratings=ratings,
            where=where,
        )
        return TurnResult(
            session,
            index,
            said,
            tuple(r.text for r in replies),
            True,
            tuple(problems),
            intents=self.intents,
            readings=self.readings,
        )

    async def _act(self, step: dict[str, Any], where: str) -> tuple[str, list[Reply]]:
        self.intents: tuple[str, ...] = ()
        self.readings: tuple[str, ...] = ()
        if "customer" in step:
            text = str(step["customer"])
            replies = await self._send(text, ContentKind.TEXT)
            return text, replies
        if "press" in step:
            latest = max((await self._cases()).values(), key=lambda c: c.number, default=None)
            payload = fill(str(step["press"]), latest, self.name)
            offered = [b.payload for r in self.last_replies for b in r.buttons]
            if payload not in offered:
                replies = [Reply(f"(no button {payload!r} was offered; offered: {offered})")]
                self.intents = ("<not offered>",)
                return f"[press {payload}]", replies
            return f"[press {payload}]", await self._send(payload, ContentKind.BUTTON)
        if "agent" in step:
            return await self._agent(step, where)
        if "wait" in step:
            self.clock.now += duration(step["wait"], where)
            return f"[wait {step['wait']}]", []
        raise ConversationFileError(f"{where}: a turn is customer, press, agent or wait")

    async def _send(self, text: str, kind: ContentKind) -> list[Reply]:
        self.counter += 1
        replies = await self.dispatcher.handle(
            InboundMessage(
                channel=CHANNEL,
                user_id=USER,
                text=text,
                display_name=self.name,
                language_code=self.language_code,
                message_id=f"{USER}:{self.counter}",
                kind=kind,
            )
        )
        state = await dialogue.load(self.deps.state, f"{CHANNEL}:{USER}")
        self.intents, self.readings = state.intents, state.readings
        if replies:
            self.last_replies = replies
        return replies

    async def _agent(self, step: dict[str, Any], where: str) -> tuple[str, list[Reply]]:
        action = str(step["agent"])
        name = str(step.get("name") or "Maria")
        cases = [c for c in (await self._cases()).values() if c.status is not CaseStatus.CLOSED]
        if not cases:
            return f"[agent {action}]", [Reply("(no open case for the agent to act on)")]
        number = max(cases, key=lambda c: c.number).number
        start = len(self.outbox.delivered)
        try:
            if action == "take":
                await self.agents.take(number, name)
            elif action == "reply":
                await self.agents.reply(number, name, str(step.get("text") or ""))
            elif action == "note":
                await self.agents.note(number, name, str(step.get("text") or ""))
            elif action == "handback":
                await self.agents.handback(number, name)
            elif action == "close":
                await self.agents.close(number, name)
            else:
                raise ConversationFileError(
                    f"{where}: agent is take, reply, note, handback or close"
                )
        except AgentError as exc:
            return f"[agent {action}]", [Reply(f"(the agent could not {action}: {exc})")]
        delivered = self.outbox.delivered[start:]
        if delivered:
            self.last_replies = delivered
        return f"[agent {name} {action} #{number}]", delivered


# The shipped replies, FAQ and catalogue are read once per process, not once per file: parsing
# them was most of a replay's time (the suite replays well over a thousand files). None of them
# changes after loading; the FAQ's memo of answers found is the same for every conversation.
@cache
def _responses(language: str) -> Responses:
    return Responses.load(default_language=language)


@cache
def _knowledge() -> KnowledgeBase:
    return KnowledgeBase.load()


@cache
def _catalogue() -> CsvCatalogue:
    return CsvCatalogue(SAMPLE_CATALOGUE)


def load(path: Path) -> dict[str, Any]:
    """A conversation file's YAML, checked to be a mapping."""
    try:
        spec = yaml_text.parse(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConversationFileError(f"{path}: {exc}") from exc
    if not isinstance(spec, dict):
        raise ConversationFileError(f"{path}: a conversation is a mapping with sessions")
    return spec


async def run_conversation(
    path: Path, nlu: NluEngine, *, template: Path | None = None, acts: ActReader | None = None
) -> ConversationResult:
    """Replay one file on its own throwaway database (a copy of ``template`` if given)."""
    spec = load(path)
    with tempfile.TemporaryDirectory(prefix="crmbot-conv-") as workdir:
        replay = Replay(spec, path=str(path), nlu=nlu, workdir=Path(workdir), acts=acts)
        return await replay.run(template)


async def run_conversations(
    paths: Sequence[Path], nlu: NluEngine, *, acts: ActReader | None = None
) -> list[ConversationResult]:
    """Replay every conversation file under ``paths``, each on a fresh database."""
    files = conversation_files(paths)
    with tempfile.TemporaryDirectory(prefix="crmbot-conv-") as workdir:
        template = Path(workdir) / "template.db"
        db = SqlDatabase(f"sqlite+aiosqlite:///{template}")
        try:
            await db.upgrade()  # migrating is the slow part: once, then copies
        finally:
            await db.dispose()
        return [await run_conversation(path, nlu, template=template, acts=acts) for path in files]
