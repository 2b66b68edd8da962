"""/forget: delete everything kept about a person (their reminder, zone, delivery records and the chat's memory).

Nothing is deleted on a word alone: /forget and "delete my data" both ask first, under a Yes and a Cancel button.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.store import MISS_KEEP_DAYS, Store, StoreError
from bot.telegram_app.memory import forget_conversation
from bot.telegram_app.reminders import STORE
from bot.telegram_app.sending import send_html, show_instead

logger = logging.getLogger(__name__)

COMMANDS: list[tuple[str, str]] = [("forget", "Delete everything I keep about you")]

FORGET_YES = "forget:yes"
FORGET_NO = "forget:no"
FORGET_QUESTION = (
    "🧹 <b>Delete everything?</b> Your reminder, your time zone and the record of reminders sent will be gone for good."
)
FORGET_CANCELLED = "OK, I deleted nothing. Your reminder and time zone are as they were."


async def forget_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/forget: asks first; "Yes, delete" deletes (see `forget_person`), "Cancel" keeps everything."""
    message = update.effective_message
    if message is None:
        return
    await ask_to_forget(context, message.chat_id, reply_to=message)


async def ask_to_forget(context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply_to: Message | None = None) -> None:
    """Nothing is deleted on a word alone: /forget and "delete my data" both get this question first."""
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🧹 Yes, delete", callback_data=FORGET_YES),
                InlineKeyboardButton("Cancel", callback_data=FORGET_NO),
            ]
        ]
    )
    await send_html(context.bot, chat_id, FORGET_QUESTION, keyboard, reply_to=reply_to)


def forget_person(context: ContextTypes.DEFAULT_TYPE, person_id: int, chat_id: int | None = None) -> str:
    """Delete the person's reminder, zone and delivery records, and what the bot holds in memory; the reply.

    Everything is kept under the person's private chat, whose id is their user id, so forgetting works
    from a group too (the group's own data is not theirs to delete; their memory in `chat_id` goes).
    """
    store: Store = context.bot_data[STORE]
    context.application.drop_chat_data(person_id)
    context.application.drop_user_data(person_id)
    forget_conversation(context.bot_data, person_id, chat_id)
    try:
        had_stored = store.forget(person_id)
    except StoreError as error:  # the person must hear that it did NOT happen, not "something went wrong"
        logger.error("/forget could not delete: %s", error)
        return FORGET_FAILED
    return forget_html(had_stored, store.record_misses)


async def forget_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """ "Yes, delete" forgets whoever pressed it (their own data, also in a group); "Cancel" keeps it all."""
    query = update.callback_query
    if query is None:
        return
    if query.data == FORGET_YES:
        await query.answer()
        chat_id = query.message.chat.id if query.message else None
        await show_instead(query, forget_person(context, query.from_user.id, chat_id))
    else:
        await query.answer()
        await show_instead(query, FORGET_CANCELLED)


FORGET_FAILED = (
    "I could not delete your data just now: my storage is not accepting changes. Nothing was deleted yet. "
    "The bot's owner can see why in the logs; please send /forget again later."
)


def forget_html(had_stored: bool, counting_misses: bool) -> str:
    """What /forget deleted, and exactly what is still kept (the unanswered-question counter, unlinked)."""
    if had_stored:
        done = "🧹 Done: I deleted your reminder, your time zone and the record of reminders sent."
    else:
        done = "I had nothing stored about you: no reminder and no time zone. Nothing to delete."
    if not counting_misses:
        return f"{done} I keep nothing else: questions are not recorded."
    return (
        f"{done} The only other thing I keep is a count of questions I could not answer, for the people who "
        "improve my answers. It has no link to you: names, numbers, addresses and every word the guide does not "
        f"use are blanked out, questions that mention a health condition are not kept at all, and it is deleted "
        f"after {MISS_KEEP_DAYS} days."
    )


def add_forget_handlers(application: Application) -> None:
    """/forget and its two buttons (registered before the catch-alls)."""
    application.add_handler(CommandHandler("forget", forget_command, filters=filters.UpdateType.MESSAGE))
    application.add_handler(CallbackQueryHandler(forget_button, pattern=r"^forget:"))
