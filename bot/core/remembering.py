"""What a chat's short memory keeps after each reply: the one place `ChatContext` is updated by the core.

A follow-up is read against it ("and after that?", "the third one?", "10pm please"), so every reply the engine
gives, whatever path it came by, is recorded here: the topics answered, the conditions named, the caveats said in
full, what the reply offered, and where the routine stands.
"""

from __future__ import annotations

from bot.core.actions import Action, ActionKind
from bot.core.conversation import REMINDER_SHOWN, REMINDER_TIME_UNKNOWN, ChatContext
from bot.core.knowledge import Condition, KnowledgeBase
from bot.core.replies import Reply, ReplyKind


class ContextRecorder:
    """Built once per knowledge base; keeps only what it reads of the knowledge for every reply."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._steps = len(kb.routine.steps)
        self._offering_reminder = frozenset(kb.conversation.reminder_offered_by)
        self._full_caveat = {rule.condition: rule.caveat for rule in kb.conditions}
        # Entries that list things ("the third one?" next), each with the entries its items are.
        self._items_of = {
            entry.id: frozenset(target for item in entry.items for target in item.entries)
            for entry in kb.entries
            if entry.items
        }

    def record(
        self,
        context: ChatContext | None,
        reply: Reply,
        conditions: tuple[Condition, ...],
        step: int | None,
        offers_routine: bool = False,
    ) -> None:
        """Keep what a follow-up needs: the topics answered, the conditions named, the caveats said in full, what
        the reply offered (`offers_routine`: going through the routine step by step), the routine `step` shown."""
        if context is None:
            return
        context.talked = True
        if conditions:
            context.conditions = context.conditions | frozenset(conditions)
        if reply.caveats:
            said = {c.condition for c in reply.caveats if c.text in ("", self._full_caveat[c.condition])}
            if said - context.caveats_said:
                context.caveats_said = context.caveats_said | said
        ended = step is not None and step >= self._steps
        offers = (
            # the routine's last step and its end offer a reminder, as the whole routine does in Telegram
            (step is not None and step >= self._steps - 1)
            or reply.kind is ReplyKind.ROUTINE
            or (reply.topic is not None and reply.topic in self._offering_reminder)
        )
        if reply.action is not None and reply.action.do is ActionKind.REMIND:
            context.offered = REMINDER_SHOWN  # one was set, or its menu shown: "make it 10" next sets that time
            context.reminder_at = reminder_after(context.reminder_at, reply.action)
        elif offers_routine:
            context.offered = ActionKind.ROUTINE.value
        else:
            context.offered = ActionKind.REMIND.value if offers else None
        if reply.kind not in (ReplyKind.SMALLTALK, ReplyKind.EMPTY):
            context.topics = reply.topics or ((reply.topic,) if reply.topic else ())
            context.listing = self._listing_after(context.listing, context.topics)
            # A question asked mid-routine (or a second one) pauses it where it stood.
            interrupted = context.routine_on_screen if step is None else None
            context.show_step(step if step is not None and not ended else None)
            if interrupted is not None:
                context.routine_paused = interrupted

    def _listing_after(self, listing: str | None, topics: tuple[str, ...]) -> str | None:
        """The list the chat goes through after a reply on `topics`: the same while the replies answer its items (or
        nothing: "the seventh one?"), else the first entry answered that has `items`, else none."""
        if listing is not None and set(topics) <= self._items_of.get(listing, frozenset()):
            return listing  # the benefits' items answered one by one: still the benefits
        return next((topic for topic in topics if topic in self._items_of), None)


MINUTES_A_DAY = 24 * 60


def reminder_after(known: str | None, action: Action) -> str | None:
    """The chat's reminder time once `action` (a REMIND) is carried out: the time it sets; moved by its shift from the
    time `known` (REMINDER_TIME_UNKNOWN when that is not known here); unchanged by the menu alone."""
    if action.time:
        return action.time
    if action.shift is None:
        return known  # the menu: nothing set yet
    if not known:
        return REMINDER_TIME_UNKNOWN  # a reminder set elsewhere, moved: it exists, its time is Telegram's to know
    hours, minutes = map(int, known.split(":"))
    moved = (hours * 60 + minutes + action.shift) % MINUTES_A_DAY
    return f"{moved // 60:02d}:{moved % 60:02d}"


def named_earlier(context: ChatContext | None, conditions: tuple[Condition, ...]) -> tuple[Condition, ...]:
    """Conditions named earlier in the chat and not in this message."""
    if context is None or not context.conditions:
        return ()
    earlier = context.conditions.difference(conditions)
    return tuple(condition for condition in Condition if condition in earlier)
