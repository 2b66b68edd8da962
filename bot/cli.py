"""The `footbot` command: run the bot, chat in the console, ask one question, check the knowledge."""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from bot.config import DEFAULT_KNOWLEDGE_DIR, Settings
from bot.core.actions import ActionKind
from bot.core.audit import overbroad_safety_rules
from bot.core.classifier import MODEL_FILE
from bot.core.engine import Engine
from bot.core.loader import KnowledgeError, check_knowledge
from bot.store import Store, StoreError

# What a shell reports for a tool that a closed pipe stopped (128 + SIGPIPE), as for `seq 1e9 | head`.
EXIT_BROKEN_PIPE = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Runs one command; a reader that stops early (`footbot kb export | head`) ends it quietly, like Unix tools."""
    try:
        status = _main(argv)
        if sys.stdout is not None:  # closed by the caller (`>&-`): nothing to flush
            sys.stdout.flush()  # inside the try: buffered output may only meet the closed pipe here
    except BrokenPipeError:
        # The pattern the Python docs recommend for SIGPIPE: send whatever is still buffered to devnull, so the
        # flush at exit cannot fail again and print "Exception ignored ... BrokenPipeError".
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return status


def _main(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    if args.knowledge:
        settings = Settings(**{**settings.__dict__, "knowledge_dir": Path(args.knowledge)})
    command = args.command or ("run" if settings.token else "chat")
    try:
        if command == "run":
            return _run(settings, args)
        if command == "chat":
            from bot.console import chat

            if not _utf8_stdio(reading=True, command="chat"):
                return 1
            return chat(_engine(settings))
        if command == "ask":
            if args.question[0] == "-" and len(args.question) > 1:  # `footbot ask - extra`: which did they mean?
                print("footbot ask: '-' reads the questions from standard input: give it alone", file=sys.stderr)
                return 2
            args.question = " ".join(args.question)  # `footbot ask which toe helps earache`, unquoted
            if args.chats:
                return _ask_chats(_engine(settings), args.question)
            return _ask(_engine(settings), args.question, as_json=args.json)
        if command == "kb" and args.kb_command == "train":
            return _train(settings, [Path(path) for path in args.examples] if args.examples else None)
        if command == "kb":
            return _kb(settings, args.kb_command, getattr(args, "limit", 50))
        if command == "backup":
            return _backup(settings, args.target)
    except KnowledgeError as error:
        print(f"footbot: the knowledge base has problems ({len(error.problems)}):", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        print("Run `footbot kb check` after fixing them.", file=sys.stderr)
        return 2
    except StoreError as error:
        print(f"footbot: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 2


# The environment variables footbot reads (README "Configuration"), shown under `footbot --help`.
ENVIRONMENT_HELP = """environment variables:
  TELEGRAM_BOT_TOKEN      the token from BotFather (with it, plain `footbot` runs the bot)
  TELEGRAM_BASE_URL       the Bot API address (default https://api.telegram.org/bot)
  FOOTBOT_DATA_DIR        the bot's database folder, used by run, backup and kb misses (default ./data)
  FOOTBOT_KNOWLEDGE_DIR   a custom knowledge folder (as --knowledge)
  FOOTBOT_RECORD_MISSES   0: the unanswered-questions counter keeps nothing (default on)
  FOOTBOT_LOG_LEVEL       INFO (default), or DEBUG for troubleshooting (logs message text)
  FOOTBOT_WEBHOOK_SECRET  run --webhook-url only: the secret Telegram sends (made up per run if unset)

`python -m bot` is the same as `footbot`."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="footbot",
        description="A Telegram assistant for a foot massage before sleep.\nWith no command: runs the bot when "
        "TELEGRAM_BOT_TOKEN is set, else starts a console chat.",
        epilog=ENVIRONMENT_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--knowledge",
        metavar="DIR",
        help="knowledge folder (default: FOOTBOT_KNOWLEDGE_DIR, else the one footbot ships: "
        + str(DEFAULT_KNOWLEDGE_DIR).replace("%", "%%")
        + ")",
    )
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser("run", help="run the Telegram bot (long polling, or a webhook with --webhook-url)")
    run.add_argument("--webhook-url", help="public HTTPS URL Telegram posts updates to (behind a reverse proxy)")
    run.add_argument("--listen", default="127.0.0.1", help="address the webhook server listens on (default 127.0.0.1)")
    run.add_argument("--port", type=int, default=8443, help="port the webhook server listens on (default 8443)")
    commands.add_parser(
        "chat",
        help="chat with the bot in this terminal (Ctrl-D or /quit leaves; reminders and /forget are in Telegram)",
    )
    ask = commands.add_parser("ask", help="print the reply to one question ('-' reads one question per line)")
    ask.add_argument(
        "question",
        nargs="+",
        help="the question (quoted or not: its words are joined), or - to read one per line from standard input",
    )
    ask.add_argument(
        "--json", action="store_true", help="print JSON: text, topic, score, caveats, suggestions, topics, action"
    )
    ask.add_argument(
        "--chats",
        action="store_true",
        help='conversations: read {"chat": id, "text": message} JSON lines (optional "at": the line\'s time in '
        "seconds, which the 30-minute memory then follows), keep context per chat; prints JSON, with or without --json",
    )
    backup = commands.add_parser(
        "backup", help="copy the bot's database (FOOTBOT_DATA_DIR/footbot.sqlite3) to FILE, safely while the bot runs"
    )
    backup.add_argument("target", metavar="FILE", help="where to write the copy")
    kb = commands.add_parser("kb", help="knowledge base tools for curators")
    kb_commands = kb.add_subparsers(dest="kb_command", required=True)
    kb_commands.add_parser(
        "check",
        help="validate the knowledge folder's *.yaml, list every problem, and check the topic model is up to date",
    )
    kb_commands.add_parser("export", help="print every entry (id, phrasings, answer) as JSON")
    train = kb_commands.add_parser(
        "train",
        help="learn the topic model from the knowledge and labelled examples (needs: pip install -e '.[train]')",
    )
    train.add_argument(
        "examples",
        nargs="*",
        metavar="SET",
        help="labelled example sets (default: tests/sets/dev_*.yaml and real_dev*.yaml in a source checkout)",
    )
    misses = kb_commands.add_parser(
        "misses", help="questions the Telegram bot answered with the fallback, from its database; most frequent first"
    )
    misses.add_argument("--limit", type=int, default=50, help="how many to list (default 50)")
    return parser


def _engine(settings: Settings) -> Engine:
    return Engine.load(settings.knowledge_dir)


def _ask(engine: Engine, question: str, *, as_json: bool) -> int:
    if not _utf8_stdio(reading=question == "-"):
        return 1
    questions = _input_lines() if question == "-" else iter([question])
    for text in questions:
        reply = engine.reply(text)
        sys.stdout.write(_json_line(reply.to_json()) if as_json else reply.plain_text() + "\n\n")
        sys.stdout.flush()
    return 0


def _utf8_stdio(*, reading: bool, command: str = "ask") -> bool:
    """Reads and writes UTF-8 whatever the locale or PYTHONIOENCODING says, so one bad byte in a scorer's file
    costs one line (read as U+FFFD), never the run, and the console's "—" is no traceback under
    PYTHONIOENCODING=ascii; False, with a line on stderr, when stdin or stdout is closed."""
    if sys.stdout is None or (reading and sys.stdin is None):
        if sys.stderr is not None:
            print(f"footbot {command}: stdin or stdout is closed", file=sys.stderr)
        return False
    for stream, errors in ((sys.stdin, "replace"), (sys.stdout, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)  # absent on a StringIO put in its place
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors=errors)
    return True


def _input_lines() -> Iterator[str]:
    """Standard input's lines without their line ends, and without the byte order mark a Windows editor puts first."""
    for line in sys.stdin:
        yield line.rstrip("\n").lstrip("\ufeff")


# Characters that end a line for str.splitlines() though JSON may leave them raw: escaped, so one reply is one line
# for any reader.
_LINE_BREAKS_IN_JSON = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _json_line(value: object) -> str:
    """One JSON value on one line, in UTF-8 where it can be (a lone surrogate in an echoed chat id cannot)."""
    line = json.dumps(value, ensure_ascii=False).translate(_LINE_BREAKS_IN_JSON)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        line = json.dumps(value)
    return line + "\n"


def _ask_chats(engine: Engine, source: str) -> int:
    """`ask --json --chats -`: one JSON message a line in, one JSON reply a line out, in order; each chat keeps
    its context exactly as a Telegram chat does (the same `Conversations`, the same core). A line may give its
    time, `"at"` in seconds (any origin, e.g. Unix time): from then on the context clock follows the lines, so a
    script can let a chat's 30 minutes run out without waiting."""
    import time

    from bot.core.commands import command_in, reply_to_command
    from bot.core.conversation import Conversations

    if not _utf8_stdio(reading=source == "-"):
        return 1
    given: list[float] = []  # the last time a line gave, once one has
    started = time.monotonic()
    conversations = Conversations(clock=lambda: given[-1] if given else time.monotonic() - started)
    lines = _input_lines() if source == "-" else iter([source])
    for number, line in enumerate(lines, start=1):
        parsed = _chat_message(line)
        if isinstance(parsed, BadLine):
            out: dict[str, object] = {"error": parsed.error, "line": number}
            if parsed.chat is not None:
                out["chat"] = parsed.chat
        else:
            chat, text, at = parsed
            if at is not None:
                given[:] = [at]
            context = conversations.get(chat)
            command = command_in(text)  # "/start", "/routine": what Telegram's handlers say, in words
            reply = reply_to_command(engine, command, context) if command else engine.reply(text, context)
            if reply.action is not None and reply.action.do is ActionKind.ROUTINE:
                context.show_step(0)  # as in Telegram and the console: "next" goes on from step 1
                context.offered = None
            out = {"chat": chat, **reply.to_json()}
        sys.stdout.write(_json_line(out))
        sys.stdout.flush()
    return 0


class BadLine(NamedTuple):
    """What is wrong with a `--chats` line, and its chat when that much could be read."""

    error: str
    chat: str | int | None = None


def _chat_message(line: str) -> tuple[str | int, str, float | None] | BadLine:
    """(chat id, text, time if given) from one `--chats` line, or what is wrong with it."""
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):  # RecursionError: a value nested a thousand deep
        return BadLine('not JSON: expected {"chat": "<id>", "text": "<message>"}')
    if not isinstance(message, dict):
        return BadLine('expected a JSON object {"chat": "<id>", "text": "<message>"}')
    chat, text, at = message.get("chat"), message.get("text"), message.get("at")
    if "chat" not in message:
        return BadLine('"chat" is missing: expected {"chat": "<id>", "text": "<message>"}')
    if isinstance(chat, bool) or not isinstance(chat, str | int):
        return BadLine('"chat" must be a string or a whole number')  # 5.5 is a number, and was refused as none
    if "text" not in message:
        return BadLine('"text" is missing', chat)
    if not isinstance(text, str):
        return BadLine('"text" must be a string', chat)
    if at is not None and not _finite_number(at):
        return BadLine('"at" must be a number of seconds', chat)
    return chat, text, float(at) if at is not None else None


def _finite_number(value: object) -> bool:
    """A number of seconds a clock can follow: not a bool, NaN, Infinity or an int too big for a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def _kb(settings: Settings, command: str, limit: int) -> int:
    if command == "check":
        problems = check_knowledge(settings.knowledge_dir)
        for problem in problems:
            print(problem)
        if problems:
            print(f"{len(problems)} problem(s) in {settings.knowledge_dir}", file=sys.stderr)
            return 1
        engine = _engine(settings)
        too_broad = overbroad_safety_rules(engine)
        for line in too_broad:
            print(line)
        if engine.classifier is None:
            print(
                f"{settings.knowledge_dir / MODEL_FILE}: the topic model is missing or was trained on other "
                "phrasings; run `footbot kb train` (needs: pip install -e '.[train]') and commit the file"
                + _unknown_topics_note(engine, settings.knowledge_dir / MODEL_FILE)
            )
            return 1
        if too_broad:
            return 1
        print(
            f"OK: {len(engine.kb.entries)} entries, "
            f"{sum(len(entry.phrasings) for entry in engine.kb.entries)} phrasings in {settings.knowledge_dir}; "
            "topic model up to date"
        )
        return 0
    if command == "export":
        engine = _engine(settings)
        entries = [
            {
                "id": e.id,
                "kind": e.kind.value,
                "title": e.title,
                "section": e.section,
                "phrasings": list(e.phrasings),
                "keywords": list(e.keywords),
                "answer": e.answer,
            }
            for e in engine.kb.entries
        ]
        print(json.dumps(entries, ensure_ascii=False, indent=2))
        return 0
    return _misses(settings, limit)


def _unknown_topics_note(engine: Engine, path: Path) -> str:
    """Why retraining alone will not do when an entry was renamed: the topics the model knows that no entry has."""
    from bot.core.classifier import Model
    from bot.core.features import NO_TOPIC

    model = Model.load(path) if path.exists() else None
    unknown = [label for label in model.labels if label != NO_TOPIC and not engine.kb.has_entry(label)] if model else []
    if not unknown:
        return ""
    return (
        f"; it knows topics no entry has now ({', '.join(unknown)}): if an entry was renamed, rename its labels in "
        "the labelled sets (tests/sets/*.yaml) too, or `kb train` will refuse"
    )


def _train(settings: Settings, examples: list[Path] | None) -> int:
    from bot.core.loader import load_knowledge
    from bot.core.training import TrainingUnavailable, UnknownLabels, default_example_sets, train

    paths = examples if examples is not None else default_example_sets()
    try:
        model = train(load_knowledge(settings.knowledge_dir), paths)
    except (TrainingUnavailable, UnknownLabels) as error:
        print(f"footbot: {error}", file=sys.stderr)
        return 1
    target = settings.knowledge_dir / MODEL_FILE
    model.save(target)
    print(f"Trained on {len(paths)} example set(s): {len(model.features)} features, {len(model.labels)} labels")
    print(f"Saved {target}; commit it with the YAML it was trained on.")
    return 0


def _misses(settings: Settings, limit: int) -> int:
    """The curator's list, read-only: with no database it says so and creates nothing."""
    with _open_store(settings, read_only=True) as store:
        rows = store.top_misses(limit)
    if not rows:
        print("No unanswered questions recorded yet.")
        return 0
    width = max(len(str(count)) for _, count in rows)
    for text, count in rows:
        print(f"{count:>{width}}  {text}")
    return 0


def _run(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.token:
        print(
            "footbot: set TELEGRAM_BOT_TOKEN to run the Telegram bot (see README), "
            "or run `footbot chat` to try it here.",
            file=sys.stderr,
        )
        return 2
    from bot.telegram_app.app import run

    with _open_store(settings):  # a damaged or foreign database stops the bot here, before Telegram is contacted
        pass
    run(
        settings,
        webhook_url=getattr(args, "webhook_url", None),
        listen=getattr(args, "listen", "127.0.0.1"),
        port=getattr(args, "port", 8443),
    )
    return 0


@contextmanager
def _open_store(settings: Settings, *, read_only: bool = False) -> Iterator[Store]:
    """The database, closed afterwards; a StoreError (missing, damaged, read-only...) is reported by `main`.

    `read_only`: the database must already exist, and is neither created nor changed (backup, kb misses).
    """
    store = Store.open(settings.data_dir, read_only=read_only, record_misses=settings.record_misses)
    try:
        yield store
    finally:
        store.close()


def _backup(settings: Settings, target: str) -> int:
    """An online copy of the database: safe while the bot runs (SQLite's backup API).

    Refuses (one line, exit 1) a missing database or target folder before touching anything, so a wrong
    FOOTBOT_DATA_DIR never yields an empty "backup" or a stray ./data folder.
    """
    destination = Path(target)
    if not destination.parent.is_dir():
        raise StoreError(f"Cannot back up to {target}: the folder {destination.parent} does not exist.")
    with _open_store(settings, read_only=True) as store:
        store.backup_to(destination)
        source = store.path
    print(f"Backed up {source} to {target}")
    return 0
