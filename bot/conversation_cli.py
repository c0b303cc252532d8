"""`python -m bot test conversations`: replay conversation files and report each bot turn."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from bot.app import build_builtin
from bot.cli_support import (
    JsonFlag,
    UserError,
    err,
    fail,
    out,
    print_json,
    run_async,
    settings_of,
)
from bot.config import Settings
from bot.conversation_checks import ConversationFileError
from bot.conversation_tests import ConversationResult, TurnResult, run_conversations
from handlers.acts import ActReader

test_app = typer.Typer(help="Check the bot's behaviour.", no_args_is_help=True)


def summary(results: list[ConversationResult]) -> tuple[int, int, float]:
    """Checked turns, turns as expected, and their share in percent."""
    checked = sum(r.checked for r in results)
    passed = sum(r.passed for r in results)
    return checked, passed, (100.0 * passed / checked if checked else 0.0)


async def _run(settings: Settings, paths: list[Path]) -> list[ConversationResult]:
    engine = build_builtin(settings, progress=lambda line: err.print(line, markup=False))
    try:
        acts = ActReader(model_dir=Path(settings.nlu.model_dir))
        return await run_conversations(paths, engine, acts=acts)
    except ConversationFileError as exc:
        raise UserError(str(exc)) from exc


@test_app.command("conversations")
def conversations(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="Conversation files or folders of them.")],
    as_json: JsonFlag = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show every turn, not only failing ones.")
    ] = False,
) -> None:
    """Replay YAML conversations through the real dispatcher and check every bot turn
    (format: tests/conversations/FORMAT.md). Exit status 1 when any turn is not as expected."""
    results = run_async(_run(settings_of(ctx), paths))
    checked, passed, share = summary(results)
    if as_json:
        print_json(
            {
                "conversations": [
                    {
                        "path": r.path,
                        "name": r.name,
                        "ok": r.ok,
                        "turns": [
                            {
                                "session": t.session,
                                "turn": t.index,
                                "said": t.said,
                                "replies": list(t.replies),
                                "intents": list(t.intents),
                                "readings": list(t.readings),
                                "checked": t.checked,
                                "ok": t.ok,
                                "problems": list(t.problems),
                            }
                            for t in r.turns
                        ],
                    }
                    for r in results
                ],
                "turns": checked,
                "as_expected": passed,
                "share": round(share, 1),
            }
        )
    else:
        for result in results:
            mark = "[green]✓[/]" if result.ok else "[red]✗[/]"
            out.print(
                f"{mark} {result.name} ({result.passed}/{result.checked})  [dim]{result.path}[/]"
            )
            for turn in result.turns:
                if turn.ok and not verbose:
                    continue
                out.print(f"    {turn.session}.{turn.index} customer: {turn.said}", markup=False)
                for reply in turn.replies:
                    out.print(
                        "        bot: " + reply.replace("\n", "\n             "), markup=False
                    )
                if turn.intents:
                    out.print(f"        [dim]read as {_read_as(turn)}[/]", markup=True)
                for problem in turn.problems:
                    out.print(f"        [red]✗ {problem}[/]", markup=True)
        out.print(
            f"{len(results)} conversations, {checked} turns, {passed} as expected ({share:.1f}%)"
        )
    if not results:
        fail("no conversation files found")
    if passed < checked or not all(r.ok for r in results):
        raise typer.Exit(1)


def _read_as(turn: TurnResult) -> str:
    """ "ask_order_status (points_back), complaint": what the bot acted on, with the reading
    that read each request where there was one (a following intent the turn added has none)."""
    named = [
        f"{intent} ({turn.readings[i]})" if i < len(turn.readings) else intent
        for i, intent in enumerate(turn.intents)
    ]
    return escape(", ".join(named))
