"""`python -m bot nlu ...`: train, try and evaluate the NLU engines."""

from __future__ import annotations

import asyncio
import time
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.app import build_nlu
from bot.cli_support import JsonFlag, err, out, print_json, run_async, settings_of
from bot.config import ConfigError
from nlu import BuiltinEngine, NluError, load_training_data
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
    text: Annotated[str, typer.Argument(help="The message to understand.")],
    as_json: JsonFlag = False,
) -> None:
    """Understand one message with the configured engine."""
    settings = settings_of(ctx)

    async def go() -> None:
        engine = await build_nlu(settings)
        try:
            result = await engine.parse(text)
        finally:
            if isinstance(engine, RasaEngine):
                await engine.close()
        if as_json:
            print_json(
                {
                    "text": result.text,
                    "intent": result.intent,
                    "confidence": result.confidence,
                    "ranking": [asdict(r) for r in result.ranking],
                    "entities": [asdict(e) for e in result.entities],
                    "sentiment": result.sentiment,
                    "sentiment_label": result.sentiment_label.value,
                    "language": result.language,
                }
            )
            return
        out.print(
            f"[bold]{result.intent}[/] ({result.confidence:.2f})  sentiment "
            f"{result.sentiment_label.value} {result.sentiment:+.2f}  "
            f"language {result.language or '-'}"
        )
        for score in result.ranking[:5]:
            out.print(f"  {score.name:24} {score.confidence:.3f}")
        for entity in result.entities:
            out.print(f"  {entity.kind} = {entity.value!r} [{entity.start}:{entity.end}]")

    run_async(go())


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
