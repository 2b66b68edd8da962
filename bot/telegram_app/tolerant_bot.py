"""A Bot that survives an update python-telegram-bot cannot read, and sends replies without parsing
Telegram's echo of them.

If one update in a getUpdates batch fails to parse (a field the library does not expect, a newer or
malformed payload), the library logs the whole batch, message texts included, and returns nothing;
the offset does not move, so the same batch comes back on every poll and the bot never answers
anyone again. Here the batch is read update by update: a message that cannot be read whole is read
again with only its basic fields (so the person still gets an answer or a hint), and anything still
unreadable is replaced by an empty update that no handler takes, so polling moves past it.

Reading a batch is also made cheaper: python-telegram-bot guards every attribute of its objects with a
Python-level __setattr__ (to keep them read-only once built), and building one message runs it about two
hundred times: half the cost of reading an update. While a batch that has just arrived is turned into
objects (synchronous code, so no other task runs meanwhile), the guard is lifted; every object is still
frozen when built, and the guard is back before anything else runs (see `_unguarded_construction`).

`send_html_message` exists for speed: turning Telegram's answer to sendMessage into a full Message
object costs about a third of a millisecond here, as much as the rest of answering a question, and
nothing in footbot reads that object.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from telegram import InlineKeyboardMarkup, ReplyParameters, TelegramObject, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ExtBot

from bot.telegram_app.aiohttp_request import AiohttpRequest
from bot.telegram_app.logging_setup import hide_update_contents

logger = logging.getLogger(__name__)

MESSAGE_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post", "business_message")
# Enough of a message to answer it: who, where, when, and its text if it had any (then without entities).
BASIC_MESSAGE_FIELDS = ("message_id", "from", "chat", "date", "text", "entities", "sender_chat")
BARE_MESSAGE_FIELDS = ("message_id", "from", "chat", "date", "text")
BASIC_QUERY_FIELDS = ("id", "from", "chat_instance", "data", "inline_message_id")
_GUARDED_SETATTR = TelegramObject.__setattr__


def _unguarded_construction(unguarded: bool) -> None:
    """Lift (or restore) the library's read-only guard on attribute writes, for all its objects at once."""
    TelegramObject.__setattr__ = object.__setattr__ if unguarded else _GUARDED_SETATTR  # type: ignore[method-assign]


class UpdatesRequest(AiohttpRequest):
    """The getUpdates connection; keeps the last raw answer so an unreadable batch can be taken apart."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_payload = b""

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        status, payload = await super().do_request(*args, **kwargs)
        self.last_payload = payload
        return status, payload


class TolerantBot(ExtBot[Any]):
    """ExtBot whose get_updates never fails because of one unreadable update."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hide_update_contents()

    async def get_updates(self, *args: Any, **kwargs: Any) -> tuple[Update, ...]:
        try:
            return await super().get_updates(*args, **kwargs)
        except TelegramError:
            raise
        except Exception as error:
            request = self._request[0]
            if not isinstance(request, UpdatesRequest):
                raise
            logger.warning("A batch of updates could not be read (%s); reading them one by one", type(error).__name__)
            return tuple(self._read_one(raw) for raw in json.loads(request.last_payload)["result"])
        finally:
            _unguarded_construction(False)

    async def _post(self, endpoint: str, *args: Any, **kwargs: Any) -> Any:
        result = await super()._post(endpoint, *args, **kwargs)
        if endpoint == "getUpdates":
            # From here to the end of get_updates the batch is only parsed: no await, no other task.
            _unguarded_construction(True)
        return result

    async def send_html_message(
        self,
        chat_id: int,
        text: str,
        reply_markup: InlineKeyboardMarkup | None = None,
        reply_parameters: ReplyParameters | None = None,
    ) -> int:
        """sendMessage with parse_mode HTML, through the same rate limiter; returns the new message's id."""
        data: dict[str, Any] = {
            "chat_id": chat_id,
            "text": text,
            "parse_mode": ParseMode.HTML,
            "reply_markup": keyboard_json(reply_markup) if reply_markup is not None else None,
            "reply_parameters": reply_parameters,
        }
        result = await self._post("sendMessage", data)
        return int(result["message_id"])

    def _read_one(self, raw: dict[str, Any]) -> Update:
        reason = ""
        for attempt in (raw, _basic(raw, BASIC_MESSAGE_FIELDS), _basic(raw, BARE_MESSAGE_FIELDS)):
            try:
                update = Update.de_json(attempt, self)
            except Exception as error:
                reason = type(error).__name__
                continue
            if attempt is not raw:
                logger.warning("Update %s was read with its basic fields only (%s)", raw.get("update_id"), reason)
            self.insert_callback_data(update)
            return update
        logger.warning("Update %s could not be read (%s) and is skipped", raw.get("update_id"), reason)
        update = Update(update_id=int(raw["update_id"]))
        update.set_bot(self)
        return update


def keyboard_json(markup: InlineKeyboardMarkup) -> str | InlineKeyboardMarkup:
    """A keyboard of plain callback buttons (all footbot sends) as the Bot API's JSON, written directly: the
    library's generic to_dict costs more than the rest of sending /start. Anything else is left to it."""
    rows = []
    for row in markup.inline_keyboard:
        buttons = []
        for button in row:
            if button.callback_data is None or not isinstance(button.callback_data, str) or button.url:
                return markup
            buttons.append({"text": button.text, "callback_data": button.callback_data})
        rows.append(buttons)
    return json.dumps({"inline_keyboard": rows}, ensure_ascii=False)


def _basic(raw: dict[str, Any], message_fields: tuple[str, ...]) -> dict[str, Any]:
    """The update with its message (or button press) cut down to the fields needed to answer it."""
    basic: dict[str, Any] = {"update_id": raw.get("update_id")}
    for kind in MESSAGE_KINDS:
        if isinstance(raw.get(kind), dict):
            basic[kind] = _fields(raw[kind], message_fields)
    if isinstance(raw.get("callback_query"), dict):
        query = raw["callback_query"]
        basic["callback_query"] = _fields(query, BASIC_QUERY_FIELDS)
        if isinstance(query.get("message"), dict):
            basic["callback_query"]["message"] = _fields(query["message"], message_fields)
    return basic


def _fields(source: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {name: source[name] for name in names if name in source}
