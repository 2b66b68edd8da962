"""HTTP to the Bot API that survives a short burst of 5xx answers or refused connections.

python-telegram-bot retries getUpdates forever by itself, but a reply that meets one 502 from
Telegram (or the proxy in front of it) is lost. Here such a request is tried again a few times with
a short back-off. Only answers that mean "not processed" are retried (500, 502, 503, and a connection
that could not be opened); a timeout or a 504 may have been delivered, so those are not repeated.
429 is left to the rate limiter, which honours retry_after.

Just before the body of an update's first request that a person could see is written to the socket, the
update journal records that its reply may be out (journal.py `before_reply`), so a restart after a hard
kill never answers it twice.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from telegram.error import NetworkError
from telegram.request import RequestData

from bot.telegram_app.aiohttp_request import AiohttpRequest
from bot.telegram_app.journal import before_reply

logger = logging.getLogger(__name__)

RETRIED_STATUSES = frozenset({500, 502, 503})
# Seconds to wait before each further attempt: worst case about 2 s before giving up.
BACKOFF = (0.1, 0.4, 1.5)


class RetryingRequest(AiohttpRequest):
    """Requests repeated on 500/502/503 or a connection that could not be opened."""

    def __init__(self, *args: object, backoff: tuple[float, ...] = BACKOFF, **kwargs: object) -> None:
        kwargs.setdefault("before_body", before_reply)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._backoff = backoff

    async def do_request(  # type: ignore[override]
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        **timeouts: object,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        for attempt, pause in enumerate((*self._backoff, None), start=1):
            try:
                status, payload = await super().do_request(url, method, request_data, **timeouts)  # type: ignore[arg-type]
            except NetworkError as error:
                if pause is None or not isinstance(error.__cause__, aiohttp.ClientConnectorError):
                    raise
                logger.warning("Bot API %s: could not connect (attempt %d); retrying", endpoint, attempt)
            else:
                if pause is None or status not in RETRIED_STATUSES:
                    return status, payload
                logger.warning("Bot API %s answered %d (attempt %d); retrying", endpoint, status, attempt)
            await asyncio.sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover
