"""What NLU hands to the rest of the bot."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

FALLBACK = "nlu_fallback"
# Training labels that mean "none of our business": public out-of-scope sets ship "oos" rows,
# the bot's own data calls them out_of_scope. An engine answers them as such.
OOS_INTENTS = ("oos", "out_of_scope")


class SentimentLabel(StrEnum):
    """Which way a message leans."""

    NEGATIVE = "negative"
    NEUTRAL = "neutral"
    POSITIVE = "positive"


@dataclass(frozen=True, slots=True)
class Sentiment:
    """How a message feels: a label and a score in [-1, 1] (P(positive) - P(negative))."""

    label: SentimentLabel
    score: float


@dataclass(frozen=True, slots=True)
class Entity:
    """A piece of information found in a message, with its character offsets."""

    kind: str
    value: str
    start: int
    end: int
    text: str
    source: str = "regex"


@dataclass(frozen=True, slots=True)
class IntentScore:
    """One intent and how confident the engine is in it."""

    name: str
    confidence: float


@dataclass(frozen=True, slots=True)
class ParseResult:
    """The meaning of one message.

    ``intent`` is ``nlu_fallback`` when the best intent's confidence is under the threshold;
    ``ranking`` still lists every intent, best first. ``sentiment`` is the score in
    [-1, 1] and ``sentiment_label`` the label of the same reading (``nlu.sentiment.analyse``).
    """

    text: str
    intent: str
    confidence: float
    ranking: tuple[IntentScore, ...]
    entities: tuple[Entity, ...]
    sentiment: float
    language: str
    sentiment_label: SentimentLabel = SentimentLabel.NEUTRAL

    @property
    def understood(self) -> bool:
        """False when the engine fell back."""
        return self.intent != FALLBACK

    @property
    def mood(self) -> Sentiment:
        """Sentiment label and score together."""
        return Sentiment(self.sentiment_label, self.sentiment)

    def entity(self, kind: str) -> Entity | None:
        """The first entity of a kind, if any."""
        return next((e for e in self.entities if e.kind == kind), None)

    @property
    def orders(self) -> tuple[Entity, ...]:
        """The order numbers the message names (``order_number`` entities), as named."""
        return tuple(e for e in self.entities if e.kind == "order_number")


class NluEngine(Protocol):
    """Anything that turns text into a ParseResult."""

    async def parse(self, text: str) -> ParseResult:
        """Understand one message."""
        ...
