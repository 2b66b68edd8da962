"""Free-text questions and the topic buttons ("topic:<entry id>"): ask the core, send its reply."""

from __future__ import annotations

import logging

from telegram import Message, MessageEntity, Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes, filters

from bot.core.commands import Command, command_reply
from bot.core.conversation import ChatContext
from bot.core.engine import Engine
from bot.core.privacy import miss_text
from bot.core.replies import Reply, ReplyKind
from bot.telegram_app.actions import carry_out
from bot.telegram_app.buttons import repeated_quickly
from bot.telegram_app.memory import chat_memory
from bot.telegram_app.routine import start_routine_from_reply
from bot.telegram_app.sending import send_reply, show_activity

logger = logging.getLogger(__name__)

TOPIC_PREFIX = "topic:"
BUSY_IN_FLIGHT = 4  # updates being handled at once above which the typing indicator is skipped
STALE_TOPIC = "That button is out of date; here is what I can help with."


class AddressedToBot(filters.MessageFilter):
    """In a group: the message mentions the bot (@username, or /command@username) or replies to it."""

    def filter(self, message: Message) -> bool:
        bot = message.get_bot()
        return replies_to_bot(message, bot.id) or mentions_bot(message, bot.username)


def replies_to_bot(message: Message, bot_id: int) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == bot_id)


def words_of(message: Message) -> str | None:
    """What a message says in words: its text, or the caption of a photo, video or document (answered alike)."""
    return message.text if message.text is not None else message.caption


def _entities(message: Message, types: list[str] | None = None) -> dict[MessageEntity, str]:
    """The entities of the message's text, or of its caption."""
    return message.parse_entities(types) if message.text is not None else message.parse_caption_entities(types)


def mentions_bot(message: Message, bot_username: str) -> bool:
    wanted = f"@{bot_username}".lower()
    for kind, text in ((entity.type, text) for entity, text in _entities(message).items()):
        if kind == MessageEntity.MENTION and text.lower() == wanted:
            return True
        if kind == MessageEntity.BOT_COMMAND and text.lower().endswith(wanted):
            return True
    return False


def question_text(message: Message, bot_username: str) -> str:
    """The message text (or caption) without any @mention of the bot, which is an address, not part of the question."""
    text = words_of(message) or ""
    wanted = f"@{bot_username}".lower()
    # Cut from the end so earlier offsets stay valid; parse_entities gives Python string positions.
    spans = [
        entity for entity, mention in _entities(message, [MessageEntity.MENTION]).items() if mention.lower() == wanted
    ]
    if not spans:
        return text
    pieces = []
    cursor = 0
    utf16 = text.encode("utf-16-le")
    for entity in sorted(spans, key=lambda each: each.offset):
        pieces.append(utf16[cursor * 2 : entity.offset * 2])
        cursor = entity.offset + entity.length
    pieces.append(utf16[cursor * 2 :])
    words = (piece.decode("utf-16-le").strip() for piece in pieces)
    return " ".join(word for word in words if word)


def is_busy(application: Application) -> bool:
    """Many updates in flight or waiting: the typing indicator is the first thing to drop.

    It is cosmetic (the answer follows within milliseconds) yet costs a Bot API request, as much as the
    answer itself; under a burst, skipping it keeps every answer coming sooner.
    """
    in_flight = application.update_processor.current_concurrent_updates
    return in_flight > BUSY_IN_FLIGHT or application.update_queue.qsize() > 0


async def answer_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A question in words (or a photo's caption, read the same): typing indicator, the core's reply; the routine
    starts if that was asked for."""
    message = update.effective_message
    if message is None or words_of(message) is None:
        return
    engine: Engine = context.bot_data["engine"]
    if not is_busy(context.application):
        await show_activity(context.bot, message)
    text = question_text(message, context.bot.username)
    user_id = message.from_user.id if message.from_user else None
    memory = chat_memory(context.bot_data, message.chat_id, user_id)
    reply = engine.reply(text, memory)
    logger.debug("Reply %s (topic %s, score %.0f) to %r", reply.kind, reply.topic, reply.score, text)
    if await carry_out(update, context, reply, memory):  # a feature asked for in words: done as its command does it
        return
    if reply.kind is ReplyKind.FALLBACK:
        await record_miss(context, engine, text, reply)
    note = engine.kb.messages.extra.get("caption_note", "")
    if note and message.caption and reply.kind is not ReplyKind.EMPTY:  # "is this the right spot?" under a photo
        reply = reply._replace(body=f"{note}\n\n{reply.body}")
    await deliver(context, message.chat_id, reply, message, memory)


async def condition_after_a_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before one of the core's COMMANDS_READ_FOR_CONDITIONS: a condition or an emergency named in the words
    after it gets its caution (or emergency care) first, and the chat remembers the condition, so the command knows
    it (the routine is held back). An emergency stops the command."""
    message = update.effective_message
    if message is None or not context.args:
        return  # nearly every command: nothing said after it
    engine: Engine = context.bot_data["engine"]
    user_id = message.from_user.id if message.from_user else None
    memory = chat_memory(context.bot_data, message.chat_id, user_id)
    caution = engine.caution_alone(" ".join(context.args), memory)
    if caution is None:
        return
    await send_reply(context.bot, message.chat_id, caution, message)
    if caution.kind is ReplyKind.RED_FLAG:
        raise ApplicationHandlerStop  # emergency care first and alone


async def toes_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/toes and /zones: the foot map as asked for in words, so a condition named earlier in the chat ("I'm
    pregnant") brings its caveat first (the core's reply to the command, as the console and `ask --chats` give it)."""
    message = update.effective_message
    if message is None:
        return
    engine: Engine = context.bot_data["engine"]
    user_id = message.from_user.id if message.from_user else None
    memory = chat_memory(context.bot_data, message.chat_id, user_id)
    reply = command_reply(engine, Command("toes", " ".join(context.args or [])), memory)
    await carry_out(update, context, reply, memory)


async def topic_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A suggestion or example button: answer that entry (an unknown id gets the fallback, politely)."""
    query = update.callback_query
    if query is None:
        return
    if repeated_quickly(context.chat_data, query):  # a double tap: the answer is on its way once
        await query.answer()
        return
    engine: Engine = context.bot_data["engine"]
    topic = (query.data or "").removeprefix(TOPIC_PREFIX)
    known = engine.kb.has_entry(topic)
    await query.answer(None if known else STALE_TOPIC)
    chat = update.effective_chat
    if chat is None:
        return
    memory = chat_memory(context.bot_data, chat.id, query.from_user.id)
    await deliver(context, chat.id, engine.answer_topic(topic, memory), None, memory)


async def deliver(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    reply: Reply,
    question: Message | None,
    memory: ChatContext | None = None,
) -> None:
    """Send the reply; a routine reply starts the stepper (and `memory` learns it is at step 1)."""
    if reply.kind is ReplyKind.ROUTINE:
        engine: Engine = context.bot_data["engine"]
        await start_routine_from_reply(context.bot, engine.kb, chat_id, reply, question, memory)
    else:
        await send_reply(context.bot, chat_id, reply, question)


async def record_miss(context: ContextTypes.DEFAULT_TYPE, engine: Engine, text: str, reply: Reply) -> None:
    """Count an unanswered question for the curator: only its words the knowledge uses (privacy.py), nothing
    about who asked, and nothing at all from a message that names a condition or an emergency."""
    store = context.bot_data.get("store")
    normalised = miss_text(engine, text, reply)  # None: nothing of it may be kept (health, or nothing useful)
    if store is None or not normalised:
        return
    try:
        store.record_miss(normalised)
    except Exception:  # counting a miss must never cost the person their answer
        logger.exception("Could not record an unanswered question")
