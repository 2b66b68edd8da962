"""What kind of follow-up a message is ("why?", "and after that?", "how do I massage it?", "and the little one?").

Only the shape of the message is read here, from the phrases in conversation.yaml; the engine resolves it
against the chat's context, and only when there is one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import NamedTuple

from bot.core.knowledge import ConversationRules
from bot.core.phrases import phrase_pattern


class FollowUpKind(StrEnum):
    WHY = "why"  # "why?": the reason behind the last answer; "why the toes first?" (`rest`: "the toes first")
    MORE = "more"  # "tell me more"
    NEXT = "next"  # "and after that?": the routine step after the last one
    AFTER = "after"  # "what comes after the sole?": the step after the one named
    HOW = "how"  # "how should I massage them?": how to work the last topic
    CONTINUATION = "continuation"  # "and the little one?", "what about the liver": like the last topic
    REFERENCE = "reference"  # any other message with a word pointing back ("is that for the lungs too?")


class RoutineControl(StrEnum):
    """Steering the routine in words, the whole message: "stop", "back" (as its buttons and the console do), and
    while a step is on screen "continue", "repeat", "start over", "where was i", "wait"."""

    STOP = "stop"
    BACK = "back"
    NEXT = "next"
    REPEAT = "repeat"
    RESTART = "restart"
    WHERE = "where"
    WAIT = "wait"
    RESUME = "resume"


MAX_FILLER_WORDS = 6  # "ok cool got it thanks": an acknowledgement is a few words at most
MAX_ITEM_WORDS = 10  # "ok can you tell me a bit more about the third one please": asking for a listed thing
MAX_STEP_DIGITS = 4  # "step 12" is read as step 12; a longer number names no step either
NO_STEP = 10**4  # the place of "step 99999999999999999999": past any routine
STAND_INS = frozenset({"one", "ones"})  # "the little one": stands for a thing like the last, not the last itself


class FollowUp(NamedTuple):
    kind: FollowUpKind
    rest: str = ""  # what the message says after its follow-up phrase ("the sole" in "what comes after the sole")


class FollowUpReader:
    """Recognises follow-ups by their phrases; knows nothing of the conversation."""

    def __init__(self, rules: ConversationRules) -> None:
        self._whole = {
            **{phrase: FollowUpKind.HOW for phrase in rules.how_alone},
            **{phrase: FollowUpKind.NEXT for phrase in rules.next},
            **{phrase: FollowUpKind.MORE for phrase in rules.more},
            **{phrase: FollowUpKind.WHY for phrase in rules.why},
        }
        self._after = Prefixes(rules.after)
        self._how = Prefixes(rules.how)
        self._continuations = Prefixes(rules.continuations)
        self._why_of = Prefixes(rules.why_of)
        self._references = frozenset(rules.references)
        # Words that point back and name nothing themselves ("it", "that"; not the "one" of "the little one"):
        # a continuation holding one ("and where is it exactly?") asks about the last topic itself.
        self._pronouns = self._references - STAND_INS
        self._fillers = Prefixes(rules.fillers)
        self._corrections = Prefixes(rules.corrections)
        self._which_foot = frozenset(rules.which_foot)
        self._closers = _longest_first_by(rules.closers, lambda closer: closer.rsplit(" ", 1)[-1])  # by last word
        self._spellings = rules.spellings
        self._same_zone = phrase_pattern(rules.same_zone)
        self._other_foot = phrase_pattern(rules.other_foot)
        self._accept = frozenset(rules.accept)
        # Words said around a new time ("actually make it 10", "ok 10 pls", "no wait, 10"): the change phrases, fillers,
        # closers and ways of saying yes, word by word
        self.time_asides = frozenset(
            word
            for phrase in (*rules.reminder_changes, *rules.time_changes, *rules.fillers, *rules.closers, *rules.accept)
            for word in phrase.split()
        )
        self._reminder_off = frozenset(rules.reminder_off)
        self._time_changes = phrase_pattern(rules.time_changes)
        self._reminder_changes = phrase_pattern(rules.reminder_changes)
        self._doubts = frozenset(rules.doubts)
        self._day_parts = frozenset(rules.day_parts)
        # The word each part of the day ends with ("evening" of "in the evening"), as typed or in phone spelling: a
        # message with none of them (nearly every one) is no part of the day, told by one set test.
        day_words = {phrase.split()[-1] for phrase in rules.day_parts if phrase.split()}
        self._day_part_words = frozenset(
            day_words | {typed for typed, meant in rules.spellings.items() if meant in day_words}
        )
        self._denials = Prefixes(rules.denials)
        self._farewell_last = re.compile(phrase_pattern(rules.farewells).pattern + "$")
        self._controls = {
            phrase: control
            for control, phrases in (
                (RoutineControl.NEXT, rules.carry_on),
                (RoutineControl.REPEAT, rules.repeat),
                (RoutineControl.RESTART, rules.restart),
                (RoutineControl.WHERE, rules.where_am_i),
                (RoutineControl.WAIT, rules.wait),
                (RoutineControl.RESUME, rules.resume),
                (RoutineControl.BACK, rules.back),
                (RoutineControl.STOP, rules.stop),  # last: "i am done" stops, though "done" carries on
            )
            for phrase in phrases
        }
        self._step_pointers = frozenset(rules.step_pointers)
        self._step_frame = frozenset(rules.item_frame) | frozenset(rules.step_frame)
        self._the_massage = phrase_pattern(rules.the_massage)
        self._ordinals = rules.ordinals
        self._cardinals = rules.cardinals
        self._item_pointers = frozenset(rules.item_pointers)
        self._item_frame = frozenset(rules.item_frame)
        self._place_words = frozenset(rules.ordinals) | self._item_pointers | (frozenset(rules.cardinals) - {"one"})
        # First words of every phrase: most messages start with none of them and are passed over at once.
        self._starts = frozenset(
            (
                *(phrase.split()[0] for phrase in self._whole),
                *self._after.starts,
                *self._how.starts,
                *self._continuations.starts,
                *self._fillers.starts,
                *self._why_of.starts,
            )
        )

    def read(self, normalised: str, words: list[str] | None = None, history: bool = True) -> FollowUp | None:
        """The follow-up a normalised message is (`words`: its split, when already made), or None when it
        reads as a message of its own. Without `history` only "what comes after the sole?" and "and then?" can be."""
        words = words if words is not None else normalised.split()
        if self._spellings and not self._spellings.keys().isdisjoint(words):
            words = self.spelt(words)
            normalised = " ".join(words)
        if not history:
            if self._whole.get(normalised) is FollowUpKind.NEXT:
                return FollowUp(FollowUpKind.NEXT)
            rest = self._after.after(normalised)
            return FollowUp(FollowUpKind.AFTER, rest) if rest else None
        points_back = not self._references.isdisjoint(words)
        if not points_back and words[0] not in self._starts:
            return None  # most messages
        normalised = self.without_fillers(normalised)
        found = self._kind_of(normalised, points_back)
        if found is None:  # "explain more pls", "why tho": read again without what closes it
            shorter = self._without_closers(normalised)
            if shorter != normalised:
                found = self._kind_of(shorter, points_back)
        return found

    def spelt(self, words: list[str]) -> list[str]:
        """Phone typing as the phrases spell it: "wht about the liver" -> "what about the liver"."""
        return [self._spellings.get(word, word) for word in words]

    def names_other_foot(self, normalised: str) -> bool:
        """ "and the other foot?", "what about the other side": the foot the last zone is not on."""
        return self._other_foot.search(normalised) is not None

    def asks_which_foot(self, normalised: str) -> bool:
        """ "which foot?", "ok left or right?": the whole message, fillers and closers aside."""
        return self._without_closers(self.without_fillers(normalised)) in self._which_foot

    def names_same_zone(self, normalised: str) -> bool:
        """ "is it the same on both feet?", "same for the other foot?": about the zone just talked about."""
        return self._same_zone.search(normalised) is not None

    def only_fillers(self, normalised: str) -> bool:
        """ "ok", "got it", "hmm ok": nothing but fillers, an acknowledgement."""
        words = normalised.split()
        if len(words) > MAX_FILLER_WORDS:
            return False  # most messages
        words = self.spelt(words) if self._spellings else words
        text = " ".join(words)
        while text:
            rest = self._fillers.after(text)
            if rest is None:
                return False
            text = rest
        return True

    def place_asked(self, normalised: str) -> int | None:
        """ "the third one?", "and number 2?", "the last one": the place (from 1; -1 the last) in a list that the
        message asks for; None when it names a place and anything but the words around one ("the second toe")."""
        words = normalised.split()
        if len(words) > MAX_ITEM_WORDS or self._place_words.isdisjoint(words):
            return None  # most messages
        words = self.spelt(words) if self._spellings else words
        place: int | None = None
        position = 0
        while position < len(words):
            word = words[position]
            after = words[position + 1] if position + 1 < len(words) else ""
            if place is None and word in self._item_pointers and after in self._cardinals:
                place = self._cardinals[after]  # "number 2", "point three"
                position += 1
            elif place is None and word in self._ordinals:
                place = self._ordinals[word]
            elif place is None and word in self._cardinals and word != "one":
                place = self._cardinals[word]  # "3", "#3", "two please"
            elif word not in self._item_frame:
                return None
            position += 1
        return place

    def step_asked(self, normalised: str) -> int | None:
        """ "step 3", "go to the last step", "what was step 2 again?": the routine step (from 1; -1 the last) the
        message asks for; None when it says anything but the words around one."""
        words = normalised.split()
        if len(words) > MAX_ITEM_WORDS or self._step_pointers.isdisjoint(words):
            return None  # most messages
        words = self.spelt(words) if self._spellings else words
        place: int | None = None
        for position, word in enumerate(words):
            after_pointer = position > 0 and words[position - 1] in self._step_pointers
            if place is None and word in self._ordinals:
                place = self._ordinals[word]  # "the third step", "the last step"
            elif place is None and after_pointer and word in self._cardinals:
                place = self._cardinals[word]  # "step 3", "step two"
            elif place is None and after_pointer and word.isdecimal():
                place = int(word) if len(word) <= MAX_STEP_DIGITS else NO_STEP  # "step 12", "step 0": none such
            elif word not in self._step_pointers and word not in self._step_frame:
                return None
        return place

    def means_the_massage(self, normalised: str) -> bool:
        """ "can i do it on myself?": the words pointing back stand for the massage, not the last topic."""
        return self._the_massage.search(normalised) is not None

    def routine_control(self, normalised: str) -> RoutineControl | None:
        """ "stop", "ok stop please", "go back": the whole message steers the routine; None for anything else."""
        if not self._controls or len(normalised.split()) > MAX_FILLER_WORDS:
            return None  # most messages
        words = self.spelt(normalised.split()) if self._spellings else normalised.split()
        text = " ".join(words)
        found = self._controls.get(text)
        return found if found is not None else self._controls.get(self._without_closers(self.without_fillers(text)))

    def accepts(self, normalised: str) -> bool:
        """ "yes please", "ok sure": the whole message takes up what the last reply offered."""
        return self._says(normalised, self._accept)

    def doubts(self, normalised: str) -> bool:
        """ "is it proven?", "but does it really work though": the whole message doubts what was just said."""
        return bool(self._doubts) and self._says(normalised, self._doubts)

    def only_a_day_part(self, normalised: str) -> bool:
        """ "evening", "no, in the evening": the whole message names a part of the day, which is no clock time."""
        if self._day_part_words.isdisjoint(normalised.split()):
            return False  # nearly every message
        return self._says(normalised, self._day_parts)

    def denies(self, normalised: str) -> bool:
        """ "no, evening", "nope ...": the message opens by saying no to what was just said."""
        return self._denials.after(normalised) is not None

    def ends_with_goodbye(self, normalised: str) -> bool:
        """ "thanks, bye!", "thank you, good night", "thanks bye now": the message's last words (closers aside) say
        goodbye (conversation.farewells)."""
        return self._farewell_last.search(self._without_closers(normalised)) is not None

    def changes_a_time(self, normalised: str) -> bool:
        """ "make it 11", "change it to 10:30": the message says a time is changed (conversation.time_changes)."""
        return self._time_changes.search(normalised) is not None

    def corrects_a_time(self, normalised: str) -> bool:
        """ "actually 10:45", "11:15 instead": the message says a time is not the one said before
        (conversation.reminder_changes)."""
        return self._reminder_changes.search(normalised) is not None

    def turns_reminder_off(self, normalised: str) -> bool:
        """ "cancel it", "ok never mind": said just after a reminder was set, the whole message turns it off."""
        return self._says(normalised, self._reminder_off)

    def _says(self, normalised: str, phrases: frozenset[str]) -> bool:
        """The whole message is one of `phrases`, as typed or without its fillers and closers ("ok sure thanks")."""
        words = self.spelt(normalised.split()) if self._spellings else normalised.split()
        text = " ".join(words)
        return text in phrases or self._without_closers(self.without_fillers(text)) in phrases

    def _kind_of(self, normalised: str, points_back: bool) -> FollowUp | None:
        """The follow-up a message is, once fillers (and maybe closers) are set aside."""
        whole = self._whole.get(normalised)
        if whole is not None:
            return FollowUp(whole)
        rest = self._after.after(normalised)
        if rest:
            return FollowUp(FollowUpKind.AFTER, rest)
        rest = self._why_of.after(normalised)
        if rest:  # "why the toes first?", "why does it do that?"
            return FollowUp(FollowUpKind.WHY, rest)
        if points_back and self._how.after(normalised) is not None:
            return FollowUp(FollowUpKind.HOW)
        rest = self._continuations.after(normalised)
        if rest and self._pronouns.isdisjoint(rest.split()):
            return FollowUp(FollowUpKind.CONTINUATION, rest)
        if points_back:
            return FollowUp(FollowUpKind.REFERENCE)
        return None

    def _without_closers(self, normalised: str) -> str:
        """Closers at the end are dropped, one after another: "explain more pls" reads as "explain more"."""
        while True:
            for closer in self._closers.get(normalised.rsplit(" ", 1)[-1], ()):
                if normalised.endswith(" " + closer):
                    normalised = normalised[: -len(closer) - 1]
                    break
            else:
                return normalised

    def corrected(self, normalised: str) -> str | None:
        """What a correction says was meant ("no wait, i meant the heart": "the heart"), past the fillers before it;
        None when the message opens with no correction, or is nothing but one."""
        return self._corrections.after(self.without_fillers(normalised)) or None

    def without_fillers(self, normalised: str) -> str:
        """Fillers at the start are dropped, one after another: "ok, and then what" reads as "and then what"."""
        while True:
            rest = self._fillers.after(normalised)
            if not rest:  # no filler, or nothing but a filler ("ok" is a message of its own)
                return normalised
            normalised = rest


class Prefixes:
    """Phrases a message may start with, kept by their first word: most messages start with none of them, and
    are passed over after one look-up rather than a comparison with every phrase (a short message is read for
    fillers and routine controls, and those lists are long)."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._by_start = _longest_first_by(phrases, lambda phrase: phrase.split(" ", 1)[0])
        self.starts = frozenset(self._by_start)

    def after(self, normalised: str) -> str | None:
        """What follows the longest phrase the text starts with ("" when the phrase is all of it); None if none."""
        for phrase in self._by_start.get(normalised.split(" ", 1)[0], ()):
            if normalised == phrase:
                return ""
            if normalised.startswith(phrase) and normalised[len(phrase)] == " ":
                return normalised[len(phrase) + 1 :]
        return None


def _longest_first_by(phrases: Iterable[str], key: Callable[[str], str]) -> dict[str, tuple[str, ...]]:
    """The phrases grouped by `key` (a first or last word), each group longest first: the longest one found wins."""
    groups: dict[str, list[str]] = {}
    for phrase in sorted(set(phrases), key=len, reverse=True):
        groups.setdefault(key(phrase), []).append(phrase)
    return {word: tuple(group) for word, group in groups.items()}
