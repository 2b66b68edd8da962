"""Sending the bedtime reminders when they fall due, exactly once, and the store's start and stop.

Delivery does not keep one scheduler job per person. The store holds each person's next due instant
(UTC, indexed); one repeating job sweeps every SWEEP_SECONDS (and once at start-up) for everyone due.
Each reminder is claimed in the store (its night recorded, its next due moved on) right before it is
sent, so a crash or a second process can never send it twice; a send that surely failed is released
for the next sweep to retry. Sends are paced a little under Telegram's 30 messages a second.

Reading order: what a send's failure means, the sweep, the jobs, start-up and shutdown.
"""

from __future__ import annotations

import asyncio
import logging
import time as wall_clock
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from enum import StrEnum

import aiohttp
import httpx
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes

from bot.config import Settings
from bot.core.engine import Engine
from bot.reminders.pacing import REMINDER_SENDS_PER_SECOND, Pacer
from bot.store import Claim, Store
from bot.telegram_app.reminder_texts import reminder_html, reminder_keyboard
from bot.telegram_app.reminders import CLOCK, STORE
from bot.telegram_app.sending import send_html
from bot.telegram_app.tolerant_bot import TolerantBot

logger = logging.getLogger(__name__)

DELIVERY = "reminders_delivery"  # bot_data key
SWEEP_SECONDS = 15.0
SWEEP_OFFSET_SECONDS = 0.05  # just after the whole second, so the minute has surely begun
CATCH_UP_WAIT_SECONDS = 10.0  # at most this long at start for the messages sent while the bot was down
MISFIRE_GRACE_SECONDS = 60  # the scheduler's default (1 s) would silently skip a sweep on a busy loop
CONCURRENT_SENDS = 16  # enough to keep the pace over slow round trips; few claimed-but-unsent at a crash
TIDY_EVERY_SECONDS = 3600
SKIP_BATCH = 1000
RETRY_AFTER_ATTEMPTS = 5  # a reminder meeting 429 is tried this many times before the next sweep retries it
RETRY_AFTER_MARGIN_SECONDS = 0.1
STOP_CHECK_SECONDS = 0.25  # while waiting for a send slot, how often to look whether the application is stopping

# Failures before a request left this machine, for both transports (ours is aiohttp; the library's is httpx).
NEVER_SENT = (
    aiohttp.ClientConnectorError,
    aiohttp.ConnectionTimeoutError,
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
)


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retried later"  # surely not delivered (Telegram said so, or never connected): released
    UNCERTAIN = "uncertain"  # may have arrived (timed out after sending): never repeated
    RETIRED = "retired"  # blocked by the person, or the chat is gone: reminders turned off
    FAILED = "failed"  # refused for another reason: that night is given up, logged
    WITHDRAWN = "withdrawn"  # turned off while a 429 was waited out: not sent


class ReminderDelivery:
    """Sweeps the store for due reminders and snoozes, and sends them exactly once, paced.

    One sweep at a time; the repeating job starts a sweep only if none is running, so a long backlog
    (thousands due in one minute) is simply worked through while later sweeps stand aside.

    Sends go through `bot`: a plain Bot sharing the application's connection pool (and its retries
    of 5xx answers) but not its rate limiter. The pacer is the one gate for bulk sends, and a 429
    pauses the pacer for everyone before the same message is tried again: the limiter's own retry
    would release every waiting send at once after the pause, and that burst earns the next 429.
    """

    def __init__(
        self,
        application: Application,
        store: Store,
        clock: Callable[[], float],
        bot: Bot | None = None,
        pacer: Pacer | None = None,
        concurrency: int = CONCURRENT_SENDS,
    ) -> None:
        self.application = application
        self.store = store
        self.clock = clock
        self.bot = bot or application.bot
        self.pacer = pacer or Pacer(REMINDER_SENDS_PER_SECOND)
        self.concurrency = concurrency
        self._sweeping = asyncio.Lock()
        self.caught_up = False  # the start-up sweep has run (`catch_up_job`); the repeating one waits for it
        self._stop_with_app = False
        self._last_tidy = float("-inf")

    @property
    def busy(self) -> bool:
        return self._sweeping.locked()

    def _stopping(self) -> bool:
        """The application was running when this sweep began and is stopping now."""
        return self._stop_with_app and not self.application.running

    async def sweep(self) -> Counter[Outcome]:
        """Send everything due now; returns how each send went."""
        async with self._sweeping:
            outcomes: Counter[Outcome] = Counter()
            now = int(self.clock())
            while True:  # a long outage may leave many to skip: in batches, letting updates through
                if self.store.skip_overdue(now, SKIP_BATCH) < SKIP_BATCH:
                    break
                await asyncio.sleep(0)
            due = [(chat_id, False) for chat_id in self.store.due_reminders(now)]
            due += [(chat_id, True) for chat_id in self.store.due_snoozes(now)]
            if due:
                queue = iter(due)
                self._stop_with_app = self.application.running
                workers = [self._work(queue, outcomes) for _ in range(min(self.concurrency, len(due)))]
                await asyncio.gather(*workers)
                summary = ", ".join(f"{count} {outcome}" for outcome, count in outcomes.items())
                logger.info("Reminders due: %d; %s", len(due), summary or "none needed sending")
            self._tidy(now)
            return outcomes

    async def _work(self, queue: Iterator[tuple[int, bool]], outcomes: Counter[Outcome]) -> None:
        """Take the next due chat, wait for a send slot, claim, send; until the queue is empty.

        When the application is stopping, no new claim is made: what is unclaimed stays due for the
        next start, and the few sends in flight finish.
        """
        for chat_id, snooze in queue:
            if not await self._send_slot() or self._stopping():
                return
            now = int(self.clock())
            claim = self.store.claim_snooze(chat_id, now) if snooze else self.store.claim(chat_id, now)
            if claim is None:
                continue
            outcomes[await self._deliver(claim)] += 1

    async def _deliver(self, claim: Claim) -> Outcome:
        engine: Engine = self.application.bot_data["engine"]
        html = reminder_html(engine, claim.night, snoozed=claim.snooze)
        for attempt in range(RETRY_AFTER_ATTEMPTS):
            try:
                await send_html(self.bot, claim.chat_id, html, reminder_keyboard())
            except RetryAfter as error:
                self.pacer.pause(_seconds(error) + RETRY_AFTER_MARGIN_SECONDS)
                if attempt + 1 == RETRY_AFTER_ATTEMPTS or self._stopping() or not await self._send_slot():
                    self._record_failure(claim, Outcome.RETRY, error)
                    return Outcome.RETRY
                if not self.store.still_wanted(claim):  # "Off" tapped while Telegram made us wait
                    self.store.release(claim)
                    return Outcome.WITHDRAWN
            except Exception as error:  # every failure is classified: none may stop the sweep
                outcome = classify_failure(error)
                self._record_failure(claim, outcome, error)
                return outcome
            else:
                self.store.mark_sent(claim)
                return Outcome.SENT
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send_slot(self) -> bool:
        """Wait for the pacer's next slot; False as soon as the application stops meanwhile. A 429's retry_after
        can be minutes: SIGTERM must not wait it out (past `docker stop`'s grace, the kill would leave the
        reminder in hand claimed and unsent for the night)."""
        waiting = asyncio.ensure_future(self.pacer.wait())
        try:
            while not waiting.done():
                await asyncio.wait({waiting}, timeout=STOP_CHECK_SECONDS)
                if not waiting.done() and self._stopping():
                    return False
        finally:
            waiting.cancel()
        waiting.result()
        return True

    def _record_failure(self, claim: Claim, outcome: Outcome, error: Exception) -> None:
        kind = type(error).__name__
        if outcome is Outcome.RETIRED:
            self.store.retire(claim)
            logger.info("Reminder retired: the chat blocked the bot or no longer exists (%s)", kind)
        elif outcome is Outcome.RETRY:
            self.store.release(claim)
            logger.warning("Reminder not delivered (%s: %s); the next sweep retries", kind, error)
        elif outcome is Outcome.UNCERTAIN:
            self.store.mark_uncertain(claim)
            logger.warning("Reminder may not have arrived (%s); not repeated, so never sent twice", kind)
        else:
            self.store.mark_failed(claim)
            logger.error("Reminder refused; giving up on it for tonight", exc_info=error)

    def _tidy(self, now: int) -> None:
        """Once an hour: drop old delivery records and misses; any time: finish a VACUUM owed to /forget."""
        self.store.finish_forgetting()
        if now - self._last_tidy >= TIDY_EVERY_SECONDS:
            self.store.prune_deliveries(now)
            self.store.prune_misses(now)
            self._last_tidy = now


def bulk_sender(application: Application, settings: Settings) -> Bot:
    """A Bot for reminders: the application's token and HTTP connections, without its rate limiter."""
    return Bot(
        token=application.bot.token,
        base_url=settings.base_url,
        base_file_url=settings.base_file_url,
        request=application.bot.request,
    )


def _seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # the int-or-timedelta deprecation notice is not for us
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def classify_failure(error: BaseException) -> Outcome:
    """What a failed send means for at-most-once delivery.

    Released for a retry only when the message surely did not arrive: a 429 the rate limiter gave up
    on, a 5xx answer, or a connection that was never made. A timeout or a dropped connection after the
    request left may have delivered it, and a reminder is never risked twice.
    """
    if isinstance(error, Forbidden):
        return Outcome.RETIRED
    if isinstance(error, BadRequest):
        if "chat not found" in error.message.lower() or "user is deactivated" in error.message.lower():
            return Outcome.RETIRED
        return Outcome.FAILED
    if isinstance(error, RetryAfter):
        return Outcome.RETRY
    if isinstance(error, NetworkError):  # TimedOut is a NetworkError too
        cause = error.__cause__
        if cause is None or isinstance(cause, TelegramError):
            return Outcome.RETRY  # Telegram answered, with a 5xx: nothing was sent
        if isinstance(cause, NEVER_SENT):
            return Outcome.RETRY  # the request never left
        return Outcome.UNCERTAIN
    return Outcome.FAILED


async def sweep_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The repeating job: start a sweep unless one is still working through a backlog (or the start-up one has
    not run yet)."""
    delivery: ReminderDelivery = context.bot_data[DELIVERY]
    if delivery.busy or not delivery.caught_up:
        return
    context.application.create_task(delivery.sweep(), name="reminders:sweep")


async def catch_up_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The one-off sweep at start-up, for reminders that fell due while the bot was down: once the messages sent
    meanwhile are handled ("/remind off" at 22:25 stops the 22:30 reminder the bot was down for), or after
    CATCH_UP_WAIT_SECONDS whatever happens."""
    try:
        await _downtime_messages_handled(context.application)
    finally:  # whatever went wrong while waiting, the repeating sweep must not wait for a catch-up forever
        context.bot_data[DELIVERY].caught_up = True
    if context.application.running:  # not when it stopped meanwhile: the next start catches up
        await sweep_job(context)


async def _downtime_messages_handled(application: Application) -> None:
    """Returns when the first poll has answered and every update it (or the journal) queued is handled, when the
    application stops, or after CATCH_UP_WAIT_SECONDS. In webhook mode nothing says when Telegram has posted all."""
    bot, updater = application.bot, application.updater
    if not isinstance(bot, TolerantBot) or updater is None or not updater.running:
        return

    async def handled() -> None:
        await bot.polled.wait()
        await application.update_queue.join()

    waiting = asyncio.ensure_future(handled())
    loop = asyncio.get_running_loop()
    deadline = loop.time() + CATCH_UP_WAIT_SECONDS
    try:
        while not waiting.done() and application.running and loop.time() < deadline:
            await asyncio.wait({waiting}, timeout=0.1)
    finally:
        waiting.cancel()


async def sweep_now(application: Application) -> Counter[Outcome]:
    """Run one sweep and wait for it (tests and tools; the bot relies on the repeating job)."""
    delivery: ReminderDelivery = application.bot_data[DELIVERY]
    return await delivery.sweep()


# ---- start-up and shutdown ---------------------------------------------------------------------


async def on_startup(application: Application) -> None:
    """Open the store (a damaged one stops the bot here), then sweep now and every SWEEP_SECONDS."""
    settings: Settings = application.bot_data.get("settings") or Settings.from_env()
    store = application.bot_data.get(STORE)
    if store is None:
        store = Store.open(settings.data_dir, record_misses=settings.record_misses)
        application.bot_data[STORE] = store
    clock: Callable[[], float] = application.bot_data.setdefault(CLOCK, wall_clock.time)
    store.prune_misses(int(clock()))  # nothing older than MISS_KEEP_DAYS, even after a long downtime
    application.bot_data[DELIVERY] = ReminderDelivery(application, store, clock, bot=bulk_sender(application, settings))
    if application.job_queue is None:
        raise RuntimeError("reminders need python-telegram-bot[job-queue]")
    sweep_settings = {"misfire_grace_time": MISFIRE_GRACE_SECONDS, "coalesce": True, "max_instances": 1}
    # A one-off sweep as soon as the scheduler starts (and the messages sent meanwhile are read) catches up on
    # reminders missed while the bot was down. (An interval job whose start time has passed first runs one
    # interval later.)
    application.job_queue.run_once(catch_up_job, when=0, name="reminders:catch-up", job_kwargs=sweep_settings)
    # Sweeps fall on :00, :15, :30 and :45 of each minute, so a reminder set for 22:30 leaves at 22:30:00.
    first = SWEEP_SECONDS - wall_clock.time() % SWEEP_SECONDS + SWEEP_OFFSET_SECONDS
    application.job_queue.run_repeating(
        sweep_job, interval=SWEEP_SECONDS, first=first, name="reminders:sweep", job_kwargs=sweep_settings
    )
    logger.info("Reminders: %d active, checked every %.0f s", store.count_reminders(), SWEEP_SECONDS)


async def on_shutdown(application: Application) -> None:
    """Close the store (after the application stopped: no sweep is running any more)."""
    store: Store | None = application.bot_data.pop(STORE, None)
    if store is not None:
        store.close()
