"""The one place that decides what footbot says: text in, `Reply` out. Knows nothing of Telegram.

Order of concerns for every message: an emergency first; then the conditions that need a caveat; then the
best knowledge entry, or an honest fallback with suggestions. Caveats ride on whatever the reply is.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from bot.config import DEFAULT_KNOWLEDGE_DIR
from bot.core.actions import Action, ActionKind, ActionRecogniser
from bot.core.classifier import MODEL_FILE, Classifier, Model
from bot.core.features import NO_TOPIC, knowledge_fingerprint
from bot.core.knowledge import Condition, Entry, EntryKind, KnowledgeBase
from bot.core.loader import load_knowledge
from bot.core.matcher import ANSWER_THRESHOLD, SUGGESTION_FLOOR, Matcher, looks_like_question
from bot.core.replies import Caveat, Reply, ReplyKind, Suggestion
from bot.core.safety import SafetyDetector
from bot.core.text import mostly_other_script, normalise, opening, sentences

logger = logging.getLogger(__name__)

MAX_SUGGESTIONS = 3
# When the classifier is unsure, a word-matcher score this high still answers: a curator's fresh phrasing
# ("what book is this from") is matched word for word before the model is trained on it.
MATCHER_SURE = 60.0
# Below the threshold, a model score this high still answers when the word matcher's best is the same entry:
# two different readings agreeing is worth more than either alone (leaving each dev set out: +0.6 points).
AGREED = 30.0
# When the model is sure the guide has no answer, the word matcher must be this sure to overrule it with an
# answer ("how many bones are in the foot" shares words with the ankles entry). Leaving each of 30 dev sets out in
# turn, 75 rather than 60 sends 9 more of 1,556 unanswerable messages to the fallback and costs 2 of 5,220 answerable.
MATCHER_OVERRULES = 75.0


class _Choice(NamedTuple):
    """What the knowledge offers for a message: the entry to answer (None: no answer), and near misses."""

    entry: Entry | None
    score: float
    near: tuple[Entry, ...] = ()


class Engine:
    """Loads the knowledge once and answers messages; safe to share between adapters and tasks.

    Topics are picked by the learnt classifier when its model was trained on the knowledge as it is now,
    and by the word matcher otherwise (no model, or a curator changed phrasings since the last training).
    """

    def __init__(self, kb: KnowledgeBase, model: Model | None = None) -> None:
        self.kb = kb
        self.matcher = Matcher(kb)
        self.safety = SafetyDetector(
            kb.conditions,
            kb.red_flags,
            typical_texts=(phrasing for entry in kb.entries for phrasing in entry.phrasings),
        )
        self.credit = kb.messages.credit.format(title=kb.source.title, author=kb.source.author)
        self.classifier = Classifier(model) if model is not None and self._fits(model) else None
        # Every word the model learnt from is met often: read once now, a first message is as quick as the next.
        self.safety.warm(model.words if self.classifier is not None and model is not None else ())
        self._safety_question = _phrase_pattern(kb.safety_questions.words)
        self._caution_ids = frozenset(rule.entry for rule in kb.conditions if rule.entry)
        self._caution_conditions = {rule.entry: rule.condition for rule in kb.conditions if rule.entry}
        self.actions = ActionRecogniser(kb.actions)

    def _fits(self, model: Model) -> bool:
        if model.knowledge_fingerprint == knowledge_fingerprint(self.kb):
            unknown = [label for label in model.labels if label != NO_TOPIC and not self.kb.has_entry(label)]
            if not unknown:
                return True
        logger.warning("The topic model was trained on other phrasings; run `footbot kb train` (word matcher used)")
        return False

    @classmethod
    def load(cls, knowledge_dir: Path | None = None) -> Engine:
        folder = knowledge_dir or DEFAULT_KNOWLEDGE_DIR
        engine = cls(load_knowledge(folder), Model.load(folder / MODEL_FILE))
        # The knowledge lives as long as the process: frozen, the garbage collector stops walking its
        # hundreds of thousands of objects on every full collection (a pause of milliseconds otherwise).
        gc.freeze()
        return engine

    @staticmethod
    def normalise(text: str) -> str:
        """The form a message is counted in when it went unanswered (no names, no case, no punctuation)."""
        return normalise(text)

    def reply(self, text: str) -> Reply:
        """Answer one free-text message: red flags first, then the matched entry, with caveats attached.

        A caution given as the answer names its condition among the caveats, however the condition was put; a
        message mostly in another script is told, in one line first, that footbot answers in English only."""
        reply = self._reply(text)
        condition = self._caution_conditions.get(reply.topic) if reply.topic else None
        if condition is not None and condition not in {caveat.condition for caveat in reply.caveats}:
            named = {condition, *(caveat.condition for caveat in reply.caveats)}
            conditions = tuple(known for known in Condition if known in named)
            first = reply.caveats_first or condition is Condition.PREGNANCY  # as `_from_entry` puts pregnancy
            reply = reply._replace(caveats=self._caveats(conditions), caveats_first=first)
        note = self.kb.messages.english_only
        if note and reply.kind is not ReplyKind.EMPTY and mostly_other_script(normalise(opening(text))):
            reply = reply._replace(body=f"{note}\n\n{reply.body}")
        return reply

    def _reply(self, text: str) -> Reply:
        head = opening(text)  # a long message's topic is read from its opening; safety reads all of it
        normalised = normalise(head)
        if not normalised:
            return Reply(ReplyKind.EMPTY, self.kb.messages.empty)
        words = normalised.split()  # one split for every reader of the message
        conditions, red_flag = self.safety.scan_words(normalised, words, text)
        caveats = self._caveats(conditions)
        if red_flag:
            return Reply(ReplyKind.RED_FLAG, self.kb.red_flags.reply, caveats=caveats)
        if (asked := self._asked_for(text, conditions)) is not None:
            return self.action_reply(asked, caveats)  # a feature asked for in words: the adapter carries it out
        choice = self._choose(head, words, conditions)
        # Someone who names a condition and asks if it is safe gets the guide's caution for it; with no answer
        # at all, the caution is still the most useful thing the guide has for them.
        if conditions and (
            choice.entry is None or (choice.entry.id not in self._caution_ids and self._asks_if_safe(head))
        ):
            caution = self._caution_for(conditions, overview_allowed=choice.entry is not None)
            if caution is not None:
                return self._from_entry(caution, max(choice.score, ANSWER_THRESHOLD), caveats)
        if choice.entry is None:
            return self._fallback(caveats, list(choice.near), choice.score)
        return self._from_entry(choice.entry, choice.score, caveats)

    def _choose(self, text: str, words: list[str], conditions: tuple[Condition, ...]) -> _Choice:
        """The model's pick when it is sure; else the word matcher's when that is sure, or when both lean the
        same way; else no answer, with the near misses of both as suggestions."""
        near: tuple[Entry, ...] = ()
        leaning: Entry | None = None  # the model's best entry when it is nearly sure
        floor = ANSWER_THRESHOLD  # what the word matcher's best must score to be answered
        if self.classifier is not None:
            reading = self.classifier.read_words(words)
            top = reading.best
            if top.label != NO_TOPIC and top.score >= ANSWER_THRESHOLD:
                return _Choice(self.kb.entry(top.label), top.score)
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
            floor = min(floor, MATCHER_SURE)  # it only says why the guide has no answer: never a wrong answer
        if ranked and ranked[0].score >= floor:
            return _Choice(ranked[0].entry, ranked[0].score)
        if leaning is not None and ranked and ranked[0].entry is leaning and ranked[0].score >= AGREED:
            return _Choice(leaning, ANSWER_THRESHOLD)
        near += tuple(match.entry for match in ranked if match.score >= SUGGESTION_FLOOR and match.entry not in near)
        return _Choice(None, ranked[0].score if ranked else 0.0, near)

    def _asks_if_safe(self, text: str) -> bool:
        """A question of the message (or its only sentence) asks whether it is safe, allowed, risky..."""
        chunks = sentences(text)
        asked = [chunk for chunk in chunks if looks_like_question(chunk)] if len(chunks) > 1 else chunks
        return any(self._safety_question.search(normalise(chunk)) for chunk in asked or chunks)

    def _caution_for(self, conditions: tuple[Condition, ...], overview_allowed: bool) -> Entry | None:
        """The caution entry for the conditions named; for a question about several at once, the overview the
        YAML names (`safety_questions.several`), when allowed."""
        overview = self.kb.safety_questions.several
        if overview_allowed and len(conditions) > 1 and overview and self.kb.has_entry(overview):
            return self.kb.entry(overview)
        return self._caution_entry(conditions)

    def _caution_entry(self, conditions: tuple[Condition, ...]) -> Entry | None:
        for condition in conditions:
            entry_id = self.kb.caveat_for(condition).entry
            if entry_id:
                return self.kb.entry(entry_id)
        return None

    def answer_topic(self, topic_id: str) -> Reply:
        """The answer for a known entry id (a suggestion button was pressed); fallback if the id is unknown."""
        if not self.kb.has_entry(topic_id):
            return self._fallback((), [], 0.0)
        return self._from_entry(self.kb.entry(topic_id), 100.0, ())

    def safety_overview(self) -> Reply:
        """Who must be careful, and when to see a professional: every caveat, then the professional's advice."""
        caveats = self._caveats(tuple(Condition))
        body = self.kb.messages.extra.get("safety_intro", "")
        if self.kb.has_entry("see_professional"):
            body = f"{body}\n\n{self.kb.entry('see_professional').answer}".strip()
        return Reply(
            ReplyKind.ANSWER, body, topic="who_should_be_careful", score=100.0, caveats=caveats, credit=self.credit
        )

    def foot_map(self) -> list[Entry]:
        """Entries placed on the foot map, in knowledge order."""
        return list(self.kb.map_entries())

    def routine_text(self) -> str:
        """Tonight's routine as one plain text (for adapters that cannot step through it)."""
        routine = self.kb.routine
        steps = "\n".join(f"{n}. {step.title}: {step.text}" for n, step in enumerate(routine.steps, start=1))
        return f"{routine.intro}\n\n{steps}\n\n{routine.outro}"

    def _asked_for(self, text: str, conditions: tuple[Condition, ...]) -> Action | None:
        """The feature asked for in words, if any. The routine asked for by someone who names a condition is
        left to the answer path, which leads with the caution ("can I do the routine on grandma, she has heart
        failure?") or holds the routine back in pregnancy."""
        action = self.actions.recognise(text)
        if action is not None and action.do is ActionKind.ROUTINE and conditions:
            return None
        return action

    def action_reply(self, action: Action, caveats: tuple[Caveat, ...] = ()) -> Reply:
        """The reply to a feature asked for in words: `action` for adapters that carry it out, and the text
        from knowledge/actions.yaml for those that only show text. Caveats for conditions named ride along."""
        if action.do is ActionKind.ROUTINE:
            entry = next((entry for entry in self.kb.entries if entry.kind is EntryKind.ROUTINE), None)
            if entry is not None:
                return self._from_entry(entry, 100.0, caveats)  # pregnancy: the caveat, not the routine
            return Reply(ReplyKind.ROUTINE, self.routine_text(), score=100.0, caveats=caveats, action=action)
        if action.do is ActionKind.SAFETY:
            return self.safety_overview()._replace(action=action)  # it holds every caveat already
        rule = self.kb.actions.rule(action.do.value)
        template = (rule.reply_at if action.time or action.place else None) or rule.reply if rule else ""
        if action.do is ActionKind.FOOT_MAP:
            zones = "\n".join(
                f"• {entry.title}: {entry.map_zone.label}" for entry in self.foot_map() if entry.map_zone is not None
            )
            topic = "foot_map" if self.kb.has_entry("foot_map") else None
            body = template.format(zones=zones)
            return Reply(
                ReplyKind.ANSWER, body, topic=topic, score=100.0, caveats=caveats, credit=self.credit, action=action
            )
        body = template.format(time=action.time or "", place=action.place or "")
        return Reply(
            ReplyKind.SMALLTALK, body, score=100.0, caveats=caveats, caveats_first=bool(caveats), action=action
        )

    # --- composing -------------------------------------------------------------------------------------

    def _caveats(self, conditions: tuple[Condition, ...]) -> tuple[Caveat, ...]:
        if not conditions:
            return ()  # most messages
        return tuple(Caveat(condition, self.kb.caveat_for(condition).caveat) for condition in conditions)

    def _from_entry(self, entry: Entry, score: float, caveats: tuple[Caveat, ...]) -> Reply:
        pregnant = bool(caveats) and any(caveat.condition is Condition.PREGNANCY for caveat in caveats)
        if entry.kind is EntryKind.OUT_OF_SCOPE:
            return self._fallback(caveats, [], score, lead=entry.answer)
        if entry.kind is EntryKind.SMALLTALK:
            return Reply(
                ReplyKind.SMALLTALK,
                entry.answer,
                topic=entry.id,
                score=score,
                caveats=caveats,
                caveats_first=bool(caveats),
            )
        if entry.kind is EntryKind.ROUTINE:
            if pregnant:
                lead = self.kb.caveat_for(Condition.PREGNANCY).routine_lead or ""
                return Reply(ReplyKind.SAFETY, lead, topic=None, score=score, caveats=caveats, caveats_first=True)
            return Reply(
                ReplyKind.ROUTINE,
                self.routine_text(),
                topic=entry.id,
                score=score,
                caveats=caveats,
                credit=self.credit,
                caveats_first=bool(caveats),
                action=Action(ActionKind.ROUTINE),
            )
        return Reply(
            ReplyKind.ANSWER,
            entry.answer,
            topic=entry.id,
            score=score,
            caveats=caveats,
            credit=self.credit,
            caveats_first=pregnant,
        )

    def _fallback(self, caveats: tuple[Caveat, ...], near: list[Entry], score: float, lead: str = "") -> Reply:
        """No answer from the guide: say so, say what we can help with, offer up to three topics."""
        topics: list[Entry] = []
        for entry in [*near, *(self.kb.entry(topic) for topic in self.kb.fallback_topics)]:
            if entry.kind is EntryKind.ANSWER and entry not in topics:
                topics.append(entry)
        suggestions = tuple(Suggestion(entry.id, entry.title) for entry in topics[:MAX_SUGGESTIONS])
        body = "\n\n".join(part for part in (lead, self.kb.messages.fallback) if part)
        if suggestions:
            body = f"{body}\n\n{self.kb.messages.suggestions_intro}"
        return Reply(
            ReplyKind.FALLBACK,
            body,
            topic=None,
            score=score,
            caveats=caveats,
            suggestions=suggestions,
            caveats_first=bool(caveats),
        )


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """One regex finding any of `phrases` as whole words in normalised text (never matches when empty)."""
    alternatives = sorted({normalise(phrase) for phrase in phrases} - {""}, key=len, reverse=True)
    if not alternatives:
        return re.compile(r"(?!x)x")
    return re.compile(r"\b(?:" + "|".join(map(re.escape, alternatives)) + r")\b")
