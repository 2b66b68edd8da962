"""Logging for the running bot: readable lines, quiet HTTP libraries, and never the bot token.

httpx logs every request URL at INFO, and the Bot API puts the token in the URL; a library's
exception text may carry it too. So every handler gets a filter that blanks secrets out of the
finished line (message, arguments, traceback) whatever logger it came from.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable
from types import TracebackType

REDACTED = "[REDACTED]"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Loggers that are chatty at INFO (httpx: one line per request) or DEBUG (httpcore: one per socket event).
QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler", "aiohttp.access")
BOT_LOGGERS = ("telegram.Bot", "telegram.ext.ExtBot")  # python-telegram-bot's loggers for Bot API calls


class SecretRedactingFilter(logging.Filter):
    """Replaces each secret with [REDACTED] in the record before any handler formats it.

    A bot token `123:ABC` is also looked for without its numeric id (`ABC`), since that half is
    the actual secret and may appear on its own, e.g. URL-encoded or split by a library.
    """

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self._secrets: list[str] = []
        self.add_secrets(secrets)

    def add_secrets(self, secrets: Iterable[str | None]) -> None:
        for secret in secrets:
            if not secret:
                continue
            candidates = {secret}
            _, colon, tail = secret.partition(":")
            if colon and len(tail) >= 8:
                candidates.add(tail)
            for candidate in candidates:
                if candidate not in self._secrets:
                    self._secrets.append(candidate)
        # Longest first, so the whole token is replaced before its secret half.
        self._secrets.sort(key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what we can, redacted
            message = f"{record.msg} {record.args}"
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class UpdateContentFilter(logging.Filter):
    """python-telegram-bot logs a whole batch of updates (message texts included) at CRITICAL when it
    cannot parse one; keep the event, drop the contents."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith("Error while parsing updates!"):
            record.msg = "Error while parsing updates (their contents are not logged)"
            record.args = None
        return True


def hide_update_contents() -> None:
    """Installs UpdateContentFilter on the library's Bot loggers (once)."""
    for name in BOT_LOGGERS:
        bot_logger = logging.getLogger(name)
        if not any(isinstance(each, UpdateContentFilter) for each in bot_logger.filters):
            bot_logger.addFilter(UpdateContentFilter())


def configure_logging(
    secrets: Iterable[str | None] = (),
    level: str | int | None = None,
    handler: logging.Handler | None = None,
) -> SecretRedactingFilter:
    """Sets up the root logger once and guards every handler on it against leaking secrets.

    The level comes from `FOOTBOT_LOG_LEVEL` (default INFO) unless given. Safe to call again:
    existing handlers keep their redacting filter and learn the new secrets.
    """
    root = logging.getLogger()
    chosen = level if level is not None else os.environ.get("FOOTBOT_LOG_LEVEL", "INFO").upper()
    root.setLevel(chosen)
    if handler is not None:
        root.addHandler(handler)
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    redactor = _find_redactor(root.handlers) or SecretRedactingFilter()
    redactor.add_secrets(secrets)
    for each in root.handlers:
        if each.formatter is None:
            each.setFormatter(logging.Formatter(LOG_FORMAT))
        if redactor not in each.filters:
            each.addFilter(redactor)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    hide_update_contents()
    sys.excepthook = _log_uncaught
    return redactor


def _log_uncaught(kind: type[BaseException], error: BaseException, traceback: TracebackType | None) -> None:
    """An exception that ends the program goes through logging too, so it is redacted like every line.

    (Python's default hook prints it straight to stderr, and e.g. python-telegram-bot's InvalidToken
    carries the token in its message.)
    """
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, traceback)
        return
    logging.getLogger("footbot").critical("footbot stopped on an unexpected error", exc_info=(kind, error, traceback))


def _find_redactor(handlers: Iterable[logging.Handler]) -> SecretRedactingFilter | None:
    for each in handlers:
        for found in each.filters:
            if isinstance(found, SecretRedactingFilter):
                return found
    return None
