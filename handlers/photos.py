"""A photo of the problem promised for later: the case kept open, waiting for it."""

from __future__ import annotations

import re

from handlers.cases import AUTHOR, current_case
from handlers.remedy import item_case_open
from handlers.turn import Turn
from handlers.types import Reply

# The Reading detail (handlers/readings.py).
LATER = "photo_later"
# A photo, a picture, taking one: "photo", "pic", "pics", "picture", "snap one", "camera",
# "拍", "照片", "图", "相片".
_PHOTO = re.compile(
    r"\b(?:photos?|pics?|pix|pictures?|images?|snaps?|camera|screenshots?)\b|"
    r"\b(?:snap|shoot)\s+(?:one|it|a few)\b|拍|照片|相片|图片|发图|补图|(?:一|几)张图",
    re.IGNORECASE,
)
# ...not now: later, tonight, tomorrow, once home, not on me, no battery, busy ("ill send a
# photo later", "don't have a pic rn", "my phone is dead", "等下拍给你", "回家再拍", "现在拍不了").
_NOT_NOW = re.compile(
    r"\b(?:later|tonight|tomorrow|tmrw|tmr|tmw|this (?:evening|afternoon)|in the (?:evening|"
    r"morning)|when i(?:'?m| am| get)? (?:home|back|off)|after (?:work|i get)|rn|right now|atm|"
    r"at the moment|just now|not (?:home|with me|on me)|on me|with me|in a (?:bit|while|sec|min)|"
    r"give me (?:a|some) (?:bit|sec|min|minute|moment|time)|dead|no battery|at work|soon|asap|"
    r"(?:can'?t|cant|cannot|don'?t|dont|do not|haven'?t|havent|no)\s+(?:\w+\s+){0,2}"
    r"(?:take|have|got|get|send|do)\b|will|i'?ll|ill|gonna)\b|"
    r"晚点|晚些|等(?:下|会|一下|一会)|一会|待会|回(?:家|去|头)|明天|晚上|下班|没电|不方便|"
    r"(?:拍|发|弄)不了|还没拍|没法拍|稍后|(?:再|后)(?:拍|发|补)|补(?:发|上|图|照片)?|不在(?:身边|手边|家)|现在",
    re.IGNORECASE,
)
# Already sent, or asking whether one is needed: not a promise for later.
_SENT = re.compile(
    r"\b(?:already|just) (?:sent|attached|uploaded)\b|\b(?:sent|attached) (?:it|them|you|the)\b|"
    r"\bdo (?:you|u) (?:need|want)\b|已经?发(?:了|过)|发过了|要不要|需要.{0,4}吗",
    re.IGNORECASE,
)


def promises_later(turn: Turn) -> bool:
    """True when, with a faulty, wrong or incomplete item's case open, the customer says the
    photo comes later or can't be taken now ("ill send a photo later", "don't have a pic rn",
    "等下拍给你", "手机没电了 明天发照片行吗"): not a no, nor a remedy, nor news for the case."""
    text = turn.message.text
    if turn.parse.orders or _PHOTO.search(text) is None or _SENT.search(text) is not None:
        return False
    if _NOT_NOW.search(text) is None:
        return False
    return item_case_open(turn)


async def kept_waiting(turn: Turn) -> list[Reply]:
    """The case stays open and waits for the photo (noted for the team, so nobody closes it
    for want of one), and how to send it: here in this chat, where it goes onto the case."""
    case = await current_case(turn)
    if case is None:
        return [turn.reply("photo_later_no_case")]
    await turn.deps.cases.add_note(
        case.number, author=AUTHOR, text=f"Photo to follow: {turn.message.text.strip()}"
    )
    return [turn.reply("photo_later", number=case.number)]
