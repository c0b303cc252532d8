"""What the benchmarks' results share: a percentile and the line that names the machine."""

from __future__ import annotations

import os
import platform


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def machine() -> str:
    """Architecture, cores and Python, as BENCHMARKS.md names the machine."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
