"""Several workers share one inbox: each takes chats under a lease and answers them in order."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable

from bot.outage import Outage
from crm_memory import InboxItem, StoreUnavailable
from crm_memory.protocols import InboxClaims

logger = logging.getLogger(__name__)

# One row's turn: 0 when it is finished (done and marked, or parked), else the seconds to
# wait before it is tried again (the chat waits with it).
Turn = Callable[[InboxItem], Awaitable[float]]


def worker_name() -> str:
    """This process among the workers: host and pid for people, a random part so that a
    restarted process with a reused pid is not taken for its predecessor."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def dead_here(holder: str) -> bool:
    """A worker named by ``worker_name`` that ran on this machine and is gone."""
    host, _, rest = holder.partition(":")
    pid, _, _ = rest.partition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # someone else's live process
    return False


class ChatWorker:
    """Works a shared inbox chat by chat: claims chats with pending rows (free ones, or
    those whose holder's lease expired), answers each chat's rows in order under its lease,
    renews the leases meanwhile, and gives a chat up when nothing of it is pending.

    Args:
        channel: the inbox's channel.
        claims: the leases.
        holder: this worker's name in the leases.
        turn: processes one row (see ``Turn``).
        take_over: called before a chat taken from a dead worker is continued, to settle
            what that worker left half done (replies recorded but never delivered).
        recover: called while ``database`` is away, before claiming again; raises
            StoreUnavailable while it still is.
        database: the database's outage state, shared with the channel.
        lease_seconds: a lease's length; renewed every third of it.
        poll_seconds: how often to look for chats nobody woke this worker for.
        max_chats: chats handled side by side.
    """

    def __init__(
        self,
        *,
        channel: str,
        claims: InboxClaims,
        holder: str,
        turn: Turn,
        take_over: Callable[[str], Awaitable[None]],
        recover: Callable[[], Awaitable[None]],
        database: Outage,
        lease_seconds: float,
        poll_seconds: float,
        max_chats: int,
    ) -> None:
        self._channel = channel
        self._claims = claims
        self.holder = holder
        self._turn = turn
        self._take_over = take_over
        self._recover = recover
        self._database = database
        self._lease = lease_seconds
        self._poll = poll_seconds
        self._max = max_chats
        self._wake = asyncio.Event()
        self._lanes: dict[str, asyncio.Task[None]] = {}
        # Chats whose lease another worker took (this one stalled): stop after the turn.
        self._lost: set[str] = set()
        self._swept = False
        # Chats taken from a dead worker whose leftovers are not settled yet (kept until
        # they are, should the first try fail: the chat is then claimed again as ours).
        self._unsettled: set[str] = set()
        # A lane's unexpected error: it ends `run`, and with it the process (to be restarted).
        self._failure: BaseException | None = None

    def wake(self) -> None:
        """Something was stored: look for work now rather than at the next poll."""
        self._wake.set()

    @property
    def chats(self) -> set[str]:
        """The chats this worker is handling now."""
        return set(self._lanes)

    async def run(self) -> None:
        """Claim and work chats until cancelled; database outages are waited out."""
        renewing = asyncio.create_task(self._renew_forever())
        try:
            while True:
                self._wake.clear()
                if self._failure is not None:
                    raise self._failure
                try:
                    if self._database.away:
                        await self._recover()
                    if not self._swept:
                        await self._sweep()
                    await self._claim()
                except StoreUnavailable as exc:
                    await asyncio.sleep(self._database.went_away(exc))
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self._poll)
        finally:
            lanes = [*self._lanes.values(), renewing]
            for task in lanes:
                task.cancel()
            await asyncio.gather(*lanes, return_exceptions=True)
            # Stopping (SIGTERM): our chats go to the other workers now, not after their
            # leases expire; whoever takes one settles what a cut-off turn left.
            with contextlib.suppress(StoreUnavailable):
                await self._claims.expire(self._channel, self.holder)

    async def _sweep(self) -> None:
        """Once, at start: leases of workers that ran on this machine and are gone (the
        process this one replaces, restarted by systemd after a kill) end now rather than
        when they expire, so a restart resumes their chats at once."""
        for holder in await self._claims.holders(self._channel):
            if holder != self.holder and dead_here(holder):
                count = await self._claims.expire(self._channel, holder)
                logger.info("%d chats of %s (gone) are taken up now", count, holder)
        self._swept = True

    async def _claim(self) -> None:
        free = self._max - len(self._lanes)
        if free <= 0:
            return
        for claim in await self._claims.claim(
            self._channel, self.holder, limit=free, busy=list(self._lanes)
        ):
            if claim.taken_from is not None:
                logger.warning(
                    "chat %s: the lease of %s expired; continuing its work",
                    claim.chat,
                    claim.taken_from,
                )
                self._unsettled.add(claim.chat)
            lane = asyncio.create_task(self._lane(claim.chat))
            lane.add_done_callback(self._lane_ended)
            self._lanes[claim.chat] = lane

    def _lane_ended(self, lane: asyncio.Task[None]) -> None:
        if not lane.cancelled() and (error := lane.exception()) is not None:
            self._failure = error
            self._wake.set()

    async def _lane(self, chat: str) -> None:
        try:
            if chat in self._unsettled:
                await self._take_over(chat)
                self._unsettled.discard(chat)
            while chat not in self._lost:
                items = await self._claims.pending(self._channel, chat, self.holder)
                if not items:
                    if await self._claims.release(self._channel, chat, self.holder):
                        return
                    continue  # a row came in meanwhile
                for item in items:
                    if not await self._settle(chat, item):
                        return
        except StoreUnavailable as exc:
            # The lease stays ours (renewals fail meanwhile); the chat is claimed again when
            # the database is back, by this worker or, once the lease expired, another one.
            self._database.went_away(exc)
        finally:
            self._lanes.pop(chat, None)
            self._lost.discard(chat)
            self._wake.set()

    async def _settle(self, chat: str, item: InboxItem) -> bool:
        """One row until it is finished; False when the chat was lost meanwhile."""
        while chat not in self._lost:
            wait = await self._turn(item)
            if wait <= 0:
                return True
            await asyncio.sleep(wait)  # its retry: the chat's later rows wait behind it
        return False

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(self._lease / 3)
            chats = set(self._lanes)
            if not chats:
                continue
            try:
                held = await self._claims.renew(self._channel, self.holder, chats)
            except StoreUnavailable as exc:
                self._database.went_away(exc)
                continue
            for chat in chats - held:
                if chat in self._lanes:  # not released meanwhile: taken by another worker
                    logger.warning("chat %s: lease lost to another worker; letting it go", chat)
                    self._lost.add(chat)
