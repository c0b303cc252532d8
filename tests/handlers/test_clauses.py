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


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        # Requests counted out: each its own, the markers and the announcement dropped.
        (
            "so a few things, first my order A-1001 hasnt come yet, second i need an invoice "
            "for it, and third do you sell toasters",
            ["my order A-1001 hasnt come yet", "i need an invoice for it", "do you sell toasters"],
        ),
        (
            "1) where is my order A-1002 2) can i pay with paypal 3) do you sell toasters",
            ["where is my order A-1002", "can i pay with paypal", "do you sell toasters"],
        ),
        (
            "firstly the kettle leaks, secondly nobody answered my email",
            ["the kettle leaks", "nobody answered my email"],
        ),
        (
            "第一A-1002什么时候发货，第二能用花呗吗",
            ["A-1002什么时候发货", "能用花呗吗"],
        ),
        # Announced, then asked with commas: a short first question is one too.
        (
            "couple of questions: where is A-1001, can I get an invoice for it, and is the "
            "air fryer in stock",
            ["where is A-1001", "can I get an invoice for it", "is the air fryer in stock"],
        ),
        ("有几个问题：运费多少，能开发票吗", ["运费多少", "能开发票吗"]),
        # Not a list: an ordinal inside a story, or a first with no second.
        (
            "i ordered two kettles, second one arrived broken",
            ["i ordered two kettles, second one arrived broken"],
        ),
        (
            "first time ordering, do you ship to ireland",
            ["first time ordering, do you ship to ireland"],
        ),
        ("the first one came but not the second", ["the first one came but not the second"]),
        ("a few things", ["a few things"]),
    ],
)
def test_requests_counted_out_or_announced(text: str, parts: list[str]) -> None:
    assert clauses(text) == parts
