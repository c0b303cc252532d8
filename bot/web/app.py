"""The ASGI app: REST API under /api (OpenAPI at /openapi.json) and the desk pages."""

import asyncio
import contextlib
import hmac
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import (
    Depends,
    FastAPI,
    Form,
    Header,
    HTTPException,
    Query,
    Request,
    Response,
    Security,
)
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, StreamingResponse
from fastapi.routing import APIRoute
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.cli_support import jsonable
from bot.media_cache import MediaCache
from bot.report_html import render
from bot.web.auth import (
    COOKIE,
    CSRF_HEADER,
    LOGIN_COOKIE,
    Authenticator,
    Principal,
    csrf_ok,
    hash_password,
    new_token,
    token_hash,
)
from bot.web.canned import add_canned
from bot.web.contract import (
    Before,
    CaseNumber,
    CustomerId,
    FeedbackId,
    IsoDateTime,
    Limit,
    Offset,
    TokenId,
    errors,
)
from bot.web.events import TOPIC, WebDesk
from bot.web.fields import Name, Note, Search, Text, checked
from bot.web.idempotency import HEADER, MAX_KEY, Once
from bot.web.media import MediaRoutes, add_media_routes, media_of
from bot.web.pages import VisitorPage, page_of
from bot.web.roster import add_roster_routes, desk_presence
from bot.web.security import NONCE, BodyLimit, Hardening
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
from crm_memory.assignment import AgentStatus
from crm_memory.protocols import ConversationState
from handlers.agents import AgentError, AgentService, UnknownCase
from handlers.canned import CannedService
from handlers.desk import PostEraser, TypingIndicator
from handlers.privacy import erase_customer, export_customer
from handlers.sla import SlaPolicy, sla_due
from handlers.turn import Deps
from nlu.sentiment import sentiment

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
KEEP_ALIVE = 15.0  # seconds between SSE comments, so proxies keep the stream open
BEARER = HTTPBearer(
    auto_error=False, scheme_name="token", description="`python -m bot tokens create`"
)
SESSION = APIKeyCookie(
    name=COOKIE,
    auto_error=False,
    scheme_name="session",
    description="A desk session (sign in at /login); changes also send `X-CSRF-Token`.",
)


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
    max_body_bytes: int = 1 << 20
    # A first request with an Idempotency-Key that never finished frees the key after this.
    idempotency_unfinished_seconds: float = 60.0
    # Customers' files for the desk (None: media are not served or uploaded).
    media_cache: MediaCache | None = None
    capacity: int = 3  # agents.capacity: open cases of an agent without one of their own
    sla: SlaPolicy = field(default_factory=SlaPolicy)  # agents.sla: none unless configured
    # Shows customers "<agent> is typing…" where their channel can (the website widget).
    typing: TypingIndicator | None = None


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
        "`Authorization: Bearer <token>` (`python -m bot tokens create`) or a desk session "
        "(its cookie, and its CSRF token in `X-CSRF-Token` on every change). Every error "
        'answers `{"detail": "..."}`.',
        version="1",
    )
    # Outermost last: the headers go on every answer, the 413 of the body limit included.
    uploads = ctx.media_cache.max_file_bytes + (64 << 10) if ctx.media_cache else None
    app.add_middleware(BodyLimit, limit=ctx.max_body_bytes, upload_limit=uploads)
    app.add_middleware(Hardening, hsts=ctx.secure_cookies)

    # --- who is asking -------------------------------------------------------------------

    async def principal(request: Request) -> Principal:
        known: Principal | None = getattr(request.state, "principal", None)
        if known is not None:
            return known
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
                ("application/x-www-form-urlencoded", "multipart/form-data")
            ):
                sent = str((await request.form()).get("csrf") or "") or None
            if not csrf_ok(who, sent):
                raise HTTPException(403, "missing or wrong CSRF token; reload the page")
        request.state.principal = who
        return who

    minimum_of: dict[Callable[..., Any], Role] = {}

    def role(minimum: Role) -> Callable[..., Awaitable[Principal]]:
        async def check(
            who: Annotated[Principal, Depends(principal)],
            # Declared for the OpenAPI document (its security schemes); principal() decides.
            _bearer: Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)] = None,
            _session: Annotated[str | None, Security(SESSION)] = None,
        ) -> Principal:
            if not who.at_least(minimum):
                raise HTTPException(403, f"this needs the {minimum.value} role")
            return who

        minimum_of[check] = minimum
        return check

    class AuthFirst(APIRoute):
        """Checks who is asking before FastAPI reads the body or validates parameters, so a
        stranger's malformed request gets 401, not 422 (and learns nothing of the schema)."""

        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()
            needed = _needed_role(self.dependant, minimum_of)
            if needed is None:
                return handler

            async def checked(request: Request) -> Response:
                who = await principal(request)
                if not who.at_least(needed):
                    raise HTTPException(403, f"this needs the {needed.value} role")
                try:
                    return await handler(request)
                except StarletteHTTPException as exc:
                    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
                        # JSON is UTF-8: a body that is not is invalid input like any bad JSON.
                        raise HTTPException(422, "body: not valid JSON (UTF-8)") from None
                    raise

            return checked

    app.router.route_class = AuthFirst

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

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            # Starlette names only the first route on the path; every method is the truth.
            headers["Allow"] = ", ".join(_allowed(app, request.url.path))
        if exc.status_code == 304 or exc.status_code < 200:
            return Response(status_code=exc.status_code, headers=headers)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)

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

    once = Once(
        ctx.db.idempotency,
        unfinished_after=timedelta(seconds=ctx.idempotency_unfinished_seconds),
    )
    canned = CannedService(deps=ctx.deps, store=ctx.db.canned, agents=ctx.agents)

    async def visitor_page(customer_id: int) -> VisitorPage | None:
        """The page of the shop's website the case's customer is on (their widget said)."""
        return await page_of(ctx.state, await ctx.deps.customers.identities(customer_id))

    async def case_changed(number: int) -> None:
        case = await ctx.deps.cases.get(number)
        await ctx.events.event("case", case=number, customer=case.customer_id)

    # --- REST API ------------------------------------------------------------------------

    @app.get("/api/customers", tags=["customers"], responses=errors(401, 422))
    async def list_customers(
        who: Agent,
        q: Annotated[
            str, Query(max_length=200, description="name, e-mail, id or identity"), Search
        ] = "",
        tag: Annotated[str, Query(max_length=64), Search] = "",
        limit: Limit = 50,
        offset: Offset = 0,
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

    @app.get("/api/customers/{customer_id}", tags=["customers"], responses=errors(401, 404, 422))
    async def get_customer(customer_id: CustomerId, who: Agent) -> dict[str, Any]:
        data = await profile(customer_id)
        await audit(who, "view", customer_id, "profile")
        return data

    @app.get(
        "/api/customers/{customer_id}/history", tags=["customers"], responses=errors(401, 404, 422)
    )
    async def history(
        customer_id: CustomerId,
        who: Agent,
        before: Before = None,
        limit: Limit = 50,
    ) -> dict[str, Any]:
        await customer(customer_id)
        messages = await ctx.deps.messages.history(customer_id, limit=limit, before=before)
        await audit(who, "view", customer_id, "history")
        return {
            "messages": jsonable(messages),
            "next_before": messages[0].id if len(messages) == limit else None,
        }

    @app.get(
        "/api/customers/{customer_id}/export",
        tags=["privacy"],
        responses=errors(401, 403, 404, 422),
    )
    async def export(customer_id: CustomerId, who: Lead) -> dict[str, Any]:
        await customer(customer_id)
        data = jsonable(await export_customer(ctx.deps, customer_id))
        await audit(who, "export", customer_id)
        return dict(data)

    @app.post(
        "/api/customers/{customer_id}/forget",
        tags=["privacy"],
        responses=errors(401, 403, 404, 422),
    )
    async def forget(customer_id: CustomerId, who: Admin) -> dict[str, Any]:
        await customer(customer_id)
        done = await erase_customer(ctx.deps, customer_id, eraser=ctx.eraser)
        await audit(who, "erase", customer_id, f"{done.posts_edited}/{done.posts} posts edited")
        return dict(jsonable(done))

    @app.get("/api/cases", tags=["cases"], responses=errors(401, 422))
    async def list_cases(
        who: Agent,
        status: CaseStatus | None = None,
        priority: Priority | None = None,
        owner: Annotated[str | None, Query(max_length=100), Search] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> list[dict[str, Any]]:
        cases = await ctx.deps.cases.all(
            status=status, priority=priority, owner=owner, limit=limit, offset=offset
        )
        await audit(who, "view", None, f"cases -> {len(cases)}")
        return [jsonable(c) for c in cases]

    @app.get("/api/cases/{number}", tags=["cases"], responses=errors(401, 404, 422))
    async def get_case(number: CaseNumber, who: Agent) -> dict[str, Any]:
        case = await ctx.agents.case(number)
        await audit(who, "view", case.customer_id, f"case #{number}")
        # The page of the shop the customer is on when they chat on the website, else null.
        page = await visitor_page(case.customer_id)
        return {**await case_out(case), "visitor_page": jsonable(page)}

    @app.post(
        "/api/cases/{number}/typing",
        tags=["cases"],
        status_code=204,
        response_class=Response,
        responses=errors(401, 403, 404, 422),
    )
    async def typing(number: CaseNumber, who: Agent) -> Response:
        """The agent is writing to the case's customer: a website visitor's panel shows
        "<agent> is typing…" for a few seconds (send it every few seconds while typing;
        channels that cannot show it ignore it)."""
        case = await ctx.agents.case(number)
        if ctx.typing is not None:
            for identity in await ctx.deps.customers.identities(case.customer_id):
                await ctx.typing.agent_typing(identity, who.name)
        return Response(status_code=204)

    def action(
        name: str, act: Callable[[int, str, str], Awaitable[Any]], *, body: bool = False
    ) -> None:
        route: dict[str, Any] = {"path": f"/api/cases/{{number}}/{name}", "tags": ["cases"]}
        route["name"] = name

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
                number: CaseNumber, payload: TextBody, who: Agent, key: IdempotencyKey = None
            ) -> dict[str, Any]:
                return await done(number, who, payload.text, key)

            app.post(**route, responses=errors(401, 403, 404, 409, 413, 422))(with_text)
        else:

            async def without(
                number: CaseNumber, who: Agent, key: IdempotencyKey = None
            ) -> dict[str, Any]:
                return await done(number, who, "", key)

            app.post(**route, responses=errors(401, 403, 404, 409, 422))(without)

    action("take", lambda n, a, _: ctx.agents.take(n, a))
    action("reply", ctx.agents.reply, body=True)
    action("note", ctx.agents.note, body=True)
    action("handback", lambda n, a, _: ctx.agents.handback(n, a))
    action("close", lambda n, a, _: ctx.agents.close(n, a))
    add_roster_routes(
        app,
        role=role,
        store=ctx.db.assignment,
        accounts=ctx.db.accounts,
        router=ctx.deps.router,
        agents=ctx.agents,
        capacity=ctx.capacity,
        audit=audit,
        once=once,
        case_out=case_out,
        case_changed=case_changed,
    )

    if ctx.deps.media is not None and ctx.media_cache is not None:
        routes = MediaRoutes(
            store=ctx.deps.media,
            cache=ctx.media_cache,
            agents=ctx.agents,
            audit=audit,
            case_changed=case_changed,
        )
        add_media_routes(app, routes, agent=role(Role.AGENT))

    @app.get("/api/feedback", tags=["feedback"], responses=errors(401, 422))
    async def list_feedback(
        who: Agent,
        open_only: Annotated[bool, Query(alias="open")] = False,
        limit: Limit = 50,
    ) -> list[dict[str, Any]]:
        items = await ctx.deps.feedback.all(acted_on=False if open_only else None, limit=limit)
        await audit(who, "view", None, f"feedback -> {len(items)}")
        return [jsonable(f) for f in items]

    @app.post(
        "/api/feedback/{feedback_id}/done",
        tags=["feedback"],
        responses=errors(401, 403, 404, 409, 413, 422),
    )
    async def feedback_done(
        feedback_id: FeedbackId, payload: NoteBody, who: Agent, key: IdempotencyKey = None
    ) -> dict[str, Any]:
        async def first() -> dict[str, Any]:
            return dict(jsonable(await ctx.deps.feedback.mark_acted_on(feedback_id, payload.note)))

        async def repeat() -> dict[str, Any]:
            return dict(jsonable(await ctx.deps.feedback.get(feedback_id)))

        request = f"feedback {feedback_id} done {payload.note}"
        return await once.run(actor=who.name, key=key, request=request, act=first, repeat=repeat)

    @app.get("/api/reports", tags=["reports"], responses=errors(401, 403, 422))
    async def report(
        who: Lead,
        since: Annotated[IsoDateTime | None, Query(description="ISO date or date-time")] = None,
        until: Annotated[IsoDateTime | None, Query(description="ISO date or date-time")] = None,
    ) -> dict[str, Any]:
        result = await ctx.db.reports.report(since=since, until=until)
        return dict(jsonable(result))

    @app.get(
        "/api/events",
        tags=["desk"],
        response_class=StreamingResponse,
        responses={200: {"content": {"text/event-stream": {}}}, **errors(401)},
    )
    async def events(request: Request, who: Agent) -> StreamingResponse:
        """Server-sent events: `case`, `message`, `alert`, each with case and customer ids;
        `typing` (customer id only): a website visitor is typing, at most every 3 s."""

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
                # The pending read runs the source's generator: let its cancellation finish
                # before closing, or aclose() finds it still running and raises (and logs).
                pending.cancel()
                await asyncio.wait({pending})
                with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                    pending.exception()
                await source.aclose()  # type: ignore[attr-defined]

        return StreamingResponse(stream(), media_type="text/event-stream")

    # --- accounts and tokens (admins) ----------------------------------------------------

    @app.get("/api/agents", tags=["admin"], responses=errors(401, 403))
    async def list_agents(who: Admin) -> list[dict[str, Any]]:
        return [jsonable(a) for a in await ctx.db.accounts.agents()]

    @app.post(
        "/api/agents", tags=["admin"], status_code=201, responses=errors(401, 403, 409, 413, 422)
    )
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

    @app.post("/api/agents/{name}/disable", tags=["admin"], responses=errors(401, 403, 404, 422))
    async def disable_agent(
        name: Annotated[str, checked(check_name)], who: Admin
    ) -> dict[str, str]:
        await ctx.db.accounts.deactivate(name)
        await audit(who, "agent disabled", None, name)
        return {"disabled": name}

    @app.get("/api/tokens", tags=["admin"], responses=errors(401, 403))
    async def list_tokens(who: Admin) -> list[dict[str, Any]]:
        return [jsonable(t) for t in await ctx.db.accounts.tokens()]

    @app.post("/api/tokens", tags=["admin"], status_code=201, responses=errors(401, 403, 413, 422))
    async def create_token(payload: NewToken, who: Admin) -> dict[str, Any]:
        """The token is in this answer only; the store keeps its hash."""
        token = new_token("crm_")
        created = await ctx.db.accounts.add_token(
            payload.name, token_hash=token_hash(token), scope=payload.scope
        )
        await audit(who, "token created", None, payload.name)
        return {**jsonable(created), "token": token}

    @app.post("/api/tokens/{token_id}/revoke", tags=["admin"], responses=errors(401, 403, 404, 422))
    async def revoke_token(token_id: TokenId, who: Admin) -> dict[str, int]:
        await ctx.db.accounts.revoke_token(token_id)
        await audit(who, "token revoked", None, str(token_id))
        return {"revoked": token_id}

    # --- desk pages ----------------------------------------------------------------------

    def page(request: Request, name: str, who: Principal | None, **values: Any) -> HTMLResponse:
        nonce = request.scope.get("state", {}).get(NONCE, "")
        return TEMPLATES.TemplateResponse(
            request, name, {"who": who, "company": ctx.company, "nonce": nonce, **values}
        )

    def login_form(request: Request, error: str | None, status: int = 200) -> HTMLResponse:
        # Login CSRF: the form's token must match this cookie, which only our page sets and
        # SameSite=Strict keeps from other sites' posts (no signing in as someone else).
        token = new_token()
        shown = page(request, "login.html", None, error=error, csrf=token)
        shown.status_code = status
        shown.set_cookie(
            LOGIN_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=ctx.secure_cookies,
            max_age=3600,
            path="/login",
        )
        return shown

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    async def login_page(request: Request) -> HTMLResponse:
        return login_form(request, None)

    @app.post("/login", include_in_schema=False)
    async def login(
        request: Request,
        name: Annotated[str, Form(max_length=100)],
        password: Annotated[str, Form(max_length=200)],
        csrf: Annotated[str, Form(max_length=200)] = "",
    ) -> Any:
        expected = request.cookies.get(LOGIN_COOKIE) or ""
        if not (csrf and expected and hmac.compare_digest(csrf, expected)):
            return login_form(request, "The sign-in form expired; please sign in again.", 403)
        address = request.client.host if request.client else "?"
        if await ctx.auth.login_blocked(name, address):
            return login_form(request, "Too many attempts; wait 15 minutes.", 429)
        done = await ctx.auth.login(name, password, address)
        if done is None:
            return login_form(request, "Wrong name or password.", 401)
        cookie, who = done
        await ctx.db.audit.write(actor=who.name, action="login")
        await desk_presence(ctx.db.assignment, ctx.deps.router, who.name, AgentStatus.ONLINE)
        response = RedirectResponse("/desk", status_code=303)
        response.delete_cookie(LOGIN_COOKIE, path="/login")
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
        await desk_presence(ctx.db.assignment, ctx.deps.router, who.name, AgentStatus.OFFLINE)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse("/desk", status_code=303)

    async def inbox_rows(who: Principal) -> list[dict[str, Any]]:
        """The open cases with who waits and how long, the read audited as any other is (the
        list names customers and what they complained about)."""
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
                    "sla": sla_due(case, ctx.sla, ctx.deps.hours, now),
                }
            )
        await audit(who, "view", None, f"inbox -> {len(rows)}")
        return sorted(rows, key=lambda r: r["case"].number, reverse=True)

    @app.get("/desk", response_class=HTMLResponse, include_in_schema=False)
    async def inbox(request: Request, who: Agent) -> HTMLResponse:
        return page(request, "inbox.html", who, rows=await inbox_rows(who))

    @app.get("/desk/inbox-rows", response_class=HTMLResponse, include_in_schema=False)
    async def inbox_part(request: Request, who: Agent) -> HTMLResponse:
        return page(request, "inbox_rows.html", who, rows=await inbox_rows(who))

    @app.get("/desk/cases/{number}", response_class=HTMLResponse, include_in_schema=False)
    async def case_page(request: Request, number: CaseNumber, who: Agent) -> HTMLResponse:
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
            media=await media_of(ctx.deps.media if ctx.media_cache else None, messages),
            can_upload=ctx.media_cache is not None and ctx.deps.media is not None,
            notes=await ctx.deps.cases.notes(number),
            visitor_page=await visitor_page(case.customer_id),
        )

    @app.get("/desk/cases/{number}/messages", response_class=HTMLResponse, include_in_schema=False)
    async def case_messages(request: Request, number: CaseNumber, who: Agent) -> HTMLResponse:
        case = await ctx.agents.case(number)
        messages = await ctx.deps.messages.history(case.customer_id, limit=100)
        await audit(who, "view", case.customer_id, f"case #{number} messages")
        media = await media_of(ctx.deps.media if ctx.media_cache else None, messages)
        return page(request, "messages.html", who, messages=messages, media=media)

    @app.post("/desk/cases/{number}/{verb}", include_in_schema=False)
    async def case_form(
        number: CaseNumber,
        verb: str,
        who: Agent,
        text: Annotated[str, Form(max_length=4096)] = "",
        form_key: Annotated[str | None, Form(alias="idempotency_key", max_length=MAX_KEY)] = None,
        header_key: IdempotencyKey = None,
        canned_name: Annotated[str, Form(alias="canned", max_length=64)] = "",
    ) -> RedirectResponse:
        async def reply() -> None:
            await ctx.agents.reply(number, who.name, text)
            if canned_name:
                # Picked from the canned replies: its photo or document follows the words,
                # as /c NAME sends it in the agents' group.
                await canned.send_attachment(canned_name, number, who.name)

        acts: dict[str, Callable[[], Awaitable[Any]]] = {
            "take": lambda: ctx.agents.take(number, who.name),
            "reply": reply,
            "note": lambda: ctx.agents.note(number, who.name, text),
            "handback": lambda: ctx.agents.handback(number, who.name),
            "close": lambda: ctx.agents.close(number, who.name),
            "transfer": lambda: ctx.agents.transfer(number, text, by=who.name),
        }
        if verb not in acts:
            raise HTTPException(404, f"no action {verb!r}")
        if verb in ("reply", "note", "transfer"):
            text = check_text(text)  # the same 422 as the API's, naming the field

        async def first() -> None:
            await acts[verb]()
            await case_changed(number)

        async def repeat() -> None:
            return None  # a double click: the first submit did it; show the case

        await once.run(
            actor=who.name,
            key=header_key or form_key,
            request=f"case {number} {verb} {text} {canned_name}",
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
    async def report_page(request: Request, who: Lead) -> HTMLResponse:
        result = await ctx.db.reports.report()
        nonce = request.scope.get("state", {}).get(NONCE, "")
        return HTMLResponse(
            render(result, company=ctx.company, generated=datetime.now(UTC), nonce=nonce)
        )

    add_canned(app, ctx, role=role, page=page)

    # OPTIONS names every method of a path (Starlette would answer 405 naming the first route's).
    async def options(request: Request) -> Response:
        allow = ", ".join(_allowed(app, request.url.path))
        return Response(status_code=204, headers={"Allow": allow})

    for path in sorted({r.path for r in app.routes if isinstance(r, APIRoute)}):
        app.add_api_route(path, options, methods=["OPTIONS"], include_in_schema=False)

    return app


def _needed_role(dependant: Dependant, minimum_of: dict[Callable[..., Any], Role]) -> Role | None:
    """The role an operation's dependencies ask for (None: open to anyone)."""
    for dependency in dependant.dependencies:
        if dependency.call in minimum_of:
            return minimum_of[dependency.call]
        found = _needed_role(dependency, minimum_of)
        if found is not None:
            return found
    return None


def _allowed(app: FastAPI, path: str) -> list[str]:
    """Every method some route answers on ``path`` (for ``Allow``)."""
    methods = {"OPTIONS"}
    for route in app.routes:
        if isinstance(route, APIRoute) and route.path_regex.match(path):
            methods |= route.methods or set()
    return sorted(methods)
