"""A console chat on the same core, so anyone can try footbot with no bot token and no setup."""

from __future__ import annotations

import contextlib
from pathlib import Path

from bot.core.engine import Engine
from bot.core.replies import Reply, ReplyKind

HISTORY_FILE = Path.home() / ".footbot_history"
COMMANDS = {
    "/help": "show this help",
    "/routine": "tonight's routine, step by step",
    "/toes": "the foot map: each zone and what the guide links it to",
    "/safety": "who must be careful, and when to see a professional",
    "/quit": "leave (or press Ctrl-D)",
}


def chat(engine: Engine) -> int:
    """Read questions until Ctrl-D; readline gives history and line editing where the platform has it."""
    readline = _enable_history()
    print(f"footbot — {engine.kb.messages.extra.get('disclaimer', '')}")
    print("Ask me anything about a bedtime foot massage. Type /help for commands, Ctrl-D to quit.\n")
    try:
        while True:
            try:
                line = input("you> ")
            except EOFError:
                print()
                break
            if line.strip() in {"/quit", "/exit"}:
                break
            if not line.strip():
                continue
            print(_respond(engine, line.strip()) + "\n")
    except KeyboardInterrupt:
        print()
    finally:
        if readline is not None:
            with contextlib.suppress(OSError):
                readline.write_history_file(HISTORY_FILE)
    return 0


def _respond(engine: Engine, line: str) -> str:
    if line in {"/help", "/start"}:
        lines = [engine.kb.messages.extra.get("help", "")]
        lines += [f"  {command}  {description}" for command, description in COMMANDS.items()]
        return "\n".join(lines)
    if line == "/routine":
        return _walk_routine(engine)
    if line in {"/toes", "/zones"}:
        return "\n".join(f"• {entry.title}: {entry.answer}" for entry in engine.foot_map())
    if line == "/safety":
        return engine.safety_overview().plain_text()
    if line.startswith("/"):
        return "I don't know that command. Type /help to see what I can do."
    reply = engine.reply(line)
    if reply.kind is ReplyKind.ROUTINE:
        return _walk_routine(engine, reply)
    return reply.plain_text()


def _walk_routine(engine: Engine, reply: Reply | None = None) -> str:
    """One step at a time: Enter for the next step, q to stop."""
    routine = engine.kb.routine
    if reply is not None and reply.caveats:
        print("\n".join(f"⚠️ {caveat.text}" for caveat in reply.caveats if caveat.text) + "\n")
    print(routine.intro)
    for number, step in enumerate(routine.steps, start=1):
        print(f"\nStep {number} of {len(routine.steps)}: {step.title}\n{step.text}")
        if number < len(routine.steps):
            try:
                if input("(Enter for the next step, q to stop) ").strip().lower() == "q":
                    return "Stopped the routine. Type /routine to start again."
            except EOFError:
                return ""
    return "\n" + routine.outro


def _enable_history():  # type: ignore[no-untyped-def]
    try:
        import readline
    except ImportError:  # Windows without pyreadline
        return None
    with contextlib.suppress(OSError):
        readline.read_history_file(HISTORY_FILE)
    readline.set_history_length(500)
    return readline
