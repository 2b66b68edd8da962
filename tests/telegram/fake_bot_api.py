"""A fake Telegram Bot API server on 127.0.0.1, strict where Telegram is strict.

The real `Application` that `footbot run` builds polls it over real HTTP. It keeps the updates a test
enqueues (shaped exactly as Telegram sends them), records every call the bot makes, validates them the
way Telegram does (HTML that does not parse, text over 4,096 characters, callback data over 64 bytes,
a callback query answered twice, an edit that changes nothing: all 400), and can inject faults:
429 with retry_after, 5xx bursts, dropped connections, and a per-second cap on a method.

An edit that changes nothing (same visible text, same formatting entities, same buttons) is refused with
Telegram's "message is not modified"; the bot should never send one, so leaving the server's context
with such a refusal recorded fails the test (set `allow_not_modified` to provoke one on purpose). A button
press answered twice fails it the same way. A press can also come too old to answer (`press(too_old=True)`:
pressed while the bot was down), as Telegram refuses the answer to one after its time is up. (Set
`allow_answered_twice` to answer twice on purpose.)

Reusable by every Telegram-level test (answers, routine, reminders) and by the benchmarks.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import struct
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER_ID = 123456
BOT_USERNAME = "footbot_test_bot"
DEFAULT_TOKEN = f"{BOT_USER_ID}:TEST-TOKEN-abcdefghijklmnop"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64

# Parameters Telegram reads as plain strings; every other parameter arrives JSON encoded.
STRING_PARAMETERS = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "action",
        "url",
        "secret_token",
        "language_code",
        "inline_message_id",
        "business_connection_id",
        "message_effect_id",
        "ip_address",
        "photo",
        "document",
    }
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_TAG = re.compile(
    r"<(?P<closing>/?)(?P<name>[a-zA-Z][a-zA-Z0-9-]*)"
    r"(?P<attributes>(?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>"
)
_SPECIAL = re.compile(r"[<>&]")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
_ENTITY_VALUES = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"'}
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")
_MENTION = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{5,32}")
_COMMAND_NAME = re.compile(r"^[a-z0-9_]{1,32}$")


class ApiError(Exception):
    """An error answer, shaped as Telegram's: {"ok": false, "error_code", "description", "parameters"}."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


@dataclass
class ApiCall:
    """One request the bot made: method, decoded parameters, what we answered, when."""

    method: str
    params: dict[str, Any]
    status: int
    at: float
    result: Any = None
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data) of every inline button, row by row."""
        markup = self.params.get("reply_markup") or {}
        return [
            (button.get("text", ""), button.get("callback_data", ""))
            for row in markup.get("inline_keyboard", [])
            for button in row
        ]

    @property
    def message(self) -> dict[str, Any]:
        """The message Telegram returned for a send or an edit (what a callback query would carry)."""
        if not isinstance(self.result, dict):
            raise AssertionError(f"{self.method} returned no message")
        return self.result


@dataclass
class _Fault:
    status: int
    remaining: int
    retry_after: int | None = None
    description: str | None = None
    body: bytes | None = None


@dataclass
class _RateCap:
    per_second: int
    retry_after: int
    sent: deque[float] = field(default_factory=deque)


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_telegram_html(source: str) -> str:
    """The visible text of a message in Telegram's HTML parse mode; ApiError 400 where Telegram refuses it."""
    return parse_telegram_html_entities(source)[0]


def parse_telegram_html_entities(source: str) -> tuple[str, list[dict[str, Any]]]:
    """The visible text and its formatting entities (offsets in UTF-16 units), as Telegram stores them."""
    stack: list[str] = []
    opened: list[tuple[str, int, str]] = []  # (tag, offset, attributes) of each open tag
    entities: list[dict[str, Any]] = []
    visible: list[str] = []
    position = 0
    while position < len(source):
        special = _SPECIAL.search(source, position)
        if special is None:
            visible.append(source[position:])
            break
        visible.append(source[position : special.start()])
        position = special.start()
        char = special.group()
        if char == "<":
            match = _TAG.match(source, position)
            if not match:
                raise _parse_error(f"Unexpected character '<' at byte offset {_byte_offset(source, position)}")
            name = match["name"].lower()
            if name not in ALLOWED_TAGS:
                kind = "end" if match["closing"] else "start"
                raise _parse_error(f'Unsupported {kind} tag "{name}" at byte offset {_byte_offset(source, position)}')
            if match["closing"]:
                if not stack or stack[-1] != name:
                    raise _parse_error(
                        f"Unmatched end tag at byte offset {_byte_offset(source, position)}, expected "
                        f'"</{stack[-1] if stack else ""}>", found "</{name}>"'
                    )
                stack.pop()
                tag, offset, attributes = opened.pop()
                length = utf16_length("".join(visible)) - offset
                if length > 0:
                    entities.append(_entity(tag, offset, length, attributes))
            else:
                if name == "a" and "href" not in match["attributes"]:
                    raise _parse_error("Can't find href of the link")
                stack.append(name)
                opened.append((name, utf16_length("".join(visible)), match["attributes"]))
            position = match.end()
        elif char == "&":
            match = _ENTITY.match(source, position)
            if not match:
                raise _parse_error(
                    f"Can't find end of the entity starting at byte offset {_byte_offset(source, position)}"
                )
            visible.append(_decode_entity(match.group()))
            position = match.end()
        else:
            raise _parse_error(f"Unexpected character '>' at byte offset {_byte_offset(source, position)}")
    if stack:
        raise _parse_error(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(visible), entities


_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}


def _entity(tag: str, offset: int, length: int, attributes: str) -> dict[str, Any]:
    entity: dict[str, Any] = {"type": _ENTITY_TYPES[tag], "offset": offset, "length": length}
    if tag == "a" and (href := re.search(r"href\s*=\s*[\"']?([^\"'\s>]+)", attributes)):
        entity["url"] = href.group(1)
    return entity


def _decode_entity(entity: str) -> str:
    if entity in _ENTITY_VALUES:
        return _ENTITY_VALUES[entity]
    if entity.startswith("&#x"):
        return chr(int(entity[3:-1], 16))
    return chr(int(entity[2:-1]))


def _byte_offset(source: str, position: int) -> int:
    return len(source[:position].encode("utf-8"))


def _parse_error(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


def _png_size(data: bytes) -> tuple[int, int]:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    return (1, 1)


def entities_for(text: str) -> list[dict[str, Any]]:
    """The bot_command and mention entities Telegram attaches to a text, offsets in UTF-16 units."""
    found = [("bot_command", match) for match in _COMMAND.finditer(text)]
    found += [("mention", match) for match in _MENTION.finditer(text)]
    found.sort(key=lambda pair: pair[1].start())
    return [
        {
            "type": kind,
            "offset": utf16_length(text[: match.start()]),
            "length": utf16_length(match.group()),
        }
        for kind, match in found
        if kind == "bot_command"
        or not any(other.start() <= match.start() < other.end() for k, other in found if k == "bot_command")
    ]


class FakeBotApi:
    """The server. Start it, point the bot's base_url at `base_url`, enqueue updates, await calls."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = BOT_USERNAME,
        bot_id: int = BOT_USER_ID,
    ) -> None:
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Footbot",
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[ApiCall] = []
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.webhook: dict[str, Any] = {"url": ""}
        self.uploads: dict[str, bytes] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.chats: dict[int, dict[str, Any]] = {}
        self.migrated: dict[int, int] = {}  # group id -> the supergroup it was upgraded to (see `migrate_chat`)
        self.open_callback_queries: set[str] = set()
        self.answered_callback_queries: list[str] = []
        self.answered_twice: list[str] = []  # button presses the bot answered again (a bot bug: see __aexit__)
        self.allow_answered_twice = False  # a test that answers twice on purpose sets this
        self.not_modified: list[ApiCall] = []  # edits refused as changing nothing (a bot bug: see __aexit__)
        self.allow_not_modified = False  # a test that provokes the refusal on purpose sets this
        self.record_bodies = True
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
        self._rate_caps: dict[str, _RateCap] = {}
        self._delays: dict[str, deque[float]] = defaultdict(deque)
        self._changed = asyncio.Condition()
        self._on_call: list[Callable[[ApiCall], None]] = []
        self._runner: web.AppRunner | None = None
        self._closing = False
        self.port = 0

    # ---- lifecycle -------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What the bot uses as TELEGRAM_BASE_URL: the prefix the token is appended to."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self, port: int = 0) -> FakeBotApi:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self._closing = True
        async with self._changed:
            self._changed.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()
        if self.not_modified and not self.allow_not_modified and exc_info[0] is None:
            methods = ", ".join(call.method for call in self.not_modified)
            raise AssertionError(f"the bot sent {len(self.not_modified)} edit(s) that changed nothing: {methods}")
        if self.answered_twice and not self.allow_answered_twice and exc_info[0] is None:
            raise AssertionError(f"the bot answered {len(self.answered_twice)} button press(es) twice")

    # ---- faults ----------------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        times: int = 1,
        status: int = 502,
        retry_after: int | None = None,
        description: str | None = None,
        body: bytes | None = None,
    ) -> None:
        """The next `times` calls of `method` fail with `status` (429 carries retry_after; 0 drops the
        connection without an answer; `body`: these bytes are the answer, with `status`, e.g. a truncated 200)."""
        self._faults[method].append(_Fault(status, times, retry_after, description, body))

    def migrate_chat(self, group_id: int, supergroup_id: int) -> dict[str, Any]:
        """The group is upgraded to a supergroup: every send to the old id is refused with Telegram's 400 and
        its migrate_to_chat_id, as Telegram does. Returns the new chat."""
        old = self.chats.get(group_id, {"title": "Evening club"})
        self.chats[supergroup_id] = {**old, "id": supergroup_id, "type": "supergroup"}
        self.migrated[group_id] = supergroup_id
        return self.chats[supergroup_id]

    def slow(self, method: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of `method` are answered only after `seconds`."""
        self._delays[method].extend([seconds] * times)

    def cap_rate(self, method: str, per_second: int, retry_after: int = 1) -> None:
        """Answer 429 (retry_after) to calls of `method` beyond `per_second` in any one-second window."""
        self._rate_caps[method] = _RateCap(per_second, retry_after)

    def on_call(self, callback: Callable[[ApiCall], None]) -> None:
        """Call `callback` for each recorded call (the benchmark timestamps replies this way)."""
        self._on_call.append(callback)

    def off_call(self, callback: Callable[[ApiCall], None]) -> None:
        self._on_call.remove(callback)

    # ---- updates ---------------------------------------------------------------------------------

    async def enqueue(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue one update (numbered here, whatever update_id it had) and wake a waiting getUpdates."""
        update = {"update_id": next(self._update_ids), **_without_id(update)}
        for key in ("message", "edited_message", "channel_post"):
            chat = update.get(key, {}).get("chat")
            if isinstance(chat, dict) and "id" in chat:
                self.chats.setdefault(chat["id"], chat)
        self._updates.append(update)
        async with self._changed:
            self._changed.notify_all()
        return update

    def enqueue_nowait(self, updates: Iterable[dict[str, Any]]) -> None:
        """Queue many updates at once (benchmarks); a waiting getUpdates sees them on its next check."""
        for update in updates:
            self._updates.append({"update_id": next(self._update_ids), **_without_id(update)})

    async def wake(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def next_message_id(self, chat_id: int) -> int:
        return next(self._message_ids[chat_id])

    def new_callback_query_id(self, too_old: bool = False) -> str:
        """A button press's id; `too_old`: one whose time to be answered is up (the answer gets a 400)."""
        query_id = str(8_000_000 + next(self._callback_ids))
        if not too_old:
            self.open_callback_queries.add(query_id)
        return query_id

    @property
    def pending_updates(self) -> int:
        return len(self._updates)

    # ---- waiting for the bot ---------------------------------------------------------------------

    def mark(self) -> int:
        """A position in the call log; pass it as `since` to look only at later calls."""
        return len(self.calls)

    def calls_to(self, method: str, since: int = 0, ok_only: bool = True, **where: Any) -> list[ApiCall]:
        return [
            call
            for call in self.calls[since:]
            if call.method == method
            and (call.ok or not ok_only)
            and all(call.params.get(key) == value for key, value in where.items())
        ]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        since: int = 0,
        within: float = 10.0,
        ok_only: bool = True,
        **where: Any,
    ) -> list[ApiCall]:
        """Wait until at least `count` calls of `method` (matching `where`; successful ones unless `ok_only`
        is False) arrived after `since`."""

        def enough() -> bool:
            return len(self.calls_to(method, since, ok_only, **where)) >= count

        async with self._changed:
            try:
                await asyncio.wait_for(self._changed.wait_for(enough), within)
            except TimeoutError:
                seen = [(call.method, call.status, call.params) for call in self.calls[since:]]
                raise AssertionError(
                    f"expected {count} x {method} {where or ''} within {within}s; calls since: {seen}"
                ) from None
        return self.calls_to(method, since, ok_only, **where)[:count]

    async def quiet(self, seconds: float = 0.3, since: int | None = None) -> list[ApiCall]:
        """Let the bot work for a moment; the calls it made meanwhile (to prove it stayed silent)."""
        start = self.mark() if since is None else since
        await asyncio.sleep(seconds)
        return [call for call in self.calls[start:] if call.method != "getUpdates"]

    # ---- HTTP ------------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error_response(ApiError(401, "Unauthorized"))
        params, files = await _read_parameters(request)
        handler = getattr(self, f"_api_{method}", None)
        call = ApiCall(method, params, 200, time.monotonic(), files=files)
        if self._delays.get(method):
            await asyncio.sleep(self._delays[method].popleft())
        try:
            self._inject_fault(method, request)
            if handler is None:
                raise ApiError(404, "Not Found")
            call.result = await handler(params, files)
        except ApiError as error:
            call.status = error.status
            call.result = error.description
            if error.description == NOT_MODIFIED:
                self.not_modified.append(call)
            await self._record(call)
            return _error_response(error)
        except _RawAnswer as answer:
            call.status, call.result = answer.status, answer.body
            await self._record(call)
            return web.Response(status=answer.status, body=answer.body, content_type="application/json")
        except _DropConnection:
            call.status = 0
            await self._record(call)
            if request.transport is not None:
                request.transport.abort()
            return web.Response(status=500)
        await self._record(call)
        return web.json_response({"ok": True, "result": call.result})

    async def _record(self, call: ApiCall) -> None:
        self.calls.append(call)
        for callback in self._on_call:
            callback(call)
        async with self._changed:
            self._changed.notify_all()

    def _inject_fault(self, method: str, request: web.Request) -> None:
        queue = self._faults.get(method)
        if queue:
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                queue.popleft()
            if fault.status == 0:
                raise _DropConnection
            if fault.body is not None:
                raise _RawAnswer(fault.status, fault.body)
            if fault.status == 429:
                retry_after = fault.retry_after or 1
                raise ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
            raise ApiError(fault.status, fault.description or _default_description(fault.status))
        cap = self._rate_caps.get(method)
        if cap is not None:
            now = time.monotonic()
            while cap.sent and now - cap.sent[0] >= 1.0:
                cap.sent.popleft()
            if len(cap.sent) >= cap.per_second:
                raise ApiError(
                    429,
                    f"Too Many Requests: retry after {cap.retry_after}",
                    {"retry_after": cap.retry_after},
                )
            cap.sent.append(now)

    # ---- Bot API methods ---------------------------------------------------------------------------

    async def _api_getMe(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return self.bot_user

    async def _api_logOut(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    async def _api_close(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return True

    async def _api_deleteWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self.webhook = {"url": ""}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_setWebhook(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if not str(params.get("url", "")).startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self.webhook = dict(params)
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _api_getUpdates(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if self.webhook.get("url"):
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = float(params.get("timeout") or 0)
        if offset:
            self._updates = [update for update in self._updates if update["update_id"] >= offset]
        if not self._updates and timeout > 0 and not self._closing:
            async with self._changed:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        self._changed.wait_for(lambda: bool(self._updates) or self._closing), timeout
                    )
        allowed = params.get("allowed_updates")
        batch = self._updates[:limit]
        if allowed:
            batch = [update for update in batch if any(key in allowed for key in update)]
        return batch

    async def _api_setMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be a list of at most 100 commands")
        for command in commands:
            name = command.get("command", "")
            description = command.get("description", "")
            if not _COMMAND_NAME.match(name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = (params.get("scope") or {"type": "default"})["type"]
        self.commands[scope] = commands
        return True

    async def _api_getMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        scope = (params.get("scope") or {"type": "default"})["type"]
        return self.commands.get(scope, [])

    async def _api_deleteMyCommands(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        scope = (params.get("scope") or {"type": "default"})["type"]
        self.commands.pop(scope, None)
        return True

    async def _api_sendChatAction(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        self._chat(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _api_sendMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._chat(params)
        text = self._visible_text(params.get("text"), params.get("parse_mode"), MAX_TEXT_LENGTH)
        markup = self._check_markup(params.get("reply_markup"))
        message = self._new_bot_message(chat, text=text)
        if entities := _entities_of(params.get("text"), params.get("parse_mode")):
            message["entities"] = entities
        return self._sent(message, markup, params)

    async def _api_sendPhoto(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        chat = self._chat(params)
        photo = params.get("photo")
        data = None
        if isinstance(photo, str) and photo.startswith("attach://"):
            data = files.get(photo.removeprefix("attach://"))
        elif "photo" in files:
            data = files["photo"]
        if data is not None:
            if not data:
                raise ApiError(400, "Bad Request: file must be non-empty")
            file_id = f"PHOTO-{next(self._file_ids)}"
            self.uploads[file_id] = data
        elif isinstance(photo, str) and photo in self.uploads:
            file_id = photo
        else:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        width, height = _png_size(self.uploads[file_id])
        message = self._new_bot_message(chat)
        message["photo"] = [
            {
                "file_id": file_id,
                "file_unique_id": f"U{file_id}",
                "width": width,
                "height": height,
                "file_size": len(self.uploads[file_id]),
            }
        ]
        if params.get("caption"):
            message["caption"] = self._visible_text(
                params["caption"], params.get("parse_mode"), MAX_CAPTION_LENGTH, what="caption"
            )
        return self._sent(message, self._check_markup(params.get("reply_markup")), params)

    def _sent(self, message: dict[str, Any], markup: dict[str, Any] | None, params: dict[str, Any]) -> Any:
        """A message the bot just sent, with its buttons, kept for later edits and for the tests to read."""
        if markup:
            message["reply_markup"] = markup
        self._store(message, params)
        return message

    async def _api_editMessageText(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        message = self._editable(params)
        text = self._visible_text(params.get("text"), params.get("parse_mode"), MAX_TEXT_LENGTH)
        markup = self._check_markup(params.get("reply_markup"))
        entities = _entities_of(params.get("text"), params.get("parse_mode"))
        if (
            message.get("text") == text
            and message.get("entities", []) == entities
            and message.get("reply_markup") == markup
        ):
            raise ApiError(400, NOT_MODIFIED)
        message.update(text=text, edit_date=int(time.time()), _source=params.get("text"))
        message.pop("entities", None)
        if entities:
            message["entities"] = entities
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        return _public(message)

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        message = self._editable(params)
        markup = self._check_markup(params.get("reply_markup"))
        if message.get("reply_markup") == markup:
            raise ApiError(400, NOT_MODIFIED)
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return _public(message)

    async def _api_deleteMessage(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        key = (int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
        if self.messages.pop(key, None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        query_id = str(params.get("callback_query_id", ""))
        if query_id in self.answered_callback_queries:
            self.answered_twice.append(query_id)
        if query_id not in self.open_callback_queries:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        if len(str(params.get("text", ""))) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self.open_callback_queries.discard(query_id)
        self.answered_callback_queries.append(query_id)
        return True

    # ---- helpers for the methods -----------------------------------------------------------------

    def _chat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self.migrated:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.migrated[chat_id]},
            )
        return self.chats.get(chat_id) or {"id": chat_id, "type": "private", "first_name": "Someone"}

    @staticmethod
    def _visible_text(text: Any, parse_mode: Any, limit: int, what: str = "message text") -> str:
        if not isinstance(text, str):
            raise ApiError(400, f"Bad Request: {what} is empty")
        if parse_mode is not None and parse_mode != "HTML":
            raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode!r} in this fake")
        visible = parse_telegram_html(text) if parse_mode == "HTML" else text
        if not visible.strip():
            raise ApiError(400, f"Bad Request: {what} is empty")
        if utf16_length(visible.strip()) > limit:
            raise ApiError(400, f"Bad Request: {what} is too long")
        return visible

    @staticmethod
    def _check_markup(markup: Any) -> dict[str, Any] | None:
        if not markup:
            return None
        rows = markup.get("inline_keyboard") if isinstance(markup, dict) else None
        if rows is None:
            return markup
        for row in rows:
            for button in row:
                if not button.get("text"):
                    raise ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _new_bot_message(self, chat: dict[str, Any], text: str | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": self.next_message_id(chat["id"]),
            "from": self.bot_user,
            "chat": chat,
            "date": int(time.time()),
        }
        if text is not None:
            message["text"] = text
        return message

    def _store(self, message: dict[str, Any], params: dict[str, Any]) -> None:
        if not self.record_bodies:
            return
        stored = dict(message, _source=params.get("text"))
        self.messages[(message["chat"]["id"], message["message_id"])] = stored

    def _editable(self, params: dict[str, Any]) -> dict[str, Any]:
        key = (params.get("chat_id"), params.get("message_id"))
        message = self.messages.get(key)  # type: ignore[arg-type]
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message


def _entities_of(text: Any, parse_mode: Any) -> list[dict[str, Any]]:
    """The formatting entities of a text the bot sent (already validated by `_visible_text`)."""
    if parse_mode != "HTML" or not isinstance(text, str):
        return []
    return parse_telegram_html_entities(text)[1]


def _without_id(update: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in update.items() if key != "update_id"}


class _DropConnection(Exception):
    pass


class _RawAnswer(Exception):
    """Answer with these bytes as they are (an answer cut short, a proxy's page), not Telegram's JSON."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


def _public(message: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in message.items() if not key.startswith("_")}


def _default_description(status: int) -> str:
    return {
        500: "Internal Server Error",
        502: "Bad Gateway",
        503: "Service Unavailable",
        504: "Gateway Timeout",
        403: "Forbidden: bot was blocked by the user",
        400: "Bad Request: chat not found",
    }.get(status, "Error")


def _error_response(error: ApiError) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": error.status, "description": error.description}
    if error.parameters:
        body["parameters"] = error.parameters
    return web.json_response(body, status=error.status)


async def _read_parameters(request: web.Request) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Parameters as Telegram reads them: query string, urlencoded or multipart form, or a JSON body."""
    raw: dict[str, Any] = dict(request.query)
    files: dict[str, bytes] = {}
    if request.content_type == "application/json":
        body = await request.json()
        return {**raw, **body}, files
    if request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                files[key] = value.file.read()
            else:
                raw[key] = value
    return {key: _decode(key, value) for key, value in raw.items()}, files


def _decode(key: str, value: Any) -> Any:
    if key in STRING_PARAMETERS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


# ---- updates exactly as Telegram sends them ------------------------------------------------------


def user_dict(user_id: int, first_name: str = "Ann", username: str | None = None) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}
    if username:
        user["username"] = username
    return user


def private_chat_dict(user: dict[str, Any]) -> dict[str, Any]:
    return {"id": user["id"], "type": "private", "first_name": user["first_name"]}


def group_chat_dict(chat_id: int, title: str = "Evening club", kind: str = "supergroup") -> dict[str, Any]:
    return {"id": chat_id, "type": kind, "title": title}


class Person:
    """Someone writing to the bot from one chat (private by default, or a group), as Telegram delivers it.

    Each method enqueues one update and, unless `wait_for` is None, waits for the bot's answering
    calls to that chat and returns them.
    """

    def __init__(
        self, api: FakeBotApi, user_id: int, chat: dict[str, Any] | None = None, first_name: str = "Ann"
    ) -> None:
        self.api = api
        self.user = user_dict(user_id, first_name)
        self.chat = chat or private_chat_dict(self.user)
        self.api.chats.setdefault(self.chat["id"], self.chat)
        self.last_message: dict[str, Any] | None = None

    @property
    def chat_id(self) -> int:
        return self.chat["id"]

    def message_dict(self, **content: Any) -> dict[str, Any]:
        message = {
            "message_id": self.api.next_message_id(self.chat_id),
            "from": self.user,
            "chat": self.chat,
            "date": int(time.time()),
            **content,
        }
        self.last_message = message
        return message

    def text_message(self, text: str, reply_to: dict[str, Any] | None = None) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        entities = entities_for(text)
        if entities:
            content["entities"] = entities
        if reply_to is not None:
            content["reply_to_message"] = reply_to
        return self.message_dict(**content)

    async def say(
        self,
        text: str,
        wait_for: str | None = "sendMessage",
        count: int = 1,
        reply_to: dict[str, Any] | None = None,
        within: float = 10.0,
    ) -> list[ApiCall]:
        """Send a text (commands and @mentions get their entities) and wait for the bot's answer."""
        return await self.send_update({"message": self.text_message(text, reply_to)}, wait_for, count, within)

    async def send(self, wait_for: str | None = "sendMessage", count: int = 1, **content: Any) -> list[ApiCall]:
        """Send a message with arbitrary content (sticker=..., photo=..., location=...)."""
        return await self.send_update({"message": self.message_dict(**content)}, wait_for, count)

    async def edit(
        self, message: dict[str, Any], new_text: str, wait_for: str | None = "sendMessage", count: int = 1
    ) -> list[ApiCall]:
        edited = dict(message, text=new_text, edit_date=int(time.time()))
        edited.pop("entities", None)
        if entities_for(new_text):
            edited["entities"] = entities_for(new_text)
        return await self.send_update({"edited_message": edited}, wait_for, count)

    async def press(
        self,
        bot_message: dict[str, Any],
        data: str,
        wait_for: str | None = "answerCallbackQuery",
        count: int = 1,
        within: float = 10.0,
        too_old: bool = False,
    ) -> list[ApiCall]:
        """Press an inline button under `bot_message` (a message the bot sent or edited); `too_old`: a press
        Telegram no longer takes an answer to (made while the bot was down, delivered when it is back)."""
        query = {
            "id": self.api.new_callback_query_id(too_old),
            "from": self.user,
            "message": bot_message,
            "chat_instance": f"-{abs(self.chat_id)}42",
            "data": data,
        }
        return await self.send_update({"callback_query": query}, wait_for, count, within)

    async def send_update(
        self,
        update: dict[str, Any],
        wait_for: str | None,
        count: int = 1,
        within: float = 10.0,
    ) -> list[ApiCall]:
        mark = self.api.mark()
        await self.api.enqueue(update)
        if wait_for is None:
            return []
        where = {} if wait_for == "answerCallbackQuery" else {"chat_id": self.chat_id}
        await self.api.wait_for(wait_for, count=count, since=mark, within=within, **where)
        return [
            call
            for call in self.api.calls[mark:]
            if call.ok and (call.params.get("chat_id") == self.chat_id or call.method == "answerCallbackQuery")
        ]
