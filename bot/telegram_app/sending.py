"""The one place that sends rendered HTML to a chat, so every handler sends the same way.

Each send returns the id of the (last) message sent; `show_instead` edits the message a button was under.
"""

from __future__ import annotations

import logging

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, ChatMigrated, TelegramError

from bot.core.replies import Reply
from bot.telegram_app.render import Rendered, render_reply
from bot.telegram_app.tolerant_bot import TolerantBot

logger = logging.getLogger(__name__)


async def send_rendered(bot: Bot, chat_id: int, rendered: Rendered, reply_to: Message | None = None) -> int:
    """Sends each message in turn; the buttons go under the last. In groups the first one quotes the question, and
    in a forum group every one goes to the question's topic. A group upgraded to a supergroup since the question
    was asked (Telegram refuses the old id and names the new one) gets the rest in the supergroup, unquoted."""
    if not rendered.messages:
        raise ValueError("nothing to send")
    quote, topic = _quote(reply_to), topic_of(reply_to)
    sent = 0
    for number, text in enumerate(rendered.messages, start=1):
        keyboard = rendered.keyboard if number == len(rendered.messages) else None
        quoting = quote if number == 1 else None
        try:
            sent = await _send_one(bot, chat_id, text, keyboard, quoting, topic)
        except ChatMigrated as moved:
            logger.info("A group became a supergroup; answering there")
            chat_id = moved.new_chat_id
            sent = await _send_one(bot, chat_id, text, keyboard, None, topic)
    return sent


async def _send_one(
    bot: Bot,
    chat_id: int,
    text: str,
    keyboard: InlineKeyboardMarkup | None,
    quoting: ReplyParameters | None,
    topic: int | None,
) -> int:
    if isinstance(bot, TolerantBot):
        return await bot.send_html_message(chat_id, text, keyboard, quoting, topic)
    message = await bot.send_message(
        chat_id,
        text,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard,
        reply_parameters=quoting,
        message_thread_id=topic,
    )
    return message.message_id


async def send_reply(bot: Bot, chat_id: int, reply: Reply, reply_to: Message | None = None) -> int:
    return await send_rendered(bot, chat_id, render_reply(reply), reply_to)


async def send_html(
    bot: Bot,
    chat_id: int,
    html: str,
    keyboard: InlineKeyboardMarkup | None = None,
    reply_to: Message | None = None,
) -> int:
    """One message we composed ourselves (already escaped, already within the length limit)."""
    return await send_rendered(bot, chat_id, Rendered((html,), keyboard), reply_to)


async def show_instead(query: CallbackQuery, html: str) -> None:
    """Replace the message a button was under (a menu, a choice, a question) with the outcome."""
    try:
        await query.edit_message_text(html, parse_mode=ParseMode.HTML)
    except BadRequest as error:  # a double tap, or a message too old to edit: the outcome was still done
        logger.debug("Could not edit the message under the button: %s", error)


async def show_activity(bot: Bot, message: Message, action: str = ChatAction.TYPING) -> None:
    """ "typing…" (or "sending a photo…") in the message's chat and topic. Cosmetic: when Telegram refuses it or the
    network drops it, the answer still goes (only a debug line says so)."""
    try:
        await bot.send_chat_action(message.chat_id, action, message_thread_id=topic_of(message))
    except TelegramError as error:
        logger.debug("No %s indicator: %s", action, error)


def topic_of(message: Message | None) -> int | None:
    """The forum topic a message was posted in (None outside forum groups): replies go there, not to General."""
    return message.message_thread_id if message is not None and message.is_topic_message else None


def _quote(message: Message | None) -> ReplyParameters | None:
    """Quote the question only in groups, where several conversations interleave."""
    if message is None or message.chat.type == ChatType.PRIVATE:
        return None
    return ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True)
