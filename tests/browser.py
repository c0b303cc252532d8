"""Debian's Chromium for the browser tests: where it is, skipping without it, launching it."""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.async_api import Browser, Playwright

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ON_CI = bool(os.environ.get("CI"))
MISSING = "browser tests: apt-get install chromium (CI does)"

# Quiet, headless-friendly: no sandbox (containers), no GPU, no network of its own.
FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

# Skips where Chromium is not installed, except on CI, which installs it: there the test
# runs and fails (through ``chromium()``) rather than passing unseen.
needs_chromium = pytest.mark.skipif(CHROMIUM is None and not ON_CI, reason=MISSING)


def chromium() -> str:
    """Chromium's path; skips the test where it is not installed, fails it on CI."""
    if CHROMIUM is None:
        if ON_CI:
            pytest.fail("CI must run this: .ci/run installs chromium")
        pytest.skip(MISSING)
    return CHROMIUM


async def launch(playwright: Playwright) -> Browser:
    """Playwright's Chromium launched on Debian's binary (Playwright's own is not installed)."""
    return await playwright.chromium.launch(executable_path=chromium(), args=list(FLAGS))
