"""The built-in engine: TF-IDF word and character n-grams with logistic regression, in-process."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sklearn
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from nlu.data import SHIPPED_DATA, TrainingData, load_training_data, training_files
from nlu.entities import EntityExtractor
from nlu.language import detect_language
from nlu.sentiment import sentiment
from nlu.types import FALLBACK, IntentScore, ParseResult

logger = logging.getLogger(__name__)

# Bump when features or the classifier change, so cached models are retrained.
ENGINE_VERSION = "1"


@dataclass(frozen=True, slots=True)
class Hyperparameters:
    """What a training run is configured with (part of the model cache key)."""

    c: float = 20.0
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (1, 4)
    max_iter: int = 2000


@dataclass(slots=True)
class _Model:
    word: TfidfVectorizer
    char: TfidfVectorizer
    weights: np.ndarray  # features x intents
    bias: np.ndarray
    intents: tuple[str, ...]
    extractor: EntityExtractor


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def _fit(data: TrainingData, params: Hyperparameters, step: Callable[[str], None]) -> _Model:
    texts = [_normalise(e.text) for e in data.examples]
    labels = [e.intent for e in data.examples]
    step("word n-grams")
    word = TfidfVectorizer(
        ngram_range=params.word_ngrams, sublinear_tf=True, min_df=1, token_pattern=r"(?u)\b\w+\b"
    )
    xw = word.fit_transform(texts)
    step("character n-grams")
    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=params.char_ngrams, sublinear_tf=True, min_df=1
    )
    xc = char.fit_transform(texts)
    features = sparse.hstack([xw, xc]).tocsr()
    step("classifier")
    classifier = LogisticRegression(C=params.c, max_iter=params.max_iter)
    classifier.fit(features, labels)
    step("entities")
    intents = tuple(str(c) for c in classifier.classes_)
    coef = np.asarray(classifier.coef_, dtype=np.float32)
    bias = np.asarray(classifier.intercept_, dtype=np.float32)
    if len(intents) == 2:  # binary LR keeps one row; make it two for a uniform softmax
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        bias = np.array([-bias[0] / 2, bias[0] / 2], dtype=np.float32)
    return _Model(
        word=word,
        char=char,
        weights=np.ascontiguousarray(coef.T),
        bias=bias,
        intents=intents,
        extractor=EntityExtractor(data),
    )


class BuiltinEngine:
    """Intent, entities and sentiment in a few milliseconds, no server needed.

    Confidence is the classifier's softmax probability; under ``threshold`` the intent
    becomes ``nlu_fallback`` while ``ranking`` keeps every intent.
    """

    def __init__(self, model: _Model, *, threshold: float) -> None:
        self._model = model
        self.threshold = threshold

    @property
    def intents(self) -> tuple[str, ...]:
        """The intents this model knows."""
        return self._model.intents

    @classmethod
    def train(
        cls,
        data: TrainingData,
        *,
        threshold: float,
        params: Hyperparameters | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> BuiltinEngine:
        """Train on ``data``; ``progress`` hears the name of each step as it starts."""
        if len(data.intents) < 2:
            raise ValueError("training needs at least two intents")
        return cls(
            _fit(data, params or Hyperparameters(), progress or (lambda _: None)),
            threshold=threshold,
        )

    @classmethod
    def load_or_train(
        cls,
        *,
        data_paths: Sequence[Path],
        model_dir: Path,
        threshold: float,
        params: Hyperparameters | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> tuple[BuiltinEngine, bool]:
        """Reuse the cached model for these files and settings, or train and cache one.

        Returns:
            The engine, and True when it was trained now rather than loaded.
        """
        params = params or Hyperparameters()
        key = model_key(data_paths, params)
        path = model_dir / f"builtin-{key}.pkl"
        if path.exists():
            try:
                with path.open("rb") as handle:
                    model = pickle.load(handle)
                if isinstance(model, _Model):
                    return cls(model, threshold=threshold), False
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
                logger.warning("cached NLU model %s unreadable (%s); retraining", path, exc)
        data = load_training_data(list(data_paths))
        engine = cls.train(data, threshold=threshold, params=params, progress=progress)
        engine.save(path)
        return engine, True

    def save(self, path: Path) -> None:
        """Write the model atomically, so a crash never leaves half a file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(self._model, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Intent probabilities for many texts at once (rows follow ``intents``)."""
        normal = [_normalise(t) for t in texts]
        m = self._model
        features = sparse.hstack([m.word.transform(normal), m.char.transform(normal)]).tocsr()
        logits = np.asarray(features @ m.weights) + m.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        probs: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
        return probs

    def parse_sync(self, text: str) -> ParseResult:
        """Understand one message (blocking; a few milliseconds)."""
        probs = self.scores([text])[0]
        order = np.argsort(-probs)
        ranking = tuple(
            IntentScore(self._model.intents[i], round(float(probs[i]), 4)) for i in order
        )
        best = ranking[0]
        intent = best.name if best.confidence >= self.threshold else FALLBACK
        return ParseResult(
            text=text,
            intent=intent,
            confidence=best.confidence,
            ranking=ranking,
            entities=self._model.extractor.extract(text),
            sentiment=round(sentiment(text), 4),
            language=detect_language(text) or "",
        )

    async def parse(self, text: str) -> ParseResult:
        """Understand one message."""
        return self.parse_sync(text)


def model_key(data_paths: Sequence[Path], params: Hyperparameters) -> str:
    """A hash of the training files' bytes, the settings and the library versions."""
    digest = hashlib.sha256()
    digest.update(f"{ENGINE_VERSION}|{sklearn.__version__}|{params}".encode())
    for path in training_files(data_paths or [SHIPPED_DATA]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:16]
