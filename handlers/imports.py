"""Importing customers' attributes from a CSV file: each row checked alone, bad rows reported."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from crm_memory import ChannelIdentity, Customer
from crm_memory.errors import InvalidIdentity
from crm_memory.protocols import CustomerStore

COLUMNS = ("identity", "external_id", "email", "name", "tier", "lifetime_value", "tags")
KEYS = ("identity", "external_id", "email")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TIER = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


class ImportFileError(Exception):
    """The file as a whole cannot be imported (no header, no key column)."""


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one row was not imported; ``line`` is the file's line number."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class CustomerRowData:
    """One valid row: who (at least one key) and what to set."""

    line: int
    identity: ChannelIdentity | None
    external_id: str | None
    email: str | None
    name: str | None
    tier: str | None
    lifetime_value: float | None
    tags: tuple[str, ...] | None


@dataclass(slots=True)
class ImportResult:
    """What an import did (or, on a dry run, would do)."""

    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    customer_ids: list[int] = field(default_factory=list)
    dry_run: bool = False


def parse_rows(text: str) -> tuple[list[CustomerRowData], list[RowError]]:
    """Check every row of a CSV text with a header of COLUMNS (any order, at least one key).

    Raises:
        ImportFileError: no header, unknown columns, or no key column.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if not header:
        raise ImportFileError("the file is empty; the first line must name the columns")
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise ImportFileError(
            f"unknown column(s) {', '.join(unknown)}; known: {', '.join(COLUMNS)}"
        )
    if not any(k in header for k in KEYS):
        raise ImportFileError(f"no column says who the customer is: add one of {', '.join(KEYS)}")
    reader.fieldnames = header
    rows, errors = [], []
    for raw in reader:
        line = reader.line_num
        extra = raw.pop(None, None)
        if extra:
            errors.append(
                RowError(line, f"{len(header) + len(extra)} fields; the header names {len(header)}")
            )
            continue
        values = {k: (v or "").strip() for k, v in raw.items()}
        try:
            rows.append(_row(line, values))
        except ValueError as exc:
            errors.append(RowError(line, str(exc)))
    return rows, errors


def _row(line: int, values: dict[str, str]) -> CustomerRowData:
    if not any(values.get(k) for k in KEYS):
        raise ValueError(f"no {', '.join(KEYS)}: nothing says who the customer is")
    identity = None
    if values.get("identity"):
        try:
            identity = ChannelIdentity.parse(values["identity"])
        except InvalidIdentity as exc:
            raise ValueError(str(exc)) from exc
    email = values.get("email") or None
    if email is not None and not EMAIL.match(email):
        raise ValueError(f"{email!r} is not an e-mail address")
    tier = (values.get("tier") or "").lower() or None
    if tier is not None and not TIER.match(tier):
        raise ValueError(f"tier {tier!r}: use a short word such as gold or vip")
    value = None
    if values.get("lifetime_value"):
        try:
            value = float(values["lifetime_value"].replace(",", ""))
        except ValueError:
            raise ValueError(
                f"lifetime_value {values['lifetime_value']!r} is not a number"
            ) from None
        if value < 0:
            raise ValueError("lifetime_value cannot be negative")
    tags = None
    if "tags" in values and values["tags"]:
        tags = tuple(t.strip().lower() for t in re.split(r"[;|]", values["tags"]) if t.strip())
    name = values.get("name") or None
    if name is not None and len(name) > 200:
        raise ValueError("name is longer than 200 characters")
    return CustomerRowData(
        line=line,
        identity=identity,
        external_id=values.get("external_id") or None,
        email=email,
        name=name,
        tier=tier,
        lifetime_value=value,
        tags=tags,
    )


async def _find(customers: CustomerStore, row: CustomerRowData) -> Customer | None:
    if row.identity is not None:
        found = await customers.find(row.identity)
        if found is not None:
            return found
    if row.external_id is not None:
        found = await customers.find_by(external_ref=row.external_id)
        if found is not None:
            return found
    if row.email is not None:
        return await customers.find_by(email=row.email)
    return None


async def import_customers(
    customers: CustomerStore, text: str, *, dry_run: bool = False
) -> ImportResult:
    """Create or update a customer per valid row (matched by identity, external id, e-mail).

    A bad row is reported with its line and reason and never stops the good ones.
    """
    rows, errors = parse_rows(text)
    result = ImportResult(errors=list(errors), dry_run=dry_run)
    for row in rows:
        existing = await _find(customers, row)
        if dry_run:
            if existing is None:
                result.created += 1
            else:
                result.updated += 1
            continue
        if existing is None:
            existing = await customers.create(
                display_name=row.name or row.email or row.external_id or str(row.identity),
                identity=row.identity,
            )
            result.created += 1
        else:
            result.updated += 1
            if row.identity is not None and await customers.find(row.identity) is None:
                await customers.link_identity(existing.id, row.identity)
        await customers.update(
            existing.id,
            display_name=row.name,
            email=row.email,
            external_ref=row.external_id,
            tier=row.tier,
            lifetime_value=row.lifetime_value,
            tags=row.tags,
        )
        result.customer_ids.append(existing.id)
    result.errors.sort(key=lambda e: e.line)
    return result
