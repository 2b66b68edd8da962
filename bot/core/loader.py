"""Read knowledge/*.yaml into a validated `KnowledgeBase`, or say exactly what is wrong and where.

A curator edits YAML, not Python, so every problem is reported with its file, line, entry id and field,
all at once, rather than stopping at the first. This module reads the files and checks across sections; each
section has its reader: kb_entries.py, kb_safety.py, kb_conversation.py, kb_actions.py (kb_fields.py: the typed
readers they share). Every mapping and list read keeps the line of each key and item, so a problem about one item
names its own line; kb_comments.py adds, for a check, the texts a comment cuts short.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.core.kb_actions import ActionsReader
from bot.core.kb_comments import comment_in_brackets, cut_short_texts
from bot.core.kb_conversation import ConversationReader
from bot.core.kb_entries import EntryReader
from bot.core.kb_fields import LINE_KEY, Problem, YamlList, YamlMapping, line_of, line_of_text
from bot.core.kb_safety import SafetyReader
from bot.core.knowledge import (
    Entry,
    EntryKind,
    KnowledgeBase,
    Messages,
    Routine,
    RoutineStep,
    Source,
)
from bot.core.text import normalise, stem

MESSAGE_KEYS = ("fallback", "empty", "credit", "suggestions_intro", "not_text", "english_only")
EXTRA_MESSAGE_KEYS = ("welcome", "disclaimer", "help", "safety_intro", "routine_done")
# Messages an adapter has its own words for, which the YAML may override; any other key is a misspelling.
OPTIONAL_MESSAGE_KEYS = (
    "caption_note",
    "routine_done_group",
    "routine_safety",
    "edited",
    "unknown_command",
    "other_bots_command",
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
    "emoji_words",
)
KNOWN_KEYS = (*SINGLE_KEYS, "entries")
ROUTINE_FIELDS = ("section", "intro", "steps", "outro")


# Problems that follow from a file (or a part of one) not read: its ids and sections are missing everywhere else.
_FOLLOW_ONS = ("unknown entry id", "missing: no file defines it")


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
    mapping = YamlMapping(loader.construct_mapping(node, deep=True))
    mapping.key_lines = {loader.construct_object(key, deep=True): key.start_mark.line + 1 for key, _ in node.value}
    mapping[LINE_KEY] = node.start_mark.line + 1
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> YamlList:
    """The list, with the line of each item, so a problem about one item can name it."""
    items = YamlList(loader.construct_sequence(node, deep=True))
    items.item_lines = [item.start_mark.line + 1 for item in node.value]
    return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _syntax_error(text: str, error: yaml.YAMLError) -> tuple[int | None, str]:
    """The line a curator must look at, and why: YAML's own mark is often lines past the mistake (a quote closed
    only by the next quote, a key without its colon) or missing (a control character: only a position)."""
    mark = getattr(error, "problem_mark", None)
    reason = getattr(error, "problem", None) or str(error)
    context_mark = getattr(error, "context_mark", None)
    if isinstance(error, yaml.reader.ReaderError):
        line = text[: error.position].count("\n") + 1
        return line, f"a control character (#x{error.character:04x}) that YAML does not allow: delete it"
    if "end of stream" in reason and context_mark is not None:
        context = getattr(error, "context", "") or ""  # an unclosed quote: where it opened, not the file's end
        return context_mark.line + 1, f"{context}: {reason} (a quote opened here is never closed?)"
    if mark is None:
        return None, reason
    opened = _runaway_quote(text, mark.line)
    if opened is not None:
        closed = mark.line + 1
        return opened + 1, f"a quote opened on this line is closed only by the next quote, on line {closed}: close it"
    if reason.startswith("did not find expected ','") and context_mark is not None:
        cut = comment_in_brackets(text, context_mark.line, mark.line)
        if cut is not None:
            return cut[0] + 1, (
                f"after '{cut[1]}' a ' #' starts a comment, which hides the rest of this line, commas and brackets "
                "too: put the text holding the '#' in quotes ([a toe, 'the #1 spot'])"
            )
    if "expected ':'" in reason and context_mark is not None:
        return context_mark.line + 1, f"{reason} (a key on this line without its ':'?)"
    if "tab character" in reason:
        return mark.line + 1, f"{reason}: indent with spaces, not tabs"
    if "mapping values are not allowed" in reason:
        return mark.line + 1, f"{reason} (a text holding ': ' must be quoted; or is this line indented wrongly?)"
    if "unknown escape" in reason:
        return (
            mark.line + 1,
            f"{reason} (in double quotes a backslash starts an escape: put a pattern in single quotes)",
        )
    if reason.startswith("did not find expected"):
        return mark.line + 1, f"{reason} (is this line indented like the ones around it?)"
    return mark.line + 1, reason


def _runaway_quote(text: str, error_line: int) -> int | None:
    """The line (from 0) where a quoted text opens that runs over several lines to end on `error_line`: a quote
    left open there is closed by the next quote character, and YAML only stumbles after that one."""
    last = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.line > error_line:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ("'", '"'):
                last = token
    except yaml.YAMLError:
        pass
    if last is None or last.start_mark.line == last.end_mark.line or last.end_mark.line != error_line:
        return None
    return int(last.start_mark.line)


def _stems(text: str) -> list[str]:
    return [stem(word) for word in normalise(text).split()]


def load_knowledge(folder: Path) -> KnowledgeBase:
    """Load and validate every YAML file in `folder`; raise KnowledgeError listing all problems."""
    return _Builder(folder).build()


def check_knowledge(folder: Path) -> list[Problem]:
    """All problems in `folder` (empty when it loads cleanly), and the texts a comment seems to cut short: those
    load (the comment may be a note), so only a check names them."""
    try:
        load_knowledge(folder)
    except KnowledgeError as error:
        return [*error.problems, *cut_short_texts(folder)]
    return cut_short_texts(folder)


class _Builder(EntryReader, SafetyReader, ConversationReader, ActionsReader):
    """Reads every file of a folder, then each section through its reader (kb_*.py), then checks across them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.sections: dict[str, tuple[str, Any]] = {}  # key -> (file, value)
        self.raw_entries: list[tuple[str, dict[str, Any]]] = []
        self.unreadable: list[str] = []  # files that could not be read: their ids are missing everywhere else

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
        text = ""
        try:
            text = path.read_text(encoding="utf-8")
            data = yaml.load(text, Loader=_LineLoader)
        except yaml.YAMLError as error:
            line, reason = _syntax_error(text, error)
            self.problem(name, line, None, None, f"YAML syntax error: {reason}")
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
            if key == LINE_KEY:
                continue
            if key not in KNOWN_KEYS:
                self.problem(name, None, None, key, f"unknown top-level key (expected one of: {', '.join(KNOWN_KEYS)})")
                self.unreadable.append(f"{name} ('{key}')")
            elif key == "entries":
                if not isinstance(value, list):
                    line = value.get(LINE_KEY) if isinstance(value, dict) else None
                    self.problem(name, line, None, "entries", "must be a list of entries, each starting '- id: ...'")
                    self.unreadable.append(f"{name} ('entries')")  # its ids are missing everywhere else
                    continue
                for item in value:
                    self.raw_entries.append((name, item))
            elif key in self.sections:
                self.problem(name, None, None, key, f"already defined in {self.sections[key][0]}")
            else:
                self.sections[key] = (name, value)

    def assemble(self) -> KnowledgeBase | None:
        entries = self.build_entries()
        ids = {entry.id for entry in entries}
        source = self.build_source()
        messages = self.build_messages()
        conditions = self.build_conditions()
        red_flags = self.build_red_flags()
        routine = self.build_routine(ids)
        fallback_topics = self.build_id_list("fallback_topics", ids)
        stopwords = frozenset(self.string_list(*self.section("stopwords"), None, "stopwords", allow_empty=True))
        synonyms = self.build_synonyms()
        safety_questions = self.build_safety_questions(ids)
        actions = self.build_actions()
        everyday_words = self.build_everyday_words(conditions, red_flags)
        emoji_words = self.build_emoji_words()
        for rule in conditions:
            if rule.entry and rule.entry not in ids:
                file, line = self._condition_line(rule.condition.value, "entry")
                self.problem(file, line, rule.condition.value, "entry", f"unknown entry id '{rule.entry}'")
        self.check_entry_ids(entries, ids)
        conversation = self.build_conversation(ids)
        kinds = {entry.id: entry.kind for entry in entries}
        if kinds.get(conversation.trouble_answer or "", EntryKind.OUT_OF_SCOPE) is not EntryKind.OUT_OF_SCOPE:
            where, raw = self.sections["conversation"]
            line = line_of(raw, "trouble_answer", None)
            self.problem(where, line, None, "conversation.trouble_answer", "must be an out_of_scope entry")
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
            emoji_words=emoji_words,
        )

    def check_entry_ids(self, entries: list[Entry], ids: set[str]) -> None:
        """The ids an entry names (related, follow-ups, items, answered gaps), known only once every entry is read;
        each unknown one is reported on its own line, found in the entry as read from YAML."""
        raws = {(file, raw.get(LINE_KEY)): raw for file, raw in self.raw_entries if isinstance(raw, dict)}
        gap_phrases = {normalise(gap) for entry in entries for gap in entry.gaps}  # as the engine reads them
        for entry in entries:
            raw = raws.get((entry.file, entry.line), {})
            for gap in entry.answers_gaps:
                if normalise(gap) not in gap_phrases:
                    line = line_of_text(raw.get("answers_gaps"), gap, entry.line)
                    self.problem(entry.file, line, entry.id, "answers_gaps", f"'{gap}' is no entry's gap")
            for related in entry.related:
                if related not in ids:
                    line = line_of_text(raw.get("related"), related, entry.line)
                    self.problem(entry.file, line, entry.id, "related", f"unknown entry id '{related}'")
            for kind, target in entry.follow_ups:
                if target not in ids:
                    line = line_of(raw.get("follow_ups"), kind, entry.line)
                    self.problem(entry.file, line, entry.id, f"follow_ups.{kind}", f"unknown entry id '{target}'")
            for number, item in enumerate(entry.items, start=1):
                for target in item.entries:
                    if target not in ids:
                        line = line_of_text(raw.get("items"), target, entry.line)
                        self.problem(entry.file, line, entry.id, f"items[{number}]", f"unknown entry id '{target}'")

    def _condition_line(self, condition: str, key: str) -> tuple[str, int | None]:
        """The file of the conditions, and the line of `key` in the condition `condition` (its first line if it
        has no such key)."""
        file, raw = self.sections["conditions"]
        for item in raw if isinstance(raw, list) else []:
            if isinstance(item, dict) and item.get("id") == condition:
                return file, line_of(item, key, item.get(LINE_KEY))
        return file, None

    # --- the small sections: source, messages, the routine, synonyms -------------------------------------

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
            if key != LINE_KEY and key not in MESSAGE_KEYS and isinstance(value, str)
        }
        line = line_of(raw, "credit", raw.get(LINE_KEY))
        if "{title}" not in texts["credit"] and texts["credit"]:
            self.problem(file, line, None, "credit", "should name the guide with {title} (and {author})")
        self.check_placeholders(file, line, None, "credit", texts["credit"], ("title", "author"))
        return Messages(
            fallback=texts["fallback"],
            empty=texts["empty"],
            credit=texts["credit"],
            suggestions_intro=texts["suggestions_intro"],
            not_text=texts["not_text"],
            english_only=texts["english_only"],
            extra=extra,
        )

    def build_routine(self, ids: set[str]) -> Routine | None:
        """The routine's steps, each with the entries it names (`ids`: every entry's id, to check them)."""
        file, raw = self.section("routine")
        if not isinstance(raw, dict):
            if raw is not None:
                self.problem(file, None, None, "routine", "must be a mapping with intro, steps, outro")
            return None
        self.check_fields(file, raw, None, ROUTINE_FIELDS, "routine")
        raw_steps = raw.get("steps")
        steps: list[RoutineStep] = []
        if not isinstance(raw_steps, list) or not raw_steps:
            self.problem(file, raw.get(LINE_KEY), "routine", "steps", "must be a non-empty list of {title, text}")
        else:
            for number, step in enumerate(raw_steps, start=1):
                if not isinstance(step, dict):
                    line = line_of(raw_steps, number - 1, raw.get(LINE_KEY))
                    self.problem(file, line, "routine", f"steps[{number}]", "must be {title, text}")
                    continue
                label = f"routine step {number}"
                topics = self.string_list(file, step.get("topics"), label, "topics", allow_empty=True)
                for topic in topics:
                    if topic not in ids:
                        line = line_of_text(step.get("topics"), topic, step.get(LINE_KEY))
                        self.problem(file, line, label, "topics", f"unknown entry id '{topic}'")
                steps.append(
                    RoutineStep(
                        self.text(file, step, "title", label),
                        self.text(file, step, "text", label),
                        tuple(topics),
                    )
                )
        return Routine(
            intro=self.text(file, raw, "intro", "routine"),
            steps=tuple(steps),
            outro=self.text(file, raw, "outro", "routine"),
            section=self.text(file, raw, "section", "routine"),
        )

    def build_synonyms(self) -> dict[str, str]:
        file, raw = self.section("synonyms")
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem(file, None, None, "synonyms", "must be a mapping of word: canonical word")
            return {}
        synonyms: dict[str, str] = {}
        lines: dict[str, int | None] = {}  # each word's own line: a list of synonyms runs for a hundred lines
        for word, canonical in raw.items():
            if word == LINE_KEY:
                continue
            line = line_of(raw, word, raw.get(LINE_KEY))
            if not isinstance(canonical, str) or not canonical.strip() or len(str(word).split()) != 1:
                self.problem(file, line, None, f"synonyms.{word}", "must map one word to a word or words")
                continue
            synonyms[str(word).strip()] = canonical.strip()
            lines[str(word).strip()] = line
        self.check_synonyms(file, lines, synonyms)
        return synonyms

    def check_synonyms(self, file: str, lines: dict[str, int | None], synonyms: dict[str, str]) -> None:
        """Synonyms as the matcher applies them: keyed by stem, the last of a stem winning, once and not in a chain.
        A word folded twice, one mapped to itself, or one mapped to a word folded further is silently not what
        the curator wrote. Each problem names the line of the word it is about (`lines`), and the other's line."""
        folded: dict[str, tuple[str, str]] = {}  # stem -> (word, canonical): the one the matcher keeps
        for word, canonical in synonyms.items():
            key = stem(normalise(word))
            if normalise(canonical) == normalise(word):
                self.problem(file, lines.get(word), None, f"synonyms.{word}", f"maps '{word}' to itself: remove it")
            elif key in folded and _stems(folded[key][1]) != _stems(canonical):
                other = folded[key][0]
                there = _on_line(lines.get(word), lines.get(other))
                self.problem(
                    file,
                    lines.get(other),
                    None,
                    f"synonyms.{other}",
                    f"'{other}' and '{word}'{there} are read as one word ('{key}'), so only '{word}: {canonical}' "
                    "counts: map both to the same word",
                )
            folded[key] = (word, canonical)
        changed = {key: pair for key, pair in folded.items() if _stems(pair[1]) != [key]}  # "sleeping: sleep" is not
        for key, (word, canonical) in changed.items():
            again = next((changed[part] for part in _stems(canonical) if part in changed), None)
            if again is None:
                continue
            there = _on_line(lines.get(again[0]), lines.get(word))
            if _stems(again[1]) == [key]:
                why = f"'{word}' and '{again[0]}'{there} map to each other: keep one of the two"
            else:
                why = (
                    f"'{word}' becomes '{canonical}', which '{again[0]}: {again[1]}'{there} folds further, but "
                    f"synonyms apply once, not in a chain: map '{word}' straight to '{again[1]}'"
                )
            self.problem(file, lines.get(word), None, f"synonyms.{word}", why)


def _on_line(line: int | None, here: int | None) -> str:
    """ " (line 12)": where the other word of a pair is, so the curator finds both (nothing if on the same line)."""
    return f" (line {line})" if line and line != here else ""
