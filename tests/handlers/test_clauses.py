"""Splitting a message into its requests: where only a comma stands between two questions."""

from __future__ import annotations

import pytest

from handlers.clauses import clauses


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # Two questions with only a comma between them: two requests.
        (
            "do you ship to canada, do i need the receipt for the warranty",
            ["do you ship to canada", "do i need the receipt for the warranty"],
        ),
        (
            "where is my order A-1001, can i get an invoice for it",
            ["where is my order A-1001", "can i get an invoice for it"],
        ),
        # A condition, a reply, a word or two, or a bare follow-up: one request.
        ("if its broken, can i return it", ["if its broken, can i return it"]),
        ("ok so, can you check it", ["ok so, can you check it"]),
        ("the kettle, is it waterproof", ["the kettle, is it waterproof"]),
        ("what about the second one, when exactly", ["what about the second one, when exactly"]),
    ],
)
def test_a_comma_between_two_questions(text: str, parts: list[str]) -> None:
    assert clauses(text) == parts
