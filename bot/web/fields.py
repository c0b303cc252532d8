"""What the API and the desk's forms accept: crm_memory's one rule for typed input, as types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from crm_memory import InvalidInput, check_name, check_query, check_text


def checked(check: Callable[[str], str]) -> AfterValidator:
    """A pydantic validator from a crm_memory check; the 422 names the field and the reason."""

    def run(value: str | None) -> str | None:
        if value is None:  # an optional parameter left out
            return None
        try:
            return check(value)
        except InvalidInput as exc:
            raise PydanticCustomError("invalid_input", exc.reason) from None

    return AfterValidator(run)


Name = Annotated[str, Field(min_length=1, max_length=100), checked(check_name)]
"""An agent's or a token's name: normalised; blank or control characters refused."""

Text = Annotated[
    str,
    Field(min_length=1, max_length=4096, description="What to send or note."),
    checked(lambda v: check_text(v, max_length=4096)),
]
"""What an agent writes: stripped; blank or control characters (but line breaks) refused."""

Note = Annotated[
    str,
    Field(min_length=1, max_length=2000, description="What changed, for the customer."),
    checked(lambda v: check_text(v, max_length=2000)),
]

Search = checked(check_query)
"""For query parameters (search text, tags, owners): may be empty; no control characters."""
