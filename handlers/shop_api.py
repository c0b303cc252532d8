"""The shop's HTTP API as the catalogue and the order look-up ask it: one GET per question."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar
from urllib.parse import quote

import httpx

T = TypeVar("T")
# What a request or an unexpected body raises on its way in: the shop is down, slow, says 5xx,
# or answers with something that is not the JSON it documents.
FAILURES = (httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError)


class ShopApi:
    """A URL template with one placeholder, GET with a timeout and the shop's headers (an API
    key, say); 404 means "none", any other failure becomes the subclass's own error. No
    retries: a customer waits for the answer, and the handlers say the shop could not be asked.

    Subclasses name the placeholder (``query``, ``order``), their ``error`` and ``what`` the
    messages call the API.

    Args:
        url_template: with ``{placeholder}`` where the customer's words go.
        timeout: seconds for the whole request.
        headers: sent with every request, e.g. an API key.
        transport: for tests, an httpx transport standing in for the network.

    Raises:
        ValueError: when the template lacks the placeholder.
    """

    placeholder: ClassVar[str]
    error: ClassVar[type[Exception]]
    what: ClassVar[str]

    def __init__(
        self,
        url_template: str,
        *,
        timeout: float,
        headers: dict[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if f"{{{self.placeholder}}}" not in url_template:
            raise ValueError(
                f"the {self.what} URL template needs {{{self.placeholder}}} where the words go"
            )
        self._template = url_template
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout), headers=headers, transport=transport
        )

    async def _get(self, value: str, parse: Callable[[Any], T], *, about: str = "") -> T | None:
        """GET the URL for ``value``: None on 404, else ``parse`` of the JSON body.

        ``about`` goes into the error message (an order number; never a customer's words,
        which errors carry into the logs).

        Raises:
            the subclass's ``error``: the shop could not be asked, or answered what ``parse``
                cannot read.
        """
        url = self._template.format_map({self.placeholder: quote(value, safe="")})
        try:
            response = await self._client.get(url)
            if response.status_code == 404:
                return None
            response.raise_for_status()
            return parse(response.json())
        except FAILURES as exc:
            # A status error's text holds the URL, i.e. the customer's words: the status only.
            said = (
                f"HTTP {exc.response.status_code}"
                if isinstance(exc, httpx.HTTPStatusError)
                else repr(exc)
            )
            raise self.error(f"{self.what} API failed{about}: {said}") from exc

    @property
    def closed(self) -> bool:
        """Whether ``close`` has been called (the connections are let go)."""
        return self._client.is_closed

    async def close(self) -> None:
        """Let go of the connections; called when the app stops."""
        await self._client.aclose()
