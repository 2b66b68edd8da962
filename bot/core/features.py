"""What the topic classifier sees of a message: shared by training and answering, so they never drift apart.

A message is its normalised words. Each word stands for itself and for its letter sequences of two to five
characters (" pinky " gives " p", "pi", "pin", ... "nky "), so a typo or an unseen ending still shares most
of them with the word the knowledge uses. Each pair of neighbouring words is a feature of its own, so
"big toe" says more than "big" and "toe"; the first word is also paired with a start mark, so how a message
opens ("why ...", "what is ...") counts on its own (real questions, folds by page: +7 of 1,193 fallbacks).
A message's vector is the sum of its words' and pairs' vectors, divided by the square root of the sum of
their squared lengths: every word's vector can then be worked out once and kept, and answering a message is a
handful of cached sums.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

from bot.core.knowledge import EntryKind, KnowledgeBase
from bot.core.text import normalise

MIN_GRAM = 2
MAX_GRAM = 5
NO_TOPIC = ""  # the label of a message the guide cannot answer
SEQUENCE_PREFIX = "c:"  # a letter sequence's feature
WORD_PREFIX = "w:"  # a whole word's feature


def message_words(text: str) -> list[str]:
    return normalise(text).split()


def letter_sequences(word: str) -> list[str]:
    """The word's letter sequences of MIN_GRAM to MAX_GRAM characters, padded with a space at each end (where a
    word starts and ends says a lot about it), one item per occurrence."""
    padded = f" {word} "
    return [
        padded[start : start + size]
        for size in range(MIN_GRAM, min(MAX_GRAM, len(padded)) + 1)
        for start in range(len(padded) - size + 1)
    ]


def word_features(word: str) -> Counter[str]:
    """The word itself and its letter sequences."""
    features: Counter[str] = Counter(SEQUENCE_PREFIX + sequence for sequence in letter_sequences(word))
    features[WORD_PREFIX + word] += 1
    return features


PAIR_PREFIX = "b:"
START = "^"  # stands before a message's first word, so that a pair also says how the message opens


def pair_feature(first: str, second: str) -> str:
    return f"{PAIR_PREFIX}{first} {second}"


def without_long_runs(words: list[str]) -> list[str]:
    """The words with a run of one word said three or more times in a row cut to two. A message's vector is
    normalised by its units' lengths, not its own, so a word said n times running weighs like sqrt(n): "b b b b b"
    read as the heart caution. Natural text hardly ever says a word three times running ("very very very" is
    still read as "very very")."""
    if len(words) < 3 or all(map(str.__ne__, words, words[2:])):
        return words  # nearly every message
    return [word for at, word in enumerate(words) if at < 2 or not word == words[at - 1] == words[at - 2]]


def message_units(words: list[str]) -> list[Counter[str]]:
    """Every word's features and every neighbouring pair, as separate units (see the module docstring)."""
    words = without_long_runs(words)
    units = [word_features(word) for word in words]
    units += [Counter({pair_feature(a, b): 1}) for a, b in pairwise([START, *words] if words else words)]
    return units


def training_texts(kb: KnowledgeBase) -> Iterable[tuple[str, str]]:
    """(text, label) pairs the knowledge itself provides: every phrasing, keyword and title of every entry.

    An out-of-scope entry's title names a family ("Details the guide leaves out"), not a question: left out.
    """
    for entry in kb.entries:
        title = () if entry.kind is EntryKind.OUT_OF_SCOPE else (entry.title,)
        for text in (*entry.phrasings, *entry.keywords, *title):
            yield text, entry.id


def knowledge_fingerprint(kb: KnowledgeBase) -> str:
    """Changes whenever the knowledge the classifier learnt from changes (answers and caveats do not count)."""
    texts = sorted(f"{label}\t{text}" for text, label in training_texts(kb))
    return hashlib.sha256(json.dumps(texts).encode("utf-8")).hexdigest()[:16]
