"""The loader turns YAML into typed objects and names file, line, entry and field for every problem."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.core.knowledge import Condition, EntryKind
from bot.core.loader import KnowledgeError, check_knowledge, load_knowledge
from tests.core.conftest import MINIMAL, write_knowledge


def test_minimal_knowledge_loads_into_typed_objects(minimal_dir: Path) -> None:
    kb = load_knowledge(minimal_dir)
    entry = kb.entry("little_toe")
    assert entry.kind is EntryKind.ANSWER
    assert entry.phrasings == ("little toe", "which toe is for earache")
    assert kb.caveat_for(Condition.HEART).not_when == ("heart point",)
    assert kb.source.author == "Someone"
    assert [step.title for step in kb.routine.steps] == ["Toes"]


def _problems(tmp_path: Path, **overrides: str) -> list[str]:
    folder = write_knowledge(tmp_path / "kb", {**MINIMAL, **overrides})
    return [str(problem) for problem in check_knowledge(folder)]


def test_missing_answer_names_file_entry_and_field(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        **{
            "entries.yaml": """
            entries:
              - id: little_toe
                title: The little toe
                section: The toes
                phrasings: [little toe]
        """
        },
    )
    assert problems == ["entries.yaml:3: entry 'little_toe' field 'answer': missing"]


def test_duplicate_id_across_files_is_reported(tmp_path: Path) -> None:
    extra = """
        entries:
          - id: little_toe
            title: Again
            section: The toes
            phrasings: [pinky]
            answer: Twice.
    """
    problems = _problems(tmp_path, **{"more.yaml": extra})
    assert any(p == "more.yaml:3: entry 'little_toe' field 'id': duplicate id (also in entries.yaml)" for p in problems)


def test_empty_phrasings_and_unknown_reference(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        **{
            "entries.yaml": """
            entries:
              - id: little_toe
                title: The little toe
                section: The toes
                phrasings: []
                related: [no_such_entry]
                answer: Earache.
        """
        },
    )
    assert "entries.yaml:3: entry 'little_toe' field 'phrasings': is empty" in problems
    assert "entries.yaml:7: entry 'little_toe' field 'related': unknown entry id 'no_such_entry'" in problems


def test_yaml_syntax_error_gives_its_line(tmp_path: Path) -> None:
    problems = _problems(tmp_path, **{"broken.yaml": "entries:\n  - id: x\n    phrasings: [a, b\n    answer: c\n"})
    assert any(p.startswith("broken.yaml:") and "YAML syntax error" in p for p in problems)
    line = next(p for p in problems if p.startswith("broken.yaml:")).split(":")[1]
    assert line.isdigit() and int(line) >= 3


def test_unknown_fallback_topic_and_bad_regex_and_missing_condition(tmp_path: Path) -> None:
    meta = MINIMAL["meta.yaml"].replace("fallback_topics: [little_toe]", "fallback_topics: [nope]")
    safety = MINIMAL["safety.yaml"].replace("terms: [chest pain]", "terms: [chest pain]\n          patterns: ['(']")
    safety = safety.replace(
        "          - id: diabetes\n            caveat: Diabetes? Take care.\n            terms: [diabetes]\n", ""
    )
    problems = _problems(tmp_path, **{"meta.yaml": meta, "safety.yaml": safety})
    assert any("fallback_topics" in p and "unknown entry id 'nope'" in p for p in problems)
    assert any("bad regular expression" in p for p in problems)
    assert any("entry 'diabetes'" in p and "every condition needs a caveat" in p for p in problems)


def test_a_safety_pattern_without_text_to_look_up_is_a_problem(tmp_path: Path) -> None:
    """A pattern that holds no two-letter text every match needs would run on every message: kb check says so, and
    names the one that does."""
    patterns = "patterns: ['\\b\\d+w\\d+d\\b', '\\b(bs|bg)\\s+\\d+', '\\bbs\\s+\\d+']"
    safety = MINIMAL["safety.yaml"].replace("terms: [chest pain]", "terms: [chest pain]\n          " + patterns)
    problems = [p for p in _problems(tmp_path, **{"safety.yaml": safety}) if "run on every message" in p]
    assert len(problems) == 2
    assert any("d+w" in p for p in problems) and any("(bs|bg)" in p for p in problems)


def test_a_safety_pattern_no_message_can_match_is_a_problem(tmp_path: Path) -> None:
    """Patterns read messages as normalised (lower case, no accents or punctuation): one that needs a capital or an
    apostrophe would silently never fire, and its caveat never come."""
    patterns = "patterns: ['\\bCHEST PAIN\\b', '\\bcan''t\\s+breathe', '(?i)\\bCHOKING\\b', '\\bhigh\\s+bp\\b']"
    safety = MINIMAL["safety.yaml"].replace("terms: [chest pain]", "terms: [chest pain]\n          " + patterns)
    problems = [p for p in _problems(tmp_path, **{"safety.yaml": safety}) if "can never match" in p]
    assert len(problems) == 2
    assert "every match holds 'CHEST PAIN'" in problems[0] and 'every match holds "can\'t"' in problems[1]


def test_a_pattern_in_double_quotes_with_a_backspace_is_named(tmp_path: Path) -> None:
    """In YAML's double quotes "\\b" is a backspace, not a word boundary: the pattern can never match."""
    safety = MINIMAL["safety.yaml"].replace(
        "terms: [chest pain]", 'terms: [chest pain]\n          patterns: ["\\bchoking\\b"]'
    )
    problems = [p for p in _problems(tmp_path, **{"safety.yaml": safety}) if "can never match" in p]
    assert len(problems) == 1 and "in double quotes \\b is a backspace" in problems[0]


def test_a_sign_that_is_plain_text_is_a_problem(tmp_path: Path) -> None:
    """Signs are found anywhere in a message, so plain text there ("preg" inside "pregame") would be a false
    alarm: kb check sends words to terms, and keeps emoji and unspaced scripts."""
    signs = 'terms: [diabetes]\n            signs: ["糖尿病", sugar]'
    safety = MINIMAL["safety.yaml"].replace("terms: [diabetes]", signs)
    problems = _problems(tmp_path, **{"safety.yaml": safety})
    assert [p for p in problems if "signs" in p] == [next(p for p in problems if "'sugar' is plain text" in p)]


def test_safety_questions_name_a_known_entry_and_some_words(tmp_path: Path) -> None:
    safety = MINIMAL["safety.yaml"].rstrip(" ") + "        safety_questions: {several: nowhere, words: []}\n"
    problems = _problems(tmp_path, **{"safety.yaml": safety})
    assert any("safety_questions.several" in p and "unknown entry id 'nowhere'" in p for p in problems)
    assert any("safety_questions.words" in p and "is empty" in p for p in problems)


def test_caution_follows_names_known_entries(tmp_path: Path) -> None:
    asked = "        safety_questions: {words: [safe], caution_follows: [perks]}\n"
    safety = MINIMAL["safety.yaml"].rstrip(" ") + asked
    problems = [str(p) for p in check_knowledge(write_knowledge(tmp_path / "kb", {**MINIMAL, "safety.yaml": safety}))]
    assert any("safety_questions.caution_follows" in p and "unknown entry id 'perks'" in p for p in problems)


def test_a_misspelt_field_of_a_safety_section_is_named(tmp_path: Path) -> None:
    """A misspelt field in conditions, red flags, the routine or safety_questions would be ignored silently (a list of
    caveat-only phrases lost): kb check names each one."""
    safety = (
        MINIMAL["safety.yaml"]
        .replace("terms: [diabetes]", "terms: [diabetes]\n            not_wen: [sugar scrub]")
        .replace("terms: [chest pain]", "terms: [chest pain]\n          pattern: [chest]")
        .replace("outro: Good night.", "outro: Good night.\n          outtro: Sleep well.")
        .rstrip(" ")
        + "        safety_questions: {words: [safe], caveat_onyl: [warfarin]}\n"
    )
    problems = _problems(tmp_path, **{"safety.yaml": safety})
    for field in ("conditions.not_wen", "red_flags.pattern", "routine.outtro", "safety_questions.caveat_onyl"):
        assert any(f"field '{field}': unknown field" in p for p in problems), field
    assert any(p.startswith("safety.yaml:") and "entry 'diabetes'" in p and "not_wen" in p for p in problems)


def test_unknown_kind_and_unknown_field(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path,
        **{
            "entries.yaml": """
            entries:
              - id: little_toe
                kind: guess
                title: The little toe
                section: The toes
                phrasings: [little toe]
                answr: typo
                answer: Earache.
        """
        },
    )
    assert any("field 'kind': unknown kind 'guess'" in p for p in problems)
    assert any("field 'answr': unknown field" in p for p in problems)


def test_load_raises_with_every_problem(tmp_path: Path) -> None:
    folder = write_knowledge(tmp_path / "kb", {"only.yaml": "entries: []\n"})
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(folder)
    fields = {problem.field for problem in raised.value.problems}
    assert {"source", "messages", "conditions", "routine"} <= fields


def test_empty_folder_is_a_problem(tmp_path: Path) -> None:
    assert [p.message for p in check_knowledge(tmp_path)] == ["no *.yaml files found"]


def test_the_shipped_knowledge_base_is_clean() -> None:
    from bot.config import DEFAULT_KNOWLEDGE_DIR

    assert [str(p) for p in check_knowledge(DEFAULT_KNOWLEDGE_DIR)] == []


@pytest.mark.parametrize("value", ["0", "101", "high", "true"])
def test_sure_from_is_a_score(tmp_path: Path, value: str) -> None:
    entries = MINIMAL["entries.yaml"].replace("section: The toes", f"section: The toes\n            sure_from: {value}")
    folder = write_knowledge(tmp_path / "kb", {**MINIMAL, "entries.yaml": entries})
    assert [str(p) for p in check_knowledge(folder)] == [
        "entries.yaml:3: entry 'little_toe' field 'sure_from': must be a score above 0, at most 100"
    ]


def test_sure_from_is_read(tmp_path: Path) -> None:
    entries = MINIMAL["entries.yaml"].replace("section: The toes", "section: The toes\n            sure_from: 34")
    kb = load_knowledge(write_knowledge(tmp_path / "kb", {**MINIMAL, "entries.yaml": entries}))
    assert kb.entry("little_toe").sure_from == 34.0


def test_everyday_words_are_read_and_optional(tmp_path: Path, minimal_dir: Path) -> None:
    assert load_knowledge(minimal_dir).everyday_words == frozenset()  # the key may be left out
    folder = write_knowledge(tmp_path / "kb", {**MINIMAL, "words.yaml": "everyday_words: [Students, choosing]\n"})
    assert load_knowledge(folder).everyday_words == {"students", "choosing"}


def test_everyday_words_must_be_single_words_and_no_term(tmp_path: Path) -> None:
    words = "everyday_words: [students, chest pain, heart]\n"
    folder = write_knowledge(tmp_path / "kb", {**MINIMAL, "words.yaml": words})
    assert [str(p) for p in check_knowledge(folder)] == [
        "words.yaml:1: field 'everyday_words': 'chest pain' must be one word",
        "words.yaml:1: field 'everyday_words': 'heart' is a term of heart: it must stay one",
    ]


def test_emoji_words_are_read_and_optional(tmp_path: Path, minimal_dir: Path) -> None:
    assert load_knowledge(minimal_dir).emoji_words == {}  # the key may be left out
    folder = write_knowledge(
        tmp_path / "kb", {**MINIMAL, "words.yaml": 'emoji_words: {"🫀": Heart, "🍬🩸": blood sugar}\n'}
    )
    assert load_knowledge(folder).emoji_words == {"🫀": "heart", "🍬🩸": "blood sugar"}


def test_emoji_words_must_be_emoji_standing_for_words(tmp_path: Path) -> None:
    words = 'emoji_words: {"🫀": heart, heart: "🫀", "💉": "", "👶": [baby]}\n'
    folder = write_knowledge(tmp_path / "kb", {**MINIMAL, "words.yaml": words})
    assert [str(p) for p in check_knowledge(folder)] == [
        "words.yaml:1: field 'emoji_words.heart': must be emoji or symbols, with no letters",
        "words.yaml:1: field 'emoji_words.💉': must stand for words",
        "words.yaml:1: field 'emoji_words.👶': must stand for words",
    ]


def test_a_phrasing_in_two_entries_is_a_problem(tmp_path: Path) -> None:
    """The model learns such a phrasing for both entries, and neither wins (the shipped knowledge had one)."""
    entries = (
        MINIMAL["entries.yaml"]
        + """
          - id: big_toe
            title: The big toe
            section: The toes
            phrasings: [big toe, "Which toe is for earache?"]
            answer: The guide links the big toe to the lungs.
    """
    )
    folder = write_knowledge(tmp_path / "kb", {**MINIMAL, "entries.yaml": entries})
    assert [str(p) for p in check_knowledge(folder)] == [
        "entries.yaml:9: entry 'big_toe' field 'phrasings': 'which toe is for earache' is a phrasing of 'little_toe' "
        "too: keep it in the entry that answers it"
    ]


def test_a_placeholder_in_an_answer_is_a_problem(tmp_path: Path) -> None:
    """Only fixed messages are filled in: people would read "{title}" as typed."""
    entries = MINIMAL["entries.yaml"].replace("to earache.", "to earache. See {title}.")
    folder = write_knowledge(tmp_path / "kb", {**MINIMAL, "entries.yaml": entries})
    assert [str(p) for p in check_knowledge(folder)] == [
        "entries.yaml:3: entry 'little_toe' field 'answer': '{title}' is never filled in an answer: write it out"
    ]


def test_items_are_entry_ids_lists_of_them_or_a_line(tmp_path: Path) -> None:
    entries = MINIMAL["entries.yaml"].replace(
        "section: The toes", "section: The toes\n            items: [little_toe, [little_toe], {says: No more.}]"
    )
    kb = load_knowledge(write_knowledge(tmp_path / "kb", {**MINIMAL, "entries.yaml": entries}))
    items = kb.entry("little_toe").items
    assert [(item.entries, item.says) for item in items] == [
        (("little_toe",), ""),
        (("little_toe",), ""),
        ((), "No more."),
    ]


def test_a_bad_item_is_named_with_its_place(tmp_path: Path) -> None:
    entries = MINIMAL["entries.yaml"].replace(
        "section: The toes",
        "section: The toes\n            items:\n              - big_toe\n              - {says: ''}\n"
        "              - {tell: x}\n              - 3",
    )
    folder = write_knowledge(tmp_path / "kb", {**MINIMAL, "entries.yaml": entries})
    assert [str(p) for p in check_knowledge(folder)] == [
        "entries.yaml:8: entry 'little_toe' field 'items[2].says': must not be empty",
        "entries.yaml:9: entry 'little_toe' field 'items[3]': must be an entry id, [ids] or {says: a line}",
        "entries.yaml:10: entry 'little_toe' field 'items[4]': must be an entry id, [ids] or {says: a line}",
        "entries.yaml:7: entry 'little_toe' field 'items[1]': unknown entry id 'big_toe'",
    ]


def test_places_in_a_list_are_one_word_each_and_from_one(tmp_path: Path) -> None:
    conversation = """
        conversation:
          next_lead: "{title}: {text}"
          routine_end: That was the last step.
          ordinals: {third: 3, last: -1, very last: -1, zeroth: 0}
          cardinals: {"2": 2, minus: -1}
          item_missing: "It has {count}, not {many}."
    """
    folder = write_knowledge(tmp_path / "kb", {**MINIMAL, "conversation.yaml": conversation})
    assert [str(p) for p in check_knowledge(folder)] == [
        "conversation.yaml:5: field 'conversation.ordinals.very last': must be one word",
        "conversation.yaml:5: field 'conversation.ordinals.zeroth': must be a place from 1 (or -1, the last)",
        "conversation.yaml:6: field 'conversation.cardinals.minus': must be a place from 1",
        "conversation.yaml:3: field 'conversation.cardinals': need item_pointers (\"number 2\")",
        "conversation.yaml:3: field 'conversation.item_missing': unknown placeholder {many} (allowed here: {count})",
    ]


# --- a curator's slips that once passed, or buried the real problem (an outside probe of 79 edits) --------------


def test_a_key_given_twice_is_a_problem_naming_both_lines(tmp_path: Path) -> None:
    """YAML keeps the last of two keys silently: a second `terms:` dropped a condition's terms and their caveats."""
    safety = MINIMAL["safety.yaml"].replace("terms: [heart]", "terms: [heart]\n            terms: [pacer]")
    problems = _problems(tmp_path, **{"safety.yaml": safety})
    assert any(
        p.startswith("safety.yaml:") and "'terms' is given twice" in p and "first on line" in p for p in problems
    )


def test_an_unclosed_quote_is_reported_where_it_opens_and_follow_ons_are_summed_up(tmp_path: Path) -> None:
    entries = MINIMAL["entries.yaml"].replace("phrasings: [little toe,", 'phrasings: ["little toe,')
    problems = _problems(tmp_path, **{"entries.yaml": entries})
    assert problems[0].startswith("entries.yaml:6: YAML syntax error")  # the quote's line, not the file's end
    assert all("unknown entry id '" not in p for p in problems)  # little_toe is missing only because of it
    assert "entries.yaml was not read" in problems[-1] and len(problems) == 2


@pytest.mark.parametrize(
    ("item", "line", "says"),
    [
        ("ear pain: which toe", 8, "item 2 'ear pain: which toe' reads as a key and a value: a text holding ': ' must"),
        ("no", 8, "item 2 reads as false, not text (YAML reads yes, no, on, off so): put it in quotes"),
        ("2024-01-01", 8, "item 2 '2024-01-01' reads as a date, not text: put it in quotes"),
        ("", 8, "item 2 is empty (a '-' with nothing after it?)"),
    ],
)
def test_a_phrasing_yaml_reads_as_no_text_is_named_with_its_place(
    tmp_path: Path, item: str, line: int, says: str
) -> None:
    """A phrasing holding ': ', a bare "no" or a date is not text to YAML: kb check says which one, and why."""
    entries = MINIMAL["entries.yaml"].replace(
        "phrasings: [little toe, which toe is for earache]",
        f"phrasings:\n              - little toe\n              - {item}",
    )
    problems = _problems(tmp_path, **{"entries.yaml": entries})
    assert len(problems) == 1 and problems[0].startswith(f"entries.yaml:{line}: entry 'little_toe' field 'phrasings': ")
    assert says in problems[0]


@pytest.mark.parametrize(
    ("answer", "markup"),
    [
        ("The <b>little</b> toe.", "<b>"),
        ("The **little** toe.", "**little**"),
        ("The _little_ toe.", "_little_"),
        ("See [the guide](https://example.org).", "[the guide](https://example.org)"),
        ("Rest &amp; relax.", "&amp;"),
        ("Rest & relax: 2 * 3 toes, little_toe, a <3 and a :-)", None),
    ],
)
def test_markup_in_a_text_is_a_problem_since_the_bot_shows_it_as_typed(
    tmp_path: Path, answer: str, markup: str | None
) -> None:
    """Texts are sent escaped: a tag or Markdown a curator meant as bold or a link would reach people as typed."""
    entries = MINIMAL["entries.yaml"].replace(
        "answer: The guide links the little toe to earache.", f"answer: '{answer}'"
    )
    problems = _problems(tmp_path, **{"entries.yaml": entries})
    expected = f"entries.yaml:7: entry 'little_toe' field 'answer': '{markup}' is markup, but texts are plain: "
    assert [p[: len(expected)] for p in problems] == ([expected] if markup else [])


@pytest.mark.parametrize(
    ("synonyms", "says"),
    [
        ("{pinky: pinky}", "field 'synonyms.pinky': maps 'pinky' to itself: remove it"),
        ("{pinky: little, little: pinky}", "field 'synonyms.pinky': 'pinky' and 'little' map to each other"),
        (
            "{pinky: little, little: small}",
            "field 'synonyms.pinky': 'pinky' becomes 'little', which 'little: small' folds further, but synonyms "
            "apply once, not in a chain: map 'pinky' straight to 'small'",
        ),
        (
            "{experience: training, experienced: qualified}",
            "field 'synonyms.experience': 'experience' and 'experienced' are read as one word ('experienc'), so only "
            "'experienced: qualified' counts: map both to the same word",
        ),
    ],
)
def test_synonyms_that_do_not_fold_as_written_are_a_problem(tmp_path: Path, synonyms: str, says: str) -> None:
    """The matcher folds each word once, by its stem: a chain, a cycle, a word mapped to itself or two spellings of
    one stem mapped apart would silently not do what the curator wrote."""
    meta = MINIMAL["meta.yaml"].replace("synonyms: {pinky: little}", f"synonyms: {synonyms}")
    problems = _problems(tmp_path, **{"meta.yaml": meta})
    assert any(p.startswith("meta.yaml:") and says in p for p in problems), problems


def _with_synonyms(*pairs: str) -> tuple[str, dict[str, int]]:
    """meta.yaml with these synonyms, one a line, and the line of each word."""
    block = "".join(f"\n          {pair}" for pair in pairs)
    meta = MINIMAL["meta.yaml"].replace(" {pinky: little}", block)
    lines = textwrap.dedent(meta).splitlines()
    return meta, {line.split(":")[0].strip(): number for number, line in enumerate(lines, start=1)}


def test_each_synonym_problem_names_the_line_of_its_own_word(tmp_path: Path) -> None:
    """The synonyms run for a hundred lines: a problem must name the word's own line, not the list's first one,
    and the line of the other word when it is about two."""
    meta, at = _with_synonyms(
        "pinky: little", "toe: toe", "smallest: little", "hallux: big", "experience: training", "little: small",
        "experienced: qualified",
    )  # fmt: skip
    assert _problems(tmp_path, **{"meta.yaml": meta}) == [
        f"meta.yaml:{at['toe']}: field 'synonyms.toe': maps 'toe' to itself: remove it",
        f"meta.yaml:{at['experience']}: field 'synonyms.experience': 'experience' and 'experienced' "
        f"(line {at['experienced']}) are read as one word ('experienc'), so only 'experienced: qualified' counts: "
        "map both to the same word",
        f"meta.yaml:{at['pinky']}: field 'synonyms.pinky': 'pinky' becomes 'little', which 'little: small' "
        f"(line {at['little']}) folds further, but synonyms apply once, not in a chain: map 'pinky' straight to "
        "'small'",
        f"meta.yaml:{at['smallest']}: field 'synonyms.smallest': 'smallest' becomes 'little', which 'little: small' "
        f"(line {at['little']}) folds further, but synonyms apply once, not in a chain: map 'smallest' straight to "
        "'small'",
    ]


def test_a_synonym_that_is_no_word_names_its_own_line(tmp_path: Path) -> None:
    meta, at = _with_synonyms("pinky: little", "big toe: hallux")
    assert _problems(tmp_path, **{"meta.yaml": meta}) == [
        f"meta.yaml:{at['big toe']}: field 'synonyms.big toe': must map one word to a word or words"
    ]


def test_synonyms_the_stemmer_already_folds_are_no_chain(tmp_path: Path) -> None:
    meta = MINIMAL["meta.yaml"].replace("synonyms: {pinky: little}", "synonyms: {sleeping: sleep, kip: sleep}")
    assert _problems(tmp_path, **{"meta.yaml": meta}) == []


def test_what_follows_from_one_mistake_is_not_reported_as_more(tmp_path: Path) -> None:
    """A missing section is said once, a missing caveat is not also "caveat_short must be shorter", and entries
    written as a mapping are one problem, not every id they would have defined."""
    meta = MINIMAL["meta.yaml"].replace("        fallback_topics: [little_toe]\n", "")
    safety = MINIMAL["safety.yaml"].replace(
        "caveat: Pregnant? Ask your doctor.", "caveat_short: Pregnant? Doctor first."
    )
    entries = MINIMAL["entries.yaml"].replace("  - id: little_toe", "  little_toe:\n            id: little_toe")
    problems = _problems(tmp_path / "one", **{"meta.yaml": meta, "safety.yaml": safety})
    assert sorted(problems) == [
        f"{tmp_path / 'one' / 'kb'}: field 'fallback_topics': missing: no file defines it",
        "safety.yaml:3: entry 'pregnancy' field 'caveat': missing",
    ]
    problems = _problems(tmp_path / "two", **{"entries.yaml": entries})
    assert "entries.yaml:3: field 'entries': must be a list of entries, each starting '- id: ...'" in problems
    assert all("unknown entry id '" not in p for p in problems)


def test_a_text_longer_than_a_telegram_message_is_a_problem(tmp_path: Path) -> None:
    """Telegram holds 4,096 characters a message: a routine step longer than that is cut, an answer split."""
    safety = MINIMAL["safety.yaml"].replace("text: Start with the toes.", "text: " + "Rub slowly. " * 400)
    problems = _problems(tmp_path, **{"safety.yaml": safety})
    assert problems == [
        "safety.yaml:19: entry 'routine step 1' field 'text': is 4,799 characters: more than one Telegram message "
        "holds (4,096), so it would be cut (a routine step) or split: shorten it"
    ]


def test_a_quote_left_open_and_closed_by_a_later_one_is_reported_where_it_opens(tmp_path: Path) -> None:
    entries = (
        MINIMAL["entries.yaml"]
        .replace("title: The little toe", "title: 'The little toe")
        .replace("answer: The guide links the little toe to earache.", "answer: The guide's little toe helps earache.")
    )
    problems = _problems(tmp_path, **{"entries.yaml": entries})
    assert problems[0] == (
        "entries.yaml:4: YAML syntax error: a quote opened on this line is closed only by the next quote, "
        "on line 7: close it"
    )


@pytest.mark.parametrize(
    ("mistake", "line", "says"),
    [
        ("    title The little toe", 4, "a key on this line without its ':'?"),
        ("\ttitle: The little toe", 4, "indent with spaces, not tabs"),
        ("    title: The little toe\x00", 4, "a control character (#x0000) that YAML does not allow: delete it"),
        ("    title: Toes: the little one", 4, "a text holding ': ' must be quoted"),
        ('    title: "\\bthe little toe\\s"', 4, "put a pattern in single quotes"),
    ],
)
def test_a_syntax_error_names_the_line_of_the_mistake_and_what_to_do(
    tmp_path: Path, mistake: str, line: int, says: str
) -> None:
    entries = textwrap.dedent(MINIMAL["entries.yaml"]).replace("    title: The little toe", mistake)
    folder = write_knowledge(tmp_path / "kb", MINIMAL)
    (folder / "entries.yaml").write_text(entries, encoding="utf-8")
    problems = [str(problem) for problem in check_knowledge(folder)]
    assert problems[0].startswith(f"entries.yaml:{line}: YAML syntax error: ") and says in problems[0]


def test_a_file_not_in_utf8_names_its_line(tmp_path: Path) -> None:
    folder = write_knowledge(tmp_path / "kb", MINIMAL)
    text = (folder / "entries.yaml").read_text(encoding="utf-8").replace("earache", "earaché")
    (folder / "entries.yaml").write_bytes(text.encode("latin-1"))
    problems = [str(problem) for problem in check_knowledge(folder)]
    assert problems[0].startswith("entries.yaml:6: not UTF-8")


@pytest.mark.parametrize("name", ["extra.yml", "topics/more.yaml"])
def test_a_knowledge_file_that_is_not_read_says_so(tmp_path: Path, name: str) -> None:
    folder = write_knowledge(tmp_path / "kb", MINIMAL)
    (folder / name).parent.mkdir(exist_ok=True)
    (folder / name).write_text("entries: []\n", encoding="utf-8")
    assert any(str(problem).startswith(f"{name}: not read") for problem in check_knowledge(folder))


@pytest.mark.parametrize(
    ("file", "old", "new", "said"),
    [
        ("meta.yaml", "{author}", "{autor}", "unknown placeholder {autor}"),  # a traceback in kb check, ask and run
        ("conversation.yaml", None, 'conversation: {next_lead: "Step {step}. {title}: {text}"}', "placeholder {step}"),
    ],
)
def test_a_placeholder_the_bot_cannot_fill_is_a_problem_not_a_crash(
    tmp_path: Path, file: str, old: str | None, new: str, said: str
) -> None:
    text = MINIMAL[file].replace(old, new) if old else new
    assert any(said in problem for problem in _problems(tmp_path, **{file: text}))


@pytest.mark.parametrize("lookalike", ["heart", "my heart"])
def test_a_lookalike_that_would_hide_its_own_term_is_a_problem(tmp_path: Path, lookalike: str) -> None:
    """`not_when: [heart]` hid "my dad has heart problems", and the caveat never came."""
    safety = (
        MINIMAL["safety.yaml"]
        .replace("terms: [heart]", "terms: [heart, my heart]")
        .replace("not_when: [heart point]", f"not_when: [heart point, {lookalike}]")
    )
    problems = _problems(tmp_path, **{"safety.yaml": safety})
    assert any(f"'{lookalike}' would hide the term" in p for p in problems)


def test_a_misspelt_message_key_is_named_not_ignored(tmp_path: Path) -> None:
    """An adapter reads `routine_done_group` and the like when the YAML has them: `routine_done_gruop` was ignored."""
    meta = MINIMAL["meta.yaml"].replace("routine_done: Done.", "routine_done: Done.\n          routine_done_gruop: x")
    problems = _problems(tmp_path, **{"meta.yaml": meta})
    assert any("field 'messages.routine_done_gruop': unknown field" in p for p in problems), problems


def _line(text: str, fragment: str) -> int:
    """The line (from 1) of `text`, as written to its file, that holds `fragment`."""
    return next(number for number, line in enumerate(textwrap.dedent(text).splitlines(), 1) if fragment in line)


def test_an_unknown_id_in_a_list_names_the_line_of_its_item(tmp_path: Path) -> None:
    """An id is checked once every entry is read; the problem must still name the line the id is on, not the
    entry's first line, nor no line at all (a condition's entry, a routine step's topic)."""
    entries = """
        entries:
          - id: little_toe
            title: The little toe
            section: The toes
            phrasings: [little toe, which toe is for earache]
            answer: The guide links the little toe to earache.
            related:
              - little_toe
              - no_such_entry
            follow_ups:
              why: little_toe
              more: nowhere
            items:
              - little_toe
              - [little_toe,
                 lost_item]
            answers_gaps:
              - no such gap
    """
    safety = (
        MINIMAL["safety.yaml"]
        .replace("terms: [pregnant]", "terms: [pregnant]\n            entry: no_caution")
        .replace(
            "steps: [{title: Toes, text: Start with the toes.}]",
            "steps:\n            - title: Toes\n              text: Start with the toes.\n              topics:\n"
            "                - little_toe\n                - unknown_topic\n            - just a line",
        )
    )
    conversation = """
        conversation:
          next_lead: "{title}: {text}"
          routine_end: Done.
          trouble_answer: little_toe
    """
    files = {"entries.yaml": entries, "safety.yaml": safety, "conversation.yaml": conversation}
    problems = _problems(tmp_path, **files)
    assert sorted(problems) == sorted(
        [
            f"safety.yaml:{_line(safety, 'no_caution')}: entry 'pregnancy' field 'entry': unknown entry id "
            "'no_caution'",
            f"safety.yaml:{_line(safety, 'unknown_topic')}: entry 'routine step 1' field 'topics': unknown entry id "
            "'unknown_topic'",
            f"safety.yaml:{_line(safety, 'just a line')}: entry 'routine' field 'steps[2]': must be {{title, text}}",
            f"entries.yaml:{_line(entries, 'no_such_entry')}: entry 'little_toe' field 'related': unknown entry id "
            "'no_such_entry'",
            f"entries.yaml:{_line(entries, 'nowhere')}: entry 'little_toe' field 'follow_ups.more': unknown entry id "
            "'nowhere'",
            f"entries.yaml:{_line(entries, 'lost_item')}: entry 'little_toe' field 'items[2]': unknown entry id "
            "'lost_item'",
            f"entries.yaml:{_line(entries, 'no such gap')}: entry 'little_toe' field 'answers_gaps': 'no such gap' is "
            "no entry's gap",
            f"conversation.yaml:{_line(conversation, 'trouble_answer')}: field 'conversation.trouble_answer': must be "
            "an out_of_scope entry",
        ]
    )


def test_a_credit_without_the_title_names_its_own_line(tmp_path: Path) -> None:
    meta = MINIMAL["meta.yaml"].replace('credit: "From {title} by {author}"', 'credit: "From {name}"')
    line = _line(meta, "credit:")
    assert _problems(tmp_path, **{"meta.yaml": meta}) == [
        f"meta.yaml:{line}: field 'credit': should name the guide with {{title}} (and {{author}})",
        f"meta.yaml:{line}: field 'credit': unknown placeholder {{name}} (allowed here: {{title}}, {{author}})",
    ]


def test_a_bad_item_of_a_list_of_texts_names_its_own_line(tmp_path: Path) -> None:
    """A phrasing YAML reads as true, an empty one, an unknown fallback topic, a misspelt follow-up: each on its own
    line, not on the entry's first line or the list's."""
    entries = MINIMAL["entries.yaml"].replace(
        "phrasings: [little toe, which toe is for earache]",
        "phrasings:\n              - little toe\n              - yes\n            keywords:\n              - toe\n"
        "              - ''\n            follow_ups:\n              why: little_toe\n              whence: little_toe",
    )
    meta = MINIMAL["meta.yaml"].replace(
        "fallback_topics: [little_toe]", "fallback_topics:\n          - little_toe\n          - lost_topic"
    )
    problems = _problems(tmp_path, **{"entries.yaml": entries, "meta.yaml": meta})
    empty = _line(entries, "- ''")
    assert sorted(problems) == sorted(
        [
            f"entries.yaml:{_line(entries, '- yes')}: entry 'little_toe' field 'phrasings': item 2 reads as true, not "
            "text (YAML reads yes, no, on, off so): put it in quotes",
            f"entries.yaml:{empty}: entry 'little_toe' field 'keywords': has an empty item",
            f"entries.yaml:{_line(entries, 'whence')}: entry 'little_toe' field 'follow_ups.whence': unknown (use: "
            "why, more, how)",
            f"meta.yaml:{_line(meta, 'lost_topic')}: field 'fallback_topics': unknown entry id 'lost_topic'",
        ]
    )


def test_a_safety_rule_s_bad_item_names_its_own_line(tmp_path: Path) -> None:
    """Conditions and red flags run for a thousand lines: a bad pattern, sign or lookalike, an everyday word or an
    emoji is named on its own line, not on the condition's first line, nor on no line."""
    safety = (
        MINIMAL["safety.yaml"]
        .replace(
            "terms: [heart]\n            not_when: [heart point]",
            "terms: [heart]\n            patterns:\n              - '\\bangina\\b'\n              - '(bs|bg)'\n"
            "            signs:\n              - 🫀\n              - heart\n            not_when:\n"
            "              - heart point\n              - heart",
        )
        .replace(
            "terms: [chest pain]",
            "terms: [chest pain]\n          patterns:\n            - '\\bcollapsed\\b'\n            - '\\bCOLLAPSE\\b'",
        )
    )
    words = "everyday_words:\n  - students\n  - chest pain\nemoji_words:\n  '🫀': heart\n  'x': heart\n"
    problems = _problems(tmp_path, **{"safety.yaml": safety, "words.yaml": words})
    lines = textwrap.dedent(safety).splitlines()
    signs, not_when = (number for number, line in enumerate(lines, start=1) if line.strip() == "- heart")
    assert sorted(problems) == sorted(
        [
            f"safety.yaml:{_line(safety, '(bs|bg)')}: entry 'heart' field 'patterns': '(bs|bg)' holds no text of two "
            "letters or more that every match must contain, so it would run on every message: spell out a word it "
            "needs (one pattern per alternative if need be)",
            f"safety.yaml:{signs}: entry 'heart' field 'signs': 'heart' is plain text: put words in terms",
            f"safety.yaml:{not_when}: entry 'heart' field 'not_when': 'heart' "
            "would hide the term 'heart' every time it is said: a lookalike must say more than a term (\"my heart is "
            'set on it", not "heart")',
            f"safety.yaml:{_line(safety, 'COLLAPSE')}: entry 'red_flags' field 'patterns': '\\\\bCOLLAPSE\\\\b' can "
            "never match: every match holds 'COLLAPSE', but patterns read messages in lower case, without accents "
            "or punctuation: write it as such a message reads",
            "words.yaml:3: field 'everyday_words': 'chest pain' must be one word",
            "words.yaml:6: field 'emoji_words.x': must be emoji or symbols, with no letters",
        ]
    )


def test_an_action_or_conversation_item_names_its_own_line(tmp_path: Path) -> None:
    actions = """
        actions:
          openings:
            - '^please '
            - '(unclosed'
          requests:
            - do: foot_map
              reply: "Here: {zones}"
              patterns:
                - '\\bfoot map\\b'
                - '(?P<where>map)'
        conversation:
          next_lead: "{title}: {text}"
          routine_end: That was the last step.
          unrelated:
            - little_toe
            - no_such_entry
          why:
            - why
            - '?!'
    """
    problems = _problems(tmp_path, **{"actions.yaml": actions})
    assert sorted(problems) == sorted(
        [
            f"actions.yaml:{_line(actions, 'unclosed')}: field 'actions.openings': bad regular expression '(unclosed': "
            "missing ), unterminated subpattern at position 0",
            f"actions.yaml:{_line(actions, 'where')}: entry 'action foot_map' field 'patterns': '(?P<where>map)': the "
            "only named group allowed is (?P<place>...)",
            f"actions.yaml:{_line(actions, 'no_such_entry')}: field 'conversation': unknown entry id 'no_such_entry'",
            f"actions.yaml:{_line(actions, '?!')}: field 'conversation.why': has a phrase with no words once "
            "normalised",
        ]
    )
