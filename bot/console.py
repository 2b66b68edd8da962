"""A console chat on the same core, so anyone can try footbot with no bot token and no setup.

Everything the core answers works here, and so do features asked for in words that need no Telegram: the
routine (stepped through with next / back / all / stop, questions welcome in between), the foot map as text
and the safety overview. Reminders, the time zone and /forget live in Telegram: the console says so and
shows the command to use there.
"""

from __future__ import annotations

import contextlib

from bot.core.actions import ActionKind
from bot.core.commands import Command, caution_before, command_in, command_reply
from bot.core.conversation import ChatContext
from bot.core.engine import Engine
from bot.core.follow_ups import RoutineControl
from bot.core.replies import Reply, ReplyKind

COMMANDS = {
    "/help": "show this help",
    "/routine": "tonight's routine, step by step (next, back, all, stop)",
    "/toes": "the foot map: each zone and what the guide links it to",
    "/safety": "who must be careful, and when to see a professional",
    "/quit": "leave (or press Ctrl-D)",
}
# The stepper's own keys: Enter and one letter. The words ("next", "ok", "back", "repeat", "stop"...) are the
# core's (conversation.yaml), as in Telegram.
NEXT = frozenset({"", "n"})
BACK = frozenset({"b"})
ALL = frozenset({"all", "all steps", "a"})
STOP = frozenset({"q"})
ROUTINE_HINT = "(Routine: step {step} of {total}. Type next, back, all or stop, or ask me anything.)"
AT_FIRST_STEP = "You're at step 1 already, the first step."
STOPPED = "Stopped the routine. Type /routine to start again."
NO_ROUTINE = "The routine isn't under way. Type /routine to start it, or ask me anything."


def chat(engine: Engine) -> int:
    """Read questions until Ctrl-D; readline gives line editing and this session's history where the platform has
    it. Nothing typed is written to disk: people type their health into this chat."""
    _enable_line_editing()
    session = ConsoleChat(engine)
    print(f"footbot — {engine.kb.messages.extra.get('disclaimer', '')}")
    print("Ask me anything about a bedtime foot massage. Type /help for commands, Ctrl-D to quit.\n")
    try:
        while True:
            try:
                line = input("you> ")
            except EOFError:
                print()
                break
            command = command_in(line)
            if command is not None and command.name in {"quit", "exit"}:
                break
            if not line.strip() and not session.in_routine:
                continue
            print(session.respond(line.strip()) + "\n")
    except KeyboardInterrupt:
        print()
    return 0


class ConsoleChat:
    """One console conversation: the core's context for follow-ups, and where the routine stepper stands.

    `context.routine_step` (0-based) is the step last shown while the routine is under way, so the core can
    read "and after that?" against it. The stepper keeps its own place too: a question asked in between may
    clear the core's (it answered something else), and the routine's place is put back; a follow-up the core
    answered with another step ("and after that?") moves the stepper there.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.context = ChatContext()
        self.in_routine = False
        self.step = 0  # the step shown last (0-based), while `in_routine`

    def respond(self, line: str) -> str:
        if self.in_routine:
            word = line.lower().strip(" .!")
            control = self.engine.follow_ups.routine_control(self.engine.normalise(line))
            moving = word in NEXT | BACK | ALL or control in (RoutineControl.NEXT, RoutineControl.BACK)
            held = self.engine.routine_held_back(self.context) if moving else None
            if held is not None:  # pregnancy named since the routine began: held back, as in Telegram
                self._end_routine()
                return held.plain_text()
            if word in NEXT or control is RoutineControl.NEXT:
                return self._move(+1)
            if word in BACK or control is RoutineControl.BACK:
                return self._move(-1)
            if word in ALL:  # with the caveats of conditions named in the chat, as each step carries them
                said = self.engine.routine_caveats(self.context)
                self._end_routine()
                return "\n\n".join(
                    [*(f"⚠️ {caveat.text}" for caveat in said if caveat.text), self.engine.routine_text()]
                )
            if word in STOP or control is RoutineControl.STOP:  # as the core stops it: "resume" shows this step again
                stopped = self.engine.steering.steer(RoutineControl.STOP, self.step, (), (), self.context)
                self.in_routine = False
                return stopped.plain_text() or STOPPED
            shown = self.step
            answer = self._respond(line)
            if not self.in_routine:  # the answer ended the routine
                return answer
            moved = self.context.routine_step
            if moved is not None and moved != shown and 0 <= moved < len(self.engine.kb.routine.steps):
                self.step = moved  # the core answered "and after that?" with another step
            self.context.show_step(self.step)
            return f"{answer}\n\n{self._hint()}"
        if line.lower().strip(" .!") in BACK | ALL | STOP:  # the stepper's own keys, typed after it ended
            return NO_ROUTINE
        # "stop" or "back" in words with no routine under way: the core says so, and what footbot can do
        answer = self._respond(line)
        shown = self.context.routine_step
        if not self.in_routine and shown is not None and 0 <= shown < len(self.engine.kb.routine.steps) - 1:
            # "step 5", "resume", "what comes after the sole?": the core put a step on screen, so Enter, "b" and "a"
            # steer from it as typed "next" and "back" already did
            self.in_routine = True
            self.step = shown
            return f"{answer}\n\n{self._hint()}"
        return answer

    # --- the routine -------------------------------------------------------------------------------

    def _start_routine(self, reply: Reply | None = None) -> str:
        shown = [caveat.text for caveat in reply.caveats if caveat.text] if reply is not None else []
        caveats = "\n\n".join(f"⚠️ {text}" for text in shown)  # an empty caveat was said already
        self.in_routine = True
        step = self._show(0, caveats=False)  # the request's own caveats come first, above the intro
        return "\n\n".join(part for part in (caveats, self.engine.kb.routine.intro, step) if part)

    def _move(self, by: int) -> str:
        steps = self.engine.kb.routine.steps
        current = self.step
        if current + by < 0:
            return f"{AT_FIRST_STEP}\n\n{self._show(0)}"
        if current + by >= len(steps):
            self._end_routine()
            return self.engine.kb.routine.outro
        return self._show(current + by)

    def _show(self, index: int, caveats: bool = True) -> str:
        """Step `index` (0-based), with what to type next, and (`caveats`) those of conditions named in the chat; the
        last step ends the stepper with the outro."""
        routine = self.engine.kb.routine
        self.step = index
        self.context.show_step(index)
        step = routine.steps[index]
        text = f"Step {index + 1} of {len(routine.steps)}: {step.title}\n{step.text}"
        said = self.engine.routine_caveats(self.context) if caveats else ()
        text = "\n\n".join([*(f"⚠️ {caveat.text}" for caveat in said if caveat.text), text])
        if index + 1 == len(routine.steps):
            self.in_routine = False
            return f"{text}\n\n{routine.outro}"
        return f"{text}\n\n(Enter or next for the next step; back, all or stop.)"

    def _hint(self) -> str:
        total = len(self.engine.kb.routine.steps)
        return ROUTINE_HINT.format(step=self.step + 1, total=total)

    def _end_routine(self) -> None:
        self.in_routine = False
        self.context.show_step(None)

    # --- everything else ---------------------------------------------------------------------------

    def _respond(self, line: str) -> str:
        command = command_in(line)  # "/routine now", "/Routine@footbot", as Telegram reads them
        if command is not None:
            return self._command(command)
        reply = self._ask(line)
        if reply.kind is ReplyKind.ROUTINE or (reply.action is not None and reply.action.do is ActionKind.ROUTINE):
            return self._start_routine(reply)
        # Anything else, actions included: the foot map as text, the safety overview, and for reminders, the
        # time zone and forgetting, that they live in Telegram and the command to send there.
        return reply.plain_text()

    def _command(self, command: Command) -> str:
        """A command, after the caution of any condition named in its words ("/routine my wife is pregnant"), as in
        Telegram; an emergency named there gets emergency care alone."""
        caution = caution_before(self.engine, command, self.context)
        if caution is not None and caution.kind is ReplyKind.RED_FLAG:
            return caution.plain_text()
        said = self._run_command(command)
        return f"{caution.plain_text()}\n\n{said}" if caution is not None else said

    def _run_command(self, command: Command) -> str:
        """/help and /start list the console's commands, and /routine starts its stepper; every other command is
        answered by the core as in `footbot ask --chats` (reminders, the time zone and /forget: how to in Telegram)."""
        if command.name in {"help", "start"}:
            lines = [self.engine.kb.messages.extra.get("help", "")]
            lines += [f"  {name}  {description}" for name, description in COMMANDS.items()]
            return "\n".join(lines)
        if command.name == "routine":  # held back once pregnancy was named, or the caveats named earlier first
            reply = command_reply(self.engine, command, self.context)
            starts = reply.action is not None and reply.action.do is ActionKind.ROUTINE
            return self._start_routine(reply) if starts else reply.plain_text()
        return command_reply(self.engine, command, self.context).plain_text()

    def _ask(self, line: str) -> Reply:
        return self.engine.reply(line, self.context)


def _enable_line_editing() -> None:
    """Importing readline gives `input()` arrow keys and an in-memory history; no history file is read or written."""
    with contextlib.suppress(ImportError):  # Windows without pyreadline
        import readline  # noqa: F401
