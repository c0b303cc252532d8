"""The care guide (handlers/data/care.yml) and what counts as a question about using a product."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from handlers import care


def test_every_topic_has_a_default_in_both_languages() -> None:
    guide = care._guide()
    assert {"first_use", "smell", "noise", "water", "heat", "clean", "other"} <= set(guide)
    for topic, by_category in guide.items():
        assert "default" in by_category, topic
        for category, texts in by_category.items():
            assert set(texts) == {"en", "zh"}, (topic, category)
            assert all("{product}" in t for t in texts.values()), (topic, category)


def test_categories_named_are_the_catalogues() -> None:
    shipped = Path(care.__file__).parent / "data" / "catalogue.csv"
    with shipped.open(encoding="utf-8") as rows:
        known = {row["category"] for row in csv.DictReader(rows)}
    for topic, by_category in care._guide().items():
        assert set(by_category) - {"default"} <= known, topic


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("there's a funny smell when it's running, normal?", "smell"),
        ("新买的有点怪味 正常么", "smell"),
        ("it buzzes quietly when on is that ok", "noise"),
        ("工作的时候嗡嗡响 有没有问题", "noise"),
        ("water collects under the lid, is that expected", "water"),
        ("外壳挺烫的 正常吗", "heat"),
        ("whats the best way to clean the jug", "clean"),
        ("水垢咋除", "clean"),
        ("do i have to rinse it before the first use", "first_use"),
        ("首次使用需要注意啥", "first_use"),
        ("is this normal", "other"),
    ],
)
def test_questions_about_using_it(text: str, topic: str) -> None:
    assert care.topic(text) == topic


@pytest.mark.parametrize(
    "text",
    [
        "is it normal that the parcel is this late",  # the parcel's
        "快递这么慢正常吗",
        "smoke came out of it, is that normal",  # a danger: the safety advice first
        "冒烟了 正常吗",
        "do you sell descaler",  # buying something for it
        "can the basket go in the dishwasher",  # an attribute of the product
        "it was supposed to arrive on monday",
        "the kettle is lovely",
    ],
)
def test_not_questions_about_using_it(text: str) -> None:
    assert care.topic(text) is None
