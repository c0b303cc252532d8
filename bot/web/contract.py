"""The API's contract in types: id and paging parameters, ISO dates, and the one error shape."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, BeforeValidator, WithJsonSchema

from crm_memory import NotFound

# Every id is a database integer (SQLite INTEGER, PostgreSQL BIGINT): 1 .. 2^63-1.
MAX_ID = 2**63 - 1
MAX_PAGE = 200


class Problem(BaseModel):
    """Every error the API answers has this body (401, 403, 404, 405, 409, 410, 413, 415,
    422, 502)."""

    detail: str


def _exists(missing: str) -> Callable[[int], int]:
    def check(value: int) -> int:
        # Well-formed but outside what the database can hold: no such record (404), not a
        # malformed request (422) and never an overflow inside the driver (500).
        if not 1 <= value <= MAX_ID:
            raise NotFound(missing.format(value))
        return value

    return check


def _id_path(what: str) -> Any:
    return Path(
        description=f"The {what}'s id.",
        json_schema_extra={"format": "int64", "minimum": 1, "maximum": MAX_ID},
    )


# A path id: not an integer → 422; an integer no row can have → 404.
CustomerId = Annotated[int, _id_path("customer"), AfterValidator(_exists("no customer with id {}"))]
CaseNumber = Annotated[int, _id_path("case"), AfterValidator(_exists("there is no case #{}"))]
FeedbackId = Annotated[int, _id_path("feedback"), AfterValidator(_exists("no feedback with id {}"))]
TokenId = Annotated[int, _id_path("token"), AfterValidator(_exists("no token with id {}"))]
MediaId = Annotated[int, _id_path("media"), AfterValidator(_exists("no media with id {}"))]

Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="How many to skip.")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"At most {MAX_PAGE}.")]
Before = Annotated[
    int | None, Query(ge=1, le=MAX_ID, description="Only messages with ids below this.")
]

_ISO_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?"
)
_HOW = "give an ISO date, 2026-11-01 or 2026-11-01T09:00Z"


def _iso(value: object) -> datetime:
    """An ISO 8601 date or date-time in UTC; numbers (Unix time) and anything else → 422."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        text = value.strip().replace("t", "T").replace("z", "Z")
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not a real date: {_HOW}") from None
    else:
        raise ValueError(f"{_HOW} (not Unix time)")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:00-05:00 is past the last representable day
        raise ValueError("the date is out of range") from None


IsoDateTime = Annotated[
    datetime,
    BeforeValidator(_iso),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the errors an operation can answer, all with ``Problem``."""
    return {status: {"model": Problem, "description": _MEANING[status]} for status in statuses}


_MEANING = {
    400: "The request could not be read.",
    401: "No valid session or token (no data is sent).",
    403: "Out of role or token scope, or a session request without its CSRF token.",
    404: "No such record.",
    409: "The action does not fit the record's state (closing a closed case).",
    410: "The file was erased or expired.",
    413: "The body is larger than web.max_body_bytes (uploads: media.max_file_mb).",
    415: "The file's type is not accepted, or its content is not of that type.",
    422: "Invalid input; the detail names the field.",
    502: "The Bot API could not give the file.",
}
