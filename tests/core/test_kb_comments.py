"""kb check warns where a YAML comment cuts a plain text short (`answer: Press the big toe #1 spot` loads as
"Press the big toe"), naming file:line and what to do, and leaves notes alone."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.loader import check_knowledge, load_knowledge
from tests.core.conftest import MINIMAL, write_knowledge

ANSWER = "answer: The guide links the little toe to earache."
FIX = (
    "If it is part of the text, put the whole text in single quotes (write a ' inside as '') or make it a block "
    "('{block}' and the text indented below); if it is a note, put it on its own line"
)


def _problems(tmp_path: Path, file: str, old: str, new: str) -> list[str]:
    assert old in MINIMAL[file]
    folder = write_knowledge(tmp_path / "kb", {**MINIMAL, file: MINIMAL[file].replace(old, new)})
    return [str(problem) for problem in check_knowledge(folder)]


def _line(file: str, old: str, new: str, fragment: str) -> int:
    text = textwrap.dedent(MINIMAL[file].replace(old, new))
    return next(number for number, line in enumerate(text.splitlines(), start=1) if fragment in line)


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "says"),
    [
        (
            "entries.yaml",
            ANSWER,
            "answer: Press the big toe #1 spot gently",
            "entry 'little_toe' field 'answer'",
            "the text stops at 'Press the big toe': YAML reads '#1 spot gently' as a comment and leaves it out. "
            + FIX.format(block="answer: >-"),
        ),
        (
            "entries.yaml",
            "phrasings: [little toe, which toe is for earache]",
            "phrasings:\n              - little toe\n              - which toe is for earache # or ear ache",
            "entry 'little_toe' field 'phrasings[2]'",
            "the text stops at 'which toe is for earache': YAML reads '# or ear ache' as a comment and leaves it out. "
            + FIX.format(block="- >-"),
        ),
        (
            "meta.yaml",
            "synonyms: {pinky: little}",
            "synonyms:\n          pinky: little #toe",
            "field 'synonyms.pinky'",
            "the text stops at 'little': YAML reads '#toe' as a comment and leaves it out. "
            + FIX.format(block="pinky: >-"),
        ),
        (
            "safety.yaml",
            "caveat: Pregnant? Ask your doctor.",
            "caveat: Pregnant? Ask your doctor or midwife first, it is the #1 rule of the guide.",
            "entry 'pregnancy' field 'caveat'",
            "the text stops at '...your doctor or midwife first, it is the': YAML reads '#1 rule of the guide.' as a "
            "comment and leaves it out. " + FIX.format(block="caveat: >-"),
        ),
    ],
)
def test_a_comment_cutting_a_plain_text_short_is_named_with_its_line(
    tmp_path: Path, file: str, old: str, new: str, where: str, says: str
) -> None:
    line = _line(file, old, new, " #")
    assert _problems(tmp_path, file, old, new) == [f"{file}:{line}: {where}: {says}"]


def test_the_text_a_comment_cuts_short_still_loads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """It may be a note after all: the bot starts; only kb check warns, and fails."""
    new = "answer: Press the big toe #1 spot gently"
    folder = write_knowledge(tmp_path / "kb", {**MINIMAL, "entries.yaml": MINIMAL["entries.yaml"].replace(ANSWER, new)})
    assert load_knowledge(folder).entry("little_toe").answer == "Press the big toe"
    assert main(["--knowledge", str(folder), "kb", "check"]) == 1
    line = _line("entries.yaml", ANSWER, new, " #")
    assert f"entries.yaml:{line}: entry 'little_toe' field 'answer': the text stops at" in capsys.readouterr().out


@pytest.mark.parametrize(
    "new",
    [
        "answer: 'Press the big toe #1 spot gently'  # quoted: the # is text",
        'answer: "Press the big toe #1 spot gently" #quoted',
        "answer: |\n              Press the big toe #1 spot gently",
        "# a note on its own line\n            answer: Press the big toe gently.\n            # #1 another",
        "answer: The little toe.           # a note set apart, as knowledge/README.md writes them",
        "answer: Press the big toe#1 spot gently",
        "answer: The little toe.\n            sure_from: 40 # tuned on dev_6",
        "answer: The little toe.\n            gaps: # none yet",
    ],
)
def test_a_note_is_no_cut_text(tmp_path: Path, new: str) -> None:
    problems = _problems(tmp_path, "entries.yaml", ANSWER, new)
    assert not any("as a comment" in problem for problem in problems), problems


def test_an_empty_value_whose_text_reads_as_a_comment_is_named(tmp_path: Path) -> None:
    """`answer: #1 tip` is an empty answer: the loader says it is missing, kb check says why."""
    new = "answer: #1 tip: press the big toe"
    line = _line("entries.yaml", ANSWER, new, " #")
    assert _problems(tmp_path, "entries.yaml", ANSWER, new) == [
        "entries.yaml:3: entry 'little_toe' field 'answer': missing",
        f"entries.yaml:{line}: entry 'little_toe' field 'answer': the value is empty: YAML reads '#1 tip: press the "
        "big toe' as a comment and leaves it out. " + FIX.format(block="answer: >-"),
    ]


def test_a_text_on_several_lines_is_named_on_the_line_of_the_comment(tmp_path: Path) -> None:
    new = "answer: Press the big toe\n              gently, spot #1"
    line = _line("entries.yaml", ANSWER, new, " #")
    problems = _problems(tmp_path, "entries.yaml", ANSWER, new)
    assert [problem.split(": YAML")[0] for problem in problems] == [
        f"entries.yaml:{line}: entry 'little_toe' field 'answer': the text stops at 'Press the big toe gently, spot'"
    ]


@pytest.mark.parametrize(
    ("file", "old", "new", "after"),
    [
        (
            "entries.yaml",
            "phrasings: [little toe, which toe is for earache]",
            "phrasings: [little toe, which toe is #1 for earache]",
            "which toe is",
        ),
        (
            "entries.yaml",
            "phrasings: [little toe, which toe is for earache]",
            "phrasings: [little toe, which toe is #1 for earache,\n              pinky]",
            "which toe is",
        ),
        ("meta.yaml", "synonyms: {pinky: little}", "synonyms: {pinky: little #toe}", "little"),
        (
            "safety.yaml",
            "terms: [pregnant]",
            "terms: [pregnant, expecting #baby]\n            not_when: [expecting a parcel]",
            "expecting",
        ),
    ],
)
def test_a_comment_inside_brackets_is_named_where_it_starts(
    tmp_path: Path, file: str, old: str, new: str, after: str
) -> None:
    """In [...] or {...} the comment hides the closing bracket too, and YAML stumbles on a later line: the problem
    names the line of the '#', not the line where YAML gave up."""
    line = _line(file, old, new, " #")
    problems = _problems(tmp_path, file, old, new)
    assert problems[0] == (
        f"{file}:{line}: YAML syntax error: after '{after}' a ' #' starts a comment, which hides the rest of this "
        "line, commas and brackets too: put the text holding the '#' in quotes ([a toe, 'the #1 spot'])"
    )


def test_a_note_after_an_open_bracket_is_no_syntax_error(tmp_path: Path) -> None:
    new = "phrasings: [little toe,  # the toe itself\n              which toe is for earache]"
    assert _problems(tmp_path, "entries.yaml", "phrasings: [little toe, which toe is for earache]", new) == []
