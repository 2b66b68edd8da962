"""No update lost to a hard kill: every update fetched from Telegram is written down before it is handled.

python-telegram-bot confirms a batch to Telegram (the next getUpdates carries offset = last + 1) before
the batch is handled, and a webhook is answered 200 as soon as the update is queued; a process killed
with SIGKILL (or an out-of-memory kill, a power cut of the container) then loses everything fetched but
not yet answered. So each update goes through the store's `update_journal`:

  fetched   written (raw JSON) in one transaction per batch, before the library sees the batch;
  started   just before its handler's first request that a person could see (sendMessage, an edit, a
            button answer; not the typing indicator), committed before that request is written: from
            here a reply may be out, so it is never handled again (at most one reply). The transport
            asks for this mark (`before_reply`, called by retrying_request.py); the update processor
            says which update the running handler serves (`handling`);
  handled   after its handler (batched, lazily: this state only serves the log and pruning).

At start, updates fetched but never started are handled first (app.py `replay_journal`); those started but not
finished are reported and not repeated. Telegram redelivers updates it was never told we had; an update
id already in the journal is not handled twice. Raw JSON (message text) is dropped as handling starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from bot.store import Store, StoreError

logger = logging.getLogger(__name__)

HANDLED_FLUSH_SECONDS = 0.5  # handled marks are written this often (nothing depends on them at once)
# Handled ids are kept until a poll's offset confirms them, or else (webhook; a process that died before its
# next poll) this long: Telegram keeps an unconfirmed update for up to 24 hours.
KEEP_IDS_SECONDS = 25 * 3600
PRUNE_EVERY_SECONDS = 60.0
# Bot API methods that show nothing to anyone (or only for a moment): no reason to give up a replay for them.
UNSEEN_METHODS = frozenset({"sendChatAction"})

# The update the handler running in this task serves, until its first visible request marks it started.
_UNMARKED: ContextVar[tuple[UpdateJournal, int] | None] = ContextVar("footbot_unmarked_update", default=None)


@contextmanager
def handling(journal: UpdateJournal, update_id: int) -> Iterator[None]:
    """While the handler of `update_id` runs here, its first visible request first writes the started mark."""
    token = _UNMARKED.set((journal, update_id))
    try:
        yield
    finally:
        _UNMARKED.reset(token)


async def before_reply(method: str) -> None:
    """Called before each Bot API request: the first visible one of an update marks it started, durably."""
    current = _UNMARKED.get()
    if current is None or method in UNSEEN_METHODS or method.startswith("get"):
        return
    _UNMARKED.set(None)
    journal, update_id = current
    journal.started(update_id)


class UpdateJournal:
    """The journal of one running bot; inert until `attach`ed to the store (tests may run without it)."""

    def __init__(self) -> None:
        self.store: Store | None = None
        self._live: set[int] = set()  # ids fetched (or replayed) by this process and not started yet
        self._handled: list[int] = []
        self._handled_flush: asyncio.TimerHandle | None = None
        self._last_prune = float("-inf")
        self._prune_timer: asyncio.TimerHandle | None = None

    def attach(self, store: Store) -> None:
        store.open_journal()
        self.store = store

    def detach(self) -> None:
        """At shutdown, before the store closes: write what is pending and stop the timers."""
        self.flush()
        if self._prune_timer is not None:
            self._prune_timer.cancel()
            self._prune_timer = None
        self.store = None

    @property
    def active(self) -> bool:
        return self.store is not None

    # -- fetching --------------------------------------------------------------------------------------

    def fetched(self, raw_updates: list[dict[str, Any]], confirmed_below: int | None = None) -> set[int]:
        """Write a fetched batch down; the ids to handle (not seen before). Without a store: all of them."""
        ids = [raw["update_id"] for raw in raw_updates]
        if self.store is None:
            return set(ids)
        rows = [(raw["update_id"], json.dumps(raw, ensure_ascii=False, separators=(",", ":"))) for raw in raw_updates]
        try:
            new = self.store.journal_fetched(rows, _now(), confirmed_below)
        except StoreError as error:  # answering matters more than durability: carry on unjournaled
            logger.error("Could not journal %d fetched update(s): %s", len(rows), error)
            return set(ids)
        if len(new) < len(ids):
            logger.info("%d update(s) delivered again were already fetched; not handled twice", len(ids) - len(new))
        self._live.update(new)
        self._maybe_prune()
        return new

    def unhandled(self) -> list[dict[str, Any]]:
        """At start: the raw updates a previous process fetched but never began to handle, oldest first."""
        if self.store is None:
            return []
        self._maybe_prune()
        fetched, interrupted = self.store.journal_unhandled()
        if interrupted:
            logger.warning(
                "%d update(s) had begun to be answered when the bot last stopped (some may be done); not repeated",
                len(interrupted),
            )
            self.store.journal_handled(interrupted, _now())
        raws = []
        for update_id, raw in fetched:
            try:
                raws.append(json.loads(raw))
            except ValueError:
                logger.warning("Journaled update %d cannot be read back; skipped", update_id)
                self.store.journal_handled([update_id], _now())
                continue
            self._live.add(update_id)
        return raws

    # -- handling --------------------------------------------------------------------------------------

    def started(self, update_id: int) -> None:
        """Mark the update as being answered, durably, before its first visible request is sent.

        One commit per update, on the spot: batching the marks of several updates would mean waiting a loop
        iteration, in which a busy bot runs every other ready task (tens of milliseconds) and a kill finds
        marked updates whose reply never left. A commit here costs about 17 µs of CPU (WAL, synchronous=NORMAL:
        no fsync), a few per cent of an update."""
        if self.store is None or update_id not in self._live:
            return
        self._live.discard(update_id)
        self._write(self.store.journal_started, [update_id])

    def handled(self, update_id: int) -> None:
        if self.store is None:
            return
        self._handled.append(update_id)
        if self._handled_flush is None:
            self._handled_flush = asyncio.get_running_loop().call_later(HANDLED_FLUSH_SECONDS, self.flush)

    def flush(self) -> None:
        """Write pending handled marks now (also at shutdown)."""
        if self._handled_flush is not None:
            self._handled_flush.cancel()
            self._handled_flush = None
        ids, self._handled = self._handled, []
        if ids and self.store is not None:
            self._write(self.store.journal_handled, ids)
            self._maybe_prune()

    def _maybe_prune(self) -> None:
        """Prune and empty the WAL at most once a minute, and (by a timer) a minute after the last time it was
        asked for, so the last text written before a quiet spell does not linger in the WAL either."""
        now = time.monotonic()
        if self.store is None:
            return
        if now - self._last_prune < PRUNE_EVERY_SECONDS:
            if self._prune_timer is None:
                with contextlib.suppress(RuntimeError):  # no running loop: the next call prunes
                    self._prune_timer = asyncio.get_running_loop().call_later(
                        self._last_prune + PRUNE_EVERY_SECONDS - now, self._maybe_prune
                    )
            return
        if self._prune_timer is not None:
            self._prune_timer.cancel()
            self._prune_timer = None
        self._last_prune = now
        try:
            self.store.journal_prune(_now() - KEEP_IDS_SECONDS)
            # The write-ahead log still holds earlier versions of journal pages, message text included: copy
            # it into the file (where deleted text was zeroed) and empty it.
            self.store.checkpoint()
        except StoreError as error:
            logger.warning("Could not prune the update journal: %s", error)

    @staticmethod
    def _write(mark: Any, ids: Iterable[int]) -> None:
        try:
            mark(list(ids), _now())
        except StoreError as error:
            logger.error("Could not update the update journal: %s", error)


def _now() -> int:
    return int(time.time())
