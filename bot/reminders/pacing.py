"""Spacing out bulk sends so thousands of reminders due in one minute stay under Telegram's limit.

Telegram allows about 30 messages a second overall. A burst that goes over is answered with 429 and
a pause for everyone, so reminders are sent at an even pace a little under the cap instead.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

TELEGRAM_MESSAGES_PER_SECOND = 30
# One slot a second is kept spare so a few milliseconds of network jitter never makes 31 in a second.
REMINDER_SENDS_PER_SECOND = TELEGRAM_MESSAGES_PER_SECOND - 1.0


class Pacer:
    """Lets callers through one at a time, evenly spaced at `rate` per second, with no burst.

    Callers queue on a lock, so slots are never handed out ahead of time: when the event loop was
    held up, the next caller goes at once but the one after waits a full interval again. A pause
    (a 429's retry_after) delays everyone by that much.
    """

    def __init__(
        self,
        rate: float = REMINDER_SENDS_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._next = float("-inf")
        self._turn = asyncio.Lock()

    async def wait(self) -> None:
        """Return when this caller may send."""
        async with self._turn:
            delay = self._next - self._clock()
            if delay > 0:
                await self._sleep(delay)
            now = self._clock()
            # Late by a little (sleep overshoot): keep the schedule. Late by a lot (idle, or the event
            # loop was held up): start afresh from now, so missed slots are not made up in a burst.
            on_schedule = now - self._next < self.interval / 2
            self._next = (self._next if on_schedule else now) + self.interval

    def pause(self, seconds: float) -> None:
        """Nobody goes for `seconds` from now (Telegram asked us to wait)."""
        self._next = max(self._next, self._clock() + seconds)
