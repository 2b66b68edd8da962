"""Everything that is not a question in words: a short friendly hint, never silence or a crash.

Stickers, photos, voice and the like; edited messages; commands we do not have; buttons whose data we
never sent or no longer understand.
"""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.core.commands import unknown_command_text
from bot.core.engine import Engine
from bot.core.replies import ReplyKind
from bot.telegram_app.answers import question_text
from bot.telegram_app.memory import chat_memory
from bot.telegram_app.render import escape
from bot.telegram_app.sending import send_html, send_reply

EDITED_HINT = "I only read new messages, not edits. If you changed your question, just send it again."
STALE_BUTTON_HINT = "That button no longer works. Send /help to see what I can do."
OTHER_BOTS_COMMAND = "That command is for @{bot}, not for me. Send /help to see what I can do."


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A sticker, photo, voice note, location...: say that we read text, with an example question."""
    message = update.effective_message
    if message is None:
        return
    engine: Engine = context.bot_data["engine"]
    await send_html(context.bot, message.chat_id, escape(engine.kb.messages.not_text), reply_to=message)


async def edited_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An edit of an earlier message (in groups, one addressed to the bot): we answered the original; say how to get
    a fresh answer. A condition the edit names ("im 20 weeks pregnant" added) gets its caution first and is
    remembered, as in a new message (in a group, by that member); an emergency gets emergency care, alone."""
    message = update.effective_message
    if message is None:
        return
    engine: Engine = context.bot_data["engine"]
    words = question_text(message, context.bot.username)  # its text or caption, without an @mention of the bot
    if words:
        user_id = message.from_user.id if message.from_user else None
        memory = chat_memory(context.bot_data, message.chat_id, user_id)
        caution = engine.caution_in_an_edit(words, memory)
        if caution is not None:
            await send_reply(context.bot, message.chat_id, caution, message)
            if caution.kind is ReplyKind.RED_FLAG:
                return
    hint = engine.kb.messages.extra.get("edited", EDITED_HINT)
    await send_html(context.bot, message.chat_id, escape(hint), reply_to=message)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command we do not have, or one addressed to another bot ("/start@someone_elses_bot"): point at /help."""
    message = update.effective_message
    if message is None or not message.text:
        return
    typed = message.text.split(maxsplit=1)[0]
    addressee = typed.partition("@")[2]
    engine: Engine = context.bot_data["engine"]
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        others = engine.kb.messages.extra.get("other_bots_command", OTHER_BOTS_COMMAND)
        await send_html(context.bot, message.chat_id, escape(others.replace("{bot}", addressee[:32])), reply_to=message)
        return
    hint = unknown_command_text(engine, typed)  # "/Nonsense", not "/Nonsense@footbot"
    await send_html(context.bot, message.chat_id, escape(hint), reply_to=message)


async def stale_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button press no other handler claimed (old, tampered, or from a feature that is gone)."""
    query = update.callback_query
    if query is None:
        return
    await query.answer(STALE_BUTTON_HINT)
