"""A conversation's short memory, per chat: what was last talked about and which conditions were named.

Kept in memory only (never on disk, never the message text), for 30 minutes after the chat's last message;
`/forget` clears it and a restart loses it. Adapters hold one `Conversations` and hand the chat's `ChatContext`
to `Engine.reply`; the core reads and updates it, so Telegram and `ask --json --chats` keep context the same way.

Memory is bounded twice: contexts idle for longer than the TTL are dropped as soon as any chat speaks (the
oldest are first in line, so this costs nothing when none has expired), and at most `MAX_CHATS` are kept
(the least recently active goes first). A context is a few ids and flags: about 600 bytes.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

from bot.core.knowledge import Condition

# `ChatContext.offered` just after a reminder was set or its menu shown: a time said next sets it, "cancel it" stops it.
REMINDER_SHOWN = "reminder shown"
REMINDER_TIME_UNKNOWN = ""  # `ChatContext.reminder_at` of a reminder set at a time not known here ("an hour later")
CONTEXT_TTL = 30 * 60  # seconds after the last message that a follow-up is still read against it
MAX_CHATS = 10_000  # contexts kept at most; the least recently active is dropped first


@dataclass(slots=True)
class ChatContext:
    """What a follow-up is resolved against. Small and plain: a few ids and flags per chat."""

    topics: tuple[str, ...] = ()  # entries the last reply answered, in order
    conditions: frozenset[Condition] = frozenset()  # conditions named in this conversation
    caveats_said: frozenset[Condition] = frozenset()  # conditions whose full caveat was already shown
    # Index (0 = first) of the routine step last shown, while the routine is under way: "and after that?" is
    # the next one. The core sets it when it answers with a step; an adapter stepping through the routine
    # sets it as it shows each step.
    routine_step: int | None = None
    # The step on screen when a question interrupted the routine: "stop", "back" and "next" still steer it.
    routine_paused: int | None = None
    # The step on screen when "stop" ended the routine: "resume" or "where were we?" shows it again.
    routine_stopped: int | None = None
    # What the last reply offered to do ("remind": a bedtime reminder): "10pm please" next takes it up; or
    # REMINDER_SHOWN, when it set one or showed the reminder menu: "actually make it 10" next sets that time.
    offered: str | None = None
    # The last reply sent to emergency care: the next one says so again first, whatever it is asked.
    after_red_flag: bool = False
    # The entry whose list the chat is going through ("what are the benefits?" ... "and the third one?"): set by an
    # answer with `items`, kept while the replies answer its items.
    listing: str | None = None
    # footbot has replied in this chat before: an opening "ok" or "i meant" answers that reply
    talked: bool = False
    # The bedtime reminder this chat set, while the chat remembers it: its time ("22:00"), or REMINDER_TIME_UNKNOWN when
    # it was moved from a time not known here; None when none was set. "make it 11" long after changes it; in the
    # console and `ask --chats`, "/remind on" brings its time back (Telegram's reads the store).
    reminder_at: str | None = None
    last_seen: float = field(default=0.0)

    @property
    def routine_on_screen(self) -> int | None:
        """The routine step last shown, under way or paused by a question; None when no routine is going."""
        return self.routine_step if self.routine_step is not None else self.routine_paused

    def show_step(self, step: int | None) -> None:
        """An adapter shows routine step `step` (0-based), or None when the routine is not under way (ended, or
        shown whole): nothing is paused any more."""
        self.routine_step = step
        self.routine_paused = None
        if step is not None:
            self.routine_stopped = None


class Conversations:
    """Per-chat contexts, bounded in count (LRU) and in time (TTL)."""

    def __init__(
        self, ttl: float = CONTEXT_TTL, max_chats: int = MAX_CHATS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._ttl = ttl
        self._max = max_chats
        self._clock = clock
        self._chats: OrderedDict[Hashable, ChatContext] = OrderedDict()

    def get(self, chat: Hashable) -> ChatContext:
        """The chat's context, fresh when it has none or its last message is older than the TTL."""
        now = self._clock()
        self._drop_idle(now)
        context = self._chats.get(chat)
        if context is None:
            context = ChatContext()
        self._chats[chat] = context
        self._chats.move_to_end(chat)
        context.last_seen = now
        while len(self._chats) > self._max:
            self._chats.popitem(last=False)
        return context

    def _drop_idle(self, now: float) -> None:
        """Contexts idle for longer than the TTL, oldest first (the order is that of last activity)."""
        while self._chats:
            oldest = next(iter(self._chats.values()))
            if now - oldest.last_seen <= self._ttl:
                return
            self._chats.popitem(last=False)

    def forget(self, chat: Hashable) -> None:
        self._chats.pop(chat, None)

    def __len__(self) -> int:
        return len(self._chats)

    def __contains__(self, chat: Hashable) -> bool:
        return chat in self._chats
