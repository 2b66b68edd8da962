"""Curators' phrases as one regex: normalised like messages, found as whole words, a `*` at either end of a word
standing for any letters ("massag*"). The engine and the topic chooser read the knowledge's phrase lists this way."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.text import normalise


def phrase_pattern(phrases: Iterable[str], at_start: bool = False) -> re.Pattern[str]:
    """One regex finding any of `phrases` as whole words in normalised text (never matches when empty);
    `at_start`: only at the start of the text.

    At each place the longest phrase there wins. Phrases without a `*` (most lists) are written as a tree of
    their shared starts (`one_of`), which finds the same match as the list of them, longest first, at a third of
    the cost: the regex engine follows one branch a letter rather than trying every phrase at every place."""
    phrases = [phrase.strip() for phrase in phrases]
    if not any("*" in phrase for phrase in phrases):
        body = one_of({normalise(phrase) for phrase in phrases} - {""})
    else:
        body = "|".join(sorted({_wildcard(phrase) for phrase in phrases} - {""}, key=len, reverse=True))
    if not body:
        return re.compile(r"(?!x)x")
    return re.compile(("^" if at_start else "") + r"\b(?:" + body + r")\b")


_Tree = dict[str, "_Tree"]  # texts by their characters, "" where one ends (see `one_of`)


def one_of(texts: Iterable[str]) -> str:
    """A regex (its text; "" when there are none) finding any of `texts`, shaped as a tree of their shared starts:
    the regex engine then tries one branch a character rather than every text at every position. Where one text
    is the start of another, the longer is tried first."""
    tree: _Tree = {}
    for text in texts:
        node = tree
        for char in text:
            node = node.setdefault(char, {})
        node[""] = {}  # a text ends here
    return _branches(tree)


def _branches(node: _Tree) -> str:
    """The regex for the texts below `node` of `one_of`'s tree."""
    ends = "" in node
    alternatives = [re.escape(char) + _branches(child) for char, child in sorted(node.items()) if char]
    if not alternatives:
        return ""
    if len(alternatives) == 1 and not ends:
        return alternatives[0]
    # A text ending here: the longer ones are optional (and, greedy, tried first).
    return f"(?:{'|'.join(alternatives)}){'?' if ends else ''}"


def _wildcard(phrase: str) -> str:
    """A phrase as a regex: its normalised words, where a `*` at either end stands for any letters ("massag*"
    finds "massaging", "*massag*" finds "footmassage" too)."""
    text = phrase.strip()
    before, after = (r"\w*" if text.startswith("*") else ""), (r"\w*" if text.endswith("*") else "")
    core = normalise(text.strip("*"))
    return before + re.escape(core) + after if core else ""


def first_words(phrases: Iterable[str]) -> tuple[frozenset[str], re.Pattern[str]]:
    """The first words of `phrases` (as `_wildcard` reads them), and a pattern for those that are only part of a
    word ("cramp*" starts one, "*ache" is anywhere in one)."""
    heads: set[str] = set()
    partial: list[str] = []
    for phrase in phrases:
        text = phrase.strip()
        core = normalise(text.strip("*"))
        if not core:
            continue
        head = core.split()[0]
        if text.startswith("*"):
            partial.append(re.escape(head))
        elif text.endswith("*") and " " not in core:
            partial.append(r"\b" + re.escape(head))
        else:
            heads.add(head)
    return frozenset(heads), re.compile("|".join(partial) if partial else r"(?!x)x")


def positions_of(words: list[str], phrases: tuple[str, ...]) -> set[int]:
    """The positions of `words` that stand inside any of `phrases` (normalised, several words each)."""
    found: set[int] = set()
    present = set(words)
    for phrase in phrases:
        wanted = phrase.split()
        if not wanted or wanted[0] not in present:
            continue  # most phrases: their first word is nowhere, so no slice of `words` need be compared
        for start in range(len(words) - len(wanted) + 1):
            if words[start : start + len(wanted)] == wanted:
                found.update(range(start, start + len(wanted)))
    return found
