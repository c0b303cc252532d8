"""YAML parsed by libyaml's C parser when PyYAML was built with it.

The pure-Python parser takes about a second for the shipped replies and FAQ together; the C
one reads the same documents into the same values (safe types only) several times faster.
"""

from __future__ import annotations

from typing import Any

import yaml

LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str) -> Any:
    """``yaml.safe_load`` of ``text``, by the C parser if there is one; raises yaml.YAMLError."""
    return yaml.load(text, Loader=LOADER)  # noqa: S506 - a safe loader either way
