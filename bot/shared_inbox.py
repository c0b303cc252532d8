"""Several workers share one inbox: each takes chats under a lease and answers them in order."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections.abc import Awaitable, Callable

from bot.outage import Outage
from crm_memory import Fence, InboxItem, LeaseLost, StoreUnavailable, fenced
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

    A chat is worked only while this worker can prove it holds the lease: each take of a
    lease is numbered (its fence, set around the chat's turns, which the turn's closing
    write checks in its transaction), and locally it counts as held until a lease after the
    start of the last claim or renewal that succeeded, less a margin. Past that (renewals
    failing: the database away, the process paused) the chat's turns stop, nothing more is
    sent for it, and another worker continues it once the lease has expired.

    Args:
        channel: the inbox's channel.
        claims: the leases.
        holder: this worker's name in the leases.
        turn: processes one row (see ``Turn``).
        take_over: called before a chat taken from another worker is continued, to settle
            what that worker left half done (replies recorded but never delivered).
        recover: called while ``database`` is away, before claiming again; raises
            StoreUnavailable while it still is.
        database: the database's outage state, shared with the channel.
        lease_seconds: a lease's length; renewed every third of it.
        poll_seconds: how often to look for chats nobody woke this worker for.
        max_chats: chats handled side by side.
        chat_of: the chat a stored row belongs to, read from its payload (None: unreadable),
            for rows stored without one by a worker older than revision 0013.
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
        chat_of: Callable[[str], str | None] | None = None,
    ) -> None:
        self._channel = channel
        self._claims = claims
        self.holder = holder
        self._turn = turn
        self._take_over = take_over
        self._recover = recover
        self._database = database
        self._lease = lease_seconds
        # Held locally until this much before the lease ends in the database: room for a
        # send under way to land before another worker may take the chat.
        self._margin = lease_seconds / 5
        self._poll = poll_seconds
        self._max = max_chats
        self._chat_of = chat_of
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()
        self._lanes: dict[str, asyncio.Task[None]] = {}
        # Per chat: the lease's generation (its fence), and until when (monotonic) it holds.
        self._generation: dict[str, int] = {}
        self._until: dict[str, float] = {}
        # Chats whose lease another worker took (this one stalled): stop after the turn.
        self._lost: set[str] = set()
        self._swept = False
        self._orphans_at = 0.0
        # Since when (monotonic) the database has answered without a break; None while it
        # does not. Other workers' expired leases are taken only after a lease's length of
        # it: a live worker cut off by the same outage renews its own first, and marks what
        # it delivered meanwhile, instead of this one sending it again.
        self._contact_since: float | None = time.monotonic() - lease_seconds
        # Chats taken from another worker whose leftovers are not settled yet (kept until
        # they are, should the first try fail: the chat is then claimed again as ours).
        self._unsettled: set[str] = set()
        # A lane's unexpected error: it ends `run`, and with it the process (to be restarted).
        self._failure: BaseException | None = None

    def wake(self) -> None:
        """Something was stored: look for work now rather than at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        """Stop claiming; each chat stops after the turn in hand and ``run`` returns with the
        leases given up (see ``run``)."""
        self._stop.set()
        self._wake.set()

    @property
    def chats(self) -> set[str]:
        """The chats this worker is handling now."""
        return set(self._lanes)

    def holds(self, chat: str) -> bool:
        """This worker may still act for ``chat``: its lease is certainly not over yet."""
        return chat not in self._lost and time.monotonic() < self._until.get(chat, 0.0)

    async def under_lease(self, chat: str, work: Callable[[], Awaitable[None]]) -> bool:
        """Run ``work`` for a chat this worker is not working, under the chat's lease (taken
        if free, ours, or expired as ``claim`` would take it) and its fence; False when
        another worker holds it (or this one works it already), and nothing ran.

        Raises:
            LeaseLost: the lease ran out while ``work`` ran.
        """
        if chat in self._until:
            return False
        started = time.monotonic()
        claim = await self._claims.take(self._channel, chat, self.holder, steal=self._may_steal())
        if claim is None:
            return False
        self._generation[chat] = claim.generation
        self._until[chat] = started + self._lease - self._margin
        try:
            with fenced(Fence(self._channel, chat, self.holder, claim.generation)):
                await work()
        finally:
            self._until.pop(chat, None)
            self._generation.pop(chat, None)
        # Rows of it pending: the lease stays, and this worker claims the chat (as its own).
        await self._claims.release(self._channel, chat, self.holder)
        return True

    async def run(self, *, grace: float | None = None) -> None:
        """Claim and work chats until ``stop`` (or cancelled); database outages are waited
        out. On ``stop``, turns in hand finish (for up to ``grace`` seconds, a lease by
        default; then they are cut), then every lease is given up at once."""
        renewing = asyncio.create_task(self._renew_forever())
        try:
            while not self._stop.is_set():
                self._wake.clear()
                if self._failure is not None:
                    raise self._failure
                try:
                    if self._database.away:
                        await self._recover()
                    if not self._swept:
                        await self._sweep()
                    await self._place_orphans()
                    await self._claim()
                except StoreUnavailable as exc:
                    self._contact_since = None
                    await self._pause(self._database.went_away(exc))
                    continue
                await self._pause(self._poll)
            if self._lanes:
                await asyncio.wait(
                    list(self._lanes.values()), timeout=self._lease if grace is None else grace
                )
        finally:
            lanes = [*self._lanes.values(), renewing]
            for task in lanes:
                task.cancel()
            await asyncio.gather(*lanes, return_exceptions=True)
            # Stopping (SIGTERM): our chats go to the other workers now, not after their
            # leases expire; whoever takes one settles what a cut-off turn left.
            with contextlib.suppress(StoreUnavailable):
                await self._claims.expire(self._channel, self.holder)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)

    async def _sweep(self) -> None:
        """Once, at start: leases of workers that ran on this machine and are gone (the
        process this one replaces, restarted by systemd after a kill) end now rather than
        when they expire, so a restart resumes their chats at once."""
        for holder in await self._claims.holders(self._channel):
            if holder != self.holder and dead_here(holder):
                count = await self._claims.expire(self._channel, holder)
                logger.info("%d chats of %s (gone) are taken up now", count, holder)
        self._swept = True

    async def _place_orphans(self) -> None:
        """Now and then: rows stored without their chat (by a worker older than revision
        0013, still running during a rolling upgrade) are filed under it, so a lease covers
        them; one no chat can be read from is a chat of its own (its turn parks it)."""
        if self._chat_of is None or time.monotonic() < self._orphans_at:
            return
        self._orphans_at = time.monotonic() + self._lease
        for update_id, payload in await self._claims.orphans(self._channel):
            chat = self._chat_of(payload) or f"update:{update_id}"
            await self._claims.place(self._channel, update_id, chat)
            logger.info("update %s was stored without its chat; filed under its chat", update_id)

    def _may_steal(self) -> bool:
        now = time.monotonic()
        if self._contact_since is None:
            self._contact_since = now
        return now - self._contact_since >= self._lease

    async def _claim(self) -> None:
        free = self._max - len(self._lanes)
        if free <= 0:
            return
        steal = self._may_steal()
        started = time.monotonic()
        for claim in await self._claims.claim(
            self._channel, self.holder, limit=free, busy=list(self._until), steal=steal
        ):
            if claim.taken_from is not None:
                logger.warning(
                    "chat %s: the lease of %s expired; continuing its work",
                    claim.chat,
                    claim.taken_from,
                )
                self._unsettled.add(claim.chat)
            self._generation[claim.chat] = claim.generation
            self._until[claim.chat] = started + self._lease - self._margin
            lane = asyncio.create_task(self._lane(claim.chat))
            lane.add_done_callback(self._lane_ended)
            self._lanes[claim.chat] = lane

    def _lane_ended(self, lane: asyncio.Task[None]) -> None:
        if not lane.cancelled() and (error := lane.exception()) is not None:
            self._failure = error
            self._wake.set()

    async def _lane(self, chat: str) -> None:
        fence = Fence(self._channel, chat, self.holder, self._generation[chat])
        try:
            with fenced(fence):
                if chat in self._unsettled:
                    await self._take_over(chat)
                    self._unsettled.discard(chat)
                while self._working(chat):
                    items = await self._claims.pending(self._channel, chat, self.holder)
                    if not items:
                        if await self._claims.release(self._channel, chat, self.holder):
                            return
                        # A row came in meanwhile, or the chat's next row waits behind
                        # the agents' group (a barrier): look again shortly.
                        await self._pause_lane()
                        continue
                    for item in items:
                        if not await self._settle(chat, item):
                            return
        except LeaseLost:
            # Its closing write found the lease gone: nothing of the turn was kept, the
            # worker that holds the chat now answers the row.
            logger.warning("chat %s: lease lost mid-turn; its turn is left to the holder", chat)
        except StoreUnavailable as exc:
            # The lease stays ours until it expires; the chat is claimed again when the
            # database is back, by this worker or, once the lease expired, another one.
            self._contact_since = None
            self._database.went_away(exc)
        finally:
            if chat in self._lanes and not self.holds(chat) and not self._stop.is_set():
                logger.warning("chat %s: cannot prove the lease is ours; stopped working it", chat)
            self._lanes.pop(chat, None)
            self._lost.discard(chat)
            self._until.pop(chat, None)
            self._generation.pop(chat, None)
            self._wake.set()

    def _working(self, chat: str) -> bool:
        return self.holds(chat) and not self._stop.is_set()

    async def _pause_lane(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), self._poll)

    async def _settle(self, chat: str, item: InboxItem) -> bool:
        """One row until it is finished; False when the chat was lost (or the worker is
        stopping) meanwhile."""
        while self._working(chat):
            wait = await self._turn(item)
            if wait <= 0:
                return True
            # Its retry: the chat's later rows wait behind it (a stop does not).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), wait)
        return False

    async def _renew_forever(self) -> None:
        while True:
            await asyncio.sleep(self._lease / 3)
            chats = set(self._lanes)
            if not chats:
                continue
            started = time.monotonic()
            try:
                # A renewal that takes longer than this cannot be trusted to have been in
                # time; the next one tries again.
                async with asyncio.timeout(self._lease / 3):
                    held = await self._claims.renew(self._channel, self.holder, chats)
            except (StoreUnavailable, TimeoutError) as exc:
                # Not swallowed: the chats' local leases run out, and their lanes stop.
                self._contact_since = None
                if isinstance(exc, StoreUnavailable):
                    self._database.went_away(exc)
                else:
                    logger.warning("renewing leases took longer than %.1f s", self._lease / 3)
                continue
            for chat in chats:
                if chat in held and chat in self._lanes:
                    # Only for a lane still working: one that ended while the renewal was in
                    # flight released the lease, and a deadline left behind would keep the
                    # chat "busy" here, never claimed again (found in review).
                    self._until[chat] = started + self._lease - self._margin
                elif chat in self._lanes:  # not released meanwhile: taken by another worker
                    logger.warning("chat %s: lease lost to another worker; letting it go", chat)
                    self._lost.add(chat)
