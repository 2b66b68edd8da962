"""Find pregnancy, diabetes and heart conditions, and emergencies, in any message.

The rules (terms, misspellings, patterns, lookalikes) are data in knowledge/safety.yaml. When in doubt this
module says yes: a needless caveat costs a line of text, a missing one could cost far more.

How: each word of the message is first resolved to a term word (exactly, by its stem, or, for words of six
letters or more, within a typo or two: "diabetis", "pregnat", "condtion"); then term phrases are looked up by
their rarest word, and patterns by a literal they cannot match without, so the cost grows with the message, not
with the number of rules. What a word is to the rules is worked out once and kept.

Disguises are read through on a second reading, only for messages that have one: lookalike letters of other
scripts ("рregnant" with a Cyrillic "р"), digits and symbols for letters ("pr3gn@nt"), stretched letters
("diabetessss") and words spelled out letter by letter ("p r e g n a n t", "d-i-a-b-e-t-e-s"). A disguised word
counts only when it comes out as a word of a term; the message is then read again with it in place, lookalikes
and all, and whatever either reading finds counts. (Invisible characters such as soft hyphens are dropped by
`normalise` itself.) Messages longer than `FULL_READ` characters (the longest Telegram allows) are read in full up
to there; past it, only around words already known to start a finding, so a huge message costs milliseconds.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from operator import attrgetter
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.core.knowledge import Condition, ConditionRule, RedFlags
from bot.core.masks import MaskReader
from bot.core.phrases import one_of
from bot.core.regex_literals import Requirement, required_texts
from bot.core.text import (
    IRREGULAR_PLURALS,
    MAX_CACHED_WORD,
    OPENING,
    normalise,
    opening,
    stem,
    symbols_as_letters,
    unmasked_forms,
)

MAX_CACHED_WORDS = 16384  # per-word findings kept (words of at most MAX_CACHED_WORD letters: about 6 MB); then cleared
FUZZY_MIN_LENGTH = 6  # shorter words only match exactly (or via a listed misspelling): "heard" is not "heart"
PHRASE_TYPO_MIN_LENGTH = 4  # inside a several-word term, the other words vouch for a typo in a shorter one
UNMASKED_MIN_LENGTH = 4  # a disguised word counts when it comes out as a term word this long ("heart", "afib")
SPELLED_MAX_LETTERS = 40  # a longer run of single letters is not one spelled-out word (and is left as it is)
NEW_WORDS_PER_MESSAGE = 64  # never-seen words worked out in full per message (a real one has a handful)
FULL_READ = 4096  # characters read word by word; past them (only the CLI takes more), around known words only
TAIL_CONTEXT = 12  # words either side of a known word past FULL_READ that are read with it
TAIL_WINDOWS = 64  # places past FULL_READ read at most

# Three or more letters (or digits) standing alone in a row: "p r e g n a n t", "d.i.a.b.e.t.e.s" once normalised.
_SPELLED = re.compile(r"(?<!\S)\w(?: \w){2,}(?!\S)")
_STRETCHED = re.compile(r"(.)\1\1|[^a-z]")  # a letter three times over, or anything but a plain letter
_SPELLED_EDGES = frozenset({"a", "i"})  # one-letter English words that may run into a spelled-out word

# After a lookalike that denies a condition ("i am not pregnant", "no heart problems"), a clause saying someone else
# has it ("but my wife is", "though my dad has") names it after all: the denial is not hidden then.
_BREAK = re.compile(r"[,.;:?!()\[\]{}\n]+")  # where a clause ends: no lookalike spans it ("4 - 6 weeks" does not end)
_DENIAL_TURNED = re.compile(r"(?:\w+ ){0,2}?(?:but|though|although|whereas) (?:\w+ ){1,3}?(?:is|s|has|does|was|had)\b")

Phrase = tuple[str, ...]


class _Pattern(NamedTuple):
    owner: str  # a condition's name, or "red_flag"
    regex: re.Pattern[str]
    required: tuple[Requirement, ...]  # literal text a match cannot do without, rarest in everyday asks first
    # `required` past its first, each as (its texts that lie inside a word, the rest): see `_meets`.
    rest: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = ()


class _Word(NamedTuple):
    """What one word of a message is to the rules, worked out on its first sight and kept."""

    resolved: str  # the term word it stands for (see `_resolve`)
    loose: str  # the same, allowing a typo inside a several-word term
    literals: frozenset[str]  # the patterns' one-word literals it contains
    phrases: tuple[tuple[Phrase, str, int], ...]  # the terms looked up by this word (as resolved or loosely)
    telling: bool  # it could start a finding: it names a term, or holds a literal a pattern is looked up by
    unmasked: str  # the term word it is a disguise of ("рregnant", "heaaart", "d1abetes"), else ""
    plain: str  # what lookalikes read it as: the unmasked word's stem, else `resolved` ("heartt" is "heart")
    # The lookalikes looked up by any reading of it (resolved, loose, plain): most words, none.
    lookalikes: tuple[tuple[Phrase, str, int], ...] = ()
    candidates: tuple[int, ...] = ()  # the patterns its literals look up
    # Every text of a word that any pattern requires which it holds; None when not worked out (see `_meets`).
    contains: frozenset[str] | None = None


_RED = "red_flag"
# Every ASCII character but a letter, a digit or an apostrophe is a space (a long tail is split in C).
_TAIL_SEPARATORS = str.maketrans(
    {chr(code): " " for code in range(128) if not chr(code).isalnum() and chr(code) != "'"}
)
_NOTHING = _Word("", "", frozenset(), (), False, "", "")
_telling = attrgetter("telling")
_lookalikes_of = attrgetter("lookalikes")
_candidates_of = attrgetter("candidates")
_contains_of = attrgetter("contains")
_unmasked_of = attrgetter("unmasked")
# Each condition with its name, in `Condition` order: walking the enum (and reading `.value`) costs microseconds a scan.
_CONDITIONS = tuple((condition, condition.value) for condition in Condition)


def _phrase(text: str) -> Phrase:
    return tuple(stem(word) for word in normalise(text).split())


class SafetyDetector:
    """Compiled once from the knowledge base; `detect` and `is_red_flag` are pure and fast."""

    def __init__(
        self,
        rules: tuple[ConditionRule, ...],
        red_flags: RedFlags,
        typical_texts: Iterable[str] = (),
        everyday_words: Iterable[str] = (),
        emoji_words: Mapping[str, str] | None = None,
    ) -> None:
        """`typical_texts` (the knowledge's phrasings) show which words everyday asks are full of: a pattern is
        looked up by the literal they hold least often ("hole" rather than "heart", "blue" rather than "foot").
        `everyday_words` are read as typed, never as a typo of a term ("students" is not "stents")."""
        # Phrases are found through their rarest word in everyday asks (its "anchor"; the longest of equals):
        # most messages then hold no anchor at all, though terms like "in the family way" start with "in".
        typical_texts = [normalise(text) for text in typical_texts]
        # Signs are looked for in the message as typed, and only in one that is not plain ASCII (they never are).
        self._signs = tuple((sign, rule.condition.value) for rule in rules for sign in rule.signs)
        usual = Counter(stem(word) for text in typical_texts for word in text.split())
        self._terms: dict[str, list[tuple[Phrase, str, int]]] = defaultdict(list)
        self._lookalikes: dict[str, list[tuple[Phrase, str, int]]] = defaultdict(list)
        self._patterns: list[_Pattern] = []
        typo_targets: dict[str, str] = {}  # a long term word as typed -> its stem
        phrase_targets: dict[str, str] = {}  # a word of a several-word term ("blood sugar") -> its stem
        for owner, terms, patterns, not_when in (
            *(
                (rule.condition.value, (*rule.terms, *rule.misspellings), rule.patterns, rule.not_when)
                for rule in rules
            ),
            (_RED, red_flags.terms, red_flags.patterns, red_flags.not_when),
        ):
            for term in terms:
                phrase = _phrase(term)
                if phrase:
                    anchor = _anchor(phrase, usual)
                    self._terms[phrase[anchor]].append((phrase, owner, anchor))
                    for word in normalise(term).split():
                        if len(word) >= FUZZY_MIN_LENGTH:
                            typo_targets[word] = stem(word)
                        if len(phrase) > 1 and len(word) >= PHRASE_TYPO_MIN_LENGTH:
                            phrase_targets[word] = stem(word)
            for lookalike in not_when:
                phrase = _phrase(lookalike)
                if phrase:
                    anchor = _anchor(phrase, usual)
                    self._lookalikes[phrase[anchor]].append((phrase, owner, anchor))
            self._patterns += [_Pattern(owner, re.compile(pattern), required_texts(pattern)) for pattern in patterns]
        self._patterns = _rarest_first(self._patterns, typical_texts)
        self._known = frozenset(
            word
            for index in (self._terms, self._lookalikes)
            for entries in index.values()
            for phrase, _, _ in entries
            for word in phrase
        ) | frozenset(stem(word) for word in everyday_words)  # a known word is never taken for a typo
        # A regex scan is slow in Python. Each pattern is indexed by the literal text it cannot match without,
        # so a message is scanned for those literals once, and only the patterns it could match are run.
        self._by_literal: dict[str, list[int]] = defaultdict(list)
        for index, pattern in enumerate(self._patterns):
            for literal in pattern.required[0] if pattern.required else ():
                self._by_literal[literal].append(index)
        # A normalised message is words of letters and digits: a literal of letters and digits alone lies inside
        # one word, so which of them a word holds is worked out once per word; only the rest span spaces.
        in_a_word = {literal for literal in self._by_literal if literal.isalnum() and len(literal) >= 2}
        self._word_literals = frozenset(literal for literal in self._by_literal if literal in in_a_word)
        self._spanning_literals = tuple(literal for literal in self._by_literal if literal not in in_a_word)
        # Most messages hold none of them: one regex search says so, where a check of each costs several times more.
        self._any_spanning = _one_of(self._spanning_literals)
        self._unindexed = tuple(i for i, pattern in enumerate(self._patterns) if not pattern.required)
        # The words of terms a disguise may stand for (stems, as `_resolve` gives them).
        self._term_words = frozenset(
            word
            for entries in self._terms.values()
            for phrase, _, _ in entries
            for word in phrase
            if len(word) >= UNMASKED_MIN_LENGTH
        )
        # How every word of a term or lookalike starts (as typed too, for "feet" whose stem is "foot"): a word
        # starting otherwise can be no part of one.
        irregular = (typed for typed, base in IRREGULAR_PLURALS.items() if base in self._known)
        self._term_prefixes = frozenset(word[:3] for word in (*self._known, *irregular))
        self._typo_targets = _by_initial(typo_targets)
        self._phrase_targets = _by_initial(phrase_targets)
        # Every text a pattern requires that lies inside one word (letters and digits alone, as `in_a_word`), by
        # the two letters it starts with: which of them a word holds is worked out once per word.
        required = {text for pattern in self._patterns for strings in pattern.required for text in strings}
        inside = frozenset(text for text in required if text.isalnum() and len(text) >= 2)
        self._inside_by_start: dict[str, list[str]] = defaultdict(list)
        for text in sorted(inside):
            self._inside_by_start[text[:2]].append(text)
        self._patterns = [pattern._replace(rest=_split_rest(pattern.required, inside)) for pattern in self._patterns]
        self._words: dict[str, _Word] = {}
        self._telling_words: set[str] = set()  # the kept words that could start a finding (see `_read_tail`)
        # Every word of a term as typed, which always could: a long message's tail is searched for these too.
        self._term_spellings = frozenset(
            word
            for rule in rules
            for term in (*rule.terms, *rule.misspellings)
            for word in normalise(term).split()
            if len(word) >= UNMASKED_MIN_LENGTH
        ) | frozenset(
            word for term in red_flags.terms for word in normalise(term).split() if len(word) >= UNMASKED_MIN_LENGTH
        )
        every_term = (term for rule in rules for term in (*rule.terms, *rule.misspellings))
        vocabulary = [word for term in every_term for word in normalise(term).split()]
        all_terms = [normalise(term).split() for term in (*(t for rule in rules for t in rule.terms), *red_flags.terms)]
        alone = {words[0] for words in all_terms if len(words) == 1}  # "charcot" names one on its own: never guessed
        in_phrases = [  # the words of several-word terms and red flags: "heart" of "heart attack"
            word
            for words in all_terms
            if len(words) > 1
            for word in words
            if len(word) >= UNMASKED_MIN_LENGTH and word not in alone
        ]
        self._masks = MaskReader(self._term_spellings, vocabulary, emoji_words or {}, in_phrases)

    def _word(self, word: str) -> _Word:
        """The findings for `word`, from the cache when it was seen before."""
        found = self._words.get(word)
        if found is None:
            resolved, loose = self._resolve(word), self._resolve_in_phrase(word)
            contains = self._contained_in(word)
            literals = contains.intersection(self._word_literals)
            phrases = (*self._terms.get(resolved, ()), *(self._terms.get(loose, ()) if loose != resolved else ()))
            unmasked = self._unmask(word)
            plain = self._resolve(unmasked) if unmasked else resolved
            lookalikes = self._lookalikes_by(resolved, loose, plain)
            candidates = tuple(sorted({index for literal in literals for index in self._by_literal[literal]}))
            telling = bool(literals or phrases)
            found = _Word(
                resolved, loose, literals, phrases, telling, unmasked, plain, lookalikes, candidates, contains
            )
            if len(word) <= MAX_CACHED_WORD:  # a 4 KB "word" is read, never kept: the cache stays small
                if len(self._words) >= MAX_CACHED_WORDS:
                    self._words.clear()
                    self._telling_words.clear()
                self._words[word] = found
                if found.telling:
                    self._telling_words.add(word)
        return found

    def _read_words(self, words: list[str]) -> list[_Word]:
        """Each word's findings. Never-seen words are worked out in full (typos, disguises) up to
        `NEW_WORDS_PER_MESSAGE` of them; past that (a flood of made-up words) only by their stem, and not kept."""
        found: list[_Word | None] = list(map(self._words.get, words))
        if None not in found:
            return found  # type: ignore[return-value]  # most messages: every word met before
        budget = NEW_WORDS_PER_MESSAGE
        for i, word in enumerate(words):
            if found[i] is None:
                if budget > 0 or len(word) == 1:
                    budget -= 1
                    found[i] = self._word(word)
                else:
                    found[i] = self._stem_only(word)
        return found  # type: ignore[return-value]

    def _stem_only(self, word: str) -> _Word:
        """A word's findings by its stem alone: no typo, disguise or pattern is looked for."""
        if word[:3] not in self._term_prefixes:
            return _NOTHING  # nearly every made-up word: no word of a term or lookalike starts the way it does
        stemmed = stem(word)
        phrases = tuple(self._terms.get(stemmed, ()))
        lookalikes = self._lookalikes_by(stemmed)
        return _Word(stemmed, stemmed, frozenset(), phrases, bool(phrases), "", stemmed, lookalikes)

    def _lookalikes_by(self, *readings: str) -> tuple[tuple[Phrase, str, int], ...]:
        """The lookalikes looked up by any of a word's readings, worked out with the word: a message's words then
        say at once whether it could hold one, with no look-up per reading of each word."""
        keys = self._lookalikes.keys()
        if keys.isdisjoint(readings):
            return ()
        return tuple(entry for key in set(readings) for entry in self._lookalikes.get(key, ()))

    def _unmask(self, word: str) -> str:
        """The form of `word` that is a term word once its disguise is read through (see `unmasked_forms`)."""
        for form in reversed(unmasked_forms(word)):  # the plainest first: "heart" rather than "heartt"
            # Letters doubled by chance are common ("feet", "mass"): those must shorten to a term word exactly.
            if (stem(form) if form.isalpha() and _STRETCHED.search(word) is None else self._resolve(form)) in (
                self._term_words
            ):
                return form
        return ""

    def _contained_in(self, word: str) -> frozenset[str]:
        """The texts patterns require that lie inside `word`, found by the two letters each starts with."""
        by_start, found = self._inside_by_start, []
        for start in range(len(word) - 1):
            for literal in by_start.get(word[start : start + 2], ()):
                if word.startswith(literal, start):
                    found.append(literal)
        return frozenset(found)

    def warm(self, words: Iterable[str]) -> None:
        """Work out the words people are likely to use now, at start-up, rather than on their first message."""
        for word in words:
            self._word(word)

    def typo_of(self, word: str) -> str | None:
        """The term word (a stem) that `word` is read as a typo of; None when it is read as typed."""
        stemmed = stem(word)
        return next((form for form in (self._resolve(word), self._resolve_in_phrase(word)) if form != stemmed), None)

    def _resolve(self, word: str) -> str:
        """The term word `word` stands for: its stem, or the term it is a typo of."""
        return self._closest(word, self._typo_targets, FUZZY_MIN_LENGTH, 1 if len(word) < 8 else 2)

    def _resolve_in_phrase(self, word: str) -> str:
        """Looser, for words of several-word terms only: "blood suger" is "blood sugar", though "suger" alone
        is too short to be trusted as anything."""
        return self._closest(word, self._phrase_targets, PHRASE_TYPO_MIN_LENGTH, 1)

    def _closest(self, word: str, targets_by_initial: dict[str, dict[str, str]], min_length: int, typos: int) -> str:
        """The stem of `word`, or of the target word it is at most `typos` typos from (same first letter)."""
        stemmed = stem(word)
        if stemmed in self._known or len(word) < min_length:
            return stemmed
        targets = targets_by_initial.get(word[0])
        if not targets:
            return stemmed
        best = process.extractOne(word, targets.keys(), scorer=OSA.distance, score_cutoff=typos)
        return targets[best[0]] if best else stemmed

    def _owners(
        self, normalised: str, raw: list[str], found_words: list[_Word] | None = None, *, overlapping: bool = False
    ) -> set[str]:
        """Every condition (and "red_flag") that a normalised message mentions, lookalikes excepted.
        `found_words`: the findings of `raw`'s words, when the caller has them. `overlapping`: a term of several
        words that a lookalike holds only part of is found ("i take heart medication": "take heart" holds only the
        "heart" of "heart medication"); for one clause, where no break can lie between them ("not diabetic, foot
        rub?" holds no "diabetic foot")."""
        if not raw:
            return set()
        if found_words is None:
            found_words = self._read_words(raw)
        spanning = (
            {literal for literal in self._spanning_literals if literal in normalised}
            if self._any_spanning.search(normalised) is not None
            else set()
        )
        if not spanning and not self._unindexed and not any(map(_telling, found_words)):
            return set()  # most messages: no word that any term or pattern starts from
        words = [word.resolved for word in found_words]
        hidden: dict[str, set[int]] = defaultdict(set)  # owner -> word positions inside one of its lookalikes
        if any(map(_lookalikes_of, found_words)):
            for owner, start, length in self._lookalike_spans(words, found_words):
                if not _DENIAL_TURNED.match(" ".join(raw[start + length : start + length + 8])):
                    hidden[owner].update(range(start, start + length))
        found = self._pattern_owners(normalised, raw, found_words, spanning, hidden)
        anchors = [(i, word.phrases) for i, word in enumerate(found_words) if word.phrases]
        if not anchors:
            return found  # most messages name no term at all
        loose = [word.loose for word in found_words]
        for i, phrases in anchors:
            for phrase, owner, offset in phrases:
                start = i - offset
                if start < 0 or owner in found or not _phrase_at(phrase, words, loose, start):
                    continue
                span = range(start, start + len(phrase))
                if hidden[owner].isdisjoint(span) or (
                    overlapping and len(phrase) > 1 and not hidden[owner] >= set(span)
                ):
                    found.add(owner)
        return found

    def _pattern_owners(
        self,
        normalised: str,
        raw: list[str],
        found_words: list[_Word],
        spanning: set[str],
        hidden: dict[str, set[int]],
    ) -> set[str]:
        """Owners whose patterns match; a lookalike's words are blanked out first, as they are for terms.
        `spanning`: the literals across words that the message holds."""
        candidates = set(self._unindexed).union(
            *map(_candidates_of, found_words), *(self._by_literal[literal] for literal in spanning)
        )
        found: set[str] = set()
        if not candidates:
            return found
        # What the words hold, for `_meets`; None if a word's was not worked out (a flood of new words).
        contained = (
            None if None in map(_contains_of, found_words) else frozenset().union(*map(_contains_of, found_words))
        )
        for index in sorted(candidates):
            owner, pattern, _, rest = self._patterns[index]
            if owner in found or not _meets(rest, contained, normalised):
                continue
            text = normalised
            if hidden.get(owner):
                text = " ".join("_" if i in hidden[owner] else word for i, word in enumerate(raw))
            if pattern.search(text):
                found.add(owner)
        return found

    def lookalikes_in(self, normalised: str) -> frozenset[Condition]:
        """The conditions whose lookalikes (`not_when`: "expecting rain", "my heart is set on it") a normalised
        message holds."""
        found_words = self._read_words(normalised.split())
        words = [word.resolved for word in found_words]
        owners = {owner for owner, _, _ in self._lookalike_spans(words, found_words)}
        return frozenset(condition for condition in Condition if condition.value in owners)

    def _lookalike_spans(self, words: list[str], found_words: list[_Word]) -> Iterator[tuple[str, int, int]]:
        """Each lookalike the message holds: its owner, first word and length. A lookalike is read with the typos and
        disguises a term is: "my dad's heartt is set on it" is none. `words`: each word as resolved."""
        readings: tuple[list[str], ...] = ()
        for i, word in enumerate(found_words):
            if not word.lookalikes:
                continue  # most words: no lookalike is looked up by any reading of them
            if not readings:
                readings = (words, [found.loose for found in found_words], [found.plain for found in found_words])
            for phrase, owner, offset in word.lookalikes:
                start = i - offset
                if start >= 0 and _lookalike_at(phrase, readings, start):
                    yield owner, start, len(phrase)

    def detect(self, text: str) -> tuple[Condition, ...]:
        """The conditions mentioned in `text`, in a stable order (pregnancy, diabetes, heart)."""
        return self.scan(text)[0]

    def is_red_flag(self, text: str) -> bool:
        return self.scan(text)[1]

    def scan(self, text: str) -> tuple[tuple[Condition, ...], bool]:
        """Conditions and red flag in one pass (what the engine needs for every message)."""
        normalised = normalise(opening(text))
        return self.scan_words(normalised, normalised.split(), text)

    def scan_words(self, normalised: str, words: list[str], text: str = "") -> tuple[tuple[Condition, ...], bool]:
        """`scan` for a message already normalised and split (the engine shares one split between readers).

        `text` is the message as typed, and `normalised` then its `opening` normalised: a longer text is read
        again here in full, and symbols in it may stand for letters ("pregn@nt")."""
        signs = {owner for sign, owner in self._signs if sign in text} if not text.isascii() else set()
        if len(text) > OPENING:  # only its opening was normalised: safety reads it all
            head = opening(text, FULL_READ)
            normalised = normalise(head)
            words = normalised.split()
            found_words = self._read_words(words)
            owners = self._owners_through_disguises(normalised, words, found_words)
            owners |= self._read_tail(text[len(head) :])
            text = head
        else:
            found_words = self._read_words(words)
            owners = self._owners_through_disguises(normalised, words, found_words)
        if text and self._holds_a_lookalike(found_words):  # rare: 2% of real questions
            owners |= self._owners_by_clause(text)
        owners |= signs  # "im 🤰", "我怀孕了": a sign needs no words around it
        read_as_letters = symbols_as_letters(text) if text else None  # rare: "pregn@nt", "d!abetes"
        if read_as_letters is not None:
            normalised = normalise(read_as_letters)
            owners |= self._owners_through_disguises(normalised, normalised.split())
        written_out = self._masks.read(text) if text else None  # rare: "pr*gnant", "HeartCondition", "#heartfailure"
        if written_out is not None:
            normalised = normalise(written_out)
            owners |= self._owners_through_disguises(normalised, normalised.split())
        if not owners:
            return (), False  # most messages
        return tuple(condition for condition, name in _CONDITIONS if name in owners), _RED in owners

    def _holds_a_lookalike(self, found_words: list[_Word]) -> bool:
        """Some lookalike (`not_when`) is in the message: a third of messages hold one of their words, few one whole."""
        if not any(map(_lookalikes_of, found_words)):
            return False
        resolved = [word.resolved for word in found_words]
        return next(self._lookalike_spans(resolved, found_words), None) is not None

    def _owners_by_clause(self, text: str) -> set[str]:
        """The conditions each clause of `text` names alone: a lookalike read across a break ("how long should it
        take? (heart patient fyi)": "take heart") hides no term, nor does one holding only part of a term within a
        clause ("i take heart medication"). Red flags are left to the whole message, whose patterns may need all of
        it ("i think its a stroke, called effleurage" is no stroke)."""
        owners: set[str] = set()
        for clause in _BREAK.split(text):
            normalised = normalise(clause)
            if normalised:
                owners |= self._owners_through_disguises(normalised, normalised.split(), overlapping=True)
        owners.discard(_RED)
        return owners

    def _owners_through_disguises(
        self, normalised: str, words: list[str], found_words: list[_Word] | None = None, *, overlapping: bool = False
    ) -> set[str]:
        """`_owners`, and the owners of the message read again with its disguised words unmasked, if any.
        `found_words`: the findings of `words`, when the caller has them."""
        found_words = found_words if found_words is not None else self._read_words(words)
        owners = self._owners(normalised, words, found_words, overlapping=overlapping)
        unmasked = self._unmasked(normalised, words, found_words)
        if unmasked is not None:
            owners |= self._owners(unmasked, unmasked.split(), overlapping=overlapping)
        return owners

    def _unmasked(self, normalised: str, words: list[str], found_words: list[_Word]) -> str | None:
        """The message with each disguised word read as the term word it stands for, and letters spelled out one
        by one joined where they spell one; None when nothing in it is disguised (most messages)."""
        # A run of three single letters needs three words of one letter: most messages have fewer, and skip the regex.
        spelled = list(map(len, words)).count(1) >= 3 and _SPELLED.search(normalised) is not None
        if not spelled and not any(map(_unmasked_of, found_words)):
            return None
        unmasked = " ".join([found.unmasked or word for word, found in zip(words, found_words, strict=True)])
        return _SPELLED.sub(self._join_spelled, unmasked) if spelled else unmasked

    def _join_spelled(self, run: re.Match[str]) -> str:
        """A run of single letters as the term word it spells ("p r e g n a n t"), allowing a stray "a" or "i"
        at either end ("a p r e g n a n t woman"); the run unchanged when it spells none ("h e a r t b u r n")."""
        letters = run.group().split()
        if len(letters) > SPELLED_MAX_LETTERS:
            return run.group()
        starts = [0, *(i + 1 for i in range(min(2, len(letters))) if set(letters[: i + 1]) <= _SPELLED_EDGES)]
        ends = [
            len(letters),
            *(
                len(letters) - i - 1
                for i in range(min(2, len(letters)))
                if set(letters[len(letters) - i - 1 :]) <= _SPELLED_EDGES
            ),
        ]
        for start in starts:
            for end in ends:
                if end - start < 3:
                    continue
                joined = "".join(letters[start:end])
                found = self._word(joined)
                if found.resolved in self._term_words or found.unmasked:
                    return " ".join([*letters[:start], found.unmasked or joined, *letters[end:]])
        for start in starts:
            words = self._spelled_words(letters[start:])
            if words is not None:
                return " ".join([*letters[:start], words])
        return run.group()

    def _spelled_words(self, letters: list[str]) -> str | None:
        """Letters spelling two or more term words with the spaces between them lost too ("h e a r t c o n d i t i o
        n" is "heart condition"): the longest start that is a term word, then the rest read the same way; None
        when they spell no such words ("h e a r t b u r n": "burn" is no term word, and heartburn no condition)."""
        for cut in range(len(letters) - 3, 2, -1):
            first, rest = "".join(letters[:cut]), letters[cut:]
            if first not in self._term_words:  # spelled exactly: no typo is read into letters spelled one by one
                continue
            later = "".join(rest) if "".join(rest) in self._term_words else self._spelled_words(rest)
            if later is not None:
                return f"{first} {later}"
        return None

    def _read_tail(self, tail: str) -> set[str]:
        """The owners found past the first `FULL_READ` characters, cheaply: only around words already known to
        start a finding (every term word is, and every word met before that did), each read with its context,
        at most `TAIL_WINDOWS` places. Typos, disguises and accents are not read through there: Telegram never
        sends that much text, and the CLI's huge pastes must not cost more than a few milliseconds."""
        words = tail.lower().translate(_TAIL_SEPARATORS).split()  # in C: no regex, no per-word Python
        present = set(words)
        telling = self._telling_words.intersection(present) | self._term_spellings.intersection(present)
        if not telling:
            return set()
        # The rarest of them in this text first: "pregnant" once among a thousand "foot"s is read before the cap.
        positions: dict[str, list[int]] = defaultdict(list)
        for i, word in enumerate(words):
            if word in telling:
                positions[word].append(i)
        places = [i for found in sorted(positions.values(), key=len) for i in found]
        owners: set[str] = set()
        read: set[int] = set()
        for i in places:
            if i in read:
                continue
            window = range(max(0, i - TAIL_CONTEXT), min(len(words), i + TAIL_CONTEXT + 1))
            read.update(window)
            text = normalise(" ".join(words[window.start : window.stop]))
            owners |= self._owners(text, text.split())
            if len(read) >= TAIL_WINDOWS * (2 * TAIL_CONTEXT + 1):
                break
        return owners


def _anchor(phrase: Phrase, usual: Counter[str]) -> int:
    """The position of the word to look the phrase up by: the rarest in everyday asks, then the longest, then
    the first ("can not wake him" by "wak", not by "can")."""
    return min(range(len(phrase)), key=lambda position: (usual[phrase[position]], -len(phrase[position]), position))


def _phrase_at(phrase: Phrase, words: list[str], loose: list[str], start: int) -> bool:
    """`phrase` stands at `start`: one word term exactly; longer terms allowing a typo in all but one word."""
    if start + len(phrase) > len(words):
        return False
    if len(phrase) == 1:
        return words[start] == phrase[0]
    exact = 0
    for offset, expected in enumerate(phrase):
        if words[start + offset] == expected:
            exact += 1
        elif loose[start + offset] != expected:
            return False
    return exact > 0


def _lookalike_at(phrase: Phrase, readings: tuple[list[str], ...], start: int) -> bool:
    """`phrase` stands at `start`, each of its words in one of the `readings` of the message's words."""
    if start + len(phrase) > len(readings[0]):
        return False
    for position, expected in enumerate(phrase, start):  # plain loops: generators cost more than the comparisons
        for reading in readings:
            if reading[position] == expected:
                break
        else:
            return False
    return True


def _by_initial(targets: dict[str, str]) -> dict[str, dict[str, str]]:
    grouped: dict[str, dict[str, str]] = defaultdict(dict)
    for typed, stemmed in targets.items():
        grouped[typed[0]][typed] = stemmed
    return dict(grouped)


def _one_of(texts: Iterable[str]) -> re.Pattern[str]:
    """A regex finding any of `texts` (never matching when there are none; see `phrases.one_of`)."""
    return re.compile(one_of(texts) or r"(?!x)x")


def _meets(
    rest: tuple[tuple[frozenset[str], tuple[str, ...]], ...], contained: frozenset[str] | None, text: str
) -> bool:
    """Every requirement after the first (which found the pattern) holds in `text`. A text of letters and digits
    alone is in `text` exactly when a word holds it: `contained`, the words' such texts, says so with a set test;
    only the others (with a space, an apostrophe...) are looked for in `text` (all of them when `contained` is None)."""
    for inside, across in rest:
        if contained is None:
            if not any(map(text.__contains__, inside)) and not any(map(text.__contains__, across)):
                return False
        elif inside.isdisjoint(contained) and not any(map(text.__contains__, across)):
            return False
    return True


def _split_rest(
    required: tuple[Requirement, ...], inside: frozenset[str]
) -> tuple[tuple[frozenset[str], tuple[str, ...]], ...]:
    """Each requirement after the first as (its texts that lie inside one word, the others): see `_meets`."""
    return tuple((strings & inside, tuple(sorted(strings - inside))) for strings in required[1:])


def _rarest_first(patterns: list[_Pattern], typical_texts: list[str]) -> list[_Pattern]:
    """Each pattern's requirements reordered so that the one typical (normalised) texts hold least often comes
    first."""
    corpus = "\n".join(f" {text} " for text in typical_texts)
    if not corpus:
        return patterns
    counts: dict[str, int] = {}

    def frequency(strings: Requirement) -> int:
        return sum(counts.setdefault(text, corpus.count(text)) for text in strings)

    return [
        pattern._replace(required=tuple(sorted(pattern.required, key=frequency)))
        if len(pattern.required) > 1
        else pattern
        for pattern in patterns
    ]
