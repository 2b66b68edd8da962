"""The one place that decides what footbot says: text in, `Reply` out. Knows nothing of Telegram.

Order of concerns for every message: an emergency first; then the conditions that need a caveat; then the
best knowledge entry, or an honest fallback with suggestions. Caveats ride on whatever the reply is. The engine
decides what is answered; `bot.core.composing` puts the reply together.
"""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import Set as AbstractSet
from pathlib import Path
from typing import NamedTuple

from bot.config import DEFAULT_KNOWLEDGE_DIR
from bot.core.actions import Action, ActionKind, ActionRecogniser
from bot.core.chat_requests import ChatRequests
from bot.core.choosing import Choice, TopicChooser
from bot.core.classifier import MODEL_FILE, Classifier, Model
from bot.core.composing import Answer, ReplyComposer, in_order
from bot.core.conversation import REMINDER_SHOWN, ChatContext
from bot.core.features import NO_TOPIC, knowledge_fingerprint
from bot.core.follow_ups import FollowUpKind, FollowUpReader, RoutineControl
from bot.core.following import FollowUpAnswerer, has_history
from bot.core.gaps import GapFinder
from bot.core.knowledge import Condition, Entry, EntryKind, KnowledgeBase
from bot.core.loader import load_knowledge
from bot.core.matcher import ANSWER_THRESHOLD, Matcher, looks_like_question
from bot.core.phrases import phrase_pattern, positions_of
from bot.core.pieces import ASKING_STARTS, asks, question_pieces, restates, without_joiners
from bot.core.remembering import ContextRecorder, named_earlier
from bot.core.replies import Caveat, Reply, ReplyKind
from bot.core.routine_steering import RoutineSteering
from bot.core.safety import SafetyDetector
from bot.core.text import mostly_other_script, normalise, opening, sentences

logger = logging.getLogger(__name__)

# The whole message read as a condition's caution this surely is not overruled by a weaker piece of it, unless that
# piece asks a question of its own ("type 1 diabetic here. what are the benefits for sleep?").
CAUTION_SURE = 75.0
MAX_ANSWERS = 3  # questions answered in one reply at most
# What dresses an emoji without changing it: variation selectors, the zero-width joiner, skin tones.
_EMOJI_DRESSING = str.maketrans(dict.fromkeys([0xFE0E, 0xFE0F, 0x200D, *range(0x1F3FB, 0x1F400)]))
_PIECE_KINDS = frozenset({EntryKind.ANSWER, EntryKind.OUT_OF_SCOPE})  # what one question of several may get
# A second question in the same message is answered only when its piece alone is read this surely: never pad
# a reply with a weak neighbour.
SECOND_QUESTION_SURE = 55.0
# Beside a condition, a question with this many words beyond the stopwords that never speaks of the massage asks
# about something else ("how to test for diabetes?"); one with fewer ("what if I am pregnant?") is about the
# massage it came to ask about.
MIN_ASIDE_CONTENT_WORDS = 3
MIN_OTHER_LANGUAGE_WORDS = 3  # "hola amigo" alone is a greeting; a sentence of them is another language
# Steering words that, with no routine under way, say so and what footbot can do ("stop", "back", "where was i").
NOTHING_TO_STEER = frozenset({RoutineControl.STOP, RoutineControl.BACK, RoutineControl.WHERE, RoutineControl.RESUME})
# After "stop", these show again the step the routine stopped at.
BACK_TO_STOPPED = frozenset({RoutineControl.RESUME, RoutineControl.WHERE})
# Features asked for in words that are about the massage itself: a condition named earlier rides on them.
ABOUT_MASSAGE = frozenset({ActionKind.FOOT_MAP, ActionKind.ROUTINE})
_CLAUSE_END = re.compile(r"[.!?;,:\n]+")
_SENTENCE_END = re.compile(r"[.!?;\n]+")
# An opening "ok" (or several): before a request that is no question, it takes the last reply in ("ok start it")
_OPENING_OK = re.compile(r"^(?:(?:ok|okay|k) )+")
# "where's the heart and the liver": a short second subject joined to a question (at most 4 words).
_LAST_JOINED = re.compile(r"^(?P<before>.+\S)\s+(?:and|n|&|plus)\s+(?P<after>\S+(?:\s+\S+){0,3})$", re.IGNORECASE)


class _Piece(NamedTuple):
    """One question of a message, read alone; `permission`: it asks whether something is all right; `asks`: it
    starts like a question of its own ("where is...", not "benefits??")."""

    entry: Entry
    score: float
    permission: bool
    asks: bool


class Engine:
    """Loads the knowledge once and answers messages; safe to share between adapters and tasks.

    Topics are picked by the learnt classifier when its model was trained on the knowledge as it is now,
    and by the word matcher otherwise (no model, or a curator changed phrasings since the last training).
    """

    def __init__(self, kb: KnowledgeBase, model: Model | None = None) -> None:
        self.kb = kb
        self.safety = SafetyDetector(
            kb.conditions,
            kb.red_flags,
            typical_texts=(phrasing for entry in kb.entries for phrasing in entry.phrasings),
            everyday_words=kb.everyday_words,
            emoji_words=kb.emoji_words,
        )
        self.composer = ReplyComposer(kb)
        self.credit = self.composer.credit
        classifier = Classifier(model) if model is not None and self._fits(model) else None
        # Every word the model learnt from is met often: read once now, a first message is as quick as the next.
        self.safety.warm(model.words if classifier is not None and model is not None else ())
        self._safety_question = phrase_pattern(kb.safety_questions.words)
        self._still_urgent = kb.red_flags.still
        self._other_language_words = frozenset(kb.conversation.other_language_words)
        self._caution_conditions = kb.caution_conditions()
        # longest first: "🙏🏽" goes whole, not "🙏" leaving its skin tone
        self._acknowledging_signs = sorted(kb.conversation.acknowledging_signs, key=len, reverse=True)
        self._farewell_signs = sorted(kb.conversation.farewell_signs, key=len, reverse=True)
        self._caution_ids = frozenset(self._caution_conditions)
        # Each condition's terms as messages read (normalised once here, not on each message that names it).
        self._terms_of = {
            rule.condition: tuple(normalise(term) for term in kb.caveat_for(rule.condition).terms)
            for rule in kb.conditions
        }
        # Entries that answer "is it all right with my condition?": never the question behind one.
        self._caution_like = self._caution_ids | frozenset(kb.safety_questions.cautions)
        self._permission = phrase_pattern(kb.safety_questions.permission, at_start=True)
        # after an opening "ok", a question added to what was said ("ok and the order?"): conversation.yaml's
        # continuations
        self._asks_on = phrase_pattern(kb.conversation.continuations, at_start=True)
        self._about_massage = phrase_pattern(kb.safety_questions.about_massage)
        self._condition_asks = phrase_pattern(kb.safety_questions.condition_asks, at_start=True)
        self._symptom_asks = phrase_pattern(kb.safety_questions.symptom_asks, at_start=True)
        self._caveat_only = phrase_pattern(kb.safety_questions.caveat_only)
        self._asides = frozenset(kb.safety_questions.asides)
        self._asked_alone = tuple(
            (phrase_pattern(entry.asked_alone.asks), phrase_pattern(entry.asked_alone.about), entry)
            for entry in kb.entries
            if entry.asked_alone is not None
        )
        self.follow_ups = FollowUpReader(kb.conversation)
        self.recorder = ContextRecorder(kb)
        self.steering = RoutineSteering(kb, self.composer, self.recorder)
        self.requests = ChatRequests(self.follow_ups)
        self._unrelated = frozenset(kb.conversation.unrelated)
        self._farewell_outranks = frozenset(kb.conversation.farewell_outranks)
        self.actions = ActionRecogniser(kb.actions)
        self.gaps = GapFinder(kb)
        self.chooser = TopicChooser(kb, Matcher(kb), classifier, self.gaps, self._caution_like)
        self._names_massage = self.chooser.names_massage
        self.following = FollowUpAnswerer(kb, self.chooser, self.follow_ups)

    @property
    def classifier(self) -> Classifier | None:
        """The topic model (None when it does not fit the knowledge: the word matcher alone decides)."""
        return self.chooser.classifier

    @classifier.setter
    def classifier(self, classifier: Classifier | None) -> None:
        self.chooser.classifier = classifier

    @property
    def matcher(self) -> Matcher:
        return self.chooser.matcher

    @matcher.setter
    def matcher(self, matcher: Matcher) -> None:
        self.chooser.matcher = matcher

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
        """A message as every reader of the core sees it: case, accents, punctuation and disguises folded."""
        return normalise(text)

    def reply(self, text: str, context: ChatContext | None = None) -> Reply:
        """Answer one free-text message: red flags first, then what it asks (reading `context`, the chat's short
        memory, for follow-ups and conditions named earlier), with caveats attached; `context` is updated.

        A caution given as the answer names its condition among the caveats, however the condition was put (its
        text is not repeated: the answer says it); a message mostly in another script is told, in one line
        first, that footbot answers in English only. Just after an emergency was named, the next reply first says
        to call emergency care if it may still be one ("he says it's easing now", "I'm pregnant btw")."""
        after_red_flag = context is not None and context.after_red_flag
        reply = self._reply(text, context)
        if context is not None:
            context.after_red_flag = reply.kind is ReplyKind.RED_FLAG
        if after_red_flag and self._still_urgent and reply.kind not in (ReplyKind.RED_FLAG, ReplyKind.EMPTY):
            reply = reply._replace(body=f"{self._still_urgent}\n\n{reply.body}", caveats_first=False)
        condition = self._caution_conditions.get(reply.topic) if reply.topic else None
        if condition is not None and condition not in {caveat.condition for caveat in reply.caveats}:
            listed = (*reply.caveats, Caveat(condition, ""))
            order = list(Condition)
            reply = reply._replace(caveats=tuple(sorted(listed, key=lambda caveat: order.index(caveat.condition))))
            if context is not None:
                context.conditions = context.conditions | {condition}
                context.caveats_said = context.caveats_said | {condition}
        note = self.kb.messages.english_only
        if note and reply.kind is not ReplyKind.EMPTY and self._not_english(normalise(opening(text))):
            reply = reply._replace(body=f"{note}\n\n{reply.body}")
        return reply

    def _reply(self, text: str, context: ChatContext | None) -> Reply:
        head = opening(text)  # a long message's topic is read from its opening; safety reads all of it
        normalised = normalise(head)
        if not normalised and (caution := self.caution_alone(text, context)) is not None:
            return caution  # "🤰" alone: the condition named, nothing asked
        if not normalised and self._only_signs(text, self._farewell_signs):
            head = normalised = "good night"  # "👋", "😴": a goodbye, never the "ok" that moves the routine on
        elif not normalised and self.kb.conversation.acknowledged and self._only_signs(text, self._acknowledging_signs):
            head = normalised = "ok"  # "👍", "🙏🙏": read as the "ok" they mean (it takes up an offer, too)
        if not normalised:
            return Reply(ReplyKind.EMPTY, self.kb.messages.empty)
        words = normalised.split()  # one split for every reader of the message
        conditions, red_flag = self.safety.scan_words(normalised, words, text)
        remembered = named_earlier(context, conditions)
        if red_flag:
            return self._emergency(conditions, remembered, context)
        # "continue", "repeat", "where was i": while a step is on screen, the routine's buttons in words come first.
        control = self.follow_ups.routine_control(normalised) if not conditions else None
        on_screen = context.routine_on_screen if context is not None else None
        if control is not None and on_screen is not None:
            return self.steering.steer(control, on_screen, conditions, remembered, context)
        rest = self._after_a_stop(text) if on_screen is not None and control is None else None
        if rest and on_screen is not None:  # "stop!! my heel really hurts when i press": it ends, the rest answered
            stopped = self.steering.steer(RoutineControl.STOP, on_screen, (), (), context)
            answer = self.reply(rest, context)
            return answer._replace(body=f"{stopped.body}\n\n{answer.body}")
        stopped_at = context.routine_stopped if context is not None else None
        if control in BACK_TO_STOPPED and stopped_at is not None:  # "resume", "where were we?" after "stop"
            return self.steering.show_step(stopped_at, conditions, remembered, context, self.kb.conversation.step_lead)
        # Features asked for in words ("remind me at 10pm") are recognised here, before any topic. The routine asked
        # for in a chat that named a condition earlier goes as /routine does ("whats the routine" after "im
        # pregnant" was read as off-topic): held back in pregnancy, else with the caveat.
        asked = self._asked_for(text, conditions)
        if asked is not None and asked.do is ActionKind.ROUTINE and remembered:
            held = self.steering.held_back(context)
            if held is not None:
                return held
        if asked is None:  # "10pm please" after a reminder offered, "an hour later", "yes" to the routine offered
            asked = self.requests.after_offer(text, normalised, words, context, control)
        place = self.follow_ups.step_asked(normalised) if asked is None and not conditions else None
        if place == 1 and on_screen is None:
            asked, place = Action(ActionKind.ROUTINE), None  # "let's go, first step?": the routine from its start
        if asked is not None:
            return self.action_in_chat(asked, conditions, context)
        if not conditions and self.follow_ups.only_a_day_part(normalised):  # "no, evening": no time, no greeting
            day_part = self._day_part(normalised, context)
            if day_part is not None:
                return day_part
        unheld = self.requests.time_change_unheld(text, normalised, words, context) if not conditions else None
        if unheld is not None:  # "make it 11" with no reminder set: asked what is meant, nothing set unasked
            return self._no_reminder_to_change(unheld, context)
        if control in NOTHING_TO_STEER:  # "stop", "back", "where was i" with no routine under way: what footbot can do
            reply = Reply(ReplyKind.SMALLTALK, self.kb.conversation.nothing_running, score=100.0)
            self.recorder.record(context, reply, conditions, None)
            return reply
        steps = len(self.kb.routine.steps)
        if place is not None and (place > steps or place == 0):  # "step 9" of 7, "step 0"
            reply = Reply(ReplyKind.SMALLTALK, self.kb.conversation.no_such_step.format(total=steps), score=100.0)
            self.recorder.record(context, reply, conditions, None)
            return reply
        if place is not None:  # "step 3", "go to the last step"
            step = place - 1 if place > 0 else steps - 1
            return self.steering.show_step(step, conditions, remembered, context, self.kb.conversation.step_lead)
        if not conditions and self.kb.conversation.acknowledged and self.follow_ups.only_fillers(normalised):
            alone = self.chooser.choose(head, words, ())  # "thanks" is small talk of its own; "ok" acknowledges
            if alone.entry is None or alone.entry.kind is not EntryKind.SMALLTALK:
                reply = Reply(ReplyKind.SMALLTALK, self.kb.conversation.acknowledged, score=100.0)
                self.recorder.record(context, reply, conditions, None)
                return reply
        clause = self._question_after_condition(head) if conditions and has_history(context) else None
        if clause is not None:  # "im pregnant, and the little one?": the clause after the condition follows up
            answer = self.following.answer(clause, clause.split(), context)
        else:
            answer = self.following.answer(normalised, words, context)
        # "and after that?" mid-way: the step; "next" after the toes once pregnancy was named: held back, as the
        # routine is (it showed the next step, and only a second "next" held back)
        step = answer.step if answer is not None else None
        if step is not None and (on_screen is not None or self.steering.holds_back(conditions, remembered)):
            return self.steering.show_step(step, conditions, remembered, context)
        if answer is None:
            direct = self._named_directly(conditions, normalised, text)
            replying = context is not None and context.talked
            answer = self._answer_message(head, words, direct, remembered, replying=replying)
            answer = self._goodbye_last(answer, normalised)
            answer = self._caution_beside_point(answer, head, normalised, words, conditions)
            if direct != conditions:
                answer = self._without_cautions_for(answer, frozenset(conditions) - frozenset(direct))
            answer = self._without_caution_for_a_lookalike(answer, normalised, {*conditions, *remembered})
            answer = self._caution_for_those_named(answer, conditions, remembered)
            answer = self._overview_when_none_named(answer, normalised, conditions, remembered)
        # "can my 6 year old do the massage on me?" after "I'm 20 weeks pregnant": the guide's honest no about children
        # is still about a massage, so the caveat named earlier rides on it; so does "so after 3 months its fine?",
        # read as off-topic: whether something is all right, in that chat, may well be asked for them ("ok thx" is
        # small talk, and stays so).
        small_talk = any(entry.kind is EntryKind.SMALLTALK for entry in answer.entries)
        names_massage = bool(remembered) and (
            self._names_massage.search(normalised) is not None
            or (not small_talk and self._safety_question.search(normalised) is not None)
        )
        reply = self.composer.compose(answer, conditions, remembered, context, names_massage=names_massage)
        if reply.kind is ReplyKind.ROUTINE and on_screen is not None:
            # "lets goooo", "go to bed now" read as the routine while it is under way: the step on screen, not step 1
            # again (asking for it outright, "start the routine", is an action and does start it over)
            return self.steering.show_step(on_screen, conditions, remembered, context, self.kb.conversation.step_lead)
        self.recorder.record(context, reply, conditions, answer.step, offers_routine=answer.after_order)
        return reply

    def _day_part(self, normalised: str, context: ChatContext | None) -> Reply | None:
        """ "evening", "no, in the evening": while a reminder's time is asked for, a part of the day is no time, so one
        is asked for (`day_part_not_a_time`; the question stays open: "9pm" next sets it); led by "no" elsewhere, it
        is acknowledged, never read as a greeting ("good evening"). Just after a reminder was set at a clock time,
        only one said no to ("no, evening") asks for another: "every night?" or "tonight" is acknowledged (the time
        was just given). None: read as usual ("evening!" greets)."""
        offered = context.offered if context is not None else None
        denied = self.follow_ups.denies(normalised)
        just_set = offered == REMINDER_SHOWN and context is not None and bool(context.reminder_at)
        asking_time = offered in (ActionKind.REMIND.value, REMINDER_SHOWN) and (denied or not just_set)
        if asking_time and self.kb.conversation.day_part_not_a_time:
            reply = Reply(ReplyKind.SMALLTALK, self.kb.conversation.day_part_not_a_time, score=100.0)
        elif (denied or just_set) and self.kb.conversation.acknowledged:
            reply = Reply(ReplyKind.SMALLTALK, self.kb.conversation.acknowledged, score=100.0)
        else:
            return None
        self.recorder.record(context, reply, (), None)
        if context is not None and asking_time:
            context.offered = offered  # the time is still asked for
        return reply

    def _no_reminder_to_change(self, at: str, context: ChatContext | None) -> Reply:
        """ "make it 11" in a chat that set no reminder: what is meant, asked (`no_reminder_to_change`); the reply
        offers a reminder, so "11pm please" next sets it."""
        reply = Reply(ReplyKind.SMALLTALK, self.kb.conversation.no_reminder_to_change.format(time=at), score=100.0)
        self.recorder.record(context, reply, (), None)
        if context is not None:
            context.offered = ActionKind.REMIND.value
        return reply

    def routine_caveats(self, context: ChatContext | None) -> tuple[Caveat, ...]:
        """For an adapter showing a routine step by itself (a button, the console's Enter): the caveats of the
        conditions named in the chat, short once said in full, as a step asked for in words carries them."""
        return self.steering.caveats((), named_earlier(context, ()), context)

    def routine_held_back(self, context: ChatContext | None) -> Reply | None:
        """For an adapter about to show a routine step (a button, /routine): the reply holding the routine back for a
        condition named earlier in the chat (pregnancy), with its caveat, or None; the routine then stops."""
        return self.steering.held_back(context)

    def _answer_message(
        self,
        text: str,
        words: list[str],
        conditions: tuple[Condition, ...],
        remembered: tuple[Condition, ...],
        replying: bool = False,
    ) -> Answer:
        """What a message asks, read on its own: one entry, several (one per question), or none. `replying`: the
        chat has talked before, so an opening "ok" or "so" answers footbot's last reply."""
        choice = self.chooser.choose(text, words, conditions)
        if replying and choice.entry is None:
            # "ok and how should he do it?" in a chat: how should he do it; "no wait, I meant the heart": the heart.
            # (In a first message, "So, what is the truth about massage therapy?" and "I mean, who wouldn't want...?"
            # are a page's lead-in: read again without them, held-out real questions lost honest fallbacks.)
            joined = " ".join(words)
            question = self._own_question(joined) or self.follow_ups.corrected(joined)
            if question is not None:
                choice = self.chooser.choose(question, question.split(), conditions)
        if not conditions and _SENTENCE_END.search(text.rstrip(" ?!.")):  # "what's the pinky for? and the big toe?"
            both = self._continued_within(text)
            if both is not None:
                return both
        elif not conditions and choice.entry is not None and choice.entry.map_zone is not None:
            both = self._two_zones(text)  # "where's the heart n the liver"
            if both is not None:
                return both
        named = in_order((*conditions, *remembered)) if remembered else conditions
        # "what foods should I avoid in pregnancy?" asks about something that is not a massage at all: the guide's
        # "that's beyond me" with the caveat, not the massage caution.
        off_topic = choice.entry is not None and choice.entry.id in self._unrelated
        # "ok thanks, goodnight" read as small talk: its "ok" acknowledges, and asks nothing about being safe.
        small_talk = choice.entry is not None and choice.entry.kind is EntryKind.SMALLTALK
        asks_safe = bool(named) and not off_topic and self._asks_if_safe(text, acknowledging=small_talk)
        # Only a message with two questions, or a condition and a question, is read piece by piece. Beside a
        # condition a short "benefits??" is its question too; alone, two questions must each start like one.
        pieces = question_pieces(text)
        asking = [piece for piece in pieces if asks(piece) or (conditions and piece.endswith("?"))]
        several = len(asking) > 1 or (bool(conditions) and len(asking) == 1 and asking[0] != text)
        answered = self._answered_pieces(asking) if several else []
        if named:  # beside a condition, "can I give her a foot rub?" asks whether it is all right for her
            answered = [piece for piece in answered if not piece.permission]
        strong = [piece for piece in answered if piece.score >= SECOND_QUESTION_SURE and piece.asks]
        # Several questions only when the whole message reads as one of them (or as a condition's caution):
        # a piece that reads surely alone ("what about hands") must not pad a reply the message never asked for.
        whole_agrees = choice.entry is not None and (
            choice.entry.id in self._caution_like or any(piece.entry is choice.entry for piece in strong)
        )
        if len(strong) >= 2 and whole_agrees and any(piece.entry.kind is EntryKind.ANSWER for piece in strong):
            # "how long should it last, and where is the heart point?": the answers, then the guide's honest no
            ordered = sorted(strong, key=lambda piece: piece.entry.kind is not EntryKind.ANSWER)
            return Answer(tuple(piece.entry for piece in ordered[:MAX_ANSWERS]), ordered[0].score)
        answered = [piece for piece in answered if piece.entry.kind is EntryKind.ANSWER]
        strong = [piece for piece in strong if piece.entry.kind is EntryKind.ANSWER]
        # A condition and another question ("im diabetic, what about the big toe?"): that question is answered,
        # and the condition's caveat rides on it; the caution is the answer only when safety is what is asked.
        behind_condition = choice.entry is None or choice.entry.id in self._caution_like
        # ...unless the whole message reads surely as the caution and no piece reads as surely as it does
        # ("...touch a pressure point and cause a miscarriage. But that can't be real, right?" asks about safety).
        if behind_condition and choice.entry is not None and choice.score >= CAUTION_SURE:
            answered = [piece for piece in answered if piece.score >= choice.score or piece.asks]
        if conditions and answered and behind_condition and not asks_safe:
            return self._with_caution_after(Answer((answered[0].entry,), answered[0].score), conditions)
        # "im pregnant. is it safe, and where is the heart point?": the caution, then the other question.
        if asks_safe and strong and strong[0].entry.id not in self._caution_like:
            caution = self._caution_for(named, overview_allowed=True)
            if caution is not None:
                others = tuple(piece.entry for piece in strong if piece.entry is not caution)
                return Answer((caution, *others[: MAX_ANSWERS - 1]), strong[0].score)
        # Someone who names a condition and asks if it is safe gets the guide's caution for it; with no answer
        # at all, the caution is still the most useful thing the guide has for them. Asked whether something the
        # guide has no word for is all right ("I'm pregnant, can I use lavender oil?"), they get the caution and
        # then the guide's honest "it doesn't say".
        declined = choice.entry if choice.entry is not None and choice.entry.kind is EntryKind.OUT_OF_SCOPE else None
        other_health = declined is not None and declined.id in self.kb.safety_questions.other_health
        if other_health:
            declined = None  # "can I get a massage on blood thinners?" asks about that problem: its honest no
        # "is heart failure a contraindication for massage?": the guide's other-health no would miss that it
        # speaks of the condition named; its caution answers.
        other_health_massage = (
            other_health
            and bool(conditions)
            and not off_topic
            and self._names_massage.search(normalise(text)) is not None
        )
        asks_leave = (
            declined is not None
            and not off_topic
            and (
                any(self._permission.match(normalise(p)) for p in pieces)
                or self._about_massage.search(normalise(text)) is not None  # "can reflexology induce labour?"
            )
        )
        # "will I go into labor if you rub my ankles?" is no off-topic question: it names the massage. Such a question
        # gets the caution first only beside a condition it names itself: asked later in the chat ("can I use lotion
        # instead of oil?"), the honest no answers and the short caveat rides on it (the caution was said in full).
        off_topic_massage = off_topic and bool(conditions) and self._names_massage.search(normalise(text)) is not None
        # "can i rub her feet tonight?" after "my mother has a pacemaker": leave asked for the massage, for someone
        # a condition was named for earlier, is the caution's to answer, as it is in one message
        leave_later = (
            bool(remembered)
            and choice.entry is None
            and self._permission.match(normalise(text)) is not None
            and self._names_massage.search(normalise(text)) is not None
        )
        if (
            (conditions and choice.entry is None)
            or leave_later
            or off_topic_massage
            or other_health_massage
            or (bool(conditions) and asks_leave)
            or (asks_safe and (choice.entry is None or choice.entry.id not in self._caution_ids))
        ):
            caution = self._caution_for(named, overview_allowed=choice.entry is not None)
            if caution is not None:
                also = (declined,) if declined is not None and not off_topic else ()
                return Answer((caution, *also), max(choice.score, ANSWER_THRESHOLD))
        alone = self._asked_alone_for(normalise(text)) if not named else None
        if alone is not None:  # "is it safe?", "but is it actually safe?": whatever the model reads
            return Answer((alone,), max(choice.score, ANSWER_THRESHOLD))
        if choice.entry is None:
            return Answer((), choice.score, choice.near)
        return self._with_caution_after(Answer((choice.entry,), choice.score, lead=choice.lead), conditions)

    def _goodbye_last(self, answer: Answer, normalised: str) -> Answer:
        """ "thanks, bye!", "thank you, good night": thanks (`farewell_outranks`) ending with a goodbye get the goodbye
        (`farewell`), not only the thanks: said last, it is what the message is for, and its reply wishes them well."""
        farewell = self.kb.conversation.farewell
        if len(answer.entries) != 1 or answer.entries[0].id not in self._farewell_outranks or not farewell:
            return answer  # nearly every message
        if not self.follow_ups.ends_with_goodbye(normalised):
            return answer
        return answer._replace(entries=(self.kb.entry(farewell),))

    def _with_caution_after(self, answer: Answer, conditions: tuple[Condition, ...]) -> Answer:
        """ "Is massage therapy helpful for diabetics?", "how to give a diabetic foot massage": an entry about the
        massage in general answers, but whether the massage is right for them is the caution's to say: it follows
        (`safety_questions.caution_follows`)."""
        if not conditions or answer.entries[0].id not in self.kb.safety_questions.caution_follows:
            return answer
        caution = self._caution_for(conditions, overview_allowed=False)
        return answer if caution is None else answer._replace(entries=(*answer.entries, caution))

    def _named_directly(self, conditions: tuple[Condition, ...], normalised: str, text: str) -> tuple[Condition, ...]:
        """The conditions the message names in their own words, not only through a caveat-only phrase ("on
        blood thinners", "high blood pressure"): read again with those phrases taken out."""
        if not conditions or not self._caveat_only.search(normalised):
            return conditions
        words = self._caveat_only.sub(" ", normalise(text)).split()
        found, _ = self.safety.scan_words(" ".join(words), words)
        return tuple(condition for condition in conditions if condition in found)

    def _without_caution_for_a_lookalike(
        self, answer: Answer, normalised: str, known: AbstractSet[Condition]
    ) -> Answer:
        """The topic model's caution for a condition the message only looks like it names ("we're expecting rain
        tomorrow", "I am not pregnant": the rules' `not_when`) is no answer: the honest no instead. A condition
        `known` (named now or earlier in the chat) keeps its caution; another is not added by a denial of it."""
        if not answer.entries or answer.entries[0].id not in self._caution_conditions:
            return answer  # nearly every message
        condition = self._caution_conditions[answer.entries[0].id]
        if condition in known or condition not in self.safety.lookalikes_in(normalised):
            return answer
        return Answer((), answer.score, answer.near)

    def _caution_for_those_named(
        self, answer: Answer, conditions: tuple[Condition, ...], remembered: tuple[Condition, ...]
    ) -> Answer:
        """The topic model's caution for a condition nobody named, in a chat that named others earlier ("foot
        massage ok?" after "my wife is pregnant" read as the heart's caution): the caution for those named instead,
        as the chooser does for a condition named in the message itself. With none named at all it stays: the model
        catches mentions the rules miss ("his heart is out of rhythm")."""
        named = (*conditions, *remembered)
        if not remembered or not answer.entries or answer.entries[0].id not in self._caution_conditions:
            return answer  # nearly every message
        if self._caution_conditions[answer.entries[0].id] in named:
            return answer
        caution = self._caution_for(in_order(named), overview_allowed=True)
        if caution is None:
            return answer
        rest = tuple(entry for entry in answer.entries[1:] if entry is not caution)
        return answer._replace(entries=(caution, *rest))

    def _overview_when_none_named(
        self, answer: Answer, normalised: str, conditions: tuple[Condition, ...], remembered: tuple[Condition, ...]
    ) -> Answer:
        """ "foot massage ok?", "can i still massage them?": whether the massage is all right, with nothing named but
        the massage, read by the topic model as one condition's caution. The guide's word on who should be careful
        answers instead: it names all three, where the one caution would hang a caveat on a condition nobody has.
        A message with any other word ("is this your first baby?") keeps the model's reading."""
        if conditions or remembered or not answer.entries or answer.entries[0].id not in self._caution_conditions:
            return answer  # nearly every message
        if self._safety_question.search(normalised) is None:
            return answer
        if not self._nothing_else_asked(normalised, self._safety_question, self._about_massage):
            return answer
        overview = self.kb.safety_questions.several
        return Answer((self.kb.entry(overview),), answer.score) if self.kb.has_entry(overview) else answer

    def _without_cautions_for(self, answer: Answer, conditions: frozenset[Condition]) -> Answer:
        """The answer with the cautions of `conditions` (named only through caveat-only phrases) replaced by the
        guide's honest no about other health problems: the caveat still rides on it."""
        cautions = {entry_id for entry_id, condition in self._caution_conditions.items() if condition in conditions}
        return self._honest_no_instead_of(answer, cautions)

    def _honest_no_instead_of(self, answer: Answer, cautions: AbstractSet[str]) -> Answer:
        """The answer with the entries `cautions` names replaced by the guide's honest no about other health
        problems (`safety_questions.other_health`, its first)."""
        if not any(entry.id in cautions for entry in answer.entries):
            return answer
        other = self.kb.safety_questions.other_health
        instead = (self.kb.entry(other[0]),) if other and self.kb.has_entry(other[0]) else ()
        entries: list[Entry] = []
        for entry in answer.entries:
            for kept in instead if entry.id in cautions else (entry,):
                if kept not in entries:
                    entries.append(kept)
        return answer._replace(entries=tuple(entries))

    def _caution_beside_point(
        self, answer: Answer, head: str, normalised: str, words: list[str], conditions: tuple[Condition, ...]
    ) -> Answer:
        """ "What foods should I avoid in pregnancy?" names a condition but asks about something other than the
        massage: the caution would answer a question nobody asked, so the reply is the honest fallback (the
        condition's caveat rides on it). A message that tells ("my wife is 12 weeks pregnant"), asks whether
        something is safe, or speaks of the massage in any word (`safety_questions.about_massage`) keeps it.

        Asked why or when something happens (`safety_questions.symptom_asks`: "why do ankles swell in
        pregnancy?"), only the massage named in its own words keeps it, not the feet. A message that asks nothing
        but the condition ("what if I am pregnant?", "what about the first trimester?") keeps it too, unless it
        asks what the condition is (`condition_asks`: "what is angina?"): the guide never says, and its honest no
        about other health problems tells so."""
        if not conditions or not answer.entries:
            return answer
        if not all(entry.id in self._caution_like for entry in answer.entries):
            return answer
        about_massage = self._names_massage if self._starts_with(self._symptom_asks, words) else self._about_massage
        if about_massage.search(normalised) or self._safety_question.search(normalised):
            return answer
        if not (asks(normalised) or head.rstrip().endswith("?")):
            return answer
        if self.chooser.remedy_asked(normalised) is not None:
            return answer  # "what can I do about leg cramps when I'm pregnant?": a massage eases them; is it all right?
        content = sum(word not in self.kb.stopwords and word not in self._asides for word in words)
        if content >= MIN_ASIDE_CONTENT_WORDS and not self._only_the_condition(words, conditions):
            return Answer((), answer.score, answer.near)
        if self._starts_with(self._condition_asks, words):  # "what is angina?": the guide's honest no says so
            return self._honest_no_instead_of(answer, self._caution_like)
        return answer

    def _starts_with(self, asked: re.Pattern[str], words: list[str]) -> bool:
        """Past any asides ("so", "but"), the message starts with `asked`, and no aside follows it ("what is up
        with the first trimester?" asks about the condition as a whole)."""
        start = next((i for i, word in enumerate(words) if word not in self._asides), len(words))
        rest = " ".join(words[start:])
        found = asked.match(rest)
        after = rest[found.end() :].split() if found is not None else []
        return bool(after) and after[0] not in self._asides

    def _asked_alone_for(self, normalised: str) -> Entry | None:
        """The entry whose `asked_alone` the message is: one of its asks, and beyond its about words only stopwords,
        asides and the words a question starts with."""
        for asked, about, entry in self._asked_alone:
            if asked.search(normalised) is None:
                continue  # most messages
            if self._nothing_else_asked(normalised, asked, about):
                return entry
        return None

    def _nothing_else_asked(self, normalised: str, asked: re.Pattern[str], about: re.Pattern[str]) -> bool:
        """Taken out what `asked` and `about` match, the message holds only words that ask nothing."""
        return all(map(self._asks_nothing, about.sub(" ", asked.sub(" ", normalised)).split()))

    def _asks_nothing(self, word: str) -> bool:
        """A stopword, an aside ("however"), a word a question starts with or a number ("what if im 20 weeks
        pregnant?"): it names nothing asked about."""
        return word in self.kb.stopwords or word in self._asides or word in ASKING_STARTS or word.isdigit()

    def _only_the_condition(self, words: list[str], conditions: tuple[Condition, ...]) -> bool:
        """Beyond stopwords and the words a question starts with, every word of the message belongs to a term
        naming one of `conditions` ("what about the first trimester?"): nothing else is asked about."""
        named = positions_of(words, tuple(term for condition in conditions for term in self._terms_of[condition]))
        return all(position in named or self._asks_nothing(word) for position, word in enumerate(words))

    def _continued_within(self, text: str) -> Answer | None:
        """ "what's the pinky for? and the big toe?": a last sentence that follows up the ones before it is a
        second question, read against what they ask (as it would be in the next message)."""
        sentences_ = [sentence for sentence in _SENTENCE_END.split(text) if sentence.strip()]
        last = normalise(sentences_[-1]) if len(sentences_) > 1 else ""
        follow_up = self.follow_ups.read(last) if last else None
        if follow_up is None or follow_up.kind is not FollowUpKind.CONTINUATION:
            return None
        before = " ".join(sentences_[:-1])
        first = self.chooser.choose(before, normalise(before).split(), ())
        if first.entry is None or first.entry.kind is not EntryKind.ANSWER:
            return None
        alone = self.chooser.choose(last, last.split(), ())
        if alone.entry is not None:  # "... and the kidneys?": the guide's honest no, never a neighbour
            second = alone.entry.id if alone.entry.kind in _PIECE_KINDS else None
        else:
            second = self.following.like_last(follow_up.rest, first.entry)
        if second is None or second == first.entry.id:
            return None
        return Answer((first.entry, self.kb.entry(second)), first.score)

    def _two_zones(self, text: str) -> Answer | None:
        """ "where's the heart and the liver?": one question about two places on the foot map answers both."""
        found = _LAST_JOINED.match(text.strip(" ?!."))
        if found is None:
            return None
        before, after = found["before"], normalise(found["after"])
        first = self.chooser.choose(before, normalise(before).split(), ())
        second = self.chooser.choose(after, after.split(), ()) if after else Choice(None, 0.0)
        if first.entry is None or second.entry is None or first.entry is second.entry:
            return None
        if first.entry.map_zone is None or second.entry.map_zone is None:
            return None
        return Answer((first.entry, second.entry), first.score)

    def _answered_pieces(self, pieces: list[str]) -> list[_Piece]:
        """The entries the message's questions ask for, each read alone, in order (an out-of-scope entry for a
        question the guide has no answer to); a question about a condition's safety alone ("is it ok for
        diabetics") or small talk answers nothing here."""
        answered: list[_Piece] = []
        for number, piece in enumerate(pieces):
            piece_normalised = normalise(piece)
            if not piece_normalised:
                continue
            piece_words = piece_normalised.split()
            if number and restates(piece):
                continue  # "..., is it a nerve thing?" asks the question before it again, not a new one
            piece_conditions, _ = self.safety.scan_words(piece_normalised, piece_words)
            choice = self._read_piece(piece, piece_words, piece_conditions)
            entry = choice.entry
            if entry is None or entry.kind not in _PIECE_KINDS or choice.score < ANSWER_THRESHOLD:
                continue
            if entry.kind is EntryKind.ANSWER and entry.id not in self._caution_like:
                entry = self.gaps.gap(piece_normalised, piece_words) or entry
            if entry.id in self._caution_like and not self._safety_question.search(piece_normalised):
                continue
            if all(entry is not seen.entry for seen in answered):
                permission = bool(piece_conditions) or self._permission.match(piece_normalised) is not None
                answered.append(_Piece(entry, choice.score, permission, asks(piece)))
        return answered

    def _read_piece(self, piece: str, words: list[str], conditions: tuple[Condition, ...]) -> Choice:
        """A piece is answered only when the topic model is sure of it (a quarter of the cost of `chooser.choose`, and
        no weak guess), or gets the guide's honest no when the full reading is sure of that; the word matcher
        reads it when there is no up-to-date model."""
        if self.classifier is None:
            return self.chooser.choose(piece, words, conditions)
        best = self.classifier.read_words(words).best
        if best.label == NO_TOPIC or best.score < ANSWER_THRESHOLD:
            # "... and how long should it last?": the guide's honest no to that question, when that is sure
            whole = self.chooser.choose(piece, words, conditions)
            if whole.entry is not None and whole.entry.kind is EntryKind.OUT_OF_SCOPE:
                return whole
            return Choice(None, best.score)
        return Choice(self.kb.entry(best.label), best.score)

    def _question_after_condition(self, head: str) -> str | None:
        """ "im pregnant, and the little one?": the last clause, normalised, when it reads as a follow-up (the
        message then follows up through it alone); None otherwise."""
        clauses = [clause for clause in _CLAUSE_END.split(head) if clause.strip()]
        if len(clauses) < 2:
            return None
        last = normalise(clauses[-1])
        return last if last and self.follow_ups.read(last) is not None else None

    def _after_a_stop(self, text: str) -> str:
        """What a message says after an opening clause that stops the routine ("stop, it hurts"); "" when it opens
        otherwise."""
        end = _CLAUSE_END.search(text)  # "stop, it hurts", "stop!! my heel"
        if end is None or not text[end.end() :].strip():
            return ""
        opening_stops = self.follow_ups.routine_control(normalise(text[: end.start()])) is RoutineControl.STOP
        return text[end.end() :].strip() if opening_stops else ""

    def _asks_if_safe(self, text: str, acknowledging: bool = False) -> bool:
        """A question of the message (or its only sentence) asks whether it is safe, allowed, risky...; when the
        message is `acknowledging` (small talk), its opening fillers ("ok", "alright") are not read as asking."""
        chunks = sentences(text)
        asked = [chunk for chunk in chunks if looks_like_question(chunk)] if len(chunks) > 1 else chunks
        return any(
            self._safety_question.search(
                self._asked_part(normalise(chunk), acknowledging, chunk.rstrip().endswith("?"))
            )
            for chunk in asked or chunks
        )

    def _asked_part(self, normalised: str, acknowledging: bool, asked_as_a_question: bool) -> str:
        """What a sentence asks, past an opening "ok" that only acknowledges: in small talk ("ok thanks"), or before a
        question of its own ("ok and how should he do it?"); "ok to do it every night?" asks whether it is ok."""
        if acknowledging:
            return self.follow_ups.without_fillers(normalised)
        question = self._own_question(normalised)
        if question is not None:
            return question
        # "ok start tonight's routine" after a caution: an opening "ok" that takes it in, before a request that asks
        # nothing ("ok, fine to start tonight?" and "ok so it's a no?" still ask)
        taken_in = _OPENING_OK.sub("", normalised)
        if not asked_as_a_question and not asks(taken_in):
            return taken_in
        # "ok and the order?": the "ok" takes the caution in and the "and" asks on ("ok and is it safe?" still asks;
        # "ok so it's a no?" asks about the caution)
        return taken_in if taken_in != normalised and self._asks_on.match(taken_in) else normalised

    def _own_question(self, normalised: str) -> str | None:
        """The question a message asks past the fillers and joiners it opens with ("ok and how should he do it?":
        "how should he do it"); None when it opens with none, or what follows them does not start like a question."""
        rest = self.follow_ups.without_fillers(normalised)
        if rest == normalised:
            return None
        question = without_joiners(rest)
        return question if asks(question) else None

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

    def answer_topic(self, topic_id: str, context: ChatContext | None = None) -> Reply:
        """The answer for a known entry id (a suggestion button was pressed); fallback if the id is unknown. The
        caveats of the conditions named in the chat ride on it, as on a question typed there."""
        remembered = named_earlier(context, ())
        if not self.kb.has_entry(topic_id):
            return self.composer.compose(Answer(), (), remembered, context)
        reply = self.composer.compose(Answer((self.kb.entry(topic_id),), 100.0), (), remembered, context)
        self.recorder.record(context, reply, (), None)
        return reply

    def _emergency(
        self, conditions: tuple[Condition, ...], remembered: tuple[Condition, ...], context: ChatContext | None
    ) -> Reply:
        """Emergency care first and alone: no massage caveat in the text (the conditions are still listed)."""
        hidden = tuple(Caveat(condition, "") for condition in in_order((*conditions, *remembered)))
        reply = Reply(ReplyKind.RED_FLAG, self.kb.red_flags.reply, caveats=hidden, caveats_first=False)
        self.recorder.record(context, reply, conditions, None)
        if context is not None:  # no massage goes on after an emergency: "next" shows no step
            context.show_step(None)
            context.routine_stopped = None
            context.after_red_flag = True  # the next reply first says to call if it may still be one
        return reply

    def caution_alone(self, words: str, context: ChatContext | None = None) -> Reply | None:
        """The cautions of the conditions `words` name, and nothing else: for a sign sent alone ("🤰") and for the
        words said beside a command ("/routine my wife is pregnant"), whose command does the rest. The chat
        remembers the conditions. An emergency named gets the emergency reply; None when nothing is named."""
        conditions, red_flag = self.safety.scan(words)
        if red_flag:
            return self._emergency(conditions, named_earlier(context, conditions), context)
        cautions = [entry for entry, condition in self._caution_conditions.items() if condition in conditions]
        if not cautions:
            return None
        body = "\n\n".join(self.kb.entry(entry).answer for entry in cautions)
        caveats = tuple(Caveat(condition, "") for condition in in_order(conditions))  # the cautions say them
        reply = Reply(
            ReplyKind.SAFETY,
            body,
            topic=cautions[0],
            score=100.0,
            caveats=caveats,
            credit=self.composer.credit,
            topics=tuple(cautions),
        )
        self.recorder.record(context, reply, conditions, None)
        return reply

    def caution_in_an_edit(self, words: str, context: ChatContext | None = None) -> Reply | None:
        """For an adapter that does not answer edited messages: the caution (or emergency care) of what an edit
        names that the chat had not named, as `caution_alone` gives it (the chat remembers it, so the routine is
        held back or carries its caveat), or None: nothing new named, said again in full for a typo mended."""
        conditions, red_flag = self.safety.scan(words)
        if not red_flag and not set(conditions) - set(named_earlier(context, ())):
            return None
        return self.caution_alone(words, context)

    # --- replies the adapters ask for by name (composed in bot/core/composing.py) --------------------------

    def action_in_chat(
        self, action: Action, conditions: tuple[Condition, ...] = (), context: ChatContext | None = None
    ) -> Reply:
        """A feature asked for in words or by command, in a chat: the foot map or the routine carries the caveats of
        conditions named earlier (once), and the chat remembers what the reply offered or set ("make it 10" next)."""
        remembered = named_earlier(context, conditions)
        if remembered and action.do in ABOUT_MASSAGE:  # the foot map for someone who said they are pregnant
            caveats = self.composer.caveats_once(in_order((*conditions, *remembered)), frozenset(), context)
        else:
            caveats = self.composer.caveats(conditions)
        reply = self.composer.for_action(action, caveats)  # the adapter carries it out
        self.recorder.record(context, reply, conditions, None)
        return reply

    def safety_overview(self) -> Reply:
        """Who must be careful, and when to see a professional: every caveat, then the professional's advice."""
        return self.composer.safety_overview()

    def foot_map(self) -> list[Entry]:
        """Entries placed on the foot map, in knowledge order."""
        return self.composer.foot_map()

    def routine_text(self) -> str:
        """Tonight's routine as one plain text (for adapters that cannot step through it)."""
        return self.composer.routine_text()

    def _asked_for(self, text: str, conditions: tuple[Condition, ...]) -> Action | None:
        """The feature asked for in words, if any. The routine asked for by someone who names a condition in the
        message is left to the answer path, which leads with the caution ("can I do the routine on grandma, she has
        heart failure?") or holds the routine back in pregnancy."""
        action = self.actions.recognise(text)
        if action is not None and action.do is ActionKind.ROUTINE and conditions:
            return None
        return action

    @staticmethod
    def _only_signs(text: str, signs: list[str]) -> bool:
        """ "👍", "🙏🙏", "😊 👌": nothing but emoji of `signs` (`conversation.acknowledging_signs`, `farewell_signs`),
        in any skin tone."""
        rest = text
        for sign in signs:
            rest = rest.replace(sign, "")
        return rest != text and not rest.translate(_EMOJI_DRESSING).strip()

    def _not_english(self, normalised: str) -> bool:
        """Mostly another script ("Я беременна"), or mostly words of another language in Latin letters ("hola, qué
        dedo es para el dolor de muelas?": at least three words, two thirds of them such words)."""
        if mostly_other_script(normalised):
            return True
        words = normalised.split()
        if len(words) < MIN_OTHER_LANGUAGE_WORDS or self._other_language_words.isdisjoint(words):
            return False  # nearly every message
        return sum(word in self._other_language_words for word in words) * 3 >= len(words) * 2
