"""Bot API HTTP over aiohttp instead of python-telegram-bot's default httpx.

Measured here against the same local server: httpx spends about 1.7-2.7 ms of CPU per request (its
connection pool scans every connection, with a system call each, on every request), aiohttp about
0.4-0.5 ms. Every update costs one or two requests, so this is what lets one core keep up with a
thousand updates a second. Requests are sent form-encoded, exactly as the library's own transport does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

import aiohttp
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
# Percent-encoding as urllib's quote_plus does it, through a 256-entry table that map() reads in C: urlencode
# quotes a reply's hundreds of characters one Python call at a time, a tenth of the bot's CPU under load.
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
_QUOTED = [chr(byte) if byte in _UNRESERVED else "+" if byte == 0x20 else f"%{byte:02X}" for byte in range(256)]
# A high surrogate escape not followed by a low one, or a low one not preceded by a high one.
_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def without_lone_surrogates(value: Any, payload: bytes) -> Any:
    """`value`, parsed from the JSON `payload`, with every lone UTF-16 surrogate ("\\ud83d" with no partner: half an
    emoji cut at a UTF-16 boundary) replaced by U+FFFD. Such an escape is valid JSON but no UTF-8 text can hold it:
    kept, it fails the update journal's write (and with it the whole batch: polling would fetch that batch forever)
    and every reply that quotes it. Only JSON written with escapes can carry one: a payload costs a search or two
    (escaped emoji come in pairs), and only one holding a lone surrogate is walked."""
    if (b"\\ud" not in payload and b"\\uD" not in payload) or _LONE_SURROGATE.search(payload) is None:
        return value
    return _valid_text(value)


def _valid_text(value: Any) -> Any:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return value
    if isinstance(value, list):
        return [_valid_text(item) for item in value]
    if isinstance(value, dict):
        return {key: _valid_text(item) for key, item in value.items()}
    return value


def form_encode(parameters: dict[str, object]) -> str:
    """`urllib.parse.urlencode(parameters)`, the same text, about three times faster on a reply."""
    return "&".join(f"{_quote_plus(name)}={_quote_plus(str(value))}" for name, value in parameters.items())


@lru_cache(maxsize=1024)  # replies are the knowledge's texts: the same ones recur
def _quote_plus(text: str) -> str:
    return "".join(map(_QUOTED.__getitem__, text.encode("utf-8")))


class AiohttpRequest(BaseRequest):
    """A BaseRequest on one aiohttp session with a pool of `connection_pool_size` keep-alive connections."""

    def __init__(
        self,
        connection_pool_size: int = 8,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 30.0,
        media_read_timeout: float | None = 30.0,
        before_body: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        """`before_body(method)` runs right before a request's body is written to the socket (the last moment
        a request can still be kept from leaving; the update journal marks its update there)."""
        self._pool_size = connection_pool_size
        self._before_body = before_body
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_read_timeout = media_read_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """As the library's, but with lone surrogates read as U+FFFD (`without_lone_surrogates`), and an answer
        that is not JSON (cut short on its way) is not logged: the library logged it whole at ERROR, and a
        getUpdates answer holds people's messages. The caller logs the TelegramError; polling asks again."""
        try:
            parsed = json.loads(payload.decode("utf-8", "replace"))
        except ValueError as error:
            raise TelegramError("Invalid server response") from error
        return without_lone_surrogates(parsed, payload)

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300)
            # The Bot API sets no cookies and its answers are small: no cookie jar, no compression to undo.
            self._session = aiohttp.ClientSession(
                connector=connector,
                headers={"User-Agent": self.USER_AGENT},
                cookie_jar=aiohttp.DummyCookieJar(),
                skip_auto_headers=("Accept-Encoding",),
                trace_configs=self._trace_configs(),
            )

    def _trace_configs(self) -> list[aiohttp.TraceConfig]:
        if self._before_body is None:
            return []
        before_body = self._before_body
        trace = aiohttp.TraceConfig()

        async def on_chunk(_: aiohttp.ClientSession, context: SimpleNamespace, sent: object) -> None:
            # aiohttp calls this just before writing each body chunk (the first carries the headers too).
            if not getattr(context, "announced", False):
                context.announced = True
                await before_body(sent.url.name)  # type: ignore[attr-defined]

        trace.on_request_chunk_sent.append(on_chunk)
        return [trace]

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        write_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized")
        has_files = bool(request_data and request_data.contains_files)
        default_read = self._media_read_timeout if has_files else self._read_timeout
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=_chosen(pool_timeout, self._pool_timeout),  # waiting for a free pooled connection
            sock_connect=_chosen(connect_timeout, self._connect_timeout),
            sock_read=_chosen(read_timeout, default_read),
        )
        body: aiohttp.FormData | str | None = None
        headers = None
        if request_data is not None and has_files:
            body = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                body.add_field(name, value)
            for name, (filename, content, mimetype) in request_data.multipart_data.items():
                body.add_field(name, content, filename=filename, content_type=mimetype)
        elif request_data is not None:
            body, headers = form_encode(request_data.json_parameters), FORM
        try:
            async with self._session.request(method, url, data=body, headers=headers, timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            # The class name only: some aiohttp errors quote the URL, and the URL holds the bot token.
            raise NetworkError(f"aiohttp.{type(error).__name__}") from error


def _chosen(value: float | object | None, default: float | None) -> float | None:
    """The library passes DEFAULT_NONE for "use the default", None for "no timeout"."""
    return default if value is BaseRequest.DEFAULT_NONE else value  # type: ignore[return-value]
