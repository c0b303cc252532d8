"""Who a widget request speaks for: signed-in users (both signature schemes) and anonymous
visitors' server-issued tokens."""

from __future__ import annotations

import logging

from bot.metrics import Metrics
from bot.web_channel import (
    LegacySignatureRefused,
    Visitor,
    VisitorTokens,
    WebChannel,
    identify,
    nonce_of,
    visitor_key,
)

logger = logging.getLogger(__name__)


class LegacySignatures:
    """Signed-in visitors who came with the first scheme's signature (the user id alone):
    each outcome warned of once in the process, and counted in /metrics so the shop sees
    when none come any more (then ``widget.legacy_user_id_signatures`` can go)."""

    def __init__(self, metrics: Metrics | None, *, remembered: int = 100_000) -> None:
        self._users: dict[str, None] = {}  # distinct user ids, newest last, bounded
        self._remembered = remembered
        self._metrics = metrics
        self._warned: set[str] = set()

    def believed(self, user_id: str) -> None:
        """A visitor believed by an old signature (the setting is on)."""
        self._users.pop(user_id, None)
        self._users[user_id] = None
        while len(self._users) > self._remembered:
            del self._users[next(iter(self._users))]
        self._warn(
            "accepted",
            "widget.legacy_user_id_signatures is on: a signed-in visitor came with an old "
            "signature (the user id alone): their name and e-mail are not believed and the "
            "signature never expires. Move the shop to the signature with a time (README, "
            "'Moving to signatures with a time') and turn the setting off when "
            'crmbot_widget_legacy_signatures_total{outcome="accepted"} stops growing',
        )
        if self._metrics is not None:
            self._metrics.widget_legacy.labels("accepted").inc()
            self._metrics.widget_legacy_users.set(len(self._users))
            self._metrics.widget_legacy_last.set_to_current_time()

    def turned_away(self) -> None:
        """A visitor refused because their page signs the old way and the setting is off."""
        self._warn(
            "refused",
            "a signed-in visitor was refused: the shop's page signs the user id alone (the "
            "old scheme). Sign the time, e-mail and name too (README, 'Moving to signatures "
            "with a time'), or set widget.legacy_user_id_signatures: true while you move",
        )
        if self._metrics is not None:
            self._metrics.widget_legacy.labels("refused").inc()

    def _warn(self, outcome: str, text: str) -> None:
        if outcome not in self._warned:
            self._warned.add(outcome)
            logger.warning(text)


class Identities:
    """Tells the visitor of each socket and request of the widget.

    Args:
        channel: to ask whether an anonymous visitor has written before.
        secret: the shop's signing secret (``widget.identity_secret``; None: anonymous only).
        max_age: seconds a signature with a time is believed.
        legacy_signatures: believe the first scheme (the user id alone) while a shop moves.
        token_secret: the key visitors' tokens are marked with (None: random per process).
        metrics: where old-scheme visitors are counted.
    """

    def __init__(
        self,
        *,
        channel: WebChannel,
        secret: str | None,
        max_age: float,
        legacy_signatures: bool = False,
        token_secret: str | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self._channel = channel
        self._secret = secret
        self._max_age = max_age
        self._legacy_signatures = legacy_signatures
        self.tokens = VisitorTokens(token_secret)
        self.legacy = LegacySignatures(metrics)

    async def who(
        self,
        *,
        token: str | None,
        user_id: str | None,
        signature: str | None,
        signed_at: int | None,
        name: str,
        email: str | None,
        language: str | None,
    ) -> tuple[Visitor, str | None]:
        """The visitor, and the token their page keeps from now on when it must change (a
        new visitor, a token from before marks, or one the server never issued).

        Raises:
            WidgetError: refused (see ``identify``).
            StoreUnavailable: an unmarked token could not be looked up.
        """
        try:
            found = identify(
                token=token,
                user_id=user_id,
                signature=signature,
                secret=self._secret,
                tokens=self.tokens,
                signed_at=signed_at,
                max_age=self._max_age,
                name=name,
                email=email,
                language=language,
                legacy_signatures=self._legacy_signatures,
            )
        except LegacySignatureRefused:
            self.legacy.turned_away()
            raise
        visitor = found.visitor
        if found.legacy and visitor.user_id is not None:
            self.legacy.believed(visitor.user_id)
        if not found.unmarked or token is None:
            return visitor, found.token
        nonce = nonce_of(token)
        if nonce is not None and await self._channel.known(visitor):
            # Issued before tokens were marked (or marked with another key: another process,
            # a restart), and this visitor has written: the same visitor, re-marked.
            return visitor, self.tokens.mark(nonce)
        # Never issued by this server (a page's own choice): a visitor of its own.
        fresh = self.tokens.issue()
        return Visitor(visitor_key(fresh), language=visitor.language), fresh
