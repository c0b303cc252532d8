"""Which FAQ entry each known message finds, so that a change to the knowledge base that
moves other messages to another entry (or to none) is seen, not found out later.

The knowledge base matches by how alike texts are and by which words few entries share: a
new entry or question can take messages from an old one. The expected results are kept in
tests/handlers/data/faq-found.tsv; after a change that is meant, rewrite it with
``UPDATE_FAQ_FOUND=1 pytest tests/handlers/test_faq_found.py`` and read its diff.
"""

from __future__ import annotations

import csv
import functools
import os
from pathlib import Path

from handlers.knowledge import KnowledgeBase

DATA = Path(__file__).parent / "data"
FOUND = DATA / "faq-found.tsv"
HEADER = ("source", "intent", "text", "found")


def _messages(kb: KnowledgeBase) -> list[tuple[str, str, str]]:
    """(source, intent the message is read with, text): every entry's own questions, read
    with the entry's intent; the hand-written questions, with their entry's intent; the
    messages no entry answers, with none."""
    rows = [(f"faq:{e.id}", e.intent, q) for e in kb.entries for q in e.questions]
    with (DATA / "faq-asked-dev.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            entry = kb.entry(row["entry_id"].rstrip("*"))
            assert entry is not None, f"faq-asked-dev.tsv names no entry: {row['entry_id']}"
            rows.append((f"asked:{entry.id}", entry.intent, row["text"]))
    with (DATA / "faq-not-asked-dev.tsv").open(encoding="utf-8") as f:
        rows += [(f"other:{r['kind']}", "", r["text"]) for r in csv.DictReader(f, delimiter="\t")]
    return rows


@functools.cache
def _found_now() -> tuple[tuple[str, str, str, str], ...]:
    return tuple(_found(KnowledgeBase.load()))


def _found(kb: KnowledgeBase) -> list[tuple[str, str, str, str]]:
    found = []
    for source, intent, text in _messages(kb):
        entry = kb.find(text, intent=intent or None)
        found.append((source, intent, text, entry.id if entry else "-"))
    return found


def test_each_message_finds_the_entry_it_found_before() -> None:
    now = _found_now()
    if os.environ.get("UPDATE_FAQ_FOUND"):
        with FOUND.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, delimiter="\t", lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(now)
    with FOUND.open(encoding="utf-8") as f:
        before = [tuple(r) for r in csv.reader(f, delimiter="\t")][1:]
    was = {(s, i, t): e for s, i, t, e in before}
    moved = [
        f"{text!r} ({source}): {was.get((source, intent, text), 'not listed')} -> {entry}"
        for source, intent, text, entry in now
        if was.get((source, intent, text)) != entry
    ]
    gone = len(set(was) - {(s, i, t) for s, i, t, _ in now})
    assert not moved and not gone, (
        f"{len(moved)} messages find another entry than before, {gone} are no longer asked "
        "(if meant: UPDATE_FAQ_FOUND=1 pytest tests/handlers/test_faq_found.py):\n"
        + "\n".join(moved[:40])
    )


def test_the_hand_written_questions_mostly_find_their_entry() -> None:
    """A floor under the knowledge base's own matching (the engine and the readings do more
    in a conversation): most first messages written for an entry find it."""
    asked = [(s.removeprefix("asked:"), e) for s, _, _, e in _found_now() if s.startswith("asked:")]
    right = sum(gold == entry for gold, entry in asked)
    assert right / len(asked) >= 0.6, f"{right} of {len(asked)}"
