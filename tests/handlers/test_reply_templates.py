"""Every reply a handler names with its values fills its template in both languages.

A template asking for a value its caller never passes fails only when that reply is sent
("which courier" for an order still being prepared raised KeyError: 'state'); reading the
calls finds such a pair before a customer does.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
_FIELD = re.compile(r"(?<!\{)\{(\w+)\}(?!\})")


def _fields(template: object) -> set[str]:
    wordings = template if isinstance(template, list) else [template]
    return {name for wording in wordings for name in _FIELD.findall(str(wording))}


def _calls() -> list[tuple[str, int, str, set[str]]]:
    """(file, line, key, values) of every ``.reply("key", ...)`` / ``.say("key", ...)``
    whose key is a literal and whose values are all named (no ``**values``)."""
    found = []
    for path in sorted((ROOT / "handlers").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("reply", "say")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                continue
            if any(keyword.arg is None for keyword in node.keywords):
                continue
            values = {keyword.arg for keyword in node.keywords if keyword.arg is not None}
            found.append((path.name, node.lineno, node.args[0].value, values))
    return found


def test_every_named_reply_gets_the_values_its_template_needs() -> None:
    templates = yaml.safe_load((ROOT / "handlers/data/responses.yml").read_text(encoding="utf-8"))
    calls = [call for call in _calls() if call[2] in templates]
    assert len(calls) > 100  # the scan reads the handlers' calls, not nothing
    missing = []
    for name, line, key, values in calls:
        for language, template in templates[key].items():
            lacking = _fields(template) - values
            if lacking:
                missing.append(f"{name}:{line} {key} ({language}) lacks {sorted(lacking)}")
    assert not missing, "\n".join(missing)
