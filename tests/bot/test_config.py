"""Settings: file values, environment overrides with the documented names, and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings, resolve_paths

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_config_is_valid() -> None:
    settings = load_settings(ROOT / "config.yml")
    # The shipped relative file, anchored at the config's folder.
    assert settings.storage.database_url == f"sqlite+aiosqlite:///{ROOT}/data/crm.db"
    assert settings.storage.redis_url == ""
    assert settings.telegram.base_url == "https://api.telegram.org/bot"
    assert settings.telegram.token is None


def test_documented_environment_names_override_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cfg = tmp_path / "c.yml"
    cfg.write_text("agents:\n  chat_id: 5\n  use_topics: true\n", encoding="utf-8")
    monkeypatch.setenv("CRMBOT_TELEGRAM__TOKEN", "123:abc")
    monkeypatch.setenv("CRMBOT_TELEGRAM__BASE_URL", "http://127.0.0.1:8081/bot/")
    monkeypatch.setenv("CRMBOT_AGENTS__CHAT_ID", "-100200")
    monkeypatch.setenv("CRMBOT_AGENTS__USER_IDS", "[11, 12]")
    monkeypatch.setenv("CRMBOT_STORAGE__DATABASE_URL", "postgresql://u:p@db/crm")
    monkeypatch.setenv("CRMBOT_STORAGE__REDIS_URL", "redis://127.0.0.1:6379/1")
    settings = load_settings(cfg)
    assert settings.telegram.token is not None
    assert settings.telegram.token.get_secret_value() == "123:abc"
    assert settings.telegram.base_url == "http://127.0.0.1:8081/bot"
    assert settings.agents.chat_id == -100200
    assert settings.agents.use_topics is True
    assert settings.agents.user_ids == [11, 12]
    assert settings.storage.database_url == "postgresql+asyncpg://u:p@db/crm"
    assert settings.storage.redis_url == "redis://127.0.0.1:6379/1"


@pytest.mark.parametrize(
    ("yaml_text", "key"),
    [
        ("storage:\n  database_url: mysql://x\n", "storage.database_url"),
        ("storage:\n  redis_url: localhost:6379\n", "storage.redis_url"),
        ("telegram:\n  base_url: api.telegram.org\n", "telegram.base_url"),
        ("nlu:\n  backend: spacy\n", "nlu.backend"),
        ("telegram:\n  mode: webhook\n", "telegram"),
        ("agents:\n  user_ids: [me]\n", "agents.user_ids.0"),
        ("conversation:\n  shipping:\n    cut_off: '2pm'\n", "conversation.shipping.cut_off"),
        (
            "conversation:\n  shipping:\n    standard_days: [4, 2]\n",
            "conversation.shipping.standard_days",
        ),
        ("storage:\n  databse_url: x\n", "storage.databse_url"),
        ("- just\n- a list\n", "c.yml"),
        ("storage: [unclosed\n", "c.yml"),
    ],
)
def test_invalid_values_name_the_key(tmp_path: Path, yaml_text: str, key: str) -> None:
    cfg = tmp_path / "c.yml"
    cfg.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(cfg)
    assert info.value.key.endswith(key)
    assert info.value.fix


def test_bad_json_in_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CRMBOT_AGENTS__USER_IDS", "1,2")
    with pytest.raises(ConfigError, match="agents") as info:
        load_settings()
    assert "CRMBOT_AGENTS__USER_IDS='[123, 456]'" in info.value.fix


def test_relative_paths_are_anchored_at_the_config_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Read from another working directory: the paths still mean files beside the config.
    shop = tmp_path / "shop"
    shop.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (shop / "bot.yml").write_text(
        "nlu:\n  model_dir: models/nlu\n  data: [train/extra.yml, /abs/other.csv]\n"
        "  rasa_venv: ../rasa-env\n"
        "conversation:\n  orders_csv: orders.csv\n  knowledge_base: faq.yml\n"
        "catalogue:\n  csv: products.csv\n",
        encoding="utf-8",
    )
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("CRMBOT_STORAGE__DATABASE_URL", "sqlite:///state/crm.db?timeout=5")
    settings = load_settings(Path("../shop/bot.yml"))
    assert settings.nlu.model_dir == str(shop / "models" / "nlu")
    assert settings.nlu.data == [str(shop / "train" / "extra.yml"), "/abs/other.csv"]
    assert settings.nlu.rasa_venv == str(shop / ".." / "rasa-env")
    assert settings.conversation.orders_csv == str(shop / "orders.csv")
    assert settings.conversation.knowledge_base == str(shop / "faq.yml")
    assert settings.conversation.responses == ""  # unset stays unset: the shipped file
    assert settings.catalogue.csv == str(shop / "products.csv")
    assert settings.storage.database_url == f"sqlite+aiosqlite:///{shop}/state/crm.db?timeout=5"


@pytest.mark.parametrize(
    "url",
    [
        "sqlite+aiosqlite:///:memory:",
        "sqlite+aiosqlite:////var/lib/crm.db",
        "postgresql+asyncpg://u:p@db/crm",
    ],
)
def test_urls_without_a_relative_file_are_kept(tmp_path: Path, url: str) -> None:
    settings = resolve_paths(Settings(storage={"database_url": url}), tmp_path)
    assert settings.storage.database_url == url
