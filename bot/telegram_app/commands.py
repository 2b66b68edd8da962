"""/start, /help, /toes (/zones) and /safety: fixed texts from the knowledge base, rendered for Telegram.

/routine lives in routine.py with its buttons.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.core.engine import Engine
from bot.core.knowledge import Entry
from bot.core.replies import ReplyKind, Suggestion
from bot.telegram_app.render import Block, Rendered, escape, fit_messages, fits_callback_data
from bot.telegram_app.sending import send_rendered, send_reply, show_activity, topic_of

logger = logging.getLogger(__name__)

# The command menu (set at start-up); /zones is an alias of /toes and stays out of the menu.
COMMANDS: list[tuple[str, str]] = [
    ("start", "Welcome, and a few questions to try"),
    ("help", "What I can do and how to ask"),
    ("routine", "Tonight's foot massage, step by step"),
    ("toes", "The foot map: which zone the guide links to what"),
    ("safety", "Who should be careful, and when to see a professional"),
]
FOOTMAP_FILE_ID = "footmap_file_id"  # bot_data key: Telegram's id for the uploaded picture
EXAMPLES = "start_examples"  # bot_data key: the /start example questions
COMMAND_MENU = "command_menu"  # bot_data key: every command in the menu, reminders' included
WELCOME_RENDERED = "welcome_rendered"  # bot_data key: /start laid out once
HELP_RENDERED = "help_rendered"  # bot_data key: /help laid out once
EXAMPLES_INTRO = "Try one of these, or just ask in your own words:"
EXAMPLE_COUNT = 3
FOOTMAP_CAPTION = "🦶 The foot map: both soles, seen from below"


def example_questions(engine: Engine, count: int = EXAMPLE_COUNT) -> list[Suggestion]:
    """The first example questions of the /help text that the guide answers, as buttons for /start.

    Taken from the knowledge base's own help text, so a curator changes them without touching code;
    each is checked against the engine, so a button always answers.
    """
    examples: list[Suggestion] = []
    for line in engine.kb.messages.extra.get("help", "").splitlines():
        question = line.strip()
        if not question.endswith("?"):
            continue
        reply = engine.reply(question)
        if reply.kind is ReplyKind.ANSWER and reply.topic and fits_callback_data(f"topic:{reply.topic}"):
            examples.append(Suggestion(reply.topic, as_sentence(question)))
        if len(examples) == count:
            break
    return examples


def as_sentence(question: str) -> str:
    """ "how do i give one?" -> "How do I give one?" (help examples are typed the way people text)."""
    question = re.sub(r"\bi\b", "I", question)
    return question[:1].upper() + question[1:]


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start: a warm welcome, the not-medical-advice line, and example questions that answer when pressed."""
    await _send_fixed(update, context, WELCOME_RENDERED, _welcome)


async def _send_fixed(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    key: str,
    lay_out: Callable[[ContextTypes.DEFAULT_TYPE], Rendered],
) -> None:
    """Send a message that is the same for everyone (/start, /help), laid out once and kept in bot_data."""
    message = update.effective_message
    if message is None:
        return
    rendered = context.bot_data.get(key)
    if rendered is None:
        rendered = context.bot_data[key] = lay_out(context)
    await send_rendered(context.bot, message.chat_id, rendered, reply_to=message)


def _welcome(context: ContextTypes.DEFAULT_TYPE) -> Rendered:
    engine: Engine = context.bot_data["engine"]
    extra = engine.kb.messages.extra
    examples: list[Suggestion] = context.bot_data.get(EXAMPLES) or []
    blocks = [Block(extra.get("welcome", "")), Block(extra.get("disclaimer", ""), "<i>", "</i>")]
    if examples:
        blocks.append(Block(extra.get("examples_intro", EXAMPLES_INTRO)))
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(example.label, callback_data=f"topic:{example.topic}")] for example in examples]
    )
    return Rendered(fit_messages(blocks), keyboard if examples else None)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/help: how to ask, example questions, and the commands."""
    await _send_fixed(update, context, HELP_RENDERED, _help)


def _help(context: ContextTypes.DEFAULT_TYPE) -> Rendered:
    engine: Engine = context.bot_data["engine"]
    menu: list[tuple[str, str]] = context.bot_data.get(COMMAND_MENU, COMMANDS)
    commands = "\n".join(f"/{name} · {escape(description)}" for name, description in menu)
    blocks = [
        Block(engine.kb.messages.extra.get("help", "")),
        Block(commands, "<b>Commands</b>\n", markup=True),
        Block(engine.kb.messages.extra.get("disclaimer", ""), "<i>", "</i>"),
    ]
    return Rendered(fit_messages(blocks))


async def toes(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/toes and /zones: the picture of both soles with every zone, then each zone as text."""
    message = update.effective_message
    if message is None:
        return
    engine: Engine = context.bot_data["engine"]
    await send_foot_map_picture(context, message)
    from bot.footmap_picture import zones_from_entries  # imported by now: see `_foot_map_png`

    lines = "\n".join(
        f"{zone.number}. <b>{escape(zone.place)}</b>{': ' + escape(zone.label) if zone.label_says_more else ''}"
        for zone in zones_from_entries(engine.foot_map())
    )
    intro = engine.kb.entry("foot_map").answer if engine.kb.has_entry("foot_map") else ""
    blocks = [Block(intro), Block(lines, markup=True), Block(engine.credit, "<i>", "</i>")]
    await send_rendered(context.bot, message.chat_id, Rendered(fit_messages(blocks)), reply_to=message)


async def send_foot_map_picture(context: ContextTypes.DEFAULT_TYPE, message: Message) -> None:
    """Uploads the picture once; afterwards Telegram's file_id is sent instead of the bytes.

    A failure here costs only the picture: the zones still follow as text.
    """
    file_id = context.bot_data.get(FOOTMAP_FILE_ID)
    try:
        if file_id:
            try:
                await context.bot.send_photo(
                    message.chat_id, file_id, caption=FOOTMAP_CAPTION, message_thread_id=topic_of(message)
                )
                return
            except BadRequest as error:  # e.g. the file id no longer valid for this bot
                logger.warning("Cached foot map file id refused (%s); uploading again", error)
                context.bot_data.pop(FOOTMAP_FILE_ID, None)
        await show_activity(context.bot, message, ChatAction.UPLOAD_PHOTO)
        engine: Engine = context.bot_data["engine"]
        png = await asyncio.to_thread(_foot_map_png, engine.foot_map())
        sent = await context.bot.send_photo(
            message.chat_id, png, caption=FOOTMAP_CAPTION, filename="footmap.png", message_thread_id=topic_of(message)
        )
        if sent.photo:
            context.bot_data[FOOTMAP_FILE_ID] = sent.photo[-1].file_id
    except Exception:
        logger.exception("Could not send the foot map picture")


def _foot_map_png(entries: list[Entry]) -> bytes:
    """The picture, drawn in a worker thread. Pillow (about 4 MB of RSS, 50 ms to import) is imported here on the
    first /toes, off the event loop, rather than when the bot starts: most processes never draw it."""
    from bot.footmap_picture import foot_map_png

    return foot_map_png(entries)


async def safety(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/safety: who must be careful, and when to see a professional."""
    message = update.effective_message
    if message is None:
        return
    engine: Engine = context.bot_data["engine"]
    await send_reply(context.bot, message.chat_id, engine.safety_overview(), reply_to=message)
