"""Fault injection with real servers: bench/outage_drill.py, shortened, against throwaway
PostgreSQL and Redis (stopped mid-stream and started again; Redis comes back empty)."""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import PG_URL, REDIS_URL

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    not (PG_URL and REDIS_URL) or shutil.which("redis-server") is None,
    reason="outage drill: set TEST_DATABASE_URL and TEST_REDIS_URL (CI does; it needs "
    "Debian's postgresql and redis-server, which bench/services.sh starts throwaway copies of)",
)


async def test_redis_and_postgresql_outages_lose_nothing_and_double_nothing(
    tmp_path: Path,
) -> None:
    out = tmp_path / "drill.json"
    drill = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "bench" / "outage_drill.py"),
        *("--mode", "both", "--outage", "3", "--phase", "2", "--settle", "30", "--linger", "1"),
        *("--json", str(out)),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    said, _ = await asyncio.wait_for(drill.communicate(), 300)
    assert drill.returncode == 0, said.decode()[-3000:]
    results = json.loads(out.read_text())["results"]
    assert [r["mode"] for r in results] == ["polling", "webhook"]
    for result in results:
        mode = result["mode"]
        assert result["process_alive_at_end"], mode  # the loop never exited
        for phase in result["phases"]:
            where = f"{mode}, {phase['name']}"
            assert phase["sent"] > 0, where
            assert phase["stored"] == phase["sent"], where  # every message recorded
            assert phase["duplicated"] == 0, where  # exactly once
            assert phase["answered"] == phase["sent"], where  # and answered
            assert phase["answered_twice"] == 0, where
        resumes = [p["resume_seconds"] for p in result["phases"] if p["restored_at"]]
        assert len(resumes) == 2 and all(r is not None and r <= 10 for r in resumes), resumes
        assert result["replies_delivered_twice"] == 0, mode  # no reply sent twice
        assert result["replies_delivered"] == result["replies_recorded"], mode
        # The agent-owned chat stayed with the agent through both outages.
        assert result["agent_still_owns_chat"] and result["bot_messages_to_agent_owned_chat"] == 0
        assert result["inbox_pending"] == 0 and result["inbox_failed"] == 0, mode
        # Said once each, no tracebacks.
        warnings = [w for w in result["log_warnings"] if "agents.chat_id" not in w]
        assert len(warnings) == 2, warnings
        assert "Redis is unavailable" in warnings[0] and "database is unavailable" in warnings[1]
        assert len(result["log_back"]) == 2, result["log_back"]
        assert result["log_tracebacks"] == 0, mode
