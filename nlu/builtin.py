"""The built-in engine: TF-IDF word and character n-grams with logistic regression, in-process."""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nlu.data import SHIPPED_DATA, TrainingData, load_training_data, training_files
from nlu.encoder import Encoder, StaticEmbeddings, distil_static, sentence_encoder
from nlu.entities import EntityExtractor
from nlu.language import detect_language
from nlu.sentiment import analyse
from nlu.types import FALLBACK, OOS_INTENTS, IntentScore, ParseResult

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer

logger = logging.getLogger(__name__)

# Word tokens: a run of letters or digits, except that every Chinese character is a token of
# its own, so that word 1-2 grams give Chinese its characters and character pairs (written
# Chinese has no spaces; a whole clause as one "word" matched nothing it had not seen).
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN_PATTERN = f"(?u)[{_CJK}]|[^\\W{_CJK}]+"

# Bump when features or the classifier change, so cached models are retrained.
ENGINE_VERSION = "6"


@dataclass(frozen=True, slots=True)
class Hyperparameters:
    """What a training run is configured with (part of the model cache key)."""

    c: float = 50.0
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (1, 4)
    max_iter: int = 2000
    # "" or a name in nlu.encoder.ENCODERS: sentence embeddings beside the n-grams (opt-in).
    encoder: str = ""


@dataclass(slots=True)
class _Block:
    """One fitted TF-IDF vectorizer, reduced to what scoring needs (no scikit-learn)."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    ngrams: tuple[int, int]


@dataclass(slots=True)
class _Model:
    word: _Block
    char: _Block
    weights: np.ndarray  # features x intents
    bias: np.ndarray
    intents: tuple[str, ...]
    extractor: EntityExtractor
    # With a sentence encoder: its name and the weights of its dimensions (dims x intents);
    # for a distilled one ("<name>-static") also its token table.
    encoder: str = ""
    dense: np.ndarray | None = None
    static: StaticEmbeddings | None = None
    # The fitted scikit-learn vectorizers, kept after training for batch scoring and tests;
    # never saved, so loading a cached model does not import scikit-learn (about 2 s).
    vectorizers: tuple[TfidfVectorizer, TfidfVectorizer] | None = None


def _block(vectorizer: TfidfVectorizer) -> _Block:
    return _Block(
        vocabulary={str(k): int(v) for k, v in vectorizer.vocabulary_.items()},
        idf=np.asarray(vectorizer.idf_, dtype=np.float64),
        ngrams=(int(vectorizer.ngram_range[0]), int(vectorizer.ngram_range[1])),
    )


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def _fit(data: TrainingData, params: Hyperparameters, step: Callable[[str], None]) -> _Model:
    # Imported here: only training needs scikit-learn, and it is slow to import.
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = [_normalise(e.text) for e in data.examples]
    labels = [e.intent for e in data.examples]
    step("word n-grams")
    word = TfidfVectorizer(
        ngram_range=params.word_ngrams, sublinear_tf=True, min_df=1, token_pattern=TOKEN_PATTERN
    )
    xw = word.fit_transform(texts)
    step("character n-grams")
    char = TfidfVectorizer(
        analyzer="char_wb", ngram_range=params.char_ngrams, sublinear_tf=True, min_df=1
    )
    xc = char.fit_transform(texts)
    blocks = [xw, xc]
    encoder: Encoder | None = None
    static = None
    if params.encoder.endswith("-static"):
        step("sentence embeddings (distilling the encoder)")
        encoder = static = distil_static(texts, name=params.encoder.removesuffix("-static"))
    elif params.encoder:
        step("sentence embeddings")
        encoder = sentence_encoder(params.encoder)
    if encoder is not None:
        blocks.append(sparse.csr_matrix(encoder.encode(texts)))
    features = sparse.hstack(blocks).tocsr()
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
    sparse_rows = xw.shape[1] + xc.shape[1]
    weights = np.ascontiguousarray(coef.T)
    return _Model(
        word=_block(word),
        char=_block(char),
        weights=weights[:sparse_rows],
        bias=bias,
        intents=intents,
        extractor=EntityExtractor(data),
        encoder=params.encoder,
        dense=weights[sparse_rows:] if params.encoder else None,
        static=static,
        vectorizers=(word, char),
    )


def _encoder_of(model: _Model) -> Encoder | None:
    """The model's own distilled table, else the named transformer (loaded once), else none."""
    if model.static is not None:
        return model.static
    return sentence_encoder(model.encoder) if model.encoder else None


_TOKEN = re.compile(TOKEN_PATTERN)
_SPACES = re.compile(r"\s\s+")


# A message is scored by two engines (the intents and the dialogue acts, same n-gram ranges by
# default), and a turn's clauses and readings score the same text again: its n-grams are
# made once and kept for the last few texts, as tuples so no caller can change them.
@lru_cache(maxsize=64)
def _word_grams(text: str, low: int, high: int) -> tuple[str, ...]:
    # The same n-grams as TfidfVectorizer(analyzer="word", token_pattern=_TOKEN).
    tokens = _TOKEN.findall(text)
    grams = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return tuple(grams)


@lru_cache(maxsize=64)
def char_wb_grams(text: str, low: int, high: int) -> tuple[str, ...]:
    # The same n-grams as TfidfVectorizer(analyzer="char_wb"): within padded words.
    grams: list[str] = []
    for word in _SPACES.sub(" ", text).split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            if n >= length:  # a short word counts once, whole, and no longer n-grams follow
                grams.append(padded)
                break
            grams.extend(padded[i : i + n] for i in range(length - n + 1))
    return tuple(grams)


class _FastScorer:
    """One message's intent logits without scikit-learn's per-call overhead.

    Computes exactly what the fitted vectorizers would (sublinear TF, IDF, L2 norm per
    block), by looking n-grams up in their vocabularies; tests check it against them.
    """

    def __init__(self, model: _Model) -> None:
        split = len(model.word.vocabulary)
        word, char = model.word, model.char
        self._blocks = (
            (
                word.vocabulary,
                word.idf,
                model.weights[:split],
                partial(_word_grams, low=word.ngrams[0], high=word.ngrams[1]),
            ),
            (
                char.vocabulary,
                char.idf,
                model.weights[split:],
                partial(char_wb_grams, low=char.ngrams[0], high=char.ngrams[1]),
            ),
        )
        self._bias = model.bias
        self._dense = model.dense
        self._encoder = _encoder_of(model)

    def logits(self, text: str) -> np.ndarray:
        logits = self._bias.astype(np.float64)
        if self._encoder is not None and self._dense is not None:
            logits += self._encoder.encode([text])[0] @ self._dense
        for vocabulary, idf, weights, grams in self._blocks:
            counts: dict[int, int] = {}
            for gram in grams(text):
                index = vocabulary.get(gram)
                if index is not None:
                    counts[index] = counts.get(index, 0) + 1
            if not counts:
                continue
            indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            values = (1.0 + np.log(tf)) * idf[indices]
            values /= np.sqrt(values @ values)
            logits += values @ weights[indices]
        return logits


class BuiltinEngine:
    """Intent, entities and sentiment in a few milliseconds, no server needed.

    Confidence is the classifier's softmax probability; under ``threshold`` the intent
    becomes ``nlu_fallback`` while ``ranking`` keeps every intent. When the training data
    has out-of-scope rows (intent ``oos`` or ``out_of_scope``), the likeliest intent must
    also lead the out-of-scope class by ``threshold`` (see ``decide``).
    """

    def __init__(self, model: _Model, *, threshold: float) -> None:
        self._model = model
        self._fast = _FastScorer(model)
        self.threshold = threshold
        self._oos = [i for i, name in enumerate(model.intents) if name in OOS_INTENTS]

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
        slim = replace(self._model, vectorizers=None)
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(slim, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Intent probabilities for many texts at once (rows follow ``intents``).

        Through scikit-learn right after training; one by one on the fast path for a model
        loaded from the cache.
        """
        m = self._model
        if m.vectorizers is None:
            return np.vstack([self.probabilities(t) for t in texts])
        from scipy import sparse

        normal = [_normalise(t) for t in texts]
        word, char = m.vectorizers
        features = sparse.hstack([word.transform(normal), char.transform(normal)]).tocsr()
        logits = np.asarray(features @ m.weights) + m.bias
        encoder = _encoder_of(m)
        if encoder is not None and m.dense is not None:
            logits += encoder.encode(normal) @ m.dense
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        probs: np.ndarray = exp / exp.sum(axis=1, keepdims=True)
        return probs

    def probabilities(self, text: str) -> np.ndarray:
        """Intent probabilities for one text (rows follow ``intents``), on the fast path."""
        logits = self._fast.logits(_normalise(text))
        exp = np.exp(logits - logits.max())
        probs: np.ndarray = exp / exp.sum()
        return probs

    def decide(self, probs: np.ndarray) -> list[str]:
        """The answers for rows of probabilities (as from ``scores``): intent names or fallback.

        Without out-of-scope training rows, the likeliest intent when its probability reaches
        the threshold. With them, the out-of-scope class when it is the likeliest, else the
        likeliest intent when it leads the out-of-scope class by the threshold: probability
        the model gives "none of these" is evidence against every intent, and counting it
        catches more out-of-scope messages per in-scope one lost than the top probability
        alone (BENCHMARKS.md, "NLU: out of scope, third pass").
        """
        rows = np.atleast_2d(probs)
        best = rows.argmax(axis=1)
        score = rows[np.arange(len(rows)), best]
        if self._oos:
            score = score - rows[:, self._oos].sum(axis=1)
        names = self._model.intents
        oos = set(self._oos)
        return [
            names[b] if b in oos or s >= self.threshold else FALLBACK
            for b, s in zip(best.tolist(), score.tolist(), strict=True)
        ]

    def parse_sync(self, text: str) -> ParseResult:
        """Understand one message (blocking; well under a millisecond for the classifier)."""
        probs = self.probabilities(text)
        order = np.argsort(-probs)
        ranking = tuple(
            IntentScore(self._model.intents[i], round(float(probs[i]), 4)) for i in order
        )
        best = ranking[0]
        intent = self.decide(probs)[0]
        mood = analyse(text)
        return ParseResult(
            text=text,
            intent=intent,
            confidence=best.confidence,
            ranking=ranking,
            entities=self._model.extractor.extract(text),
            sentiment=mood.score,
            sentiment_label=mood.label,
            language=detect_language(text) or "",
        )

    async def parse(self, text: str) -> ParseResult:
        """Understand one message."""
        return self.parse_sync(text)


def model_key(data_paths: Sequence[Path], params: Hyperparameters) -> str:
    """A hash of the training files' bytes, the settings and the library versions."""
    digest = hashlib.sha256()
    digest.update(f"{ENGINE_VERSION}|{version('scikit-learn')}|{params}".encode())
    for path in training_files(data_paths or [SHIPPED_DATA]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:16]
