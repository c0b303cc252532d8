"""NLU: what a customer's message means (intent, entities, sentiment), from Rasa-format data."""

from nlu.builtin import BuiltinEngine
from nlu.data import Example, TrainingData, load_training_data
from nlu.errors import DataError, NluError, NluUnavailable
from nlu.types import FALLBACK, Entity, IntentScore, NluEngine, ParseResult

__all__ = [
    "FALLBACK",
    "BuiltinEngine",
    "DataError",
    "Entity",
    "Example",
    "IntentScore",
    "NluEngine",
    "NluError",
    "NluUnavailable",
    "ParseResult",
    "TrainingData",
    "load_training_data",
]
