"""Commands as every adapter reads them, and the core's reply to each.

"/Routine@footbot now" is /routine with "now" after it, as Telegram reads it. The console and `footbot ask
--chats` answer a command through `reply_to_command`, so they say what Telegram's handlers say; Telegram adds its
buttons, the foot map's picture and the reminders themselves.
"""

from __future__ import annotations

from typing import NamedTuple

from bot.core.actions import Action, ActionKind, time_in
from bot.core.conversation import ChatContext
from bot.core.engine import Engine
from bot.core.follow_ups import RoutineControl
from bot.core.replies import Reply, ReplyKind

# Every command footbot handles; /zones, /tz and /zone are aliases, and /stop stays out of the menu.
HANDLED_COMMANDS = (
    "start", "help", "toes", "zones", "routine", "safety", "remind", "stop", "timezone", "tz", "zone", "forget"
)  # fmt: skip
# The commands whose words are read for a condition ("/routine my wife is pregnant"): every one but /start, whose
# words are a link's payload, not the person's, and /forget, whose words are being deleted.
COMMANDS_READ_FOR_CONDITIONS = tuple(name for name in HANDLED_COMMANDS if name not in {"start", "forget"})
UNKNOWN_COMMAND = "I don't know the command {command}. Send /help to see what I can do."
MAX_COMMAND_SHOWN = 64  # characters of an unknown command said back: Telegram's limit for a command's name
OFF_WORDS = frozenset({"off", "stop", "cancel", "none", "no", "disable", "0ff"})  # "/remind off"
# "/remind on": the time the reminder had (Telegram's from its store; the console's and `ask --chats`' from the chat's
# memory), else the menu
ON_WORDS = frozenset({"on", "back on", "resume", "again", "restart", "enable", "turn on"})


class Command(NamedTuple):
    name: str  # lower case, with no slash and no "@botname": "routine"
    argument: str  # the words after it: "now"
    typed: str = ""  # the command as typed, "@botname" dropped: "/Routine" (an unknown one is named so)


def command_in(line: str) -> Command | None:
    """The command a line starts with, read as Telegram reads one: in any case, "@botname" dropped, the words after
    a space or a tab; None for a line that is no command ("/" alone is none in Telegram either)."""
    words = line.split(maxsplit=1)
    if not words or not words[0].startswith("/"):
        return None
    typed = words[0].partition("@")[0]
    name = typed[1:].lower()
    return Command(name, words[1].strip() if len(words) > 1 else "", typed) if name else None


def unknown_command_text(engine: Engine, typed: str) -> str:
    """The hint for a command footbot does not have, naming it as typed ("/Foo", its "@botname" dropped): the one
    text Telegram's fallback and the core's command path both say (meta.yaml `unknown_command`)."""
    hint = engine.kb.messages.extra.get("unknown_command", UNKNOWN_COMMAND)
    return hint.replace("{command}", typed.partition("@")[0][:MAX_COMMAND_SHOWN])


def reminder_action(command: Command, context: ChatContext | None = None) -> Action:
    """/remind 22:30, /remind off, /stop, /timezone berlin, /forget: what Telegram carries out (other adapters say
    how it works there). /remind on brings back the time the chat's reminder had, as Telegram's does from its store:
    here from the chat's memory (`context`), else the menu, as there with no time stored."""
    if command.name == "forget":
        return Action(ActionKind.FORGET)
    if command.name in {"timezone", "tz", "zone"}:
        return Action(ActionKind.TIMEZONE, place=command.argument or None)
    said = command.argument.lower().strip(" .!")
    if command.name == "stop" or said in OFF_WORDS:
        return Action(ActionKind.REMIND_OFF)
    if said in ON_WORDS:
        return Action(ActionKind.REMIND, time=(context.reminder_at if context is not None else None) or None)
    return Action(ActionKind.REMIND, time=time_in(command.argument) if command.argument else None)


def caution_before(engine: Engine, command: Command, context: ChatContext | None) -> Reply | None:
    """The caution (or emergency care) for a condition named in a command's words ("/routine my wife is pregnant"),
    said before the command's own reply; the chat remembers the condition. None when none is named."""
    return engine.caution_alone(command.argument, context) if _words_read(command) else None


def command_reply(engine: Engine, command: Command, context: ChatContext | None) -> Reply:
    """The reply to a command alone, as Telegram's handler gives it in words; a condition named in the command's own
    words was cautioned already (`caution_before`), so its caveat is not said again under it."""
    reply = _command_reply(engine, command, context)
    if not reply.caveats or not _words_read(command):
        return reply
    cautioned = engine.safety.detect(command.argument)
    return reply._replace(caveats=tuple(caveat for caveat in reply.caveats if caveat.condition not in cautioned))


def _words_read(command: Command) -> bool:
    """The command's words are read for a condition (see COMMANDS_READ_FOR_CONDITIONS)."""
    return bool(command.argument) and command.name in COMMANDS_READ_FOR_CONDITIONS


def _command_reply(engine: Engine, command: Command, context: ChatContext | None) -> Reply:
    extra = engine.kb.messages.extra
    name = command.name
    if name == "start":
        return Reply(ReplyKind.SMALLTALK, _joined(extra.get("welcome", ""), extra.get("disclaimer", "")), score=100.0)
    if name == "help":
        return Reply(ReplyKind.SMALLTALK, _joined(extra.get("help", ""), extra.get("disclaimer", "")), score=100.0)
    if name == "routine":
        held = engine.routine_held_back(context)  # pregnancy named earlier in the chat
        return held if held is not None else engine.action_in_chat(Action(ActionKind.ROUTINE), (), context)
    if name in {"toes", "zones"}:
        return engine.action_in_chat(Action(ActionKind.FOOT_MAP), (), context)
    if name == "safety":
        return engine.safety_overview()
    on_screen = context.routine_on_screen if context is not None else None
    if name == "stop" and on_screen is not None:  # a step on screen: /stop stops the routine, as "stop" does
        return engine.steering.steer(RoutineControl.STOP, on_screen, (), (), context)
    if name in HANDLED_COMMANDS:  # "/remind 22:30", then "make it 10:30" changes it, as after words
        return engine.action_in_chat(reminder_action(command, context), (), context)
    return Reply(ReplyKind.SMALLTALK, unknown_command_text(engine, command.typed or f"/{name}"), score=100.0)


def reply_to_command(engine: Engine, command: Command, context: ChatContext | None) -> Reply:
    """The caution for a condition named in the command's words, then the command's reply; emergency care alone."""
    caution = caution_before(engine, command, context)
    if caution is not None and caution.kind is ReplyKind.RED_FLAG:
        return caution
    reply = command_reply(engine, command, context)
    if caution is None:
        return reply
    said = {caveat.condition for caveat in caution.caveats}
    return reply._replace(
        body=f"{caution.body}\n\n{reply.body}",
        caveats=(*caution.caveats, *(caveat for caveat in reply.caveats if caveat.condition not in said)),
    )


def _joined(*parts: str) -> str:
    return "\n\n".join(part for part in parts if part)
