"""Dialogue acts: what a message does in the conversation (a yes, "how long?", "as I said...")."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from nlu import BuiltinEngine, load_training_data

logger = logging.getLogger(__name__)

# handlers/data/acts/{en,zh}.yml: the examples, and README.md for where they came from.
ACTS_DATA = Path(__file__).parent / "data" / "acts"


class Act(StrEnum):
    """What a message does, read against the bot's last turn."""

    AFFIRM = "affirm"
    DENY = "deny"
    ACKNOWLEDGE = "acknowledge"
    THANKS = "thanks"
    NO_ORDER_NUMBER = "no_order_number"
    ASK_HOW_LONG = "ask_how_long"
    ASK_WHY = "ask_why"
    ASK_CASE_STATUS = "ask_case_status"
    ASK_WHAT_NEXT = "ask_what_next"
    WANTS_PERSON = "wants_person"
    WHAT_ABOUT_OTHER = "what_about_other"
    REFUND_NOT_RECEIVED = "refund_not_received"
    NEVER_DELIVERED = "never_delivered"
    ASK_CARRIER = "ask_carrier"
    ASK_PRICE = "ask_price"
    SUGGESTION = "suggestion"
    COMPLAINT_MORE = "complaint_more"
    BYE = "bye"  # also "never mind", "forget it", "我再看看"
    CHITCHAT = "chitchat"
    # A request of its own ("do you ship to canada?"): the main NLU reads it. The hard
    # negatives of the acts above are labelled so.
    NEW_REQUEST = "new_request"


# The lowest confidence at which an act is acted on; under it the message is read as a
# request of its own. Chosen by 5-fold cross-validation on the act data (bench/acts_cv.py;
# figures in handlers/data/acts/README.md), never on conversation files.
THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class ActScore:
    """The act a message most likely performs and the classifier's confidence in it."""

    act: Act
    confidence: float


class ActReader:
    """Classifies a message into a dialogue act with the built-in engine and its own data.

    The model is trained (or loaded from ``model_dir``) on first use, once per reader.
    """

    def __init__(
        self, *, data: Path = ACTS_DATA, model_dir: Path | None = None, threshold: float = THRESHOLD
    ) -> None:
        self._data = data
        self._model_dir = model_dir
        self.threshold = threshold
        self._engine: BuiltinEngine | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> BuiltinEngine:
        """The trained classifier (trained or loaded now if need be)."""
        with self._lock:
            if self._engine is None:
                if self._model_dir is not None:
                    self._engine, trained = BuiltinEngine.load_or_train(
                        data_paths=[self._data], model_dir=self._model_dir, threshold=0.0
                    )
                else:
                    trained = True
                    self._engine = BuiltinEngine.train(
                        load_training_data([self._data]), threshold=0.0
                    )
                if trained:
                    logger.info("trained the dialogue-act model (%d acts)", len(Act))
            return self._engine

    def score(self, text: str) -> ActScore:
        """The most likely act of ``text``, whatever its confidence."""
        engine = self.engine
        probs = engine.probabilities(text)
        best = int(probs.argmax())
        return ActScore(Act(engine.intents[best]), float(probs[best]))

    def read(self, text: str) -> Act | None:
        """The act ``text`` performs, or None when it is a request of its own or unsure."""
        if not text.strip():
            return None
        scored = self.score(text)
        if scored.act is Act.NEW_REQUEST or scored.confidence < self.threshold:
            return None
        return scored.act


@cache
def shipped_acts() -> ActReader:
    """One reader of the shipped act data per process, trained in memory on first use."""
    return ActReader()
