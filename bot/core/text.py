"""Text normalisation shared by matching, safety detection and the miss counter.

One function decides what "the same words" means, so a phrasing in YAML and a message typed on a phone
meet in the same form: lower case, no accents, no emoji or punctuation, contractions spelled out.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})

# Spelled-out forms of common English contractions; "n't" and friends are handled by the suffix rules below.
_CONTRACTIONS = {
    "can't": "can not",
    "cant": "can not",
    "won't": "will not",
    "wont": "will not",
    "shan't": "shall not",
    "i'm": "i am",
    "im": "i am",
    "let's": "let us",
    "it's": "it is",
    "what's": "what is",
    "whats": "what is",
    "where's": "where is",
    "wheres": "where is",
    "how's": "how is",
    "hows": "how is",
    "who's": "who is",
    "that's": "that is",
    "thats": "that is",
    "there's": "there is",
    "she's": "she is",
    "he's": "he is",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "isnt": "is not",
    "arent": "are not",
    "ive": "i have",
    "youre": "you are",
}
_SUFFIXES = (("n't", " not"), ("'re", " are"), ("'ve", " have"), ("'ll", " will"), ("'d", " would"), ("'s", ""))
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")  # letters and digits of any script; emoji and punctuation go
_NUMBER_WORD = re.compile(r"(\d+)([a-z]+)")


@lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Lower-case, accent-free, punctuation- and emoji-free text with contractions spelled out.

    Latin letters lose their accents ("Éarache" is "earache"); letters of other scripts are kept, so that
    "Я беременна" still reaches the safety rules (and gets an honest "I don't know" rather than silence).
    """
    if text.isascii():
        folded = text.lower()
    else:  # accents come apart from their letters under NFKD and are dropped; other scripts' letters stay
        # Lower-cased after the compatibility decomposition too: "℠" decomposes to a capital "SM".
        compatible = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES)).casefold()
        decomposed = unicodedata.normalize("NFKD", compatible).translate(_APOSTROPHES)  # "ŉ" becomes "ʼn"
        folded = "".join(char for char in decomposed if not unicodedata.combining(char))
    known = _EXPANDED
    expanded = " ".join([known[word] if word in known else _expand_and_keep(word) for word in _tokens(folded)])
    return " ".join(expanded.split())


# Every ASCII character but a letter or a digit: a separator (what `_WORD` keeps of plain ASCII text).
_ASCII_SEPARATORS = str.maketrans({chr(code): " " for code in range(128) if not chr(code).isalnum()})


def _tokens(folded: str) -> list[str]:
    """The words of lower-cased text; plain ASCII without an apostrophe (most messages) skips the regex."""
    if folded.isascii() and "'" not in folded:
        return folded.translate(_ASCII_SEPARATORS).split()
    return _WORD.findall(folded)


_EXPANDED: dict[str, str] = {}  # each word's spelled-out form: a message is mostly words seen before
_MAX_EXPANDED = 65536


def _expand_and_keep(word: str) -> str:
    if len(_EXPANDED) >= _MAX_EXPANDED:
        _EXPANDED.clear()
    expanded = _EXPANDED[word] = _expand(word)
    return expanded


def _expand(word: str) -> str:
    spelled_out = _CONTRACTIONS.get(word)
    if spelled_out is not None:
        return spelled_out
    if "'" in word:
        for suffix, replacement in _SUFFIXES:
            if word.endswith(suffix):
                return word[: -len(suffix)] + replacement
        word = word.replace("'", "")
    if word[0].isdigit():  # "10weeks" -> "10 weeks"; "2nd" stays "2nd"
        match = _NUMBER_WORD.fullmatch(word)
        if match and match.group(2) not in {"st", "nd", "rd", "th", "d"}:
            return f"{match.group(1)} {match.group(2)}"
    return word


_IRREGULAR = {
    "feet": "foot",
    "teeth": "tooth",
    "men": "man",
    "women": "woman",
    "children": "child",
    "people": "person",
    "ladies": "lady",
    "babies": "baby",
}
_KEEP = frozenset(
    {
        "this",
        "his",
        "is",
        "was",
        "has",
        "does",
        "yes",
        "us",
        "its",
        "as",
        "gas",
        "plus",
        "less",
        "bus",
        "evening",
        "morning",
        "nothing",
        "something",
        "anything",
        "everything",
        "during",
        "ring",
        "spring",
        "thing",
        "bring",
        "sing",
        "string",
        "bed",
        "need",
        "feed",
        "seed",
        "speed",
        "red",
        "shed",
        "wed",
    }
)


@lru_cache(maxsize=16384)
def stem(word: str) -> str:
    """A light stemmer: plurals and -ing/-ed, so "toes", "massaging" and "relaxed" meet their base word.

    Deliberately crude and symmetric: the same function runs on phrasings and on messages.
    """
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or word in _KEEP or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "shes", "ches", "xes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    if word.endswith("e") and len(word) > 3:  # "ache" and "aching", "come" and "coming" meet
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """The normalised words of a text."""
    return normalise(text).split()


_SENTENCE = re.compile(r"[^.!?;\n]+(?:[.!?;\n]+|$)")


def sentences(text: str) -> list[str]:
    """Split a message into sentences, each keeping its closing mark (a "?" says it is the question)."""
    return [chunk for chunk in (part.strip() for part in _SENTENCE.findall(text)) if chunk.strip(".!?;\n ")]
