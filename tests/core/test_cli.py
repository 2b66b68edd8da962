"""The `footbot` command line: ask (text, JSON, a stream), kb check/export/misses, backup, run without a token."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import EXIT_BROKEN_PIPE, main
from bot.config import DEFAULT_KNOWLEDGE_DIR
from bot.core.engine import Engine
from bot.core.loader import load_knowledge
from bot.core.training import UnknownLabels, train
from bot.store import Store
from tests.core.conftest import MINIMAL, write_knowledge

ROOT = Path(__file__).resolve().parents[2]


def test_ask_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "im pregnant, which toe helps earache?"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"text", "topic", "score", "caveats", "suggestions", "topics", "action"}
    assert data["caveats"] == ["pregnancy"]
    assert isinstance(data["text"], str) and data["text"]
    assert 0 <= data["score"] <= 100


def test_ask_json_stream_answers_each_line_in_order() -> None:
    lines = "which toe helps earache\n\nwhat is the capital of peru\ni have diabetes\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        input=lines,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(replies) == 4
    assert replies[0]["topic"] in {"little_toe", "toes_overview"}
    assert replies[1]["topic"] is None  # an empty line gets the kind prompt, not a crash
    assert replies[2]["topic"] is None and replies[2]["suggestions"]
    assert replies[3]["caveats"] == ["diabetes"]


def test_ask_chats_keeps_context_per_chat_and_answers_bad_lines_with_an_error() -> None:
    lines = [
        json.dumps({"chat": "a", "text": "which toe is for the lungs?"}),
        json.dumps({"chat": 7, "text": "I'm 20 weeks pregnant"}),
        "this is not json",
        json.dumps({"chat": "a", "text": "and the little one?"}),
        json.dumps({"chat": 7, "text": "which toe is for earache?"}),
        json.dumps(["chat", "text"]),
        json.dumps({"chat": "b", "text": "and the little one?"}),
        json.dumps({"chat": "a"}),
    ]
    replies = ask_chats(lines)
    assert len(replies) == len(lines)
    assert {"text", "topic", "score", "caveats", "suggestions", "topics", "action"} <= set(replies[0])
    assert replies[0]["topic"] == "big_toe" and replies[0]["action"] is None
    assert replies[3]["topic"] == "little_toe" and replies[3]["caveats"] == []  # chat "a" is not pregnant
    assert replies[4]["topic"] == "little_toe" and replies[4]["caveats"] == ["pregnancy"]  # chat 7 remembers
    assert [replies[i]["line"] for i in (2, 5, 7)] == [3, 6, 8]
    assert all("error" in replies[i] for i in (2, 5, 7))
    assert replies[6]["caveats"] == []  # chat "b" starts fresh


def ask_chats(lines: list[str]) -> list[dict]:
    """`footbot ask --json --chats -` as its own process, fed `lines`: one JSON reply a line."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "--chats", "-"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


def ask_bytes(args: list[str], data: bytes, **env: str) -> subprocess.CompletedProcess[bytes]:
    """`footbot ask ...` as its own process, fed raw bytes, with extra environment (e.g. PYTHONIOENCODING)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", "ask", *args],
        input=data,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, **env},
    )


@pytest.mark.parametrize("encoding", ["utf-8", "ascii", "latin-1"])
def test_ask_reads_and_writes_utf8_whatever_the_environment_says(encoding: str) -> None:
    # A strict PYTHONIOENCODING made one bad byte (or any "—" in a reply) a traceback, with no line answered.
    result = ask_bytes(
        ["--json", "-"], b"which toe helps earache\n\xff\nim pregn\xc3\xa4nt\n", PYTHONIOENCODING=encoding
    )
    assert result.returncode == 0 and result.stderr == b""
    replies = [json.loads(line) for line in result.stdout.decode("utf-8").split("\n") if line]
    assert len(replies) == 3 and replies[2]["caveats"] == ["pregnancy"]


def test_ask_chats_survives_lines_that_broke_it_and_keeps_one_reply_a_line() -> None:
    lines = [
        "\ufeff" + json.dumps({"chat": "a", "text": "im pregnant"}),  # a byte order mark: it lost the pregnancy
        "[" * 1000 + "]" * 1000,  # RecursionError ended the run
        json.dumps({"chat": "\ud800", "text": "hi"}),  # a lone surrogate in the id: UnicodeEncodeError, no output
        json.dumps({"chat": "x\u2028y", "text": "hi"}),  # echoed raw: two lines for str.splitlines()
        json.dumps({"chat": "a", "text": "which toe helps earache?", "at": 10}),
        '{"chat": "a", "text": "and the big one?", "at": Infinity}',  # the clock went to NaN: the chat forgot
        json.dumps({"chat": "b", "text": None}),
    ]
    result = ask_bytes(["--json", "--chats", "-"], ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))
    assert result.returncode == 0 and result.stderr == b""
    out = result.stdout.decode("utf-8")  # valid UTF-8 throughout
    replies = [json.loads(line) for line in out.splitlines()]
    assert len(replies) == len(lines)
    assert replies[0]["caveats"] == ["pregnancy"] and replies[4]["caveats"] == ["pregnancy"]
    assert "error" in replies[1] and replies[2]["chat"] == "\ud800" and replies[3]["chat"] == "x\u2028y"
    assert replies[5]["error"] == '"at" must be a number of seconds' and replies[5]["chat"] == "a"
    assert replies[6]["chat"] == "b" and "error" in replies[6]  # an error line says whose line it was


def test_ask_with_stdin_or_stdout_closed_says_so_in_a_line() -> None:
    closed = subprocess.run(
        f"{shlex.quote(sys.executable)} -m bot ask --json - <&-", shell=True, capture_output=True, text=True, cwd=ROOT
    )
    assert closed.returncode == 1 and closed.stderr == "footbot ask: stdin or stdout is closed\n"


def test_kb_check_passes_on_the_shipped_knowledge(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "check"]) == 0
    assert capsys.readouterr().out.startswith("OK:")


def test_kb_check_lists_problems_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = write_knowledge(tmp_path / "kb", {**MINIMAL, "bad.yaml": "entries:\n  - id: x\n    answer: y\n"})
    assert main(["--knowledge", str(folder), "kb", "check"]) == 1
    out = capsys.readouterr().out
    assert "bad.yaml:2: entry 'x' field 'phrasings': missing" in out


def test_kb_export_is_json_of_every_entry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "export"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert {"id", "phrasings", "answer"} <= set(entries[0])
    assert any(entry["id"] == "little_toe" for entry in entries)


def test_kb_misses_lists_by_frequency_with_no_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FOOTBOT_DATA_DIR", str(tmp_path))
    store = Store.open(tmp_path)
    for text in ["how long should it last", "what about my cat", "how long should it last"]:
        store.record_miss(text)
    store.close()
    assert main(["kb", "misses"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(maxsplit=1) == ["2", "how long should it last"]
    assert lines[1].split(maxsplit=1) == ["1", "what about my cat"]


def test_backup_copies_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOOTBOT_DATA_DIR", str(tmp_path / "data"))
    store = Store.open(tmp_path / "data")
    store.record_miss("kept in the copy")
    store.close()
    assert main(["backup", str(tmp_path / "copy.sqlite3")]) == 0
    copy = Store(tmp_path / "copy.sqlite3")
    try:
        assert copy.top_misses(5) == [("kept in the copy", 1)]
    finally:
        copy.close()


def test_run_without_a_token_explains_and_fails(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["run"]) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


def test_run_refuses_a_damaged_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "footbot.sqlite3").write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("FOOTBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-TOKEN")
    assert main(["run"]) == 1
    assert "is not a SQLite database" in capsys.readouterr().err
    assert (tmp_path / "footbot.sqlite3").read_bytes() == b"this is not a database" * 100


def test_console_chat_answers_and_quits_on_end_of_input(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input="which toe helps earache?\n/nope\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0
    assert "ear" in result.stdout.lower()
    assert "I don't know the command /nope" in result.stdout


def test_a_reader_that_stops_early_ends_kb_export_quietly() -> None:
    """`footbot kb export | head -n 1`: the first line, no traceback, and the status `cat` or `seq` would get."""
    command = f"{shlex.quote(sys.executable)} -m bot kb export | head -n 1; echo status ${{PIPESTATUS[0]}} >&2"
    result = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout == "[\n"
    assert result.stderr == f"status {EXIT_BROKEN_PIPE}\n"  # 128 + SIGPIPE, and nothing else on stderr
    assert EXIT_BROKEN_PIPE == 141


def test_a_closed_pipe_ends_an_ask_stream_quietly() -> None:
    """`footbot ask --json - | head -1`: the reader leaves after one answer; the next answer ends footbot cleanly."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert process.stdin and process.stdout and process.stderr
    process.stdin.write(b"which toe helps earache\n")
    process.stdin.flush()
    assert json.loads(process.stdout.readline())["topic"] in {"little_toe", "toes_overview"}
    process.stdout.close()  # the reader is gone before the second answer is written
    process.stdin.write(b"is it ok if i'm pregnant\n")
    process.stdin.close()
    assert process.wait(timeout=60) == EXIT_BROKEN_PIPE
    assert process.stderr.read() == b""


def test_help_names_the_knowledge_folder_actually_used(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "./knowledge" not in help_text
    assert f"the one footbot ships: {DEFAULT_KNOWLEDGE_DIR}" in help_text


def test_ask_chats_reads_the_time_a_line_gives_so_a_chat_can_expire() -> None:
    lines = [
        json.dumps({"chat": "a", "text": "what does the sole do", "at": 1000}),
        json.dumps({"chat": "b", "text": "what does the sole do", "at": 1001}),
        json.dumps({"chat": "b", "text": "and after that?", "at": 1060}),  # a minute later: context holds
        json.dumps({"chat": "a", "text": "and after that?", "at": 1000 + 31 * 60}),  # half an hour on: gone
        json.dumps({"chat": "a", "text": "hi", "at": "soon"}),
    ]
    replies = ask_chats(lines)
    assert replies[2]["topic"] == "ankles"
    assert replies[3]["topic"] != "ankles"
    assert "error" in replies[4] and replies[4]["line"] == 5


def test_ask_chats_steps_through_the_routine_from_step_one_as_telegram_does() -> None:
    """Telegram shows step 1 when the routine is asked for in words: "next" then is step 2, not the routine's end."""
    steps = Engine.load(DEFAULT_KNOWLEDGE_DIR).kb.routine.steps
    said = ["start tonight's routine", "next", "continue", "where was i", f"step {len(steps)}", "10pm please"]
    replies = ask_chats([json.dumps({"chat": 1, "text": text}) for text in said])
    assert replies[0]["action"]["do"] == "routine"
    assert steps[1].text in replies[1]["text"] and steps[2].text in replies[2]["text"]
    assert steps[2].text in replies[3]["text"] and f"3 of {len(steps)}" in replies[3]["text"]
    assert steps[-1].text in replies[4]["text"]
    assert replies[5]["action"] == {"do": "remind", "time": "22:00", "place": None}  # the last step offers one


def test_kb_check_fails_on_a_safety_term_that_fires_on_the_guides_own_questions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A heart term "massage" is valid YAML, and would put the heart caveat on a quarter of all answers."""
    folder = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_KNOWLEDGE_DIR, folder)
    safety = folder / "safety.yaml"
    safety.write_text(safety.read_text(encoding="utf-8").replace("      - heart condition\n", "      - massage\n", 1))
    assert main(["--knowledge", str(folder), "kb", "check"]) == 1
    assert "heart: the heart caveat fires on" in capsys.readouterr().out


def test_kb_train_refuses_labels_no_entry_has_and_says_where(tmp_path: Path) -> None:
    """An entry renamed in the YAML but not in the labelled sets: training said nothing, and kb check then asked to
    train again and again. Checked before scikit-learn is needed, so a curator without it learns of them too."""
    examples = tmp_path / "dev_x.yaml"
    examples.write_text("- {text: which toe for the ears, topic: pinky_toe}\n", encoding="utf-8")
    kb = load_knowledge(DEFAULT_KNOWLEDGE_DIR)
    with pytest.raises(UnknownLabels, match=r"dev_x.yaml: 'pinky_toe'"):
        train(kb, [examples])


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_the_console_chat_writes_utf8_whatever_pythonioencoding_says(encoding: str, tmp_path: Path) -> None:
    # Its first line, "footbot — ...", was a UnicodeEncodeError traceback; `ask` already wrote UTF-8.
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input=b"which toe helps earache?\ncaf\xe9\n",
        capture_output=True,
        cwd=ROOT,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONIOENCODING": encoding},
    )
    assert result.returncode == 0 and result.stderr == b""
    assert "footbot — " in result.stdout.decode("utf-8") and b"little toe" in result.stdout


def test_the_console_chat_with_stdin_or_stdout_closed_says_so_in_a_line() -> None:
    for redirect in ("<&-", ">&-"):  # input() raised "RuntimeError: lost sys.stdin" (or stdout): a traceback
        closed = subprocess.run(
            f"echo hi | {shlex.quote(sys.executable)} -m bot chat {redirect}",
            shell=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
        assert closed.returncode == 1 and closed.stderr == "footbot chat: stdin or stdout is closed\n"


def test_ask_takes_an_unquoted_question_and_refuses_a_dash_with_more(capsys: pytest.CaptureFixture[str]) -> None:
    # `footbot ask which toe helps earache` said "footbot: error: unrecognized arguments: toe helps earache".
    assert main(["ask", "--json", "which", "toe", "helps", "earache?"]) == 0
    assert json.loads(capsys.readouterr().out)["topic"] == "little_toe"
    assert main(["ask", "-", "which", "toe"]) == 2
    assert capsys.readouterr().err == "footbot ask: '-' reads the questions from standard input: give it alone\n"
    assert main(["ask", "big", "toe", "-", "lungs?"]) == 0  # a dash inside a question is one of its words
    assert "lungs" in capsys.readouterr().out


def test_ask_chats_says_which_field_is_missing_and_that_a_chat_id_is_whole() -> None:
    lines = [json.dumps({"text": "hi"}), json.dumps({"chat": "a"}), json.dumps({"chat": 5.5, "text": "hi"})]
    replies = ask_chats(lines)
    assert replies[0]["error"].startswith('"chat" is missing')
    assert replies[1] == {"error": '"text" is missing', "line": 2, "chat": "a"}
    assert replies[2]["error"] == '"chat" must be a string or a whole number'  # said "or a number" of 5.5


def test_ask_chats_answers_commands_as_telegram_does() -> None:
    """From the newcomer probe: `/start` started the routine, `/forget` got the guide's honest no."""
    said = ["/start", "/forget", "/foo", "/Routine@footbot", "next"]
    replies = ask_chats([json.dumps({"chat": "c", "text": text}) for text in said])
    assert replies[0]["action"] is None and replies[0]["topic"] is None  # a welcome, not the routine
    assert replies[1]["action"]["do"] == "forget"
    assert "/foo" in replies[2]["text"]
    assert replies[3]["action"]["do"] == "routine"
    steps = Engine.load(DEFAULT_KNOWLEDGE_DIR).kb.routine.steps
    assert steps[1].text in replies[4]["text"]  # the routine stands on step 1, as after a typed request
