"""`python -m bot nlu ...`: train, try and evaluate the NLU engines."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.app import build_nlu
from bot.cli_support import (
    JsonFlag,
    TrainingNotice,
    err,
    fail,
    out,
    print_json,
    run_async,
    settings_of,
)
from bot.config import ConfigError
from nlu import BuiltinEngine, NluError, ParseResult, load_training_data
from nlu.builtin import Hyperparameters, model_key
from nlu.rasa import RasaEngine, serve_rasa, train_rasa

nlu_app = typer.Typer(help="Train, try and evaluate the NLU engines.", no_args_is_help=True)

STEPS = ("word n-grams", "character n-grams", "classifier", "entities")


@nlu_app.command("train")
def train(
    ctx: typer.Context,
    data: Annotated[
        list[Path] | None, typer.Option("--data", help="Training file or folder (repeatable).")
    ] = None,
    backend: Annotated[
        Literal["builtin", "rasa"], typer.Option(help="Train the built-in engine or Rasa.")
    ] = "builtin",
    epochs: Annotated[
        int | None, typer.Option(help="Rasa DIET epochs (default: nlu/rasa/config.yml).")
    ] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Where the Rasa model goes.")] = Path(
        "data/rasa-models"
    ),
) -> None:
    """Train the built-in engine (cached for `run`) or a Rasa model (for `make rasa`)."""
    settings = settings_of(ctx)
    paths = data or [Path(p) for p in settings.nlu.data]
    if backend == "rasa":
        started = time.perf_counter()
        with err.status("training Rasa (DIET); this takes minutes"):
            try:
                model = train_rasa(
                    venv=Path(settings.nlu.rasa_venv),
                    data_paths=paths,
                    out_dir=out_dir,
                    epochs=epochs,
                )
            except NluError as exc:
                err.print(f"rasa training failed: {exc}")
                raise typer.Exit(1) from None
        out.print(f"trained Rasa in {time.perf_counter() - started:.0f}s → {model}")
        return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=err
    ) as progress:
        steps = len(STEPS) + 2 + (1 if settings.nlu.encoder else 0)  # + sentence embeddings
        task = progress.add_task("loading data", total=steps)
        try:
            training = load_training_data(paths)
        except NluError as exc:
            err.print(f"training data error: {exc}")
            raise typer.Exit(1) from None
        progress.advance(task)

        def step(name: str) -> None:
            progress.update(task, description=name, advance=1)

        started = time.perf_counter()
        params = Hyperparameters(encoder=settings.nlu.encoder)
        try:
            engine = BuiltinEngine.train(
                training, threshold=settings.nlu.fallback_threshold, params=params, progress=step
            )
        except NluError as exc:
            err.print(f"cannot train: {exc}")
            raise typer.Exit(1) from None
        progress.update(task, description="saving", advance=1)
        path = Path(settings.nlu.model_dir) / f"builtin-{model_key(paths, params)}.pkl"
        engine.save(path)
        progress.update(task, description="done", advance=1)
    out.print(
        f"trained on {len(training.examples)} examples, {len(training.intents)} intents "
        f"in {time.perf_counter() - started:.1f}s → {path}"
    )


@nlu_app.command("parse")
def parse(
    ctx: typer.Context,
    text: Annotated[
        str | None, typer.Argument(help="The message to understand (or use --file).")
    ] = None,
    file: Annotated[
        str | None,
        typer.Option(
            "--file",
            help="A UTF-8 text file, one message a line ('-' reads standard input); blank lines "
            "are skipped. With --json, one JSON object a line.",
        ),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Understand one message, or every line of a file (a shop's chat log, say)."""
    settings = settings_of(ctx)
    if (text is None) == (file is None):
        fail("give a message, or --file FILE (one message a line; - for standard input)")
    lines = [(0, text or "")] if file is None else _read_lines(file)

    async def go() -> None:
        notice = TrainingNotice()
        engine = await build_nlu(settings, progress=notice)
        notice.finish()
        try:
            for number, line in lines:
                result = await engine.parse(line)
                if as_json:
                    if file is None:
                        row = parsed_json(result)
                    else:
                        row = {"line": number, **parsed_json(result, top=3)}
                    # One object a line when reading a file: easy to stream, grep and join.
                    indent = None if file else 2
                    sys.stdout.write(json.dumps(row, ensure_ascii=False, indent=indent) + "\n")
                    sys.stdout.flush()
                elif file is not None:
                    # Tab-separated, one message a line: for cut, awk and spreadsheets.
                    fields = (number, result.intent, f"{result.confidence:.2f}")
                    tail = (sentiment_label(result), result.text)
                    sys.stdout.write("\t".join(str(f) for f in (*fields, *tail)) + "\n")
                else:
                    _print_parse(result)
        finally:
            if isinstance(engine, RasaEngine):
                await engine.close()

    run_async(go())


def _read_lines(name: str) -> list[tuple[int, str]]:
    """The non-blank lines of a UTF-8 file (or standard input), numbered from 1.

    A file that is not UTF-8 is refused whole, naming the first bad line, before anything
    is parsed: a half-read log would look complete.
    """
    try:
        raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        fail(f"cannot read {name}: {exc.strerror or exc}")
    where = "standard input" if name == "-" else name
    lines: list[tuple[int, str]] = []
    for number, chunk in enumerate(raw.removeprefix(b"\xef\xbb\xbf").split(b"\n"), start=1):
        try:
            line = chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            convert = (
                "iconv -f GB18030 -t UTF-8 | python -m bot nlu parse --file -"
                if name == "-"
                else f"iconv -f GB18030 -t UTF-8 {name} > {name}.utf8"
            )
            fail(
                f"{where}: line {number} is not UTF-8 (byte 0x{chunk[exc.start]:02x} at column "
                f"{exc.start + 1}); nothing was parsed. Convert it first, e.g. {convert}"
            )
        line = line.rstrip("\r")
        if line.strip():
            lines.append((number, line))
    return lines


def sentiment_label(result: ParseResult) -> str:
    """negative / neutral / positive: the label the sentiment model gave the message."""
    return result.sentiment_label.value


def parsed_json(result: ParseResult, *, top: int | None = None) -> dict[str, object]:
    """What ``nlu parse --json`` prints for one message; ``top``: how much of the ranking."""
    return {
        "text": result.text,
        "intent": result.intent,
        "confidence": round(result.confidence, 4),
        "ranking": [
            {"name": r.name, "confidence": round(r.confidence, 4)} for r in result.ranking[:top]
        ],
        "entities": [asdict(e) for e in result.entities],
        "sentiment": round(result.sentiment, 4),
        "sentiment_label": sentiment_label(result),
        "language": result.language,
    }


def _print_parse(result: ParseResult) -> None:
    out.print(
        f"[bold]{result.intent}[/] ({result.confidence:.2f})  sentiment "
        f"{result.sentiment:+.2f} {sentiment_label(result)}  language {result.language or '-'}"
    )
    for score in result.ranking[:5]:
        out.print(f"  {score.name:24} {score.confidence:.3f}")
    for entity in result.entities:
        out.print(f"  {entity.kind} = {entity.value!r} [{entity.start}:{entity.end}]")


@nlu_app.command("evaluate")
def evaluate_cmd(
    ctx: typer.Context,
    train_file: Annotated[Path, typer.Option("--train", help="Training file (YAML or CSV).")],
    test_file: Annotated[Path, typer.Option("--test", help="Test file (YAML or CSV).")],
    backend: Annotated[
        Literal["builtin", "rasa"], typer.Option(help="Which engine to train and evaluate.")
    ] = "builtin",
    epochs: Annotated[
        int | None, typer.Option(help="Rasa DIET epochs (default: the pipeline's).")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Train on one file, evaluate on another; out-of-scope rows count when caught."""
    settings = settings_of(ctx)
    threshold = settings.nlu.fallback_threshold
    try:
        train_data = load_training_data([train_file])
        test_data = load_training_data([test_file])
    except NluError as exc:
        err.print(f"data error: {exc}")
        raise typer.Exit(1) from None

    # Imported here: evaluation needs scikit-learn's metrics, slow to import for other commands.
    from nlu.evaluate import Evaluation, evaluate

    async def go() -> Evaluation:
        if backend == "builtin":
            started = time.perf_counter()
            engine = BuiltinEngine.train(
                train_data,
                threshold=threshold,
                params=Hyperparameters(encoder=settings.nlu.encoder),
            )
            seconds = time.perf_counter() - started
            result = await evaluate(engine, test_data)
        else:
            venv = Path(settings.nlu.rasa_venv)
            started = time.perf_counter()
            try:
                with_models = Path(settings.nlu.model_dir) / "rasa-eval"
                model = await asyncio.to_thread(
                    train_rasa,
                    venv=venv,
                    data_paths=[train_file],
                    out_dir=with_models,
                    epochs=epochs,
                )
            except NluError as exc:
                raise ConfigError("nlu.rasa_venv", str(exc), "run `make rasa-install`") from exc
            seconds = time.perf_counter() - started
            with serve_rasa(venv=venv, model=model) as server:
                rasa = RasaEngine(server.url, timeout=30, threshold=threshold)
                try:
                    result = await evaluate(rasa, test_data)
                finally:
                    await rasa.close()
        return replace(result, train_seconds=round(seconds, 2))

    result = run_async(go())
    if as_json:
        print_json(_fields(result))
        return
    out.print(
        f"{backend}: accuracy {result.accuracy:.4f}, macro-F1 {result.macro_f1:.4f}, "
        f"fallback {result.fallback_rate:.2%}, n={result.n_test}, "
        f"train {result.train_seconds}s, parse p50 {result.parse_ms_p50} ms / "
        f"p99 {result.parse_ms_p99} ms"
    )
    if result.oos_recall is not None:
        out.print(f"in-scope accuracy {result.in_scope_accuracy}, OOS recall {result.oos_recall}")
    table = Table(title="per intent")
    for column in ("intent", "precision", "recall", "f1", "n"):
        table.add_column(column)
    for name, figures in sorted(result.per_intent.items(), key=lambda kv: kv[1].f1):
        table.add_row(
            name,
            f"{figures.precision:.3f}",
            f"{figures.recall:.3f}",
            f"{figures.f1:.3f}",
            str(figures.support),
        )
    out.print(table)


def _fields(result: object) -> dict[str, object]:
    return {f.name: getattr(result, f.name) for f in fields(result)}  # type: ignore[arg-type]
