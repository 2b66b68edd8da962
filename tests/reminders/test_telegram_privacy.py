"""What the running bot keeps, through real Bot API HTTP: after the red team's messages and /forget, the data folder's
raw bytes hold no name, phone number, diagnosis or chat id, and the /forget reply says exactly what is kept.
A database the bot could not write is refused before Telegram is contacted."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import Settings
from bot.core.engine import Engine
from bot.core.privacy import MASK
from bot.store import DB_FILENAME, Store, StoreError
from bot.telegram_app.forgetting import forget_html
from tests.reminders.bot_harness import ReminderFakeApi, forget_and_confirm, running_bot
from tests.reminders.clock import FakeClock, epoch
from tests.reminders.test_store_faults import id_traces, read_only
from tests.telegram.fake_bot_api import Person as Chatter
from tests.telegram.fake_bot_api import group_chat_dict

AFTERNOON = epoch("UTC", 2025, 6, 10, 15, 0)
ANNA = 5_123_456_789  # a realistic user id: stored as a 6-byte integer, so it can be searched for
RED_TEAM = [
    "my name is Anna Smith, I'm HIV positive, call me at +44 7700 900123, can reflexology help?",
    "I was born on 12/03/1985 and my email is anna.smith@example.com, does a foot rub help sleep?",
    "I take lithium for bipolar, what does reflexology say about that?",
    "I'm pregnant with twins, what about reflexology for my cat?",
]
SECRETS = [b"anna", b"smith", b"7700", b"900123", b"hiv", b"1985", b"example", b"lithium", b"bipolar", b"twins"]


def _all_bytes(data_dir: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(data_dir.iterdir()) if path.is_file())


async def test_after_the_red_team_messages_and_forget_no_name_phone_diagnosis_or_id_is_left(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        anna = Chatter(api, ANNA, first_name="Anna")
        in_group = Chatter(api, ANNA, chat=group_chat_dict(-100777), first_name="Anna")
        for text in RED_TEAM:
            await anna.say(text)
        await in_group.say("@footbot_test_bot " + RED_TEAM[0])
        await anna.say("/remind 22:30")
        text = await forget_and_confirm(api, anna)
        misses = app.bot_data["store"].top_misses()
    assert "I deleted your reminder" in text
    assert "Nothing else I keep is linked to you" not in text
    assert "count of questions I could not answer" in text and "deleted after 90 days" in text
    # The curator still learns what was asked, with nothing about who asked.
    assert (f"my name is {MASK} i am {MASK} me at {MASK} can reflexology help", 2) in misses
    assert not any("twins" in kept or "cat" in kept for kept, _ in misses)  # a condition: not kept at all
    stored = _all_bytes(data_dir).lower()
    for secret in SECRETS:
        assert secret not in stored, secret
    for trace in id_traces(ANNA):
        assert trace not in stored, trace


def test_the_forget_reply_says_what_is_kept_or_that_nothing_is() -> None:
    assert "questions are not recorded" in forget_html(True, counting_misses=False)
    counting = forget_html(False, counting_misses=True)
    assert counting.startswith("I had nothing stored about you")
    assert "not kept at all" in counting and "no link to you" in counting


@pytest.mark.parametrize(("value", "records"), [("", True), ("1", True), ("0", False), ("off", False)])
def test_footbot_record_misses_switches_the_counter(value: str, records: bool) -> None:
    assert Settings.from_env({"FOOTBOT_RECORD_MISSES": value}).record_misses is records


async def test_a_read_only_database_is_refused_before_telegram_is_contacted(
    api: ReminderFakeApi, data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(data_dir) as store:
        store.set_reminder(1, time(22, 30), AFTERNOON)
    monkeypatch.setenv("FOOTBOT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", api.token)
    monkeypatch.setenv("TELEGRAM_BASE_URL", api.base_url)
    with read_only(data_dir / DB_FILENAME):
        assert main(["run"]) == 1
    error = capsys.readouterr().err
    assert "read-only" in error and DB_FILENAME in error
    assert "damaged" not in error
    assert api.calls == []  # no getMe, no polling: people are never told "something went wrong" one by one


async def test_misses_older_than_ninety_days_are_dropped_when_the_bot_starts(
    api: ReminderFakeApi, data_dir: Path, engine: Engine
) -> None:
    with Store.open(data_dir) as store:
        store.record_miss("an old question", now=AFTERNOON - 91 * 86400)
        store.record_miss("a recent question", now=AFTERNOON - 10 * 86400)
    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        assert app.bot_data["store"].top_misses() == [("a recent question", 1)]


async def test_a_forget_the_store_refuses_is_answered_honestly_not_with_something_went_wrong(
    api: ReminderFakeApi, data_dir: Path, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(chat_id: int) -> bool:
        raise StoreError("Database error: the disk is full (SQLITE_FULL).")

    async with running_bot(api, data_dir, FakeClock(AFTERNOON), engine) as app:
        anna = Chatter(api, ANNA)
        await anna.say("/remind 22:30")
        monkeypatch.setattr(app.bot_data["store"], "forget", refused)
        text = await forget_and_confirm(api, anna)
    assert "could not delete your data" in text
    assert "Nothing was deleted yet" in text
