"""The knowledge base: FAQ entries found by intent and by how alike the question is."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from handlers import yaml_text
from handlers.responses import LANGUAGES
from nlu.similarity import SimilarityIndex

SHIPPED_FAQ = Path(__file__).resolve().parent / "data" / "faq.yml"


# The entry with the shop's shipping times.
DELIVERY_TIMES = "delivery-times"

# When an order not placed yet would come ("if I order now when will it arrive", "现在下单
# 什么时候能到", "下单后几天到"): the shipping times, not an order number to look up.
_NEW_ORDER = re.compile(
    r"\bif (?:i|we|u|you|my \w+) (?:order|buy|purchase|place (?:an|the|my) order|get)\b|"
    r"\b(?:order|buy|purchase)(?:ed|ing)? (?:(?:it|one|this|that|them|the [\w-]+) )?"
    r"(?:now|today|tonight|this (?:morning|afternoon|evening|week)|tomorrow|on (?:\w+day))\b|"
    r"\b(?:once|after|when) (?:i|we) (?:order|buy|purchase|place (?:an|the|my) order)\b|"
    r"\bplace (?:an|the|my) order (?:now|today)\b|"
    r"(?:现在|今天|马上|这会儿|今晚|明天|如果|要是|假如)(?:我)?(?:就)?(?:下单|买|拍|付款)|"
    r"下单(?:后|以后|之后)|(?:下单|买了?|拍下)(?:的话)",
    re.IGNORECASE,
)

_ARRIVES = re.compile(
    r"\bwhen\b|how long|how many days|how soon|\barrive|\bget (?:here|to me|it)\b|"
    r"\bdeliver|\bby (?:mon|tues|wednes|thurs|fri|satur|sun)day\b|"
    r"什么时候|啥时候|几天|多久|多长时间|哪天|能到|送到|收到|到货",
    re.IGNORECASE,
)


# Asked as if, or to a town: "how soon would it get to manchester", "how long would delivery
# take", "几号能到上海", "寄到北京要几天" (an order placed already goes to its own address, and
# is never asked about by town).
# (A place in the home is no town: "能送到楼上吗", "送到屋里吗" ask to have it carried there.)
_AS_IF = re.compile(
    r"\b(?:get|gets|deliver\w*|ship\w*|send|arrive\w*|take|takes|post\w*|delivery|shipping)\b"
    r".{0,20}?\bto\s+(?!(?:me|you|u|us|my|your|ur|the|it|them|him|her|a|an|work|home|door|this|"
    r"that|our|his|their|be|get|arrive|come|take|reach|sort|fix|do|go|see|hear|check|find|"
    r"change|cancel|return|refund|pay|process|clear|happen|reply|answer|respond)\b)[a-z]{3,}"
    r"(?:\s+(?:if|from|by|please|pls|then|take|usually|normally|roughly|approx\w*)\b.*|\s*[?!.]*)$|"
    r"(?:寄到|送到|发到|运到|快递到)(?![我您你这那哪家人新退钱货手账了底现明后今周星时期付款达公单楼屋门室房厨客卧阳院])"
    r"[\u4e00-\u9fff]{2,3}?(?:市|省)?(?=$|吗|呢|要|需要|的话|大概|几|多|啊|得|么|嘛|[?？，,\s])|"
    r"(?:能|可以|才能)?到(?:北京|上海|广州|深圳|杭州|南京|成都|重庆|武汉|西安|天津|苏州|长沙|郑州|"
    r"青岛|厦门|沈阳|大连|济南|合肥|福州|昆明|哈尔滨|宁波|无锡|东莞|佛山|[\u4e00-\u9fff]{2,3}(?:市|省))",
    re.IGNORECASE,
)


def asks_new_order_time(text: str, *, as_if: bool = True) -> bool:
    """True when the customer asks when an order they have not placed yet would arrive.

    ``as_if``: asked as if, or to a town, counts too ("how soon would it get to leeds");
    False for only an order placed now or later, in so many words ("if i order now")."""
    if _ARRIVES.search(text) is None:
        return False
    return _NEW_ORDER.search(text) is not None or (as_if and _AS_IF.search(text) is not None)


class KnowledgeBaseError(ValueError):
    """The FAQ file is malformed: which entry and why."""


@dataclass(frozen=True, slots=True)
class FaqEntry:
    """One answer with the questions it answers, in every language."""

    id: str
    intent: str
    tags: tuple[str, ...]
    questions: tuple[str, ...]
    answers: tuple[tuple[str, str], ...]
    # The entries a short follow-up to this answer is most likely about, most likely first
    # ("i paid with paypal" after the refund answer: the PayPal refund).
    follow_ups: tuple[str, ...] = ()
    # Words that, when a question has them, say it is about this entry (a locker, a pick-up)
    # more surely than how alike the whole sentence is: regular expressions, any language.
    keywords: tuple[re.Pattern[str], ...] = field(default=(), compare=False)
    # Words without one of which the entry never answers (empty: no such condition): the
    # hold of a payment that placed no order needs "no order" said, else a customer who
    # says the money is gone, with a payment case open, would be told none was taken.
    needs: tuple[re.Pattern[str], ...] = field(default=(), compare=False)
    # Words that name the entry only in a message as a whole, its clauses together making
    # one question ("旧手机号停用了 收不到验证码": the number gone and the code not coming
    # are the phone number to change, not a phone answer and a code answer side by side).
    wholes: tuple[re.Pattern[str], ...] = field(default=(), compare=False)
    # What the entry is NOT about though its words are there ("the gift parcel has no price
    # in it, right?" is not how to order gift wrap): a question with one of these is never
    # this entry's, however alike.
    not_about: tuple[re.Pattern[str], ...] = field(default=(), compare=False)
    # What the customer does next once they have this answer ("what do i do now",
    # "现在怎么办"), in every language; empty when the answer itself is the last step.
    next_steps: tuple[tuple[str, str], ...] = ()
    # Why the answer is what it is ("why?", "为啥" right after it: a card declined, a used
    # item not taken back), in every language; empty when the entry gives no reason.
    whys: tuple[tuple[str, str], ...] = ()
    # The entry's questions lean on the answer before ("still nothing" after the texts'
    # checks): it answers follow-ups, never a message on its likeness alone.
    only_follows: bool = False

    def why(self, language: str) -> str | None:
        """The reason in ``language`` (else English), or None when the entry has none."""
        texts = dict(self.whys)
        return texts.get(language) or texts.get("en")

    def next_step(self, language: str) -> str | None:
        """The next step in ``language`` (else English), or None when the entry has none."""
        texts = dict(self.next_steps)
        return texts.get(language) or texts.get("en")

    def named_in(self, text: str) -> bool:
        """True when the text has one of the entry's keywords (or is one of its ``wholes``)."""
        return any(k.search(text) for k in (*self.keywords, *self.wholes))

    def asked_whole(self, text: str) -> bool:
        """True when the message as a whole is this entry's one question (``wholes``)."""
        return any(w.search(text) for w in self.wholes)

    def fits(self, text: str) -> bool:
        """True unless the entry needs words (``needs``) the text does not have, or the text
        says what the entry is not about (``not_about``)."""
        if any(n.search(text) for n in self.not_about):
            return False
        return not self.needs or any(n.search(text) for n in self.needs)

    def answer(self, language: str) -> str:
        """The answer in ``language``, else English."""
        texts = dict(self.answers)
        return texts.get(language) or texts["en"]


class KnowledgeBase:
    """Finds the entry that answers a question.

    Entries of the parsed intent are preferred; among them (or among all entries, when the
    intent has none or the question is far from them) the most similar question wins.
    ``min_similarity`` keeps unrelated questions from getting a confident wrong answer.
    """

    def __init__(self, entries: list[FaqEntry], *, min_similarity: float = 0.25) -> None:
        if not entries:
            raise KnowledgeBaseError("the knowledge base has no entries")
        self.entries = entries
        self._by_id = {entry.id: entry for entry in entries}
        self._owner: list[int] = []
        texts: list[str] = []
        for position, entry in enumerate(entries):
            for question in entry.questions:
                texts.append(question)
                self._owner.append(position)
        self._index = SimilarityIndex(texts)
        self._min = min_similarity
        # What each entry is about, and in how many entries each word appears: a word most
        # entries have ("return", "订单") says little about which one a question is for.
        self._about = [
            _content(" ".join((*e.questions, *(a for _, a in e.answers)))) for e in entries
        ]
        # What each entry's questions alone are about (not its answer's running text).
        self._questions = [_content(" ".join(e.questions)) for e in entries]
        # Chinese two-character words any entry's questions have: how a question's Chinese
        # is read (an answer's running text has pairs where two words meet, "卡已换新"'s
        # 换新, which would read "以旧换新" as about a card).
        asked = _content(" ".join(q for e in entries for q in e.questions))
        self._words = frozenset(t for t in asked if len(t) == 2)
        # The words customers ask with (not the answers' running text: "usually", "sorry").
        self._asked = frozenset(asked)
        # A turn asks about one text from several places (splitting it into requests, then
        # answering each): the answer is the same each time, so it is found once.
        self._found: dict[tuple[str, str | None], FaqEntry | None] = {}
        self._scored: dict[str, list[tuple[int, float]]] = {}
        self._df: dict[str, int] = {}
        for about in self._about:
            for token in about:
                self._df[token] = self._df.get(token, 0) + 1

    @classmethod
    def load(cls, path: Path = SHIPPED_FAQ) -> KnowledgeBase:
        """Read a FAQ YAML file (see handlers/data/faq.yml for the format)."""
        try:
            raw = yaml_text.parse(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise KnowledgeBaseError(f"{path}: {exc}") from exc
        if not isinstance(raw, list):
            raise KnowledgeBaseError(f"{path}: expected a list of entries")
        entries = []
        for number, item in enumerate(raw, start=1):
            where = f"{path}: entry {number}"
            if not isinstance(item, dict):
                raise KnowledgeBaseError(f"{where}: must be a mapping")
            questions = item.get("questions") or {}
            answer = item.get("answer") or {}
            if not isinstance(answer, dict) or any(not answer.get(lang) for lang in LANGUAGES):
                raise KnowledgeBaseError(f"{where}: answer needs {', '.join(LANGUAGES)}")
            step = item.get("next_step") or {}
            if step and (not isinstance(step, dict) or any(not step.get(x) for x in LANGUAGES)):
                raise KnowledgeBaseError(f"{where}: next_step needs {', '.join(LANGUAGES)}")
            why = item.get("why") or {}
            if why and (not isinstance(why, dict) or any(not why.get(x) for x in LANGUAGES)):
                raise KnowledgeBaseError(f"{where}: why needs {', '.join(LANGUAGES)}")
            flat = (
                [str(q) for qs in questions.values() for q in (qs or [])]
                if isinstance(questions, dict)
                else []
            )
            if not flat or not item.get("intent") or not item.get("id"):
                raise KnowledgeBaseError(f"{where}: needs id, intent and questions")
            try:
                keywords = tuple(re.compile(str(k), re.I) for k in item.get("keywords") or ())
                needs = tuple(re.compile(str(k), re.I) for k in item.get("needs") or ())
                wholes = tuple(re.compile(str(k), re.I) for k in item.get("whole") or ())
                not_about = tuple(re.compile(str(k), re.I) for k in item.get("not_about") or ())
            except re.error as exc:
                raise KnowledgeBaseError(f"{where}: pattern {exc.pattern!r}: {exc}") from exc
            entries.append(
                FaqEntry(
                    id=str(item["id"]),
                    intent=str(item["intent"]),
                    tags=tuple(str(t) for t in item.get("tags") or ()),
                    questions=tuple(flat),
                    answers=tuple((str(k), str(v).strip()) for k, v in answer.items()),
                    keywords=keywords,
                    needs=needs,
                    wholes=wholes,
                    not_about=not_about,
                    follow_ups=tuple(str(i) for i in item.get("follow_ups") or ()),
                    next_steps=tuple((str(k), str(v).strip()) for k, v in step.items()),
                    whys=tuple((str(k), str(v).strip()) for k, v in why.items()),
                    only_follows=bool(item.get("only_follows")),
                )
            )
        known = {entry.id for entry in entries}
        for entry in entries:
            unknown = [i for i in entry.follow_ups if i not in known]
            if unknown:
                raise KnowledgeBaseError(
                    f"{path}: entry {entry.id!r}: follow_ups names no entry: {', '.join(unknown)}"
                )
        return cls(entries)

    def asked_whole(self, text: str) -> FaqEntry | None:
        """The entry whose one question the message is as a whole (its ``whole`` patterns),
        if any: its clauses are not answered apart."""
        return next((e for e in self.entries if e.asked_whole(text)), None)

    def entry(self, entry_id: str) -> FaqEntry | None:
        """The entry with this id, if the knowledge base has one."""
        return self._by_id.get(entry_id)

    def covers(self, position: int, text: str) -> bool:
        """Whether an entry can answer the text: the text names one of its keywords, or most
        of what the text is about (weighing rare words above common ones) is in the entry's
        questions and answers. A text with nothing to go on ("how much is that?") is given
        the benefit of the doubt."""
        entry = self.entries[position]
        if entry.named_in(text):
            return True
        asked = _content(_ZH_ASKS_WHEN.sub(" ", text), words=self._words)
        about = self._about[position]
        if not asked:
            return True
        if not self.on_focus(position, text):
            return False
        count = len(self.entries)

        def weight(token: str) -> float:
            # A word no entry has may be a typo ("hwo") or a name ("ireland"): it counts
            # a little above a common word, neither for nor much against.
            df = self._df.get(token, 0)
            return math.log((count + 1) / (df + 1)) + 1 if df else UNKNOWN_WEIGHT

        # A word customers ask with that only one entry has names that entry's subject
        # ("slot", "wrap", "送货"): a question with such a word is not answered by an entry
        # without it, however much else they share ("do you gift wrap orders for delivery"
        # is not the returns text for "wrap", "能指定送货时间吗" not the carrier's for 指定).
        # (Nor a word that asks where or who: "去哪里开" is asked of anything.)
        known = [
            t
            for t in asked
            if self._df.get(t) and len(t) > 1 and t in self._asked and not set(t) & _ASKS_ZH
        ]
        if known and any(self._df[t] == 1 and t not in about for t in known):
            return False
        total = sum(weight(t) for t in asked)
        found = sum(weight(t) for t in asked if t in about)
        # Chinese words are read by two-character words, which say less each than English
        # ones do.
        chinese = any("\u4e00" <= c <= "\u9fff" for c in text)
        return found / total >= (COVERED_ZH if chinese else COVERED)

    def on_focus(self, position: int, text: str) -> bool:
        """Whether an entry is about what the question asks about, where the question says
        it in so many words: the thing asked to be supported, included or worked with ("does
        it support bluetooth", "支持蓝牙吗": not the payment methods for 支持 nor the weekend
        support desk), and who is asked to act ("will the courier call me", "快递员会打电话吗":
        not the shop's phone line; "if the carrier sends it back": not a return the customer
        posted). Sharing other words is not answering the question asked."""
        about = self._about[position]
        for match in _OBJECT.finditer(text):
            thing = _content(match.group("thing") or match.group("zh") or "", words=self._words)
            if thing and not thing & about:
                return False
        for pattern, words in _ACTORS:
            if pattern.search(text) and not any(w in about for w in words):
                return False
        return True

    def says_something(self, text: str) -> bool:
        """True when the text has words that say what it is about (not only "does it come
        with a", "那这个呢")."""
        return bool(_content(text, words=self._words))

    def new_words(self, text: str, entry_ids: tuple[str, ...]) -> set[str]:
        """The words of a text that some entry knows but none of ``entry_ids`` has (question
        words aside): what a follow-up brings of its own beyond the subject it follows ("and
        delivery?" after the invoice brings "delivery"; "多久能开出来" brings nothing)."""
        about: set[str] = set()
        for entry_id in entry_ids:
            entry = self._by_id.get(entry_id)
            if entry is not None:
                about |= self._about[self.entries.index(entry)]
        asked = _content(_ASKING.sub(" ", text), words=self._words)
        return {t for t in asked if self._df.get(t) and t not in about}

    def said_in(self, entry_id: str, text: str, language: str) -> list[str]:
        """The sentences of an entry's answer (in ``language``) that say what a follow-up asks
        about, when every word it asks with is in that answer ("do they expire?" after how
        points work: "Points never all expire at once: ..."), or what it asks of any answer
        in other words (``asks_of_answer``: "what's the minimum for that" is the sentence
        with the amount over which it holds); [] when it asks about anything the answer does
        not have, or about nothing."""
        entry = self._by_id.get(entry_id)
        if entry is None:
            return []
        for asks, says, counted in _ASKED_OF:
            if asks.search(text):
                said = [
                    (s, len(set(counted.findall(s))) if says.search(s) else 0)
                    for s in answer_sentences(entry.answer(language))
                ]
                most = max((n for _, n in said), default=0)
                return [s for s, n in said if s and n and n == most]
        asked = {
            t
            for t in _content(_ASKING.sub(" ", _said_alike(text)), words=self._words)
            if len(t) > 1 and t not in _GENERIC
        }
        if not asked:
            return []
        sentences = [
            (s, _content(_said_alike(s), words=None))
            for s in answer_sentences(entry.answer(language))
        ]
        if not asked <= set().union(*(words for _, words in sentences)):
            return []
        return [s for s, words in sentences if asked & words]

    def names_only(self, entry_id: str, text: str) -> bool:
        """True when a follow-up asks how long something lasts ("will my points run out",
        "有期限吗") and every other word it says what it is about with is one the entry's
        questions have (not "how much is delivery", though the points' answer says "not on
        delivery"; not "what about wechat pay", a way to pay of its own)."""
        entry = self._by_id.get(entry_id)
        if entry is None or not _ALIKE.search(text):
            return False
        asked = _content(_ASKING.sub(" ", _ALIKE.sub(" ", _said_alike(text))), words=self._words)
        asked.discard("valid")
        asked = {t for t in asked if len(t) > 1 and t not in _GENERIC}
        return bool(asked) and asked <= self._questions[self.entries.index(entry)]

    def named(self, text: str, *, intent: str | None = None) -> FaqEntry | None:
        """The entry whose keywords the text has (the closest, when several have), if any.

        ``intent``: the engine's reading, even an unsure one, picks among entries that share
        a keyword ("退货可以放快递柜吗" is about returning by locker, not delivery to one).
        """
        candidates = [e for e in self.entries if e.named_in(text) and e.fits(text)]
        if not candidates:
            return None
        candidates = [e for e in candidates if e.intent == intent] or candidates
        best = self.find(text)
        return best if best in candidates else candidates[0]

    def follow_up(
        self,
        text: str,
        candidates: list[str],
        *,
        preferred: tuple[tuple[str, ...], ...] = (),
        covering: tuple[str, ...] = (),
        listed: tuple[str, ...] = (),
    ) -> FaqEntry | None:
        """The entry among ``candidates`` (ids) that answers a follow-up, or None when none
        is both close to it and covers it. An entry counts as that much closer for each of
        the ``preferred`` groups it is in (those the answer lists as its follow-ups; for a
        time question, those about time); one in ``covering`` need only cover it, and one
        ``listed`` as the answer's follow-up is close when its questions have every word of
        the text that says what it is about ("过期了咋办" after how codes are used: an expired
        code, however few words it is in)."""
        best: dict[int, float] = {}
        for position, score in self._query(text):
            owner = self._owner[position]
            best[owner] = max(best.get(owner, 0.0), score)
        found: list[tuple[float, int]] = []
        content = _content(text, words=self._words)
        # Nothing in it any entry knows ("wen do i get it"): like a bare "how long?", any
        # close entry the subject leads to may answer it.
        vague = not any(self._df.get(t) for t in content)
        telling = {t for t in content if self._df.get(t) and len(t) > 1}
        for order, entry_id in enumerate(dict.fromkeys(candidates)):
            entry = self._by_id.get(entry_id)
            if entry is None or not entry.fits(text):
                continue
            position = self.entries.index(entry)
            named = entry.named_in(text)
            score = best.get(position, 0.0)
            close = (
                named
                or score >= self._min
                or entry_id in covering
                or (entry_id in listed and bool(telling) and telling <= self._questions[position])
            )
            if not close or not (vague or self.covers(position, text)):
                continue
            # (A keyword lets an entry be one; it does not outrank what the subject leads to
            # first: "money back" names the refund entry, after a double charge too.)
            score += PREFERRED_BONUS * sum(entry_id in group for group in preferred)
            found.append((score - order * 1e-6, position))
        return self.entries[max(found)[1]] if found else None

    def find(self, text: str, *, intent: str | None = None) -> FaqEntry | None:
        """The entry that answers the question, or None when none does.

        An entry the question names by keyword comes first, then the intent's entries,
        then any close one; the first that covers the question answers it. None covering
        it, none answers it, however near its words are: the customer is told so rather
        than given the nearest answer of the topic.
        """
        key = (text, intent)
        if key in self._found:
            return self._found[key]
        found = self._find(text, intent=intent)
        if len(self._found) >= FOUND_KEPT:
            self._found.clear()  # a bound, not a cache policy: the texts are one turn's
        self._found[key] = found
        return found

    def near(self, text: str) -> FaqEntry | None:
        """The entry one of whose questions the text all but repeats (similarity at least
        ``NEAR``), if it covers the text and fits it: a question the engine did not place,
        asked nearly as the entry lists it ("i dont have the original box anymore"), is that
        entry's whatever the engine guessed. A text that says too little on its own to be
        asked cold ("still nothing", "用的花呗") is near none."""
        said = _content(_ZH_ASKS_WHEN.sub(" ", text), words=self._words)
        if sum(1.0 if len(t) > 1 else 0.5 for t in said) < 2:
            return None
        # (Its punctuation aside: "can i add an item to my order?" is the entry's question.)
        for position, score in self._query(" ".join(_PUNCTUATION.sub(" ", text).split())):
            if score < NEAR:
                return None
            owner = self._owner[position]
            entry = self.entries[owner]
            if not entry.only_follows and entry.fits(text) and self.covers(owner, text):
                return entry
        return None

    def closest(self, text: str, *, intent: str | None) -> FaqEntry | None:
        """The intent's entry whose questions are most like the text, whether it covers it
        or not: for a pressed topic button, which asks for the topic's answer itself."""
        for position, _ in self._query(text):
            entry = self.entries[self._owner[position]]
            if entry.intent == intent and entry.fits(text):
                return entry
        return None

    def _query(self, text: str) -> list[tuple[int, float]]:
        """The similarity search (the costly part), once per text whatever else is asked."""
        if text not in self._scored:
            if len(self._scored) >= FOUND_KEPT:
                self._scored.clear()
            self._scored[text] = self._index.query(_YES_NO_TAIL.sub("吗", text))
        return self._scored[text]

    def _find(self, text: str, *, intent: str | None) -> FaqEntry | None:
        scored = self._query(text)
        best_by_entry: dict[int, float] = {}
        for position, score in scored:
            owner = self._owner[position]
            best_by_entry[owner] = max(best_by_entry.get(owner, 0.0), score)
        for position, entry in enumerate(self.entries):
            if not entry.fits(text):
                best_by_entry.pop(position, None)
            elif entry.named_in(text):
                best_by_entry[position] = best_by_entry.get(position, 0.0) + KEYWORD_BONUS
        ranked = sorted(best_by_entry.items(), key=lambda kv: -kv[1])
        if not ranked:
            return None
        of_intent = [(i, s) for i, s in ranked if self.entries[i].intent == intent]
        # An entry the question names by keyword, else the intent's closest, else any close
        # one, that covers the question.
        named = [c for c in ranked if self.entries[c[0]].named_in(text)]
        # Of those, the intent's own first ("可以放驿站寄回吗" read as a return: the return
        # by locker, not delivery to one), the closest first within each.
        named.sort(key=lambda c: self.entries[c[0]].intent != intent)
        # Chinese read only by lone characters ("有货吗", "还有货吗": 货) says too little for
        # an entry that merely has the character somewhere (发货) to answer it unless close.
        worded = any(len(t) > 1 for t in _content(text, words=self._words))
        # The intent's own entries near the question first, then any near one, and only then
        # the intent's own that merely cover it: the intent read is a guess, and an entry far
        # from the question that happens to share its words ("how do exchanges work" read as
        # a payment question: the replacement costing nothing again) is no answer when another
        # entry is near it and covers it.
        # (Near, and not far behind the nearest entry of all: "what do you charge for
        # delivery" read as a payment question is the delivery price, word for word.)
        # A question with nothing to judge it by ("how much is it?" after a delivery
        # question) is the intent's, however alike another entry's words are.
        top = ranked[0][1]
        said = bool(_content(_HOW_MUCH.sub(" ", text), words=self._words))
        near = [c for c in of_intent if not said or c[1] >= max(self._min, top - INTENT_MARGIN)]
        for position, score in dict.fromkeys([*named, *near, *ranked, *of_intent]):
            # The intent's own entries need only cover the question; others must be close.
            close = score >= self._min or (self.entries[position].intent == intent and worded)
            if close and self.covers(position, text):
                return self.entries[position]
        # None covers it: none answers it, however near its words are (asked whether we
        # gift-wrap, the shipping text shares "delivery" and says nothing of it).
        return None


# How many answers ``find`` keeps (the texts of the last few turns).
FOUND_KEPT = 256
# How alike a text and one of an entry's questions must be for the text to be that question
# asked again, whatever the engine made of it (similarities are 0-1).
NEAR = 0.7
# How much closer a question that names an entry's keyword is to it (similarities are 0-1).
KEYWORD_BONUS = 0.4
# How far behind the nearest entry of all the intent's own nearest may be and still come first.
INTENT_MARGIN = 0.3
# How much closer a follow-up is to the entries its subject leads to first.
PREFERRED_BONUS = 0.15
# The share of a question's content (words and Chinese characters, weighed by how rare they
# are among the entries) an entry's text must have to cover it.
COVERED = 0.5
COVERED_ZH = 0.4
UNKNOWN_WEIGHT = 1.5


_STOP = frozenset(
    re.findall(
        r"\S+",
        "a an the and or but so if then than to of in on at by for from with about into over "
        "i me my mine you your u ur we our us it its it's this that these those there here "
        "is are was were be been am do does did done have has had can could will would should "
        "shall may might must not no yes ok okay pls please thanks thx hi hey just really also "
        "what whats when where which who whom why how much many any some all more most very "
        "get got go going come coming want wanna need like know tell let make one thing things "
        "tho though still even too again ever now then well oh lol haha offer offers "
        "provide anyone someone something guys say said anymore instead his her hers him she "
        "their theirs them they he",
    )
)
# Chinese characters that carry no topic (particles, pronouns, question words).
_ZH_FILLER = set(
    "的了吗呢吧啊呀哦嘛么不没是在有我你您他她它们这那个些就都也还能会要可以给把被让跟和与或"
    "亲啥咋哈嗯哎诶啦呗哟喔怎什为"
)
# Chinese words that ask when or what, as "when" and "what" do (stop words): "客服什么时候在线"
# is about being online, not about the stock's "什么时候补货" for their 时候.
_ZH_ASKS_WHEN = re.compile(r"什么时候|啥时候|什么时间|啥时间")
# Chinese characters that ask (where, who, which) rather than say what about.
_ASKS_ZH = frozenset("哪谁啥")
_WORD = re.compile(r"[a-z][a-z0-9']+|\d+[a-z]*")


def _content(text: str, *, words: frozenset[str] | None = None) -> set[str]:
    """The words of a text that say what it is about: English words (crudely stemmed) and
    Chinese words, without the ones any question has.

    Chinese has no spaces: an entry's text gives every two-character pair and character in
    it; a question (``words``: the pairs the entries have) gives the pairs the entries know
    ("上门", "安装") and the characters no known pair covers, so "上门安装" is about
    installing at home, not half about a pick-up at home.
    """
    lowered = text.lower()
    found = {w.rstrip("s") for w in _WORD.findall(lowered) if w not in _STOP and len(w) > 2}
    for run in _HAN_RUN.findall(lowered):
        pairs = [run[i : i + 2] for i in range(len(run) - 1)]
        if words is None:
            found.update(p for p in pairs if not set(p) <= _ZH_FILLER)
            found.update(c for c in run if c not in _ZH_FILLER)
            continue
        # Known words read left to right, none overlapping the one before ("送货时间" is
        # 送货 and 时间, not also 货时) and none with a particle in it ("能指定" is 指定, not
        # also 能指; "能开票吗" no 票吗): such pairs are where two words meet, not a word.
        covered: set[int] = set()
        i = 0
        while i < len(pairs):
            if pairs[i] in words and not set(pairs[i]) & _ZH_FILLER:
                found.add(pairs[i])
                covered.update((i, i + 1))
                i += 2
            else:
                i += 1
        found.update(c for i, c in enumerate(run) if i not in covered and c not in _ZH_FILLER)
    return found


_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
# A question that ends in 不 as spoken ("还能改不", "拆了能退不", "可以不") asks as 吗 does: the
# entries' questions are written with 吗 ("能改吗"), so the likeness is looked up so. (Not
# "还不", "都不": the 不 of a verb left unsaid; nor "在不", too short to ask anything.)
_YES_NO_TAIL = re.compile(r"(?<=[\u4e00-\u9fff]{2})(?<![还也都就并绝])不(?=\s*[?？]*\s*$)")
# Where an answer's sentences end: "...at once: each point lasts 12 months." / "。".
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(])|(?<=[。！？；])")


def answer_sentences(text: str) -> list[str]:
    """An answer's sentences, stripped, none empty: the one split of the shop's answers (a
    full stop before a capital, or 。！？；), used wherever one sentence of an answer is taken."""
    return [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]
# Phrases a follow-up may ask with for what an answer says in others: "run out", "a time
# limit", "有效期" of what "expires" or "lasts 12 months".
_ALIKE = re.compile(
    r"\bruns? out\b|\btime limits?\b|\bexpir\w*|\blasts?\b|\bvalid\w*|"
    r"有效期|过期|失效|清零|期限|有效",
    re.IGNORECASE,
)
# Words that ask nothing of their own in such a follow-up ("using them", "there").
_GENERIC = frozenset({"using", "use", "used", "there", "spend", "spending", "spent"})


# What a follow-up asks of the answer just given in words of its own, how the answer's
# sentence that says it reads, and what in it counts (the sentence with most is the one):
# the least amount ("what's the minimum for that", "最低多少", "满多少才行") is the sentence
# with an amount over which something holds; what to give ("what info do you need from me",
# "要提供什么资料") the sentence that asks for most things ("give them the name on the
# account, the old address, the new one", not "the link we send to the new address").
_ASKED_OF: tuple[tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]], ...] = (
    (
        re.compile(
            r"\b(?:minimum|min|at least|lowest|threshold|cut-?off)\b|"
            r"\bhow much (?:do|would|should|must) (?:i|we|you) (?:need to |have to )?"
            r"(?:spend|buy|order|pay)\b|最低|至少|起步|满多少|多少(?:钱)?(?:才|起)",
            re.IGNORECASE,
        ),
        re.compile(
            r"\b(?:over|above|from|at least|minimum|more than)\s+[$€£¥]?\s?\d|满\s*\d|"
            r"\d+\s*(?:美元|元|块|英镑|欧元)?\s*(?:以上|起)",
            re.IGNORECASE,
        ),
        re.compile(r"\d+"),
    ),
    (
        re.compile(
            r"\bwhat (?:info|information|details|(?:do|would|will) (?:you|they|u) need|"
            r"(?:should|do|must) i (?:need to |have to )?(?:send|give|provide|include|bring|"
            r"tell))\b|\bwhich (?:details|info)\b|"
            r"(?:需要|要)(?:我)?(?:提供|准备|给|发|带)?(?:什么|啥|哪些)(?:资料|信息|材料|东西)?",
            re.IGNORECASE,
        ),
        re.compile(
            r"\b(?:give|provide|send|include|tell)\b|提供|告诉|发给|发我|给我", re.IGNORECASE
        ),
        re.compile(
            r"\b(?:name|number|address|photo|details|e-?mail|receipt|statement|date|amount|"
            r"time)\b|姓名|名字|订单号|号码|地址|邮箱|照片|凭证|金额|时间|日期",
            re.IGNORECASE,
        ),
    ),
)


def asks_of_answer(text: str) -> bool:
    """True for a follow-up that asks of the answer just given in words of its own ("what's
    the minimum", "what info do you need from me", "最低多少"): it points back by itself."""
    return any(asks.search(text) for asks, _, _ in _ASKED_OF)


def _said_alike(text: str) -> str:
    """The text with the phrases of ``_ALIKE`` as one word ("valid"), and "at some point"
    (no point of a loyalty scheme) left out."""
    return _ALIKE.sub(" valid ", _SOME_POINT.sub(" ", text))


_SOME_POINT = re.compile(r"\bat (?:some|any|one) point\b|\bat this point\b", re.IGNORECASE)

_PUNCTUATION = re.compile(r"[^\w\s']")
# "How much" in Chinese ("要多少钱", "几块钱"): asks, as "how much is it" does, of nothing named.
_HOW_MUCH = re.compile(r"(?:要|得|需要)?(?:多少|几块)钱")
# The thing a question asks to be supported, included or worked with: "does it support
# bluetooth", "is it compatible with alexa", "does it come with a warranty", "支持蓝牙吗",
# "这个扫地机支持wifi吗", "兼容苹果手机吗", "带遥控器吗" (its focus: see ``on_focus``).
_OBJECT = re.compile(
    r"\b(?:support|supports|supported|compatible with|work with|works with|come with|comes with|"
    r"include|includes|included with)\s+(?:a |an |the |any |my |your |ur )?"
    r"(?P<thing>[a-z][a-z0-9-]*(?: [a-z][a-z0-9-]*)?)|"
    r"(?:支持|兼容|适配|自带|带不带)(?P<zh>[\u4e00-\u9fffa-z0-9 ]{1,8}?)"
    r"(?=吗|么|嘛|不|没|呢|功能|的吗|$|[?？，,。!！\s])",
    re.IGNORECASE,
)
# Who a question asks to act, and the words of it an entry that answers must have: the courier
# (calling ahead, sending the parcel back, coming on a day) is not the shop nor the customer.
_ACTORS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (
        re.compile(
            r"\b(?:the|your|ur|a|my|that|this)\s+(?:delivery\s+)?(?:courier|driver|carrier|"
            r"postman|postie|delivery (?:guy|man|person|company)|dhl|ups|dpd|fedex|sf express)s?\b"
            r"(?:\s+\w+){0,2}?\s+(?:will|would|can|could|does|do|did|is|gonna|going to|"
            r"calls?|rings?|phones?|texts?|sends?|sent|returns?|returned|brings?|takes?|"
            r"leaves?|collects?|delivers?)\b|"
            r"(?:快递员|快递小哥|快递公司|快递|送货员|送货的|送货师傅|配送员|司机|师傅|物流)"
            r"(?:会|能|要|是否|会不会|能不能|要不要|给我|提前|把|打|退|送回|寄回)",
            re.IGNORECASE,
        ),
        ("courier", "driver", "carrier", "快递", "配送", "师傅", "司机", "物流"),
    ),
)
# How a question asks (not what about): left out of what a follow-up brings of its own.
_ASKING = re.compile(
    r"\b(?:actually|then|tho|though|anyway|exactly|roughly|about|usually|normally|so|"
    r"long|take|takes|until|till|til|soon|day|days|why|how come|not|nothing|still|too|also|"
    r"either|as well)\b|"
    r"什么时候|啥时候|多久|多长时间|几天|几号|哪天|在哪|哪里|哪儿|什么|为什么|为啥|咋|啥|怎么|"
    r"谁|多少|几|大概|一般|到底|还是|还|然后|那么|那|呢|啊|吗|吧|呀|哦|嘛|能不能|不能|不行|"
    r"可以|能|不|也",
    re.IGNORECASE,
)
