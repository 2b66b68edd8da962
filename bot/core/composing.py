"""How a reply is put together once the engine knows what it answers: the entries' text in order, each
condition's caveat said once (not at all when the answer says it, briefly when the chat had it in full), the guide's
credit, a routine step, a feature's reply, and the honest fallback with its suggestions. The engine reads the
message; this module never does, so what a reply looks like is decided in one place for every adapter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from bot.core.actions import Action, ActionKind
from bot.core.conversation import ChatContext
from bot.core.knowledge import Condition, Entry, EntryKind, KnowledgeBase
from bot.core.replies import Caveat, Reply, ReplyKind, Suggestion

MAX_SUGGESTIONS = 3


class Answer(NamedTuple):
    """What a reply answers: entries in order, or a routine step (index; past the end: the routine is over),
    or nothing (then `near` are the suggestions)."""

    entries: tuple[Entry, ...] = ()
    score: float = 0.0
    near: tuple[Entry, ...] = ()
    step: int | None = None
    after_order: bool = False  # the step past the last one, asked for just after the whole order was given
    lead: str = ""  # said before the one entry's answer ("The guide doesn't say what causes it...")


class ReplyComposer:
    """Built once per knowledge base; read-only afterwards, so safe to share between adapters and tasks."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.credit = kb.messages.credit.format(title=kb.source.title, author=kb.source.author)
        # Conditions an entry's answer already says, so its caveat box would repeat it.
        self._said_by: dict[str, frozenset[Condition]] = {entry.id: frozenset(entry.carries) for entry in kb.entries}
        for rule in kb.conditions:
            if rule.entry:
                self._said_by[rule.entry] = self._said_by[rule.entry] | {rule.condition}
        self._unrelated = frozenset(kb.conversation.unrelated)
        self._routine_entry = next((entry for entry in kb.entries if entry.kind is EntryKind.ROUTINE), None)
        self._fallback_topics = tuple(kb.entry(topic) for topic in kb.fallback_topics)

    def caveats(self, conditions: tuple[Condition, ...]) -> tuple[Caveat, ...]:
        """Each condition's caveat in full (a feature's reply, the safety overview)."""
        if not conditions:
            return ()  # most messages
        return tuple(Caveat(condition, self.kb.caveat_for(condition).caveat) for condition in conditions)

    def compose(
        self,
        answer: Answer,
        conditions: tuple[Condition, ...],
        remembered: tuple[Condition, ...],
        context: ChatContext | None,
        names_massage: bool = False,
    ) -> Reply:
        """The reply for `answer`: its entries, step or fallback, with the caveats of the conditions named now and,
        on anything about a massage, those named earlier in the chat (`remembered`). `names_massage`: the message
        speaks of a massage, so even an answer not about one (children, other topics) is."""
        caveats: tuple[Caveat, ...] = ()
        if conditions or remembered:  # most messages have none
            # A remembered condition rides on anything but small talk and what is not about a massage at all.
            about_massage = (
                not answer.entries
                or names_massage
                or any(
                    entry.kind is not EntryKind.SMALLTALK and entry.id not in self._unrelated
                    for entry in answer.entries
                )
            )
            named = in_order((*conditions, *remembered)) if about_massage and remembered else conditions
            said_in_answer = frozenset().union(*(self._said_by[e.id] for e in answer.entries))
            caveats = self.caveats_once(named, said_in_answer, context)
        if answer.step is not None:
            return self.step(answer.step, caveats, after_order=answer.after_order)
        if not answer.entries:  # its lead, if any, says why the guide has no more ("the fourth one?")
            return self.fallback(caveats, list(answer.near), answer.score, lead=answer.lead)
        if len(answer.entries) == 1:
            reply = self.from_entry(answer.entries[0], answer.score, caveats)
            return reply._replace(body=f"{answer.lead}\n\n{reply.body}") if answer.lead else reply
        entries = answer.entries
        return Reply(
            ReplyKind.ANSWER,
            "\n\n".join(entry.answer for entry in entries),
            topic=entries[0].id,
            score=answer.score,
            caveats=caveats,
            credit=self.credit,
            caveats_first=any(caveat.condition is Condition.PREGNANCY and caveat.text for caveat in caveats),
            topics=tuple(entry.id for entry in entries),
        )

    def caveats_once(
        self, conditions: tuple[Condition, ...], said_in_answer: frozenset[Condition], context: ChatContext | None
    ) -> tuple[Caveat, ...]:
        """Each condition's caveat, said once: not at all when the answer says it (the condition is still
        listed), briefly when this conversation already had it in full."""
        caveats = []
        for condition in conditions:
            rule = self.kb.caveat_for(condition)
            if condition in said_in_answer:
                text = ""
            elif context is not None and condition in context.caveats_said:
                text = rule.caveat_short or rule.caveat
            else:
                text = rule.caveat
            caveats.append(Caveat(condition, text))
        return tuple(caveats)

    def step(self, step: int, caveats: tuple[Caveat, ...], lead: str | None = None, after_order: bool = False) -> Reply:
        """A routine step asked for as a follow-up ("and after that?"; "back" with `lead`, the back lead); past the
        last one, the routine's end, or (`after_order`: the whole order was just given) the routine offered."""
        rules = self.kb.conversation
        steps = self.kb.routine.steps
        default_topic = rules.how_default
        suggestions: tuple[Suggestion, ...] = ()
        if step >= len(steps) and after_order and rules.order_end:
            body, topic = rules.order_end, default_topic
            routine = self._routine_entry
            suggestions = (Suggestion(routine.id, routine.title),) if routine is not None else ()
        elif step >= len(steps):
            body, topic = rules.routine_end or self.kb.routine.outro, default_topic
        else:
            current = steps[step]
            body = (lead or rules.next_lead).format(
                title=current.title, text=current.text, number=step + 1, total=len(steps)
            )
            if step == len(steps) - 1 and self.kb.messages.extra.get("routine_done"):
                body = f"{body}\n\n{self.kb.messages.extra['routine_done']}"  # the last: a reminder offered
            topic = current.topics[0] if current.topics else default_topic
        return Reply(
            ReplyKind.ANSWER,
            body,
            topic=topic,
            score=100.0,
            caveats=caveats,
            suggestions=suggestions,
            credit=self.credit,
            topics=(topic,) if topic else (),
        )

    def from_entry(self, entry: Entry, score: float, caveats: tuple[Caveat, ...]) -> Reply:
        """One entry's reply by its kind: an answer, small talk, the routine (held back in pregnancy, where its
        caveat leads), or an out-of-scope entry's honest no as the fallback's opening."""
        pregnant = bool(caveats) and any(caveat.condition is Condition.PREGNANCY for caveat in caveats)
        if entry.kind is EntryKind.OUT_OF_SCOPE:
            return self.fallback(caveats, [], score, lead=entry.answer)
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
                topics=(entry.id,),
                action=Action(ActionKind.ROUTINE),
            )
        return Reply(
            ReplyKind.ANSWER,
            entry.answer,
            topic=entry.id,
            score=score,
            caveats=caveats,
            credit=self.credit,
            caveats_first=pregnant and any(caveat.text for caveat in caveats),
            topics=(entry.id,),
        )

    def fallback(self, caveats: tuple[Caveat, ...], near: list[Entry], score: float, lead: str = "") -> Reply:
        """No answer from the guide: say so, say what we can help with, offer up to three topics."""
        suggestions = tuple(Suggestion(entry.id, entry.title) for entry in self._suggested(near))
        body = lead or self.kb.messages.fallback  # an out-of-scope explanation stands on its own
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

    def _suggested(self, near: Iterable[Entry]) -> list[Entry]:
        """The first `MAX_SUGGESTIONS` answers among `near`, then the fallback topics, each once. Told apart by id
        (unique in a knowledge base): comparing frozen entries field by field cost microseconds a fallback."""
        topics: list[Entry] = []
        seen: set[str] = set()
        for entry in (*near, *self._fallback_topics):
            if entry.kind is EntryKind.ANSWER and entry.id not in seen:
                seen.add(entry.id)
                topics.append(entry)
                if len(topics) == MAX_SUGGESTIONS:
                    break
        return topics

    def for_action(self, action: Action, caveats: tuple[Caveat, ...] = ()) -> Reply:
        """The reply to a feature asked for in words: `action` for adapters that carry it out, and the text
        from knowledge/actions.yaml for those that only show text. Caveats for conditions named ride along."""
        if action.do is ActionKind.ROUTINE:
            if self._routine_entry is not None:
                return self.from_entry(self._routine_entry, 100.0, caveats)  # pregnancy: the caveat, not the routine
            return Reply(ReplyKind.ROUTINE, self.routine_text(), score=100.0, caveats=caveats, action=action)
        if action.do is ActionKind.SAFETY:
            return self.safety_overview()._replace(action=action)  # it holds every caveat already
        rule = self.kb.actions.rule(action.do.value)
        if rule is None:
            template = ""
        elif action.do is ActionKind.REMIND:  # a place comes along only with a time: "I'm in Paris, remind me at 10pm"
            with_place = rule.reply_with_place if action.place else None
            template = (with_place or rule.reply_at if action.time else None) or rule.reply
        else:
            template = (rule.reply_at if action.time or action.place else None) or rule.reply
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

    def safety_overview(self) -> Reply:
        """Who must be careful, and when to see a professional: every caveat, then the professional's advice."""
        caveats = self.caveats(tuple(Condition))
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


_CONDITIONS = tuple(Condition)  # walking the enum itself costs a generator and a look-up a member


def in_order(conditions: Iterable[Condition]) -> tuple[Condition, ...]:
    present = set(conditions)
    if not present:
        return ()  # most messages
    return tuple(condition for condition in _CONDITIONS if condition in present)
