"""A case's ``order: N`` line names one order exactly (order 1234 is not on 12345's case)."""

from __future__ import annotations

from handlers.orders import names_order, with_order


def test_an_order_line_names_exactly_its_order() -> None:
    summary = "leave it with next door\norder: 12345"
    assert names_order(summary, "12345")
    assert not names_order(summary, "1234")
    assert not names_order("order: A-1001-B", "A-1001")
    # Another order gets its own line; the same order is not added twice.
    assert with_order(summary, "1234") == summary + "\norder: 1234"
    assert with_order(summary, "12345") == summary
