"""Disguised condition words keep their caveat; disguised lookalikes stay clean.

The disguises are generated: invisible format characters, letters spaced, dotted or dashed apart, stretched
letters, lookalike letters of other scripts (any letter, from the Unicode confusables data), full-width letters,
mixed case and leetspeak, alone or together, inside ordinary questions.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

import pytest
from confusable_homoglyphs import confusables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.engine import Engine
from bot.core.knowledge import Condition

P, D, H = Condition.PREGNANCY, Condition.DIABETES, Condition.HEART

FORMAT_CHARACTERS = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u202a\u202c\u2066\u2069"
SEPARATORS = [" ", ".", "-", ". ", " - ", "_", "*", "\u00ad "]
LEET = {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "5$", "t": "7", "g": "9", "b": "8"}


def _looks_like(char: str) -> set[str]:
    """The Latin letters (lower-cased) the confusables data says `char` looks like."""
    entries = confusables.confusables_data.get(char, ())
    return {glyph["c"].lower() for glyph in entries if len(glyph["c"]) == 1 and glyph["c"].isascii()}


def _lookalikes() -> dict[str, list[str]]:
    """Each Latin small letter's lookalikes in other scripts (or styles), read from the confusables data.

    Left out: the few that Unicode case folding turns into a letter that no longer looks like it (the Greek
    lunate sigma "ϲ" looks like "c" but folds to "σ"): no reader of case-folded text can tell them apart."""
    found: dict[str, list[str]] = defaultdict(list)
    for char, entries in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii() or not unicodedata.category(char).startswith("L"):
            continue
        folded = unicodedata.normalize("NFKD", char).casefold()
        for glyph in entries:
            letter = glyph["c"]
            if len(letter) == 1 and letter.isascii() and letter.islower():
                kept = folded == letter or any(
                    letter in _looks_like(form) for form in (folded, folded.lower(), folded.upper())
                )
                if kept:
                    found[letter].append(char)
    return dict(found)


LOOKALIKES = _lookalikes()

# The three conditions' main words, each in a question people ask.
MENTIONS: list[tuple[Condition, str, str]] = [
    (P, "pregnant", "is a foot massage ok if i'm {} ?"),
    (P, "pregnant", "my wife is {} , can i rub her feet tonight"),
    (P, "pregnancy", "{} and reflexology, is that safe?"),
    (P, "pregnant", "can a {} woman have a foot rub"),
    (D, "diabetes", "my dad has {} , which toe helps with sleep?"),
    (D, "diabetic", "I'm {} , can I still get reflexology?"),
    (D, "diabetes", "{} - should i be careful with foot massage"),
    (H, "heart", "my mum has a {} condition, is a foot rub ok?"),
    (H, "heart", "my husband has {} disease. can i massage his feet?"),
    (H, "heart", "I had a {} attack last year, is reflexology safe"),
]


@st.composite
def disguised(draw: st.DrawFn, word: str) -> str:
    """`word` under any mix of disguises."""
    spaced = draw(st.booleans())
    letters = list(word)
    if draw(st.booleans()):  # mixed case
        letters = [letter.upper() if draw(st.booleans()) else letter for letter in letters]
    if draw(st.booleans()):  # leetspeak: digits, and symbols too unless letters are spaced apart
        for i, letter in enumerate(letters):
            options = LEET.get(letter.lower(), "")
            options = "".join(option for option in options if option.isdigit()) if spaced else options
            if options and draw(st.booleans()):
                letters[i] = draw(st.sampled_from(options))
    if draw(st.booleans()):  # lookalike letters of other scripts, for any letters
        for i, letter in enumerate(letters):
            if letter.isascii() and letter.isalpha() and LOOKALIKES.get(letter.lower()) and draw(st.booleans()):
                letters[i] = draw(st.sampled_from(LOOKALIKES[letter.lower()]))
    if draw(st.booleans()):  # full-width
        letters = [chr(ord(c) - 0x21 + 0xFF01) if "!" <= c <= "~" and draw(st.booleans()) else c for c in letters]
    if draw(st.booleans()):  # stretched letters
        letters = [
            stretched
            for c in letters
            for stretched in [c] * (draw(st.integers(2, 6)) if c.isalpha() and draw(st.integers(0, 3)) == 0 else 1)
        ]
    text = (draw(st.sampled_from(SEPARATORS)) if spaced else "").join(letters)
    if draw(st.booleans()):  # invisible characters anywhere inside
        chars = list(text)
        for _ in range(draw(st.integers(1, 4))):
            chars.insert(draw(st.integers(1, max(1, len(chars) - 1))), draw(st.sampled_from(FORMAT_CHARACTERS)))
        text = "".join(chars)
    return text


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), mention=st.sampled_from(MENTIONS))
def test_every_disguised_condition_word_keeps_its_caveat(
    engine: Engine, data: st.DataObject, mention: tuple[Condition, str, str]
) -> None:
    condition, word, template = mention
    text = template.format(data.draw(disguised(word)))
    assert condition in engine.safety.detect(text), text
    reply = engine.reply(text)
    assert condition.value in reply.conditions or reply.kind.value == "red_flag", text


LOOKALIKE_QUESTIONS = [
    ("does a foot rub help {}", "heartburn"),
    ("my {} wants a foot rub", "sweetheart"),
    ("i {} it helps sleep", "heard"),
    ("my dad's {} is set on a foot rub every night", "heart"),
    ("where is the {} point on the foot", "heart"),
    ("what does the baby toe do, is it {}", "important"),
    ("{} me a foot rub please", "give"),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), question=st.sampled_from(LOOKALIKE_QUESTIONS))
def test_disguised_lookalikes_bring_no_caveat(engine: Engine, data: st.DataObject, question: tuple[str, str]) -> None:
    template, word = question
    text = template.format(data.draw(disguised(word)))
    assert engine.safety.detect(text) == (), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pre\u00adgnant, can i have a foot rub", {P}),
        ("p r e g n a n t", {P}),
        ("p.r.e.g.n.a.n.t and tired feet", {P}),
        ("\u0440regnant", {P}),  # Cyrillic er
        ("my dad has \u0501iabetes", {D}),  # Cyrillic komi de
        ("diabetessss", {D}),
        ("d-i-a-b-e-t-e-s", {D}),
        ("preggggnant", {P}),
        ("heaaart problems", {H}),
        ("pregn@nt", {P}),
        ("pr3gn4nt", {P}),
        ("ＰＲＥＧＮＡＮＴ", {P}),
        ("h\u200be\u200ba\u200br\u200bt condition", {H}),
        ("c h e s t pain right now", {H}),  # as "chest pain right now" is (and a red flag too)
        ("h-e-a-r-t c-o-n-d-i-t-i-o-n", {H}),  # two words spelled out, the space between them lost too
        ("i have a h e a r t c o n d i t i o n", {H}),
        ("\u1d18\u0280\u1d07\u0262\u0274\u1d00\u0274\u1d1b", {P}),  # small capitals, which the confusables data lacks
        ("\u029c\u1d07\u1d00\u0280\u1d1b \u1d04\u1d0f\u0274\u1d05\u026a\u1d1b\u026a\u1d0f\u0274", {H}),
        ("s/p MI 2 years ago, ok to massage?", {H}),  # status post myocardial infarction, as notes write it
    ],
)
def test_examples_from_the_issue(engine: Engine, text: str, expected: set[Condition]) -> None:
    assert set(engine.safety.detect(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "h e a r t b u r n after dinner, does a foot rub help",
        "h e a r t b u r n s",  # "burns" is no term word: no "heart" split off
        "f o o t m a s s a g e c h a r t",  # a typo reading of spelled letters split "heart" off
        "h e a r t b r e a k i n g",
        "my h e a r t is set on a foot rub",
        "a b c d e f g, which toe is for the ears",
        "I am feeling goooood, what is reflexology",
        "sooo tired, my feeeet hurt",
        "meet me at the tree at 3, then a foot rub",
        "Я хочу массаж стоп",
    ],
)
def test_ordinary_and_lookalike_messages_stay_clean(engine: Engine, text: str) -> None:
    assert engine.safety.detect(text) == ()


def test_spelled_out_words_raise_red_flags_too(engine: Engine) -> None:
    assert engine.safety.is_red_flag("c h e s t pain right now")
    assert not engine.safety.is_red_flag("which toe helps with s l e e p")


MASKED_WORDS = [(P, "pregnant"), (P, "pregnancy"), (D, "diabetes"), (D, "diabetic"), (D, "insulin"), (H, "angina")]


@settings(max_examples=300, deadline=None)
@given(data=st.data(), mention=st.sampled_from(MASKED_WORDS), mask=st.sampled_from(["*", "**", "•", "_", "#"]))
def test_a_word_with_letters_hidden_keeps_its_caveat(
    engine: Engine, data: st.DataObject, mention: tuple[Condition, str], mask: str
) -> None:
    """Letters hidden behind symbols ("pr*gn*nt", "ins**ulin" as markdown bolds it), one or two of them, anywhere
    but the first and last letter."""
    condition, word = mention
    hidden = sorted(data.draw(st.sets(st.integers(1, len(word) - 2), min_size=1, max_size=2)))
    letters = list(word)
    for at in hidden:
        letters[at] = mask if data.draw(st.booleans()) else letters[at] + mask  # a letter hidden, or a mark added
    text = f"i'm {''.join(letters)}, is a foot massage ok?"
    assert condition in engine.safety.detect(text), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("pr*gn*nt, foot rub?", {P}),
        ("h*art condition, which points to avoid", {H}),
        ("dia-betic here, which points for sleep", {D}),
        ("dad is on ins**ulin**, which points are safe", {D}),
        ("HeartCondition here, which toes to avoid", {H}),
        ("ImPregnant, is foot massage safe?", {P}),
        ("#heartfailure #swollenankles can i massage", {H}),
        ("#babyontheway is the ankle point ok", {P}),
        ("#stentlife can i get a foot massage", {H}),
        # emoji that stand for words (safety.yaml's emoji_words)
        ("my 🫀 is weak, can i still get a foot rub", {H}),
        ("🫀 surgery last year, foot massage ok?", {H}),
        ("my ❤️ is weak", {H}),
        ("my 🍬🩸 is high, massage ok?", {D}),
        ("i take 💉 for my 🍬", {D}),
        ("👶 on board! can i still have a foot massage", {P}),
        # a lookalike never spans a clause's end: "take? (heart" is no "take heart"
        ("how long should a foot massage take? (heart patient fyi)", {H}),
        ("my wife is pregnant, pause between steps or keep going?", {P}),  # no "pregnant pause"
        ("He has a pacemaker. For the routine, how long per foot?", {H}),  # no "pacemaker for the"
    ],
)
def test_hidden_letters_glued_words_and_emoji_are_read_through(
    engine: Engine, text: str, expected: set[Condition]
) -> None:
    assert set(engine.safety.detect(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "sh*t my feet hurt, which toe for sleep",
        # too little shows to tell (a review read them as "iddm", "hart", "lvad", "foetus", "charcot")
        "I_m so tired, foot massage tonight?",
        "it's so h*t today, is a foot massage nice?",
        "my l*ad is heavy today, massage?",
        "like fo*us on them",
        "char*t the massage",
        "what does the baby toe do, is it i\u00ad_m_p_o_r_t_a_n_t",
        "check-in is at 10, then a foot rub",
        "my iPhone died, which toe for earache",
        "#blessed #footmassage",
        "heart spot which foot 🫀",  # the emoji beside the word, naming no condition
        "i ❤️ foot massages",
        "❤️ thank you so much",
        "got my 💉 for covid today",
        "take heart, it gets easier",
        "my dad had bypass surgery for his legs",  # a leg's bypass (joined from "by-pass" too) is no heart's
        "he had a vascular by-pass",
    ],
)
def test_symbols_glued_words_and_emoji_that_name_nothing_stay_clean(engine: Engine, text: str) -> None:
    assert engine.safety.detect(text) == ()


def test_a_lookalike_still_hides_the_terms_it_holds_whole(engine: Engine) -> None:
    for text in ("take heart, it gets easier", "i'm not pregnant", "no heart problems here", "in labour relations"):
        assert engine.safety.detect(text) == (), text


@pytest.mark.parametrize(
    "text", ["i take heart medication", "does it take heart failure into account", "we take heart disease seriously"]
)
def test_a_lookalike_holding_only_part_of_a_term_hides_nothing(engine: Engine, text: str) -> None:
    """ "take heart" held the "heart" of "heart medication", and the caveat was lost (a probe found it)."""
    assert engine.safety.detect(text) == (Condition.HEART,)


@pytest.mark.parametrize("text", ["so take heart everyone", "im not diabetic, foot massage ok?"])
def test_a_term_across_a_lookalike_and_a_break_is_still_no_term(engine: Engine, text: str) -> None:
    """A review found "not diabetic, foot" read as "diabetic foot" when a lookalike hid only terms it held whole."""
    assert engine.safety.detect(text) == ()


@pytest.mark.parametrize(
    ("text", "red_flag"),
    [("he's having a h*rt attack", True), ("having a h**rt attack now", True), ("i have h*rt failure", False)],
)
def test_a_word_of_a_several_word_term_is_guessed_from_fewer_letters(engine: Engine, text: str, red_flag: bool) -> None:
    """From the second review: "h*rt attack" lost its emergency when a guess needed four letters showing; a word of
    a several-word term is guessed from three, as the rest of the phrase must be there too."""
    conditions, emergency = engine.safety.scan(text)
    assert H in conditions and emergency is red_flag
