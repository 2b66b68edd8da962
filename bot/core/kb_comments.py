"""Texts a YAML comment cuts short, for `footbot kb check`.

In a plain (unquoted) text, a '#' after a space starts a comment: `answer: Press the big toe #1 spot gently` loads
as "Press the big toe", and nothing says so. Each plain text is read from the YAML's node tree, and the rest of
its last line after it tells whether a comment follows. A note set apart as knowledge/README.md writes them
(`title: The little toe   # short: shown on buttons`: two spaces or more, then '# ') is a note; a '#' one space
after the text ("toe #1 spot", "oil # or lotion"), or straight before a word ("#heartfailure", "#1"), reads as
more of the text. The bot still loads such a file (it may be a note after all): kb check warns.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from bot.core.kb_fields import Problem

_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks, so lines count as its marks do
_COMMENT_AFTER = re.compile(r"([ \t]+)(#.*)")
_STRING_TAG = "tag:yaml.org,2002:str"
_NULL_TAG = "tag:yaml.org,2002:null"
SHOWN = 40  # characters of a text or a comment quoted in a warning


def cut_short_texts(folder: Path) -> list[Problem]:
    """A warning for each plain text in the folder's YAML files that a comment on its line seems to cut short;
    a file that cannot be read is skipped (the loader says why)."""
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        try:
            text = path.read_text(encoding="utf-8")
            root = yaml.compose(text, Loader=_Composer)
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue
        if root is not None:
            problems.extend(_cut_short(path.name, _LINE_BREAKS.split(text), root))
    return problems


def comment_cutting(line: str, column: int, *, empty: bool = False) -> str | None:
    """The comment that follows a plain text ending at `column` of `line`, when it reads as more of the text
    rather than a note; for an empty value (`answer: #1 tip`) only a '#' straight before a word counts, since
    `gaps: # none yet` is a note."""
    found = _COMMENT_AFTER.match(line, column)
    if found is None:
        return None
    gap, comment = found.groups()
    glued = len(comment) > 1 and not comment[1].isspace()
    return comment.rstrip() if glued or (gap == " " and not empty) else None


def comment_in_brackets(text: str, first: int, last: int) -> tuple[int, str] | None:
    """The line (from 0) of a plain text between lines `first` and `last` after which a comment starts, and the
    text: inside [...] or {...} the comment hides the closing bracket too, and YAML only stumbles lines further on
    ("did not find expected ',' or ']'"), so its own line points past the mistake."""
    lines = _LINE_BREAKS.split(text)
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            end = token.end_mark
            if end.line > last:
                break
            plain = isinstance(token, yaml.ScalarToken) and token.plain and token.value
            if plain and end.line >= first and _COMMENT_AFTER.match(lines[end.line], end.column):
                return int(end.line), token.value
    except yaml.YAMLError:
        pass
    return None


def _cut_short(file: str, lines: list[str], root: yaml.Node) -> Iterator[Problem]:
    for node, entry, field in _plain_scalars(root, None, ""):
        empty = node.tag == _NULL_TAG and node.value == ""
        if node.tag != _STRING_TAG and not empty:
            continue  # a number or true/false: a comment after it is a note
        line = node.end_mark.line
        comment = comment_cutting(lines[line], node.end_mark.column, empty=empty) if line < len(lines) else None
        if comment is None:
            continue
        loaded = " ".join(node.value.split())
        kept = f"the text stops at '{_last(loaded)}'" if loaded else "the value is empty"
        key = field.rsplit(".", 1)[-1].split("[")[0] or "key"
        block = "- >-" if field.endswith("]") else f"{key}: >-"
        yield Problem(
            file,
            line + 1,
            entry,
            field or None,
            f"{kept}: YAML reads '{_first(comment)}' as a comment and leaves it out. If it is "
            "part of the text, put the whole text in single quotes (write a ' inside as '') or make it a block "
            f"('{block}' and the text indented below); if it is a note, put it on its own line",
        )


def _plain_scalars(node: yaml.Node, entry: str | None, field: str) -> Iterator[tuple[yaml.ScalarNode, str | None, str]]:
    """Every plain scalar under `node` with the entry it belongs to (a mapping's `id`, or an action's `do`) and
    its field within it ("answer", "phrasings[3]", "synonyms.pinky"), named as the loader names them."""
    if isinstance(node, yaml.ScalarNode):
        if not node.style:
            yield node, entry, field
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value, start=1):
            yield from _plain_scalars(item, entry, f"{field}[{number}]")
    elif isinstance(node, yaml.MappingNode):
        keys = {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}
        named = next((keys[key] for key in ("id", "do") if isinstance(keys.get(key), yaml.ScalarNode)), None)
        if named is not None:
            entry, field = (f"action {named.value}" if "id" not in keys else named.value), ""
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else "?"
            yield from _plain_scalars(value, entry, f"{field}.{name}" if field else name)


def _last(text: str) -> str:
    """The end of a long text, from a whole word: where the curator's text stops."""
    return text if len(text) <= SHOWN else "..." + text[-SHOWN:].split(" ", 1)[-1]


def _first(text: str) -> str:
    """The start of a long comment, to a whole word: what the curator will find on the line."""
    return text if len(text) <= SHOWN else text[:SHOWN].rsplit(" ", 1)[0] + "..."
