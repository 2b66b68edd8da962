"""Normalisation: the one definition of "the same words" for phrasings, messages and the miss counter."""

from __future__ import annotations

import sys

from confusable_homoglyphs import confusables
from hypothesis import given
from hypothesis import strategies as st

from bot.core.text import (
    _WORD,
    OPENING,
    _tokens,
    latin_lookalike,
    mostly_other_script,
    normalise,
    opening,
    sentences,
    stem,
    symbols_as_letters,
    unmasked_forms,
)


def test_case_accents_punctuation_and_emoji_go() -> None:
    assert normalise("Wich TOE hëlps Éarache?!? 🦶🦶") == "wich toe helps earache"


def test_contractions_are_spelled_out_with_any_apostrophe() -> None:
    assert (
        normalise("What’s the big toe for? I'm tired, don't know") == "what is the big toe for i am tired do not know"
    )
    assert normalise("it's, can't, we've, they'll") == "it is can not we have they will"


def test_numbers_glued_to_words_are_split() -> None:
    assert normalise("my wife is 10weeks along") == "my wife is 10 weeks along"
    assert normalise("the 2nd toe") == "the 2nd toe"


def test_stem_folds_plurals_and_verb_forms() -> None:
    assert stem("toes") == stem("toe")
    assert stem("feet") == "foot"
    assert stem("teeth") == "tooth"
    assert stem("massaging") == stem("massage") == stem("massages")
    assert stem("relaxed") == stem("relax")
    assert stem("this") == "this"


def test_sentences_split_long_messages() -> None:
    text = "hi! my husband stands all day. which toe is for ears? thanks"
    assert sentences(text) == ["hi!", "my husband stands all day.", "which toe is for ears?", "thanks"]


@given(st.text())
def test_normalise_is_idempotent_and_plain(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert all(ch.isalnum() or ch == " " for ch in once)


def test_accented_latin_letters_fold_to_plain_ones_and_other_scripts_keep_their_words() -> None:
    assert normalise("Çà et là, über naïve FAÇADE, señora") == "ca et la uber naive facade senora"
    assert normalise("Я беременна, можно?") == "я беременна можно"


def test_letters_without_an_accent_to_drop_are_written_plain_and_elided_articles_go() -> None:
    """ "cœur", Turkish dotless "ı", Polish "ł", Vietnamese "đ" as people type them without the key; French
    "l'infarctus" reads as "infarctus" (English contractions keep their own rules)."""
    assert normalise("problème de cœur, şeker hastası") == "probleme de coeur seker hastasi"
    assert normalise("miałem zawał, tiểu đường") == "mialem zawal tieu duong"
    assert normalise("j'ai eu l'infarctus") == "ai eu infarctus"
    assert normalise("I'd say it's o'clock") == "i would say it is oclock"


EMOJI = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)


@given(st.text(alphabet=st.one_of(EMOJI, st.characters(categories=["P", "Zs", "Cc"]))))
def test_symbols_and_punctuation_alone_normalise_to_nothing(text: str) -> None:
    assert normalise(text) == ""


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=20))
def test_stem_never_returns_empty_and_its_cache_agrees(word: str) -> None:
    from bot.core.text import _stem

    assert stem(word)
    assert stem(word) == _stem(word)  # the cached path (short words) reads a word as the uncached one does


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=200))
def test_the_plain_ascii_shortcut_finds_the_same_words_as_the_regex(text: str) -> None:
    folded = text.lower()
    assert _tokens(folded) == _WORD.findall(folded)


FORMAT_CHARACTERS = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2066\u2069\ufeff"


@given(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC ',.?éü", max_size=60),
    st.lists(st.tuples(st.integers(0, 60), st.sampled_from(FORMAT_CHARACTERS)), max_size=6),
)
def test_invisible_format_characters_change_nothing(text: str, inserted: list[tuple[int, str]]) -> None:
    disguised = list(text)
    for position, char in inserted:
        disguised.insert(min(position, len(disguised)), char)
    assert normalise("".join(disguised)) == normalise(text)


def test_disguised_words_have_their_plain_forms() -> None:
    assert unmasked_forms("\u0440regnant") == ["pregnant"]  # Cyrillic er
    assert unmasked_forms("pr3gn4nt") == ["pregnant"]
    assert unmasked_forms("diabetessss") == ["diabetess", "diabetes"]
    assert unmasked_forms("heaart") == ["heart"]
    assert unmasked_forms("pregnant") == []
    assert latin_lookalike("\u0501") == "d"  # Cyrillic komi de
    assert latin_lookalike("я") == "я"  # looks like no Latin letter
    assert symbols_as_letters("pregn@nt, hi!") == "pregnant, hi!"
    assert symbols_as_letters("mail me at home") is None


def _lookalike_by_the_package(char: str) -> str:
    """`latin_lookalike` as it was, asking the confusables package's public function for each case form."""
    for form in (char, char.lower(), char.upper()):
        found = confusables.is_confusable(form, preferred_aliases=[])
        if found:
            glyphs = [glyph["c"] for glyph in found[0]["homoglyphs"] if len(glyph["c"]) == 1 and glyph["c"].isascii()]
            letters = [letter.lower() for letter in glyphs if letter.isalpha()]
            if letters:
                return letters[0]
    return char


def test_the_small_lookalike_table_reads_every_character_as_the_package_does() -> None:
    """Our table, derived from the package's data file, answers as the package's own function for every code
    point that the data could concern (one of its case forms holds a character the data knows); the others
    look like nothing to both."""
    known = {char for char in confusables.confusables_data if len(char) == 1}
    concerned = [
        char
        for char in map(chr, range(sys.maxunicode + 1))
        if char in known or not known.isdisjoint(char.lower()) or not known.isdisjoint(char.upper())
    ]
    assert len(concerned) > 7000
    assert [latin_lookalike(char) for char in concerned] == [_lookalike_by_the_package(char) for char in concerned]


def test_a_long_text_is_cut_at_a_space_for_its_opening() -> None:
    long = "word " * 1000
    assert opening("short text") == "short text"
    assert len(opening(long)) <= OPENING
    assert opening(long).endswith("word")


def test_mostly_other_script_tells_other_languages_from_english() -> None:
    assert mostly_other_script(normalise("Я беременна, можно?"))
    assert mostly_other_script(normalise("אני בהריון"))
    assert not mostly_other_script(normalise("I'm \u0440regnant, which toe helps?"))
    assert not mostly_other_script(normalise("ＷＨＩＣＨ ＴＯＥ"))
    assert not mostly_other_script("which toe helps")


def test_small_capitals_read_as_their_letters() -> None:
    # NFKD leaves them as they are: "ᴡʜɪᴄʜ ᴛᴏᴇ" got "I can only answer in English" and the fallback.
    assert normalise("ᴡʜɪᴄʜ ᴛᴏᴇ ʜᴇʟᴘs ᴇᴀʀᴀᴄʜᴇ?") == "which toe helps earache"
    assert normalise("ᴘʀᴇɢɴᴀɴᴛ") == "pregnant"
