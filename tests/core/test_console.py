"""The console chat, driven through `chat()` with scripted input as a person would type it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from bot import console
from bot.core.engine import Engine
from bot.core.knowledge import Condition


def run_chat(
    engine: Engine, lines: Iterable[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> str:
    """Types `lines` one by one, then Ctrl-D; everything the console printed."""
    typed = iter(lines)

    def fake_input(prompt: str = "") -> str:
        try:
            line = next(typed)
        except StopIteration:
            raise EOFError from None
        print(f"{prompt}{line}")
        return line

    monkeypatch.setattr("builtins.input", fake_input)
    monkeypatch.setattr(console, "_enable_line_editing", lambda: None)
    assert console.chat(engine) == 0
    return capsys.readouterr().out


def turns(output: str) -> list[str]:
    """What the console printed after each typed line."""
    return [chunk.partition("\n")[2].strip() for chunk in output.split("you> ")[1:]]


def test_a_question_is_answered(engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    out = turns(run_chat(engine, ["which toe helps earache?"], monkeypatch, capsys))
    assert "little toe" in out[0].lower()


def test_the_routine_steps_with_next_back_and_answers_questions_in_between(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    steps = engine.kb.routine.steps
    script = ["/routine", "next", "how hard should i press?", "next", "back", "stop"]
    out = turns(run_chat(engine, script, monkeypatch, capsys))
    assert f"Step 1 of {len(steps)}: {steps[0].title}" in out[0]
    assert f"Step 2 of {len(steps)}: {steps[1].title}" in out[1]
    # The question is answered, and the routine keeps its place (still step 2, not step 3).
    assert "Step 3" not in out[2] and "Routine: step 2 of" in out[2]
    assert f"Step 3 of {len(steps)}: {steps[2].title}" in out[3]
    assert f"Step 2 of {len(steps)}: {steps[1].title}" in out[4]
    assert out[5] == engine.kb.conversation.routine_stopped


def test_back_at_the_first_step_stays_there_and_says_so(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    out = turns(run_chat(engine, ["start tonight's routine", "back", "next"], monkeypatch, capsys))
    assert "Step 1 of" in out[0]
    assert console.AT_FIRST_STEP in out[1] and "Step 1 of" in out[1] and "Step 2" not in out[1]
    assert "Step 2 of" in out[2]


def test_enter_moves_on_and_the_last_step_ends_with_the_outro(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    total = len(engine.kb.routine.steps)
    out = turns(run_chat(engine, ["/routine", *[""] * (total - 1), "next"], monkeypatch, capsys))
    assert f"Step {total} of {total}" in out[total - 1] and engine.kb.routine.outro in out[total - 1]
    assert "Step" not in out[total]  # the routine is over: "next" is a message like any other


def test_all_shows_every_step_and_ends_the_stepper(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    out = turns(run_chat(engine, ["/routine", "all", "q"], monkeypatch, capsys))
    assert all(step.title in out[1] for step in engine.kb.routine.steps)
    assert not out[2].startswith("Stopped the routine")


def test_the_routine_step_is_kept_in_the_chat_context(engine: Engine) -> None:
    session = console.ConsoleChat(engine)
    session.respond("/routine")
    assert session.context.routine_step == 0
    session.respond("next")
    session.respond("which toe helps earache?")
    assert session.context.routine_step == 1
    session.respond("stop")
    assert session.context.routine_step is None


def test_a_pregnant_routine_request_gets_the_caveat_not_the_routine(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    out = turns(run_chat(engine, ["i'm pregnant, walk me through the routine", "next"], monkeypatch, capsys))
    assert "midwife" in out[0] and "Step 1" not in out[0]
    assert "Step 2" not in out[1]


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("remind me at 10pm", "/remind 22:00"),
        ("set a bedtime reminder", "/remind"),
        ("stop reminders", "/remind off"),
        ("change my time zone to berlin", "/timezone berlin"),
        ("delete my data", "/forget"),
        ("/remind 22:30", "/remind 22:30"),
        ("/timezone berlin", "/timezone berlin"),
        ("/forget", "/forget"),
    ],
)
def test_telegram_only_features_say_so_and_show_the_command(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, typed: str, command: str
) -> None:
    [said] = turns(run_chat(engine, [typed], monkeypatch, capsys))
    assert "Telegram" in said and command in said


def test_the_foot_map_and_safety_work_in_the_console(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    foot_map, safety = turns(run_chat(engine, ["show me the foot map", "safety info please"], monkeypatch, capsys))
    assert "The little toe: Earache" in foot_map
    assert "pregnant" in safety and "diabetes" in safety and "heart" in safety


def test_the_toes_command_shows_the_same_foot_map_as_asking_for_it_in_words(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    by_command, by_words = turns(run_chat(engine, ["/toes", "show me the foot map"], monkeypatch, capsys))
    assert by_command == by_words
    assert "The little toe: Earache" in by_command


def test_the_foot_map_is_printed_once_however_it_is_asked_for(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """A QA pass saw the foot map printed twice in the console: each way of asking prints each zone once."""
    script = ["show me the foot map", "/toes", "i'm diabetic", "foot map please", "/routine", "show me the foot map"]
    out = turns(run_chat(engine, script, monkeypatch, capsys))
    for shown in (out[0], out[1], out[3], out[5]):
        for entry in engine.foot_map():
            assert shown.count(f"• {entry.title}:") == 1
        assert shown.count("Here is the guide's foot map") == 1
    assert out[5].count("(Routine: step 1 of") == 1


def test_the_steppers_words_after_the_routine_ended_say_so_instead_of_answering_something_else(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    out = turns(run_chat(engine, ["/routine", "all", "stop", "back", "q"], monkeypatch, capsys))
    assert out[2] == out[3] == engine.kb.conversation.nothing_running  # as in Telegram: what footbot can do
    assert out[4] == console.NO_ROUTINE


def test_stop_cancel_back_and_previous_in_words_steer_the_routine(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    steps = engine.kb.routine.steps
    script = ["/routine", "next", "next", "previous", "go back please", "cancel", "/routine", "ok stop"]
    out = turns(run_chat(engine, script, monkeypatch, capsys))
    assert f"Step 2 of {len(steps)}: {steps[1].title}" in out[3]
    assert f"Step 1 of {len(steps)}: {steps[0].title}" in out[4]
    assert out[5] == out[7] == engine.kb.conversation.routine_stopped


def test_quit_leaves_and_unknown_commands_get_a_hint(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    out = turns(run_chat(engine, ["/nope", "/quit", "never read"], monkeypatch, capsys))
    assert "/nope" in out[0] and "/help" in out[0]
    assert out[1] == "" and len(out) == 2  # nothing after /quit is read


def test_the_console_writes_nothing_typed_to_disk(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, tmp_path: Path
) -> None:
    """People type their health here ("im 12 weeks pregnant"): no history file, in the home folder or anywhere."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    typed = iter(["im 12 weeks pregnant, which toe is for sinuses?"])

    def fake_input(prompt: str = "") -> str:
        line = next(typed, None)
        if line is None:
            raise EOFError
        return line

    monkeypatch.setattr("builtins.input", fake_input)
    readline = pytest.importorskip("readline")
    written: list[object] = []
    for writer in ("write_history_file", "append_history_file"):
        monkeypatch.setattr(readline, writer, lambda *args: written.append(args))
    assert console.chat(engine) == 0  # with the real line editing: readline, where the platform has it
    assert written == []
    assert "pregnan" in capsys.readouterr().out.lower()
    assert list(tmp_path.iterdir()) == []


def test_the_consoles_steps_carry_a_caveat_named_mid_routine(engine: Engine) -> None:
    """The console showed "Step 3 of 7" with no caveat after "I have diabetes"."""
    chat = console.ConsoleChat(engine)
    for line in ("/routine", "", "I have diabetes"):
        chat.respond(line)
    assert engine.kb.caveat_for(Condition.DIABETES).caveat_short in chat.respond("")


def test_next_after_the_consoles_stop_does_not_go_on_and_resume_does(engine: Engine) -> None:
    chat = console.ConsoleChat(engine)
    for line in ("/routine", ""):
        chat.respond(line)
    chat.respond("stop")
    after = chat.respond("next")
    assert all(step.text not in after for step in engine.kb.routine.steps)
    assert engine.kb.routine.steps[1].text in chat.respond("resume")


def test_a_condition_named_after_a_command_gets_its_caution_then_the_command(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    # "/routine my wife is pregnant" got "I don't know that command", with no caveat.
    lines = ["/routine my wife is pregnant", "/help chest pain right now", "/toes please"]
    routine, emergency, toes = turns(run_chat(engine, lines, monkeypatch, capsys))
    held = engine.kb.caveat_for(Condition.PREGNANCY).routine_lead
    assert routine.startswith(engine.kb.entry("pregnancy_caution").answer[:40]) and held[:40] in routine
    assert emergency.startswith(engine.kb.red_flags.reply[:40]) and "/routine" not in emergency
    assert "little toe" in toes.lower()  # a command with words that name nothing is still the command


def test_a_step_the_core_shows_with_no_routine_under_way_is_steered_by_the_steppers_keys(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """After "step 5" (or "resume"), typed "back" went to step 4 but "b" said "The routine isn't under way" and Enter
    printed nothing."""
    steps = engine.kb.routine.steps
    out = turns(run_chat(engine, ["step 5", "b", "", "a"], monkeypatch, capsys))
    assert steps[4].text in out[0] and f"Routine: step 5 of {len(steps)}" in out[0]
    assert f"Step 4 of {len(steps)}: {steps[3].title}" in out[1]
    assert f"Step 5 of {len(steps)}: {steps[4].title}" in out[2]
    assert all(step.title in out[3] for step in steps)
    chat = console.ConsoleChat(engine)
    for line in ("/routine", "", "", "stop", "resume"):
        chat.respond(line)
    assert f"Step 4 of {len(steps)}: {steps[3].title}" in chat.respond("")


def test_commands_are_read_in_any_case_and_with_a_bot_name_as_telegram_reads_them(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """ "/Routine", "/REMIND 22:00" and "/routine@footbot" got "I don't know that command" (Telegram takes them)."""
    lines = ["/Routine", "/routine@footbot\tnow", "/REMIND 22:00", "/Help", "/QUIT", "never read"]
    routine, named, remind, help_text, quit_ = turns(run_chat(engine, lines, monkeypatch, capsys))
    assert "Step 1 of" in routine and "Step 1 of" in named
    assert "Telegram" in remind and "/remind 22:00" in remind
    assert "/routine" in help_text and "don't know" not in help_text
    assert quit_ == ""


def test_the_consoles_all_steps_carry_a_caveat_named_and_are_held_back_in_pregnancy(engine: Engine) -> None:
    """ "a" (all steps) under the routine showed every step, bare, after "type 1 diabetic here" or "im pregnant"."""
    chat = console.ConsoleChat(engine)
    for line in ("/routine", "type 1 diabetic here"):
        chat.respond(line)
    shown = chat.respond("a")
    assert engine.kb.caveat_for(Condition.DIABETES).caveat_short in shown
    assert engine.kb.routine.steps[-1].text in shown
    chat = console.ConsoleChat(engine)
    for line in ("/routine", "im 20 weeks pregnant"):
        chat.respond(line)
    held = chat.respond("all")
    assert engine.kb.caveat_for(Condition.PREGNANCY).routine_lead[:40] in held
    assert all(step.text not in held for step in engine.kb.routine.steps)
