"""Which language a message is written in: Chinese or English."""

from __future__ import annotations


def is_cjk(char: str) -> bool:
    """True for a CJK ideograph or CJK punctuation."""
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x3000 <= code <= 0x303F


def detect_language(text: str) -> str | None:
    """``zh`` when Chinese characters dominate the letters, ``en`` for Latin text, else None."""
    cjk = sum(1 for c in text if is_cjk(c))
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    if cjk == 0 and latin == 0:
        return None
    # One Chinese character carries about as much as a short English word.
    return "zh" if cjk * 3 >= latin else "en"
