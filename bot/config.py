"""Settings: config.yml, overridden by CRMBOT_<SECTION>__<KEY> environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict
from pydantic_settings.exceptions import SettingsError

DEFAULT_CONFIG = Path("config.yml")


class ConfigError(Exception):
    """A setting is wrong: which key, why, and how to fix it."""

    def __init__(self, key: str, reason: str, fix: str) -> None:
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.key}: {self.reason}\n  fix: {self.fix}"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TelegramSettings(_Section):
    token: SecretStr | None = None
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    poll_timeout: int = Field(default=30, ge=0, le=50)
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    max_attempts: int = Field(default=5, ge=1, le=100)
    retry_seconds: float = Field(default=1.0, gt=0, le=600)
    # Replies delivered and not yet marked sent, kept on disk until they are ("": off).
    sent_journal: str = "data/sent-journal"

    @model_validator(mode="after")
    def _webhook_needs_url(self) -> TelegramSettings:
        if self.mode == "webhook" and not self.webhook_url.startswith("https://"):
            raise ValueError("webhook mode needs webhook_url, the public https:// address")
        return self

    @field_validator("base_url", "base_file_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")


class SlaTargetSettings(_Section):
    first_response: int = Field(ge=1)
    resolution: int = Field(ge=1)


SlaPriority = Literal["low", "normal", "high", "urgent"]


def _default_sla() -> dict[SlaPriority, SlaTargetSettings]:
    return {
        "urgent": SlaTargetSettings(first_response=15, resolution=240),
        "high": SlaTargetSettings(first_response=30, resolution=480),
        "normal": SlaTargetSettings(first_response=60, resolution=1440),
        "low": SlaTargetSettings(first_response=240, resolution=2880),
    }


class AgentsSettings(_Section):
    chat_id: int | None = None
    user_ids: list[int] = Field(default_factory=list)
    use_topics: bool = False
    hours: list[str] = Field(default_factory=list)
    timezone: str = "UTC"
    reminder_minutes: int = Field(default=10, ge=1)
    # A chat an agent owns: one holding reply to a customer who heard from no one for this
    # long; the bot answers again after this long without the agent's word (0: never).
    holding_reply_minutes: int = Field(default=20, ge=0, le=10080)
    return_to_bot_hours: int = Field(default=24, ge=0, le=8760)
    # Assignment: new escalations go round robin to online agents with room and the skill.
    auto_assign: bool = True
    capacity: int = Field(default=3, ge=0, le=1000)
    # Minutes of business time per priority; a priority left out has no SLA.
    sla: dict[SlaPriority, SlaTargetSettings] = Field(default_factory=lambda: _default_sla())
    sla_warn_percent: int = Field(default=80, ge=1, le=99)


class StorageSettings(_Section):
    database_url: str = "sqlite+aiosqlite:///data/crm.db"
    redis_url: str = ""
    redis_prefix: str = "crmbot:"
    conversation_gap_minutes: int = Field(default=30, ge=1)

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        # Accept the URLs people copy from hosting panels, and use the async drivers.
        for plain, driver in (
            ("postgres://", "postgresql+asyncpg://"),
            ("postgresql://", "postgresql+asyncpg://"),
            ("sqlite://", "sqlite+aiosqlite://"),
        ):
            if value.startswith(plain):
                return driver + value[len(plain) :]
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must be sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER:PASS@HOST/DB"
            )
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str) -> str:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be empty (in-process stand-in) or redis://HOST:PORT/DB")
        return value


# The default fallback threshold (config.yml nlu.fallback_threshold), chosen with
# bench/nlu_oos.py on train-only splits: with the open-set decision (nlu BuiltinEngine.decide),
# 0.42 keeps in-scope accuracy and raises out-of-scope recall over the top probability at
# 0.45 on banking77 hold-outs with oos training rows and on the bot's own data (BENCHMARKS.md).
DEFAULT_THRESHOLD = 0.42


class NluSettings(_Section):
    backend: Literal["builtin", "rasa"] = "builtin"
    data: list[str] = Field(default_factory=list)
    model_dir: str = "data/nlu-model"
    fallback_threshold: float = Field(default=DEFAULT_THRESHOLD, ge=0.0, le=1.0)
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_timeout: float = Field(default=2.0, gt=0)
    rasa_fallback_to_builtin: bool = True
    rasa_venv: str = ".venv-rasa"
    # "", "minilm" or "minilm-static": sentence embeddings beside the n-grams (both need the
    # model's files, `make minilm-weights`; they run in NumPy, no PyTorch).
    encoder: Literal["", "minilm", "minilm-static"] = ""


class ConversationSettings(_Section):
    company: str = "Acme Home"
    default_language: Literal["en", "zh"] = "en"
    responses: str = ""
    knowledge_base: str = ""
    orders_csv: str = ""
    orders_url: str = ""
    orders_timeout: float = Field(default=3.0, gt=0)
    fallback_memory_minutes: int = Field(default=10, ge=1)
    flood_limit: int = Field(default=8, ge=1)
    flood_window_seconds: float = Field(default=10.0, gt=0)
    # The shop's own order-number shapes (regexes), beside the usual ones.
    order_patterns: list[str] = Field(default_factory=list)
    # Countries the shop delivers to, by name (English or Chinese); empty: the demo list.
    ships_to: list[str] = Field(default_factory=list)
    # Orders before the cut-off (agents.timezone) leave the same working day.
    shipping: ShippingSettings = Field(default_factory=lambda: ShippingSettings())


class ShippingSettings(_Section):
    cut_off: str = Field(default="14:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    standard_days: tuple[int, int] = (2, 4)
    express_days: int = Field(default=1, ge=1, le=30)

    @field_validator("standard_days")
    @classmethod
    def _fewest_first(cls, value: tuple[int, int]) -> tuple[int, int]:
        if not 0 < value[0] <= value[1]:
            raise ValueError("[fewest, most] working days, fewest 1 or more")
        return value


class CatalogueSettings(_Section):
    # The products the bot can say it sells, with price and stock: a CSV file
    # (sku,name,aliases,price,currency,stock), or the shop's API, which takes precedence.
    csv: str = ""
    url: str = ""
    timeout: float = Field(default=3.0, gt=0)

    @field_validator("url")
    @classmethod
    def _query_placeholder(cls, value: str) -> str:
        if value and "{query}" not in value:
            raise ValueError("needs {query} where the product name goes")
        return value


class EscalationSettings(_Section):
    negative_sentiment: float = Field(default=-0.7, ge=-1.0, le=0.0)
    complaint_priority: Literal["normal", "high", "urgent"] = "high"


class TierRuleSettings(_Section):
    tier: str = Field(min_length=1)
    min_lifetime_value: float | None = None
    tag: str | None = None


class CrmSettings(_Section):
    # Message texts older than this many days are deleted (0 keeps them); counts stay.
    retention_days: int = Field(default=0, ge=0)
    new_days: int = Field(default=14, ge=1)
    new_conversations: int = Field(default=2, ge=1)
    recent_days: int = Field(default=30, ge=1)
    quiet_days: int = Field(default=45, ge=1)
    churned_days: int = Field(default=90, ge=1)
    tiers: list[TierRuleSettings] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> CrmSettings:
        if self.quiet_days >= self.churned_days:
            raise ValueError("quiet_days must be below churned_days")
        return self


class WebSettings(_Section):
    # The agents' desk and REST API: inside `run` when enabled, or alone with `python -m bot web`.
    enabled: bool = False
    listen: str = "127.0.0.1"
    port: int = Field(default=8080, ge=1, le=65535)
    # Serve behind HTTPS in production and set this: cookies then travel only over HTTPS.
    secure_cookies: bool = False
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    # Failed logins allowed per address (and per name) in 15 minutes before a pause.
    login_attempts: int = Field(default=5, ge=1)
    # Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (e.g.
    # ["127.0.0.1"] behind a local nginx). Empty: the client is the TCP peer, whatever it sends.
    trusted_proxies: list[str] = Field(default_factory=list)
    # Larger request bodies are refused with 413 before they are read.
    max_body_bytes: int = Field(default=1 << 20, ge=1024, le=1 << 30)
    # An Idempotency-Key whose first request never finished (the process died mid-action)
    # answers 409 this long, then may be used again; longer than the slowest action.
    idempotency_unfinished_seconds: float = Field(default=60.0, ge=1, le=24 * 3600)


class WidgetSettings(_Section):
    # The chat widget for the shop's own website (README, "Chat on your website"): served on
    # the web port by `run` when enabled (web.enabled need not be on).
    enabled: bool = False
    # Pages allowed to embed the widget and open its socket, e.g. ["https://shop.example"];
    # ["*"] allows any (a demo). Empty: no page may use it.
    allowed_origins: list[str] = Field(default_factory=list)
    # Identified visitors: the shop signs its user id with this secret (HMAC-SHA256, hex).
    # Unset: only anonymous visitors; a user id sent without it is refused.
    identity_secret: SecretStr | None = None
    # A signature is believed this long after the time signed into it (signed_at): a page
    # left open longer is asked to reload, a copied signature stops working.
    signature_max_age_minutes: int = Field(default=24 * 60, ge=1, le=30 * 24 * 60)
    # While a shop moves from the first scheme (HMAC of the user id alone) to the one with a
    # time: such signatures are believed for the user id only (no name, no e-mail, no
    # expiry). Off once /metrics shows none (README, "Moving to signatures with a time").
    legacy_user_id_signatures: bool = False
    # The key anonymous visitors' tokens are marked with, so a page cannot choose its own;
    # the same in every process serving the widget. Unset: derived from identity_secret,
    # or without one a random key per process.
    token_secret: SecretStr | None = None
    title: str = Field(default="Chat with us", max_length=80)
    title_zh: str = Field(default="在线客服", max_length=80)
    welcome: str = Field(default="Hi! Ask us anything about your order.", max_length=500)
    welcome_zh: str = Field(default="您好！有任何订单问题都可以问我们。", max_length=500)
    colour: str = Field(default="#2563eb", pattern=r"^#[0-9a-fA-F]{6}$")
    text_colour: str = Field(default="#ffffff", pattern=r"^#[0-9a-fA-F]{6}$")
    position: Literal["right", "left"] = "right"
    # Limits: per visitor and per client address, messages a minute; characters a message.
    visitor_messages_per_minute: int = Field(default=20, ge=1)
    address_messages_per_minute: int = Field(default=120, ge=1)
    max_message_chars: int = Field(default=2000, ge=1, le=4096)
    # Files a visitor attaches (JPEG/PNG/WebP/GIF images, PDF), each at most this size (and
    # at most media.max_file_mb). Kept under media.cache_dir/uploads, never evicted.
    max_upload_mb: int = Field(default=10, ge=1, le=50)
    # Open sockets at once, in each process: from one client address, and of one visitor.
    sockets_per_address: int = Field(default=50, ge=1)
    sockets_per_visitor: int = Field(default=10, ge=1)


class MediaSettings(_Section):
    # Where the desk keeps customers' files fetched from the Bot API, and how much of them.
    cache_dir: str = "data/media-cache"
    cache_max_mb: int = Field(default=500, ge=1)
    # Larger files are neither fetched for the desk nor accepted as uploads (the Bot API
    # serves downloads up to 20 MB and takes uploads up to 50 MB).
    max_file_mb: int = Field(default=20, ge=1, le=50)
    # While the bot has the chat, a photo or file sent this many minutes after a case was
    # opened goes with that case (0: only as the complaint's own caption or while it waits).
    attach_window_minutes: int = Field(default=15, ge=0, le=24 * 60)


class HealthSettings(_Section):
    # /readyz (and `status`) turns "not ready" past these limits; see README, Operations.
    max_poll_age_seconds: float = Field(default=120.0, gt=0)
    max_backlog_age_seconds: float = Field(default=300.0, gt=0)
    check_timeout_seconds: float = Field(default=3.0, gt=0)


class ScaleSettings(_Section):
    # On PostgreSQL, every worker takes work from the shared inbox chat by chat under a lease
    # ("auto"); "off" keeps each worker to the updates it received (and SQLite always does).
    claims: Literal["auto", "off"] = "auto"
    # A lease is renewed every third of this while its chat is worked; a dead worker's
    # chats wait this long before another worker continues them.
    lease_seconds: float = Field(default=15.0, ge=1.0, le=600.0)
    # How often an idle worker looks for chats other workers stored (its own wake it at once).
    poll_seconds: float = Field(default=0.2, gt=0.0, le=10.0)
    # Chats one worker handles side by side.
    max_chats: int = Field(default=32, ge=1, le=1000)


class LoggingSettings(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


class Settings(BaseSettings):
    """Every setting of the bot, one section per package or concern."""

    model_config = SettingsConfigDict(
        env_prefix="CRMBOT_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    telegram: TelegramSettings = TelegramSettings()
    agents: AgentsSettings = AgentsSettings()
    storage: StorageSettings = StorageSettings()
    nlu: NluSettings = NluSettings()
    conversation: ConversationSettings = ConversationSettings()
    catalogue: CatalogueSettings = CatalogueSettings()
    escalation: EscalationSettings = EscalationSettings()
    crm: CrmSettings = CrmSettings()
    web: WebSettings = WebSettings()
    health: HealthSettings = HealthSettings()
    media: MediaSettings = MediaSettings()
    scale: ScaleSettings = ScaleSettings()
    widget: WidgetSettings = WidgetSettings()
    logging: LoggingSettings = LoggingSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment wins over the file's values, which arrive as init arguments.
        return (env_settings, init_settings)


def _env_name(loc: tuple[int | str, ...]) -> str:
    return "CRMBOT_" + "__".join(str(part).upper() for part in loc[:2])


def load_settings(path: Path | None = None) -> Settings:
    """Read and validate the configuration once.

    Args:
        path: a YAML file; None reads ``config.yml`` in the working directory if it exists.

    Raises:
        ConfigError: naming the key, the reason and the fix.
    """
    explicit = path is not None
    path = path or DEFAULT_CONFIG
    data: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ConfigError(str(path), f"not valid YAML: {exc}", "correct the file") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError(str(path), "must be a mapping of sections", "see config.yml")
        data = loaded or {}
    elif explicit:
        raise ConfigError("--config", f"{path} does not exist", "give the path of a YAML file")
    try:
        settings = Settings(**data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = tuple(error["loc"])
        key = ".".join(str(p) for p in loc)
        if error["type"] == "extra_forbidden":
            raise ConfigError(
                key, "is not a setting", f"remove it or check the spelling in {path}"
            ) from exc
        raise ConfigError(
            key,
            error["msg"],
            f"change {key} in {path} or set {_env_name(loc)}",
        ) from exc
    except SettingsError as exc:
        names = ", ".join(sorted(k for k in os.environ if k.startswith("CRMBOT_"))) or "none"
        raise ConfigError(
            "environment",
            f"{exc} ({exc.__cause__})",
            f"lists and objects are JSON, e.g. CRMBOT_AGENTS__USER_IDS='[123, 456]'; "
            f"CRMBOT_ variables set: {names}",
        ) from exc
    # Relative paths mean the same thing whatever the working directory of the command, or
    # of a subprocess it starts (Rasa trains in a temporary directory): the config's folder.
    return resolve_paths(settings, path.resolve().parent)


def _absolute(value: str, base: Path) -> str:
    """``value`` as an absolute path, relative ones taken from ``base``; "" stays ""."""
    if not value:
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else base / path)


def _sqlite_absolute(url: str, base: Path) -> str:
    """A SQLite URL whose file is relative (``sqlite+aiosqlite:///data/crm.db``) made absolute;
    other databases, in-memory SQLite and absolute files are left as they are."""
    prefix = "sqlite+aiosqlite:///"
    if not url.startswith(prefix):
        return url
    file, sep, query = url[len(prefix) :].partition("?")
    if not file or file == ":memory:" or file.startswith("/"):
        return url
    return f"{prefix}{_absolute(file, base)}{sep}{query}"


def resolve_paths(settings: Settings, base: Path) -> Settings:
    """Every file or folder setting as an absolute path, relative ones against ``base``.

    The one place that knows which settings are paths: the database file, the NLU data,
    model and Rasa folders, the responses, knowledge base, orders and catalogue files.
    """
    nlu, conversation = settings.nlu, settings.conversation
    return settings.model_copy(
        update={
            "storage": settings.storage.model_copy(
                update={"database_url": _sqlite_absolute(settings.storage.database_url, base)}
            ),
            "nlu": nlu.model_copy(
                update={
                    "data": [_absolute(p, base) for p in nlu.data],
                    "model_dir": _absolute(nlu.model_dir, base),
                    "rasa_venv": _absolute(nlu.rasa_venv, base),
                }
            ),
            "conversation": conversation.model_copy(
                update={
                    key: _absolute(getattr(conversation, key), base)
                    for key in ("responses", "knowledge_base", "orders_csv")
                }
            ),
            "catalogue": settings.catalogue.model_copy(
                update={"csv": _absolute(settings.catalogue.csv, base)}
            ),
            "media": settings.media.model_copy(
                update={"cache_dir": _absolute(settings.media.cache_dir, base)}
            ),
        }
    )
