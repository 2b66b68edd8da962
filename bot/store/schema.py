"""The tables, written as the migrations that build them: to change the schema, append a migration.

The schema version is SQLite's `PRAGMA user_version`, the number of migrations applied; `Database` runs the missing
ones at open, each in one transaction. Tests that add a migration patch MIGRATIONS and SCHEMA_VERSION here.
"""

from __future__ import annotations

# Each entry upgrades the schema by one version; never edit a released entry, append a new one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE people (
            chat_id INTEGER PRIMARY KEY,
            remind_at TEXT,                               -- local 'HH:MM', NULL until first set
            zone TEXT NOT NULL DEFAULT 'UTC',             -- IANA zone name
            zone_confirmed INTEGER NOT NULL DEFAULT 0,    -- 0 while we only assume DEFAULT_ZONE
            enabled INTEGER NOT NULL DEFAULT 0,
            next_due INTEGER,                             -- UTC epoch seconds; NULL when off
            snooze_due INTEGER                            -- UTC epoch seconds of a pending snooze
        )""",
        "CREATE INDEX people_next_due ON people(next_due) WHERE next_due IS NOT NULL",
        "CREATE INDEX people_snooze_due ON people(snooze_due) WHERE snooze_due IS NOT NULL",
        """CREATE TABLE deliveries (
            chat_id INTEGER NOT NULL,
            night TEXT NOT NULL,                          -- local date the night began, 'YYYY-MM-DD'
            status TEXT NOT NULL,                         -- claimed, sent, uncertain, undeliverable, failed
            claimed_at INTEGER NOT NULL,
            PRIMARY KEY (chat_id, night)
        ) WITHOUT ROWID""",
        "CREATE INDEX deliveries_claimed_at ON deliveries(claimed_at)",
        """CREATE TABLE misses (
            text TEXT PRIMARY KEY,                        -- the matcher's normalised form, no ids
            count INTEGER NOT NULL,
            first_seen TEXT NOT NULL,                     -- UTC dates only, not times
            last_seen TEXT NOT NULL
        ) WITHOUT ROWID""",
    ),
    # 2: a /forget whose VACUUM was postponed is remembered across a crash and finished at the next open.
    # Misses recorded before version 2 were the whole normalised message (names, phone numbers, health):
    # they cannot be redacted without the knowledge, so they are dropped, and the file is scrubbed of them.
    (
        "CREATE TABLE scrub_owed (id INTEGER PRIMARY KEY CHECK (id = 1))",
        "INSERT INTO scrub_owed (id) SELECT 1 WHERE EXISTS (SELECT 1 FROM misses)",
        "DELETE FROM misses",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
