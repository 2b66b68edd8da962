"""Tonight's routine in one message that is edited step by step ("routine:*" buttons).

Buttons carry only a step number, so any press of any routine message, however old, is answered from
the knowledge base alone; a number out of range or garbage data restarts the routine politely.
A press that would show the page the message already shows (a double tap) edits nothing: Telegram
refuses such an edit, so the press is answered with a short note instead. In groups the routine does
not offer a bedtime reminder (reminders are set in a private chat).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.core.actions import ActionKind
from bot.core.commands import Command, command_reply
from bot.core.conversation import ChatContext
from bot.core.engine import Engine
from bot.core.knowledge import KnowledgeBase, Routine
from bot.core.replies import Caveat, Reply
from bot.telegram_app.buttons import REMINDER_MENU, ROUTINE_START, repeated_quickly, safety_pointer
from bot.telegram_app.memory import chat_memory
from bot.telegram_app.render import (
    MAX_MESSAGE_LENGTH,
    Block,
    Rendered,
    caveat_blocks,
    escape,
    fit_messages,
    shows_already,
    split_plain_text,
    strip_tags,
    utf16_length,
)
from bot.telegram_app.sending import send_html, send_rendered, send_reply

logger = logging.getLogger(__name__)

ALL_STEPS = "routine:all"
STEP_PREFIX = "routine:step:"
HEADING = "🌙 <b>Tonight's routine</b>"
OUT_OF_DATE = "That button is out of date, so here is the routine from the start."
ALREADY_ON_STEP = "You're on step {step} already."
ALREADY_ALL_STEPS = "These are all the steps already."
GROUP_DONE = "Well done, that's every step! Sleep well."
GROUP_DONE_KEY = "routine_done_group"  # messages.routine_done_group in the YAML overrides it
PAGES_SHOWN = "routine_pages_shown"  # chat_data key: message id -> the page it shows
PAGES_REMEMBERED = 8


@dataclass(frozen=True, slots=True)
class Page:
    html: str
    keyboard: InlineKeyboardMarkup


def in_private_chat(chat_id: int) -> bool:
    """Telegram gives private chats the person's (positive) user id; groups and channels have negative ids."""
    return chat_id > 0


def step_page(kb: KnowledgeBase, step: int, private: bool = True, caveats: tuple[Caveat, ...] = ()) -> Page:
    """Step `step` (1-based): the intro and a safety pointer on the first, the reminder offer on the last
    (in a private chat; a group gets a plain goodnight); `caveats`: those of conditions named in the chat."""
    routine = kb.routine
    total = len(routine.steps)
    current = routine.steps[step - 1]
    parts = [f"{HEADING} · step {step} of {total}"]
    parts += [escape(f"⚠️ {caveat.text}") for caveat in caveats if caveat.text]
    if step == 1:
        parts.append(escape(routine.intro))
    parts.append(f"<b>{step}. {escape(current.title)}</b>\n{escape(current.text)}")
    if step == 1:
        parts.append(escape(f"⚠️ {safety_pointer(kb.messages.extra)}"))
    if step == total:
        done = kb.messages.extra.get("routine_done", routine.outro) if private else None
        parts.append(escape(done or kb.messages.extra.get(GROUP_DONE_KEY, GROUP_DONE)))
    moves = []
    if step > 1:
        moves.append(InlineKeyboardButton("◀️ Back", callback_data=f"{STEP_PREFIX}{step - 1}"))
    if step < total:
        moves.append(InlineKeyboardButton("Next ▶️", callback_data=f"{STEP_PREFIX}{step + 1}"))
    rows = [moves, [InlineKeyboardButton("📋 All steps", callback_data=ALL_STEPS)]]
    if step == total and private:
        rows.append([InlineKeyboardButton("⏰ Set a bedtime reminder", callback_data=REMINDER_MENU)])
    return Page(_within_limit("\n\n".join(parts)), InlineKeyboardMarkup([row for row in rows if row]))


def all_steps_page(routine: Routine, private: bool = True, caveats: tuple[Caveat, ...] = ()) -> Page:
    """Every step on one page; `caveats`: those of conditions named in the chat, once, under the heading."""
    steps = "\n".join(
        f"<b>{number}. {escape(step.title)}</b>: {escape(step.text)}"
        for number, step in enumerate(routine.steps, start=1)
    )
    warnings = [escape(f"⚠️ {caveat.text}") for caveat in caveats if caveat.text]
    html = "\n\n".join((HEADING, *warnings, escape(routine.intro), steps, escape(routine.outro)))
    rows = [[InlineKeyboardButton("▶️ Step by step", callback_data=f"{STEP_PREFIX}1")]]
    if private:
        rows.append([InlineKeyboardButton("⏰ Set a bedtime reminder", callback_data=REMINDER_MENU)])
    return Page(_within_limit(html), InlineKeyboardMarkup(rows))


def parse_routine_data(data: str | None, total_steps: int) -> int | str | None:
    """A step number, "all", "start", or None when the data is not something we ever sent."""
    if data == ROUTINE_START:
        return "start"
    if data == ALL_STEPS:
        return "all"
    if data and data.startswith(STEP_PREFIX):
        number = data.removeprefix(STEP_PREFIX)
        if number.isascii() and number.isdigit() and 1 <= int(number) <= total_steps:
            return int(number)
    return None


def remember_step(memory: ChatContext | None, step: int | None, offers_reminder: bool = False) -> None:
    """Tell the conversation's short memory which step (1-based) is on screen, or None for all of them, so
    that "and after that?" typed under the routine is read against it, as in the console; and whether the
    page offers a bedtime reminder, so that "10pm please" typed under it sets one."""
    if memory is not None:
        memory.show_step(None if step is None else step - 1)
        memory.offered = ActionKind.REMIND.value if offers_reminder else None


async def start_routine(
    bot: Bot,
    kb: KnowledgeBase,
    chat_id: int,
    reply_to: Message | None = None,
    memory: ChatContext | None = None,
    caveats: tuple[Caveat, ...] = (),
) -> int:
    """Sends a new routine message at step 1, with `caveats` on it (and `memory`, when given, learns it)."""
    page = step_page(kb, 1, in_private_chat(chat_id), caveats)
    sent = await send_html(bot, chat_id, page.html, page.keyboard, reply_to)
    remember_step(memory, 1)
    return sent


async def start_routine_from_reply(
    bot: Bot,
    kb: KnowledgeBase,
    chat_id: int,
    reply: Reply,
    reply_to: Message | None = None,
    memory: ChatContext | None = None,
) -> int:
    """Free text asked for the routine: its caveats (if any) go first in their own message, then step 1."""
    caveats = fit_messages(caveat_blocks(reply.caveats))
    if caveats:
        await send_rendered(bot, chat_id, Rendered(caveats), reply_to)
        reply_to = None
    return await start_routine(bot, kb, chat_id, reply_to, memory)


async def routine_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/routine: tonight's routine, one step at a time."""
    engine: Engine = context.bot_data["engine"]
    message = update.effective_message
    if message is None:
        return
    user_id = message.from_user.id if message.from_user else None
    memory = chat_memory(context.bot_data, message.chat_id, user_id)
    # as "start the routine" in words: held back once pregnancy was named, or the caveats named earlier first
    reply = command_reply(engine, Command("routine", " ".join(context.args or [])), memory)
    if reply.action is None or reply.action.do is not ActionKind.ROUTINE:
        await send_reply(context.bot, message.chat_id, reply, message)
        return
    await start_routine_from_reply(context.bot, engine.kb, message.chat_id, reply, message, memory)


async def routine_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Next / Back / All steps / Start: edits the routine message in place."""
    query = update.callback_query
    if query is None:
        return
    engine: Engine = context.bot_data["engine"]
    kb = engine.kb
    target = parse_routine_data(query.data, len(kb.routine.steps))
    chat_id = query.message.chat.id if query.message else (update.effective_chat.id if update.effective_chat else None)
    if chat_id is None:
        await query.answer(OUT_OF_DATE if target is None else None)
        return
    if target == "start" and repeated_quickly(context.chat_data, query):  # a double tap opens one routine
        await query.answer()
        return
    memory = chat_memory(context.bot_data, chat_id, query.from_user.id)
    # any page of steps (all of them too): held back once pregnancy was named in the chat, as "next" typed is
    held = engine.routine_held_back(memory)
    if held is not None:
        await query.answer()
        await send_reply(context.bot, chat_id, held)
        return
    # "my dad has a heart condition" typed under step 2: step 3 carries its caveat, as "next" typed does; so do
    # All steps and the reminder's "Start tonight's routine"
    caveats = engine.routine_caveats(memory)
    if target == "start":
        await query.answer()
        await start_routine(context.bot, kb, chat_id, memory=memory, caveats=caveats)
        return
    private = in_private_chat(chat_id)
    step = target if isinstance(target, int) else 1
    page = all_steps_page(kb.routine, private, caveats) if target == "all" else step_page(kb, step, private, caveats)
    shown = _pages_shown(context)
    message_id = query.message.message_id if query.message else None
    if shown.get(message_id) == page.html or shows_already(query.message, page.html, page.keyboard):
        note = ALREADY_ALL_STEPS if target == "all" else ALREADY_ON_STEP.format(step=step)
        await query.answer(OUT_OF_DATE if target is None else note)
        return
    await query.answer(OUT_OF_DATE if target is None else None)
    offers_reminder = private and (target == "all" or step == len(kb.routine.steps))  # as the page does
    remember_step(memory, None if target == "all" else step, offers_reminder)
    if await show_page(context.bot, query.message, chat_id, page) and message_id is not None:
        shown[message_id] = page.html
        while len(shown) > PAGES_REMEMBERED:
            del shown[next(iter(shown))]


def _pages_shown(context: ContextTypes.DEFAULT_TYPE) -> dict[int | None, str]:
    """What this chat's routine messages show now, by message id (the latest few).

    A quick double tap sends two presses that both carry the message as it was before the first edit,
    so the message alone cannot tell that the second would change nothing; this can (a chat's updates
    are handled one at a time, in order).
    """
    if context.chat_data is None:
        return {}
    shown: dict[int | None, str] = context.chat_data.setdefault(PAGES_SHOWN, {})
    return shown


async def show_page(bot: Bot, message: object, chat_id: int, page: Page) -> bool:
    """Edit the pressed message (True); if it can no longer be edited (too old, deleted), send the page anew."""
    if isinstance(message, Message):
        try:
            await message.edit_text(page.html, parse_mode=ParseMode.HTML, reply_markup=page.keyboard)
        except BadRequest as error:
            if "not modified" in str(error).lower():
                return True  # it shows this page already (say, after a restart forgot what it showed)
            logger.info("Routine message could not be edited (%s); sending a new one", error)
        else:
            return True
    await send_html(bot, chat_id, page.html, page.keyboard)
    return False


def _within_limit(html: str) -> str:
    """A routine edited by a curator could grow past one message: keep the page valid by cutting its text."""
    if utf16_length(html) <= MAX_MESSAGE_LENGTH:
        return html
    logger.warning("A routine page is longer than one Telegram message; it is shortened")
    plain = split_plain_text(strip_tags(html), MAX_MESSAGE_LENGTH - 1)[0]
    return fit_messages([Block(plain + "…")])[0]
