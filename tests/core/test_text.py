"""Normalisation: the one definition of "the same words" for phrasings, messages and the miss counter."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.core.text import _WORD, _tokens, normalise, sentences, stem


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


EMOJI = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)


@given(st.text(alphabet=st.one_of(EMOJI, st.characters(categories=["P", "Zs", "Cc"]))))
def test_symbols_and_punctuation_alone_normalise_to_nothing(text: str) -> None:
    assert normalise(text) == ""


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=20))
def test_stem_never_returns_empty_and_is_stable(word: str) -> None:
    assert stem(word)
    assert stem(word) == stem(word)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=200))
def test_the_plain_ascii_shortcut_finds_the_same_words_as_the_regex(text: str) -> None:
    folded = text.lower()
    assert _tokens(folded) == _WORD.findall(folded)
