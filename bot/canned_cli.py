"""``python -m bot canned``: leads add, list, show, edit and remove canned replies."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer
import yaml

from bot.app import open_stores
from bot.cli_support import (
    JsonFlag,
    UserError,
    actor_of,
    fail,
    out,
    print_json,
    run_async,
    settings_of,
    store_action,
    table,
)
from crm_memory import AlreadyExists, Attachment, InvalidInput, NotFound
from crm_memory.canned import (
    ATTACHMENT_KINDS,
    CannedReply,
    check_attachment,
    check_canned_name,
    check_language,
    check_template,
)

canned_app = typer.Typer(
    help="Canned replies agents send: /c NAME in the agents' group, / in the desk.",
    no_args_is_help=True,
)
DEMO = Path(__file__).resolve().parent.parent / "handlers" / "data" / "canned.yml"

Lang = Annotated[
    str, typer.Option("--lang", help="Language of the text: en, zh, or any code (pt-BR).")
]
TextArg = Annotated[
    str | None,
    typer.Argument(
        help="The text; may use {name} {order} {case} {agent}, {{ }} for braces.",
        show_default=False,
    ),
]
FileOpt = Annotated[
    Path | None,
    typer.Option("--file", help="Read the text from this UTF-8 file instead.", dir_okay=False),
]
AttachKind = Annotated[
    str | None,
    typer.Option("--attach-kind", help=f"Send a file with it: {', '.join(ATTACHMENT_KINDS)}."),
]
AttachId = Annotated[str | None, typer.Option("--attach-id", help="The file's Telegram file id.")]


def _text(text: str | None, file: Path | None, *, required: bool = True) -> str | None:
    if text is not None and file is not None:
        fail("give the text as an argument or with --file, not both")
    if file is not None:
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read {file}: {exc}")
    if text is None:
        if required:
            fail("give the text as an argument or with --file")
        return None
    try:
        return check_template(text, field="TEXT")
    except InvalidInput as exc:
        fail(str(exc))


def _attachment(kind: str | None, file_id: str | None) -> Attachment | None:
    if kind is None and file_id is None:
        return None
    if kind is None or file_id is None:
        fail("an attachment needs both --attach-kind and --attach-id")
    try:
        return check_attachment(kind, file_id)
    except InvalidInput as exc:
        fail(str(exc))


def _checked(name: str, lang: str) -> tuple[str, str]:
    try:
        return check_canned_name(name, field="NAME"), check_language(lang, field="--lang")
    except InvalidInput as exc:
        fail(str(exc))


def _show(canned: CannedReply) -> None:
    out.print(f"{canned.name}  (changed {canned.updated_at:%Y-%m-%d %H:%M} by {canned.updated_by})")
    if canned.attachment is not None:
        out.print(f"  attachment: {canned.attachment.kind} {canned.attachment.file_id}")
    for language, text in canned.variants.items():
        out.print(f"[{language}]", markup=False)
        out.print(text, markup=False)


@canned_app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="What agents type after /c: refund_info.")],
    text: TextArg = None,
    lang: Lang = "en",
    file: FileOpt = None,
    attach_kind: AttachKind = None,
    attach_id: AttachId = None,
) -> None:
    """Add a canned reply in one language (add more with ``edit --lang``)."""
    name, lang = _checked(name, lang)
    body = _text(text, file)
    assert body is not None
    attachment = _attachment(attach_kind, attach_id)

    store_action(
        ctx,
        lambda db: db.canned.add(
            name, variants={lang: body}, attachment=attachment, author=actor_of(ctx)
        ),
        audit="canned added",
        detail=name,
        refused=(AlreadyExists,),
        fix=f"change it with `canned edit {name} --lang {lang}`",
    )
    out.print(f"canned reply {name} ({lang}) added; agents send it with /c {name}")


@canned_app.command("list")
def list_(
    ctx: typer.Context,
    search: Annotated[str, typer.Option("--search", "-s", help="In names and texts.")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Canned replies, their languages and the start of their text."""

    async def go() -> list[CannedReply]:
        async with open_stores(settings_of(ctx)) as stores:
            try:
                return await stores.db.canned.all(query=search)
            except InvalidInput as exc:
                raise UserError(str(exc)) from None

    found = run_async(go())
    if as_json:
        print_json([{**print_ready(c)} for c in found])
        return
    if not found:
        out.print(
            "no canned replies"
            + (
                f" matching {search!r}"
                if search
                else "; add one: "
                '`python -m bot canned add NAME "text"` or `canned seed` for the demo set'
            )
        )
        return
    rows = [
        (c.name, ", ".join(c.variants), next(iter(c.variants.values()))[:60].replace("\n", " "))
        for c in found
    ]
    out.print(table("canned replies", ("name", "languages", "text"), rows))


def print_ready(canned: CannedReply) -> Mapping[str, object]:
    return {
        "name": canned.name,
        "variants": dict(canned.variants),
        "attachment": (
            {"kind": canned.attachment.kind.value, "file_id": canned.attachment.file_id}
            if canned.attachment
            else None
        ),
        "updated_at": canned.updated_at,
        "updated_by": canned.updated_by,
    }


@canned_app.command("show")
def show(ctx: typer.Context, name: str, as_json: JsonFlag = False) -> None:
    """One canned reply with every language."""

    async def go() -> CannedReply:
        async with open_stores(settings_of(ctx)) as stores:
            try:
                return await stores.db.canned.get(name)
            except NotFound as exc:
                raise UserError(str(exc)) from None

    canned = run_async(go())
    if as_json:
        print_json(print_ready(canned))
    else:
        _show(canned)


@canned_app.command("edit")
def edit(
    ctx: typer.Context,
    name: str,
    text: TextArg = None,
    lang: Lang = "en",
    file: FileOpt = None,
    remove_lang: Annotated[
        bool, typer.Option("--remove-lang", help="Remove the --lang variant instead.")
    ] = False,
    attach_kind: AttachKind = None,
    attach_id: AttachId = None,
    no_attachment: Annotated[
        bool, typer.Option("--no-attachment", help="Send it without its file from now on.")
    ] = False,
) -> None:
    """Set the text of one language (adding it if new), remove one, or change the attachment."""
    name, lang = _checked(name, lang)
    attachment = _attachment(attach_kind, attach_id)
    body = _text(text, file, required=False)
    if remove_lang and body is not None:
        fail("--remove-lang takes no text")
    if not (remove_lang or body is not None or attachment or no_attachment):
        fail("nothing to change: give a text (or --file), --remove-lang or an attachment option")
    variants: dict[str, str | None] = {}
    if remove_lang:
        variants[lang] = None
    elif body is not None:
        variants[lang] = body

    store_action(
        ctx,
        lambda db: db.canned.update(
            name,
            variants=variants,
            attachment=attachment,
            drop_attachment=no_attachment,
            author=actor_of(ctx),
        ),
        audit="canned changed",
        detail=name,
        refused=(NotFound, InvalidInput),
    )
    out.print(f"canned reply {name} changed")


@canned_app.command("remove")
def remove(ctx: typer.Context, name: str) -> None:
    """Delete a canned reply in every language."""

    store_action(ctx, lambda db: db.canned.remove(name), audit="canned removed", detail=name)
    out.print(f"canned reply {name} removed")


@canned_app.command("seed")
def seed(
    ctx: typer.Context,
    file: Annotated[Path, typer.Option("--file", help="YAML: name → {language: text}.")] = DEMO,
) -> None:
    """Add the canned replies of a YAML file (the demo set by default) that are not there yet."""
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        fail(f"cannot read {file}: {exc}")
    if not isinstance(data, dict) or not all(
        isinstance(v, dict) and all(isinstance(t, str) for t in v.values()) for v in data.values()
    ):
        fail(f"{file}: expected name: {{language: text}} entries")

    async def go() -> list[str]:
        added = []
        async with open_stores(settings_of(ctx)) as stores:
            for name, variants in data.items():
                try:
                    await stores.db.canned.add(str(name), variants=variants, author=actor_of(ctx))
                except AlreadyExists:
                    continue
                except InvalidInput as exc:
                    raise UserError(f"{file}: {name}: {exc}") from None
                added.append(str(name))
            if added:
                await stores.db.audit.write(
                    actor=actor_of(ctx), action="canned added", detail=", ".join(added)[:300]
                )
        return added

    added = run_async(go())
    out.print(f"added {len(added)} canned replies: {', '.join(added)}" if added else "nothing new")
