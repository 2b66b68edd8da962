"""A Bot that survives an update python-telegram-bot cannot read, journals each batch before handing it on,
and sends replies without parsing Telegram's echo of them.

If one update in a getUpdates batch fails to parse (a field the library does not expect, a newer or
malformed payload), the library logs the whole batch, message texts included, and returns nothing;
the offset does not move, so the same batch comes back on every poll and the bot never answers
anyone again. Here the batch is read update by update: a message that cannot be read whole is read
again with only its basic fields (so the person still gets an answer or a hint), and anything still
unreadable is replaced by an empty update that no handler takes, so polling moves past it.

Before the batch is returned (and so before the library confirms it to Telegram with the next offset)
it is written to the update journal (journal.py), so a hard kill loses nothing fetched. No library
class is changed: objects are built through the public `Update.de_json`.

`send_html_message` exists for speed: turning Telegram's answer to sendMessage into a full Message
object costs about a third of a millisecond here, as much as the rest of answering a question, and
nothing in footbot reads that object. Measured end to end, side by side with the library's send_message
(benchmarks/bench_telegram.py, alternated): 1,116 and 1,355 updates per CPU second against 887 and 986.

Both go through the library's public `do_api_request`, which returns Telegram's raw JSON with the rate limiter,
timeouts and error mapping of every call. It warns that getUpdates and sendMessage have methods of their own (it
was made for methods the library does not know yet); that one warning is silenced, on purpose.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import logging
import warnings
from collections.abc import Iterator
from typing import Any

from telegram import InlineKeyboardMarkup, ReplyParameters, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, EndPointNotFound, InvalidToken
from telegram.ext import ExtBot
from telegram.request import BaseRequest
from telegram.warnings import PTBUserWarning

from bot.telegram_app.journal import UpdateJournal
from bot.telegram_app.logging_setup import hide_update_contents

logger = logging.getLogger(__name__)
# do_api_request's advice to use the library's own getUpdates and sendMessage: we call it for their raw JSON.
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.(getUpdates|sendMessage)'", category=PTBUserWarning)

MESSAGE_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post", "business_message")
# Enough of a message to answer it: who, where, when, and its text if it had any (then without entities).
BASIC_MESSAGE_FIELDS = ("message_id", "from", "chat", "date", "text", "entities", "sender_chat")
BARE_MESSAGE_FIELDS = ("message_id", "from", "chat", "date", "text")
BASIC_QUERY_FIELDS = ("id", "from", "chat_instance", "data", "inline_message_id")
DEFAULT = BaseRequest.DEFAULT_NONE


class TolerantBot(ExtBot[Any]):
    """ExtBot whose get_updates never fails because of one unreadable update, and journals what it fetched."""

    def __init__(self, *args: Any, journal: UpdateJournal | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Underscored: the library freezes a Bot's public attributes once built.
        self._journal = journal or UpdateJournal()
        self._updates_request: BaseRequest | None = kwargs.get("get_updates_request")
        self._own_requests = [kwargs.get("request"), self._updates_request]
        self._polled = asyncio.Event()
        hide_update_contents()

    async def initialize(self) -> None:
        """As the library's, but a start that fails (e.g. Telegram refused the token at getMe) closes the HTTP
        sessions it opened: the library leaves them to be reported as unclosed at exit."""
        try:
            await super().initialize()
        except BaseException:
            for request in self._own_requests:
                if request is not None:
                    await request.shutdown()
            raise

    @property
    def polled(self) -> asyncio.Event:
        """Set once a getUpdates call has answered: what waited at Telegram while the bot was down is fetched."""
        return self._polled

    @property
    def journal(self) -> UpdateJournal:
        """Where fetched updates are written down before they are handled (shared with the update processor)."""
        return self._journal

    async def get_updates(
        self,
        offset: int | None = None,
        limit: int | None = None,
        timeout: int | float | dtm.timedelta | None = None,  # noqa: ASYNC109 (the library's signature)
        allowed_updates: Any = None,
        *,
        read_timeout: Any = DEFAULT,
        write_timeout: Any = DEFAULT,
        connect_timeout: Any = DEFAULT,
        pool_timeout: Any = DEFAULT,
        api_kwargs: dict[str, Any] | None = None,
    ) -> tuple[Update, ...]:
        """The library's get_updates, but reading update by update and journaling the batch first. The first call
        does not wait for news: it takes what waited while the bot was down at once (see `polled`)."""
        if not self._polled.is_set():
            timeout = 0
        data = {"timeout": timeout, "offset": offset, "limit": limit, "allowed_updates": allowed_updates}
        base_read = read_timeout if read_timeout is not DEFAULT else self._default_updates_read_timeout()
        waits = timeout.total_seconds() if isinstance(timeout, dtm.timedelta) else (timeout or 0)
        # The raw batch: the library's get_updates parses it at once and gives up on all of it over one unreadable
        # update.
        result = await self._raw_call(
            "getUpdates",
            {**data, **(api_kwargs or {})},
            read_timeout=(base_read or 0) + waits,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
        )
        self._polled.set()  # no await from here on: the batch is queued before anyone waiting on this runs
        raws = [raw for raw in result if isinstance(raw, dict) and isinstance(raw.get("update_id"), int)]
        if len(raws) < len(result):
            logger.warning("%d update(s) without an update id were skipped", len(result) - len(raws))
        if not raws:
            return ()
        new = self.journal.fetched(raws, confirmed_below=offset)
        updates = [self.read_update(raw) for raw in raws if raw["update_id"] in new]
        last = max(raw["update_id"] for raw in raws)
        if not updates or updates[-1].update_id != last:
            # Already handled (a redelivery): an empty update that no handler takes, so the offset moves on.
            updates.append(self._empty_update(last))
        return tuple(updates)

    async def answer_callback_query(self, *args: Any, **kwargs: Any) -> bool:
        """The library's, but a press whose time to be answered is up (made while the bot was down, delivered when
        it is back) is still carried out: answering only ends the button's spinner or shows a toast, and Telegram's
        refusal would otherwise end the handler before the button did anything (and bring an apology instead)."""
        try:
            return await super().answer_callback_query(*args, **kwargs)
        except BadRequest as error:
            if "query is too old" not in error.message.lower() and "query id is invalid" not in error.message.lower():
                raise
            logger.info("A button press came too late to be answered; carried out all the same")
            return False

    def _default_updates_read_timeout(self) -> float | None:
        return self._updates_request.read_timeout if self._updates_request is not None else None

    async def send_html_message(
        self,
        chat_id: int,
        text: str,
        reply_markup: InlineKeyboardMarkup | None = None,
        reply_parameters: ReplyParameters | None = None,
        message_thread_id: int | None = None,
    ) -> int:
        """sendMessage with parse_mode HTML, through the same rate limiter; returns the new message's id."""
        data: dict[str, Any] = {
            "chat_id": chat_id,
            "text": text,
            "parse_mode": ParseMode.HTML,
            "reply_markup": keyboard_json(reply_markup) if reply_markup is not None else None,
            "reply_parameters": reply_parameters,
            "message_thread_id": message_thread_id,
        }
        result = await self._raw_call("sendMessage", data)
        return int(result["message_id"])

    async def _raw_call(self, endpoint: str, data: dict[str, Any], **timeouts: Any) -> Any:
        """A Bot API call's raw JSON result, through the library's public `do_api_request`."""
        try:
            return await self.do_api_request(endpoint, api_kwargs=data, **timeouts)
        except EndPointNotFound as error:  # what do_api_request calls a token Telegram refused, once started
            raise InvalidToken(str(error)) from error

    def read_update(self, raw: dict[str, Any]) -> Update:
        """One update from its JSON: whole if possible, else its basic fields, else an empty update."""
        reason = ""
        for attempt in _attempts(raw):
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
        return self._empty_update(int(raw["update_id"]))

    def _empty_update(self, update_id: int) -> Update:
        update = Update(update_id=update_id)
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


def _attempts(raw: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The update whole, then cut down (only built when the whole one could not be read)."""
    yield raw
    yield _basic(raw, BASIC_MESSAGE_FIELDS)
    yield _basic(raw, BARE_MESSAGE_FIELDS)


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
