"""Reply templates per language, from a YAML file a support lead can edit."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from string import Formatter

import yaml

SHIPPED = Path(__file__).resolve().parent / "data" / "responses.yml"
LANGUAGES = ("en", "zh")


class ResponsesError(ValueError):
    """The responses file is malformed: which key and why."""


class Responses:
    """Templates keyed by name, each in every supported language.

    Args:
        templates: ``{key: {"en": "...", "zh": "..."}}``.
        default_language: used when a customer's language is unknown or unsupported.
    """

    def __init__(
        self, templates: Mapping[str, Mapping[str, str]], *, default_language: str = "en"
    ) -> None:
        for key, variants in templates.items():
            missing = [lang for lang in LANGUAGES if not variants.get(lang)]
            if missing:
                raise ResponsesError(f"response {key!r} lacks {', '.join(missing)}")
            fields = [
                {f for _, f, _, _ in Formatter().parse(variants[lang]) if f} for lang in LANGUAGES
            ]
            if fields[0] != fields[1]:
                raise ResponsesError(f"response {key!r} uses different fields per language")
        self._templates = {k: dict(v) for k, v in templates.items()}
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

    def render(self, key: str, language: str, /, **values: object) -> str:
        """The template ``key`` in ``language`` with ``values`` filled in."""
        variants = self._templates[key]
        lang = language if language in variants else self.default_language
        return variants[lang].format(**values).strip()


def _read(path: Path) -> dict[str, dict[str, str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ResponsesError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ResponsesError(f"{path}: expected a mapping of response names")
    result: dict[str, dict[str, str]] = {}
    for key, variants in data.items():
        if not isinstance(variants, dict):
            raise ResponsesError(f"{path}: {key} must map languages to text")
        result[str(key)] = {str(k): str(v) for k, v in variants.items()}
    return result
