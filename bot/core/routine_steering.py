"""Tonight's routine steered in words while a step is on screen, as its buttons steer it ("continue", "back",
"repeat", "where was I?", "start over", "wait", "stop"), and held back once pregnancy is named."""

from __future__ import annotations

from bot.core.composing import ReplyComposer, in_order
from bot.core.conversation import ChatContext
from bot.core.follow_ups import RoutineControl
from bot.core.knowledge import Condition, KnowledgeBase
from bot.core.remembering import ContextRecorder, named_earlier
from bot.core.replies import Caveat, Reply, ReplyKind


class RoutineSteering:
    """Built once per knowledge base beside the engine; every reply it gives is recorded in the chat's context."""

    def __init__(self, kb: KnowledgeBase, composer: ReplyComposer, recorder: ContextRecorder) -> None:
        self.kb = kb
        self.composer = composer
        self.recorder = recorder

    def steer(
        self,
        control: RoutineControl,
        step: int,
        conditions: tuple[Condition, ...],
        earlier: tuple[Condition, ...],
        context: ChatContext | None,
    ) -> Reply:
        """The routine under way, at `step` (0-based), steered as its buttons do: "stop" ends it kindly, "back" shows
        the step before (the first stays the first), "continue" the next, "repeat" the same, "start over" the
        first, "where was i" the same with its number; "wait" leaves it on screen. `earlier`: the conditions named
        earlier in the chat."""
        rules = self.kb.conversation
        if control is RoutineControl.STOP:
            reply = Reply(ReplyKind.SMALLTALK, rules.routine_stopped, score=100.0)
            self.recorder.record(context, reply, conditions, None)
            if context is not None:
                context.show_step(None)
                context.routine_stopped = step  # "resume" shows it again; "next" does not go on from the step's topic
                context.topics = ()
            return reply
        if control is RoutineControl.WAIT:
            reply = Reply(ReplyKind.SMALLTALK, rules.waiting, score=100.0)
            self.recorder.record(context, reply, conditions, None)
            return reply
        if control is RoutineControl.NEXT:
            return self.show_step(step + 1, conditions, earlier, context)
        if control is RoutineControl.BACK:
            lead = rules.first_lead if step == 0 else rules.back_lead
            return self.show_step(max(step - 1, 0), conditions, earlier, context, lead)
        shown = 0 if control is RoutineControl.RESTART else step  # REPEAT, WHERE, RESUME: the step on screen
        return self.show_step(shown, conditions, earlier, context, rules.step_lead)

    def show_step(
        self,
        step: int,
        conditions: tuple[Condition, ...],
        earlier: tuple[Condition, ...],
        context: ChatContext | None,
        lead: str | None = None,
    ) -> Reply:
        """Routine step `step` (0-based; past the last, the routine's end), with the caveats named in the chat. Once
        a condition that holds the routine back was named (pregnancy), its `routine_lead` instead, and the routine
        stops, as when the routine is asked for."""
        held = self._held_back(conditions, earlier, context) if step < len(self.kb.routine.steps) else None
        if held is not None:
            return held
        reply = self.composer.step(step, self.caveats(conditions, earlier, context), lead=lead)
        self.recorder.record(context, reply, conditions, step)
        return reply

    def caveats(
        self, conditions: tuple[Condition, ...], earlier: tuple[Condition, ...], context: ChatContext | None
    ) -> tuple[Caveat, ...]:
        """The caveats a step carries: of the conditions named now or earlier, short once said in full."""
        named = in_order((*conditions, *earlier))
        return self.composer.caveats_once(named, frozenset(), context) if named else ()

    def held_back(self, context: ChatContext | None) -> Reply | None:
        """For an adapter about to show a routine step (a button, /routine): the reply holding the routine back for a
        condition named earlier in the chat (pregnancy), with its caveat, or None; the routine then stops."""
        return self._held_back((), named_earlier(context, ()), context)

    def holds_back(self, conditions: tuple[Condition, ...], earlier: tuple[Condition, ...]) -> bool:
        """Whether a condition named now or earlier holds the routine back (pregnancy): no step is shown then."""
        return self._hold_lead(conditions, earlier) is not None

    def _hold_lead(self, conditions: tuple[Condition, ...], earlier: tuple[Condition, ...]) -> str | None:
        named = in_order((*conditions, *earlier))
        return next((self.kb.caveat_for(c).routine_lead for c in named if self.kb.caveat_for(c).routine_lead), None)

    def _held_back(
        self, conditions: tuple[Condition, ...], earlier: tuple[Condition, ...], context: ChatContext | None
    ) -> Reply | None:
        """The `routine_lead` of a condition named now or earlier, as a reply with the caveats, or None."""
        held = self._hold_lead(conditions, earlier)
        if not held:
            return None  # nearly always
        caveats = self.caveats(conditions, earlier, context)
        reply = Reply(ReplyKind.SAFETY, held, score=100.0, caveats=caveats, caveats_first=True)
        self.recorder.record(context, reply, conditions, None)
        if context is not None:
            context.show_step(None)
        return reply
