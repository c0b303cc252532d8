"""BERT's uncased WordPiece tokenizer in plain Python, for the static sentence embeddings.

The distilled embeddings (``nlu.encoder: minilm-static``) are a table indexed by WordPiece
token; this turns a message into those indices the same way at training and at parse time,
without PyTorch or the ``tokenizers`` package. It follows BERT's ``BasicTokenizer`` (clean,
split Chinese characters apart, lower-case, strip accents, split punctuation) and then the
greedy longest-match-first WordPiece split; a test checks it against Hugging Face's.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

MAX_WORD = 100  # longer "words" become [UNK], as in BERT


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_control(char: str) -> bool:
    if char in "\t\n\r":
        return False
    return unicodedata.category(char) in ("Cc", "Cf")


def basic_tokens(text: str) -> list[str]:
    """Words and punctuation marks, lower-cased and without accents."""
    cleaned = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD or _is_control(char):
            continue
        if char.isspace():
            cleaned.append(" ")
        elif _is_cjk(code):
            cleaned.append(f" {char} ")
        else:
            cleaned.append(char)
    tokens: list[str] = []
    for word in "".join(cleaned).lower().split():
        decomposed = unicodedata.normalize("NFD", word)
        word = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
        current: list[str] = []
        for char in word:
            if _is_punctuation(char):
                if current:
                    tokens.append("".join(current))
                    current = []
                tokens.append(char)
            else:
                current.append(char)
        if current:
            tokens.append("".join(current))
    return tokens


class WordPiece:
    """Token ids for a text: ``[CLS] pieces... [SEP]``, at most ``max_length`` in all."""

    def __init__(self, vocabulary: Sequence[str], *, max_length: int = 128) -> None:
        self.vocabulary = {piece: i for i, piece in enumerate(vocabulary)}
        self.unk = self.vocabulary["[UNK]"]
        self.cls = self.vocabulary["[CLS]"]
        self.sep = self.vocabulary["[SEP]"]
        self.max_length = max_length
        self._cache: dict[str, tuple[int, ...]] = {}

    def _pieces(self, word: str) -> tuple[int, ...]:
        known = self._cache.get(word)
        if known is not None:
            return known
        if len(word) > MAX_WORD:
            return (self.unk,)
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.vocabulary.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                pieces = [self.unk]
                break
            pieces.append(found)
            start = end
        result = tuple(pieces)
        if len(self._cache) < 50_000:
            self._cache[word] = result
        return result

    def ids(self, text: str) -> list[int]:
        ids = [self.cls]
        for word in basic_tokens(text):
            ids.extend(self._pieces(word))
        del ids[self.max_length - 1 :]
        ids.append(self.sep)
        return ids
