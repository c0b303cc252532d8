"""The ASGI app: REST API under /api (OpenAPI at /openapi.json) and the desk pages."""

import asyncio
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Form, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, StreamingResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from bot.cli_support import jsonable
from bot.report_html import render
from bot.web.auth import (
    COOKIE,
    CSRF_HEADER,
    Authenticator,
    Principal,
    csrf_ok,
    hash_password,
    new_token,
    token_hash,
)
from bot.web.events import TOPIC, WebDesk
from bot.web.fields import Name, Note, Search, Text, checked
from bot.web.idempotency import HEADER, MAX_KEY, Once
from crm_memory import (
    AlreadyExists,
    Case,
    CaseStatus,
    Customer,
    InvalidInput,
    NotFound,
    Priority,
    Role,
    SqlDatabase,
    check_name,
    check_text,
)
from crm_memory.protocols import ConversationState
from handlers.agents import AgentError, AgentService, UnknownCase
from handlers.desk import PostEraser
from handlers.privacy import erase_customer, export_customer
from handlers.turn import Deps
from nlu.sentiment import sentiment

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
MAX_PAGE = 200
KEEP_ALIVE = 15.0  # seconds between SSE comments, so proxies keep the stream open


@dataclass(frozen=True, slots=True)
class WebContext:
    """What the web app works with, built by bot/app.py."""

    db: SqlDatabase
    state: ConversationState
    deps: Deps
    agents: AgentService
    auth: Authenticator
    events: WebDesk
    company: str
    secure_cookies: bool = False
    eraser: PostEraser | None = None


class TextBody(BaseModel):
    text: Text


class NoteBody(BaseModel):
    note: Note


class NewAgent(BaseModel):
    name: Name
    password: str = Field(min_length=10, max_length=200)
    role: Role = Role.AGENT


class NewToken(BaseModel):
    name: Annotated[Name, Field(description="Which system uses it.")]
    scope: Literal["read", "write"] = "read"


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias=HEADER,
        max_length=MAX_KEY,
        description="Sent again with the same request (by the same agent or token), the "
        "action is not done twice: the answer is the resource as it is now.",
    ),
]


class Unauthorized(Exception):
    """No valid session or token: 401 for the API, the login page for the desk."""


def create_app(ctx: WebContext) -> FastAPI:
    """The desk and API on the given stores and services."""
    app = FastAPI(
        title="crmbot",
        description="Customers, their history, cases, feedback and reports. Authenticate with "
        "`Authorization: Bearer <token>` (`python -m bot tokens create`) or a desk session.",
        version="1",
    )

    # --- who is asking -------------------------------------------------------------------

    async def principal(request: Request) -> Principal:
        header = request.headers.get("authorization")
        # A credential that was sent and fails is refused, never replaced by the cookie.
        if header is not None:
            who = await ctx.auth.from_bearer(header)
        else:
            who = await ctx.auth.from_cookie(request.cookies.get(COOKIE))
        if who is None:
            raise Unauthorized
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            if not who.can_write:
                raise HTTPException(403, "this token may only read")
            sent = request.headers.get(CSRF_HEADER)
            if sent is None and request.headers.get("content-type", "").startswith(
                "application/x-www-form-urlencoded"
            ):
                sent = str((await request.form()).get("csrf") or "") or None
            if not csrf_ok(who, sent):
                raise HTTPException(403, "missing or wrong CSRF token; reload the page")
        return who

    def role(minimum: Role) -> Callable[[Principal], Awaitable[Principal]]:
        async def check(who: Annotated[Principal, Depends(principal)]) -> Principal:
            if not who.at_least(minimum):
                raise HTTPException(403, f"this needs the {minimum.value} role")
            return who

        return check

    Agent = Annotated[Principal, Depends(role(Role.AGENT))]
    Lead = Annotated[Principal, Depends(role(Role.LEAD))]
    Admin = Annotated[Principal, Depends(role(Role.ADMIN))]

    @app.exception_handler(Unauthorized)
    async def _unauthorized(request: Request, _: Unauthorized) -> Any:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": "sign in or send a valid token"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(UnknownCase)
    async def _no_case(_: Request, exc: UnknownCase) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(AgentError)
    async def _conflict(_: Request, exc: AgentError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=409)

    @app.exception_handler(InvalidInput)
    async def _refused(_: Request, exc: InvalidInput) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in exc.errors()
        ]
        return JSONResponse({"detail": "; ".join(problems)}, status_code=422)

    async def audit(who: Principal, action: str, customer_id: int | None, detail: str = "") -> None:
        await ctx.db.audit.write(
            actor=who.name, action=action, customer_id=customer_id, detail=detail
        )

    async def customer(customer_id: int) -> Customer:
        found = await ctx.db.customers.get(customer_id)
        if found.erased:
            raise NotFound(f"no customer with id {customer_id}")
        return found

    async def case_out(case: Case) -> dict[str, Any]:
        """A case as the API shows it, with its notes (each with author and time)."""
        return {**jsonable(case), "notes": jsonable(await ctx.deps.cases.notes(case.number))}

    once = Once(ctx.db.idempotency)

    async def case_changed(number: int) -> None:
        case = await ctx.deps.cases.get(number)
        await ctx.events.event("case", case=number, customer=case.customer_id)

    # --- REST API ------------------------------------------------------------------------

    @app.get("/api/customers", tags=["customers"])
    async def list_customers(
        who: Agent,
        q: Annotated[
            str, Query(max_length=200, description="name, e-mail, id or identity"), Search
        ] = "",
        tag: Annotated[str, Query(max_length=64), Search] = "",
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> list[dict[str, Any]]:
        found = await ctx.db.customers.search(text=q, tag=tag, limit=limit, offset=offset)
        await audit(who, "search", None, f"q={q!r} tag={tag!r} -> {len(found)}")
        return [jsonable(c) for c in found]

    async def profile(customer_id: int) -> dict[str, Any]:
        found = await customer(customer_id)
        cases = await ctx.deps.cases.for_customer(customer_id)
        ratings = await ctx.deps.surveys.for_customer(customer_id)
        recent = await ctx.deps.messages.history(customer_id, limit=50)
        trend = [round(sentiment(m.text), 2) for m in recent if m.sender.value == "customer"][-10:]
        return {
            **jsonable(found),
            "identities": [str(i) for i in await ctx.deps.customers.identities(customer_id)],
            "facts": jsonable(await ctx.deps.customers.facts(customer_id)),
            "cases": jsonable(cases),
            "csat_history": [
                {"rating": r.rating, "case": r.case_number, "at": r.created_at.isoformat()}
                for r in ratings
            ],
            "sentiment_trend": trend,
        }

    @app.get("/api/customers/{customer_id}", tags=["customers"])
    async def get_customer(customer_id: int, who: Agent) -> dict[str, Any]:
        data = await profile(customer_id)
        await audit(who, "view", customer_id, "profile")
        return data

    @app.get("/api/customers/{customer_id}/history", tags=["customers"])
    async def history(
        customer_id: int,
        who: Agent,
        before: Annotated[int | None, Query(ge=1, description="messages with ids below")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    ) -> dict[str, Any]:
        await customer(customer_id)
        messages = await ctx.deps.messages.history(customer_id, limit=limit, before=before)
        await audit(who, "view", customer_id, "history")
        return {
            "messages": jsonable(messages),
            "next_before": messages[0].id if len(messages) == limit else None,
        }

    @app.get("/api/customers/{customer_id}/export", tags=["privacy"])
    async def export(customer_id: int, who: Lead) -> dict[str, Any]:
        await customer(customer_id)
        data = jsonable(await export_customer(ctx.deps, customer_id))
        await audit(who, "export", customer_id)
        return dict(data)

    @app.post("/api/customers/{customer_id}/forget", tags=["privacy"])
    async def forget(customer_id: int, who: Admin) -> dict[str, Any]:
        await customer(customer_id)
        done = await erase_customer(ctx.deps, customer_id, eraser=ctx.eraser)
        await audit(who, "erase", customer_id, f"{done.posts_edited}/{done.posts} posts edited")
        return dict(jsonable(done))

    @app.get("/api/cases", tags=["cases"])
    async def list_cases(
        who: Agent,
        status: CaseStatus | None = None,
        priority: Priority | None = None,
        owner: Annotated[str | None, Query(max_length=100), Search] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> list[dict[str, Any]]:
        cases = await ctx.deps.cases.all(
            status=status, priority=priority, owner=owner, limit=limit, offset=offset
        )
        await audit(who, "view", None, f"cases -> {len(cases)}")
        return [jsonable(c) for c in cases]

    @app.get("/api/cases/{number}", tags=["cases"])
    async def get_case(number: int, who: Agent) -> dict[str, Any]:
        case = await ctx.agents.case(number)
        await audit(who, "view", case.customer_id, f"case #{number}")
        return await case_out(case)

    def action(
        name: str, act: Callable[[int, str, str], Awaitable[Any]], *, body: bool = False
    ) -> None:
        async def done(number: int, who: Principal, text: str, key: str | None) -> dict[str, Any]:
            async def first() -> dict[str, Any]:
                case = await act(number, who.name, text)
                await case_changed(number)
                return await case_out(case)

            async def repeat() -> dict[str, Any]:
                return await case_out(await ctx.agents.case(number))

            request = f"case {number} {name} {text}"
            return await once.run(
                actor=who.name, key=key, request=request, act=first, repeat=repeat
            )

        if body:

            async def with_text(
                number: int, payload: TextBody, who: Agent, key: IdempotencyKey = None
            ) -> dict[str, Any]:
                return await done(number, who, payload.text, key)

            app.post(f"/api/cases/{{number}}/{name}", tags=["cases"], name=name)(with_text)
        else:

            async def without(
                number: int, who: Agent, key: IdempotencyKey = None
            ) -> dict[str, Any]:
                return await done(number, who, "", key)

            app.post(f"/api/cases/{{number}}/{name}", tags=["cases"], name=name)(without)

    action("take", lambda n, a, _: ctx.agents.take(n, a))
    action("reply", ctx.agents.reply, body=True)
    action("note", ctx.agents.note, body=True)
    action("handback", lambda n, a, _: ctx.agents.handback(n, a))
    action("close", lambda n, a, _: ctx.agents.close(n, a))

    @app.get("/api/feedback", tags=["feedback"])
    async def list_feedback(
        who: Agent,
        open_only: Annotated[bool, Query(alias="open")] = False,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    ) -> list[dict[str, Any]]:
        items = await ctx.deps.feedback.all(acted_on=False if open_only else None, limit=limit)
        await audit(who, "view", None, f"feedback -> {len(items)}")
        return [jsonable(f) for f in items]

    @app.post("/api/feedback/{feedback_id}/done", tags=["feedback"])
    async def feedback_done(
        feedback_id: int, payload: NoteBody, who: Agent, key: IdempotencyKey = None
    ) -> dict[str, Any]:
        async def first() -> dict[str, Any]:
            return dict(jsonable(await ctx.deps.feedback.mark_acted_on(feedback_id, payload.note)))

        async def repeat() -> dict[str, Any]:
            return dict(jsonable(await ctx.deps.feedback.get(feedback_id)))

        request = f"feedback {feedback_id} done {payload.note}"
        return await once.run(actor=who.name, key=key, request=request, act=first, repeat=repeat)

    @app.get("/api/reports", tags=["reports"])
    async def report(
        who: Lead,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> dict[str, Any]:
        result = await ctx.db.reports.report(since=_utc(since), until=_utc(until))
        return dict(jsonable(result))

    @app.get("/api/events", tags=["desk"], response_class=StreamingResponse)
    async def events(request: Request, who: Agent) -> StreamingResponse:
        """Server-sent events: `case`, `message`, `alert`, each with case and customer ids."""

        async def stream() -> AsyncIterator[str]:
            yield "retry: 2000\n\n"
            source = ctx.state.subscribe(TOPIC)
            # One read stays pending across keep-alives: cancelling it would end the source.
            pending: asyncio.Future[str] = asyncio.ensure_future(anext(source))
            try:
                while not await request.is_disconnected():
                    done, _ = await asyncio.wait({pending}, timeout=KEEP_ALIVE)
                    if not done:
                        yield ": keep-alive\n\n"
                        continue
                    yield f"data: {pending.result()}\n\n"
                    pending = asyncio.ensure_future(anext(source))
            finally:
                pending.cancel()
                await source.aclose()  # type: ignore[attr-defined]

        return StreamingResponse(stream(), media_type="text/event-stream")

    # --- accounts and tokens (admins) ----------------------------------------------------

    @app.get("/api/agents", tags=["admin"])
    async def list_agents(who: Admin) -> list[dict[str, Any]]:
        return [jsonable(a) for a in await ctx.db.accounts.agents()]

    @app.post("/api/agents", tags=["admin"], status_code=201)
    async def add_agent(payload: NewAgent, who: Admin) -> dict[str, Any]:
        try:
            account = await ctx.db.accounts.add_agent(
                payload.name,
                password_hash=hash_password(payload.password),
                role=payload.role,
            )
        except AlreadyExists as exc:
            raise HTTPException(409, str(exc)) from None
        await audit(who, "agent added", None, account.name)
        return dict(jsonable(account))

    @app.post("/api/agents/{name}/disable", tags=["admin"])
    async def disable_agent(
        name: Annotated[str, checked(check_name)], who: Admin
    ) -> dict[str, str]:
        await ctx.db.accounts.deactivate(name)
        await audit(who, "agent disabled", None, name)
        return {"disabled": name}

    @app.get("/api/tokens", tags=["admin"])
    async def list_tokens(who: Admin) -> list[dict[str, Any]]:
        return [jsonable(t) for t in await ctx.db.accounts.tokens()]

    @app.post("/api/tokens", tags=["admin"], status_code=201)
    async def create_token(payload: NewToken, who: Admin) -> dict[str, Any]:
        """The token is in this answer only; the store keeps its hash."""
        token = new_token("crm_")
        created = await ctx.db.accounts.add_token(
            payload.name, token_hash=token_hash(token), scope=payload.scope
        )
        await audit(who, "token created", None, payload.name)
        return {**jsonable(created), "token": token}

    @app.post("/api/tokens/{token_id}/revoke", tags=["admin"])
    async def revoke_token(token_id: int, who: Admin) -> dict[str, int]:
        await ctx.db.accounts.revoke_token(token_id)
        await audit(who, "token revoked", None, str(token_id))
        return {"revoked": token_id}

    # --- desk pages ----------------------------------------------------------------------

    def page(request: Request, name: str, who: Principal | None, **values: Any) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(
            request, name, {"who": who, "company": ctx.company, **values}
        )

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    async def login_page(request: Request) -> HTMLResponse:
        return page(request, "login.html", None, error=None)

    @app.post("/login", include_in_schema=False)
    async def login(
        request: Request,
        name: Annotated[str, Form(max_length=100)],
        password: Annotated[str, Form(max_length=200)],
    ) -> Any:
        address = request.client.host if request.client else "?"
        if await ctx.auth.login_blocked(name, address):
            refused = page(request, "login.html", None, error="Too many attempts; wait 15 minutes.")
            refused.status_code = 429
            return refused
        done = await ctx.auth.login(name, password, address)
        if done is None:
            wrong = page(request, "login.html", None, error="Wrong name or password.")
            wrong.status_code = 401
            return wrong
        cookie, who = done
        await ctx.db.audit.write(actor=who.name, action="login")
        response = RedirectResponse("/desk", status_code=303)
        response.set_cookie(
            COOKIE,
            cookie,
            httponly=True,
            samesite="strict",
            secure=ctx.secure_cookies,
            max_age=None,
            path="/",
        )
        return response

    @app.post("/logout", include_in_schema=False)
    async def logout(who: Agent) -> RedirectResponse:
        await ctx.auth.logout(who)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse("/desk", status_code=303)

    async def inbox_rows() -> list[dict[str, Any]]:
        now = datetime.now(UTC)
        rows = []
        for case in await ctx.agents.queue():
            person = await ctx.db.customers.get(case.customer_id)
            since = case.escalated_at or case.opened_at
            rows.append(
                {
                    "case": case,
                    "customer": person.display_name,
                    "waiting": int((now - since).total_seconds() // 60),
                }
            )
        return sorted(rows, key=lambda r: r["case"].number, reverse=True)

    @app.get("/desk", response_class=HTMLResponse, include_in_schema=False)
    async def inbox(request: Request, who: Agent) -> HTMLResponse:
        return page(request, "inbox.html", who, rows=await inbox_rows())

    @app.get("/desk/inbox-rows", response_class=HTMLResponse, include_in_schema=False)
    async def inbox_part(request: Request, who: Agent) -> HTMLResponse:
        return page(request, "inbox_rows.html", who, rows=await inbox_rows())

    @app.get("/desk/cases/{number}", response_class=HTMLResponse, include_in_schema=False)
    async def case_page(request: Request, number: int, who: Agent) -> HTMLResponse:
        case = await ctx.agents.case(number)
        data = await profile(case.customer_id)
        messages = await ctx.deps.messages.history(case.customer_id, limit=100)
        await audit(who, "view", case.customer_id, f"case #{number}")
        return page(
            request,
            "case.html",
            who,
            new_key=lambda: secrets.token_urlsafe(18),  # one per form, per page shown
            case=case,
            person=data,
            messages=messages,
            notes=await ctx.deps.cases.notes(number),
        )

    @app.get("/desk/cases/{number}/messages", response_class=HTMLResponse, include_in_schema=False)
    async def case_messages(request: Request, number: int, who: Agent) -> HTMLResponse:
        case = await ctx.agents.case(number)
        messages = await ctx.deps.messages.history(case.customer_id, limit=100)
        await audit(who, "view", case.customer_id, f"case #{number} messages")
        return page(request, "messages.html", who, messages=messages)

    @app.post("/desk/cases/{number}/{verb}", include_in_schema=False)
    async def case_form(
        number: int,
        verb: str,
        who: Agent,
        text: Annotated[str, Form(max_length=4096)] = "",
        form_key: Annotated[str | None, Form(alias="idempotency_key", max_length=MAX_KEY)] = None,
        header_key: IdempotencyKey = None,
    ) -> RedirectResponse:
        acts: dict[str, Callable[[], Awaitable[Any]]] = {
            "take": lambda: ctx.agents.take(number, who.name),
            "reply": lambda: ctx.agents.reply(number, who.name, text),
            "note": lambda: ctx.agents.note(number, who.name, text),
            "handback": lambda: ctx.agents.handback(number, who.name),
            "close": lambda: ctx.agents.close(number, who.name),
        }
        if verb not in acts:
            raise HTTPException(404, f"no action {verb!r}")
        if verb in ("reply", "note"):
            text = check_text(text)  # the same 422 as the API's, naming the field

        async def first() -> None:
            await acts[verb]()
            await case_changed(number)

        async def repeat() -> None:
            return None  # a double click: the first submit did it; show the case

        await once.run(
            actor=who.name,
            key=header_key or form_key,
            request=f"case {number} {verb} {text}",
            act=first,
            repeat=repeat,
        )
        return RedirectResponse(f"/desk/cases/{number}", status_code=303)

    @app.get("/desk/customers", response_class=HTMLResponse, include_in_schema=False)
    async def customers_page(
        request: Request, who: Agent, q: Annotated[str, Query(max_length=200), Search] = ""
    ) -> HTMLResponse:
        found = await ctx.db.customers.search(text=q, limit=50) if q else []
        if q:
            await audit(who, "search", None, f"q={q!r} -> {len(found)}")
        return page(request, "customers.html", who, q=q, found=found)

    @app.get("/desk/report", response_class=HTMLResponse, include_in_schema=False)
    async def report_page(who: Lead) -> HTMLResponse:
        result = await ctx.db.reports.report()
        return HTMLResponse(render(result, company=ctx.company, generated=datetime.now(UTC)))

    return app


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
