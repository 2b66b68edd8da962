"""Typed, immutable knowledge objects: what the YAML in knowledge/ becomes once it has been validated.

Nothing here reads files; `bot.core.loader` builds these and reports every problem it finds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class EntryKind(StrEnum):
    """What a matched entry means for the reply."""

    ANSWER = "answer"  # a fact from the guide: answered and credited
    SMALLTALK = "smalltalk"  # hello, thanks, who are you: answered, not credited
    OUT_OF_SCOPE = "out_of_scope"  # a question we know the guide does not answer: honest fallback
    ROUTINE = "routine"  # "walk me through it": the adapter starts the step-by-step routine


class Condition(StrEnum):
    """The three conditions that always get a caveat."""

    PREGNANCY = "pregnancy"
    DIABETES = "diabetes"
    HEART = "heart"


@dataclass(frozen=True, slots=True)
class MapZone:
    """Where an entry sits on the foot map picture."""

    region: str  # one of bot.core.footmap.REGIONS
    foot: str  # "left", "right" or "both"
    label: str  # short label drawn on the picture


@dataclass(frozen=True, slots=True)
class ListItem:
    """One thing an answer lists, as "the third one?" asks for it just after: the entries that say more about it
    (one, or two for "eases stress and relaxes the muscles"), or, when the guide says no more, a line saying so."""

    entries: tuple[str, ...] = ()
    says: str = ""


@dataclass(frozen=True, slots=True)
class AskedWhen:
    """A curator's reading of a question the topic model can miss: a message holding one of `asks` and one of
    `about` ("how to give" + "foot massage") asks for the entry, unless the model is sure of another answer."""

    asks: tuple[str, ...]
    about: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing the bot can say, and the ways people ask for it."""

    id: str
    kind: EntryKind
    phrasings: tuple[str, ...]
    answer: str
    title: str
    keywords: tuple[str, ...] = ()
    section: str | None = None  # the article section it comes from; None for small talk
    related: tuple[str, ...] = ()  # ids offered as follow-up suggestions
    map_zone: MapZone | None = None
    benefit: bool = False  # may be quoted in a bedtime reminder
    follow_ups: tuple[tuple[str, str], ...] = ()  # ("why" | "more" | "how", the entry id answering it)
    carries: tuple[Condition, ...] = ()  # conditions whose caution the answer itself says (no ⚠️ box repeating it)
    gaps: tuple[str, ...] = ()  # out of scope: things asked about that the guide has no word for (see gaps.py)
    # What the answer says a foot massage eases ("swollen", "cramp*"): asked for a remedy for one of them ("what can
    # I do about swollen ankles?", `conversation.remedy_asks`), this entry answers.
    remedy_for: tuple[str, ...] = ()
    # Gap phrases (out-of-scope entries' `gaps`) this answer does answer ("what causes" beside why feet ache: the
    # guide says why): read as this entry, they are no gap; read as another, this entry answers instead when the
    # model gives it a near score (see TopicChooser._gap_in and TopicChooser._gap_answered_near in choosing.py).
    answers_gaps: tuple[str, ...] = ()
    asked_when: AskedWhen | None = None
    # A message made of one of `asks`, words of `about` and nothing else but stopwords ("is it safe?", "but is it
    # actually safe?") asks for this entry, whatever the model reads; beside a condition, its caution answers.
    asked_alone: AskedWhen | None = None
    # The topic model's score from which this entry answers, when not the usual (ANSWER_THRESHOLD): lower for a
    # general entry that real questions ask loosely and no near miss is read as ("is a rub worth it for my feet?").
    sure_from: float | None = None
    # What the answer lists, in its order: "the third one?" or "and number 2?" next asks for that one.
    items: tuple[ListItem, ...] = ()
    file: str = ""  # where it was defined, for error messages
    line: int | None = None

    def follow_up(self, kind: str) -> str | None:
        """The entry id answering a "why?" / "tell me more" / "how do I massage it?" after this entry."""
        return next((target for name, target in self.follow_ups if name == kind), None)


@dataclass(frozen=True, slots=True)
class ConditionRule:
    """How one condition is recognised, and the caveat it brings."""

    condition: Condition
    caveat: str
    terms: tuple[str, ...]  # words and phrases; a word matches its plural and close misspellings
    misspellings: tuple[str, ...] = ()  # short or unusual spellings matched exactly
    patterns: tuple[str, ...] = ()  # regular expressions over normalised text
    not_when: tuple[str, ...] = ()  # phrases in which a term is clearly not this condition
    # Found anywhere in the message as typed: emoji ("🤰"), and words of scripts written without spaces ("怀孕")
    signs: tuple[str, ...] = ()
    routine_lead: str | None = None  # said first, instead of the routine, when this condition is mentioned
    entry: str | None = None  # the guide's caution for it: the answer when the rest of the message has none
    caveat_short: str = ""  # said instead of `caveat` once the full caveat was said in the chat (default: caveat)


@dataclass(frozen=True, slots=True)
class RedFlags:
    """Emergencies: answered with a short pointer to emergency care before anything else."""

    reply: str
    terms: tuple[str, ...]
    patterns: tuple[str, ...] = ()
    not_when: tuple[str, ...] = ()  # lookalikes: "a faint smell" is no fainting, "choked up" no choking
    still: str = ""  # said first in the reply just after an emergency ("he says it's easing now")


@dataclass(frozen=True, slots=True)
class RoutineStep:
    title: str
    text: str
    topics: tuple[str, ...] = ()  # entries about this step ("what comes after the sole?" finds the sole's step)


@dataclass(frozen=True, slots=True)
class Routine:
    """Tonight's routine, in the guide's order."""

    intro: str
    steps: tuple[RoutineStep, ...]
    outro: str
    section: str


@dataclass(frozen=True, slots=True)
class Messages:
    """Fixed texts the core composes replies from (fallback, empty message, credit line)."""

    fallback: str
    empty: str
    credit: str
    suggestions_intro: str
    not_text: str
    english_only: str = ""  # said first to a message in another language: footbot answers in English only
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Source:
    title: str
    author: str


@dataclass(frozen=True, slots=True)
class SafetyQuestions:
    """How a question about safety sounds ("is it safe", "should I avoid it"): from someone who names a
    condition, it is answered with the guide's caution for that condition."""

    words: tuple[str, ...] = ()
    several: str | None = None  # the entry that answers it when several conditions are named at once
    # How asking for permission starts ("can I give her a foot rub?"): said beside a condition, it asks
    # whether the massage is all right for that condition, not about what the rest of the words name.
    permission: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()  # entries answering "is it all right for me?": never the question behind one
    # Out-of-scope entries about other health problems ("can I get a massage on blood thinners?"): asked whether
    # it is all right, they keep their honest "the guide doesn't say" with the caveat, not the massage caution.
    other_health: tuple[str, ...] = ()
    # Words that show a message speaks of the massage ("reflexology", "rub", "it"); `*` at an end: any letters.
    # Beside a condition, a question with none of them asks about something else; one with them about something
    # the guide has no word for gets the caution, then the honest no.
    about_massage: tuple[str, ...] = ()
    massage_words: tuple[str, ...] = ()  # words naming the massage itself (part of `about_massage` too)
    # Phrases that bring a condition's caveat but, said alone, do not make its caution the answer ("blood
    # thinners", "high blood pressure": not a heart condition in themselves); the first `other_health` entry
    # answers instead, with the caveat.
    caveat_only: tuple[str, ...] = ()
    # Entries about the massage in general (its benefits, how to give one): beside a condition named in its own
    # words, a question read as one of these ("is massage helpful for diabetics?", "how to give a diabetic foot
    # massage") asks whether the massage is right for them: the condition's caution follows the entry.
    caution_follows: tuple[str, ...] = ()
    # Words that ask nothing on their own ("however", "so", "up" in "what is up with"): beside a condition, a
    # question with nothing else but them, stopwords and the condition's own words asks about the condition.
    asides: tuple[str, ...] = ()
    # How asking what a condition is, how one gets it or how to tell one has it starts ("what is angina?"): the
    # guide never says, so beside the condition alone the caution does not answer it; the honest no does.
    condition_asks: tuple[str, ...] = ()
    # How asking why or when something happens starts ("why do ankles swell in pregnancy?"): beside a condition, only
    # the massage named in its own words (`massage_words`), not the feet, makes it a question about the massage.
    symptom_asks: tuple[str, ...] = ()


FOLLOW_UP_KINDS = ("why", "more", "how")  # the keys an entry's `follow_ups` may have


@dataclass(frozen=True, slots=True)
class ConversationRules:
    """How a follow-up sounds ("why?", "and after that?", "what about the liver"), from conversation.yaml.

    Phrases are normalised like messages. `why`, `more`, `next` and `how_alone` are whole messages; `how`,
    `after` and `continuations` start one; `references` are the words that point back ("it", "them").
    """

    why: tuple[str, ...] = ()
    more: tuple[str, ...] = ()
    next: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    how: tuple[str, ...] = ()
    how_alone: tuple[str, ...] = ()  # "how?", "how so": the whole message asks how to do the last topic
    references: tuple[str, ...] = ()
    pointing_nowhere: tuple[str, ...] = ()  # phrases in which a reference points back at nothing ("is there")
    continuations: tuple[str, ...] = ()
    fillers: tuple[str, ...] = ()  # said before a follow-up and meaning nothing here ("ok", "thanks")
    how_default: str | None = None  # the entry for "how do I massage it?" when the last topic names none
    next_lead: str = "{title}: {text}"  # how a routine step is said when it is asked for as a follow-up
    routine_end: str = ""  # "and after that?" after the last step
    order_end: str = ""  # "and after that?" after the whole order (`how_default`): the routine, step by step, offered
    unrelated: tuple[str, ...] = ()  # entries not about a massage: remembered caveats do not ride on them
    why_of: tuple[str, ...] = ()  # "why the toes first?": starts a question about the reason behind the last answer
    acknowledged: str = ""  # the reply to a message of fillers only ("ok", "got it"): the context is kept
    closers: tuple[str, ...] = ()  # said after a follow-up and meaning nothing here ("more pls", "why tho")
    corrections: tuple[str, ...] = ()  # "no wait, I meant the heart": what follows is what the person meant
    which_foot: tuple[str, ...] = ()  # "which foot?", "left or right?" (the whole message): of the last zone
    both_feet_lead: str = ""  # said before a zone's answer when asked which foot, and the guide's map has it on both
    spellings: dict[str, str] = field(default_factory=dict)  # phone typing -> the word phrases use ("wht": "what")
    same_zone: tuple[str, ...] = ()  # "is it the same on both feet?": about the zone last talked about
    other_foot: tuple[str, ...] = ()  # "and the other foot?": what the map puts on the other foot
    the_massage: tuple[str, ...] = ()  # "can i do it on myself?": "it" is the massage, read the message alone
    accept: tuple[str, ...] = ()  # "yes please": taking up what the last reply offered
    reminder_offered_by: tuple[str, ...] = ()  # entries whose answer offers a reminder: "10pm please" sets it
    # Just after a reminder was set or its menu shown: with one of these a bare hour sets it ("actually make it 10"),
    # and one of `reminder_off` as the whole message turns reminders off ("cancel it").
    reminder_changes: tuple[str, ...] = ()
    reminder_off: tuple[str, ...] = ()
    # Long after a reminder was set: a time said with one of these changes it ("make it 11"); in a chat that set none,
    # `no_reminder_to_change` ({time}) asks what is meant instead of setting one unasked.
    time_changes: tuple[str, ...] = ()
    no_reminder_to_change: str = ""
    # "is it proven?", "does it really work?" (the whole message) right after an answer: `doubt_answer`, the guide's
    # word on evidence, whatever the last topic was.
    doubts: tuple[str, ...] = ()
    doubt_answer: str | None = None
    # "thanks, bye!": a message read as one of `farewell_outranks` (thanks) ending with one of `farewells` gets
    # `farewell` (the goodbye).
    farewells: tuple[str, ...] = ()
    farewell: str | None = None
    farewell_outranks: tuple[str, ...] = ()
    # "evening", "no, in the evening" (the whole message) while a reminder's time is asked for: `day_part_not_a_time`
    # asks for a clock time; led by one of `denials` elsewhere, acknowledged, never read as a greeting.
    day_parts: tuple[str, ...] = ()
    denials: tuple[str, ...] = ()
    day_part_not_a_time: str = ""
    # Common words of other languages written in Latin letters that are no English words ("hola", "pieds"): a
    # message mostly of these is told first that footbot answers in English only (messages.english_only).
    other_language_words: tuple[str, ...] = ()
    stop: tuple[str, ...] = ()  # "stop", "cancel": the whole message ends the routine under way
    back: tuple[str, ...] = ()  # "back", "previous": the whole message goes back one step in the routine
    # More of the routine's buttons in words, each the whole message, while a step is on screen (else read as usual):
    carry_on: tuple[str, ...] = ()  # "continue", "done", "skip": the next step
    repeat: tuple[str, ...] = ()  # "repeat", "say that again": the same step again
    restart: tuple[str, ...] = ()  # "start over", "from the beginning": the first step
    where_am_i: tuple[str, ...] = ()  # "where was i", "what step am i on": the step on screen, with its number
    wait: tuple[str, ...] = ()  # "wait", "brb": footbot waits (`waiting`), the step stays on screen
    resume: tuple[str, ...] = ()  # "resume", "continue where we left off": after "stop", the step it stopped at
    # "step 3", "go to the last step", "what was step 2 again?": a step by its place (`ordinals`, or one of `cardinals`
    # after one of `step_pointers`); every other word must be one of `item_frame` or `step_frame`.
    step_pointers: tuple[str, ...] = ()
    step_frame: tuple[str, ...] = ()
    remedy_asks: tuple[str, ...] = ()  # "what can I do about", "any remedy for": asking for a remedy (see remedy_for)
    # Out-of-scope entries whose sure reading a remedy asked (or an `asked_when`) overrules: "a named ailment" when
    # the ailment is one the guide says a massage eases. Other sure readings ("oils and devices") stand.
    remedy_overrules: tuple[str, ...] = ()
    # "What causes it", "why do my...": asking for a cause, which the guide never gives; said beside a remedy asked,
    # the remedy is answered after `cause_lead` ("The guide doesn't say what causes it...").
    cause_asks: tuple[str, ...] = ()
    cause_lead: str = ""
    # "What exactly is ankle swelling?" (what a `remedy_for` trouble is) and "why do my toes tingle?" (a cause asked
    # for one of `symptoms`) ask what the guide never says: `trouble_answer` (an out-of-scope entry) says so,
    # rather than the entry next to it.
    definition_asks: tuple[str, ...] = ()
    symptoms: tuple[str, ...] = ()
    trouble_answer: str | None = None
    # "the third one?", "and number 2?", "the last one": just after an answer that lists things (an entry's `items`),
    # the thing at that place. `ordinals` are words for a place (-1: the last); `cardinals` name one after one of
    # `item_pointers` ("number 2", "point three"); every other word of the message must be one of `item_frame`.
    ordinals: dict[str, int] = field(default_factory=dict)
    cardinals: dict[str, int] = field(default_factory=dict)
    item_pointers: tuple[str, ...] = ()
    item_frame: tuple[str, ...] = ()
    item_missing: str = ""  # asked for a place past the list's end; may hold {count}
    back_lead: str = "{title}: {text}"  # how the step gone back to is said
    step_lead: str = "{number}. {title}: {text}"  # a step asked for by its place, repeated or asked about
    first_lead: str = "{title}: {text}"  # "back" at the first step: it stays the first
    waiting: str = ""  # the reply to `wait` while a step is on screen
    no_such_step: str = ""  # "step 9" when there are 7; may hold {total}
    routine_stopped: str = ""  # the reply to "stop" while the routine is under way
    nothing_running: str = ""  # the reply to "stop" or "back" when no routine is under way: what footbot can do
    nothing_next: str = ""  # "what's next?" with no step to follow: the routine and the order of the steps offered
    # Emoji that acknowledge on their own ("👍", "🙏"): a message of nothing else gets `acknowledged`, like "ok".
    acknowledging_signs: tuple[str, ...] = ()
    farewell_signs: tuple[str, ...] = ()  # "👋", "😴" on their own: read as "good night", never as "ok"


@dataclass(frozen=True, slots=True)
class ActionRule:
    """How people ask for one feature in words ("remind me at 10pm"), and what a text-only adapter says.

    `do` is an `ActionKind` value (checked by the loader). Patterns are regular expressions over normalised
    text, matched at the start of a request once its polite opening ("could you please") is set aside.
    """

    do: str
    reply: str  # what a text-only adapter shows; may hold {zones}
    reply_at: str | None = None  # the reply when a time ({time}) or a place ({place}) was given
    patterns: tuple[str, ...] = ()  # a match is a request
    with_time: tuple[str, ...] = ()  # a match is a request only when the message names a time or "every night"
    if_known_place: tuple[str, ...] = ()  # a match is a request only when its `place` is surely a time zone
    # Found anywhere in a message already asking for this ("I'm in Paris, remind me at 10pm"): its `place` comes
    # along (the adapter sets the time zone from it too).
    with_place: tuple[str, ...] = ()
    reply_with_place: str | None = None  # the reply when a place came along ({place}, and {time} when given)
    file: str = ""
    line: int | None = None


@dataclass(frozen=True, slots=True)
class ActionRules:
    """Every feature that can be asked for in words, tried in order: the first rule that matches wins."""

    openings: tuple[str, ...] = ()  # polite or chatty starts set aside before the patterns are tried
    rules: tuple[ActionRule, ...] = ()
    spellings: dict[str, str] = field(default_factory=dict)  # typo or variant -> the word patterns use

    def rule(self, do: str) -> ActionRule | None:
        return next((rule for rule in self.rules if rule.do == do), None)


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Everything the bot knows, validated; shared read-only by all adapters."""

    source: Source
    entries: tuple[Entry, ...]
    conditions: tuple[ConditionRule, ...]
    red_flags: RedFlags
    routine: Routine
    messages: Messages
    fallback_topics: tuple[str, ...]  # entry ids offered when nothing matched
    stopwords: frozenset[str] = frozenset()
    synonyms: dict[str, str] = field(default_factory=dict)  # word -> canonical word
    safety_questions: SafetyQuestions = SafetyQuestions()
    conversation: ConversationRules = ConversationRules()
    actions: ActionRules = ActionRules()
    # Words one or two typos from a safety term that are words of their own ("choosing", not "choking"): the
    # safety rules read them as typed, never as a typo (knowledge/safety.yaml, `everyday_words`).
    everyday_words: frozenset[str] = frozenset()
    # Emoji that stand for a word ("my 🫀 is weak"): the safety rules read a message once more with them written out
    # (knowledge/safety.yaml, `emoji_words`).
    emoji_words: dict[str, str] = field(default_factory=dict)

    _by_id: dict[str, Entry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {entry.id: entry for entry in self.entries})

    def entry(self, entry_id: str) -> Entry:
        return self._by_id[entry_id]

    def has_entry(self, entry_id: str) -> bool:
        return entry_id in self._by_id

    def caveat_for(self, condition: Condition) -> ConditionRule:
        return next(rule for rule in self.conditions if rule.condition is condition)

    def caution_conditions(self) -> dict[str, Condition]:
        """Each condition's caution entry (its id) and the condition it is for."""
        return {rule.entry: rule.condition for rule in self.conditions if rule.entry}

    def benefits(self) -> tuple[Entry, ...]:
        return tuple(entry for entry in self.entries if entry.benefit)

    def map_entries(self) -> tuple[Entry, ...]:
        return tuple(entry for entry in self.entries if entry.map_zone is not None)
