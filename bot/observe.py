"""What a channel reports as it works: the seam that health checks and metrics listen on."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Protocol


class ChannelEvents(Protocol):
    """Told by a channel adapter about its work; bot/health.py's Monitor listens."""

    def polled(self) -> None:
        """Updates were fetched and stored (or a webhook call was stored): the channel is alive."""
        ...

    def turn(self, channel: str) -> AbstractContextManager[None]:
        """Wraps the dispatcher's handling of one inbound message (counted and timed)."""
        ...

    def sent(self, channel: str) -> None:
        """A reply was delivered and marked sent."""
        ...

    def failed(self, channel: str, error: BaseException | None) -> None:
        """Handling an update raised ``error``; the adapter's error handler took over."""
        ...


class Unobserved:
    """ChannelEvents that go nowhere: a channel built without health checks or metrics."""

    def polled(self) -> None:
        pass

    def turn(self, channel: str) -> AbstractContextManager[None]:
        return nullcontext()

    def sent(self, channel: str) -> None:
        pass

    def failed(self, channel: str, error: BaseException | None) -> None:
        pass
