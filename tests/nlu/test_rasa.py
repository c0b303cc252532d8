"""The Rasa backend: mapping and failure handling with a stand-in transport, and the real
server when TEST_RASA_URL is set (CI trains and starts one)."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Any

import httpx
import pytest

from nlu import FALLBACK, BuiltinEngine, NluError, NluUnavailable
from nlu.data import load_training_data
from nlu.rasa import RasaEngine, RasaServer, serve_rasa, train_rasa, write_rasa_yaml

RASA_URL = os.environ.get("TEST_RASA_URL", "")
# CI trains the model beside the tests: how long to wait for its server, and the file where
# the training job writes "ready" or "failed: why".
RASA_WAIT = float(os.environ.get("TEST_RASA_WAIT", "0"))
RASA_STATE = os.environ.get("TEST_RASA_STATE", "")


async def wait_for_rasa(url: str, *, wait: float, state_file: str) -> None:
    """Return once the server at ``url`` answers; fail at once if the job that starts it
    wrote that it failed, or after ``wait`` seconds."""
    deadline = asyncio.get_running_loop().time() + wait
    async with httpx.AsyncClient(timeout=5) as client:
        while True:
            written = Path(state_file) if state_file else None
            state = (
                written.read_text(encoding="utf-8").strip() if written and written.exists() else ""
            )
            if state.startswith("failed"):
                pytest.fail(f"the Rasa server for this test: {state}")
            if not state_file or state == "ready":
                try:
                    (await client.get(f"{url}/status")).raise_for_status()
                    return
                except httpx.HTTPError:
                    if asyncio.get_running_loop().time() >= deadline:
                        raise
            elif asyncio.get_running_loop().time() >= deadline:
                pytest.fail(f"the Rasa server for this test was not ready after {wait:.0f} s")
            await asyncio.sleep(5)


ANSWER: dict[str, Any] = {
    "text": "where is my order A-1001",
    "intent": {"name": "ask_order_status", "confidence": 0.93},
    "entities": [
        {
            "entity": "order_number",
            "start": 18,
            "end": 24,
            "value": "A-1001",
            "extractor": "RegexEntityExtractor",
        }
    ],
    "intent_ranking": [
        {"name": "ask_order_status", "confidence": 0.93},
        {"name": "ask_delivery", "confidence": 0.05},
    ],
}


def transport(status: int = 200, body: dict[str, Any] | None = None) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/model/parse"
        assert json.loads(request.content) == {"text": "where is my order A-1001"}
        return httpx.Response(status, json=body if body is not None else ANSWER)

    return httpx.MockTransport(handle)


def refusing() -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    return httpx.MockTransport(handle)


async def test_answer_is_mapped_to_parse_result() -> None:
    engine = RasaEngine("http://rasa", timeout=1, threshold=0.35, transport=transport())
    result = await engine.parse("where is my order A-1001")
    assert result.intent == "ask_order_status" and result.confidence == 0.93
    assert [s.name for s in result.ranking] == ["ask_order_status", "ask_delivery"]
    (entity,) = result.entities
    assert (entity.kind, entity.value, entity.text, entity.source) == (
        "order_number",
        "A-1001",
        "A-1001",
        "rasa",
    )
    assert result.language == "en"


async def test_low_confidence_and_rasa_fallback_become_nlu_fallback() -> None:
    low = {
        **ANSWER,
        "intent": {"name": "ask_order_status", "confidence": 0.2},
        "intent_ranking": [{"name": "ask_order_status", "confidence": 0.2}],
    }
    engine = RasaEngine("http://rasa", timeout=1, threshold=0.35, transport=transport(body=low))
    assert (await engine.parse("where is my order A-1001")).intent == FALLBACK
    rasa_fb = {**ANSWER, "intent": {"name": "nlu_fallback", "confidence": 0.35}}
    engine = RasaEngine("http://rasa", timeout=1, threshold=0.35, transport=transport(body=rasa_fb))
    result = await engine.parse("where is my order A-1001")
    assert result.intent == FALLBACK
    assert result.ranking[0].name == "ask_order_status"


async def test_server_down_without_stand_in_is_a_clear_error() -> None:
    engine = RasaEngine("http://rasa:5005", timeout=1, threshold=0.35, transport=refusing())
    with pytest.raises(NluUnavailable, match="make rasa"):
        await engine.parse("where is my order A-1001")
    with pytest.raises(NluUnavailable, match="not reachable"):
        await engine.check()


async def test_server_down_or_broken_falls_back_to_builtin(engine: BuiltinEngine) -> None:
    for broken in (refusing(), transport(status=500), transport(body={"nonsense": True})):
        rasa = RasaEngine(
            "http://rasa", timeout=1, threshold=0.35, fallback=engine, transport=broken
        )
        result = await rasa.parse("where is my order A-1001")
        assert result.intent == "ask_order_status"
        assert result.entities[0].source == "regex"  # the built-in engine answered


def test_csv_examples_become_rasa_yaml(tmp_path: Any) -> None:
    source = tmp_path / "t.csv"
    source.write_text('text,category\n"card [lost]",lost_card\nhello,greet\n', encoding="utf-8")
    target = tmp_path / "t.yml"
    write_rasa_yaml(load_training_data([source]), target)
    data = load_training_data([target])
    assert [(e.text, e.intent) for e in data.examples] == [
        ("hello", "greet"),
        ("card (lost)", "lost_card"),
    ]


@pytest.mark.skipif(
    not RASA_URL,
    reason="Rasa server: `make rasa` (needs Python 3.10), then TEST_RASA_URL=http://127.0.0.1:5005",
)
class TestRealRasaServer:
    async def test_parses_like_the_builtin_engine(self) -> None:
        await wait_for_rasa(RASA_URL, wait=RASA_WAIT, state_file=RASA_STATE)
        engine = RasaEngine(RASA_URL, timeout=30, threshold=0.35)
        try:
            assert (await engine.check()).startswith("3.6")
            result = await engine.parse("where is my order A-1001?")
            assert result.intent == "ask_order_status"
            assert ("order_number", "A-1001") in {(e.kind, e.value) for e in result.entities}
            assert len(result.ranking) >= 5
            zh = await engine.parse("我要转人工")
            assert zh.intent == "request_human" and zh.language == "zh"
            angry = await engine.parse("this is terrible, my kettle arrived broken!!!")
            assert angry.intent == "complaint" and angry.sentiment < -0.5
        finally:
            await engine.close()


async def test_waiting_for_the_ci_server_stops_when_its_job_failed(tmp_path: Path) -> None:
    # CI trains Rasa beside the tests: a failed training must fail the test at once, with
    # the reason, not after an hour of waiting.
    state = tmp_path / "rasa.state"
    state.write_text("failed: training the Rasa model\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match="training the Rasa model"):
        await asyncio.wait_for(
            wait_for_rasa("http://127.0.0.1:1", wait=3600, state_file=str(state)), timeout=10
        )
    # Not written yet (still training) and no time to wait: says it was not ready.
    with pytest.raises(pytest.fail.Exception, match="not ready"):
        await wait_for_rasa("http://127.0.0.1:1", wait=0, state_file=str(tmp_path / "none"))


def test_missing_rasa_venv_is_a_clear_error(tmp_path: Any) -> None:
    from nlu import NluError
    from nlu.rasa import rasa_executable

    with pytest.raises(NluError, match="make rasa-install"):
        rasa_executable(tmp_path / "no-venv")


def test_server_memory_is_read_from_proc() -> None:
    # The benchmark reports a Rasa server's memory this way; here, this test's own process.
    now, peak = RasaServer(url="http://127.0.0.1:1", pid=os.getpid()).memory_mb()
    assert 10 < now <= peak
    # A server that has gone has no memory to report, and saying so is not an error.
    assert RasaServer(url="http://127.0.0.1:1", pid=2**22 + 1).memory_mb() == (0.0, 0.0)


# A stand-in for `rasa train nlu`: like Rasa, it writes the model to --out relative to the
# working directory it was started in.
FAKE_RASA = """#!/bin/sh
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift;;
    --fixed-model-name) name="$2"; shift;;
  esac
  shift
done
mkdir -p "$out" && echo model > "$out/$name.tar.gz"
"""


def fake_venv(root: Path) -> Path:
    venv = root / "venv"
    (venv / "bin").mkdir(parents=True)
    rasa = venv / "bin" / "rasa"
    rasa.write_text(FAKE_RASA, encoding="utf-8")
    rasa.chmod(0o755)
    return venv


def test_training_into_a_relative_folder_keeps_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Rasa trains in a temporary directory: a relative --out used to land there and vanish,
    # and `rasa run` then waited 300 s for a model that did not exist.
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "train.yml"
    data.write_text('version: "3.1"\nnlu: []\n', encoding="utf-8")
    model = train_rasa(venv=fake_venv(tmp_path), data_paths=[data], out_dir=Path("models"))
    assert model == tmp_path / "models" / "crmbot.tar.gz"
    assert model.is_file()


def test_serving_a_missing_model_fails_at_once(tmp_path: Path) -> None:
    with (
        pytest.raises(NluError, match="no Rasa model"),
        serve_rasa(venv=fake_venv(tmp_path), model=tmp_path / "none.tar.gz"),
    ):
        pass
