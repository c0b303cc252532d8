"""Training data in Rasa 3 YAML (intents, annotated entities, synonyms, regexes, lookups) or CSV."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from nlu.errors import DataError
from nlu.types import Entity

SHIPPED_DATA = Path(__file__).resolve().parent / "data"

# [text](entity), [text](entity:value) or [text]{"entity": "...", "value": "..."}
_ANNOTATION = re.compile(r"\[(?P<text>[^\[\]]+)\](?:\((?P<short>[^()]+)\)|(?P<json>\{[^{}]*\}))")


@dataclass(frozen=True, slots=True)
class Example:
    """One training sentence with its intent and annotated entities."""

    text: str
    intent: str
    entities: tuple[Entity, ...] = ()


@dataclass(frozen=True, slots=True)
class TrainingData:
    """Everything a training run learns from."""

    examples: tuple[Example, ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()
    regexes: tuple[tuple[str, str], ...] = ()
    lookups: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sources: tuple[str, ...] = field(default=())

    @property
    def intents(self) -> list[str]:
        """Every intent, sorted."""
        return sorted({e.intent for e in self.examples})

    def merge(self, other: TrainingData) -> TrainingData:
        """Both sets together."""
        return TrainingData(
            examples=self.examples + other.examples,
            synonyms=self.synonyms + other.synonyms,
            regexes=self.regexes + other.regexes,
            lookups=self.lookups + other.lookups,
            sources=self.sources + other.sources,
        )


def parse_annotated(text: str, *, path: Path, line: int) -> tuple[str, tuple[Entity, ...]]:
    """Strip Rasa entity annotations from an example, returning plain text and entities."""
    plain: list[str] = []
    entities: list[Entity] = []
    pos = 0
    length = 0
    for match in _ANNOTATION.finditer(text):
        before = text[pos : match.start()]
        plain.append(before)
        length += len(before)
        surface = match.group("text")
        if match.group("short") is not None:
            kind, _, value = match.group("short").partition(":")
            value = value or surface
        else:
            try:
                spec = json.loads(match.group("json"))
            except json.JSONDecodeError as exc:
                raise DataError(path, line, f"entity annotation is not JSON: {exc.msg}") from exc
            if not isinstance(spec, dict) or not isinstance(spec.get("entity"), str):
                raise DataError(path, line, 'entity annotation needs {"entity": "name"}')
            kind = spec["entity"]
            value = str(spec.get("value", surface))
        kind = kind.strip()
        if not kind:
            raise DataError(path, line, f"annotation [{surface}] has no entity name")
        entities.append(
            Entity(kind, value, length, length + len(surface), surface, source="annotation")
        )
        plain.append(surface)
        length += len(surface)
        pos = match.end()
    plain.append(text[pos:])
    result = "".join(plain)
    if "](" in result or "]{" in result:
        raise DataError(path, line, "unbalanced entity annotation")
    return result, tuple(entities)


def _examples(node: Node, path: Path) -> list[tuple[int, str]]:
    if not isinstance(node, ScalarNode) or not isinstance(node.value, str):
        raise DataError(path, node.start_mark.line + 1, "examples must be a block of '- ' lines")
    # A block scalar (|) starts its content on the line after the indicator.
    first = node.start_mark.line + (2 if node.style in ("|", ">") else 1)
    found = []
    for offset, raw in enumerate(node.value.splitlines()):
        stripped = raw.strip()
        if not stripped:
            continue
        line = first + offset
        if not stripped.startswith("-"):
            raise DataError(path, line, f"example must start with '- ': {stripped[:40]!r}")
        text = stripped[1:].strip()
        if not text:
            raise DataError(path, line, "empty example")
        found.append((line, text))
    if not found:
        raise DataError(path, node.start_mark.line + 1, "no examples")
    return found


def _load_yaml(path: Path) -> TrainingData:
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise DataError(path, line, f"not valid YAML: {exc.problem}") from exc
    except UnicodeDecodeError as exc:
        raise DataError(path, None, "not UTF-8 text") from exc
    if not isinstance(root, MappingNode):
        raise DataError(path, 1, "a Rasa NLU file is a mapping with an nlu: list")
    sections = {k.value: v for k, v in root.value if isinstance(k, ScalarNode)}
    nlu = sections.get("nlu")
    if nlu is None:
        raise DataError(path, 1, "no nlu: section")
    if not isinstance(nlu, SequenceNode):
        raise DataError(path, nlu.start_mark.line + 1, "nlu: must be a list")
    examples: list[Example] = []
    synonyms: list[tuple[str, str]] = []
    regexes: list[tuple[str, str]] = []
    lookups: list[tuple[str, tuple[str, ...]]] = []
    for item in nlu.value:
        line = item.start_mark.line + 1
        if not isinstance(item, MappingNode):
            raise DataError(path, line, "each nlu: entry is a mapping (intent: ..., examples: |)")
        fields = {k.value: v for k, v in item.value if isinstance(k, ScalarNode)}
        kinds = [k for k in ("intent", "synonym", "regex", "lookup") if k in fields]
        if len(kinds) != 1:
            raise DataError(path, line, "entry needs exactly one of intent, synonym, regex, lookup")
        kind = kinds[0]
        name_node = fields[kind]
        if not isinstance(name_node, ScalarNode) or not str(name_node.value).strip():
            raise DataError(path, line, f"{kind} needs a name")
        name = str(name_node.value).strip()
        if "examples" not in fields:
            raise DataError(path, line, f"{kind} {name!r} has no examples")
        rows = _examples(fields["examples"], path)
        if kind == "intent":
            for row_line, text in rows:
                plain, entities = parse_annotated(text, path=path, line=row_line)
                examples.append(Example(plain, name, entities))
        elif kind == "synonym":
            synonyms.extend((text, name) for _, text in rows)
        elif kind == "regex":
            for row_line, pattern in rows:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise DataError(path, row_line, f"bad regex for {name}: {exc}") from exc
                regexes.append((name, pattern))
        else:
            lookups.append((name, tuple(text for _, text in rows)))
    return TrainingData(
        examples=tuple(examples),
        synonyms=tuple(synonyms),
        regexes=tuple(regexes),
        lookups=tuple(lookups),
        sources=(str(path),),
    )


def _load_csv(path: Path) -> TrainingData:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if header is None:
                raise DataError(path, 1, "empty file; expected a header text,intent")
            names = [h.strip().lower() for h in header]
            label = next((n for n in ("intent", "category", "label") if n in names), None)
            if "text" not in names or label is None:
                raise DataError(path, 1, f"header must be text,intent or text,category: {header}")
            ti, li = names.index("text"), names.index(label)
            examples = []
            for row in reader:
                line = reader.line_num
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) <= max(ti, li):
                    raise DataError(path, line, f"expected {len(names)} columns, got {len(row)}")
                text, intent = row[ti].strip(), row[li].strip()
                if not text or not intent:
                    raise DataError(path, line, "empty text or label")
                examples.append(Example(text, intent))
    except UnicodeDecodeError as exc:
        raise DataError(path, None, "not UTF-8 text") from exc
    except csv.Error as exc:
        raise DataError(path, None, f"not valid CSV: {exc}") from exc
    if not examples:
        raise DataError(path, 2, "no examples")
    return TrainingData(examples=tuple(examples), sources=(str(path),))


def load_file(path: Path) -> TrainingData:
    """Load one Rasa YAML or CSV file.

    Raises:
        DataError: with the file, line and reason when it is malformed.
    """
    if not path.is_file():
        raise DataError(path, None, "no such file")
    suffix = path.suffix.lower()
    if suffix in (".yml", ".yaml"):
        return _load_yaml(path)
    if suffix == ".csv":
        return _load_csv(path)
    raise DataError(path, None, "unknown format; use .yml/.yaml (Rasa NLU) or .csv")


def training_files(paths: Iterable[Path]) -> list[Path]:
    """Expand directories into their data files, sorted, so training is reproducible."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.iterdir() if p.suffix.lower() in (".yml", ".yaml", ".csv"))
            )
        else:
            files.append(path)
    return files


def load_training_data(paths: Sequence[Path] = ()) -> TrainingData:
    """Load and merge files and directories; no paths loads the data shipped in nlu/data."""
    data = TrainingData()
    for path in training_files(paths or [SHIPPED_DATA]):
        data = data.merge(load_file(path))
    if not data.examples:
        raise DataError(paths[0] if paths else SHIPPED_DATA, None, "no intent examples")
    return data
