"""Order look-up: where a customer's order is, from a CSV file or the shop's HTTP API."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

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
                self._orders[number] = Order(
                    number=number,
                    status=status,
                    carrier=(row.get("carrier") or "").strip(),
                    tracking=(row.get("tracking") or "").strip(),
                    eta=(row.get("eta") or "").strip(),
                    items=(row.get("items") or "").strip(),
                )

    async def find(self, number: str) -> Order | None:
        key = normalise_order_number(number)
        return self._orders.get(key) or self._orders.get(key.replace("-", ""))
