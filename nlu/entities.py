"""Entities from regexes, lookup tables and annotated examples, normalised by synonyms."""

from __future__ import annotations

import re
from collections import defaultdict

from nlu.data import TrainingData
from nlu.language import is_cjk
from nlu.types import Entity


def _term_pattern(term: str) -> str:
    escaped = re.escape(term)
    # Word boundaries make sense for Latin words, not between Chinese characters.
    if term and not is_cjk(term[0]) and not is_cjk(term[-1]):
        return rf"(?<!\w){escaped}(?!\w)"
    return escaped


class EntityExtractor:
    """Finds entities with offsets; regexes win over lookups where they overlap."""

    def __init__(self, data: TrainingData) -> None:
        self._regexes = [(kind, re.compile(p, re.IGNORECASE)) for kind, p in data.regexes]
        terms: dict[str, set[str]] = defaultdict(set)
        for kind, values in data.lookups:
            terms[kind].update(v for v in values if v.strip())
        for example in data.examples:
            for entity in example.entities:
                # Regex entities generalise by pattern; other annotations become a gazetteer.
                if entity.kind not in {k for k, _ in data.regexes}:
                    terms[entity.kind].add(entity.text)
        # A synonym of a known term is found as that term: "smartwatch" -> "smart watch".
        for surface, value in data.synonyms:
            for kind_terms in terms.values():
                if value in kind_terms:
                    kind_terms.add(surface)
        self._lookups = [
            (
                kind,
                re.compile(
                    "|".join(_term_pattern(t) for t in sorted(ts, key=len, reverse=True)),
                    re.IGNORECASE,
                ),
            )
            for kind, ts in sorted(terms.items())
            if ts
        ]
        self._synonyms = {surface.lower(): value for surface, value in data.synonyms}
        for example in data.examples:
            for entity in example.entities:
                if entity.value != entity.text:
                    self._synonyms.setdefault(entity.text.lower(), entity.value)

    def extract(self, text: str) -> tuple[Entity, ...]:
        """Every entity in ``text``, in order, without overlaps."""
        found: list[Entity] = []
        taken: list[tuple[int, int]] = []
        for source, patterns in (("regex", self._regexes), ("lookup", self._lookups)):
            for kind, pattern in patterns:
                for match in pattern.finditer(text):
                    start, end = match.span()
                    if start == end or any(s < end and start < e for s, e in taken):
                        continue
                    surface = match.group(0)
                    value = self._synonyms.get(surface.lower(), surface)
                    found.append(Entity(kind, value, start, end, surface, source=source))
                    taken.append((start, end))
        return tuple(sorted(found, key=lambda e: e.start))
