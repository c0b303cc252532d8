"""The Rasa backend: a Rasa 3.6 server (its own Python 3.10 venv) asked over HTTP."""

from __future__ import annotations

import contextlib
import logging
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import yaml

from nlu.data import TrainingData, load_training_data
from nlu.errors import NluError, NluUnavailable
from nlu.language import detect_language
from nlu.sentiment import analyse
from nlu.types import FALLBACK, Entity, IntentScore, NluEngine, ParseResult

logger = logging.getLogger(__name__)

PIPELINE = Path(__file__).resolve().parent / "rasa" / "config.yml"


class RasaEngine:
    """Parses through ``POST /model/parse`` of a running Rasa server.

    Args:
        url: the server, e.g. ``http://127.0.0.1:5005``.
        timeout: seconds for one request.
        threshold: below this confidence the intent becomes ``nlu_fallback``.
        fallback: an engine to answer with when the server is down; None raises instead.
        transport: for tests, an httpx transport standing in for the network.
    """

    def __init__(
        self,
        url: str,
        *,
        timeout: float,
        threshold: float,
        fallback: NluEngine | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.threshold = threshold
        self._fallback = fallback
        self._client = httpx.AsyncClient(
            base_url=self.url, timeout=httpx.Timeout(timeout), transport=transport
        )

    async def check(self) -> str:
        """The server's Rasa version. Raises NluUnavailable when it does not answer."""
        try:
            response = await self._client.get("/version")
            response.raise_for_status()
            return str(response.json().get("version", "?"))
        except (httpx.HTTPError, ValueError) as exc:
            raise NluUnavailable(f"Rasa server at {self.url} not reachable: {exc}") from exc

    async def parse(self, text: str) -> ParseResult:
        """Ask the server; on failure, the fallback engine answers (or NluUnavailable)."""
        try:
            response = await self._client.post("/model/parse", json={"text": text})
            response.raise_for_status()
            return self.to_result(text, response.json())
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            if self._fallback is None:
                raise NluUnavailable(
                    f"Rasa server at {self.url} failed: {exc!r}; start it with `make rasa` "
                    "or set nlu.backend: builtin"
                ) from exc
            logger.warning("Rasa server failed (%r); answering with the built-in engine", exc)
            return await self._fallback.parse(text)

    def to_result(self, text: str, body: dict[str, Any]) -> ParseResult:
        """Map Rasa's answer onto ParseResult (sentiment and language are ours)."""
        ranking = tuple(
            IntentScore(str(r["name"]), round(float(r["confidence"]), 4))
            for r in body.get("intent_ranking") or []
            if r.get("name") != FALLBACK
        )
        intent = body["intent"]  # an answer without one is malformed: KeyError
        name = str(intent.get("name") or FALLBACK)
        if not ranking and name != FALLBACK:
            ranking = (IntentScore(name, round(float(intent.get("confidence", 0.0)), 4)),)
        best = ranking[0] if ranking else IntentScore(FALLBACK, 0.0)
        understood = name != FALLBACK and best.confidence >= self.threshold
        name = best.name if understood else FALLBACK
        entities = tuple(
            Entity(
                kind=str(e["entity"]),
                value=str(e.get("value", "")),
                start=int(e["start"]),
                end=int(e["end"]),
                text=text[int(e["start"]) : int(e["end"])],
                source="rasa",
            )
            for e in body.get("entities") or []
        )
        mood = analyse(text)
        return ParseResult(
            text=text,
            intent=name,
            confidence=best.confidence,
            ranking=ranking,
            entities=entities,
            sentiment=mood.score,
            sentiment_label=mood.label,
            language=detect_language(text) or "",
        )

    async def close(self) -> None:
        await self._client.aclose()


def rasa_executable(venv: Path) -> Path:
    """``.venv-rasa/bin/rasa``. Raises NluError when Rasa is not installed there."""
    # Absolute: training runs Rasa from a temporary working directory.
    path = (venv / "bin" / "rasa").absolute()
    if not path.exists():
        raise NluError(f"no Rasa in {venv}; run `make rasa-install` (needs Python 3.10)")
    return path


def write_rasa_yaml(data: TrainingData, path: Path) -> None:
    """Write examples (e.g. loaded from CSV) as a Rasa NLU file."""
    by_intent: dict[str, list[str]] = {}
    for example in data.examples:
        by_intent.setdefault(example.intent, []).append(example.text)
    nlu = [
        {"intent": intent, "examples": "".join(f"- {_one_line(t)}\n" for t in texts)}
        for intent, texts in sorted(by_intent.items())
    ]
    path.write_text(
        yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )


def _one_line(text: str) -> str:
    # Rasa reads [..](..) as annotations; these are plain examples.
    return " ".join(text.split()).replace("[", "(").replace("]", ")")


def train_rasa(
    *,
    venv: Path,
    data_paths: Sequence[Path],
    out_dir: Path,
    epochs: int | None = None,
    config: Path = PIPELINE,
    name: str = "crmbot",
) -> Path:
    """Train a Rasa NLU model; CSV files are converted to Rasa YAML first.

    Returns:
        The model archive.
    """
    rasa = rasa_executable(venv)
    # Rasa runs in a temporary directory: a relative folder would put the model there, and
    # it would be deleted with it.
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        nlu_dir = work / "nlu"
        nlu_dir.mkdir()
        for i, path in enumerate(data_paths or []):
            if path.suffix.lower() == ".csv":
                write_rasa_yaml(load_training_data([path]), nlu_dir / f"{i}-{path.stem}.yml")
            elif path.is_dir():
                shutil.copytree(path, nlu_dir / f"{i}-{path.name}")
            else:
                shutil.copy(path, nlu_dir / f"{i}-{path.name}")
        if not data_paths:
            shutil.copytree(Path(__file__).resolve().parent / "data", nlu_dir / "shipped")
        pipeline = yaml.safe_load(config.read_text(encoding="utf-8"))
        if epochs is not None:
            for component in pipeline["pipeline"]:
                if component["name"] == "DIETClassifier":
                    component["epochs"] = epochs
        (work / "config.yml").write_text(yaml.safe_dump(pipeline), encoding="utf-8")
        command = [
            str(rasa),
            "train",
            "nlu",
            "--nlu",
            str(nlu_dir),
            "--config",
            str(work / "config.yml"),
            "--out",
            str(out_dir),
            "--fixed-model-name",
            name,
        ]
        result = subprocess.run(
            QUIET + command, capture_output=True, text=True, cwd=work, check=False
        )
        if result.returncode != 0:
            raise NluError(f"rasa train failed: {result.stderr[-2000:] or result.stdout[-2000:]}")
    model = out_dir / f"{name}.tar.gz"
    if not model.is_file():
        raise NluError(f"rasa train wrote no model at {model}: {result.stdout[-2000:]}")
    return model


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True, slots=True)
class RasaServer:
    """A running ``rasa run --enable-api``: where it answers, and its process."""

    url: str
    pid: int

    def memory_mb(self) -> tuple[float, float]:
        """Resident memory now and at its peak (MB), from /proc; (0, 0) where there is none."""
        try:
            status = Path(f"/proc/{self.pid}/status").read_text(encoding="utf-8")
        except OSError:
            return 0.0, 0.0
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)

        def mb(key: str) -> float:
            return int(fields.get(key, "0 kB").split()[0]) / 1024

        return round(mb("VmRSS"), 1), round(mb("VmHWM"), 1)


@contextlib.contextmanager
def serve_rasa(
    *, venv: Path, model: Path, port: int | None = None, startup_timeout: float = 300.0
) -> Iterator[RasaServer]:
    """Run ``rasa run --enable-api`` on 127.0.0.1 until the block ends.

    Raises:
        NluError: when the model file is missing (Rasa would wait for it without end), or the
            server does not answer within ``startup_timeout`` seconds.
    """
    rasa = rasa_executable(venv)
    if not model.is_file():
        raise NluError(f"no Rasa model at {model}: train one first (`make rasa-train`)")
    model = model.resolve()
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [
                *QUIET,
                str(rasa),
                "run",
                "--enable-api",
                "-m",
                str(model),
                "-i",
                "127.0.0.1",
                "-p",
                str(port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_ready(process, url, log, startup_timeout)
            yield RasaServer(url=url, pid=process.pid)  # `env` execs Rasa: the same process
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_ready(process: subprocess.Popen[bytes], url: str, log: IO[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            log.seek(0)
            raise NluError(f"rasa run exited: {log.read()[-2000:].decode(errors='replace')}")
        try:
            if httpx.get(f"{url}/status", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise NluError(f"rasa run did not answer within {timeout}s")
        time.sleep(0.5)


# Rasa phones home and TensorFlow is chatty; `env` quiets both for the child alone.
QUIET = ["env", "RASA_TELEMETRY_ENABLED=false", "TF_CPP_MIN_LOG_LEVEL=2"]
