"""Satisfaction surveys: a 1-5 rating when a case closes, then an optional comment."""

from __future__ import annotations

import re

from crm_memory import Case, CaseStatus, Direction, NotFound
from handlers.acts import Act
from handlers.agents import RATE
from handlers.context import DEFECT, length, read_act
from handlers.dialogue import Asked, Question
from handlers.feedback import doubts_survey, survey_doubted
from handlers.questions import is_question
from handlers.remarks import tells_arrived
from handlers.turn import Turn
from handlers.types import Button, ContentKind, Reply
from nlu.sentiment import analyse
from nlu.types import SentimentLabel

BOT_RATE = "botrate"
OFFERED = "bot_survey_offered"
LOW = 2
# What a customer writes after rating counts as the comment unless it asks something new.
COMMENT_INTENTS = {
    "feedback_positive",
    "feedback_negative",
    "complaint",
    "thanks",
    "goodbye",
    "affirm",
    "deny",
    "out_of_scope",
    "nlu_fallback",
    "request_human",
    "ask_case_status",
}


# A comment that says the problem is not solved ("shut before my refund came", "still
# broken", "nothing was fixed", "压根没修好", "钱还没到就关了"): after a low rating, the
# case is opened again, not only the comment passed on.
_UNSOLVED = re.compile(
    r"\b(?:not|never|wasn'?t|isn'?t|hasn'?t|hasnt|wasnt|isnt|nothing(?: was| got)?|nobody|no one)"
    r"\s+(?:(?:really|actually|even|been|ever|properly|at all|yet)\s+)*"
    r"(?:solved|resolved|fixed|sorted|sorted out|done|handled|answered|replaced|refunded)\b|"
    r"\b(?:closed|shut|ended)\b[^.?!]{0,25}?\b(?:before|without|too (?:early|soon)|but)\b|"
    r"\bbefore (?:the |my |i got (?:the |my )?)?(?:money|refund|replacement|new one|item|parcel|"
    r"part)\b[^.?!]{0,15}?\b(?:arrived|came|was sent|showed up|got here)\b|"
    r"\bstill (?:no|not|broken|waiting|haven'?t|havent|don'?t|dont|doesn'?t|doesnt|isn'?t|isnt|"
    r"missing|nothing|the same)\b|\b(?:never|didn'?t|didnt|haven'?t|havent) (?:get|got|receive"
    r"\w*|see|seen)\b[^.?!]{0,12}\b(?:money|refund|replacement|new one|part|anything)\b|"
    r"\bproblem (?:is )?(?:still )?(?:there|not gone)\b|"
    r"\b(?:money|refund|replacement|new one|part|item|parcel)\b[^.?!]{0,15}?\b(?:never|still "
    r"hasn'?t|hasn'?t|hasnt|didn'?t|didnt|has not|did not) (?:came|come|arrived|turned up|shown "
    r"up|showed up|got here)\b|"
    r"(?:问题|事情|事儿|东西)?(?:根本|都|也|还|压根|完全)?(?:没|没有|未)(?:被)?(?:解决|处理|修好|搞定|弄好|退|换|到账)|"
    r"还(?:是)?(?:坏的|没(?:有)?(?:退|到|收到|修好|换|解决|处理))|(?:钱|款|退款|新的|配件)(?:都|也)?还没|"
    r"(?:没|还没)(?:解决|处理|到账|收到)(?:就|呢就)?(?:关|结)|就(?:给我)?(?:关|结)(?:了|掉了)",
    re.IGNORECASE,
)


def says_unsolved(text: str) -> bool:
    """True when a survey comment says the problem is not solved."""
    return _UNSOLVED.search(text) is not None


async def _reopen_if_unsolved(turn: Turn, survey: int, text: str) -> Reply | None:
    """After a low rating, a comment saying the problem is not solved opens its case again
    (a note with the customer's words, for the team) and says so; None otherwise."""
    if not says_unsolved(text):
        return None
    responses = await turn.deps.surveys.for_customer(turn.customer_id)
    response = next((r for r in responses if r.id == survey), None)
    if response is None or response.case_number is None or response.rating > LOW:
        return None
    try:
        case = await turn.deps.cases.get(response.case_number)
    except NotFound:
        return None
    if case.status is not CaseStatus.CLOSED:
        return None
    await turn.deps.cases.add_note(
        case.number, author="bot", text=f"Reopened after a low rating, not solved: {text}"
    )
    await turn.deps.cases.reopen(case.number)
    turn.outcome.case = case.number
    turn.outcome.unresolved = True
    return turn.reply("survey_reopened", name=turn.name, number=case.number)


# The customer taking issue with the close itself ("closed??", "why did you close it",
# "who closed my case", "咋就给关了", "怎么就结案了"): with a problem not solved, the case
# comes back rather than a fresh one offered.
_CLOSE_PROTEST = re.compile(
    r"\b(?:closed|closing|close|shut)\b\s*(?:it|this|that|my case|the case|the ticket)?\s*\?|"
    r"\b(?:why|who|how come|you)\b[^.?!]{0,25}\b(?:closed?|closing|shut)\b|"
    r"\b(?:closed|shut)\b[^.?!]{0,20}\b(?:already|so soon|on me|without)\b|"
    r"(?:怎么|为什么|为啥|凭什么|咋|谁|就这样|就这么|这就)[^。？！?!]{0,6}(?:关|结)(?:了|掉|单|案)|"
    r"(?:关|结)(?:了|单了|案了)[吗嘛?？]",
    re.IGNORECASE,
)
# How long after an agent closed a case the customer's protest reopens it.
_PROTEST_DAYS = 7


async def reopen_on_protest(turn: Turn) -> list[Reply] | None:
    """The customer's protest right after an agent closed their case with the problem still
    there ("you shut it?? parcel still missing", "咋就结案了 东西还没到"): that case is opened
    again with their words as a note, handed back to the team and said so; None when the
    message is no such protest, or no such case was just closed."""
    if turn.message.kind is not ContentKind.TEXT or turn.context.open_cases:
        return None
    text = turn.message.text.strip()
    if not (_CLOSE_PROTEST.search(text) or says_unsolved(text)):
        return None
    closed = [
        c
        for c in await turn.deps.cases.for_customer(turn.customer_id)
        if c.status is CaseStatus.CLOSED and c.closed_at is not None and c.owner is not None
    ]
    if not closed:
        return None
    case = max(closed, key=lambda c: c.closed_at or c.opened_at)
    assert case.closed_at is not None
    if (turn.deps.clock() - case.closed_at).days >= _PROTEST_DAYS:
        return None
    if case.csat is not None and case.csat > LOW:
        return None  # rated well: a new problem, not this one come back
    await turn.deps.cases.add_note(
        case.number, author="bot", text=f"Reopened: the customer says it is not solved: {text}"
    )
    await turn.deps.cases.reopen(case.number)
    if turn.deps.desk is not None:
        await turn.deps.desk.alert(
            f"↩️ Case #{case.number} reopened by {turn.context.customer.display_name}: "
            "closed but not solved",
            case_number=case.number,
        )
    turn.outcome.intents.append("reopen_case")
    turn.outcome.case = case.number
    turn.outcome.unresolved = True
    return [turn.reply("case_reopened", name=turn.name, number=case.number)]


def bot_survey_buttons() -> tuple[Button, ...]:
    """One tap to rate a conversation the bot handled alone: ``botrate:<rating>``."""
    return tuple(Button("⭐" * r, f"{BOT_RATE}:{r}") for r in range(1, 6))


async def offer_bot_rating(turn: Turn) -> list[Reply]:
    """At the end of a conversation the bot handled well, ask once for a one-tap rating:
    not while a case is open, nor after a conversation that left the problem unsolved."""
    state = turn.deps.state
    if turn.context.open_cases or turn.dialogue.unresolved or turn.outcome.unresolved:
        return []
    if not await state.first_time(f"{turn.chat}:{OFFERED}", ttl=turn.deps.fallback_ttl * 3):
        return []
    return [turn.reply("bot_survey", *bot_survey_buttons())]


async def rate_bot(turn: Turn) -> list[Reply]:
    """A rating of the bot alone: once per offer, stored without a case."""
    _, _, value = turn.message.text.partition(":")
    if not value.isdigit() or not 1 <= int(value) <= 5:
        return []
    if not await turn.deps.state.first_time(f"{turn.chat}:bot_rated", ttl=3600):
        return []
    rating = int(value)
    response = await turn.deps.surveys.rate(customer_id=turn.customer_id, rating=rating)
    if rating <= LOW and response is not None:
        turn.ask(Asked(Question.COMMENT, survey=response.id))
        return [turn.reply("survey_low_ask")]
    return [turn.reply("bot_survey_thanks")]


# A rating typed in answer to the survey ("5 thanks", "3/5 ok i guess", "4 还行吧", "五星",
# "给4分"): a number from 1 to 5 opening the message, alone or marked as a rating; a number
# that counts something ("2 more questions", "3天了") is no rating.
_TYPED = re.compile(
    r"^\s*(?:i'?d (?:say|give (?:it|you|u)(?: an?)?)\s+|(?:给|打)(?:你们|您)?(?:个)?)?"
    r"(?:(?P<digit>[1-5])(?!\d|\.\d|\s*(?:x\b|%|[-:/.,](?!\s*5\b)\s*\d))"
    r"(?:\s*(?:/\s*5|out of (?:5|five)|stars?|⭐+|颗星|星|分))?"
    r"(?!\s*(?:more|other|days?|weeks?|months?|hours?|mins?|times?|items?|orders?|things?|"
    r"个|天|周|次|件|单|号|小时|月|块|元|年))|"
    r"(?P<word>one|two|three|four|five|[一二两三四五])\s*(?:stars?|⭐|颗星|星|分))"
    r"(?=$|[\s,.!;:~，。！、～)）-]|[^\x00-\x7f])",
    re.IGNORECASE,
)
# What follows a rating without saying anything ("给4分吧", "5 lol").
_FILLER = re.compile(r"[吧啊呀哈嘛呢了哦～~]*|(?:ok|okay|lol|haha|i guess|i think)[.!]*", re.I)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "一": 1, "二": 2, "两": 2,
          "三": 3, "四": 4, "五": 5}
# How long after the case closed a typed number still answers its survey.
_SURVEY_OPEN_DAYS = 7


# A rating marked as one ("3 stars", "4/5", "三星", "给个4分") anywhere in the answer:
# "ok 3 stars i guess, she was nice but it took ages", "sam was great. 5/5".
_MARKED = re.compile(
    r"(?<![\d.])(?P<digit>[1-5])\s*(?:/\s*5|out of (?:5|five)|stars?\b|⭐+)|"
    r"\b(?P<word>one|two|three|four|five)\s+stars?\b|"
    r"(?:给|打)?(?:个)?(?P<zh>[1-5一二两三四五])\s*(?:颗星|星|分)(?!钟)",
    re.IGNORECASE,
)
# What may come before a rating that opens the answer ("ok 4", "hmm 3 i guess", "嗯 4分").
_LEAD = re.compile(
    r"^\s*(?:(?:ok(?:ay)?|well|hmm+|um+|so|eh|yeah|嗯+|那|那就|额)[\s,.!~，。]*)+", re.I
)


def typed_rating(text: str) -> tuple[int, str] | None:
    """The rating a typed answer to the survey gives, and the rest of the words (the
    comment, possibly empty); None when the message gives no rating: one opening it (after
    an "ok" or "嗯"), or one marked as a rating anywhere in it ("it took ages, 3 stars")."""
    lead = _LEAD.match(text)
    opening = text[lead.end() :] if lead else text
    found = _TYPED.match(opening)
    if found is not None:
        digit, word = found.group("digit"), found.group("word")
        rating = int(digit) if digit else _WORDS[word.lower()]
        rest = opening[found.end() :]
    else:
        marked = _MARKED.search(text)
        if marked is None:
            return None
        value = marked.group("digit") or marked.group("word") or marked.group("zh")
        rating = int(value) if value.isdigit() else _WORDS[value.lower()]
        rest = f"{text[: marked.start()]} {text[marked.end() :]}"
        rest = _LEAD.sub("", " ".join(rest.split()))
    # (Without the particles and hedges the rating leaves behind: "给个3星吧", "3 stars i guess".)
    rest = _LEFT_OVER.sub("", rest).strip(" \t,.!;:~-，。！、～")
    return rating, "" if _FILLER.fullmatch(rest) else rest


_LEFT_OVER = re.compile(
    r"^\s*(?:i guess|i think|lol)\b[\s,.]*|(?<=\s)[吧啊呀嘛呢哦]+(?=\s|$)|[吧啊呀嘛呢哦]+$", re.I
)


async def _awaiting_rating(turn: Turn) -> Case | None:
    """The case whose survey this message answers: the customer's latest closed case, not
    rated yet, closed within the last days, with nothing written by the customer since."""
    closed = [
        c
        for c in await turn.deps.cases.for_customer(turn.customer_id)
        if c.status is CaseStatus.CLOSED and c.csat is None and c.closed_at is not None
    ]
    if not closed:
        return None
    case = max(closed, key=lambda c: c.closed_at or c.opened_at)
    closed_at = case.closed_at
    assert closed_at is not None
    if (turn.deps.clock() - closed_at).days >= _SURVEY_OPEN_DAYS:
        return None
    since = [
        m
        for m in turn.context.recent
        if m.direction is Direction.IN and m.id != turn.message_record and m.created_at > closed_at
    ]
    return None if since else case


async def typed(turn: Turn) -> list[Reply] | None:
    """A rating typed in answer to the survey ("4 还行吧 就是慢了点", "5 thanks", "3/5 ok i
    guess"): stored with its comment as the buttons would; None when it is no such answer."""
    if turn.message.kind is not ContentKind.TEXT:
        return None
    parsed = typed_rating(turn.message.text)
    if parsed is None:
        return None
    case = await _awaiting_rating(turn)
    if case is None:
        return None
    rating, rest = parsed
    if rest and read_act(turn, rest) in (Act.THANKS, Act.BYE) and not is_question(rest):
        rest = ""  # "5 thanks": a rating and a thank-you, no comment to pass on
    turn.outcome.intents.append("rate")
    replies = await _stored(turn, case.number, rating)
    if not rest or not replies:
        return replies
    asked = turn.outcome.asked
    if asked is not None and asked.survey is not None:
        await turn.deps.surveys.comment(asked.survey, rest)
        turn.outcome.intents.append("survey_comment")
        turn.outcome.asked = None  # the comment came with the rating: nothing more to ask
    if rating <= LOW:
        reopened = None
        if asked is not None and asked.survey is not None:
            reopened = await _reopen_if_unsolved(turn, asked.survey, rest)
        return [reopened or turn.reply("survey_low_noted", name=turn.name)]
    if analyse(rest).label is SentimentLabel.NEGATIVE:
        # "4 she was nice but it took forever": sorry for what went wrong, not a bare thanks.
        return [turn.reply("survey_comment_sorry", name=turn.name)]
    return [turn.reply("survey_rated_comment", name=turn.name)]


def _parse(payload: str) -> tuple[int, int] | None:
    parts = payload.split(":")
    if len(parts) != 3 or parts[0] != RATE or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    number, rating = int(parts[1]), int(parts[2])
    return (number, rating) if 1 <= rating <= 5 else None


async def rate(turn: Turn) -> list[Reply]:
    """Store a rating from the survey buttons; forged or stale presses get no answer."""
    parsed = _parse(turn.message.text)
    if parsed is None:
        return []
    number, rating = parsed
    try:
        case = await turn.deps.cases.get(number)
    except NotFound:
        return []
    if case.customer_id != turn.customer_id or case.status is not CaseStatus.CLOSED:
        return []
    return await _stored(turn, number, rating)


async def _stored(turn: Turn, number: int, rating: int) -> list[Reply]:
    """Store a closed case's rating: thanks, or for a low one what went wrong asked (and the
    lead alerted); nothing when the case was rated already."""
    deps = turn.deps
    response = await deps.surveys.rate(
        customer_id=turn.customer_id, rating=rating, case_number=number
    )
    if response is None:  # one survey per case
        return []
    # Rated once in this conversation: no one-tap rating of the bot asked for on "thx" later.
    await deps.state.first_time(f"{turn.chat}:{OFFERED}", ttl=deps.fallback_ttl * 3)
    turn.ask(Asked(Question.COMMENT, survey=response.id, case=number))
    if rating <= LOW:
        if deps.desk is not None:
            await deps.desk.alert(
                f"⚠️ Case #{number} was rated {rating}/5 by {turn.context.customer.display_name}",
                case_number=number,
            )
        # Not just "thank you": ask what went wrong; the answer is stored as the comment.
        return [turn.reply("survey_low_ask")]
    return [turn.reply("survey_thanks" if rating < 4 else "survey_thanks_high")]


# Words that open a request of its own after the survey ("also", "btw", "one more thing",
# "还有个问题", "另外", "顺便问下", "对了"): what follows is asked, not said about how it went.
_NEW_REQUEST = re.compile(
    r"^\W*(?:(?:oh|ok|okay|and|ah)[\s,]+)?(?:also|btw|by the way|plus|one more (?:thing|question)|"
    r"another (?:thing|question)|quick question|(?:i have |got )?(?:a |one )?(?:different|other|"
    r"separate|unrelated) (?:thing|question|issue|problem))\b|"
    r"还有(?:个|一个|件)?(?:问题|事|事情)|另外|顺便(?:问|说|提)|对了|再问(?:一下|下|个)|还想问",
    re.IGNORECASE,
)
# A problem with something else ("the charger is broken too", "另一个也坏了"): a new problem.
_ALSO = re.compile(
    r"\b(?:too|also|as well|another|other|second)\b|也|还有|另(?:外|一)|又",
    re.IGNORECASE,
)


def new_request(turn: Turn, text: str) -> bool:
    """True when a message written while the survey waits for its comment opens a request of
    its own: a question about an order it names ("btw when does 81002 arrive"), a question or
    problem introduced as another ("also where is my other order", "还有个问题 发票怎么开"), or
    another product's fault ("the charger is broken too"). It is answered as such, and the
    survey still takes the comment that may follow."""
    asks = is_question(text)
    if turn.parse.entity("order_number") is not None and asks:
        return True
    if _NEW_REQUEST.search(text) and (asks or DEFECT.search(text)):
        return True
    return DEFECT.search(text) is not None and _ALSO.search(text) is not None


async def comment(turn: Turn) -> list[Reply] | None:
    """The comment after a rating, if this message is one; None to answer it normally."""
    asked = turn.dialogue.asked
    if turn.message.kind is not ContentKind.TEXT or asked is None:
        return None
    if asked.question is not Question.COMMENT or asked.survey is None:
        return None
    text = turn.message.text.strip()
    fresh = turn.dialogue.turn - asked.turn <= 1
    if new_request(turn, text) or (not fresh and is_question(text)):
        if fresh:
            # The question is answered; its answer asks nothing, so the comment is still
            # welcome on the next message ("the agent was slow tbh").
            turn.ask(asked)
        return None
    act = read_act(turn, text)
    # "ok", "kk", "好的" (read as a nod or a yes): adds nothing to pass on.
    nod = act in (Act.ACKNOWLEDGE, Act.AFFIRM) and length(text) <= 2
    if (act in (Act.THANKS, Act.BYE) or nod) and not is_question(text):
        # "cheers", "thx", "好的谢谢", "ok" after the rating: a goodbye, not a comment to pass
        # on (nor another rating to ask for).
        return [turn.reply("survey_bye", name=turn.name)]
    if doubts_survey(text):
        # "why even ask me to rate if nobody reads it": kept with the rating, and said
        # plainly that the team reads them, a follow-up offered.
        await turn.deps.surveys.comment(asked.survey, text)
        turn.outcome.intents.append("survey_comment")
        return await survey_doubted(turn)
    unsolved = says_unsolved(text) and not is_question(text)
    if unsolved:
        # "shut before my refund came", "压根没修好": the comment, and after a low
        # rating the case opened again (never "glad it turned up").
        await turn.deps.surveys.comment(asked.survey, text)
        turn.outcome.intents.append("survey_comment")
        reopened = await _reopen_if_unsolved(turn, asked.survey, text)
        return [reopened or turn.reply("survey_comment_sorry", name=turn.name)]
    if tells_arrived(text):
        # "oh actually found it, was at the neighbours" after a low rating: glad, noted with
        # the rating; no apology for a bad experience it no longer is.
        await turn.deps.surveys.comment(asked.survey, text)
        turn.outcome.intents.append("survey_comment")
        return [turn.reply("survey_comment_found", name=turn.name)]
    # "still no refund and the fitter never said sorry": unhappy words that ask nothing are
    # about how it went, whatever topic the engine hears in them.
    grievance = turn.parse.sentiment_label is SentimentLabel.NEGATIVE and not is_question(text)
    if turn.parse.intent not in COMMENT_INTENTS and turn.parse.confidence >= 0.6 and not grievance:
        return None
    await turn.deps.surveys.comment(asked.survey, text)
    turn.outcome.intents.append("survey_comment")
    if turn.parse.sentiment_label is SentimentLabel.NEGATIVE:
        # "she was helpful but it all took way too long", "等太久了": what went wrong is
        # apologised for, then passed on; a bare "thank you" to it reads as not listening.
        return [turn.reply("survey_comment_sorry", name=turn.name)]
    return [turn.reply("survey_comment_thanks")]
