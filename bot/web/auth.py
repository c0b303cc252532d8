"""Who is asking: desk sessions (cookie + CSRF), API tokens (Bearer), roles, login limits."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from crm_memory import AgentAccount, Role, normalise_name
from crm_memory.protocols import AccountStore, ConversationState

COOKIE = "crmbot_session"
LOGIN_COOKIE = "crmbot_login"  # the login form's CSRF token, before there is a session
CSRF_HEADER = "x-csrf-token"
SCOPES = ("read", "write")
_hasher = PasswordHasher()
# Verified against when the name is unknown, so both answers take as long (no enumeration).
_DUMMY = _hasher.hash("not a password anyone has")


def account_name(raw: str) -> str:
    """The one form of an agent's name (``crm_memory.normalise_name``): adding an agent,
    looking one up and counting failed logins all use it, so "  maria", "maria " and a
    full-width "ｍaria" are one account and one failure counter."""
    return normalise_name(raw)


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def token_hash(token: str) -> str:
    """How a session cookie or API token is stored: its SHA-256, never the token."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is asking, and what they may do.

    Attributes:
        name: the agent's name, or ``api:<token name>`` for another system.
        role: agents' roles; a token acts as a lead.
        can_write: False for read-scope tokens.
        csrf: the session's CSRF token (None for tokens, which send no cookies).
        session: the session cookie's hash, to end it.
    """

    name: str
    role: Role
    can_write: bool = True
    csrf: str | None = None
    session: str | None = None

    def at_least(self, role: Role) -> bool:
        return self.role.rank >= role.rank


class Authenticator:
    """Checks passwords, sessions and tokens against the account store.

    Args:
        accounts: agents, tokens and sessions.
        state: counters for failed logins, shared by every web worker.
        session_hours: how long a desk session lasts.
        attempts: failed logins per address, and per name, in 15 minutes before a pause.
    """

    WINDOW = 900.0

    def __init__(
        self,
        *,
        accounts: AccountStore,
        state: ConversationState,
        session_hours: int = 12,
        attempts: int = 5,
    ) -> None:
        self._accounts = accounts
        self._state = state
        self._session = timedelta(hours=session_hours)
        self._attempts = attempts

    async def login_blocked(self, name: str, address: str) -> bool:
        for key in (f"ip:{address}", f"name:{account_name(name)}"):
            if await self._state.get("login", f"block:{key}") is not None:
                return True
        return False

    async def login(self, name: str, password: str, address: str) -> tuple[str, Principal] | None:
        """A new session cookie value and who it is, or None (same answer for a wrong name
        and a wrong password); failures count towards a pause."""
        found = await self._accounts.agent(account_name(name))
        if found is None or not found[0].active:
            verify_password(_DUMMY, password)
            await self._failed(name, address)
            return None
        account, password_hash = found
        if not verify_password(password_hash, password):
            await self._failed(name, address)
            return None
        cookie = new_token()
        csrf = secrets.token_urlsafe(24)
        await self._accounts.start_session(
            account.id,
            token_hash=token_hash(cookie),
            csrf=csrf,
            expires_at=datetime.now(UTC) + self._session,
        )
        return cookie, _principal(account, csrf, token_hash(cookie))

    async def _failed(self, name: str, address: str) -> None:
        for key in (f"ip:{address}", f"name:{account_name(name)}"):
            count = await self._state.hit(f"login:{key}", window=self.WINDOW)
            if count >= self._attempts:
                await self._state.set("login", f"block:{key}", "1", ttl=self.WINDOW)

    async def from_cookie(self, cookie: str | None) -> Principal | None:
        if not cookie:
            return None
        found = await self._accounts.session(token_hash(cookie))
        if found is None:
            return None
        account, csrf = found
        return _principal(account, csrf, token_hash(cookie))

    async def from_bearer(self, header: str | None) -> Principal | None:
        if not header or not header.lower().startswith("bearer "):
            return None
        token = await self._accounts.token(token_hash(header[7:].strip()))
        if token is None:
            return None
        return Principal(name=f"api:{token.name}", role=Role.LEAD, can_write=token.scope == "write")

    async def logout(self, principal: Principal) -> None:
        if principal.session is not None:
            await self._accounts.end_session(principal.session)


def _principal(account: AgentAccount, csrf: str, session: str) -> Principal:
    return Principal(name=account.name, role=account.role, csrf=csrf, session=session)


def csrf_ok(principal: Principal, sent: str | None) -> bool:
    """Unsafe requests from a browser session must echo the session's CSRF token."""
    if principal.csrf is None:
        return True  # a Bearer token: no cookies, nothing to forge
    return sent is not None and hmac.compare_digest(principal.csrf, sent)
