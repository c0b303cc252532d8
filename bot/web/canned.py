"""Canned replies on the web: /api/canned (leads manage, agents read and fill) and a desk page."""

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, FastAPI, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from pydantic import BaseModel, Field

from bot.cli_support import jsonable
from bot.web.auth import Principal
from bot.web.contract import CaseNumber, errors
from bot.web.fields import Search, checked
from bot.web.idempotency import Once
from crm_memory import AlreadyExists, Attachment, InvalidInput, NotFound, Role
from crm_memory.canned import (
    ATTACHMENT_KINDS,
    CannedReply,
    check_attachment,
    check_canned_name,
    check_language,
    check_template,
)
from handlers.canned import CannedService, UnknownCanned

if TYPE_CHECKING:
    from bot.web.app import WebContext

CannedName = Annotated[
    str,
    Field(min_length=1, max_length=64, description="a-z, 0-9, _ and -, as typed after /c"),
    checked(check_canned_name),
]
Language = Annotated[str, Field(min_length=2, max_length=16), checked(check_language)]
CannedText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=4096,
        description="May use {name}, {order}, {case} and {agent}; {{ and }} are braces.",
    ),
    checked(check_template),
]
NamePath = Annotated[str, Path(max_length=64, description="The canned reply's name.")]


class AttachmentIn(BaseModel):
    kind: Annotated[str, Field(description=f"One of {', '.join(ATTACHMENT_KINDS)}.")]
    file_id: Annotated[str, Field(min_length=10, max_length=512, description="Telegram file id")]

    def checked(self) -> Attachment:
        return check_attachment(self.kind, self.file_id)


class NewCanned(BaseModel):
    name: CannedName
    variants: Annotated[
        dict[Language, CannedText],
        Field(min_length=1, max_length=20, description="Language code → text."),
    ]
    attachment: AttachmentIn | None = None


class CannedChange(BaseModel):
    variants: Annotated[
        dict[Language, CannedText | None],
        Field(max_length=20, description="Language code → new text, or null to remove it."),
    ] = {}
    attachment: Annotated[
        AttachmentIn | None, Field(description="A new attachment; null removes it.")
    ] = None


def canned_out(canned: CannedReply) -> dict[str, Any]:
    """A canned reply as the API shows it."""
    attachment = canned.attachment
    return {
        **jsonable(canned),
        "variants": dict(canned.variants),
        "attachment": (
            {"kind": attachment.kind.value, "file_id": attachment.file_id} if attachment else None
        ),
    }


def add_canned(
    app: FastAPI,
    ctx: "WebContext",
    *,
    role: Callable[[Role], Callable[..., Awaitable[Principal]]],
    page: Callable[..., HTMLResponse],
) -> None:
    """The canned-reply routes on ``app``: ``role`` gives the desk's role check,
    ``page`` renders a desk template."""
    service = CannedService(deps=ctx.deps, store=ctx.db.canned, agents=ctx.agents)
    once = Once(
        ctx.db.idempotency,
        unfinished_after=timedelta(seconds=ctx.idempotency_unfinished_seconds),
    )
    Agent = Annotated[Principal, Depends(role(Role.AGENT))]
    Lead = Annotated[Principal, Depends(role(Role.LEAD))]
    from bot.web.app import IdempotencyKey

    @app.exception_handler(UnknownCanned)
    async def _no_canned(_: Request, exc: UnknownCanned) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    async def audit(who: Principal, action: str, detail: str, customer: int | None = None) -> None:
        await ctx.db.audit.write(actor=who.name, action=action, customer_id=customer, detail=detail)

    @app.get("/api/canned", tags=["canned"], responses=errors(401, 422))
    async def list_canned(
        who: Agent,
        q: Annotated[str, Query(max_length=200, description="in the name or a text"), Search] = "",
    ) -> list[dict[str, Any]]:
        """Canned replies by name; ``q`` searches names and texts."""
        return [canned_out(c) for c in await service.all(q)]

    @app.get("/api/canned/{name}", tags=["canned"], responses=errors(401, 404, 422))
    async def get_canned(name: NamePath, who: Agent) -> dict[str, Any]:
        return canned_out(await service.get(name))

    @app.post(
        "/api/canned",
        tags=["canned"],
        status_code=201,
        responses=errors(401, 403, 409, 413, 422),
    )
    async def create_canned(
        payload: NewCanned, who: Lead, key: IdempotencyKey = None
    ) -> dict[str, Any]:
        """Leads and admins add canned replies; a name in use is 409."""
        attachment = payload.attachment.checked() if payload.attachment else None

        async def first() -> dict[str, Any]:
            try:
                made = await ctx.db.canned.add(
                    payload.name, variants=payload.variants, attachment=attachment, author=who.name
                )
            except AlreadyExists as exc:
                raise HTTPException(409, str(exc)) from None
            await audit(who, "canned added", made.name)
            return canned_out(made)

        async def repeat() -> dict[str, Any]:
            return canned_out(await service.get(payload.name))

        request = f"canned add {payload.model_dump_json()}"
        return await once.run(actor=who.name, key=key, request=request, act=first, repeat=repeat)

    @app.patch("/api/canned/{name}", tags=["canned"], responses=errors(401, 403, 404, 413, 422))
    async def update_canned(
        name: NamePath, payload: CannedChange, who: Lead, key: IdempotencyKey = None
    ) -> dict[str, Any]:
        """Set or remove (null) language variants; replace or remove (null) the attachment."""
        attachment = payload.attachment.checked() if payload.attachment else None
        drop = "attachment" in payload.model_fields_set and payload.attachment is None

        async def first() -> dict[str, Any]:
            changed = await ctx.db.canned.update(
                name,
                variants=payload.variants,
                attachment=attachment,
                drop_attachment=drop,
                author=who.name,
            )
            await audit(who, "canned changed", changed.name)
            return canned_out(changed)

        async def repeat() -> dict[str, Any]:
            return canned_out(await service.get(name))

        request = f"canned change {name} {payload.model_dump_json(exclude_unset=True)}"
        return await once.run(actor=who.name, key=key, request=request, act=first, repeat=repeat)

    @app.delete("/api/canned/{name}", tags=["canned"], responses=errors(401, 403, 404, 422))
    async def delete_canned(name: NamePath, who: Lead) -> dict[str, str]:
        await ctx.db.canned.remove(name)
        await audit(who, "canned removed", name)
        return {"removed": name}

    @app.get(
        "/api/cases/{number}/canned/{name}",
        tags=["canned"],
        responses=errors(401, 404, 409, 422),
    )
    async def fill_canned(number: CaseNumber, name: NamePath, who: Agent) -> dict[str, Any]:
        """The canned reply filled in for the case's customer, in their language (else
        English, else any): what the desk's picker puts in the reply box. 409 names a
        placeholder the case has no value for."""
        filled = await service.fill(name, number, who.name)
        case = await ctx.agents.case(number)
        await audit(who, "view", f"canned {filled.name} for case #{number}", case.customer_id)
        return dict(jsonable(filled))

    # --- the desk page -------------------------------------------------------------------

    async def canned_page(
        request: Request, who: Principal, q: str = "", error: str | None = None, status: int = 200
    ) -> HTMLResponse:
        shown = page(
            request,
            "canned.html",
            who,
            q=q,
            found=await service.all(q),
            error=error,
            can_edit=who.at_least(Role.LEAD),
        )
        shown.status_code = status
        return shown

    @app.get("/desk/canned", response_class=HTMLResponse, include_in_schema=False)
    async def canned_list(
        request: Request, who: Agent, q: Annotated[str, Query(max_length=200), Search] = ""
    ) -> HTMLResponse:
        return await canned_page(request, who, q)

    @app.post("/desk/canned", include_in_schema=False)
    async def canned_save(
        request: Request,
        who: Lead,
        name: Annotated[str, Form(max_length=100)] = "",
        language: Annotated[str, Form(max_length=20)] = "en",
        text: Annotated[str, Form(max_length=5000)] = "",
    ) -> Any:
        """Adds a canned reply, or sets one language of an existing one."""
        try:
            name, language = check_canned_name(name), check_language(language)
            text = check_template(text)
            try:
                await ctx.db.canned.get(name)
            except NotFound:
                await ctx.db.canned.add(name, variants={language: text}, author=who.name)
                await audit(who, "canned added", name)
            else:
                await ctx.db.canned.update(name, variants={language: text}, author=who.name)
                await audit(who, "canned changed", name)
        except InvalidInput as exc:
            return await canned_page(request, who, error=str(exc), status=422)
        return RedirectResponse("/desk/canned", status_code=303)

    @app.post("/desk/canned/{name}/remove", include_in_schema=False)
    async def canned_remove(
        request: Request,
        name: NamePath,
        who: Lead,
        language: Annotated[str, Form(max_length=20)] = "",
    ) -> Any:
        """Removes one language (``language``) or the whole canned reply."""
        try:
            if language:
                await ctx.db.canned.update(name, variants={language: None}, author=who.name)
            else:
                await ctx.db.canned.remove(name)
        except InvalidInput as exc:
            return await canned_page(request, who, error=str(exc), status=422)
        await audit(who, "canned changed" if language else "canned removed", name)
        return RedirectResponse("/desk/canned", status_code=303)
