"""The one error handler: log the failure in full, tell the person briefly, keep the bot running."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError
from telegram.ext import ContextTypes

from bot.telegram_app.sending import topic_of

logger = logging.getLogger(__name__)

SORRY = "Sorry, something went wrong on my side. Please try again in a moment."


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log with the traceback (never shown to the user); apologise in the chat if there is one."""
    error = context.error
    if isinstance(error, Forbidden):
        # Blocked by the person, or removed from the group: nothing to say and no one to say it to.
        logger.info("Not allowed to write to a chat any more: %s", error)
        return
    if update is None and isinstance(error, NetworkError) and not isinstance(error, BadRequest):
        # Polling for updates failed (a 5xx, a reset, a timeout): the library retries with a growing pause.
        logger.warning("Polling for updates failed (%s); retrying", error)
        return
    logger.error("Error while handling an update", exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        await context.bot.send_message(
            update.effective_chat.id, SORRY, message_thread_id=topic_of(update.effective_message)
        )
    except TelegramError as apology_error:
        logger.warning("Could not tell the chat that something went wrong: %s", apology_error)
