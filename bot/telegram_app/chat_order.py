"""Updates from different chats are handled at the same time; updates from one chat, in order.

python-telegram-bot either handles every update one after another (slow: each waits for the previous
reply's HTTP round trip) or all at once (fast, but two quick messages from one person could be
answered in the wrong order, and two quick "Next" presses could race on the same routine message).
This processor gives both: concurrency across chats, order within a chat. It also tells the update
journal (journal.py) when each update's handling starts and ends, so a hard kill loses none.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.telegram_app.journal import UpdateJournal, handling

DEFAULT_CONCURRENT_UPDATES = 256


class ChatOrderedUpdateProcessor(BaseUpdateProcessor):
    """At most `max_concurrent_updates` in flight; per chat, one at a time in arrival order."""

    def __init__(
        self, max_concurrent_updates: int = DEFAULT_CONCURRENT_UPDATES, journal: UpdateJournal | None = None
    ) -> None:
        super().__init__(max_concurrent_updates)
        self.journal = journal or UpdateJournal()
        # chat id -> the lock serialising that chat, and how many updates hold or wait for it.
        self._chat_locks: dict[int, tuple[asyncio.Lock, list[int]]] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        chat_id = _chat_id(update)
        if chat_id is None:
            await self._handle(update, coroutine)
            return
        lock, users = self._chat_locks.setdefault(chat_id, (asyncio.Lock(), [0]))
        users[0] += 1
        try:
            async with lock:
                await self._handle(update, coroutine)
        finally:
            users[0] -= 1
            if users[0] == 0:
                del self._chat_locks[chat_id]

    async def _handle(self, update: object, coroutine: Awaitable[object]) -> None:
        update_id = update.update_id if isinstance(update, Update) else None
        if update_id is None:
            await coroutine
            return
        try:
            with handling(self.journal, update_id):  # its first reply marks it started (journal.py)
                await coroutine
        finally:
            self.journal.handled(update_id)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Write the last handled marks."""
        self.journal.flush()


def _chat_id(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None
