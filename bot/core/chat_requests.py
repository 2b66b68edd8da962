"""Features asked for in the flow of a chat, which only make sense after what footbot just said: an offered reminder
taken up ("10pm please", "yes"), a reminder just set changed ("actually make it 10") or turned off ("cancel it"),
the routine offered taken up ("yes", "next"), and a reminder moved ("an hour later please") whenever it was set."""

from __future__ import annotations

from bot.core.actions import (
    SHIFT_DIRECTIONS,
    Action,
    ActionKind,
    only_a_shift,
    only_a_time,
    shift_in,
    time_in,
    vague_shift_in,
)
from bot.core.conversation import REMINDER_SHOWN, ChatContext
from bot.core.follow_ups import FollowUpReader, RoutineControl
from bot.core.matcher import looks_like_question

MAX_TAKE_UP_WORDS = 6  # "yes please, at 10pm": a time taking up an offered reminder is said in a few words
MAX_SHIFT_WORDS = 10  # "could you push it back half an hour please": a reminder moved in words is said in few


class ChatRequests:
    """Reads a message against what the last reply offered (`ChatContext.offered`); words from conversation.yaml."""

    def __init__(self, follow_ups: FollowUpReader) -> None:
        self.follow_ups = follow_ups

    def after_offer(
        self,
        text: str,
        normalised: str,
        words: list[str],
        context: ChatContext | None,
        control: RoutineControl | None,
    ) -> Action | None:
        """What the message takes up of the last reply's offer, if anything; else a reminder moved in words.
        `control`: the message read as steering the routine ("next")."""
        offered = context.offered if context is not None else None
        asked = None
        if offered == ActionKind.REMIND.value:  # "10pm please", or "make it 11" to the reminder offered
            asked = self._taken_up(text, normalised, words) or self._time_changed(text, normalised, words)
        elif offered == REMINDER_SHOWN:
            asked = self._reminder_changed(text, normalised, words)
        elif offered == ActionKind.ROUTINE.value:
            # "yes" (or "next") to going through it step by step
            taken_up = self.follow_ups.accepts(normalised) or control is RoutineControl.NEXT
            asked = Action(ActionKind.ROUTINE) if taken_up else None
        if asked is None and offered != REMINDER_SHOWN and self._reminder_set(context):
            # "make it 11", or "actually 10:45" (a clock time, not a bare hour), other talk since the reminder was set
            asked = self._time_changed(text, normalised, words) or self._clock_time_corrected(text, normalised, words)
        if asked is not None or text.rstrip().endswith("?"):  # "an hour later?" asks something; it moves nothing
            return asked
        if context is not None and context.routine_on_screen is not None and "reminder" not in words:
            return None  # "ok 10 min later then" under a step: about the massage, not the reminder
        return self._reminder_moved(text, normalised, words, just_shown=offered == REMINDER_SHOWN)

    def time_change_unheld(
        self, text: str, normalised: str, words: list[str], context: ChatContext | None
    ) -> str | None:
        """The time "make it 11" says in a chat that has set no reminder and was offered none: asked what it means,
        never set unasked (None for any other message)."""
        if context is not None and (context.reminder_at is not None or context.offered is not None):
            return None  # after_offer read it
        return self._changed_to(text, normalised, words)

    @staticmethod
    def _reminder_set(context: ChatContext | None) -> bool:
        """The chat set a reminder that "make it 11" can change, and no routine step is on screen ("make it 5" under
        a step is about the massage)."""
        return context is not None and context.reminder_at is not None and context.routine_on_screen is None

    def _time_changed(self, text: str, normalised: str, words: list[str]) -> Action | None:
        """ "make it 11", "change it to 10:30": the reminder set at that time, as "remind me at 11" sets it."""
        at = self._changed_to(text, normalised, words)
        return Action(ActionKind.REMIND, time=at) if at is not None else None

    def _clock_time_corrected(self, text: str, normalised: str, words: list[str]) -> Action | None:
        """ "actually 10:45", "no wait, 11:15pm" in a chat that set a reminder: a clock time said with minutes or
        am/pm (a bare "10" may mean anything by now) and a word that corrects one, and nothing else."""
        said = self.follow_ups.corrects_a_time(normalised)
        at = self._time_said(text, normalised, words, said, MAX_TAKE_UP_WORDS, lone_hour=False)
        return Action(ActionKind.REMIND, time=at) if at is not None else None

    def _changed_to(self, text: str, normalised: str, words: list[str]) -> str | None:
        """The time a message changes something to, said with one of `conversation.time_changes` and nothing but
        the words around a time ("ok can you make it 11pm please"); a bare hour is one ("make it 11": 23:00)."""
        said = self.follow_ups.changes_a_time(normalised)
        return self._time_said(text, normalised, words, said, MAX_SHIFT_WORDS, lone_hour=True)

    def _time_said(
        self, text: str, normalised: str, words: list[str], said: bool, max_words: int, *, lone_hour: bool
    ) -> str | None:
        """The time of a short message that `said` it is changed and has nothing but the words around a time ("make
        it 2 people", "change it to the big toe" have more); None otherwise."""
        if not said or len(words) > max_words or not only_a_time(normalised, self.follow_ups.time_asides):
            return None
        return time_in(text, lone_hour=lone_hour)

    def _taken_up(self, text: str, normalised: str, words: list[str]) -> Action | None:
        """After a reply offering a bedtime reminder: "10pm please" or "yes, at 9:30" sets it (like "remind me at
        10pm"); "yes please" opens the time menu; anything else is read as usual."""
        asides = self.follow_ups.time_asides
        if len(words) <= MAX_TAKE_UP_WORDS and not looks_like_question(text) and only_a_time(normalised, asides):
            at = time_in(text)
            if at is not None:
                return Action(ActionKind.REMIND, time=at)
        if self.follow_ups.accepts(normalised):
            return Action(ActionKind.REMIND)
        return None

    def _reminder_changed(self, text: str, normalised: str, words: list[str]) -> Action | None:
        """Just after a reminder was set or its menu shown: "no, 10:30pm", "10 please" or "actually make it 10" sets
        that time (a time said with nothing but `conversation.reminder_changes`, fillers and the like), "cancel it"
        turns reminders off; anything else is read as usual."""
        if len(words) > MAX_TAKE_UP_WORDS:
            return None
        if self.follow_ups.turns_reminder_off(normalised):
            return Action(ActionKind.REMIND_OFF)
        if not only_a_time(normalised, self.follow_ups.time_asides):
            return None  # "I wake up at 7", "ok and for 2 people?": a number, and something else said
        at = time_in(text, lone_hour=True)  # a time and nothing else: a bare hour is one ("no wait, 10")
        return Action(ActionKind.REMIND, time=at) if at is not None else None

    def _reminder_moved(self, text: str, normalised: str, words: list[str], *, just_shown: bool) -> Action | None:
        """ "An hour later please", "push it back 30 minutes": the reminder moved, whenever it was set (the adapter
        knows it; with none, it shows the reminder menu). "A bit later", just after the reminder was set or with it
        named, shows the menu to pick the new time. A move said with anything else is no request."""
        if len(words) > MAX_SHIFT_WORDS or SHIFT_DIRECTIONS.isdisjoint(words):
            return None
        if not only_a_shift(normalised, self.follow_ups.time_asides):
            return None
        shift = shift_in(normalised, text)
        if shift is not None:
            return Action(ActionKind.REMIND, shift=shift)
        if vague_shift_in(normalised) and (just_shown or "reminder" in words):
            return Action(ActionKind.REMIND)
        return None
