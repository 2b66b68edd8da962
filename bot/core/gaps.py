"""Answerability: a question whose key concept the chosen entry never speaks of is not answered by it.

Real questions crowd around what the guide says ("will massage fix my stiff big toe joint?", "can massage
remove warts?"): the topic model finds the neighbouring entry, but the thing asked about (a joint, warts) is
one the guide has no word for. Out-of-scope entries list those things under `gaps` in the knowledge YAML; a
gap that some answer entry does use (in its phrasings, keywords, title or answer) is ignored, so a curator's
gap can never silence an answer the guide has. When a message holds a gap, the out-of-scope entry that names
it explains what the guide doesn't say instead of the neighbour answering beside the point.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from operator import itemgetter

from bot.core.knowledge import Entry, EntryKind, KnowledgeBase
from bot.core.text import MAX_CACHED_WORD, normalise, stem

MAX_CACHED_WORDS = 16384  # words whose gap entry is kept (of at most MAX_CACHED_WORD letters: about 2 MB); then cleared


class GapFinder:
    """Finds the out-of-scope entry whose gap word or phrase a message holds."""

    def __init__(self, kb: KnowledgeBase) -> None:
        answer_texts = [
            text
            for entry in kb.entries
            if entry.kind is EntryKind.ANSWER
            for text in (*entry.phrasings, *entry.keywords, entry.title, entry.answer)
        ]
        answer_stems = {stem(word) for text in answer_texts for word in normalise(text).split()}
        answer_text = " \n ".join(normalise(text) for text in answer_texts)
        self._words: dict[str, Entry] = {}  # a gap word's stem -> its entry
        # Each word met -> its gap entry, or False: the same words recur in every message, each stemmed only once.
        self._word_gaps: dict[str, Entry | bool] = {}
        phrases: dict[str, Entry] = {}
        for entry in kb.entries:
            for keyword in _gaps(entry):
                words = keyword.split()
                if len(words) == 1:
                    if stem(keyword) not in answer_stems:
                        self._words.setdefault(stem(keyword), entry)
                elif not re.search(rf"\b{re.escape(keyword)}\b", answer_text):
                    phrases.setdefault(keyword, entry)
        # Phrases by their first word, each with its place in the YAML (the first named wins) and padded with
        # spaces: a message is searched only for the phrases whose first word it holds.
        self._phrases_by_head: dict[str, list[tuple[int, str, Entry]]] = {}
        for order, (phrase, entry) in enumerate(phrases.items()):
            self._phrases_by_head.setdefault(phrase.split()[0], []).append((order, f" {phrase} ", entry))

    def gap(self, normalised: str, words: Iterable[str]) -> Entry | None:
        """The out-of-scope entry naming a gap word or phrase of the message, if any."""
        words = list(words)
        gaps = list(map(self._word_gaps.get, words))  # in C: a Python loop would cost more than the look-ups
        if None in gaps:  # words met for the first time
            gaps = [self._gap_of(word) if found is None else found for word, found in zip(words, gaps, strict=True)]
        entry = next(filter(None, gaps), None)
        if entry:
            return entry  # type: ignore[return-value]  # an Entry: False is never truthy
        heads = self._phrases_by_head.keys() & words
        if not heads:
            return None
        padded = f" {normalised} "
        found = [
            (order, entry) for head in heads for order, phrase, entry in self._phrases_by_head[head] if phrase in padded
        ]
        return min(found, key=itemgetter(0))[1] if found else None

    def _gap_of(self, word: str) -> Entry | bool:
        """The gap entry of one word (by its stem), or False; kept for words of at most MAX_CACHED_WORD letters."""
        found: Entry | bool = self._words.get(stem(word)) or False
        if len(word) <= MAX_CACHED_WORD:
            if len(self._word_gaps) >= MAX_CACHED_WORDS:
                self._word_gaps.clear()
            self._word_gaps[word] = found
        return found


def _gaps(entry: Entry) -> Iterable[str]:
    for keyword in entry.gaps:
        text = normalise(keyword)
        if text:
            yield text
