"""The knowledge base: FAQ entries found by intent and by how alike the question is."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from handlers.responses import LANGUAGES
from nlu.similarity import SimilarityIndex

SHIPPED_FAQ = Path(__file__).resolve().parent / "data" / "faq.yml"


class KnowledgeBaseError(ValueError):
    """The FAQ file is malformed: which entry and why."""


@dataclass(frozen=True, slots=True)
class FaqEntry:
    """One answer with the questions it answers, in every language."""

    id: str
    intent: str
    tags: tuple[str, ...]
    questions: tuple[str, ...]
    answers: tuple[tuple[str, str], ...]

    def answer(self, language: str) -> str:
        """The answer in ``language``, else English."""
        texts = dict(self.answers)
        return texts.get(language) or texts["en"]


class KnowledgeBase:
    """Finds the entry that answers a question.

    Entries of the parsed intent are preferred; among them (or among all entries, when the
    intent has none or the question is far from them) the most similar question wins.
    ``min_similarity`` keeps unrelated questions from getting a confident wrong answer.
    """

    def __init__(self, entries: list[FaqEntry], *, min_similarity: float = 0.25) -> None:
        if not entries:
            raise KnowledgeBaseError("the knowledge base has no entries")
        self.entries = entries
        self._owner: list[int] = []
        texts: list[str] = []
        for position, entry in enumerate(entries):
            for question in entry.questions:
                texts.append(question)
                self._owner.append(position)
        self._index = SimilarityIndex(texts)
        self._min = min_similarity

    @classmethod
    def load(cls, path: Path = SHIPPED_FAQ) -> KnowledgeBase:
        """Read a FAQ YAML file (see handlers/data/faq.yml for the format)."""
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise KnowledgeBaseError(f"{path}: {exc}") from exc
        if not isinstance(raw, list):
            raise KnowledgeBaseError(f"{path}: expected a list of entries")
        entries = []
        for number, item in enumerate(raw, start=1):
            where = f"{path}: entry {number}"
            if not isinstance(item, dict):
                raise KnowledgeBaseError(f"{where}: must be a mapping")
            questions = item.get("questions") or {}
            answer = item.get("answer") or {}
            if not isinstance(answer, dict) or any(not answer.get(lang) for lang in LANGUAGES):
                raise KnowledgeBaseError(f"{where}: answer needs {', '.join(LANGUAGES)}")
            flat = (
                [str(q) for qs in questions.values() for q in (qs or [])]
                if isinstance(questions, dict)
                else []
            )
            if not flat or not item.get("intent") or not item.get("id"):
                raise KnowledgeBaseError(f"{where}: needs id, intent and questions")
            entries.append(
                FaqEntry(
                    id=str(item["id"]),
                    intent=str(item["intent"]),
                    tags=tuple(str(t) for t in item.get("tags") or ()),
                    questions=tuple(flat),
                    answers=tuple((str(k), str(v).strip()) for k, v in answer.items()),
                )
            )
        return cls(entries)

    def find(self, text: str, *, intent: str | None = None) -> FaqEntry | None:
        """The best entry for the question, or None when nothing is close enough."""
        scored = self._index.query(text)
        best_by_entry: dict[int, float] = {}
        for position, score in scored:
            owner = self._owner[position]
            best_by_entry[owner] = max(best_by_entry.get(owner, 0.0), score)
        if intent is not None:
            of_intent = {i: s for i, s in best_by_entry.items() if self.entries[i].intent == intent}
            if of_intent:
                best, score = max(of_intent.items(), key=lambda kv: kv[1])
                # The intent is already known: the closest of its entries answers, unless
                # another intent's entry matches the words far better.
                overall, top = max(best_by_entry.items(), key=lambda kv: kv[1])
                return self.entries[overall if top > score + 0.3 else best]
        overall, top = max(best_by_entry.items(), key=lambda kv: kv[1])
        return self.entries[overall] if top >= self._min else None
