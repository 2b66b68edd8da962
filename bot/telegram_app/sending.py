"""The one place that sends rendered HTML to a chat, so every handler sends the same way.

Each function returns the id of the (last) message sent.
"""

from __future__ import annotations

from telegram import Bot, InlineKeyboardMarkup, Message, ReplyParameters
from telegram.constants import ChatType, ParseMode

from bot.core.replies import Reply
from bot.telegram_app.render import Rendered, render_reply
from bot.telegram_app.tolerant_bot import TolerantBot


async def send_rendered(bot: Bot, chat_id: int, rendered: Rendered, reply_to: Message | None = None) -> int:
    """Sends each message in turn; the buttons go under the last. In groups the first one quotes the question."""
    if not rendered.messages:
        raise ValueError("nothing to send")
    quote = _quote(reply_to)
    sent = 0
    for number, text in enumerate(rendered.messages, start=1):
        keyboard = rendered.keyboard if number == len(rendered.messages) else None
        quoting = quote if number == 1 else None
        if isinstance(bot, TolerantBot):
            sent = await bot.send_html_message(chat_id, text, keyboard, quoting)
        else:
            message = await bot.send_message(
                chat_id, text, parse_mode=ParseMode.HTML, reply_markup=keyboard, reply_parameters=quoting
            )
            sent = message.message_id
    return sent


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


def _quote(message: Message | None) -> ReplyParameters | None:
    """Quote the question only in groups, where several conversations interleave."""
    if message is None or message.chat.type == ChatType.PRIVATE:
        return None
    return ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True)
