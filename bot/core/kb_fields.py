"""The loader's typed readers: a text, a list of texts, a mapping's known fields, placeholders, entry ids. Each
problem is recorded with its file, line, entry and field, and reading goes on, so `kb check` lists them all."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.core.text import normalise

MAX_TEXT = 4096  # Telegram's limit for one message: a longer text is split, or cut on a routine page
LINE_KEY = "__line__"  # the key under which each YAML mapping keeps its first line (see loader._LineLoader)


class YamlMapping(dict[Any, Any]):
    """A mapping as read from YAML, with the line of each key: a problem about one key (a synonym, a follow-up)
    names that key's line, not the first line of the mapping, which may be hundreds of lines away."""

    key_lines: dict[Any, int]


class YamlList(list[Any]):
    """A list as read from YAML, with the line of each item: a problem about one item (a related id, a routine
    step) names that item's line, not the line of the list or of the entry holding it."""

    item_lines: list[int]


def line_of(container: Any, where: Any, default: int | None) -> int | None:
    """The line of key `where` of a mapping, or of item `where` (from 0) of a list, as read from YAML; `default`
    when it is not known (a value not read from a file, an index past the end)."""
    if isinstance(container, YamlMapping):
        return container.key_lines.get(where, default)
    if isinstance(container, YamlList) and isinstance(where, int) and 0 <= where < len(container.item_lines):
        return container.item_lines[where]
    return default


def line_of_text(items: Any, text: str, default: int | None) -> int | None:
    """The line of the first item of a YAML list (or of a list inside it) that reads as `text`: for a check made
    once the list is read into texts, such as an entry id known only when every entry is."""
    if isinstance(items, list):
        for index, item in enumerate(items):
            if _is_text(item) and str(item).strip() == text:
                return line_of(items, index, default)
            inner = line_of_text(item, text, None) if isinstance(item, list) else None
            if inner is not None:
                return inner
    return default


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


# HTML tags and entities, and Markdown's bold, italics, code and links: Telegram would show each as typed, since
# the bot sends every text escaped (knowledge/README.md: answers are plain text).
_MARKUP = re.compile(
    r"</?[a-z][a-z0-9]*(?:\s[^<>]*)?/?>|&(?:[a-z]+|#\d+);|\*\*\S[^*]*\*\*|__\S[^_]*__|`[^`]+`"
    r"|\[[^\]]+\]\([^)\s]+\)|(?<![\w*])\*\S[^*\n]*(?<=\S)\*(?![\w*])|(?<![\w_])_\S[^_\n]*(?<=\S)_(?![\w_])",
    re.IGNORECASE,
)


def _is_text(item: Any) -> bool:
    return isinstance(item, str | int) and not isinstance(item, bool)


def _not_text(item: Any) -> str:
    """Why a list item is not text, in YAML's terms, so the curator sees what to quote."""
    if item is None:
        return "is empty (a '-' with nothing after it?)"
    if isinstance(item, bool):
        return f"reads as {str(item).lower()}, not text (YAML reads yes, no, on, off so): put it in quotes"
    if isinstance(item, dict):
        shown = ", ".join(f"{key}: {value}" for key, value in item.items() if key != LINE_KEY)
        return f"'{shown}' reads as a key and a value: a text holding ': ' must be put in quotes"
    if isinstance(item, list):
        return f"{item} is a list inside the list: put a text holding brackets in quotes"
    return f"'{item}' reads as a {type(item).__name__}, not text: put it in quotes"


class FieldReader:
    """What every section reader shares: the problems found so far, and the sections of the files read."""

    folder: Path
    problems: list[Problem]
    sections: dict[str, tuple[str, Any]]  # key -> (file, value)

    def problem(self, file: str, line: int | None, entry: str | None, field: str | None, message: str) -> None:
        self.problems.append(Problem(file, line, entry, field, message))

    def section(self, key: str) -> tuple[str, Any]:
        if key not in self.sections:
            self.problem(str(self.folder), None, None, key, "missing: no file defines it")
            return (str(self.folder), None)
        return self.sections[key]

    def text(self, file: str, raw: dict[str, Any], key: str, entry: str | None, *, required: bool = True) -> str:
        value = raw.get(key)
        line = raw.get(LINE_KEY)
        if value is None:
            if required:
                self.problem(file, line, entry, key, "missing")
            return ""
        line = line_of(raw, key, line)  # a problem with the text names its own line, not the entry's first
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(file, line, entry, key, "must be text")
            return ""
        value = str(value).strip()
        if required and not value:
            self.problem(file, line, entry, key, "is empty")
        if len(value) > MAX_TEXT:
            self.problem(
                file,
                line,
                entry,
                key,
                f"is {len(value):,} characters: more than one Telegram message holds ({MAX_TEXT:,}), so it would "
                "be cut (a routine step) or split: shorten it",
            )
        markup = _MARKUP.search(value)
        if markup:
            self.problem(
                file,
                line,
                entry,
                key,
                f"'{markup.group()}' is markup, but texts are plain: the bot shows it as typed (no bold, no link)",
            )
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
        if not isinstance(value, list):
            self.problem(file, line, entry, key, "must be a list of texts: [one, two] or one '- text' a line")
            return []
        bad = [(number, item) for number, item in enumerate(value, start=1) if not _is_text(item)]
        for number, item in bad:
            self.problem(file, line_of(value, number - 1, line), entry, key, f"item {number} {_not_text(item)}")
        if bad:
            return []
        items = [str(item).strip() for item in value]
        empty = next((index for index, item in enumerate(items) if not item), None)
        if empty is not None:
            self.problem(file, line_of(value, empty, line), entry, key, "has an empty item")
        items = [item for item in items if item]
        if not items and not allow_empty:
            self.problem(file, line, entry, key, "is empty")
        return items

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
            if key != LINE_KEY and key not in known:
                field = f"{section}.{key}" if section else str(key)
                where = line if line is not None else raw.get(LINE_KEY)
                self.problem(file, where, label, field, f"unknown field (expected: {', '.join(known)})")

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

    def build_id_list(self, key: str, ids: set[str]) -> list[str]:
        file, raw = self.section(key)
        if key not in self.sections:
            return []  # said once already: "missing: no file defines it"
        return self.id_list(file, raw, key, ids, allow_empty=False)

    def id_list(
        self, file: str, raw: Any, field: str, ids: set[str], line: int | None = None, allow_empty: bool = True
    ) -> list[str]:
        """A list of entry ids, each one reported (file:line, field) unless it names an entry."""
        items = self.string_list(file, raw, None, field, line=line, allow_empty=allow_empty)
        for item in items:
            if item not in ids:
                self.problem(file, line_of_text(raw, item, line), None, field, f"unknown entry id '{item}'")
        return items

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
            if typo == LINE_KEY:
                continue
            typed, meant = normalise(str(typo)), normalise(str(word)) if isinstance(word, str | int) else ""
            if len(typed.split()) != 1 or len(meant.split()) != 1:
                self.problem(file, line_of(raw, typo, line), None, f"{field}.{typo}", "must map one word to one word")
                continue
            spellings[typed] = meant
        return spellings
