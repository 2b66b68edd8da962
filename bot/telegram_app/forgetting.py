"""/forget: delete everything kept about a person (their reminder, zone, delivery records and the chat's memory).

Nothing is deleted on a word alone: /forget and "delete my data" both ask first, under a Yes and a Cancel button.
Only the person who asked can answer (the buttons carry their user id: in a group, anyone can see them), and a
question is answered once: a second quick tap does not overwrite what the first did.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections import OrderedDict

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.store import MISS_KEEP_DAYS, Store, StoreError
from bot.telegram_app.memory import forget_conversation
from bot.telegram_app.reminders import STORE
from bot.telegram_app.sending import send_html, show_instead

logger = logging.getLogger(__name__)

COMMANDS: list[tuple[str, str]] = [("forget", "Delete everything I keep about you")]

FORGET_YES = "forget:yes"  # the buttons' data: this, ":", and the user id of the person who asked
FORGET_NO = "forget:no"
ANSWERED = "forget_answered"  # bot_data: the questions already answered, the latest MAX_ANSWERED (see `_first_answer`)
MAX_ANSWERED = 1000
_SALT = secrets.token_bytes(16)  # per process: a question's key says nothing of the chat it was asked in
NOT_YOURS = "Only the person who asked can answer this. Send /forget to delete your own data."
ALREADY_ANSWERED = "Already done."
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
    """Nothing is deleted on a word alone: /forget and "delete my data" both get this question first, for the
    person who asked (`reply_to`'s sender; in a private chat, the chat's own person)."""
    asker = reply_to.from_user.id if reply_to is not None and reply_to.from_user is not None else chat_id
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("🧹 Yes, delete", callback_data=f"{FORGET_YES}:{asker}"),
                InlineKeyboardButton("Cancel", callback_data=f"{FORGET_NO}:{asker}"),
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
    """ "Yes, delete" forgets the person who asked (their own data, also in a group); "Cancel" keeps it all. Anyone
    else pressing is told so and nothing happens; a question already answered stays as it was answered."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    answer, _, asker = query.data.removeprefix("forget:").partition(":")
    message = query.message
    chat_id = message.chat.id if message else None
    # Buttons sent before they carried the asker: only in a private chat, where whoever presses is its person.
    asked_by = int(asker) if asker.isdigit() else (chat_id if chat_id == query.from_user.id else None)
    if query.from_user.id != asked_by:
        await query.answer(NOT_YOURS, show_alert=True)
        return
    if message is not None and not _first_answer(context.bot_data, message.chat.id, message.message_id):
        await query.answer(ALREADY_ANSWERED)  # a quick second tap: the first one's outcome stands
        return
    await query.answer()
    if answer == "yes":
        await show_instead(query, forget_person(context, query.from_user.id, chat_id))
    else:
        await show_instead(query, FORGET_CANCELLED)


def _first_answer(bot_data: dict, chat_id: int, message_id: int) -> bool:
    """Whether this is the first answer to the question `message_id` in `chat_id` (then it is recorded, in memory,
    by a salted hash: /forget keeps no chat id, not even this)."""
    answered: OrderedDict[bytes, None] = bot_data.setdefault(ANSWERED, OrderedDict())
    question = hashlib.blake2b(f"{chat_id}:{message_id}".encode(), key=_SALT, digest_size=16).digest()
    if question in answered:
        return False
    answered[question] = None
    while len(answered) > MAX_ANSWERED:
        answered.popitem(last=False)
    return True


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
