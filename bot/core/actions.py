"""Features asked for in words ("remind me at 10pm", "stop reminders"): the core names the request as an
`Action`; each adapter carries it out exactly as the matching command or button would.

The recogniser reads its phrasings from the knowledge YAML, so a curator adds ways of asking without Python.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import NamedTuple
from zoneinfo import available_timezones

from bot.core.knowledge import ActionRule, ActionRules
from bot.core.text import normalise
from bot.reminders.timeparse import TimeParseError, format_time, parse_time


class ActionKind(StrEnum):
    """What the person asked footbot to do (the `do` field of `footbot ask --json --chats`)."""

    REMIND = "remind"  # set a daily reminder at `time`; no time: offer the time menu
    REMIND_OFF = "remind_off"  # stop reminders
    ROUTINE = "routine"  # start tonight's routine, step by step
    FOOT_MAP = "foot_map"  # show the foot map (the picture, in Telegram)
    SAFETY = "safety"  # the safety overview
    TIMEZONE = "timezone"  # set the time zone to `place`
    FORGET = "forget"  # delete my data: always asks for confirmation first


class Action(NamedTuple):
    """A request for a feature; `time` is "HH:MM" for REMIND (None: ask); `place` as written, for TIMEZONE, and
    for REMIND when the message also said where the person is ("I'm in Paris, remind me at 10pm"); `shift`, for
    REMIND, the minutes the reminder set moves by ("an hour later": 60, "half an hour earlier": -30)."""

    do: ActionKind
    time: str | None = None
    place: str | None = None
    shift: int | None = None

    def to_json(self) -> dict[str, object]:
        fields: dict[str, object] = {"do": self.do.value, "time": self.time, "place": self.place}
        if self.shift is not None:  # only a reminder moved by some time has one ("an hour later": 60)
            fields["shift"] = self.shift
        return fields


# ---- recognising a request ------------------------------------------------------------------------

MAX_REQUEST_CHARS = 300  # a longer message is a story or a question, never a bare request
_AM_PM = re.compile(r"\b([apAP])\.\s?[mM]\b\.?")
# Sentences: split on ! ? ; and new lines, and on a full stop that is not inside a time ("9.45 pm").
_CLAUSES = re.compile(r"[!?;\n]+|\.(?!(?<=\d\.)\d)")
_END_MARKS = "!?;.\n \t"  # what `_CLAUSES` cuts at, and spaces
_PLACE_CLAUSES = re.compile(r"[!?;,\n]+|\.(?!(?<=\d\.)\d)")  # "I'm in Paris, remind me": the place has its own
# A clock time as typed: "10pm", "9.45 p.m.", "22:30", "2230", "22h30", "11" (read by bot.reminders.timeparse).
_CLOCK = re.compile(
    r"(?<![\d:.,])(?P<clock>\d{1,2}(?:[:.h]\d{2})?|\d{4})(?:\s*(?P<half>[ap])\.?\s?m\b\.?)?(?![\d:])(?!\.\d)"
)
_TWELVE_HOUR_CLOCK = re.compile(r"([1-9]|1[01])[:.h]\d{2}")  # an hour a 12-hour clock shows, with its minutes
# Not a time: "in 30 minutes", "2 hours", "10 weeks pregnant", "3rd", "50%".
_NOT_CLOCK = re.compile(
    r"\s*(?:%|x\b|min|mins|minutes?|hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?|st\b|nd\b|rd\b|th\b)"
)
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_HOUR_NAMES = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_HOUR_WORD = rf"(?P<hour>{_HOUR_NAMES}|\d{{1,2}})"
_MINUTE_WORDS = {"fifteen": 15, "thirty": 30, "forty five": 45, "forty-five": 45, "fourty five": 45}
# Minutes before "past" or "to": "five past nine", "twenty to eleven", "25 past 10".
_MINUTES_BEFORE = r"(?P<minute>five|ten|twenty[\s-]five|twenty|\d{1,2})\s+(?:minutes\s+)?"
_PAST_WORDS = {"five": 5, "ten": 10, "twenty": 20, "twenty five": 25}
_NOT_AN_HOUR = r"(?!\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|times?|people|steps?)\b)"  # "5 to 10 minutes"
# Times in words: "half past ten", "quarter to eleven", "ten o'clock", "ten thirty", "ten pm".
_WORD_TIMES: tuple[tuple[re.Pattern[str], int | str | None, int], ...] = (
    # minute: a number; "past" or "to" the minutes said before the hour; None the minutes said after it
    (re.compile(rf"\b{_MINUTES_BEFORE}(?:past|after)\s+{_HOUR_WORD}\b{_NOT_AN_HOUR}"), "past", 0),
    (re.compile(rf"\b{_MINUTES_BEFORE}(?:to|til|till)\s+{_HOUR_WORD}\b{_NOT_AN_HOUR}"), "to", -1),
    (re.compile(rf"\bhalf\s+{_HOUR_WORD}\b(?!\s*(?:an|a|hour|hours|minutes?|mins?)\b)"), 30, 0),  # "half nine": 9:30
    (re.compile(rf"\bhalf\s+past\s+{_HOUR_WORD}\b"), 30, 0),
    (re.compile(rf"\bquarter\s+past\s+{_HOUR_WORD}\b"), 15, 0),
    (re.compile(rf"\bquarter\s+to\s+{_HOUR_WORD}\b"), 45, -1),
    (re.compile(rf"\b{_HOUR_WORD}[\s-]+(?P<minute>fifteen|thirty|forty[\s-]five|fourty five)\b"), None, 0),
    (re.compile(rf"\b{_HOUR_WORD}\s*(?:o\s?'?\s?clock|oclock)\b"), 0, 0),
    (re.compile(rf"\b(?P<hour>{_HOUR_NAMES})(?=\s*[ap]\.?\s?m\b)"), 0, 0),
    (
        re.compile(
            rf"\bat\s+(?P<hour>{_HOUR_NAMES})\b"
            r"(?!\s*(?:fifteen|thirty|forty|fourty|o\s?'?\s?clock|oclock))"
        ),
        0,
        0,
    ),
)
_DAY_WORDS = re.compile(r"\b(?:morning|mornings|breakfast|wake up|waking)\b")
_NAMED_TIME_WORDS = frozenset({"noon", "midnight", "midday"})
_NAMED_TIMES = re.compile(rf"\b(?:{'|'.join(sorted(_NAMED_TIME_WORDS))})\b")
_BEFORE_A_TIME = re.compile(r"(?:\b(?:at|for|around|about|by|from|till|until|before|after|to)|@)\s*$")


class ActionRecogniser:
    """Finds a feature asked for in words, from the phrasings in knowledge/actions.yaml.

    Only a sentence that *starts* as a request counts (after a polite opening such as "hi, could you
    please"), so questions about a feature ("is a reminder useful?", "what does the foot map show?")
    stay questions. Never raises: any text gives an `Action` or None.
    """

    def __init__(self, rules: ActionRules) -> None:
        opening = "|".join(f"(?:{pattern})" for pattern in rules.openings)
        self._opening = re.compile(rf"(?:{opening})(?:\s+|$)") if opening else None
        self._rules = tuple(_CompiledRule.of(rule) for rule in rules.rules)
        self._spellings = rules.spellings
        remind = rules.rule(ActionKind.REMIND.value)
        self._place_patterns = tuple(re.compile(pattern) for pattern in remind.with_place) if remind else ()
        self._gate = _one_pattern(
            pattern for rule in rules.rules for pattern in (*rule.patterns, *rule.with_time, *rule.if_known_place)
        )

    def recognise(self, text: str) -> Action | None:
        if not self._rules or len(text) > MAX_REQUEST_CHARS:
            return None
        if ".m" in text or ".M" in text:
            text = _AM_PM.sub(r"\1m", text)  # "9.45 p.m. please": no sentence ends inside "p.m."
        found = self._requests(text)
        action = next(found, None)
        if action is not None and action.do is ActionKind.TIMEZONE and action.place:
            # "I live in Toronto. Remind me at 10pm": the reminder, which sets the time zone too.
            action = next((other for other in found if other.do is ActionKind.REMIND), action)
        if action is not None and action.do is ActionKind.REMIND:
            if action.time is None:
                action = action._replace(time=time_in(text))  # "Set a reminder? 10pm suits me."
            if action.time is None:
                action = action._replace(shift=shift_in(normalise(text), text))  # "move my reminder an hour later"
            action = action._replace(place=self._place_in(text))
        return action

    def _requests(self, text: str) -> Iterator[Action]:
        """Every request the message's sentences make, in order (most messages: none)."""
        sentences = _CLAUSES.split(text)
        # One sentence and its end marks ("what is it?"): the message as the engine normalised it (cached).
        alone = not text[len(sentences[0]) :].strip(_END_MARKS)
        for sentence in sentences:
            if not sentence or sentence.isspace():
                continue  # after the end mark of "what is it?"
            # "I'm pregnant, remind me at 10pm": a request may follow a comma; a bare "I'm in Berlin" may not.
            parts = [sentence, *sentence.split(",")[1:]] if "," in sentence else [sentence]
            for number, clause in enumerate(parts):
                request = self._without_opening(self._spelt(normalise(text if alone and len(parts) == 1 else clause)))
                if not request or (self._gate is not None and self._gate.match(request) is None):
                    continue  # most messages: one regex says no rule could match
                for rule in self._rules:
                    action = rule.read(request, clause, whole_sentence=number == 0)
                    if action is not None:
                        yield action
                        break

    def _place_in(self, text: str) -> str | None:
        """Where a reminder request says the person is ("I'm in Paris, remind me at 10pm": "Paris"), as typed;
        None when it names no place (the reminder's `with_place` patterns in actions.yaml)."""
        for clause in _PLACE_CLAUSES.split(text) if self._place_patterns else ():
            said = self._spelt(normalise(clause))
            for pattern in self._place_patterns:
                found = pattern.search(said)
                if found is not None and found["place"]:
                    return as_written(found["place"], clause)
        return None

    def _spelt(self, request: str) -> str:
        """ "can u remnd me" -> "can you remind me": typos and variants as the patterns spell them."""
        words = request.split()
        if not self._spellings or self._spellings.keys().isdisjoint(words):
            return request
        return " ".join(self._spellings.get(word, word) for word in words)

    def _without_opening(self, request: str) -> str:
        """ "hi could you please remind me" -> "remind me" (every opening in a row, a few at most)."""
        if self._opening is None:
            return request
        for _ in range(6):
            found = self._opening.match(request)
            if found is None or not found.end():
                break
            request = request[found.end() :]
        return request


class _CompiledRule(NamedTuple):
    do: ActionKind
    patterns: tuple[re.Pattern[str], ...]
    with_time: tuple[re.Pattern[str], ...]
    if_known_place: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, rule: ActionRule) -> _CompiledRule:
        def compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
            return tuple(re.compile(pattern) for pattern in patterns)

        return cls(
            ActionKind(rule.do), compiled(rule.patterns), compiled(rule.with_time), compiled(rule.if_known_place)
        )

    def read(self, request: str, clause: str, whole_sentence: bool = True) -> Action | None:
        """The action when `request` (normalised, opening removed) asks for it; `clause` is as typed."""
        for pattern in self.patterns:
            found = pattern.match(request)
            if found is not None:
                return self._action(found, clause)
        if self.with_time and any(pattern.match(request) for pattern in self.with_time):
            at = time_in(clause)
            if at is not None:
                return Action(self.do, time=at)
        for pattern in self.if_known_place if whole_sentence else ():
            found = pattern.match(request)
            if found is None:
                continue
            written = as_written(found["place"], clause)
            if surely_a_zone(found["place"]) or _written_as_a_name(written):  # "Mumbai": /timezone finds it
                return Action(self.do, place=written)
        return None

    def _action(self, found: re.Match[str], clause: str) -> Action:
        if self.do is ActionKind.REMIND:
            return Action(self.do, time=time_in(clause))
        if self.do is ActionKind.TIMEZONE:
            place = found.groupdict().get("place")
            return Action(self.do, place=as_written(place, clause) if place else None)
        return Action(self.do)


def _one_pattern(patterns: Iterable[str]) -> re.Pattern[str] | None:
    """Every pattern as one alternation (groups unnamed): a single match tells whether any rule could match."""
    alternatives = [re.sub(r"\(\?P<\w+>", "(?:", pattern) for pattern in patterns]
    if not alternatives:
        return None
    try:
        return re.compile("|".join(f"(?:{alternative})" for alternative in alternatives))
    except re.error:  # e.g. a back reference to a named group: go without the shortcut
        return None


def time_in(text: str, lone_hour: bool = False) -> str | None:
    """The reminder time a message names, as "HH:MM", read by the same parser as /remind; None if none.

    A bare hour ("at 10", "ten o'clock", "half past ten") is read as evening, as suits a bedtime
    reminder, unless the message speaks of the morning. A lone number is a time only with `lone_hour`, when
    the caller knows a time is being given ("actually make it 10" just after a reminder was set).
    """
    lowered = text.lower()
    morning = _DAY_WORDS.search(lowered) is not None
    for candidate, bare in _time_candidates(lowered, lone_hour):
        try:
            at = parse_time(candidate)
        except TimeParseError as error:
            if not error.choices:
                continue
            at = error.choices[1] if morning and len(error.choices) > 1 else error.choices[0]
        else:
            if bare and not morning and 1 <= at.hour < 12:
                at = at.replace(hour=at.hour + 12)
        return format_time(at)
    return None


def _time_candidates(lowered: str, lone_hour: bool = False) -> list[tuple[str, bool]]:
    """Texts for the time parser, likeliest first; `bare` when written in words without am/pm.

    A time written out ("10pm", "22:30", "half past ten") comes before an hour after "at" ("at 10"); a lone
    number is no time ("remind me 2 do it at 10": 10, not 2). The earlier wins a tie.
    """
    found: list[tuple[int, int, str, bool]] = []  # (rank, start, text, bare)
    for pattern, minute, shift in _WORD_TIMES:
        for match in pattern.finditer(lowered):
            hour = _hour_of(match["hour"])
            if hour is None:
                continue
            hour = (hour + shift - 1) % 12 + 1
            minutes = _minutes_of(match, minute)
            if minutes is None:
                continue
            after = lowered[match.end() :].lstrip()
            half = "pm" if after.startswith(("pm", "p.m", "p m")) else "am" if after.startswith(("am", "a.m")) else ""
            spelt_out = bool(half) or minute != 0 or "clock" in match.group()
            found.append((0 if spelt_out else 1, match.start(), f"{hour}:{minutes:02d}{half}", not half))
    for match in _CLOCK.finditer(lowered):
        if _NOT_CLOCK.match(lowered, match.end()):
            continue
        half = f"{match['half']}m" if match["half"] else ""
        spelt_out = bool(half) or len(match["clock"]) > 2
        # "9:45", "10.30" with no am/pm is evening for a bedtime reminder, like a bare hour; "09:45" is as written
        bare = not half and _TWELVE_HOUR_CLOCK.fullmatch(match["clock"]) is not None
        if spelt_out or _BEFORE_A_TIME.search(lowered, 0, match.start()):  # not any number: "we have 2 kids"
            found.append((0 if spelt_out else 1, match.start(), f"{match['clock']}{half}", bare))
        elif lone_hour:
            found.append((2, match.start(), match["clock"], False))
    for match in _NAMED_TIMES.finditer(lowered):
        found.append((0, match.start(), match.group(), False))
    return [(text, bare) for _, _, text, bare in sorted(found)]


# The words a time itself is said with, once normalised ("at half past ten pm", "10 in the evening"), besides its
# numbers (`_NUMBER_WORDS`, `_NAMED_TIME_WORDS`). The words said around it ("actually make it", "please", "no wait")
# are the caller's, from the knowledge (conversation.yaml).
_TIME_WORDS = frozenset(
    (  # noqa: SIM905  (a word list reads best as words)
        "at for to around about by from until till pm am p m a oclock o clock h hrs hr tonight evening night "
        "every each day in the morning later half past quarter fifteen thirty forty fourty twenty"
    ).split()
)


def only_a_time(normalised: str, asides: frozenset[str] = frozenset()) -> bool:
    """Whether a normalised message says a time and nothing more: a number (or "noon", "midnight"), and otherwise only
    words a time is said with or `asides` ("actually make it 10", "no wait, 10"; not "I wake up at 7", "ok and for 2
    people?"). Just after a reminder was set or offered, only such a message changes its time."""
    words = normalised.split()
    numbers = [word.isdigit() or word in _NUMBER_WORDS or word in _NAMED_TIME_WORDS for word in words]
    return any(numbers) and all(
        number or word in _TIME_WORDS or word in asides for word, number in zip(words, numbers, strict=True)
    )


# A reminder moved by some time: "an hour later", "30 mins earlier", "push it back half an hour", "later by 15 minutes",
# "an hour and a half later", "2 hours 15 mins earlier", "1.5 hours later" (normalised "1 5 hours"). A vague amount ("a
# bit later") moves nothing by itself: the caller asks for the new time.
_COUNT = r"(?:an?|one|two|three|four|five|ten|fifteen|twenty|twenty five|thirty|forty|forty five|fourty five|\d{1,3})"
_HOURS, _MINUTES = r"(?:hours?|hrs?|h)", r"(?:minutes?|mins?|m)"
_VAGUE_AMOUNTS = ("a little bit", "a tiny bit", "a bit", "a little", "slightly", "a tad")
_AMOUNT = (
    rf"(?:\d 5 ?{_HOURS}|{_COUNT} ?{_HOURS} and a half|{_COUNT} and a half ?{_HOURS}"
    rf"|{_COUNT} ?{_HOURS} (?:and )?{_COUNT} ?{_MINUTES}"
    rf"|half an? hour|half hour|(?:a )?quarter of an hour|quarter hour|{_COUNT} ?(?:{_HOURS}|{_MINUTES})"
    rf"|{'|'.join(_VAGUE_AMOUNTS)})"
)
# "back" and "forward" only after a verb that moves ("push it back", "bring it forward"): "back 5 min" is "brb", and a
# bare "before" or "after" ("an hour before?") asks about the massage, never moves a reminder.
_LATER, _EARLIER = ("later", "back"), ("earlier", "sooner", "forward")
_MOVED = re.compile(r"\b(?:push|pushed|move|put|set|bring|shift)\b")
SHIFT_DIRECTIONS = frozenset(_LATER + _EARLIER)  # a message with none of these words moves no reminder
_SHIFT = re.compile(
    rf"(?<!\d )\b(?:by )?(?P<amount>{_AMOUNT}) (?P<way>{'|'.join(_LATER + _EARLIER)})\b"
    rf"|\b(?P<way_first>{'|'.join(_LATER + _EARLIER)}) (?:by )?(?P<amount_after>{_AMOUNT})\b"
)
# The move's own grammar ("later by an hour", "push the reminder back"); the words said around it are the caller's
# asides, from the knowledge (conversation.yaml: reminder_changes, fillers, closers, ways of saying yes).
_SHIFT_WORDS = frozenset({"by", "it", "my", "the", "reminder"})
MAX_SHIFT_MINUTES = 12 * 60  # a reminder moved by more than this is a new time, said as one


def shift_in(normalised: str, typed: str = "") -> int | None:
    """The minutes a normalised message moves a reminder by ("an hour later": 60, "half an hour earlier": -30);
    None when it names no such move (a direction and an amount, together) or only a vague one ("a bit later").
    `typed`, the message as written, tells "1.5 hours" (90 minutes) from "3-5 hours" (no move), both "1 5 hours"."""
    found = _SHIFT.search(normalised)
    if found is None:
        return None
    amount, way = found["amount"] or found["amount_after"], found["way"] or found["way_first"]
    if way in ("back", "forward") and _MOVED.search(normalised) is None:
        return None
    if _DECIMAL_HOURS.fullmatch(amount) is not None and _DECIMAL_TYPED.search(typed) is None:
        return None
    minutes = _minutes_in(amount)
    if minutes is None or not 0 < minutes <= MAX_SHIFT_MINUTES:
        return None
    return minutes if way in _LATER else -minutes


def vague_shift_in(normalised: str) -> bool:
    """Whether a normalised message moves a reminder by an amount it does not say ("a bit later", "slightly
    earlier"): the caller asks for the new time instead of guessing one."""
    found = _SHIFT.search(normalised)
    if found is None or (found["amount"] or found["amount_after"]) not in _VAGUE_AMOUNTS:
        return False
    way = found["way"] or found["way_first"]
    return way not in ("back", "forward") or _MOVED.search(normalised) is not None  # "back a bit" is no move


_DECIMAL_HOURS = re.compile(rf"(?P<hours>\d) 5 ?{_HOURS}")  # "1.5 hours", normalised "1 5 hours"
_DECIMAL_TYPED = re.compile(r"\d[.,]5(?!\d)")  # ...when it was typed with a decimal point, not "3-5 hours"
_HALF_HOURS = re.compile(rf"(?P<hours>{_COUNT})(?: and a half ?{_HOURS}| ?{_HOURS} and a half)")
_HOURS_AND_MINUTES = re.compile(rf"(?P<hours>{_COUNT}) ?{_HOURS} (?:and )?(?P<minutes>{_COUNT}) ?{_MINUTES}")


def _minutes_in(amount: str) -> int | None:
    """ "an hour": 60, "half an hour": 30, "20 mins": 20, "quarter of an hour": 15, "an hour and a half": 90,
    "2 hours 15 minutes": 135; None for an amount not said ("a bit")."""
    if amount in _VAGUE_AMOUNTS:
        return None
    if (decimal := _DECIMAL_HOURS.fullmatch(amount)) is not None:
        return int(decimal["hours"]) * 60 + 30
    if (half := _HALF_HOURS.fullmatch(amount)) is not None:
        hours = _count(half["hours"])
        return hours * 60 + 30 if hours is not None else None
    if (both := _HOURS_AND_MINUTES.fullmatch(amount)) is not None:
        hours, minutes = _count(both["hours"]), _count(both["minutes"])
        return hours * 60 + minutes if hours is not None and minutes is not None and minutes < 60 else None
    if amount.startswith("half"):
        return 30
    if "quarter" in amount:
        return 15
    count, unit = re.fullmatch(rf"(.+?) ?({_HOURS}|{_MINUTES})", amount).groups()  # type: ignore[union-attr]
    number = _count(count)
    if number is None:
        return None
    return number * 60 if unit.startswith("h") else number


_COUNT_WORDS = {"a": 1, "an": 1, **_NUMBER_WORDS, **_MINUTE_WORDS, "twenty": 20, "twenty five": 25, "forty": 40}


def _count(word: str) -> int | None:
    """ "an": 1, "twenty five": 25, "3": 3."""
    return int(word) if word.isdigit() else _COUNT_WORDS.get(word)


def only_a_shift(normalised: str, asides: frozenset[str] = frozenset()) -> bool:
    """Whether a normalised message moves a reminder and says nothing more ("an hour later please", "push it back
    30 minutes"; not "I went to bed an hour later than usual")."""
    found = _SHIFT.search(normalised)
    if found is None:
        return False
    rest = f"{normalised[: found.start()]} {normalised[found.end() :]}".split()
    return all(word in _SHIFT_WORDS or word in asides for word in rest)


def _minutes_of(match: re.Match[str], minute: int | str | None) -> int | None:
    """The minutes a word time says: fixed, after the hour ("ten thirty"), or before it ("five past", "twenty to")."""
    if isinstance(minute, int):
        return minute
    said = " ".join(match["minute"].replace("-", " ").split())
    if minute is None:
        return _MINUTE_WORDS.get(said, 0)
    before = int(said) if said.isdigit() else _PAST_WORDS.get(said)
    if before is None or not 0 < before < 60:
        return None
    return before if minute == "past" else 60 - before


def _hour_of(word: str) -> int | None:
    hour = _NUMBER_WORDS.get(word) if not word.isdigit() else int(word)
    return hour if hour is not None and 1 <= hour <= 12 else None


def as_written(place: str, clause: str) -> str:
    """The place as the person typed it ("Asia/Kolkata", "UTC+2"), found from its normalised words."""
    words = place.split()
    if not words:
        return place
    pattern = r"[\W_]*".join(re.escape(word) for word in words)
    typed = re.search(rf"(?<![^\W_]){pattern}(?![^\W_])", clause, re.IGNORECASE)
    if typed is None:
        return place
    return typed.group().strip()


def _written_as_a_name(place: str) -> bool:
    """ "Mumbai", "Rio de Janeiro", "Stoke-on-Trent": written with capitals as a place's name is, so it may be one (the
    chat never guesses which: /timezone does, and asks when unsure); "mumbai" is left alone."""
    words = place.replace("-", " ").split()
    return (
        bool(words)
        and words[0][:1].isupper()
        and all(word[:1].isupper() or word in _NAME_JOINERS for word in words[1:])
    )


_NAME_JOINERS = frozenset({"de", "da", "do", "dos", "del", "la", "le", "les", "of", "on", "upon", "am", "an", "der"})


def surely_a_zone(place: str | None) -> bool:
    """Whether "I'm in <place>" surely names a time zone ("Berlin", "new york", "the UK": yes; "pain", "bed": no).

    Only names no one could mistake: IANA zone names, their cities and tzdata's country names. A chat message
    never builds the big place index /timezone uses (seconds, and memory); "change my time zone to <any
    town>" reaches it, through the command's own code.
    """
    if not place:
        return False
    name = normalise(place).removeprefix("the ")
    return name in _zone_names()


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    names = {"utc", "gmt"}
    for zone in available_timezones():
        names.add(normalise(zone))  # "America/New_York": "america new york"
        names.add(normalise(zone.rsplit("/", 1)[-1]))  # "new york"
    try:
        table = resources.files("tzdata").joinpath("zoneinfo", "iso3166.tab").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        table = ""
    for line in table.splitlines():
        if line and not line.startswith("#") and "\t" in line:
            country = line.split("\t", 1)[1]  # "Britain (UK)": "britain uk", "britain" and "uk"
            names.update({normalise(country), *(normalise(part) for part in re.split(r"[()&,]", country))})
    return frozenset(name for name in names if name)
