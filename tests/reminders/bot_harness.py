"""Running the real Application against the fake Bot API, with a fake clock and a chosen data folder.

Additions to the shared fake server that only reminder tests need live here: chats that blocked the
bot (403) or no longer exist (400 chat not found), and counting the reminders each chat received.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from telegram.ext import Application

from bot.config import DEFAULT_KNOWLEDGE_DIR, Settings
from bot.core.engine import Engine
from bot.telegram_app import forgetting, reminders
from bot.telegram_app.app import build_application, shut_down
from tests.reminders.clock import FakeClock
from tests.telegram.fake_bot_api import ApiCall, ApiError, FakeBotApi, Person


class ReminderFakeApi(FakeBotApi):
    """The shared fake, plus chats that refuse messages the way Telegram does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.blocked: set[int] = set()
        self.gone: set[int] = set()

    async def _api_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat_id = params.get("chat_id")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.gone:
            raise ApiError(400, "Bad Request: chat not found")
        return await super()._api_sendMessage(params, files)


def is_reminder(call: ApiCall) -> bool:
    return call.method == "sendMessage" and call.ok and ("rem:snooze" in dict(call.buttons).values())


def reminder_calls(api: FakeBotApi, since: int = 0) -> list[ApiCall]:
    return [call for call in api.calls[since:] if is_reminder(call)]


def reminders_per_chat(api: FakeBotApi, since: int = 0) -> Counter[int]:
    return Counter(call.chat_id for call in reminder_calls(api, since))


@asynccontextmanager
async def running_bot(api: FakeBotApi, data_dir: Path, clock: FakeClock, engine: Engine) -> AsyncIterator[Application]:
    """Start the Application `footbot run` builds (polling the fake), as run_polling would; stop it after."""
    settings = Settings(
        token=api.token,
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        data_dir=data_dir,
        knowledge_dir=DEFAULT_KNOWLEDGE_DIR,
    )
    application = build_application(settings, engine)
    application.bot_data[reminders.CLOCK] = clock
    await application.initialize()
    assert application.post_init is not None
    await application.post_init(application)
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    await application.start()
    try:
        yield application
    finally:
        await shut_down(application)


def visible(call: ApiCall) -> str:
    """The text as the person sees it (HTML parsed by the fake, as Telegram would)."""
    return str(call.message.get("text", ""))


async def forget_and_confirm(api: FakeBotApi, chatter: Person, command: str = "/forget") -> str:
    """/forget asks first; pressing "Yes, delete" deletes: what the person then reads."""
    [question] = [call for call in await chatter.say(command) if call.method == "sendMessage"]
    yes = f"{forgetting.FORGET_YES}:{chatter.user['id']}"  # the buttons carry who asked
    assert question.buttons[0] == ("🧹 Yes, delete", yes)
    mark = api.mark()
    await chatter.press(question.message, yes)
    [edit] = await api.wait_for("editMessageText", since=mark, chat_id=chatter.chat_id)
    return visible(edit)
