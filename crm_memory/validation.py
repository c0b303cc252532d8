"""One rule for what people type: names normalised, blanks and control characters refused."""

from __future__ import annotations

import unicodedata

from crm_memory.errors import InvalidInput

# Line breaks and tabs belong in a message or a note; no other control character does.
_TEXT_CONTROLS_ALLOWED = frozenset("\n\r\t")
# Control (NUL...), unassigned surrogate halves (PostgreSQL cannot store either), and line or
# paragraph separators; format characters (Cf) stay: emoji need the zero-width joiner.
_REFUSED = frozenset({"Cc", "Cs", "Zl", "Zp"})
# Zero-width and other invisible format characters: a text of only these is blank too.
_INVISIBLE = frozenset({"Cf"})


def normalise_name(name: str) -> str:
    """An agent's (or token's) name as stored, looked up and counted: Unicode NFKC (a
    full-width "ｍaria" is "maria", an e and a combining accent one é), outer whitespace
    stripped, inner runs of whitespace one space; case kept. Never raises: the login
    counter keys on it for whatever was typed; ``check_name`` says whether it is valid."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def _is_blank(value: str) -> bool:
    return all(ch.isspace() or unicodedata.category(ch) in _INVISIBLE for ch in value)


def check_name(name: str, *, field: str = "name", max_length: int = 100) -> str:
    """The normalised name, or InvalidInput naming ``field`` when it is blank, too long or
    holds a control character (a NUL, a line break)."""
    if any(unicodedata.category(ch) in _REFUSED for ch in name):
        raise InvalidInput(field, "must not contain control characters or line breaks")
    normalised = normalise_name(name)
    if _is_blank(normalised):
        raise InvalidInput(field, "must not be blank")
    if len(normalised) > max_length:
        raise InvalidInput(field, f"at most {max_length} characters")
    return normalised


def check_text(text: str, *, field: str = "text", max_length: int = 4096) -> str:
    """The text with its outer whitespace stripped, or InvalidInput naming ``field`` when it
    is blank, too long or holds a control character other than a line break or a tab."""
    bad = next(
        (
            ch
            for ch in text
            if unicodedata.category(ch) in _REFUSED and ch not in _TEXT_CONTROLS_ALLOWED
        ),
        None,
    )
    if bad is not None:
        raise InvalidInput(field, f"must not contain control characters (U+{ord(bad):04X})")
    stripped = text.strip()
    if _is_blank(stripped):
        raise InvalidInput(field, "must not be blank")
    if len(stripped) > max_length:
        raise InvalidInput(field, f"at most {max_length} characters")
    return stripped


def check_query(text: str, *, field: str = "q", max_length: int = 200) -> str:
    """A search or filter value: may be empty, never holds a control character."""
    if any(unicodedata.category(ch) in _REFUSED for ch in text):
        raise InvalidInput(field, "must not contain control characters")
    stripped = text.strip()
    if len(stripped) > max_length:
        raise InvalidInput(field, f"at most {max_length} characters")
    return stripped
