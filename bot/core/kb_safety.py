"""Reading the safety rules (safety.yaml): the conditions and their caveats, red flags, how asking whether it is safe
sounds, and the everyday words read as typed. A rule that would silence its own caveat is a problem here."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from bot.core.kb_fields import LINE_KEY, FieldReader, line_of, line_of_text
from bot.core.knowledge import (
    Condition,
    ConditionRule,
    RedFlags,
    SafetyQuestions,
)
from bot.core.regex_literals import required_texts
from bot.core.text import normalise

# The fields of the mapping sections: a misspelt one ("caveat_onyl") would silently be ignored, so kb check names it.
CONDITION_FIELDS = (
    "id",
    "entry",
    "caveat",
    "caveat_short",
    "terms",
    "misspellings",
    "patterns",
    "not_when",
    "signs",
    "routine_lead",
)
RED_FLAG_FIELDS = ("reply", "terms", "patterns", "not_when", "still")
SAFETY_QUESTION_FIELDS = (
    "words", "several", "permission", "cautions", "other_health", "about_massage", "massage_words", "caveat_only",
    "caution_follows", "asides", "condition_asks", "symptom_asks",
)  # fmt: skip


def _within(part: Sequence[str], whole: Sequence[str]) -> bool:
    """Whether the words `part` come together, in order, inside `whole`."""
    return any(list(whole[start : start + len(part)]) == list(part) for start in range(len(whole) - len(part) + 1))


def _never_read(text: str) -> bool:
    """Whether `text` holds a character no normalised message has (a capital, an accent, punctuation)."""
    return any(char != " " and normalise(char) != char for char in text)


class SafetyReader(FieldReader):
    """Conditions, red flags, safety questions and everyday words, each checked."""

    def build_conditions(self) -> list[ConditionRule]:
        file, raw = self.section("conditions")
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(file, None, None, "conditions", "must be a list")
            return []
        rules: list[ConditionRule] = []
        for index, item in enumerate(raw):
            if not isinstance(item, dict):
                self.problem(file, line_of(raw, index, None), None, "conditions", "each condition must be a mapping")
                continue
            line = item.get(LINE_KEY)
            name = self.text(file, item, "id", None)
            self.check_fields(file, item, name, CONDITION_FIELDS, "conditions")
            try:
                condition = Condition(name)
            except ValueError:
                self.problem(file, line, name, "id", f"unknown condition (use: {', '.join(Condition)})")
                continue
            patterns = self.string_list(file, item.get("patterns"), name, "patterns", line=line, allow_empty=True)
            self.check_patterns(file, line, name, patterns, item.get("patterns"))
            signs = self.string_list(file, item.get("signs"), name, "signs", line=line, allow_empty=True)
            for sign in signs:
                if sign.isascii():
                    where = line_of_text(item.get("signs"), sign, line)
                    self.problem(file, where, name, "signs", f"'{sign}' is plain text: put words in terms")
            caveat = self.text(file, item, "caveat", name)
            caveat_short = self.text(file, item, "caveat_short", name, required=False)
            if caveat and caveat_short and len(caveat_short) >= len(caveat):
                self.problem(file, line, name, "caveat_short", "must be shorter than caveat (said the second time)")
            rules.append(
                ConditionRule(
                    condition=condition,
                    caveat=caveat,
                    terms=tuple(self.string_list(file, item.get("terms"), name, "terms", line=line)),
                    misspellings=tuple(
                        self.string_list(
                            file, item.get("misspellings"), name, "misspellings", line=line, allow_empty=True
                        )
                    ),
                    patterns=tuple(patterns),
                    not_when=tuple(
                        self.string_list(file, item.get("not_when"), name, "not_when", line=line, allow_empty=True)
                    ),
                    signs=tuple(signs),
                    routine_lead=self.text(file, item, "routine_lead", name, required=False) or None,
                    entry=self.text(file, item, "entry", name, required=False) or None,
                    caveat_short=caveat_short or caveat,
                )
            )
        not_whens = {item.get("id"): item.get("not_when") for item in raw if isinstance(item, dict)}
        for rule in rules:
            self.check_lookalikes(
                file, rule.condition.value, rule.terms, rule.not_when, not_whens.get(rule.condition.value)
            )
        missing = set(Condition) - {rule.condition for rule in rules}
        for condition in sorted(missing):
            self.problem(file, None, condition.value, "conditions", "missing: every condition needs a caveat")
        return rules

    def check_lookalikes(
        self, file: str, owner: str, terms: Sequence[str], not_when: Sequence[str], raw: Any = None
    ) -> None:
        """A lookalike (`not_when`) hides the words it covers wherever it is said: one that is a term, or a part of
        one, would hide that term every time ("heart" hides "my dad has heart problems"), so the caveat never comes.
        `raw`: the list as read from YAML, for the line of each lookalike."""
        term_words = [normalise(term).split() for term in terms]
        for phrase in not_when:
            words = normalise(phrase).split()
            hidden = next((term for term, said in zip(terms, term_words, strict=True) if _within(words, said)), None)
            if words and hidden is not None:
                self.problem(
                    file,
                    line_of_text(raw, phrase, None),
                    owner,
                    "not_when",
                    f"'{phrase}' would hide the term '{hidden}' every time it is said: a lookalike must say more "
                    'than a term ("my heart is set on it", not "heart")',
                )

    def check_patterns(
        self, file: str, line: int | None, entry: str | None, patterns: list[str], raw: Any = None
    ) -> None:
        """Each safety pattern must compile, and must hold some text of two letters or more that every match
        contains: the detector runs a pattern only on messages holding that text, so one without it would run
        on every message ("\\d+w\\d+d" has none; "(bs|bg)" only "b", as the parser shares the first letter).
        `raw`: the list as read from YAML, for the line of each pattern (else `line`)."""
        for pattern in patterns:
            at = line_of_text(raw, pattern, line)
            try:
                re.compile(pattern)
            except re.error as error:
                self.problem(file, at, entry, "patterns", f"bad regular expression {pattern!r}: {error}")
                continue
            requirements = required_texts(pattern)
            unread = next((texts for texts in requirements if all(map(_never_read, texts))), None)
            if unread is not None:
                shown = " or ".join(repr(text) for text in sorted(unread))
                self.problem(
                    file,
                    at,
                    entry,
                    "patterns",
                    f"{pattern!r} can never match: every match holds {shown}, but patterns read messages in "
                    "lower case, without accents or punctuation: write it as such a message reads"
                    + (" (in double quotes \\b is a backspace: put it in single quotes)" if "\b" in pattern else ""),
                )
            if not requirements:
                self.problem(
                    file,
                    at,
                    entry,
                    "patterns",
                    f"{pattern!r} holds no text of two letters or more that every match must contain, so it would "
                    "run on every message: spell out a word it needs (one pattern per alternative if need be)",
                )

    def build_red_flags(self) -> RedFlags | None:
        file, raw = self.section("red_flags")
        if not isinstance(raw, dict):
            if raw is not None:
                self.problem(file, None, None, "red_flags", "must be a mapping with reply, terms, patterns, not_when")
            return None
        line = raw.get(LINE_KEY)
        self.check_fields(file, raw, None, RED_FLAG_FIELDS, "red_flags")
        patterns = self.string_list(file, raw.get("patterns"), "red_flags", "patterns", line=line, allow_empty=True)
        self.check_patterns(file, line, "red_flags", patterns, raw.get("patterns"))
        terms = self.string_list(file, raw.get("terms"), "red_flags", "terms", line=line)
        not_when = self.string_list(file, raw.get("not_when"), "red_flags", "not_when", line=line, allow_empty=True)
        self.check_lookalikes(file, "red_flags", terms, not_when, raw.get("not_when"))
        return RedFlags(
            reply=self.text(file, raw, "reply", "red_flags"),
            terms=tuple(terms),
            patterns=tuple(patterns),
            not_when=tuple(not_when),
            still=self.text(file, raw, "still", "red_flags", required=False),
        )

    def build_safety_questions(self, ids: set[str]) -> SafetyQuestions:
        if "safety_questions" not in self.sections:
            return SafetyQuestions()
        file, raw = self.sections["safety_questions"]
        if not isinstance(raw, dict):
            self.problem(file, None, None, "safety_questions", "must be a mapping with words and several")
            return SafetyQuestions()
        line = raw.get(LINE_KEY)
        self.check_fields(file, raw, None, SAFETY_QUESTION_FIELDS, "safety_questions")
        words = self.string_list(file, raw.get("words"), None, "safety_questions.words", line=line)
        several = self.text(file, raw, "several", None, required=False) or None
        if several and several not in ids:
            self.problem(file, line, None, "safety_questions.several", f"unknown entry id '{several}'")
        permission = self.optional_list(file, raw, "safety_questions", "permission", line)
        cautions = self.id_list(file, raw.get("cautions"), "safety_questions.cautions", ids, line)
        other_health = self.id_list(file, raw.get("other_health"), "safety_questions.other_health", ids, line)
        about_massage = self.optional_list(file, raw, "safety_questions", "about_massage", line)
        massage_words = self.optional_list(file, raw, "safety_questions", "massage_words", line)
        caveat_only = self.optional_list(file, raw, "safety_questions", "caveat_only", line)
        asides = self.optional_list(file, raw, "safety_questions", "asides", line)
        condition_asks = self.optional_list(file, raw, "safety_questions", "condition_asks", line)
        symptom_asks = self.optional_list(file, raw, "safety_questions", "symptom_asks", line)
        caution_follows = self.id_list(file, raw.get("caution_follows"), "safety_questions.caution_follows", ids, line)
        return SafetyQuestions(
            words=tuple(words),
            several=several,
            permission=tuple(map(normalise, permission)),
            cautions=tuple(cautions),
            other_health=tuple(other_health),
            about_massage=(*massage_words, *about_massage),
            massage_words=tuple(massage_words),
            caveat_only=tuple(caveat_only),
            caution_follows=tuple(caution_follows),
            asides=tuple(normalise(word) for word in asides),
            condition_asks=tuple(condition_asks),
            symptom_asks=tuple(symptom_asks),
        )

    def build_emoji_words(self) -> dict[str, str]:
        """Optional: `emoji_words: {"🫀": heart}`, an emoji (or a few) and the plain words it stands for."""
        if "emoji_words" not in self.sections:
            return {}
        file, raw = self.sections["emoji_words"]
        if not isinstance(raw, dict):
            self.problem(file, None, None, "emoji_words", 'must be a mapping of emoji: words ("🫀": heart)')
            return {}
        words: dict[str, str] = {}
        line = raw.get(LINE_KEY)
        for sign, meant in raw.items():
            if sign == LINE_KEY:
                continue
            at = line_of(raw, sign, line)
            if not isinstance(sign, str) or not sign.strip() or normalise(sign):
                self.problem(file, at, None, f"emoji_words.{sign}", "must be emoji or symbols, with no letters")
            elif not isinstance(meant, str) or not normalise(meant):
                self.problem(file, at, None, f"emoji_words.{sign}", "must stand for words")
            else:
                words[sign] = normalise(meant)
        return words

    def build_everyday_words(self, conditions: list[ConditionRule], red_flags: RedFlags | None) -> frozenset[str]:
        """Optional: words the safety rules never read as a typo of a term ("students" is not "stents"); one word
        each, and never a term itself."""
        if "everyday_words" not in self.sections:
            return frozenset()
        file, raw = self.sections["everyday_words"]
        terms = {
            normalise(term): owner
            for owner, owned in (
                *((rule.condition.value, (*rule.terms, *rule.misspellings)) for rule in conditions),
                ("red_flags", red_flags.terms if red_flags else ()),
            )
            for term in owned
        }
        words: set[str] = set()
        for typed in self.string_list(file, raw, None, "everyday_words", allow_empty=True):
            word = normalise(typed)
            at = line_of_text(raw, typed, None)
            if len(word.split()) != 1:
                self.problem(file, at, None, "everyday_words", f"'{typed}' must be one word")
            elif word in terms:
                self.problem(file, at, None, "everyday_words", f"'{word}' is a term of {terms[word]}: it must stay one")
            else:
                words.add(word)
        return frozenset(words)
