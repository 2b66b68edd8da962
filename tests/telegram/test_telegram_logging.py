"""The redacting filter: the bot token never reaches a log line, whatever form it takes."""

from __future__ import annotations

import io
import logging

import pytest

from bot.telegram_app.logging_setup import REDACTED, SecretRedactingFilter, configure_logging

TOKEN = "987654:AAH-secret_value-xyz123"


@pytest.fixture
def captured() -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(SecretRedactingFilter([TOKEN]))
    logger = logging.getLogger("footbot.test.redaction")
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger, stream


def test_the_token_is_redacted_from_the_message_and_its_arguments(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    logger.info(f"POST https://api.telegram.org/bot{TOKEN}/getMe")
    logger.debug("Set Bot API URL: %s", f"https://api.telegram.org/bot{TOKEN}")
    output = stream.getvalue()
    assert TOKEN not in output
    assert output.count(REDACTED) == 2


def test_the_secret_half_alone_is_redacted_too(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    logger.warning("token part %s", TOKEN.split(":")[1])
    assert "AAH-secret_value-xyz123" not in stream.getvalue()


def test_the_token_is_redacted_from_a_traceback(captured: tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    try:
        raise ConnectionError(f"cannot reach /bot{TOKEN}/sendMessage")
    except ConnectionError:
        logger.exception("request failed")
    output = stream.getvalue()
    assert "Traceback" in output and "ConnectionError" in output
    assert TOKEN not in output


def test_a_record_with_a_broken_format_string_is_still_logged_redacted(
    captured: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, stream = captured
    logger.error("two %s %s", TOKEN)  # one argument short
    output = stream.getvalue()
    assert "two" in output and TOKEN not in output


def test_configure_logging_guards_every_root_handler_and_quietens_httpx() -> None:
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    level = root.level
    try:
        redactor = configure_logging(secrets=[TOKEN], level="DEBUG", handler=handler)
        assert redactor in handler.filters
        assert logging.getLogger("httpx").level == logging.WARNING
        logging.getLogger("somewhere.else").info("url /bot%s/getUpdates", TOKEN)
        assert TOKEN not in stream.getvalue() and REDACTED in stream.getvalue()
        assert configure_logging(secrets=["another:secret-token-2"]) is redactor  # idempotent
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        logging.getLogger("httpx").setLevel(logging.NOTSET)
        logging.getLogger("httpcore").setLevel(logging.NOTSET)
