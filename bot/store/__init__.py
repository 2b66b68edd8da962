"""footbot's state, in one SQLite file: reminders, time zones, delivery records, the anonymous miss counter, the
update journal. `Store` is the one object the rest of footbot uses; import from here (`from bot.store import Store`).

What is stored about a person is only what sending the reminder needs: chat id, local time, zone,
whether the zone was confirmed, on/off, the next due instant, a pending snooze and, for a few days,
which nights were already sent. Misses carry no user or chat id, and only what `bot.core.privacy`
lets through (no condition or red-flag message at all); they are dropped after MISS_KEEP_DAYS.

One module per concern, each a class that `Store` is composed of:
    errors.py        StoreError, and a failure's cause in words
    files.py         checks before SQLite opens the file: a whole database, and writable
    schema.py        the tables, as migrations
    transactions.py  `_reading` / `_writing`: one short transaction at a time, errors as StoreError
    forgetting.py    /forget: delete a chat's rows, then VACUUM and checkpoint them out of the file
    database.py      open (checked, migrated, WAL), close, backup
    reminders.py     Person: a reminder's time, zone, snooze, next due
    deliveries.py    Claim: each night's reminder sent exactly once
    misses.py        the curator's count of unanswered questions
    journal.py       Telegram updates written down before they are handled
"""

from __future__ import annotations

from bot.store.database import DB_FILENAME
from bot.store.deliveries import DELIVERY_RECORD_DAYS, Claim, Deliveries
from bot.store.errors import StoreError, explain
from bot.store.files import SQLITE_HEADER, WRITE_PROBE_BYTES, check_file, probe_writable
from bot.store.forgetting import CHECKPOINT_WAIT_MS, VACUUM_MIN_INTERVAL_SECONDS
from bot.store.journal import UpdateJournal
from bot.store.misses import MAX_MISS_LENGTH, MISS_KEEP_DAYS, Misses
from bot.store.reminders import DEFAULT_ZONE, Person
from bot.store.schema import MIGRATIONS, SCHEMA_VERSION  # copies: to add a migration in a test, patch bot.store.schema
from bot.store.transactions import BUSY_TIMEOUT_MS


class Store(Deliveries, Misses, UpdateJournal):
    """A SQLite database owned by footbot. Safe to share between asyncio tasks and threads.

    Every method is one short transaction. `now` is always passed in (UTC epoch seconds), so the
    caller's clock decides and tests can run any date without sleeping.
    """


__all__ = [
    "BUSY_TIMEOUT_MS",
    "CHECKPOINT_WAIT_MS",
    "DB_FILENAME",
    "DEFAULT_ZONE",
    "DELIVERY_RECORD_DAYS",
    "MAX_MISS_LENGTH",
    "MIGRATIONS",
    "MISS_KEEP_DAYS",
    "SCHEMA_VERSION",
    "SQLITE_HEADER",
    "VACUUM_MIN_INTERVAL_SECONDS",
    "WRITE_PROBE_BYTES",
    "Claim",
    "Person",
    "Store",
    "StoreError",
    "check_file",
    "explain",
    "probe_writable",
]
