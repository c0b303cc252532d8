"""Reply templates per language, from a YAML file a support lead can edit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from string import Formatter

import yaml

from handlers import yaml_text

SHIPPED = Path(__file__).resolve().parent / "data" / "responses.yml"
LANGUAGES = ("en", "zh")


class ResponsesError(ValueError):
    """The responses file is malformed: which key and why."""


class Responses:
    """Templates keyed by name, each in every supported language.

    A language may have several wordings (a YAML list); ``variant`` picks one, so replies do
    not repeat themselves word for word.

    Args:
        templates: ``{key: {"en": "..." or ["...", "..."], "zh": ...}}``.
        default_language: used when a customer's language is unknown or unsupported.
    """

    def __init__(
        self,
        templates: Mapping[str, Mapping[str, str | Sequence[str]]],
        *,
        default_language: str = "en",
    ) -> None:
        self._templates: dict[str, dict[str, tuple[str, ...]]] = {}
        for key, variants in templates.items():
            wordings = {
                lang: (text,) if isinstance(text, str) else tuple(text)
                for lang, text in variants.items()
            }
            missing = [
                lang for lang in LANGUAGES if not any(w.strip() for w in wordings.get(lang, ()))
            ]
            if missing:
                raise ResponsesError(f"response {key!r} lacks {', '.join(missing)}")
            fields = {
                frozenset(f for _, f, _, _ in Formatter().parse(w) if f)
                for lang in LANGUAGES
                for w in wordings[lang]
            }
            if len(fields) > 1:
                raise ResponsesError(
                    f"response {key!r} uses different fields in its wordings or languages"
                )
            self._templates[key] = wordings
        self.default_language = default_language

    @classmethod
    def load(cls, override: Path | None = None, *, default_language: str = "en") -> Responses:
        """The shipped templates, with any keys of ``override`` replacing them."""
        templates = _read(SHIPPED)
        if override is not None:
            for key, variants in _read(override).items():
                templates[key] = {**templates.get(key, {}), **variants}
        return cls(templates, default_language=default_language)

    def __contains__(self, key: object) -> bool:
        return key in self._templates

    def wordings(self, key: str, language: str) -> int:
        """How many wordings the template ``key`` has in ``language``."""
        variants = self._templates[key]
        return len(variants.get(language) or variants[self.default_language])

    def render(self, key: str, language: str, /, *, variant: int = 0, **values: object) -> str:
        """The template ``key`` in ``language`` (its ``variant``-th wording) with ``values``."""
        variants = self._templates[key]
        lang = language if language in variants else self.default_language
        wordings = variants[lang]
        return wordings[variant % len(wordings)].format(**values).strip()


def _read(path: Path) -> dict[str, dict[str, str | Sequence[str]]]:
    try:
        data = yaml_text.parse(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ResponsesError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ResponsesError(f"{path}: expected a mapping of response names")
    result: dict[str, dict[str, str | Sequence[str]]] = {}
    for key, variants in data.items():
        if not isinstance(variants, dict):
            raise ResponsesError(f"{path}: {key} must map languages to text")
        result[str(key)] = {
            str(k): [str(w) for w in v] if isinstance(v, list) else str(v)
            for k, v in variants.items()
        }
    return result
