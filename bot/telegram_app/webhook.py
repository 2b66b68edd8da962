"""The webhook server: Telegram POSTs each update here; anything else is turned away before it costs much.

python-telegram-bot's built-in server (tornado) reads a whole request body before it looks at the secret
token, so anyone who finds the URL can make the bot hold 50 MB per request. Here, in order:
  1. a request without the right X-Telegram-Bot-Api-Secret-Token gets 403, its body unread;
  2. a Content-Length over MAX_BODY_BYTES gets 413, unread; a body without one is read in chunks and
     refused (413) as soon as it passes the limit;
  3. a body that is not one JSON object with an integer update_id (empty, not UTF-8, not JSON) gets 400;
  4. the update is written to the journal (journal.py) and queued, then Telegram gets 200: an update
     Telegram was told we have is never lost to a crash, and a redelivered one is not handled twice.
Refused requests close their connection, so nothing is spent draining what was not read. The update's
contents are never logged (an unreadable one is logged by id only, as in polling mode).
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from aiohttp import web
from telegram.ext import Application

from bot.telegram_app.aiohttp_request import without_lone_surrogates
from bot.telegram_app.tolerant_bot import TolerantBot

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are a few kilobytes (a message is at most 4,096 characters, plus its entities,
# a quoted reply and a few users and chats); 1 MB leaves a wide margin and bounds what a request can cost.
MAX_BODY_BYTES = 1024 * 1024
READ_CHUNK_BYTES = 64 * 1024


def webhook_app(application: Application, path: str, secret: str, max_body: int = MAX_BODY_BYTES) -> web.Application:
    """An aiohttp application answering POST `path` (e.g. "/footbot/hook") for `application`."""
    server = web.Application(client_max_size=max_body)
    server.router.add_post(path, _Receiver(application, secret, max_body).handle)
    return server


class _Receiver:
    def __init__(self, application: Application, secret: str, max_body: int) -> None:
        self.application = application
        self.secret = secret.encode()
        self.max_body = max_body

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            return _refuse(403, "Forbidden")
        if request.content_length is not None and request.content_length > self.max_body:
            return _refuse(413, "Request Entity Too Large")
        body = bytearray()
        while chunk := await request.content.read(READ_CHUNK_BYTES):
            body += chunk
            if len(body) > self.max_body:
                return _refuse(413, "Request Entity Too Large")
        raw = _update_json(bytes(body))
        if raw is None:
            return _refuse(400, "Bad Request: expected one update as a JSON object")
        self._queue(raw)
        return web.Response(text="OK")

    def _queue(self, raw: dict[str, Any]) -> None:
        bot = self.application.bot
        if not isinstance(bot, TolerantBot):  # pragma: no cover - build_application always makes one
            raise TypeError("the webhook needs the TolerantBot that build_application makes")
        if raw["update_id"] not in bot.journal.fetched([raw]):
            return  # Telegram sent it again (our 200 was lost): handled already or about to be
        self.application.update_queue.put_nowait(bot.read_update(raw))


def _update_json(body: bytes) -> dict[str, Any] | None:
    """The update in the body, or None when the body is not one: empty, not UTF-8, not a JSON object."""
    try:
        raw = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(raw, dict) or type(raw.get("update_id")) is not int:
        return None
    return without_lone_surrogates(raw, body)


def _refuse(status: int, reason: str) -> web.Response:
    response = web.Response(status=status, text=reason)
    response.force_close()  # don't read (or drain) the rest of what was sent
    return response
