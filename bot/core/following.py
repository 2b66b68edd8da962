"""A message read against the chat's last answer: "why?", "and after that?", "and the little one?", "is that on
the left foot?". `follow_ups.py` tells what kind of follow-up a message is from its shape; this module resolves it
against the chat's context to the entry or routine step that answers it, or None, and the engine reads the message
on its own.
"""

from __future__ import annotations

import re

from bot.core.choosing import OUT_OF_SCOPE_SURE, Choice, TopicChooser
from bot.core.composing import Answer
from bot.core.conversation import ChatContext
from bot.core.follow_ups import FollowUpKind, FollowUpReader, RoutineControl
from bot.core.knowledge import Entry, EntryKind, KnowledgeBase
from bot.core.matcher import ANSWER_THRESHOLD, SUGGESTION_FLOOR
from bot.core.phrases import phrase_pattern, positions_of
from bot.core.pieces import ASKING_STARTS, asks

ALONE_SURE = 95.0  # a message pointing back that reads this surely as another entry alone asks about that one
# A message pointing back asks beyond the last answer only when it names what it asks about: "is it good for sleep?"
# (good, sleep), not "what is it good for?" (good).
MIN_WORDS_BEYOND = 2
MAX_OTHER_FOOT_WORDS = 6  # "what's on the other foot?" asks no more than that
MAX_STEP_NAME_WORDS = 5  # "what comes after the toes in the routine": the words naming a step, at most
_TITLE_NOTE = re.compile(r"\s*\([^)]*\)")  # "The sole (plantar part)" -> "The sole"


class FollowUpAnswerer:
    """Built once per knowledge base beside the engine's topic chooser; keeps only a cache of answers' words."""

    def __init__(self, kb: KnowledgeBase, chooser: TopicChooser, reader: FollowUpReader) -> None:
        self.kb = kb
        self.chooser = chooser
        self.reader = reader
        self._safety_question = phrase_pattern(kb.safety_questions.words)
        self._unrelated = frozenset(kb.conversation.unrelated)
        self._order = kb.conversation.how_default  # the entry giving the whole order of the steps
        self._answer_words_of: dict[str, frozenset[str]] = {}  # an entry's answer as content words, once read

    def answer(self, normalised: str, words: list[str], context: ChatContext | None) -> Answer | None:
        """A message read against the chat's last topic ("why?", "and after that?", "and the little one?");
        None when it is not a follow-up, or context cannot answer it (then it is read on its own)."""
        listing = self._listing(context)
        if listing is not None:
            place = self.reader.place_asked(normalised)
            if place is not None:  # "and the third one?" just after the benefits listed
                return self._item(listing, place)
        if context is not None and context.topics and self.reader.asks_which_foot(normalised):
            zone = self._last(context)
            if zone is not None and zone.map_zone is not None:  # "which foot?" after the little toe: both
                return self._on_which_foot(zone)
        doubt = self.kb.conversation.doubt_answer
        if doubt and has_history(context) and self.reader.doubts(normalised) and self.kb.has_entry(doubt):
            return Answer((self.kb.entry(doubt),), ANSWER_THRESHOLD)  # "is it proven?": not the last answer again
        again = self._again(normalised, context)
        if again is not None:  # "say that again", "again please" after an answer: that answer, once more
            return again
        follow_up = self.reader.read(normalised, words, history=has_history(context))
        if follow_up is None:
            return self._on_other_foot(normalised, words, context)  # "what's on the other foot?", else None
        kind = follow_up.kind
        if kind is FollowUpKind.AFTER:  # names what it follows: needs no context
            step = self._named_step(follow_up.rest)
            return Answer(step=step + 1) if step is not None else None
        if context is None:
            return None
        last = self._last(context)
        if kind is FollowUpKind.NEXT:
            step = self._next_step(context, last) if context is not None else None
            if step is not None:
                after_order = context.routine_step is None and last is not None and last.id == self._order
                return Answer(step=step, after_order=after_order)
            # "and then?" with no step to follow says so: no guess; the routine and the order of the steps are offered
            near = (self.kb.entry(self._order),) if self._order else ()
            # it offers the routine: "yes" next starts it, as after the whole order
            return Answer(near=near, score=ANSWER_THRESHOLD, lead=self.kb.conversation.nothing_next, after_order=True)
        if last is None:
            return None
        target: str | None = None
        if kind is FollowUpKind.WHY and follow_up.rest:  # "why the toes first?"
            target = self._reason_asked(follow_up.rest, normalised, words, last)
        elif kind is FollowUpKind.WHY:
            target = last.follow_up("why") or last.id
        elif kind is FollowUpKind.MORE:
            target = last.follow_up("more") or next(
                (other for other in last.related if other not in context.topics), None
            )
        elif kind is FollowUpKind.HOW:
            target = last.follow_up("how") or self._order
        elif self._safety_question.search(normalised):
            return None  # "is it safe for me?": a question of safety is read with the conditions named
        elif last.map_zone is not None and self.reader.names_same_zone(normalised):
            return self._on_which_foot(last)  # "is it the same on both feet?"
        elif last.map_zone is not None and self.reader.names_other_foot(normalised):
            target = self._other_side(last)  # "and the other foot?" after the heart point: the liver
            if target is None:  # after the little toe: on both feet, and the answer says so first
                return self._on_which_foot(last)
        elif kind is FollowUpKind.REFERENCE and self.reader.means_the_massage(normalised):
            return None  # "can i do it on myself?": "it" is the massage, not the last topic
        else:
            alone = self.chooser.choose(normalised, words, ())
            if (
                alone.entry is not None
                and alone.entry.kind is EntryKind.OUT_OF_SCOPE
                and alone.entry.id not in self._unrelated
            ):
                return None  # "how long for that one?": the guide's honest no stands, whatever "that" is
            # "thanks! and the big one?": small talk around a follow-up asks nothing of its own
            asks_own = (
                alone.entry is not None
                and alone.entry.id not in self._unrelated
                and alone.entry.kind is not EntryKind.SMALLTALK
            )
            if _another_zone(alone, last):
                return None  # "and the sole, what is it for and how do I massage it?": the sole, not the last zone
            if kind is FollowUpKind.CONTINUATION:
                if asks_own:
                    return None  # it asks something of its own ("and which toe is for the kidneys?")
                target = self.like_last(follow_up.rest, last)
            else:
                if (
                    alone.entry is not None
                    and alone.entry.kind is EntryKind.SMALLTALK
                    and alone.score >= ANSWER_THRESHOLD
                    and not asks(self.reader.without_fillers(normalised))
                ):
                    return None  # "thanks for that", "that didn't help": small talk, though it points back
                # "is that for both feet?": read as about the last topic, when that reads better than alone
                about = self._about_last(normalised, last)
                near = {last.id, *last.related}
                if about is None or about.entry is None or about.entry.kind is not EntryKind.ANSWER:
                    return None
                if asks_own and (about.entry.id not in near or about.score <= alone.score):
                    return None
                if alone.entry is not None and alone.score >= ALONE_SURE and alone.entry.id not in near:
                    return None  # "who wrote that?" after the benefits: the guide's author, read surely alone
                if about.entry is last and self._asks_beyond(normalised, alone, last, near):
                    return None  # "is it good for sleep?" after the ankles: their answer says nothing of sleep
                target = about.entry.id
        if target is None or not self.kb.has_entry(target):
            return None
        return Answer((self.kb.entry(target),), ANSWER_THRESHOLD)

    def _on_other_foot(self, normalised: str, words: list[str], context: ChatContext | None) -> Answer | None:
        """ "what's on the other foot?", "whats on the other side" (no follow-up's shape) just after a zone: the zone
        the map puts on the other foot, or, for a zone on both feet, that zone saying so; None for anything else."""
        if context is None or not context.topics or len(words) > MAX_OTHER_FOOT_WORDS:
            return None
        last = self._last(context)
        if last is None or last.map_zone is None or not self.reader.names_other_foot(normalised):
            return None
        other = self._other_side(last)
        return Answer((self.kb.entry(other),), ANSWER_THRESHOLD) if other is not None else self._on_which_foot(last)

    def _again(self, normalised: str, context: ChatContext | None) -> Answer | None:
        """The last answer again, asked for in the routine's words for it (`repeat`: "again", "say that again", "once
        more") with no routine step on screen (a step on screen is steered before this); None otherwise."""
        if context is None or not context.topics:
            return None
        if self.reader.routine_control(normalised) is not RoutineControl.REPEAT:
            return None
        entries = tuple(self.kb.entry(topic) for topic in context.topics if self.kb.has_entry(topic))
        return Answer(entries, ANSWER_THRESHOLD) if entries else None

    def _last(self, context: ChatContext) -> Entry | None:
        """The entry the chat's last reply answered last, if any."""
        topics = context.topics
        return self.kb.entry(topics[-1]) if topics and self.kb.has_entry(topics[-1]) else None

    def _on_which_foot(self, zone: Entry) -> Answer:
        """A zone asked about by its foot: its answer names a foot the guide gives; one the map puts on both feet
        first says so (`both_feet_lead`)."""
        both = zone.map_zone is not None and zone.map_zone.foot == "both"
        return Answer((zone,), ANSWER_THRESHOLD, lead=self.kb.conversation.both_feet_lead if both else "")

    def _listing(self, context: ChatContext | None) -> Entry | None:
        """The entry whose list the chat is going through, if any (`ChatContext.listing`)."""
        if context is None or context.listing is None or not self.kb.has_entry(context.listing):
            return None
        return self.kb.entry(context.listing)

    def _item(self, listing: Entry, place: int) -> Answer:
        """The thing at `place` (from 1; -1 the last) in what `listing` lists: the entry saying more about it, or the
        guide's honest "no more than that"; past the list's end, how many it has."""
        if not 1 <= abs(place) <= len(listing.items):
            missing = self.kb.conversation.item_missing.format(count=len(listing.items))
            return Answer(near=(listing,), score=ANSWER_THRESHOLD, lead=missing)
        item = listing.items[place - 1 if place > 0 else place]
        if item.entries:
            return Answer(tuple(map(self.kb.entry, item.entries)), ANSWER_THRESHOLD)
        return Answer(near=(listing,), score=ANSWER_THRESHOLD, lead=item.says)

    def _reason_asked(self, rest: str, normalised: str, words: list[str], last: Entry) -> str | None:
        """ "why the toes first?": the reason for what the last answer said, when most of the words asked about
        are in it, or none are asked ("why does it do that?"): the last topic's `follow_ups.why`, or a related
        entry the question reads as; None otherwise."""
        asked = set(self.chooser.matcher.question_words(rest)) - set(self.kb.conversation.references)
        if not asked:
            return last.follow_up("why") or last.id
        if 2 * len(asked & self._answer_words(last)) < len(asked):
            return None
        alone = self.chooser.choose(normalised, words, ())
        if alone.entry is not None and alone.entry.kind is EntryKind.ANSWER and alone.entry.id in last.related:
            return alone.entry.id  # "why oil?" after getting ready: the oil entry says why
        return last.follow_up("why") or last.id

    def _asks_beyond(self, normalised: str, alone: Choice, last: Entry, near: set[str]) -> bool:
        """ "is it good for sleep?" after the ankles: the message, read alone, is another answer, and most of what it
        asks (its words besides those pointing back and asking, at least `MIN_WORDS_BEYOND`) is nowhere in the last
        answer, so the last answer again would not answer it ("is that on the left foot?" after the heart point asks
        what that answer says)."""
        if alone.entry is None or alone.entry.kind is not EntryKind.ANSWER or alone.entry.id in near:
            return False
        if alone.score < ANSWER_THRESHOLD:
            return False
        asked = set(self.chooser.matcher.question_words(normalised)) - set(self.kb.conversation.references)
        asked -= ASKING_STARTS
        if len(asked) < MIN_WORDS_BEYOND:
            return False  # "what is it good for?" after the big toe asks about the big toe
        return 2 * len(asked & self._answer_words(last)) < len(asked)

    def _answer_words(self, entry: Entry) -> frozenset[str]:
        words = self._answer_words_of.get(entry.id)
        if words is None:
            words = self._answer_words_of[entry.id] = frozenset(self.chooser.matcher.question_words(entry.answer))
        return words

    def like_last(self, rest: str, last: Entry) -> str | None:
        """After the big toe, "and the little one?": the entry related to the last one that the words fit best."""
        near = {last.id, *last.related}
        matches = self.chooser.matcher.rank(rest, limit=8)
        ranked = [match for match in matches if match.entry.id in near]
        if ranked and ranked[0].score >= SUGGESTION_FLOOR and ranked[0].entry.kind is EntryKind.ANSWER:
            return ranked[0].entry.id
        # "and the heel?" after the sole: nothing near fits, and the guide's honest no about the heel reads best
        best = matches[0].score if matches else 0.0
        honest_no = (match for match in matches if match.score >= best and match.entry.kind is EntryKind.OUT_OF_SCOPE)
        found = next(honest_no, None)
        return found.entry.id if found is not None and best >= OUT_OF_SCOPE_SURE else None

    def _about_last(self, normalised: str, last: Entry) -> Choice | None:
        """After the heart point, "is that on the left foot?": the words pointing back read as the last topic."""
        name = _TITLE_NOTE.sub("", last.title).lower()
        references = set(self.kb.conversation.references)
        words = normalised.split()
        nowhere = positions_of(words, self.kb.conversation.pointing_nowhere)
        spelled = " ".join(
            name if word in references and number not in nowhere else word for number, word in enumerate(words)
        )
        return self.chooser.choose(spelled, spelled.split(), ())

    def _next_step(self, context: ChatContext, last: Entry | None) -> int | None:
        """The step after the one last shown, or after the last topic's; after the whole order (or the
        routine), the end."""
        if context.routine_step is not None:
            return context.routine_step + 1
        if context.routine_paused is not None:  # "ok what next" after a question asked mid-routine: it goes on
            return context.routine_paused + 1
        if last is not None and (last.id == self._order or last.kind is EntryKind.ROUTINE):
            return len(self.kb.routine.steps)
        step = self._step_of(last.id) if last is not None else None
        return step + 1 if step is not None else None

    def _named_step(self, words: str) -> int | None:
        """The routine step "the toes in the routine" names: the entry it reads as, or the best-matching entry
        that a step is about."""
        choice = self.chooser.choose(words, words.split(), ())
        step = self._step_of(choice.entry.id) if choice.entry is not None else None
        if step is not None:
            return step
        guesses: list[tuple[str, float]] = []
        if len(words.split()) > MAX_STEP_NAME_WORDS:
            return None  # "after a long day at work would it relax me" names no step
        if self.chooser.classifier is not None:
            guesses += [
                (guess.label, guess.score) for guess in self.chooser.classifier.read_words(words.split()).ranked()
            ]
        guesses += [(match.entry.id, match.score) for match in self.chooser.matcher.rank(words, limit=8)]
        for entry_id, score in guesses:
            step = self._step_of(entry_id)
            if step is not None and score >= SUGGESTION_FLOOR:
                return step
        return None

    def _other_side(self, last: Entry) -> str | None:
        """The zone the map puts on the other foot from `last`'s (left or right), or None when `last` is on both."""
        side = {"left": "right", "right": "left"}.get(last.map_zone.foot if last.map_zone else "")
        on_side = (entry.id for entry in self.kb.map_entries() if entry.map_zone and entry.map_zone.foot == side)
        return next(on_side, None) if side is not None else None

    def _step_of(self, entry_id: str) -> int | None:
        """The routine step (index) an entry is about, or None."""
        return next((index for index, step in enumerate(self.kb.routine.steps) if entry_id in step.topics), None)


def has_history(context: ChatContext | None) -> bool:
    """The chat has something to follow up: a topic answered, or a routine under way."""
    return context is not None and (bool(context.topics) or context.routine_step is not None)


def _another_zone(alone: Choice, last: Entry) -> bool:
    """A message read alone surely as another zone of the foot map than the last topic names that zone itself."""
    return (
        alone.entry is not None
        and alone.entry is not last
        and alone.entry.map_zone is not None
        and alone.score >= ANSWER_THRESHOLD
    )
