"""Read knowledge/*.yaml into a validated `KnowledgeBase`, or say exactly what is wrong and where.

A curator edits YAML, not Python, so every problem is reported with its file, line, entry id and field,
all at once, rather than stopping at the first.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.core.actions import ActionKind
from bot.core.knowledge import (
    FOLLOW_UP_KINDS,
    ActionRule,
    ActionRules,
    AskedWhen,
    Condition,
    ConditionRule,
    ConversationRules,
    Entry,
    EntryKind,
    KnowledgeBase,
    ListItem,
    MapZone,
    Messages,
    RedFlags,
    Routine,
    RoutineStep,
    SafetyQuestions,
    Source,
)
from bot.core.regex_literals import required_texts
from bot.core.text import normalise

MAP_REGIONS = ("big_toe", "middle_toes", "little_toe", "toe_tips", "heart_point", "liver_stomach", "plantar", "ankles")
FEET = ("left", "right", "both")
MESSAGE_KEYS = ("fallback", "empty", "credit", "suggestions_intro", "not_text", "english_only")
EXTRA_MESSAGE_KEYS = ("welcome", "disclaimer", "help", "safety_intro", "routine_done")
# Messages an adapter has its own words for, which the YAML may override; any other key is a misspelling.
OPTIONAL_MESSAGE_KEYS = (
    "caption_note",
    "routine_done_group",
    "routine_safety",
    "edited",
    "unknown_command",
    "examples_intro",
)
SINGLE_KEYS = (
    "source",
    "messages",
    "fallback_topics",
    "stopwords",
    "synonyms",
    "conditions",
    "red_flags",
    "routine",
    "safety_questions",
    "conversation",
    "actions",
    "everyday_words",
)
KNOWN_KEYS = (*SINGLE_KEYS, "entries")
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
ROUTINE_FIELDS = ("section", "intro", "steps", "outro")
SAFETY_QUESTION_FIELDS = (
    "words", "several", "permission", "cautions", "other_health", "about_massage", "massage_words", "caveat_only",
    "caution_follows", "asides", "condition_asks", "symptom_asks",
)  # fmt: skip
ENTRY_FIELDS = (
    "id",
    "kind",
    "title",
    "section",
    "phrasings",
    "keywords",
    "answer",
    "related",
    "map",
    "benefit",
    "follow_ups",
    "carries",
    "gaps",
    "remedy_for",
    "answers_gaps",
    "asked_when",
    "asked_alone",
    "sure_from",
    "items",
)
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
    "step_pointers",
    "step_frame",
    "reminder_changes",
    "reminder_off",
    "other_language_words",
    "item_pointers",
    "item_frame",
)
ACTION_FIELDS = (
    "do", "reply", "reply_at", "reply_with_place", "patterns", "with_time", "if_known_place", "with_place",
)  # fmt: skip
# What each action's texts may name, and which need a reply: routine and safety are composed by the engine.
ACTION_PLACEHOLDERS = {ActionKind.REMIND: "time", ActionKind.TIMEZONE: "place"}
ACTION_REPLY_FIELDS = {ActionKind.FOOT_MAP: ("zones",)}
ACTIONS_WITHOUT_REPLY = (ActionKind.ROUTINE, ActionKind.SAFETY)
_LINE = "__line__"


@dataclass(frozen=True)
class Problem:
    """One thing a curator must fix."""

    file: str
    line: int | None
    entry: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        what = " ".join(
            part
            for part in (f"entry '{self.entry}'" if self.entry else "", f"field '{self.field}'" if self.field else "")
            if part
        )
        return f"{where}: {what + ': ' if what else ''}{self.message}"


# Problems that follow from a file (or a part of one) not read: its ids and sections are missing everywhere else.
_FOLLOW_ONS = ("unknown entry id", "missing: no file defines it")


def _within(part: Sequence[str], whole: Sequence[str]) -> bool:
    """Whether the words `part` come together, in order, inside `whole`."""
    return any(list(whole[start : start + len(part)]) == list(part) for start in range(len(whole) - len(part) + 1))


class KnowledgeError(Exception):
    """The knowledge folder has problems; `problems` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader (libyaml's C parser when present: 5x faster) that remembers each mapping's first line."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """The mapping, with its first line; a key given twice is an error (YAML would keep the last one silently: a
    second `terms:` under a condition would drop the first list, and its caveats with it)."""
    first_line: dict[Any, int] = {}
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            if key_node.value in first_line:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"'{key_node.value}' is given twice in one mapping (first on line {first_line[key_node.value]}); "
                    "the second would silently replace the first: merge them into one",
                    key_node.start_mark,
                )
            first_line[key_node.value] = key_node.start_mark.line + 1
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_knowledge(folder: Path) -> KnowledgeBase:
    """Load and validate every YAML file in `folder`; raise KnowledgeError listing all problems."""
    return _Builder(folder).build()


def check_knowledge(folder: Path) -> list[Problem]:
    """All problems in `folder` (empty when it loads cleanly)."""
    try:
        load_knowledge(folder)
    except KnowledgeError as error:
        return error.problems
    return []


class _Builder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.sections: dict[str, tuple[str, Any]] = {}  # key -> (file, value)
        self.raw_entries: list[tuple[str, dict[str, Any]]] = []
        self.unreadable: list[str] = []  # files that could not be read: their ids are missing everywhere else

    def problem(self, file: str, line: int | None, entry: str | None, field: str | None, message: str) -> None:
        self.problems.append(Problem(file, line, entry, field, message))

    def build(self) -> KnowledgeBase:
        files = sorted(self.folder.glob("*.yaml")) if self.folder.is_dir() else []
        if not files:
            raise KnowledgeError([Problem(str(self.folder), None, None, None, "no *.yaml files found")])
        for path in files:
            self.read_file(path)
        for path in sorted({*self.folder.glob("*.yml"), *self.folder.glob("*/*.yaml"), *self.folder.glob("*/*.yml")}):
            where = str(path.relative_to(self.folder))
            self.problem(where, None, None, None, "not read: knowledge files are the *.yaml files of the folder itself")
            self.unreadable.append(where)
        kb = self.assemble()
        if self.problems or kb is None:
            raise KnowledgeError(self._without_follow_ons())
        return kb

    def _without_follow_ons(self) -> list[Problem]:
        """The problems, less the unknown ids that a file that could not be read explains (its ids are missing)."""
        if not self.unreadable:
            return self.problems
        kept = [problem for problem in self.problems if not problem.message.startswith(_FOLLOW_ONS)]
        hidden = len(self.problems) - len(kept)
        if hidden:
            files = ", ".join(self.unreadable)
            note = f"{hidden} more problem(s) (unknown entry ids, missing sections) not shown: {files} was not read"
            kept.append(Problem(str(self.folder), None, None, None, f"{note}; fix that first, then check again"))
        return kept

    def read_file(self, path: Path) -> None:
        name = path.name
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            reason = getattr(error, "problem", None) or str(error)
            if "end of stream" in reason and getattr(error, "context_mark", None) is not None:
                mark = error.context_mark  # an unclosed quote: where it opened, not the end of the file
                reason = f"{getattr(error, 'context', '') or ''}: {reason} (a quote opened here is never closed?)"
            self.problem(name, mark.line + 1 if mark else None, None, None, f"YAML syntax error: {reason}")
            self.unreadable.append(name)
            return
        except UnicodeDecodeError as error:
            line = error.object[: error.start].count(b"\n") + 1 if isinstance(error.object, bytes) else None
            self.problem(name, line, None, None, f"not UTF-8 text: save the file as UTF-8 ({error.reason})")
            self.unreadable.append(name)
            return
        except OSError as error:
            self.problem(name, None, None, None, f"cannot read file: {error}")
            self.unreadable.append(name)
            return
        if data is None:
            return
        if not isinstance(data, dict):
            self.problem(name, 1, None, None, "the file must be a mapping of keys such as 'entries:'")
            return
        for key, value in data.items():
            if key == _LINE:
                continue
            if key not in KNOWN_KEYS:
                self.problem(name, None, None, key, f"unknown top-level key (expected one of: {', '.join(KNOWN_KEYS)})")
                self.unreadable.append(f"{name} ('{key}')")
            elif key == "entries":
                if not isinstance(value, list):
                    self.problem(name, None, None, "entries", "must be a list of entries")
                    continue
                for item in value:
                    self.raw_entries.append((name, item))
            elif key in self.sections:
                self.problem(name, None, None, key, f"already defined in {self.sections[key][0]}")
            else:
                self.sections[key] = (name, value)

    def section(self, key: str) -> tuple[str, Any]:
        if key not in self.sections:
            self.problem(str(self.folder), None, None, key, "missing: no file defines it")
            return (str(self.folder), None)
        return self.sections[key]

    def assemble(self) -> KnowledgeBase | None:
        entries = self.build_entries()
        ids = {entry.id for entry in entries}
        source = self.build_source()
        messages = self.build_messages()
        conditions = self.build_conditions()
        red_flags = self.build_red_flags()
        routine = self.build_routine()
        fallback_topics = self.build_id_list("fallback_topics", ids)
        stopwords = frozenset(self.string_list(*self.section("stopwords"), None, "stopwords", allow_empty=True))
        synonyms = self.build_synonyms()
        safety_questions = self.build_safety_questions(ids)
        actions = self.build_actions()
        everyday_words = self.build_everyday_words(conditions, red_flags)
        for rule in conditions:
            if rule.entry and rule.entry not in ids:
                self.problem(
                    self.sections["conditions"][0],
                    None,
                    rule.condition.value,
                    "entry",
                    f"unknown entry id '{rule.entry}'",
                )
        gap_phrases = {normalise(gap) for entry in entries for gap in entry.gaps}  # as the engine reads them
        for entry in entries:
            for gap in entry.answers_gaps:
                if normalise(gap) not in gap_phrases:
                    self.problem(entry.file, entry.line, entry.id, "answers_gaps", f"'{gap}' is no entry's gap")
            for related in entry.related:
                if related not in ids:
                    self.problem(entry.file, entry.line, entry.id, "related", f"unknown entry id '{related}'")
            for kind, target in entry.follow_ups:
                if target not in ids:
                    self.problem(entry.file, entry.line, entry.id, f"follow_ups.{kind}", f"unknown entry id '{target}'")
            for number, item in enumerate(entry.items, start=1):
                for target in item.entries:
                    if target not in ids:
                        unknown = f"unknown entry id '{target}'"
                        self.problem(entry.file, entry.line, entry.id, f"items[{number}]", unknown)
        conversation = self.build_conversation(ids)
        kinds = {entry.id: entry.kind for entry in entries}
        if kinds.get(conversation.trouble_answer or "", EntryKind.OUT_OF_SCOPE) is not EntryKind.OUT_OF_SCOPE:
            where = self.sections["conversation"][0]
            self.problem(where, None, None, "conversation.trouble_answer", "must be an out_of_scope entry")
        if routine is not None:
            for number, step in enumerate(routine.steps, start=1):
                for topic in step.topics:
                    if topic not in ids:
                        file = self.sections["routine"][0]
                        self.problem(file, None, f"routine step {number}", "topics", f"unknown entry id '{topic}'")
        if None in (source, messages, red_flags, routine) or self.problems:
            return None
        assert source and messages and red_flags and routine  # for the type checker
        return KnowledgeBase(
            source=source,
            entries=tuple(entries),
            conditions=tuple(conditions),
            red_flags=red_flags,
            routine=routine,
            messages=messages,
            fallback_topics=tuple(fallback_topics),
            stopwords=stopwords,
            synonyms=synonyms,
            safety_questions=safety_questions,
            conversation=conversation,
            actions=actions,
            everyday_words=everyday_words,
        )

    # --- small typed readers -------------------------------------------------------------------------

    def text(self, file: str, raw: dict[str, Any], key: str, entry: str | None, *, required: bool = True) -> str:
        value = raw.get(key)
        line = raw.get(_LINE)
        if value is None:
            if required:
                self.problem(file, line, entry, key, "missing")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(file, line, entry, key, "must be text")
            return ""
        value = str(value).strip()
        if required and not value:
            self.problem(file, line, entry, key, "is empty")
        return value

    def optional_list(self, file: str, raw: dict[str, Any], section: str, key: str, line: int | None) -> list[str]:
        """`section.key`: a list of phrases that may be left out or empty."""
        return self.string_list(file, raw.get(key), None, f"{section}.{key}", line=line, allow_empty=True)

    def string_list(
        self, file: str, value: Any, entry: str | None, key: str, *, line: int | None = None, allow_empty: bool = False
    ) -> list[str]:
        if value is None:
            if not allow_empty:
                self.problem(file, line, entry, key, "missing")
            return []
        if not isinstance(value, list) or not all(
            isinstance(item, str | int) and not isinstance(item, bool) for item in value
        ):
            self.problem(file, line, entry, key, "must be a list of texts (quote words YAML reads as yes/no/on/off)")
            return []
        items = [str(item).strip() for item in value]
        if any(not item for item in items):
            self.problem(file, line, entry, key, "has an empty item")
        items = [item for item in items if item]
        if not items and not allow_empty:
            self.problem(file, line, entry, key, "is empty")
        return items

    def build_entries(self) -> list[Entry]:
        entries: list[Entry] = []
        seen: dict[str, str] = {}
        for file, raw in self.raw_entries:
            if not isinstance(raw, dict):
                self.problem(file, None, None, "entries", "each entry must be a mapping with id, phrasings, answer")
                continue
            entry = self.build_entry(file, raw, seen)
            if entry is not None:
                entries.append(entry)
        return entries

    def build_entry(self, file: str, raw: dict[str, Any], seen: dict[str, str]) -> Entry | None:
        line = raw.get(_LINE)
        entry_id = self.text(file, raw, "id", None)
        label = entry_id or None
        if entry_id:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", entry_id):
                self.problem(file, line, entry_id, "id", "use lower-case letters, digits and underscores")
            if entry_id in seen:
                self.problem(file, line, entry_id, "id", f"duplicate id (also in {seen[entry_id]})")
            seen[entry_id] = file
        self.check_fields(file, raw, label, ENTRY_FIELDS, line=line)
        kind_text = self.text(file, raw, "kind", label, required=False) or EntryKind.ANSWER.value
        try:
            kind = EntryKind(kind_text)
        except ValueError:
            self.problem(file, line, label, "kind", f"unknown kind '{kind_text}' (use: {', '.join(EntryKind)})")
            kind = EntryKind.ANSWER
        phrasings = self.string_list(file, raw.get("phrasings"), label, "phrasings", line=line)
        keywords = self.string_list(file, raw.get("keywords"), label, "keywords", line=line, allow_empty=True)
        related = self.string_list(file, raw.get("related"), label, "related", line=line, allow_empty=True)
        answer = self.text(file, raw, "answer", label)
        title = self.text(file, raw, "title", label)
        section = self.text(file, raw, "section", label, required=kind is EntryKind.ANSWER) or None
        benefit = raw.get("benefit", False)
        if not isinstance(benefit, bool):
            self.problem(file, line, label, "benefit", "must be true or false")
            benefit = False
        map_zone = self.build_map_zone(file, raw.get("map"), label, line)
        follow_ups = self.build_follow_ups(file, raw.get("follow_ups"), label, line)
        items = self.build_items(file, raw.get("items"), label, line)
        carries = self.build_carries(file, raw.get("carries"), label, line)
        gaps = self.string_list(file, raw.get("gaps"), label, "gaps", line=line, allow_empty=True)
        if gaps and kind is not EntryKind.OUT_OF_SCOPE:
            self.problem(file, line, label, "gaps", "only an out_of_scope entry names what the guide has no word for")
        remedy_for = self.string_list(file, raw.get("remedy_for"), label, "remedy_for", line=line, allow_empty=True)
        if remedy_for and kind is not EntryKind.ANSWER:
            self.problem(file, line, label, "remedy_for", "only an answer entry says what a foot massage eases")
        answers_gaps = self.string_list(
            file, raw.get("answers_gaps"), label, "answers_gaps", line=line, allow_empty=True
        )
        if answers_gaps and kind is not EntryKind.ANSWER:
            self.problem(file, line, label, "answers_gaps", "only an answer entry answers a gap")
        asked_when = self.build_asked_when(file, raw, label, line, kind, "asked_when")
        asked_alone = self.build_asked_when(file, raw, label, line, kind, "asked_alone")
        sure_from = raw.get("sure_from")
        if sure_from is not None and (
            isinstance(sure_from, bool) or not isinstance(sure_from, int | float) or not 0 < sure_from <= 100
        ):
            self.problem(file, line, label, "sure_from", "must be a score above 0, at most 100")
            sure_from = None
        elif sure_from is not None and kind is not EntryKind.ANSWER:
            self.problem(file, line, label, "sure_from", "only an answer entry answers from a score")
            sure_from = None
        if not entry_id:
            return None
        return Entry(
            id=entry_id,
            kind=kind,
            phrasings=tuple(phrasings),
            answer=answer,
            title=title,
            keywords=tuple(keywords),
            section=section,
            related=tuple(related),
            map_zone=map_zone,
            benefit=benefit,
            follow_ups=follow_ups,
            carries=carries,
            gaps=tuple(gaps),
            remedy_for=tuple(remedy_for),
            answers_gaps=tuple(answers_gaps),
            asked_when=asked_when,
            asked_alone=asked_alone,
            sure_from=float(sure_from) if sure_from is not None else None,
            items=items,
            file=file,
            line=line,
        )

    def build_follow_ups(self, file: str, raw: Any, entry: str | None, line: int | None) -> tuple[tuple[str, str], ...]:
        """`follow_ups: {why: id, more: id, how: id}`; the ids are checked once every entry is known."""
        if raw is None:
            return ()
        if not isinstance(raw, dict):
            kinds = ", ".join(FOLLOW_UP_KINDS)
            self.problem(file, line, entry, "follow_ups", f"must be a mapping of {kinds}: entry id")
            return ()
        pairs: list[tuple[str, str]] = []
        for kind, target in raw.items():
            if kind == _LINE:
                continue
            if kind not in FOLLOW_UP_KINDS:
                self.problem(file, line, entry, f"follow_ups.{kind}", f"unknown (use: {', '.join(FOLLOW_UP_KINDS)})")
            elif not isinstance(target, str) or not target.strip():
                self.problem(file, line, entry, f"follow_ups.{kind}", "must be an entry id")
            else:
                pairs.append((str(kind), target.strip()))
        return tuple(pairs)

    def build_items(self, file: str, raw: Any, entry: str | None, line: int | None) -> tuple[ListItem, ...]:
        """`items: [entry id, [id, id], {says: a line}, ...]`: what an answer lists, in its order; the ids are
        checked once every entry is known."""
        if raw is None:
            return ()
        if not isinstance(raw, list) or not raw:
            self.problem(file, line, entry, "items", "must be a list of entry ids, [ids] or {says: a line}")
            return ()
        items: list[ListItem] = []
        for number, item in enumerate(raw, start=1):
            if isinstance(item, str) and item.strip():
                items.append(ListItem(entries=(item.strip(),)))
            elif isinstance(item, list) and item and all(isinstance(one, str) and one.strip() for one in item):
                items.append(ListItem(entries=tuple(one.strip() for one in item)))
            elif isinstance(item, dict) and set(item) - {_LINE} == {"says"} and isinstance(item["says"], str):
                says = " ".join(item["says"].split())
                if says:
                    items.append(ListItem(says=says))
                else:
                    self.problem(file, line, entry, f"items[{number}].says", "must not be empty")
            else:
                self.problem(file, line, entry, f"items[{number}]", "must be an entry id, [ids] or {says: a line}")
        return tuple(items)

    def build_asked_when(
        self, file: str, entry_raw: dict[str, Any], entry: str | None, line: int | None, kind: EntryKind, field: str
    ) -> AskedWhen | None:
        """An entry's `asked_when: {asks: [how to give, ...], about: [foot, feet, ...]}` (or `asked_alone`): both
        lists, neither empty, and only on an answer entry."""
        raw = entry_raw.get(field)
        if raw is None:
            return None
        if kind is not EntryKind.ANSWER:
            self.problem(file, line, entry, field, "only an answer entry is asked for this way")
        if not isinstance(raw, dict) or set(raw) - {_LINE} != {"asks", "about"}:
            self.problem(file, line, entry, field, "must be a mapping with two lists: asks and about")
            return None
        asks = self.string_list(file, raw.get("asks"), entry, f"{field}.asks", line=line)
        about = self.string_list(file, raw.get("about"), entry, f"{field}.about", line=line)
        return AskedWhen(tuple(asks), tuple(about)) if asks and about else None

    def build_carries(self, file: str, raw: Any, entry: str | None, line: int | None) -> tuple[Condition, ...]:
        names = self.string_list(file, raw, entry, "carries", line=line, allow_empty=True)
        conditions: list[Condition] = []
        for name in names:
            try:
                conditions.append(Condition(name))
            except ValueError:
                self.problem(file, line, entry, "carries", f"unknown condition '{name}' (use: {', '.join(Condition)})")
        return tuple(conditions)

    def build_map_zone(self, file: str, raw: Any, entry: str | None, line: int | None) -> MapZone | None:
        if raw is None:
            return None
        if not isinstance(raw, dict):
            self.problem(file, line, entry, "map", "must be a mapping: {region: ..., foot: ..., label: ...}")
            return None
        region = self.text(file, raw, "region", entry)
        foot = self.text(file, raw, "foot", entry)
        label = self.text(file, raw, "label", entry)
        if region and region not in MAP_REGIONS:
            self.problem(file, line, entry, "map.region", f"unknown region '{region}' (use: {', '.join(MAP_REGIONS)})")
        if foot and foot not in FEET:
            self.problem(file, line, entry, "map.foot", f"unknown foot '{foot}' (use: {', '.join(FEET)})")
        return MapZone(region=region, foot=foot, label=label)

    def build_source(self) -> Source | None:
        file, raw = self.section("source")
        if not isinstance(raw, dict):
            if raw is not None:
                self.problem(file, None, None, "source", "must be a mapping with title and author")
            return None
        return Source(title=self.text(file, raw, "title", None), author=self.text(file, raw, "author", None))

    def build_messages(self) -> Messages | None:
        file, raw = self.section("messages")
        if not isinstance(raw, dict):
            if raw is not None:
                self.problem(file, None, None, "messages", "must be a mapping of message name to text")
            return None
        texts = {key: self.text(file, raw, key, None) for key in (*MESSAGE_KEYS, *EXTRA_MESSAGE_KEYS)}
        self.check_fields(file, raw, None, (*MESSAGE_KEYS, *EXTRA_MESSAGE_KEYS, *OPTIONAL_MESSAGE_KEYS), "messages")
        extra = {
            str(key): str(value).strip()
            for key, value in raw.items()
            if key != _LINE and key not in MESSAGE_KEYS and isinstance(value, str)
        }
        if "{title}" not in texts["credit"] and texts["credit"]:
            self.problem(file, raw.get(_LINE), None, "credit", "should name the guide with {title} (and {author})")
        self.check_placeholders(file, raw.get(_LINE), None, "credit", texts["credit"], ("title", "author"))
        return Messages(
            fallback=texts["fallback"],
            empty=texts["empty"],
            credit=texts["credit"],
            suggestions_intro=texts["suggestions_intro"],
            not_text=texts["not_text"],
            english_only=texts["english_only"],
            extra=extra,
        )

    def build_conditions(self) -> list[ConditionRule]:
        file, raw = self.section("conditions")
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(file, None, None, "conditions", "must be a list")
            return []
        rules: list[ConditionRule] = []
        for item in raw:
            if not isinstance(item, dict):
                self.problem(file, None, None, "conditions", "each condition must be a mapping")
                continue
            line = item.get(_LINE)
            name = self.text(file, item, "id", None)
            self.check_fields(file, item, name, CONDITION_FIELDS, "conditions")
            try:
                condition = Condition(name)
            except ValueError:
                self.problem(file, line, name, "id", f"unknown condition (use: {', '.join(Condition)})")
                continue
            patterns = self.string_list(file, item.get("patterns"), name, "patterns", line=line, allow_empty=True)
            self.check_patterns(file, line, name, patterns)
            signs = self.string_list(file, item.get("signs"), name, "signs", line=line, allow_empty=True)
            for sign in signs:
                if sign.isascii():
                    self.problem(file, line, name, "signs", f"'{sign}' is plain text: put words in terms")
            caveat = self.text(file, item, "caveat", name)
            caveat_short = self.text(file, item, "caveat_short", name, required=False)
            if caveat_short and len(caveat_short) >= len(caveat):
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
        for rule in rules:
            self.check_lookalikes(file, rule.condition.value, rule.terms, rule.not_when)
        missing = set(Condition) - {rule.condition for rule in rules}
        for condition in sorted(missing):
            self.problem(file, None, condition.value, "conditions", "missing: every condition needs a caveat")
        return rules

    def check_lookalikes(self, file: str, owner: str, terms: Sequence[str], not_when: Sequence[str]) -> None:
        """A lookalike (`not_when`) hides the words it covers wherever it is said: one that is a term, or a part of
        one, would hide that term every time ("heart" hides "my dad has heart problems"), so the caveat never comes."""
        term_words = [normalise(term).split() for term in terms]
        for phrase in not_when:
            words = normalise(phrase).split()
            hidden = next((term for term, said in zip(terms, term_words, strict=True) if _within(words, said)), None)
            if words and hidden is not None:
                self.problem(
                    file,
                    None,
                    owner,
                    "not_when",
                    f"'{phrase}' would hide the term '{hidden}' every time it is said: a lookalike must say more "
                    'than a term ("my heart is set on it", not "heart")',
                )

    def check_patterns(self, file: str, line: int | None, entry: str | None, patterns: list[str]) -> None:
        """Each safety pattern must compile, and must hold some text of two letters or more that every match
        contains: the detector runs a pattern only on messages holding that text, so one without it would run
        on every message ("\\d+w\\d+d" has none; "(bs|bg)" only "b", as the parser shares the first letter)."""
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as error:
                self.problem(file, line, entry, "patterns", f"bad regular expression {pattern!r}: {error}")
                continue
            if not required_texts(pattern):
                self.problem(
                    file,
                    line,
                    entry,
                    "patterns",
                    f"{pattern!r} holds no text of two letters or more that every match must contain, so it would "
                    "run on every message: spell out a word it needs (one pattern per alternative if need be)",
                )

    def check_fields(
        self,
        file: str,
        raw: dict[str, Any],
        label: str | None,
        known: tuple[str, ...],
        section: str = "",
        line: int | None = None,
    ) -> None:
        """Every field of a mapping (an entry, an action, a section) is one the loader reads: a misspelt one is named,
        never ignored; `section` prefixes its name ("safety_questions.caveat_onyl")."""
        for key in raw:
            if key != _LINE and key not in known:
                field = f"{section}.{key}" if section else str(key)
                where = line if line is not None else raw.get(_LINE)
                self.problem(file, where, label, field, f"unknown field (expected: {', '.join(known)})")

    def build_red_flags(self) -> RedFlags | None:
        file, raw = self.section("red_flags")
        if not isinstance(raw, dict):
            if raw is not None:
                self.problem(file, None, None, "red_flags", "must be a mapping with reply, terms, patterns, not_when")
            return None
        line = raw.get(_LINE)
        self.check_fields(file, raw, None, RED_FLAG_FIELDS, "red_flags")
        patterns = self.string_list(file, raw.get("patterns"), "red_flags", "patterns", line=line, allow_empty=True)
        self.check_patterns(file, line, "red_flags", patterns)
        terms = self.string_list(file, raw.get("terms"), "red_flags", "terms", line=line)
        not_when = self.string_list(file, raw.get("not_when"), "red_flags", "not_when", line=line, allow_empty=True)
        self.check_lookalikes(file, "red_flags", terms, not_when)
        return RedFlags(
            reply=self.text(file, raw, "reply", "red_flags"),
            terms=tuple(terms),
            patterns=tuple(patterns),
            not_when=tuple(not_when),
            still=self.text(file, raw, "still", "red_flags", required=False),
        )

    def build_routine(self) -> Routine | None:
        file, raw = self.section("routine")
        if not isinstance(raw, dict):
            if raw is not None:
                self.problem(file, None, None, "routine", "must be a mapping with intro, steps, outro")
            return None
        self.check_fields(file, raw, None, ROUTINE_FIELDS, "routine")
        raw_steps = raw.get("steps")
        steps: list[RoutineStep] = []
        if not isinstance(raw_steps, list) or not raw_steps:
            self.problem(file, raw.get(_LINE), "routine", "steps", "must be a non-empty list of {title, text}")
        else:
            for number, step in enumerate(raw_steps, start=1):
                if not isinstance(step, dict):
                    self.problem(file, raw.get(_LINE), "routine", f"steps[{number}]", "must be {title, text}")
                    continue
                label = f"routine step {number}"
                steps.append(
                    RoutineStep(
                        self.text(file, step, "title", label),
                        self.text(file, step, "text", label),
                        tuple(self.string_list(file, step.get("topics"), label, "topics", allow_empty=True)),
                    )
                )
        return Routine(
            intro=self.text(file, raw, "intro", "routine"),
            steps=tuple(steps),
            outro=self.text(file, raw, "outro", "routine"),
            section=self.text(file, raw, "section", "routine"),
        )

    def build_id_list(self, key: str, ids: set[str]) -> list[str]:
        file, raw = self.section(key)
        return self.id_list(file, raw, key, ids, allow_empty=False)

    def id_list(
        self, file: str, raw: Any, field: str, ids: set[str], line: int | None = None, allow_empty: bool = True
    ) -> list[str]:
        """A list of entry ids, each one reported (file:line, field) unless it names an entry."""
        items = self.string_list(file, raw, None, field, line=line, allow_empty=allow_empty)
        for item in items:
            if item not in ids:
                self.problem(file, line, None, field, f"unknown entry id '{item}'")
        return items

    def build_safety_questions(self, ids: set[str]) -> SafetyQuestions:
        if "safety_questions" not in self.sections:
            return SafetyQuestions()
        file, raw = self.sections["safety_questions"]
        if not isinstance(raw, dict):
            self.problem(file, None, None, "safety_questions", "must be a mapping with words and several")
            return SafetyQuestions()
        line = raw.get(_LINE)
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

    def build_conversation(self, ids: set[str]) -> ConversationRules:
        """How follow-ups sound (conversation.yaml); optional: without it, every message stands alone."""
        if "conversation" not in self.sections:
            return ConversationRules()
        file, raw = self.sections["conversation"]
        if not isinstance(raw, dict):
            self.problem(file, None, None, "conversation", f"must be a mapping with {', '.join(CONVERSATION_PHRASES)}")
            return ConversationRules()
        line = raw.get(_LINE)
        known = (
            *CONVERSATION_PHRASES,
            *("how_default", "next_lead", "routine_end", "order_end", "unrelated", "spellings", "reminder_offered_by"),
            *("acknowledged", "back_lead", "routine_stopped", "nothing_running", "remedy_asks", "nothing_next"),
            "acknowledging_signs",
            *("cause_asks", "cause_lead", "definition_asks", "symptoms", "trouble_answer", "remedy_overrules"),
            *("ordinals", "cardinals", "item_missing"),
            *("step_lead", "first_lead", "waiting"),
        )
        optional: dict[str, Any] = {"line": line, "allow_empty": True}  # a kind of follow-up may be left out
        self.check_fields(file, raw, None, known, "conversation", line)
        phrases = {
            key: tuple(map(normalise, self.string_list(file, raw.get(key), None, f"conversation.{key}", **optional)))
            for key in CONVERSATION_PHRASES
        }
        for key, items in phrases.items():
            if any(not item for item in items):
                self.problem(file, line, None, f"conversation.{key}", "has a phrase with no words once normalised")
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
        for target in (how_default, *unrelated, *offered_by, trouble_answer, *remedy_overrules):
            if target and target not in ids:
                self.problem(file, line, None, "conversation", f"unknown entry id '{target}'")
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
            nothing_next=self.text(file, raw, "nothing_next", "conversation", required=False),
            acknowledging_signs=tuple(
                self.string_list(
                    file, raw.get("acknowledging_signs"), None, "conversation.acknowledging_signs", allow_empty=True
                )
            ),
            ordinals=ordinals,
            cardinals=cardinals,
            item_missing=item_missing,
        )

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
            if len(word.split()) != 1:
                self.problem(file, None, None, "everyday_words", f"'{typed}' must be one word")
            elif word in terms:
                self.problem(
                    file, None, None, "everyday_words", f"'{word}' is a term of {terms[word]}: it must stay one"
                )
            else:
                words.add(word)
        return frozenset(words)

    def build_synonyms(self) -> dict[str, str]:
        file, raw = self.section("synonyms")
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem(file, None, None, "synonyms", "must be a mapping of word: canonical word")
            return {}
        synonyms: dict[str, str] = {}
        for word, canonical in raw.items():
            if word == _LINE:
                continue
            if not isinstance(canonical, str) or not canonical.strip() or len(str(word).split()) != 1:
                self.problem(file, raw.get(_LINE), None, f"synonyms.{word}", "must map one word to a word or words")
                continue
            synonyms[str(word).strip()] = canonical.strip()
        return synonyms

    # --- features asked for in words (actions.yaml) ---------------------------------------------------

    def build_actions(self) -> ActionRules:
        """`actions: {openings, requests}`; optional: without it, no feature is recognised in words."""
        if "actions" not in self.sections:
            return ActionRules()
        file, raw = self.sections["actions"]
        if not isinstance(raw, dict):
            self.problem(file, None, None, "actions", "must be a mapping with openings and requests")
            return ActionRules()
        line = raw.get(_LINE)
        self.check_fields(file, raw, None, ("spellings", "openings", "requests"), "actions", line)
        openings = self.string_list(file, raw.get("openings"), None, "actions.openings", line=line, allow_empty=True)
        for pattern in openings:
            try:
                re.compile(pattern)
            except re.error as error:
                self.problem(file, line, None, "actions.openings", f"bad regular expression {pattern!r}: {error}")
        spellings = self.action_spellings(file, raw.get("spellings"), line)
        requests = raw.get("requests")
        if not isinstance(requests, list):
            self.problem(file, line, None, "actions.requests", "must be a list of {do, patterns, reply}")
            return ActionRules(openings=tuple(openings), spellings=spellings)
        rules: list[ActionRule] = []
        seen: set[str] = set()
        for item in requests:
            rule = self.build_action_rule(file, item, line, seen)
            if rule is not None:
                rules.append(rule)
        return ActionRules(openings=tuple(openings), rules=tuple(rules), spellings=spellings)

    def places(self, file: str, raw: Any, line: int | None, field: str, *, last_allowed: bool) -> dict[str, int]:
        """`{third: 3, 3rd: 3, last: -1}`: one normalised word each, for a place in a list from 1 (-1: the last)."""
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem(file, line, None, field, "must be a mapping of word: place (1, 2, ...)")
            return {}
        places: dict[str, int] = {}
        for word, place in raw.items():
            if word == _LINE:
                continue
            typed = normalise(str(word))
            lowest = -1 if last_allowed else 1
            if len(typed.split()) != 1:
                self.problem(file, line, None, f"{field}.{word}", "must be one word")
            elif isinstance(place, bool) or not isinstance(place, int) or place < lowest or place == 0:
                allowed = "must be a place from 1" + (" (or -1, the last)" if last_allowed else "")
                self.problem(file, line, None, f"{field}.{word}", allowed)
            else:
                places[typed] = place
        return places

    def action_spellings(
        self, file: str, raw: Any, line: int | None, field: str = "actions.spellings"
    ) -> dict[str, str]:
        """`spellings: {typo: word}`: one normalised word each side."""
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem(file, line, None, field, "must be a mapping of typo: word")
            return {}
        spellings: dict[str, str] = {}
        for typo, word in raw.items():
            if typo == _LINE:
                continue
            typed, meant = normalise(str(typo)), normalise(str(word)) if isinstance(word, str | int) else ""
            if len(typed.split()) != 1 or len(meant.split()) != 1:
                self.problem(file, line, None, f"{field}.{typo}", "must map one word to one word")
                continue
            spellings[typed] = meant
        return spellings

    def build_action_rule(self, file: str, raw: Any, line: int | None, seen: set[str]) -> ActionRule | None:
        if not isinstance(raw, dict):
            self.problem(file, line, None, "actions.requests", "each request must be a mapping with do and patterns")
            return None
        line = raw.get(_LINE, line)
        name = self.text(file, raw, "do", None)
        label = f"action {name}" if name else "action"
        self.check_fields(file, raw, label, ACTION_FIELDS, line=line)
        try:
            kind = ActionKind(name)
        except ValueError:
            if name:
                self.problem(file, line, label, "do", f"unknown action (use: {', '.join(ActionKind)})")
            return None
        if name in seen:
            self.problem(file, line, label, "do", "defined twice: list all its patterns under one request")
        seen.add(name)
        lists = {
            key: self.string_list(file, raw.get(key), label, key, line=line, allow_empty=True)
            for key in ("patterns", "with_time", "if_known_place", "with_place")
        }
        if not any(lists[key] for key in ("patterns", "with_time", "if_known_place")):
            self.problem(file, line, label, "patterns", "missing: how do people ask for it?")
        for key, patterns in lists.items():
            self.check_action_patterns(file, line, label, key, patterns)
        reply = self.text(file, raw, "reply", label, required=kind not in ACTIONS_WITHOUT_REPLY)
        reply_at = self.text(file, raw, "reply_at", label, required=kind in ACTION_PLACEHOLDERS) or None
        self.check_placeholders(file, line, label, "reply", reply, ACTION_REPLY_FIELDS.get(kind, ()))
        if reply_at is not None:
            wanted = ACTION_PLACEHOLDERS.get(kind)
            self.check_placeholders(file, line, label, "reply_at", reply_at, (wanted,) if wanted else ())
            if wanted and "{" + wanted + "}" not in reply_at:
                self.problem(file, line, label, "reply_at", f"should name the {wanted} with {{{wanted}}}")
        reply_with_place = self.text(file, raw, "reply_with_place", label, required=bool(lists["with_place"])) or None
        if reply_with_place is not None:
            self.check_placeholders(file, line, label, "reply_with_place", reply_with_place, ("time", "place"))
        return ActionRule(
            do=kind.value,
            reply=reply,
            reply_at=reply_at,
            patterns=tuple(lists["patterns"]),
            with_time=tuple(lists["with_time"]),
            if_known_place=tuple(lists["if_known_place"]),
            with_place=tuple(lists["with_place"]),
            reply_with_place=reply_with_place,
            file=file,
            line=line,
        )

    def check_action_patterns(self, file: str, line: int | None, label: str, key: str, patterns: list[str]) -> None:
        """Valid regular expressions whose only named group is `place` (required in if_known_place)."""
        for pattern in patterns:
            try:
                compiled = re.compile(pattern)
            except re.error as error:
                self.problem(file, line, label, key, f"bad regular expression {pattern!r}: {error}")
                continue
            unknown = set(compiled.groupindex) - {"place"}
            if unknown:
                self.problem(file, line, label, key, f"{pattern!r}: the only named group allowed is (?P<place>...)")
            if key in ("if_known_place", "with_place") and "place" not in compiled.groupindex:
                self.problem(file, line, label, key, f"{pattern!r}: needs a (?P<place>...) group")

    def check_placeholders(
        self, file: str, line: int | None, label: str, key: str, text: str, allowed: tuple[str, ...]
    ) -> None:
        try:
            named = {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
        except ValueError as error:
            self.problem(file, line, label, key, f"braces do not pair up: {error}")
            return
        for field in sorted(named - set(allowed)):
            shown = ", ".join("{" + name + "}" for name in allowed) or "none"
            self.problem(file, line, label, key, f"unknown placeholder {{{field}}} (allowed here: {shown})")
