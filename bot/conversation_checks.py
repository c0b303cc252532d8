"""The checks of a conversation file's expectations against what the bot did in one turn."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crm_memory import Case, CaseStatus, Priority, SurveyResponse
from handlers.types import Reply

CASE_EFFECTS = {"none", "opened", "updated", "escalated", "closed", "reopened"}


class ConversationFileError(ValueError):
    """A conversation file is malformed: which file, where and why."""


def _words(value: object) -> list[str | list[str]]:
    items = value if isinstance(value, list) else [value]
    return [[str(i) for i in item] if isinstance(item, list) else str(item) for item in items]


def _language_of(text: str) -> str:
    return "zh" if any("\u4e00" <= c <= "\u9fff" for c in text) else "en"


def fill(text: str, case: Case | None, name: str) -> str:
    return text.replace("{case}", str(case.number) if case else "?").replace("{name}", name)


def check(
    expect: dict[str, Any],
    *,
    replies: Sequence[Reply],
    before: dict[int, Case],
    after: dict[int, Case],
    intents: Sequence[str],
    name: str,
    default_language: str,
    ratings: Sequence[SurveyResponse],
    where: str,
) -> list[str]:
    """What is not as expected after one turn (empty when all is); ``before`` and ``after``
    are the customer's cases around the turn, ``intents`` what the bot acted on."""
    problems: list[str] = []
    latest = max(after.values(), key=lambda c: c.number, default=None)
    text = "\n".join(r.text for r in replies)
    lowered = text.lower()
    payloads = [b.payload for r in replies for b in r.buttons]

    if "intent" in expect:
        wanted = {str(i) for i in _listed(expect["intent"])}
        if not wanted.intersection(intents):
            problems.append(f"intent: wanted {sorted(wanted)}, acted on {list(intents)}")
    if "intents" in expect:
        wanted_seq = [str(i) for i in _listed(expect["intents"])]
        if not _subsequence(wanted_seq, list(intents)):
            problems.append(f"intents: wanted {wanted_seq} in order, got {list(intents)}")
    for item in _words(expect.get("contains", [])):
        options = item if isinstance(item, list) else [item]
        options = [fill(o, latest, name).lower() for o in options]
        if not any(o in lowered for o in options):
            problems.append(f"contains: none of {options}")
    for item in _words(expect.get("not_contains", [])):
        options = item if isinstance(item, list) else [item]
        for option in options:
            if fill(option, latest, name).lower() in lowered:
                problems.append(f"not_contains: {option!r} is there")
    if "case" in expect:
        effect = str(expect["case"])
        if effect not in CASE_EFFECTS:
            raise ConversationFileError(f"{where}: case is one of {sorted(CASE_EFFECTS)}")
        happened = _effects(before, after)
        if effect == "none" and happened:
            problems.append(f"case: wanted none, got {sorted(happened)}")
        elif effect != "none" and effect not in happened:
            problems.append(f"case: wanted {effect}, got {sorted(happened) or ['none']}")
    if "cases" in expect and len(after) != int(expect["cases"]):
        problems.append(f"cases: wanted {expect['cases']}, the customer has {len(after)}")
    if "priority" in expect:
        wanted_priority = Priority(str(expect["priority"]))
        if latest is None or latest.priority.rank < wanted_priority.rank:
            got = latest.priority.value if latest else "no case"
            problems.append(f"priority: wanted at least {wanted_priority.value}, got {got}")
    if "order" in expect:
        order = str(expect["order"]).strip().upper()
        summary = (latest.summary if latest else "").upper().replace("-", "")
        if f"ORDER: {order.replace('-', '')}" not in summary:
            problems.append(f"order: {order} is not on the latest case")
    for prefix in _listed(expect.get("buttons", [])):
        wanted_payload = fill(str(prefix), latest, name)
        if not any(p.startswith(wanted_payload) for p in payloads):
            problems.append(f"buttons: no {wanted_payload!r} among {payloads}")
    for prefix in _listed(expect.get("no_buttons", [])):
        unwanted = fill(str(prefix), latest, name)
        if any(p.startswith(unwanted) for p in payloads):
            problems.append(f"no_buttons: {unwanted!r} was offered")
    if replies and expect.get("silent") is not True:
        language = str(expect.get("language") or default_language)
        if _language_of(text) != language:
            problems.append(f"language: wanted {language}, the reply is {_language_of(text)}")
    if expect.get("silent") is True and replies:
        problems.append(f"silent: the bot sent {len(replies)} message(s)")
    if expect.get("silent") is False and not replies:
        problems.append("silent: the bot sent nothing")
    if "replies" in expect and len(replies) != int(expect["replies"]):
        problems.append(f"replies: wanted {expect['replies']}, got {len(replies)}")
    if "rating" in expect or "comment" in expect:
        last = max(ratings, key=lambda r: r.id, default=None)
        if "rating" in expect and (last is None or last.rating != int(expect["rating"])):
            problems.append(f"rating: wanted {expect['rating']}, got {last and last.rating}")
        for word in _words(expect.get("comment", [])):
            options = word if isinstance(word, list) else [word]
            comment = (last.comment or "").lower() if last else ""
            if not any(o.lower() in comment for o in options):
                problems.append(f"comment: none of {options} in {comment!r}")
    return problems


def _listed(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else [value]


def _subsequence(wanted: list[str], got: list[str]) -> bool:
    position = 0
    for intent in got:
        if position < len(wanted) and intent == wanted[position]:
            position += 1
    return position == len(wanted)


def _effects(before: dict[int, Case], after: dict[int, Case]) -> set[str]:
    happened: set[str] = set()
    for number, case in after.items():
        old = before.get(number)
        if old is None:
            happened.add("opened")
            if case.escalated_at is not None:
                happened.add("escalated")
            continue
        if old.escalated_at is None and case.escalated_at is not None:
            happened.add("escalated")
        if old.status is not CaseStatus.CLOSED and case.status is CaseStatus.CLOSED:
            happened.add("closed")
        if old.status is CaseStatus.CLOSED and case.status is not CaseStatus.CLOSED:
            happened.add("reopened")
        if case.summary != old.summary or case.priority is not old.priority:
            happened.add("updated")
    return happened
