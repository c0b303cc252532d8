"""Loading Rasa YAML and CSV training data, and reporting malformed files precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu import DataError, load_training_data
from nlu.data import load_file

REQUIRED = {
    "greet",
    "goodbye",
    "thanks",
    "affirm",
    "deny",
    "ask_order_status",
    "ask_delivery",
    "ask_returns_refunds",
    "ask_payment",
    "ask_account",
    "ask_opening_hours",
    "ask_product_info",
    "ask_product_availability",
    "ask_bot_identity",
    "complaint",
    "feedback_positive",
    "feedback_negative",
    "request_human",
    "out_of_scope",
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_data_covers_every_intent_in_both_languages() -> None:
    data = load_training_data()
    assert set(data.intents) >= REQUIRED
    for intent in REQUIRED:
        texts = [e.text for e in data.examples if e.intent == intent]
        assert len(texts) >= 25, intent
        assert any(any("\u4e00" <= c <= "\u9fff" for c in t) for t in texts), intent
        assert any(t.isascii() for t in texts), intent
    kinds = {e.kind for ex in data.examples for e in ex.entities} | {k for k, _ in data.regexes}
    assert {"order_number", "email", "phone", "product"} <= kinds


def test_rasa_yaml_with_every_annotation_form(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "nlu.yml",
        """version: "3.1"
nlu:
- intent: ask_order_status
  examples: |
    - where is [A-1001](order_number)
    - status of [my kettle](product:kettle) please
    - track [the blender]{"entity": "product", "value": "blender"} order
- synonym: kettle
  examples: |
    - tea kettle
- regex: order_number
  examples: |
    - [A-Z]-\\d{4}
- lookup: product
  examples: |
    - toaster
""",
    )
    data = load_file(path)
    first, second, third = data.examples
    assert first.text == "where is A-1001"
    (entity,) = first.entities
    assert (entity.kind, entity.value, entity.start, entity.end) == (
        "order_number",
        "A-1001",
        9,
        15,
    )
    assert second.text == "status of my kettle please"
    assert (second.entities[0].value, second.entities[0].text) == ("kettle", "my kettle")
    assert third.text == "track the blender order"
    assert third.entities[0].value == "blender" and third.entities[0].start == 6
    assert data.synonyms == (("tea kettle", "kettle"),)
    assert data.regexes == (("order_number", "[A-Z]-\\d{4}"),)
    assert data.lookups == (("product", ("toaster",)),)


def test_csv_with_intent_or_category_column(tmp_path: Path) -> None:
    a = write(tmp_path, "a.csv", "text,intent\nhello,greet\nbye,goodbye\n")
    b = write(tmp_path, "b.csv", 'text,category\n"card, lost",lost_card\n')
    assert [(e.text, e.intent) for e in load_file(a).examples] == [
        ("hello", "greet"),
        ("bye", "goodbye"),
    ]
    assert [(e.text, e.intent) for e in load_file(b).examples] == [("card, lost", "lost_card")]


def test_directory_loads_every_file(tmp_path: Path) -> None:
    write(tmp_path, "a.csv", "text,intent\nhello,greet\n")
    write(tmp_path, "b.yml", "nlu:\n- intent: goodbye\n  examples: |\n    - bye\n")
    write(tmp_path, "notes.txt", "ignored")
    assert load_training_data([tmp_path]).intents == ["goodbye", "greet"]


@pytest.mark.parametrize(
    ("name", "text", "line", "reason"),
    [
        ("a.yml", "nlu:\n- intent: greet\n  examples: |\n    - hi\n    hello\n", 5, "'- '"),
        ("b.yml", "nlu:\n- intent: greet\n  examples: |\n    - hi\n    -\n", 5, "empty example"),
        ("c.yml", "nlu:\n- intent: greet\n", 2, "no examples"),
        ("d.yml", "nlu:\n- examples: |\n    - hi\n", 2, "exactly one of"),
        ("e.yml", "nlu:\n  intent: greet\n", 2, "must be a list"),
        ("f.yml", "stories: []\n", 1, "no nlu: section"),
        ("g.yml", "nlu:\n- intent: greet\n  examples: |\n    - hi [x]{bad json}\n", 4, "JSON"),
        ("h.yml", "nlu:\n- regex: id\n  examples: |\n    - ([a-z\n", 4, "bad regex"),
        ("i.yml", "nlu: [\n", 2, "not valid YAML"),
        ("j.csv", "words,label2\nhi,greet\n", 1, "header"),
        ("k.csv", "text,intent\nhi,greet\nbye\n", 3, "columns"),
        ("l.csv", "text,intent\n,greet\n", 2, "empty text"),
    ],
)
def test_malformed_files_name_file_line_and_reason(
    tmp_path: Path, name: str, text: str, line: int, reason: str
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(DataError) as info:
        load_file(path)
    assert info.value.path == path
    assert info.value.line == line, str(info.value)
    assert reason in info.value.reason
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="unknown format"):
        load_file(write(tmp_path, "x.json", "{}"))
    with pytest.raises(DataError, match="no such file"):
        load_file(tmp_path / "absent.yml")
