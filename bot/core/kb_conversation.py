"""Reading `conversation:` (conversation.yaml): how follow-ups sound, the routine steered in words, list places."""

from __future__ import annotations

from typing import Any

from bot.core.kb_fields import LINE_KEY, FieldReader, line_of, line_of_text
from bot.core.knowledge import (
    ConversationRules,
)
from bot.core.text import normalise

CONVERSATION_PHRASES = (
    "why",
    "more",
    "next",
    "after",
    "how",
    "how_alone",
    "references",
    "pointing_nowhere",
    "continuations",
    "fillers",
    "closers",
    "corrections",
    "which_foot",
    "why_of",
    "same_zone",
    "other_foot",
    "the_massage",
    "accept",
    "stop",
    "back",
    "carry_on",
    "repeat",
    "restart",
    "where_am_i",
    "wait",
    "resume",
    "step_pointers",
    "step_frame",
    "reminder_changes",
    "reminder_off",
    "time_changes",
    "doubts",
    "farewells",
    "day_parts",
    "denials",
    "other_language_words",
    "item_pointers",
    "item_frame",
)


class ConversationReader(FieldReader):
    """The conversation rules, each phrase list normalised as messages are."""

    def build_conversation(self, ids: set[str]) -> ConversationRules:
        """How follow-ups sound (conversation.yaml); optional: without it, every message stands alone."""
        if "conversation" not in self.sections:
            return ConversationRules()
        file, raw = self.sections["conversation"]
        if not isinstance(raw, dict):
            self.problem(file, None, None, "conversation", f"must be a mapping with {', '.join(CONVERSATION_PHRASES)}")
            return ConversationRules()
        line = raw.get(LINE_KEY)
        known = (
            *CONVERSATION_PHRASES,
            *("how_default", "next_lead", "routine_end", "order_end", "unrelated", "spellings", "reminder_offered_by"),
            *("acknowledged", "back_lead", "routine_stopped", "nothing_running", "remedy_asks", "nothing_next"),
            "both_feet_lead",
            "acknowledging_signs",
            "farewell_signs",
            *("cause_asks", "cause_lead", "definition_asks", "symptoms", "trouble_answer", "remedy_overrules"),
            *("ordinals", "cardinals", "item_missing"),
            *("step_lead", "first_lead", "waiting", "no_such_step"),
            "no_reminder_to_change",
            "doubt_answer",
            *("farewell", "farewell_outranks", "day_part_not_a_time"),
        )
        optional: dict[str, Any] = {"line": line, "allow_empty": True}  # a kind of follow-up may be left out
        self.check_fields(file, raw, None, known, "conversation", line)
        phrases = {
            key: tuple(map(normalise, self.string_list(file, raw.get(key), None, f"conversation.{key}", **optional)))
            for key in CONVERSATION_PHRASES
        }
        for key, items in phrases.items():
            if any(not item for item in items):
                raw_items = raw.get(key)
                blank = next((index for index, item in enumerate(raw_items) if not normalise(str(item))), None)
                where = line_of(raw_items, blank, line)
                self.problem(file, where, None, f"conversation.{key}", "has a phrase with no words once normalised")
        how_default = self.text(file, raw, "how_default", "conversation", required=False) or None
        unrelated = self.optional_list(file, raw, "conversation", "unrelated", line)
        remedy_asks = self.optional_list(file, raw, "conversation", "remedy_asks", line)
        remedy_overrules = self.optional_list(file, raw, "conversation", "remedy_overrules", line)
        cause_asks = self.optional_list(file, raw, "conversation", "cause_asks", line)
        cause_lead = self.text(file, raw, "cause_lead", "conversation", required=bool(cause_asks))
        definition_asks = self.optional_list(file, raw, "conversation", "definition_asks", line)
        symptoms = self.optional_list(file, raw, "conversation", "symptoms", line)
        trouble_answer = self.text(
            file, raw, "trouble_answer", "conversation", required=bool(definition_asks or symptoms)
        )
        offered_by = self.optional_list(file, raw, "conversation", "reminder_offered_by", line)
        doubt_answer = self.text(file, raw, "doubt_answer", "conversation", required=bool(phrases["doubts"])) or None
        farewell = self.text(file, raw, "farewell", "conversation", required=bool(phrases["farewells"])) or None
        farewell_outranks = self.optional_list(file, raw, "conversation", "farewell_outranks", line)
        named = {
            "how_default": [how_default],
            "unrelated": unrelated,
            "reminder_offered_by": offered_by,
            "trouble_answer": [trouble_answer],
            "remedy_overrules": remedy_overrules,
            "doubt_answer": [doubt_answer],
            "farewell": [farewell],
            "farewell_outranks": farewell_outranks,
        }
        for key, targets in named.items():
            for target in targets:
                if target and target not in ids:
                    where = line_of_text(raw.get(key), target, line_of(raw, key, line))
                    self.problem(file, where, None, "conversation", f"unknown entry id '{target}'")
        step_fields = ("title", "text", "number", "total")  # what a step's lead may say (composing.step)
        next_lead = self.text(file, raw, "next_lead", "conversation")
        if next_lead and ("{title}" not in next_lead or "{text}" not in next_lead):
            self.problem(file, line, None, "conversation.next_lead", "must contain {title} and {text}")
        if next_lead:
            self.check_placeholders(file, line, None, "conversation.next_lead", next_lead, step_fields)
        back_lead = self.text(file, raw, "back_lead", "conversation", required=bool(phrases["back"]))
        if back_lead:
            self.check_placeholders(file, line, None, "conversation.back_lead", back_lead, step_fields)
        # "stop" needs its reply; "stop" or "back" with nothing under way needs the other
        routine_stopped = self.text(file, raw, "routine_stopped", "conversation", required=bool(phrases["stop"]))
        nothing_running = self.text(
            file, raw, "nothing_running", "conversation", required=bool(phrases["stop"] or phrases["back"])
        )
        steering = any(phrases[key] for key in ("repeat", "restart", "where_am_i", "step_pointers"))
        step_lead = self.text(file, raw, "step_lead", "conversation", required=steering)
        if step_lead:
            self.check_placeholders(file, line, None, "conversation.step_lead", step_lead, step_fields)
        first_lead = self.text(file, raw, "first_lead", "conversation", required=False)
        if first_lead:
            self.check_placeholders(file, line, None, "conversation.first_lead", first_lead, step_fields)
        waiting = self.text(file, raw, "waiting", "conversation", required=bool(phrases["wait"]))
        no_such_step = self.text(file, raw, "no_such_step", "conversation", required=bool(phrases["step_pointers"]))
        if no_such_step:
            self.check_placeholders(file, line, None, "conversation.no_such_step", no_such_step, ("total",))
        no_reminder = self.text(
            file, raw, "no_reminder_to_change", "conversation", required=bool(phrases["time_changes"])
        )
        if no_reminder:
            self.check_placeholders(file, line, None, "conversation.no_reminder_to_change", no_reminder, ("time",))
        ordinals = self.places(file, raw.get("ordinals"), line, "conversation.ordinals", last_allowed=True)
        cardinals = self.places(file, raw.get("cardinals"), line, "conversation.cardinals", last_allowed=False)
        if cardinals and not phrases["item_pointers"]:
            self.problem(file, line, None, "conversation.cardinals", 'need item_pointers ("number 2")')
        item_missing = self.text(file, raw, "item_missing", "conversation", required=bool(ordinals or cardinals))
        if item_missing:
            self.check_placeholders(file, line, None, "conversation.item_missing", item_missing, ("count",))
        return ConversationRules(
            **phrases,
            how_default=how_default,
            next_lead=next_lead,
            routine_end=self.text(file, raw, "routine_end", "conversation"),
            order_end=self.text(file, raw, "order_end", "conversation", required=False),
            acknowledged=self.text(file, raw, "acknowledged", "conversation", required=False),
            unrelated=tuple(unrelated),
            remedy_asks=tuple(remedy_asks),
            remedy_overrules=tuple(remedy_overrules),
            cause_asks=tuple(cause_asks),
            cause_lead=cause_lead,
            definition_asks=tuple(definition_asks),
            symptoms=tuple(symptoms),
            trouble_answer=trouble_answer or None,
            spellings=self.action_spellings(file, raw.get("spellings"), line, "conversation.spellings"),
            reminder_offered_by=tuple(offered_by),
            **({"back_lead": back_lead} if back_lead else {}),
            routine_stopped=routine_stopped,
            nothing_running=nothing_running,
            **({"step_lead": step_lead} if step_lead else {}),
            **({"first_lead": first_lead} if first_lead else {}),
            waiting=waiting,
            no_such_step=no_such_step,
            nothing_next=self.text(file, raw, "nothing_next", "conversation", required=False),
            both_feet_lead=self.text(file, raw, "both_feet_lead", "conversation", required=bool(phrases["which_foot"])),
            acknowledging_signs=tuple(self.optional_list(file, raw, "conversation", "acknowledging_signs", line)),
            farewell_signs=tuple(self.optional_list(file, raw, "conversation", "farewell_signs", line)),
            ordinals=ordinals,
            cardinals=cardinals,
            item_missing=item_missing,
            no_reminder_to_change=no_reminder,
            doubt_answer=doubt_answer,
            farewell=farewell,
            farewell_outranks=tuple(farewell_outranks),
            day_part_not_a_time=self.text(
                file, raw, "day_part_not_a_time", "conversation", required=bool(phrases["day_parts"])
            ),
        )

    def places(self, file: str, raw: Any, line: int | None, field: str, *, last_allowed: bool) -> dict[str, int]:
        """`{third: 3, 3rd: 3, last: -1}`: one normalised word each, for a place in a list from 1 (-1: the last)."""
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem(file, line, None, field, "must be a mapping of word: place (1, 2, ...)")
            return {}
        places: dict[str, int] = {}
        for word, place in raw.items():
            if word == LINE_KEY:
                continue
            typed = normalise(str(word))
            lowest = -1 if last_allowed else 1
            at = line_of(raw, word, line)
            if len(typed.split()) != 1:
                self.problem(file, at, None, f"{field}.{word}", "must be one word")
            elif isinstance(place, bool) or not isinstance(place, int) or place < lowest or place == 0:
                allowed = "must be a place from 1" + (" (or -1, the last)" if last_allowed else "")
                self.problem(file, at, None, f"{field}.{word}", allowed)
            else:
                places[typed] = place
        return places
