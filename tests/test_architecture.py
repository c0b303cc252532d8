"""The import arrows of ARCHITECTURE.md, checked on the source with ast."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"bot", "handlers", "nlu", "crm_memory"}

# Which of our packages each package may import.
ALLOWED = {
    "bot": {"bot", "handlers", "nlu", "crm_memory"},
    "handlers": {"handlers", "nlu", "crm_memory"},
    "nlu": {"nlu"},
    "crm_memory": {"crm_memory"},
}
# Third-party libraries only one package may import.
OWNED = {
    "telegram": "bot",
    "sqlalchemy": "crm_memory",
    "alembic": "crm_memory",
    "redis": "crm_memory",
    "asyncpg": "crm_memory",
    "aiosqlite": "crm_memory",
    "sklearn": "nlu",
    "prometheus_client": "bot",
}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_import_arrows(package: str) -> None:
    assert sources(package), f"{package}/ has no source"
    wrong = []
    for path in sources(package):
        for name in imports(path):
            if name in OURS and name not in ALLOWED[package]:
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
            owner = OWNED.get(name)
            if owner is not None and owner != package:
                wrong.append(f"{path.relative_to(ROOT)} imports {name} (only {owner}/ may)")
    assert not wrong, "\n".join(wrong)


def test_metrics_are_defined_in_one_module() -> None:
    # Channels and the wiring report through bot/observe.py; only bot/metrics.py knows
    # Prometheus, so the metric names live in one place.
    importing = [
        str(path.relative_to(ROOT))
        for package in ALLOWED
        for path in sources(package)
        if "prometheus_client" in imports(path)
    ]
    assert importing == ["bot/metrics.py"]


def test_nothing_below_bot_reads_the_environment() -> None:
    wrong = []
    for package in ("handlers", "nlu", "crm_memory"):
        for path in sources(package):
            text = path.read_text(encoding="utf-8")
            if "os.environ" in text or "getenv(" in text:
                wrong.append(str(path.relative_to(ROOT)))
    assert not wrong, f"only bot/ reads the environment: {wrong}"


def test_checker_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import telegram\nfrom sqlalchemy.orm import Session\n", encoding="utf-8")
    assert imports(bad) == {"telegram", "sqlalchemy"}


def test_no_control_characters_in_the_source() -> None:
    # A "\b" written into a raw regex through a script that did not escape it becomes a
    # backspace character: the pattern looks right in an editor and never matches
    # ("get back" in handlers/followups.py was one). Tabs and newlines are fine.
    bad = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}
    found = [
        f"{path.relative_to(ROOT)}:{n}"
        for folder in ("bot", "handlers", "nlu", "crm_memory", "tests", "bench")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if bad.intersection(line)
    ]
    assert not found, found
