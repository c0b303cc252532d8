"""The one place where stores, NLU, handlers and channels are built from settings and wired."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from fastapi import FastAPI
from telegram.error import InvalidToken, NetworkError

from bot.agent_desk import TelegramAgentDesk
from bot.config import ConfigError, Settings
from bot.health import Monitor, Readiness, health_app, health_router
from bot.media_cache import MediaCache
from bot.metrics import Metrics
from bot.sent_journal import SentJournal
from bot.shared_inbox import worker_name
from bot.telegram_channel import TelegramChannel
from bot.telegram_media import TelegramFiles
from bot.web.app import WebContext, create_app
from bot.web.auth import Authenticator
from bot.web.events import WebDesk
from bot.web.widget import WidgetConfig, add_widget_routes
from bot.web_channel import WebChannel
from crm_memory import (
    ChannelIdentity,
    CrmError,
    Priority,
    ResilientConversationState,
    SqlDatabase,
    StoreUnavailable,
    open_state,
)
from crm_memory.protocols import ConversationState, MessageStore
from handlers.acts import ActReader
from handlers.agents import AgentService, NotSent
from handlers.arrival import ShippingTimes
from handlers.assignment import AssignPolicy, Router
from handlers.canned import CannedService
from handlers.catalogue import SAMPLE_CATALOGUE, Catalogue, CsvCatalogue, HttpCatalogue
from handlers.desk import AgentDesk, Desks, Outbox, Outboxes, PostEraser, TypingIndicator
from handlers.dispatcher import Dispatcher
from handlers.hours import BusinessHours, HoursError
from handlers.knowledge import SHIPPED_FAQ, KnowledgeBase, KnowledgeBaseError
from handlers.orders import (
    SAMPLE_ORDERS,
    CsvOrderLookup,
    HttpOrderLookup,
    OrderLookup,
    OrderNumbers,
)
from handlers.regions import DeliveryList
from handlers.responses import Responses, ResponsesError
from handlers.segments import Segmenter, SegmentRules, TierRule
from handlers.shop_api import ShopApi
from handlers.sla import SlaPolicy, SlaTarget, SlaWatch
from handlers.turn import Deps
from handlers.types import Reply
from nlu import BuiltinEngine, DataError, NluEngine, NluError, NluUnavailable
from nlu.builtin import Hyperparameters
from nlu.encoder import INSTALL
from nlu.rasa import RasaEngine

if TYPE_CHECKING:
    import uvicorn

logger = logging.getLogger(__name__)


class Unrecoverable(Exception):
    """A serving loop ended by an error it cannot wait out: the process exits non-zero."""


@dataclass(frozen=True, slots=True)
class Stores:
    """The opened CRM stores."""

    db: SqlDatabase
    state: ConversationState


@asynccontextmanager
async def open_stores(settings: Settings, *, migrate: bool = True) -> AsyncIterator[Stores]:
    """Connect to the database and conversation state, check both answer, migrate.

    Raises:
        ConfigError: when a store is misconfigured or unreachable, naming the key to fix.
    """
    cfg = settings.storage
    try:
        db = SqlDatabase(
            cfg.database_url,
            conversation_gap=timedelta(minutes=cfg.conversation_gap_minutes),
            # Errors carry their query's parameters, i.e. customers' words, into the logs.
            hide_parameters=settings.logging.level != "DEBUG",
        )
    except CrmError as exc:
        raise ConfigError("storage.database_url", str(exc), _DB_FIX) from exc
    # Redis (or its stand-in) coordinates and caches; chat owners are read from SQL.
    state = ResilientConversationState(
        open_state(cfg.redis_url, prefix=cfg.redis_prefix), owners=db.owners
    )
    try:
        try:
            await db.ping()
            if migrate:
                await db.upgrade()
        except StoreUnavailable as exc:
            raise ConfigError("storage.database_url", _short(exc), _DB_FIX) from exc
        try:
            await state.ping()
        except StoreUnavailable as exc:
            raise ConfigError(
                "storage.redis_url",
                _short(exc),
                "start Redis, correct CRMBOT_STORAGE__REDIS_URL, or leave it empty for the "
                "in-process stand-in (one worker only)",
            ) from exc
        yield Stores(db=db, state=state)
    finally:
        await state.close()
        await db.dispose()


_DB_FIX = (
    "check the server is running and the URL (CRMBOT_STORAGE__DATABASE_URL), "
    "e.g. postgresql+asyncpg://user:pass@127.0.0.1:5432/crm or sqlite+aiosqlite:///data/crm.db"
)


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:300]


@dataclass(frozen=True, slots=True)
class Services:
    """Everything a channel needs: the stores and the dispatcher built on them."""

    stores: Stores
    dispatcher: Dispatcher


def build_builtin(
    settings: Settings, *, progress: Callable[[str], None] | None = None
) -> BuiltinEngine:
    """The built-in engine, trained or loaded from its cache.

    Raises:
        ConfigError: when the training data is malformed.
    """
    cfg = settings.nlu
    try:
        engine, trained = BuiltinEngine.load_or_train(
            data_paths=[Path(p) for p in cfg.data],
            model_dir=Path(cfg.model_dir),
            threshold=cfg.fallback_threshold,
            params=Hyperparameters(encoder=cfg.encoder),
            progress=progress or _log_training,
        )
    except DataError as exc:
        raise ConfigError("nlu.data", str(exc), "correct the training file") from exc
    except NluError as exc:  # the sentence encoder is not installed
        raise ConfigError("nlu.encoder", str(exc), f"run {INSTALL}, or unset it") from exc
    if trained:
        logger.info("trained the NLU model (%d intents)", len(engine.intents))
    return engine


def _log_training(step: str) -> None:
    # Without a console to show progress on (Telegram, the desk), the log says why start-up
    # pauses, and that it happens once.
    logger.info("training the language model (once, then cached in nlu.model_dir): %s", step)


async def build_nlu(
    settings: Settings, *, progress: Callable[[str], None] | None = None
) -> NluEngine:
    """The configured NLU engine: built-in, or a Rasa server (checked now) with the
    built-in engine as its stand-in when configured so.

    Args:
        settings: the configuration.
        progress: hears each training step when the built-in model has to be trained (a
            first start, or new data); None logs them.

    Raises:
        ConfigError: bad training data, or a Rasa server that is down with no stand-in.
    """
    cfg = settings.nlu
    if cfg.backend == "builtin":
        return build_builtin(settings, progress=progress)
    fallback = build_builtin(settings, progress=progress) if cfg.rasa_fallback_to_builtin else None
    engine = RasaEngine(
        cfg.rasa_url,
        timeout=cfg.rasa_timeout,
        threshold=cfg.fallback_threshold,
        fallback=fallback,
    )
    try:
        version = await engine.check()
        logger.info("using the Rasa %s server at %s", version, cfg.rasa_url)
    except NluUnavailable as exc:
        if fallback is None:
            await engine.close()
            raise ConfigError(
                "nlu.rasa_url",
                str(exc),
                "start it with `make rasa`, or set nlu.rasa_fallback_to_builtin: true "
                "or nlu.backend: builtin",
            ) from exc
        logger.warning("%s; the built-in engine answers until it is back", exc)
    return engine


def segment_rules(settings: Settings) -> SegmentRules:
    """The lifecycle thresholds and tier rules of ``crm`` in config.yml."""
    cfg = settings.crm
    return SegmentRules(
        new_days=cfg.new_days,
        new_conversations=cfg.new_conversations,
        recent_days=cfg.recent_days,
        quiet_days=cfg.quiet_days,
        churned_days=cfg.churned_days,
        tiers=tuple(
            TierRule(tier=t.tier, min_lifetime_value=t.min_lifetime_value, tag=t.tag)
            for t in cfg.tiers
        ),
    )


def build_dispatcher(settings: Settings, stores: Stores, nlu: NluEngine) -> Dispatcher:
    """The dispatcher with its behaviours' dependencies."""
    language = settings.conversation.default_language
    return Dispatcher(deps=build_deps(settings, stores), nlu=nlu, default_language=language)


def build_deps(settings: Settings, stores: Stores) -> Deps:
    """What behaviours, agents' actions and privacy requests work with.

    Raises:
        ConfigError: when the responses, FAQ or orders file or the hours are unusable.
    """
    cfg = settings.conversation
    try:
        responses = Responses.load(
            Path(cfg.responses) if cfg.responses else None, default_language=cfg.default_language
        )
    except ResponsesError as exc:
        raise ConfigError("conversation.responses", str(exc), "correct the responses file") from exc
    try:
        knowledge = KnowledgeBase.load(
            Path(cfg.knowledge_base) if cfg.knowledge_base else SHIPPED_FAQ
        )
    except KnowledgeBaseError as exc:
        raise ConfigError("conversation.knowledge_base", str(exc), "correct the FAQ file") from exc
    orders: OrderLookup
    if cfg.orders_url:
        try:
            orders = HttpOrderLookup(cfg.orders_url, timeout=cfg.orders_timeout)
        except ValueError as exc:
            raise ConfigError(
                "conversation.orders_url", str(exc), "e.g. https://shop.example/orders/{order}"
            ) from exc
    else:
        orders_path = Path(cfg.orders_csv) if cfg.orders_csv else SAMPLE_ORDERS
        try:
            orders = CsvOrderLookup(orders_path)
        except (OSError, ValueError) as exc:
            raise ConfigError(
                "conversation.orders_csv", str(exc), "give a readable CSV file"
            ) from exc
    catalogue = build_catalogue(settings)
    try:
        order_numbers = OrderNumbers(cfg.order_patterns)
    except ValueError as exc:
        raise ConfigError(
            "conversation.order_patterns", str(exc), r"e.g. ['SO-\d{6}'] (a Python regex)"
        ) from exc
    try:
        delivery = DeliveryList(cfg.ships_to)
    except ValueError as exc:
        raise ConfigError(
            "conversation.ships_to", str(exc), "e.g. [UK, Germany, France, China] (country names)"
        ) from exc
    try:
        hours = BusinessHours.parse(settings.agents.hours, settings.agents.timezone)
    except HoursError as exc:
        raise ConfigError(
            "agents.hours", str(exc), 'e.g. ["Mon-Fri 09:00-18:00"] and timezone Europe/Berlin'
        ) from exc
    shipping = ShippingTimes(
        cut_off=time.fromisoformat(cfg.shipping.cut_off),
        standard_days=cfg.shipping.standard_days,
        express_days=cfg.shipping.express_days,
        zone=hours.zone,
    )
    return Deps(
        customers=stores.db.customers,
        messages=stores.db.messages,
        cases=stores.db.cases,
        feedback=stores.db.feedback,
        surveys=stores.db.surveys,
        state=stores.state,
        responses=responses,
        knowledge=knowledge,
        orders=orders,
        company=cfg.company,
        fallback_ttl=cfg.fallback_memory_minutes * 60.0,
        negative_sentiment=settings.escalation.negative_sentiment,
        escalate_priority=Priority(settings.escalation.complaint_priority),
        flood_limit=cfg.flood_limit,
        flood_window=cfg.flood_window_seconds,
        hours=hours,
        sla=sla_policy(settings),
        holding_after=timedelta(minutes=settings.agents.holding_reply_minutes),
        return_to_bot_after=timedelta(hours=settings.agents.return_to_bot_hours),
        posts=stores.db.posts,
        audit=stores.db.audit,
        segments=Segmenter(stores.db.customers, segment_rules(settings)),
        conversation_ttl=settings.storage.conversation_gap_minutes * 60.0,
        order_numbers=order_numbers,
        shipping=shipping,
        catalogue=catalogue,
        delivery=delivery,
        media=stores.db.media,
        media_files=build_media_cache(settings),
        media_attach_window=timedelta(minutes=settings.media.attach_window_minutes),
        acts=ActReader(model_dir=Path(settings.nlu.model_dir)),
        router=Router(
            store=stores.db.assignment,
            cases=stores.db.cases,
            customers=stores.db.customers,
            policy=AssignPolicy(
                auto=settings.agents.auto_assign, capacity=settings.agents.capacity
            ),
        ),
    )


def sla_policy(settings: Settings) -> SlaPolicy:
    """The SLA targets of ``agents.sla``, in business minutes per priority."""
    return SlaPolicy(
        targets={
            Priority(name): SlaTarget(
                first_response=timedelta(minutes=t.first_response),
                resolution=timedelta(minutes=t.resolution),
            )
            for name, t in settings.agents.sla.items()
        },
        warn_at=settings.agents.sla_warn_percent / 100,
    )


def build_sla(settings: Settings, services: Services) -> SlaWatch:
    """The SLA watch over the services' cases, in the agents' business hours."""
    deps = services.dispatcher.deps
    return SlaWatch(
        store=services.stores.db.assignment,
        policy=sla_policy(settings),
        hours=deps.hours,
        clock=deps.clock,
    )


def build_media_cache(settings: Settings) -> MediaCache:
    """The desk's cache of customers' files, fetching from the Bot API when a token is set."""
    cfg, telegram = settings.media, settings.telegram
    fetcher = None
    if telegram.token is not None:
        fetcher = TelegramFiles(
            token=telegram.token.get_secret_value(),
            base_url=telegram.base_url,
            base_file_url=telegram.base_file_url,
        )
    return MediaCache(
        directory=Path(cfg.cache_dir),
        max_bytes=cfg.cache_max_mb << 20,
        max_file_bytes=cfg.max_file_mb << 20,
        fetcher=fetcher,
    )


def build_catalogue(settings: Settings) -> Catalogue:
    """The product catalogue: the shop's API when ``catalogue.url`` is set, else the CSV file
    (the demo file when none is given).

    Raises:
        ConfigError: when the file is unreadable or malformed, or the URL lacks ``{query}``.
    """
    cfg = settings.catalogue
    if cfg.url:
        try:
            return HttpCatalogue(cfg.url, timeout=cfg.timeout)
        except ValueError as exc:
            raise ConfigError(
                "catalogue.url", str(exc), "e.g. https://shop.example/api/products?q={query}"
            ) from exc
    path = Path(cfg.csv) if cfg.csv else SAMPLE_CATALOGUE
    try:
        return CsvCatalogue(path)
    except (OSError, ValueError) as exc:
        raise ConfigError(
            "catalogue.csv",
            str(exc),
            "give a readable CSV file (sku,name,name_zh,aliases,price,currency,stock)",
        ) from exc


@asynccontextmanager
async def open_services(
    settings: Settings, *, progress: Callable[[str], None] | None = None
) -> AsyncIterator[Services]:
    """Stores, NLU and dispatcher, ready for a channel (``progress``: see build_nlu)."""
    nlu = await build_nlu(settings, progress=progress)
    try:
        async with open_stores(settings) as stores:
            dispatcher = build_dispatcher(settings, stores, nlu)
            # Trained (or loaded from nlu.model_dir) now, like the main model, not on the
            # first customer's message.
            _ = dispatcher.deps.acts.engine
            try:
                yield Services(stores=stores, dispatcher=dispatcher)
            finally:
                await close_deps(dispatcher.deps)
    finally:
        if isinstance(nlu, RasaEngine):
            await nlu.close()


@asynccontextmanager
async def opened_deps(settings: Settings, stores: Stores) -> AsyncIterator[Deps]:
    """``build_deps`` for one command, its shop API connections let go at the end."""
    deps = build_deps(settings, stores)
    try:
        yield deps
    finally:
        await close_deps(deps)


async def close_deps(deps: Deps) -> None:
    """Let go of what the dependencies hold open: the shop API clients of the catalogue and
    the order look-up, and the media cache's Bot (files need nothing)."""
    for client in (deps.orders, deps.catalogue):
        if isinstance(client, ShopApi):
            await client.close()
    if isinstance(deps.media_files, MediaCache):
        await deps.media_files.close()


# The advisory lock the Telegram poller holds (any number, the same in every process).
POLLER_LOCK = 0x63726D01


def build_telegram(
    settings: Settings,
    services: Services,
    *,
    poll_timeout: int = 30,
    web: WebChannel | None = None,
) -> TelegramChannel:
    """The Telegram channel on the given services (needs ``telegram.token``); with ``web``,
    agents in the Telegram group reach website visitors too."""
    token = settings.telegram.token
    if token is None:
        raise ConfigError("telegram.token", "is not set", "set CRMBOT_TELEGRAM__TOKEN")
    db = services.stores.db
    scale = settings.scale
    shared = db.shared and scale.claims == "auto"
    channel = TelegramChannel(
        token=token.get_secret_value(),
        base_url=settings.telegram.base_url,
        base_file_url=settings.telegram.base_file_url,
        dispatcher=services.dispatcher,
        inbox=db.inbox,
        customers=db.customers,
        messages=db.messages,
        state=services.stores.state,
        poll_timeout=poll_timeout,
        max_attempts=settings.telegram.max_attempts,
        retry_seconds=settings.telegram.retry_seconds,
        journal=SentJournal(Path(journal)) if (journal := settings.telegram.sent_journal) else None,
        # PostgreSQL: workers share the inbox, chat by chat under leases; one process polls.
        # The agents' group is a barrier: an agent's action keeps its place among the
        # customers' messages (what a customer wrote after it waits for it, and it for
        # what came before), as in one process.
        claims=db.claims(
            lease_seconds=scale.lease_seconds,
            barriers=[str(settings.agents.chat_id)] if settings.agents.chat_id else [],
        )
        if shared
        else None,
        leader=db.leader_lock(POLLER_LOCK) if shared else None,
        worker=worker_name(),
        lease_seconds=scale.lease_seconds,
        poll_seconds=scale.poll_seconds,
        max_chats=scale.max_chats,
    )
    agents = settings.agents
    if agents.chat_id is not None:
        if not agents.user_ids:
            logger.warning("agents.user_ids is empty: nobody in the agents' chat can act")
        outbox: Outbox = channel if web is None else Outboxes({"telegram": channel, "web": web})
        service = AgentService(deps=services.dispatcher.deps, outbox=outbox)
        files = services.dispatcher.deps.media_files
        desk = TelegramAgentDesk(
            bot=channel.app.bot,
            chat_id=agents.chat_id,
            agent_ids=agents.user_ids,
            use_topics=agents.use_topics,
            service=service,
            customers=db.customers,
            messages=db.messages,
            state=services.stores.state,
            posts=db.posts,
            audit=db.audit,
            canned=CannedService(deps=services.dispatcher.deps, store=db.canned, agents=service),
            media=db.media,
            router=services.dispatcher.deps.router,
            # A website visitor's files have no Telegram message to copy: uploaded from here.
            files=files if isinstance(files, MediaCache) else None,
        )
        channel.add_agents_chat(agents.chat_id, desk.on_group_message)
        services.dispatcher.attach_desk(desk)
        channel.reminders = (service, desk, timedelta(minutes=agents.reminder_minutes))
    else:
        logger.warning("agents.chat_id is not set: escalated cases wait in `crm cases`")
    return channel


class NotConnected:
    """The outbox of a desk running without Telegram: replies are stored (sent later by
    `run`, which resends what was recorded but never sent) and the agent is told."""

    async def deliver(self, identity: ChannelIdentity, reply: Reply) -> None:
        raise NotSent(
            f"stored, not sent yet: no channel reaches {identity.channel} from this process; "
            "`python -m bot run` sends it when it starts"
        )


def build_widget(settings: Settings, services: Services, *, answer: bool = False) -> WebChannel:
    """The website widget's channel on the services (``widget:`` in config.yml). With
    ``answer`` (`run`) on PostgreSQL, visitors are answered from the shared inbox under
    per-visitor leases, as Telegram's chats are (``scale:``); the desk process only sends."""
    db = services.stores.db
    files = services.dispatcher.deps.media_files
    scale = settings.scale
    shared = answer and db.shared and scale.claims == "auto"
    if shared and not settings.storage.redis_url:
        logger.warning(
            "the widget on PostgreSQL without Redis: a reply reaches a visitor's open page "
            "only when this process holds their socket (others see it on their next load); "
            "set storage.redis_url when several workers run"
        )
    return WebChannel(
        dispatcher=services.dispatcher,
        inbox=db.inbox,
        customers=db.customers,
        messages=db.messages,
        state=services.stores.state,
        files=files if isinstance(files, MediaCache) else build_media_cache(settings),
        max_attempts=settings.telegram.max_attempts,
        retry_seconds=settings.telegram.retry_seconds,
        # The widget's ids are hashes of the page's client ids: its rows are answered in
        # the order they were stored.
        claims=db.claims(lease_seconds=scale.lease_seconds, by_arrival=True) if shared else None,
        worker=worker_name(),
        lease_seconds=scale.lease_seconds,
        poll_seconds=scale.poll_seconds,
        max_chats=scale.max_chats,
    )


def widget_token_key(settings: Settings) -> str | None:
    """The key visitors' tokens are marked with: ``widget.token_secret``, else one derived
    from ``widget.identity_secret`` (every process serving the widget has it), else None (a
    random key per process)."""
    cfg = settings.widget
    if cfg.token_secret is not None:
        return cfg.token_secret.get_secret_value()
    if cfg.identity_secret is not None:
        secret = cfg.identity_secret.get_secret_value().encode()
        return hmac.new(secret, b"crmbot widget visitor tokens", hashlib.sha256).hexdigest()
    if settings.storage.database_url.startswith("postgresql"):
        # PostgreSQL is how several processes share the work: each would mark with its own.
        logger.warning(
            "widget.token_secret is unset: each process marks visitors' tokens with its own "
            "key; set CRMBOT_WIDGET__TOKEN_SECRET when more than one process serves the widget"
        )
    return None


def widget_config(settings: Settings) -> WidgetConfig:
    """What the widget's routes need of ``widget:``."""
    cfg = settings.widget
    return WidgetConfig(
        allowed_origins=tuple(o.rstrip("/") for o in cfg.allowed_origins),
        identity_secret=(
            cfg.identity_secret.get_secret_value() if cfg.identity_secret is not None else None
        ),
        title={"en": cfg.title, "zh": cfg.title_zh},
        welcome={"en": cfg.welcome, "zh": cfg.welcome_zh},
        colour=cfg.colour,
        text_colour=cfg.text_colour,
        position=cfg.position,
        visitor_per_minute=cfg.visitor_messages_per_minute,
        address_per_minute=cfg.address_messages_per_minute,
        max_chars=cfg.max_message_chars,
        # The desk's cache refuses to read files past media.max_file_mb: never accept more.
        max_upload_bytes=min(cfg.max_upload_mb, settings.media.max_file_mb) << 20,
        signature_max_age=cfg.signature_max_age_minutes * 60.0,
        legacy_signatures=cfg.legacy_user_id_signatures,
        token_secret=widget_token_key(settings),
        sockets_per_address=cfg.sockets_per_address,
        sockets_per_visitor=cfg.sockets_per_visitor,
    )


def build_web(
    settings: Settings, services: Services, *, outbox: Outbox, eraser: PostEraser | None = None
) -> tuple[FastAPI, WebDesk]:
    """The desk and REST API on the services, and the desk that publishes live updates."""
    deps = services.dispatcher.deps
    stores = services.stores
    events = WebDesk(stores.state)
    auth = Authenticator(
        accounts=stores.db.accounts,
        state=stores.state,
        session_hours=settings.web.session_hours,
        attempts=settings.web.login_attempts,
    )
    context = WebContext(
        db=stores.db,
        state=stores.state,
        deps=deps,
        agents=AgentService(deps=deps, outbox=outbox),
        auth=auth,
        events=events,
        company=settings.conversation.company,
        secure_cookies=settings.web.secure_cookies,
        eraser=eraser,
        max_body_bytes=settings.web.max_body_bytes,
        idempotency_unfinished_seconds=settings.web.idempotency_unfinished_seconds,
        media_cache=(
            deps.media_files
            if isinstance(deps.media_files, MediaCache)
            else build_media_cache(settings)
        ),
        capacity=settings.agents.capacity,
        sla=sla_policy(settings),
        typing=outbox if isinstance(outbox, TypingIndicator) else None,
    )
    return create_app(context), events


def build_monitor(
    settings: Settings, stores: Stores, *, channel: Literal["polling", "webhook"] | None
) -> Monitor:
    """Health checks and metrics over the stores; ``channel`` when this process receives."""
    cfg = settings.health
    return Monitor(
        database=stores.db,
        state=stores.state,
        workload=stores.db.workload,
        metrics=Metrics(),
        channel=channel,
        max_poll_age=cfg.max_poll_age_seconds,
        max_backlog_age=cfg.max_backlog_age_seconds,
        timeout=cfg.check_timeout_seconds,
    )


async def check_here(settings: Settings) -> Readiness:
    """Readiness as this process sees it: the stores and the workload, no channel."""
    cfg = settings.storage
    try:
        db = SqlDatabase(cfg.database_url)
    except CrmError as exc:
        raise ConfigError("storage.database_url", str(exc), _DB_FIX) from exc
    state = open_state(cfg.redis_url, prefix=cfg.redis_prefix)
    try:
        return await build_monitor(settings, Stores(db=db, state=state), channel=None).readiness()
    finally:
        await state.close()
        await db.dispose()


def web_url(settings: Settings, path: str = "") -> str:
    """Where this machine reaches the web port (a wildcard ``listen`` means loopback)."""
    cfg = settings.web
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(cfg.listen, cfg.listen)
    return f"http://{f'[{host}]' if ':' in host else host}:{cfg.port}{path}"


def listen(settings: Settings) -> socket.socket:
    """The web port's socket, bound now so that a port in use stops start-up clearly.

    Raises:
        ConfigError: when ``web.listen:web.port`` cannot be bound.
    """
    cfg = settings.web
    family = socket.AF_INET6 if ":" in cfg.listen else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((cfg.listen, cfg.port))
    except OSError as exc:
        sock.close()
        raise ConfigError(
            "web.port",
            f"cannot listen on {cfg.listen}:{cfg.port}: {exc.strerror or exc}",
            "stop what uses the port, or give this process another (CRMBOT_WEB__PORT)",
        ) from exc
    sock.set_inheritable(True)
    return sock


def uvicorn_config(settings: Settings, app: FastAPI) -> uvicorn.Config:
    """uvicorn's settings for the web port: forwarded headers believed only from
    ``web.trusted_proxies`` (uvicorn would trust 127.0.0.1 by default, so anything on the
    machine could claim any client address and step around the login pause)."""
    import uvicorn

    cfg = settings.web
    return uvicorn.Config(
        app,
        host=cfg.listen,
        port=cfg.port,
        log_level="warning",
        lifespan="off",
        proxy_headers=bool(cfg.trusted_proxies),
        forwarded_allow_ips=list(cfg.trusted_proxies),
    )


async def serve_web(
    settings: Settings,
    app: FastAPI,
    stop: asyncio.Event,
    sock: socket.socket | None = None,
    *,
    what: str = "desk and API",
) -> None:
    """Serve ``app`` with uvicorn on ``sock`` (else web.listen:web.port) until ``stop``."""
    import uvicorn

    server = uvicorn.Server(uvicorn_config(settings, app))
    task = asyncio.create_task(server.serve(sockets=[sock] if sock is not None else None))
    logger.info("%s at http://%s:%d", what, settings.web.listen, settings.web.port)
    try:
        await asyncio.wait(
            {task, asyncio.create_task(stop.wait())}, return_when=asyncio.FIRST_COMPLETED
        )
    finally:
        server.should_exit = True
        await task


def desk_outbox(
    settings: Settings, web: WebChannel, *, telegram: Outbox | None = None
) -> Outboxes:
    """How `python -m bot web` reaches customers. Website visitors' sockets are `run`'s: only
    through Redis does a reply published here reach them. Without Redis a reply to a visitor
    is stored and the agent told it waits (not marked sent unseen); the visitor reads it in
    their history."""
    widget: Outbox = web if settings.storage.redis_url else NotConnected()
    if telegram is None:
        return Outboxes({"web": widget}, fallback=NotConnected())
    return Outboxes({"telegram": telegram, "web": widget})


async def serve_desk(settings: Settings, stop: asyncio.Event) -> None:
    """`python -m bot web`: the desk alone; with a token, agents' replies go out on Telegram."""
    async with open_services(settings) as services:
        # Website visitors hear agents through the published topic (Redis reaches `run`'s
        # sockets; either way the widget's history shows the reply).
        web = build_widget(settings, services)
        outbox: Outbox = desk_outbox(settings, web)
        eraser: PostEraser | None = None
        channel = None
        if settings.telegram.token is not None:
            channel = build_telegram(settings, services, poll_timeout=0, web=web)
            await channel.app.initialize()  # to send; `run` receives
            outbox = desk_outbox(settings, web, telegram=channel)
            eraser = services.dispatcher.deps.desk
        app, events = build_web(settings, services, outbox=outbox, eraser=eraser)
        app.include_router(health_router(build_monitor(settings, services.stores, channel=None)))
        group = services.dispatcher.deps.desk
        watching = asyncio.create_task(
            _sla_forever(build_sla(settings, services), Desks(group, events) if group else events)
        )
        try:
            await serve_web(settings, app, stop, listen(settings))
        finally:
            watching.cancel()
            await asyncio.gather(watching, return_exceptions=True)
            if channel is not None:
                await channel.app.shutdown()


async def serve_telegram(settings: Settings, stop: asyncio.Event) -> None:
    """Run the Telegram channel until ``stop`` is set.

    Raises:
        ConfigError: a token Telegram refuses, or a Bot API server that cannot be reached.
    """
    async with open_services(settings) as services:
        cfg = settings.telegram
        enabled = settings.widget.enabled
        web = build_widget(settings, services, answer=True) if enabled else None
        channel = build_telegram(settings, services, poll_timeout=cfg.poll_timeout, web=web)
        outbox: Outbox = channel if web is None else Outboxes({"telegram": channel, "web": web})
        webhook = cfg.mode == "webhook"
        monitor = build_monitor(settings, services.stores, channel=cfg.mode)
        channel.events = monitor
        # The web port serves /healthz, /readyz and /metrics whether or not the desk is on.
        if settings.web.enabled:
            deps = services.dispatcher.deps
            web_app, events = build_web(settings, services, outbox=outbox, eraser=deps.desk)
            web_app.include_router(health_router(monitor))
            services.dispatcher.attach_desk(Desks(deps.desk, events) if deps.desk else events)
        else:
            web_app = health_app(monitor)
        if web is not None:
            add_widget_routes(web_app, web, widget_config(settings), metrics=monitor.metrics)
            await web.settle_unsent()
            await web.drain()
        what = "desk, API and health checks" if settings.web.enabled else "health checks"
        # Served from before the channel connects: /readyz says why it is not ready yet.
        serving = asyncio.create_task(
            serve_web(settings, web_app, stop, listen(settings), what=what)
        )
        try:
            await _connect(channel, webhook=webhook)
        except BaseException:
            serving.cancel()
            await asyncio.gather(serving, return_exceptions=True)
            raise
        monitor.polled()  # connected: Telegram answered
        logger.info("serving Telegram through %s", settings.telegram.base_url)
        if webhook:
            secret = cfg.webhook_secret.get_secret_value() if cfg.webhook_secret else None
            receiving = channel.serve_webhook(
                url=cfg.webhook_url,
                listen=cfg.webhook_listen,
                port=cfg.webhook_port,
                secret=secret,
                stop=stop,
            )
        else:
            receiving = channel.run(stop)
        tasks = {asyncio.create_task(receiving), asyncio.create_task(stop.wait()), serving}
        if settings.crm.retention_days:
            tasks.add(
                asyncio.create_task(
                    _purge_forever(
                        services.stores.db.messages,
                        settings.crm.retention_days,
                        files=services.dispatcher.deps.media_files,
                    )
                )
            )
        # Several workers: website visitors are taken from the shared inbox, one worker at
        # a time per visitor (its error, like the others', ends the process).
        web_working = (
            asyncio.create_task(web.worker.run())
            if web is not None and web.worker is not None
            else None
        )
        if web_working is not None:
            tasks.add(web_working)
        if channel.reminders is not None:
            tasks.add(asyncio.create_task(_remind_forever(*channel.reminders)))
        # SLA alerts go to the agents' group and, with the desk on, its live updates.
        sla_desk = services.dispatcher.deps.desk
        if sla_desk is not None:
            tasks.add(asyncio.create_task(_sla_forever(build_sla(settings, services), sla_desk)))
        try:
            finished, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if web_working is not None and web is not None and web.worker is not None:
                # Visitors' turns in hand finish (a lease at most), then their leases go to
                # the other workers at once.
                web.worker.stop()
                await asyncio.wait({web_working}, timeout=settings.scale.lease_seconds + 10)
            # Cancelling mid-poll is safe: what was not stored is redelivered, what was stored
            # and not processed is resumed from the inbox at the next start.
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await channel.stop()
            if web is not None:
                await web.close()
        if not stop.is_set():
            # A loop that should run until stopped ended: the process must not exit 0, or a
            # process manager restarting on failure would not restart it.
            failed = next((t for t in finished if not t.cancelled() and t.exception()), None)
            if failed is not None:
                raise Unrecoverable(str(failed.exception())) from failed.exception()
            raise Unrecoverable("a serving loop ended on its own")


async def _connect(channel: TelegramChannel, *, webhook: bool) -> None:
    """Start the channel; Telegram's refusals become configuration errors."""
    try:
        await channel.start(webhook=webhook)
    except InvalidToken as exc:
        raise ConfigError(
            "telegram.token", "Telegram refused the token", "copy it again from @BotFather"
        ) from exc
    except NetworkError as exc:
        raise ConfigError(
            "telegram.base_url",
            f"cannot reach the Bot API: {exc}",
            "check the network or CRMBOT_TELEGRAM__BASE_URL",
        ) from exc


async def purge_expired(
    messages: MessageStore, retention_days: int, *, files: object | None = None
) -> int:
    """Retention: delete the words of messages older than ``retention_days`` (and the file ids
    and cached copies of their media); counts stay."""
    older = datetime.now(UTC) - timedelta(days=retention_days)
    count = await messages.purge_texts(older_than=older)
    if isinstance(files, MediaCache) and (expired := files.expire(older)):
        logger.info(
            "retention: deleted %d cached files older than %d days", expired, retention_days
        )
    if count:
        logger.info(
            "retention: deleted the text of %d messages older than %d days", count, retention_days
        )
    return count


async def _purge_forever(
    messages: MessageStore,
    retention_days: int,
    *,
    every: float = 3600.0,
    files: object | None = None,
) -> None:
    """Apply retention now and then every hour, forever."""
    while True:
        try:
            await purge_expired(messages, retention_days, files=files)
        except CrmError as exc:
            logger.warning("retention skipped: %s", exc)
        await asyncio.sleep(every)


async def _remind_forever(
    service: AgentService,
    desk: AgentDesk,
    waiting: timedelta,
    *,
    every: float = 60.0,
) -> None:
    """Bring unanswered cases up again in the agents' chat every minute, forever."""
    while True:
        await asyncio.sleep(every)
        try:
            await service.remind(desk, waiting=waiting)
        except CrmError as exc:
            logger.warning("reminders skipped: %s", exc)


async def _sla_forever(sla: SlaWatch, desk: AgentDesk, *, every: float = 60.0) -> None:
    """SLA warnings and breaches every minute, forever, in every process serving agents
    (`bot run` with a group or the desk, `bot web`): alerts are noted once per case, so
    several processes post each once."""
    while True:
        await asyncio.sleep(every)
        try:
            await sla.check(desk)
        except CrmError as exc:
            logger.warning("SLA check skipped: %s", exc)
