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

from bot.core.knowledge import Entry, EntryKind, KnowledgeBase
from bot.core.text import normalise, stem


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
        self._words: dict[str, Entry] = {}
        phrases: dict[str, Entry] = {}
        for entry in kb.entries:
            for keyword in _gaps(entry):
                words = keyword.split()
                if len(words) == 1:
                    if stem(keyword) not in answer_stems:
                        self._words.setdefault(stem(keyword), entry)
                elif not re.search(rf"\b{re.escape(keyword)}\b", answer_text):
                    phrases.setdefault(keyword, entry)
        self._phrases = tuple(phrases.items())
        self._phrase_words = frozenset(word for phrase in phrases for word in phrase.split())

    def gap(self, normalised: str, words: Iterable[str]) -> Entry | None:
        """The out-of-scope entry naming a gap word or phrase of the message, if any."""
        words = list(words)
        for word in words:
            entry = self._words.get(stem(word))
            if entry is not None:
                return entry
        if self._phrase_words.isdisjoint(words):
            return None
        for phrase, entry in self._phrases:
            if f" {phrase} " in f" {normalised} ":
                return entry
        return None


def _gaps(entry: Entry) -> Iterable[str]:
    for keyword in entry.gaps:
        text = normalise(keyword)
        if text:
            yield text
