"""Order look-up: where a customer's order is, from a CSV file or the shop's HTTP API."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

import httpx

SAMPLE_ORDERS = Path(__file__).resolve().parent / "data" / "orders.csv"
STATUSES = ("processing", "shipped", "delivered", "cancelled")


class OrderLookupError(Exception):
    """The order system could not be asked."""


@dataclass(frozen=True, slots=True)
class Order:
    """What the shop knows about one order."""

    number: str
    status: str
    carrier: str = ""
    tracking: str = ""
    eta: str = ""
    items: str = ""


def normalise_order_number(text: str) -> str:
    """``a1001`` and ``#A-1001`` both become ``A-1001`` style: upper case, no ``#``."""
    return text.strip().lstrip("#").upper()


class OrderLookup(Protocol):
    """Finds orders by number."""

    async def find(self, number: str) -> Order | None:
        """The order, or None when the shop has no such order.

        Raises:
            OrderLookupError: when the order system cannot be reached.
        """
        ...


class CsvOrderLookup:
    """Orders from a CSV export (``order_number,status,carrier,tracking,eta,items``)."""

    def __init__(self, path: Path) -> None:
        self._orders: dict[str, Order] = {}
        with path.open(encoding="utf-8", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                status = (row.get("status") or "").strip().lower()
                number = normalise_order_number(row.get("order_number") or "")
                if not number or status not in STATUSES:
                    raise ValueError(f"{path}:{line}: need order_number and a status {STATUSES}")
                # Indexed without dashes: customers write A1001 as often as A-1001.
                self._orders[number.replace("-", "")] = Order(
                    number=number,
                    status=status,
                    carrier=(row.get("carrier") or "").strip(),
                    tracking=(row.get("tracking") or "").strip(),
                    eta=(row.get("eta") or "").strip(),
                    items=(row.get("items") or "").strip(),
                )

    async def find(self, number: str) -> Order | None:
        return self._orders.get(normalise_order_number(number).replace("-", ""))


class HttpOrderLookup:
    """Orders from the shop's API: GET a URL template such as
    ``https://shop.example/api/orders/{order}``; 404 means no such order, and a JSON body
    ``{"status", "carrier", "tracking", "eta", "items"}`` describes it.

    Args:
        url_template: with ``{order}`` where the order number goes.
        timeout: seconds for the whole request.
        headers: sent with every request, e.g. an API key.
        transport: for tests, an httpx transport standing in for the network.
    """

    def __init__(
        self,
        url_template: str,
        *,
        timeout: float,
        headers: dict[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if "{order}" not in url_template:
            raise ValueError("the order URL template needs {order} where the number goes")
        self._template = url_template
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout), headers=headers, transport=transport
        )

    async def find(self, number: str) -> Order | None:
        key = normalise_order_number(number)
        url = self._template.format(order=quote(key, safe=""))
        try:
            response = await self._client.get(url)
            if response.status_code == 404:
                return None
            response.raise_for_status()
            body = response.json()
            status = str(body["status"]).lower()
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
            raise OrderLookupError(f"order API failed for {key}: {exc!r}") from exc
        if status not in STATUSES:
            raise OrderLookupError(f"order API gave unknown status {status!r} for {key}")
        return Order(
            number=str(body.get("order_number") or key),
            status=status,
            carrier=str(body.get("carrier") or ""),
            tracking=str(body.get("tracking") or ""),
            eta=str(body.get("eta") or ""),
            items=str(body.get("items") or ""),
        )

    async def close(self) -> None:
        await self._client.aclose()
