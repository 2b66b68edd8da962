"""The update journal: updates fetched but not handled when the bot stopped (a journal left behind, or a
process killed with SIGKILL) are handled after the restart, exactly once, and no message text outlives
its handling."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fake_bot_api import FakeBotApi, Person
from telegram.ext import Application

from bot.config import Settings
from bot.store import Store

STARTUP = 30.0
QUESTIONS = ("/start", "which toe helps earache", "/help")  # three different replies, one message each


def _journal_before_start(data_dir: Path, updates: list[dict[str, Any]], started: list[int] = ()) -> None:
    """What a killed process leaves: a batch written down, some of it begun."""
    with Store.open(data_dir) as store:
        store.open_journal()
        now = int(time.time())
        store.journal_fetched([(update["update_id"], json.dumps(update)) for update in updates], now=now)
        store.journal_started(list(started), now=now)


async def test_updates_journaled_but_not_handled_are_handled_once_at_start_though_telegram_redelivers_them(
    fake_api: FakeBotApi, settings: Settings, start_bot: Callable[..., Any]
) -> None:
    people = [Person(fake_api, 3000 + number) for number in range(3)]
    updates = [await fake_api.enqueue({"message": person.text_message("which toe helps earache")}) for person in people]
    # The first was being handled when the process died (its reply may have gone out): not repeated.
    _journal_before_start(settings.data_dir, updates, started=[updates[0]["update_id"]])
    async with start_bot(settings):
        for person in people[1:]:
            [reply] = await fake_api.wait_for("sendMessage", chat_id=person.chat_id)
            assert "little toe" in reply.text
        [later] = await people[0].say("/help")  # polling went on past the redelivered batch
        await fake_api.quiet(0.5)
    replies = Counter(call.chat_id for call in fake_api.calls_to("sendMessage"))
    assert replies == {people[0].chat_id: 1, people[1].chat_id: 1, people[2].chat_id: 1}
    assert "little toe" not in later.text
    with Store.open(settings.data_dir) as store:
        assert store.journal_size()[1] == 0, "no raw update (message text) is kept once handled"


async def test_a_handled_update_keeps_no_text_in_the_journal(
    bot: Application, fake_api: FakeBotApi, ann: Person
) -> None:
    await ann.say("which toe helps earache")
    store: Store = bot.bot_data["store"]
    total, with_text = store.journal_size()
    assert total >= 1 and with_text == 0


async def test_a_process_killed_mid_burst_loses_no_update_and_answers_each_once(
    fake_api: FakeBotApi, tmp_path: Path
) -> None:
    people = [Person(fake_api, 4000 + number) for number in range(8)]
    first = await _start_footbot(fake_api, tmp_path)
    try:
        await fake_api.wait_for("setMyCommands", count=2, within=STARTUP)
        await fake_api.wait_for("deleteWebhook", within=STARTUP)
        # Every reply takes long: the bot fetches the whole burst, confirms it with its next poll, and is
        # killed while most of it is still waiting (one at a time per chat).
        fake_api.slow("sendMessage", 1.5, times=len(people))
        mark = fake_api.mark()
        fake_api.enqueue_nowait(
            {"message": person.text_message(question)} for question in QUESTIONS for person in people
        )
        await fake_api.wake()
        # The poll after the batch confirms it (the fake drops what an offset confirms as the call arrives).
        await _wait_until(lambda: fake_api.pending_updates == 0)
        assert not fake_api.calls_to("sendMessage", since=mark), "killed before the first reply"
        first.send_signal(signal.SIGKILL)
        await first.wait()
        second = await _start_footbot(fake_api, tmp_path)
        try:
            expected = len(people) * len(QUESTIONS)
            await _wait_until(lambda: len(fake_api.calls_to("sendMessage", since=mark)) >= expected, 60)
            await fake_api.quiet(1.0)
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.wait_for(second.wait(), 15)
    finally:
        if first.returncode is None:
            first.kill()
            await first.wait()
    for person in people:
        texts = [call.text for call in fake_api.calls_to("sendMessage", since=mark, chat_id=person.chat_id)]
        assert len(texts) == len(QUESTIONS) == len(set(texts)), f"each question answered once: {texts}"


async def _wait_until(condition: Callable[[], bool], within: float = STARTUP) -> None:
    """Polls `condition` (state of the fake and of the calls it recorded) every 50 ms."""
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"condition not met within {within} s")
        await asyncio.sleep(0.05)


async def _start_footbot(fake_api: FakeBotApi, tmp_path: Path) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": fake_api.token,
        "TELEGRAM_BASE_URL": fake_api.base_url,
        "FOOTBOT_DATA_DIR": str(tmp_path / "data"),
        "PYTHONPATH": os.pathsep.join(sys.path),
    }
    log = (tmp_path / "footbot.log").open("ab")
    with contextlib.closing(log):
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", env=env, stdout=log, stderr=asyncio.subprocess.STDOUT
        )
