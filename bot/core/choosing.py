"""Which knowledge entry answers a message, or that none does: text and its words in, a `Choice` out.

The topic model (`classifier.py`) decides when it is sure; the word matcher (`matcher.py`) when the model is
unsure and the matcher is, or when both lean the same way. Between them come the curator's own readings from the
YAML: a remedy asked for a trouble an entry eases (`remedy_for`), an entry asked for in its words (`asked_when`),
and the gaps (`gaps.py`): what the guide has no word for is said not to be in it, not answered by a neighbour.
"""

from __future__ import annotations

from typing import NamedTuple

from bot.core.classifier import Classifier
from bot.core.features import NO_TOPIC
from bot.core.gaps import GapFinder
from bot.core.knowledge import Condition, Entry, EntryKind, KnowledgeBase
from bot.core.matcher import ANSWER_THRESHOLD, SUGGESTION_FLOOR, Matcher, looks_like_question
from bot.core.phrases import first_words, phrase_pattern
from bot.core.text import normalise, sentences

# When the classifier is unsure, a word-matcher score this high still answers: a curator's fresh phrasing
# ("what book is this from") is matched word for word before the model is trained on it. 70 rather than 60:
# on real people's questions (benchmarks/cv_real.py, folds by page) 11 more of 611 unanswerable ones got the
# honest fallback (with MATCHER_OVERRULES at 85) for 1 of 178 answerable; with 2,144 real questions, 75 (and
# MATCHER_OVERRULES 90) gave 5 more of 1,406 for none of 373 answerable (80: 9 more, but "how do i relax and
# sleep", matched at 79, went unanswered); team held-out sets: +1 unanswerable.
MATCHER_SURE = 75.0
OUT_OF_SCOPE_SURE = 60.0  # ...but the guide's honest "it doesn't say" needs only this: it never answers wrongly
# Below the threshold, a model score this high still answers when the word matcher's best is the same entry:
# two different readings agreeing is worth more than either alone (leaving each dev set out: +0.6 points).
AGREED = 30.0
# When the model is sure the guide has no answer, the word matcher must be this sure to overrule it with an
# answer ("how many bones are in the foot" shares words with the ankles entry). Leaving each of 30 dev sets out in
# turn, 75 rather than 60 sent 9 more of 1,556 unanswerable messages to the fallback and cost 2 of 5,220
# answerable; real people's questions then moved it to 85, then 90 (see MATCHER_SURE).
MATCHER_OVERRULES = 90.0


class Choice(NamedTuple):
    """What the knowledge offers for a message: the entry to answer (None: no answer), and near misses."""

    entry: Entry | None
    score: float
    near: tuple[Entry, ...] = ()
    lead: str = ""


class TopicChooser:
    """Picks the entry that answers a message, or none: the topic model first, then the curator's readings (a remedy
    asked, an entry's `asked_when`, the gaps the guide has no word for), then the word matcher. Knows nothing of
    conversations; of the cautions, only which entries are caution-like (never the question behind one)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        matcher: Matcher,
        classifier: Classifier | None,
        gaps: GapFinder,
        caution_like: frozenset[str],
    ) -> None:
        self.kb = kb
        self.matcher = matcher
        self.classifier = classifier
        self.gaps = gaps
        self._caution_like = caution_like
        # Each condition's caution entry, and the entry for several conditions at once.
        self._condition_of = kb.caution_conditions()
        self._caution_of = {condition: kb.entry(entry_id) for entry_id, condition in self._condition_of.items()}
        several = kb.safety_questions.several
        self._several = kb.entry(several) if several and kb.has_entry(several) else None
        self.names_massage = phrase_pattern(kb.safety_questions.massage_words)  # the engine reads it too
        self._remedy_asks = phrase_pattern(kb.conversation.remedy_asks)
        self._overrulable = frozenset(kb.conversation.remedy_overrules)
        self._cause_asks = phrase_pattern(kb.conversation.cause_asks)
        self._definition_asks = phrase_pattern(kb.conversation.definition_asks, at_start=True)
        self._symptoms = phrase_pattern(kb.conversation.symptoms)
        answer = kb.conversation.trouble_answer
        self._trouble_answer = kb.entry(answer) if answer and kb.has_entry(answer) else None
        # The gap phrases an answer entry answers itself ("what causes" beside why feet ache), blanked before its gap
        # check.
        self._answered_gaps = {
            entry.id: phrase_pattern(entry.answers_gaps) for entry in kb.entries if entry.answers_gaps
        }
        self._remedies = tuple((phrase_pattern(entry.remedy_for), entry) for entry in kb.entries if entry.remedy_for)
        # Entries that answer from a score of their own (`sure_from`), else ANSWER_THRESHOLD.
        self._sure_from = {entry.id: entry.sure_from for entry in kb.entries if entry.sure_from is not None}
        self._asked_when = tuple(
            (phrase_pattern(entry.asked_when.asks), phrase_pattern(entry.asked_when.about), entry)
            for entry in kb.entries
            if entry.asked_when is not None
        )
        # Every entry's asks at once: most messages hold none, and one search says so (2.7 searches a message before).
        self._any_asked_when = phrase_pattern(
            ask for entry in kb.entries if entry.asked_when is not None for ask in entry.asked_when.asks
        )
        # The words a trouble's name starts with ("swollen", "cramp*"): most messages hold none, told by a set test
        # and one short pattern instead of the remedies' regexes.
        self._remedy_heads, self._remedy_partial = first_words(
            term for entry in kb.entries for term in entry.remedy_for
        )

    def choose(self, text: str, words: list[str], conditions: tuple[Condition, ...]) -> Choice:
        """The entry that answers the message, unless the message asks about something the guide has no word
        for (a gap word, see gaps.py): then the out-of-scope entry that says so."""
        choice = self._choose_topic(text, words, conditions)
        entry = choice.entry
        cautioned = self._condition_of.get(entry.id) if entry is not None else None
        if conditions and cautioned is not None and cautioned not in conditions:
            # "my dad has CHF, can I rub his feet?": a heart condition named, and the model's diabetes caution would
            # answer for a condition nobody named; the caution of what was named answers instead.
            return choice._replace(entry=self._caution_for(conditions))
        if entry is not None and entry.kind is EntryKind.ANSWER and entry.id not in self._caution_like:
            normalised = " ".join(words)
            # "What causes leg cramps, and what can I do about them?": the guide has the remedy, not the cause; the
            # cause asked ("what causes", a gap on its own) is said not to be in the guide, and the remedy answered.
            cause = (
                bool(entry.remedy_for)
                and self._cause_asks.search(normalised) is not None
                and self.remedy_asked(normalised) is entry
            )
            gap = self._gap_in(normalised, cause, entry)
            if gap is not None and len(chunks := sentences(text)) > 1:
                # Only what is asked counts: "I had a deep tissue massage. Why do I fall asleep?" asks about sleep.
                asked = [normalise(chunk) for chunk in chunks if looks_like_question(chunk)]
                gap = next((found for q in asked if (found := self._gap_in(q, cause, entry))), None) if asked else gap
            if gap is not None:
                return Choice(self._gap_answered_near(normalised, words) or gap, choice.score, (entry,))
            if cause:
                return choice._replace(lead=self.kb.conversation.cause_lead)
            if self._trouble_answer is not None and self.asks_what_the_trouble_is(normalised):
                return Choice(self._trouble_answer, choice.score, (entry,))
        return choice

    def _caution_for(self, conditions: tuple[Condition, ...]) -> Entry | None:
        """The caution of the one condition named, or the entry for several at once."""
        return self._caution_of.get(conditions[0]) if len(conditions) == 1 else self._several

    def asks_what_the_trouble_is(self, normalised: str) -> bool:
        """ "What exactly is ankle swelling?" (what a trouble the guide says a massage eases is), "why do my toes
        tingle?" (what causes a symptom), not what to do about it nor about the massage. Real questions, folds
        by page: +3 and +8 of 1,634 honest fallbacks, no answer lost."""
        defines = self._definition_asks.match(normalised) is not None
        symptom = self._symptoms.search(normalised) is not None
        if not (defines or symptom):
            return False  # most messages
        if self._remedy_asks.search(normalised) is not None or self.names_massage.search(normalised) is not None:
            return False
        if defines and any(pattern.search(normalised) for pattern, _ in self._remedies):
            return True
        return symptom and self._cause_asks.search(normalised) is not None

    def _gap_answered_near(self, normalised: str, words: list[str]) -> Entry | None:
        """ "What causes sore feet?" read as the remedy for sore feet: the cause asked is a gap there, but a close
        second reading answers it (its `answers_gaps`: the guide says why feet ache), so that one answers."""
        for entry_id, answered in self._answered_gaps.items():
            if answered.search(normalised) is None:
                continue
            rest = answered.sub(" ", normalised)
            if self.gaps.gap(rest, rest.split()) is None and self._reads_as(entry_id, words, SUGGESTION_FLOOR):
                return self.kb.entry(entry_id)
        return None

    def _reads_as(self, entry_id: str, words: list[str], floor: float) -> bool:
        """The topic model (or, without one, the word matcher) gives `entry_id` at least `floor`."""
        if self.classifier is not None:
            return any(
                guess.label == entry_id and guess.score >= floor for guess in self.classifier.read_words(words).ranked()
            )
        return any(match.entry.id == entry_id and match.score >= floor for match in self.matcher.rank(" ".join(words)))

    def _gap_in(self, normalised: str, cause_answered: bool, entry: Entry) -> Entry | None:
        """The out-of-scope entry for a gap the message names, other than those `entry` answers itself; with
        `cause_answered`, a cause asked is no gap."""
        if cause_answered:
            normalised = self._cause_asks.sub(" ", normalised)
        answered = self._answered_gaps.get(entry.id)
        if answered is not None:
            normalised = answered.sub(" ", normalised)
        return self.gaps.gap(normalised, normalised.split())

    def _choose_topic(self, text: str, words: list[str], conditions: tuple[Condition, ...]) -> Choice:
        """The model's pick when it is sure; else the word matcher's when that is sure, or when both lean the
        same way; else no answer, with the near misses of both as suggestions."""
        near: tuple[Entry, ...] = ()
        leaning: Entry | None = None  # the model's best entry when it is nearly sure
        floor = ANSWER_THRESHOLD  # what the word matcher's best must score to be answered
        reading = self.classifier.read_words(words) if self.classifier is not None else None
        sure = (
            reading is not None
            and reading.best.label != NO_TOPIC
            and reading.best.score >= self._sure_from.get(reading.best.label, ANSWER_THRESHOLD)
        )
        if sure and (picked := self.kb.entry(reading.best.label)).kind is EntryKind.ANSWER:
            return Choice(picked, reading.best.score)
        if not conditions and (not sure or picked.id in self._overrulable):
            # Unless the model is sure of an answer (or of another reading than a named ailment: "are compression
            # socks good for swollen ankles?" asks about socks), a remedy asked for what the guide says a massage
            # eases, then an entry's `asked_when`, come before its other readings ("What to do when you develop a
            # leg cramp"). Real questions, folds by page: +3 and +4 of 409 answered, no fallback lost. Asked before
            # the model's sure answers too, remedies gained 2 more, for 5 us a message (p50 +5%).
            normalised = " ".join(words)
            asked = self.remedy_asked(normalised) or self.asked_when_found(normalised)
            if asked is not None:
                return Choice(asked, ANSWER_THRESHOLD)
        elif conditions and (not sure or picked.id in self._overrulable) and self.remedy_asked(" ".join(words)):
            # "What can I do about leg cramps when I'm pregnant?": a massage eases them, so whether it is all right
            # for them is the question; no answer here, and the engine answers with the condition's caution.
            return Choice(None, ANSWER_THRESHOLD)
        if sure:
            return Choice(picked, reading.best.score)
        if reading is not None:
            top = reading.best
            if top.label != NO_TOPIC and top.score >= AGREED:
                leaning = self.kb.entry(top.label)
            sure_of_none = top.label == NO_TOPIC and top.score >= ANSWER_THRESHOLD
            floor = MATCHER_OVERRULES if sure_of_none else MATCHER_SURE
            near = tuple(
                self.kb.entry(guess.label)
                for guess in reading.ranked()
                if guess.label != NO_TOPIC and guess.score >= SUGGESTION_FLOOR
            )
        ranked = self.matcher.rank(text, hints=tuple(self.kb.caveat_for(c).terms[0] for c in conditions))
        if ranked and ranked[0].entry.kind is EntryKind.OUT_OF_SCOPE:
            floor = min(floor, OUT_OF_SCOPE_SURE)  # it only says why the guide has no answer: never a wrong answer
        if ranked and ranked[0].score >= floor and self._matcher_may_pick(ranked[0].entry, leaning, conditions):
            return Choice(ranked[0].entry, ranked[0].score)
        if leaning is not None and ranked and ranked[0].entry is leaning and ranked[0].score >= AGREED:
            return Choice(leaning, ANSWER_THRESHOLD)
        offered = {entry.id for entry in near}  # ids, unique: comparing frozen entries field by field costs more
        near += tuple(
            match.entry for match in ranked if match.score >= SUGGESTION_FLOOR and match.entry.id not in offered
        )
        return Choice(None, ranked[0].score if ranked else 0.0, near)

    def _matcher_may_pick(self, entry: Entry, leaning: Entry | None, conditions: tuple[Condition, ...]) -> bool:
        """Whether the word matcher's sure pick may answer on its own words. Starting the routine is an action: when
        the model leans elsewhere, the matcher's word "routine" does not start it ("what are the benefits of having a
        bedtime routine?"). A condition's caution answers a message that names the condition (safety.py reads it,
        disguises and all), not one that only shares its words ("what is the problem?" with "heart problems")."""
        if entry.kind is EntryKind.ROUTINE:
            return leaning is None
        return entry.id not in self._condition_of or bool(conditions)

    def remedy_asked(self, normalised: str) -> Entry | None:
        """ "What can I do about swollen ankles?", "any remedy for cramp?": a remedy asked for something an entry
        says a foot massage eases (its `remedy_for`) is answered by that entry (see `_choose_topic`; the
        message carries no condition: the caution answers those)."""
        if self._remedy_heads.isdisjoint(normalised.split()) and self._remedy_partial.search(normalised) is None:
            return None  # most messages
        named = next((entry for pattern, entry in self._remedies if pattern.search(normalised)), None)
        return named if named is not None and self._remedy_asks.search(normalised) is not None else None

    def asked_when_found(self, normalised: str) -> Entry | None:
        """ "How to give a relaxing foot massage", "foot massage techniques?": an entry's `asked_when` (one of its
        asks and one of its about) found in a message the model is not sure answers otherwise."""
        if self._any_asked_when.search(normalised) is None:
            return None  # most messages
        return next(
            (entry for asks, about, entry in self._asked_when if asks.search(normalised) and about.search(normalised)),
            None,
        )
