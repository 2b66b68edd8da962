"""The error handler: a failed poll is a one-line warning, a failed update is logged in full."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from telegram.error import BadRequest, NetworkError

from bot.telegram_app.errors import on_error


async def test_a_failed_poll_is_one_warning_without_traceback(caplog: pytest.LogCaptureFixture) -> None:
    context = SimpleNamespace(error=NetworkError("Bad Gateway"), bot=None)
    with caplog.at_level(logging.INFO, logger="bot.telegram_app.errors"):
        await on_error(None, context)  # type: ignore[arg-type]
    assert [(r.levelno, r.exc_info) for r in caplog.records] == [(logging.WARNING, None)]
    assert "Polling for updates failed" in caplog.records[0].getMessage()


async def test_any_other_failure_is_an_error_with_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    try:
        raise BadRequest("Message is too long")
    except BadRequest as error:
        context = SimpleNamespace(error=error, bot=None)
    with caplog.at_level(logging.INFO, logger="bot.telegram_app.errors"):
        await on_error(None, context)  # type: ignore[arg-type]
    assert caplog.records[0].levelno == logging.ERROR
    assert caplog.records[0].exc_info is not None
