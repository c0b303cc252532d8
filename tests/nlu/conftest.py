"""One engine trained on the shipped data, shared by the NLU tests (training takes seconds)."""

from __future__ import annotations

import pytest

from nlu import BuiltinEngine, load_training_data


@pytest.fixture(scope="session")
def engine() -> BuiltinEngine:
    return BuiltinEngine.train(load_training_data(), threshold=0.35)
