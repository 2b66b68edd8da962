"""The one place that decides what footbot says: text in, `Reply` out. Knows nothing of Telegram.

Order of concerns for every message: an emergency first; then the conditions that need a caveat; then the
best knowledge entry, or an honest fallback with suggestions. Caveats ride on whatever the reply is.
"""

from __future__ import annotations

from pathlib import Path

from bot.config import DEFAULT_KNOWLEDGE_DIR
from bot.core.knowledge import Condition, Entry, EntryKind, KnowledgeBase
from bot.core.loader import load_knowledge
from bot.core.matcher import ANSWER_THRESHOLD, SUGGESTION_FLOOR, Matcher
from bot.core.replies import Caveat, Reply, ReplyKind, Suggestion
from bot.core.safety import SafetyDetector
from bot.core.text import normalise

MAX_SUGGESTIONS = 3


class Engine:
    """Loads the knowledge once and answers messages; safe to share between adapters and tasks."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.matcher = Matcher(kb)
        self.safety = SafetyDetector(kb.conditions, kb.red_flags)
        self.credit = kb.messages.credit.format(title=kb.source.title, author=kb.source.author)

    @classmethod
    def load(cls, knowledge_dir: Path | None = None) -> Engine:
        return cls(load_knowledge(knowledge_dir or DEFAULT_KNOWLEDGE_DIR))

    @staticmethod
    def normalise(text: str) -> str:
        """The form a message is counted in when it went unanswered (no names, no case, no punctuation)."""
        return normalise(text)

    def reply(self, text: str) -> Reply:
        """Answer one free-text message: red flags first, then the matched entry, with caveats attached."""
        if not normalise(text):
            return Reply(ReplyKind.EMPTY, self.kb.messages.empty)
        conditions, red_flag = self.safety.scan(text)
        caveats = self._caveats(conditions)
        if red_flag:
            return Reply(ReplyKind.RED_FLAG, self.kb.red_flags.reply, caveats=caveats)
        ranked = self.matcher.rank(text, hints=tuple(self.kb.caveat_for(c).terms[0] for c in conditions))
        top = ranked[0] if ranked else None
        score = top.score if top else 0.0
        if top is None or score < ANSWER_THRESHOLD:
            caution = self._caution_entry(conditions)
            if caution is not None:  # they told us about a condition: the guide's caution for it is the answer
                return self._from_entry(caution, score, caveats)
            near = [match.entry for match in ranked if match.score >= SUGGESTION_FLOOR]
            return self._fallback(caveats, near, score)
        return self._from_entry(top.entry, score, caveats)

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

    # --- composing -------------------------------------------------------------------------------------

    def _caveats(self, conditions: tuple[Condition, ...]) -> tuple[Caveat, ...]:
        return tuple(Caveat(condition, self.kb.caveat_for(condition).caveat) for condition in conditions)

    def _from_entry(self, entry: Entry, score: float, caveats: tuple[Caveat, ...]) -> Reply:
        pregnant = any(caveat.condition is Condition.PREGNANCY for caveat in caveats)
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
