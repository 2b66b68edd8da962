"""Text normalisation shared by matching, safety detection and the miss counter.

One function decides what "the same words" means, so a phrasing in YAML and a message typed on a phone
meet in the same form: lower case, no accents, no emoji or punctuation, contractions spelled out.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

# Character swaps as pairs, made by `_swapped` (not `str.translate`: on text that is not plain ASCII it costs a dict
# look-up a character, some 10 us for a message with an emoji; a few substring checks cost well under one).
_APOSTROPHES = tuple({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"}.items())
# Latin letters that carry no accent to drop, written as the plain letters people type instead ("cœur", Turkish
# "hastası", Polish "zawał", Vietnamese "đường", Danish "sukkersyge" spelled "søster"): one form for the rules.
# Small capitals ("ᴘʀᴇɢɴᴀɴᴛ", "ʜᴇᴀʀᴛ") too, which NFKD leaves as they are: the letters they are, by their Unicode names.
_SMALL_CAPITALS = {
    chr(code): name[-1].lower()
    for code in (*range(0x0250, 0x02B0), *range(0x1D00, 0x1D2C), *range(0xA730, 0xA732), *range(0xA7AE, 0xA7B0))
    if re.fullmatch(r"LATIN LETTER SMALL CAPITAL [A-Z]", name := unicodedata.name(chr(code), ""))
}
_PLAIN_LETTERS = tuple({"ı": "i", "œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", **_SMALL_CAPITALS}.items())
# French and Italian elision: "l'infarctus", "d'insuline", "j'ai" read as the word after the apostrophe.
_ELIDED = frozenset("cdjlmnst")

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


# A cache of whole messages must stay small. Texts up to MAX_CACHED_TEXT characters (every labelled message: the
# longest of 9,613 has 275) are kept by the thousand, about 3 MB at most; texts up to a long message's opening
# (OPENING, below) only the last few, for the readers of the same message (4,096 of those would keep 8 MB under a
# flood of long messages); longer texts are normalised afresh each time.
MAX_CACHED_TEXT = 300
MAX_CACHED_OPENING = 1000
MAX_CACHED_WORD = 40  # longer "words" (pasted links, key mashing) are worked out but never kept in a cache


def normalise(text: str) -> str:
    """Lower-case, accent-free, punctuation- and emoji-free text with contractions spelled out.

    Latin letters lose their accents ("Éarache" is "earache"); letters of other scripts are kept, so that
    "Я беременна" still reaches the safety rules (and gets an honest "I don't know" rather than silence).
    Invisible format characters (soft hyphen, zero-width space and joiner, direction marks) are dropped, so
    "pre\u00adgnant" reads as "pregnant". Short texts (nearly every message) are kept in a cache.
    """
    if len(text) <= MAX_CACHED_TEXT:
        return _normalise_kept(text)
    return _normalise_opening_kept(text) if len(text) <= MAX_CACHED_OPENING else _normalise(text)


def _normalise(text: str) -> str:
    if text.isascii():
        folded = text.lower()
    else:  # accents come apart from their letters under NFKD and are dropped; other scripts' letters stay
        # Lower-cased after the compatibility decomposition too: "℠" decomposes to a capital "SM".
        compatible = unicodedata.normalize("NFKD", _swapped(text, _APOSTROPHES)).casefold()
        decomposed = _swapped(_swapped(unicodedata.normalize("NFKD", compatible), _APOSTROPHES), _PLAIN_LETTERS)
        folded = _NOT_ASCII.sub(_visible, decomposed)  # ASCII is never invisible: only the rest is read char by char
    known = _EXPANDED
    expanded = " ".join([known[word] if word in known else _expand_and_keep(word) for word in _tokens(folded)])
    return " ".join(expanded.split())


_normalise_kept = lru_cache(maxsize=4096)(_normalise)
_normalise_opening_kept = lru_cache(maxsize=8)(_normalise)


def _clear_normalised() -> None:
    _normalise_kept.cache_clear()
    _normalise_opening_kept.cache_clear()


normalise.cache_clear = _clear_normalised  # type: ignore[attr-defined]  # benchmarks empty it


def _swapped(text: str, swaps: tuple[tuple[str, str], ...]) -> str:
    """`text` with each character of `swaps` replaced by its swap (no swap yields a character swapped again)."""
    for char, swap in swaps:
        if char in text:
            text = text.replace(char, swap)
    return text


_NOT_ASCII = re.compile(r"[^\x00-\x7f]+")


def _visible(run: re.Match[str]) -> str:
    """A run of non-ASCII characters without its invisible ones (see `_invisible`)."""
    return "".join([char for char in run.group() if not _invisible(char)])


def _invisible(char: str) -> bool:
    """An accent left over from decomposition, or a format character (Unicode category Cf) nobody sees."""
    return unicodedata.combining(char) != 0 or (char > "\u00ac" and unicodedata.category(char) == "Cf")


# Every ASCII character but a letter or a digit: a separator (what `_WORD` keeps of plain ASCII text).
_ASCII_SEPARATORS = str.maketrans({chr(code): " " for code in range(128) if not chr(code).isalnum()})


def _tokens(folded: str) -> list[str]:
    """The words of lower-cased text; plain ASCII without an apostrophe (most messages) skips the regex."""
    if folded.isascii() and "'" not in folded:
        return folded.translate(_ASCII_SEPARATORS).split()
    return _WORD.findall(folded)


_EXPANDED: dict[str, str] = {}  # each word's spelled-out form: a message is mostly words seen before
_MAX_EXPANDED = 16384  # words of at most MAX_CACHED_WORD letters: about 3 MB at most; then cleared


def _expand_and_keep(word: str) -> str:
    if len(word) > MAX_CACHED_WORD:
        return _expand(word)
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
        if word[1:2] == "'" and word[0] in _ELIDED and len(word) > 3:
            return _expand(word[2:])
        word = word.replace("'", "")
    if word[0].isdigit():  # "10weeks" -> "10 weeks"; "2nd" stays "2nd"
        match = _NUMBER_WORD.fullmatch(word)
        if match and match.group(2) not in {"st", "nd", "rd", "th", "d"}:
            return f"{match.group(1)} {match.group(2)}"
    return word


IRREGULAR_PLURALS = {
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


def stem(word: str) -> str:
    """A light stemmer: plurals and -ing/-ed (see `_stem`); short words are kept in a cache."""
    return _stem_kept(word) if len(word) <= MAX_CACHED_WORD else _stem(word)


def _stem(word: str) -> str:
    """A light stemmer: plurals and -ing/-ed, so "toes", "massaging" and "relaxed" meet their base word.

    Deliberately crude and symmetric: the same function runs on phrasings and on messages.
    """
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
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


_stem_kept = lru_cache(maxsize=16384)(_stem)


def words(text: str) -> list[str]:
    """The normalised words of a text."""
    return normalise(text).split()


_SENTENCE = re.compile(r"[^.!?;\n]+(?:[.!?;\n]+|$)")


def sentences(text: str) -> list[str]:
    """Split a message into sentences, each keeping its closing mark (a "?" says it is the question)."""
    return [chunk for chunk in (part.strip() for part in _SENTENCE.findall(text)) if chunk.strip(".!?;\n ")]


# A long message's topic is read from its first this many characters: every labelled message is far shorter (the
# longest of 9,613 has 275), and the classifier and word matcher cost grows with every word they read.
OPENING = 1000


def opening(text: str, limit: int = OPENING) -> str:
    """The first `limit` characters of `text`, cut at a space when there is one: the part a long message's topic
    is read from (its whole text is still read for safety)."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", limit // 2, limit)
    return text[: cut if cut > 0 else limit]


# --- reading through disguises (safety only): "p r e g n a n t", "рregnant", "d1abetes", "heaaart" ----------

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"})
LEET_SYMBOLS = re.compile(r"(?<=[^\W_])[@$!|]+(?=[^\W_])")  # "pregn@nt", "d!abetes": symbols inside a word
_ANY_SYMBOL = re.compile(r"[@$!|\uff20\uff04\uff01\uff5c]")
_SYMBOL_LETTERS = str.maketrans({"@": "a", "$": "s", "!": "i", "|": "l"})
_REPEATS = re.compile(r"([^\W\d_])\1+")
_LONG_REPEATS = re.compile(r"([^\W\d_])\1\1+")


def symbols_as_letters(text: str) -> str | None:
    """`text` with leetspeak symbols inside words read as the letters they stand for ("pregn@nt", full-width or
    with invisible characters around them too); None when no word holds one (nearly every message)."""
    if not _ANY_SYMBOL.search(text):
        return None
    if not text.isascii():
        text = "".join(char for char in unicodedata.normalize("NFKC", text) if not _invisible(char))
    read, found = LEET_SYMBOLS.subn(lambda symbols: symbols.group().translate(_SYMBOL_LETTERS), text)
    return read if found else None


def latin_lookalike(char: str) -> str:
    """The plain Latin letter `char` is drawn like ("р" Cyrillic er is "p", "ɑ" is "a"), from the Unicode
    confusables data; `char` itself when it looks like no Latin letter.

    The same answer as asking `confusable_homoglyphs.confusables.is_confusable(form, preferred_aliases=[])` of
    `char`, its lower and its upper case in turn (tests/core/test_text.py checks every code point), from a small
    table read once from that package's data (see `_latin_letters`)."""
    table = _LATIN_LETTERS or _load_latin_letters()
    for form in (char, char.lower(), char.upper()):  # casefolding made Cherokee "ꮁ" a capital
        for one in form:  # "ß".upper() is "SS": the package reads a form's first character that it knows
            letter = table.get(one)
            if letter is not None:
                if letter:
                    return letter
                break
    return char


_LATIN_LETTERS: dict[str, str] = {}


def _load_latin_letters() -> dict[str, str]:
    _LATIN_LETTERS.update(_latin_letters())
    return _LATIN_LETTERS


def _latin_letters() -> dict[str, str]:
    """Every single character the confusables data knows -> the first Latin letter (lower case) among its
    lookalikes, or "" when none of them is one.

    Why the package's data file rather than its functions: importing `confusable_homoglyphs.confusables` keeps
    the whole data (9,619 characters, each with its lookalikes' names) as a module global, about 6 MB of
    objects, and brings in urllib, http, email and ssl (its data updater), some 10 MB of RSS in all, for the
    rare message with a foreign letter. Its JSON is read here once, keeping only what `latin_lookalike` asks
    (about 1 MB), and let go; the package stays the source (no table of ours on disk)."""
    source = resources.files("confusable_homoglyphs").joinpath("confusables.json")
    with source.open(encoding="utf-8") as file:
        return json.load(file, object_pairs_hook=_latin_only)


def _latin_only(pairs: list[tuple[str, object]]) -> object:
    """json's hook for each object of the confusables data, innermost first: a lookalike {"c": glyph, "n": name}
    becomes its Latin letter (or None); the outer object, the table of `_latin_letters`."""
    if pairs and isinstance(pairs[0][1], list):
        return {char: next(filter(None, letters), "") for char, letters in pairs if len(char) == 1 and letters}
    glyph = dict(pairs).get("c", "")
    return glyph.lower() if isinstance(glyph, str) and len(glyph) == 1 and glyph.isascii() and glyph.isalpha() else None


def unmasked_forms(word: str) -> list[str]:
    """What a normalised word may be a disguise of, most literal first: lookalike letters of other scripts
    folded to Latin, digits read as letters ("pr3gn4nt"), stretched letters shortened ("diabetessss", "heaart").
    Empty for a plain word of letters with no letter repeated (most words): nothing is disguised there."""
    form = word if word.isascii() else "".join(char if char.isascii() else latin_lookalike(char) for char in word)
    if not form.isalpha() and not form.isdigit():
        form = form.translate(_LEET)
    forms = [form] if form != word else []
    if _REPEATS.search(form):
        shortened = (_LONG_REPEATS.sub(r"\1\1", form), _REPEATS.sub(r"\1", form))
        forms += [short for short in dict.fromkeys(shortened) if short != form]
    return forms


def mostly_other_script(normalised: str) -> bool:
    """More letters of a normalised text are of scripts other than Latin (Arabic, Hebrew, Cyrillic...) than
    Latin: a message footbot can't read, since it answers in English only. Full-width and accented Latin letters
    are plain ones by then, and a word or two in disguise ("рregnant") leave a message mostly Latin."""
    if normalised.isascii():
        return False
    other = sum(1 for char in normalised if char > "\u024f" and char.isalpha())
    return other * 2 > len(normalised) - normalised.count(" ")
