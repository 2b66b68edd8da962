"""Bedtime reminders in Telegram: /remind, /timezone and the "rem:*" buttons.

Sending the reminders when they fall due is `delivery.py`'s; deleting what is kept, /forget, is `forgetting.py`'s.
Both read the store these handlers write, under the `STORE` key of bot_data.

Reading order: command handlers, button handler, wiring; what they say and show is in reminder_texts.py.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time as wall_clock
from collections.abc import Callable
from datetime import UTC, datetime, time

from telegram import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MaybeInaccessibleMessage,
    Update,
)
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, filters

from bot.core.actions import only_a_time, surely_a_zone, time_in
from bot.core.commands import OFF_WORDS, ON_WORDS
from bot.core.conversation import REMINDER_SHOWN
from bot.core.follow_ups import RoutineControl
from bot.core.text import normalise
from bot.reminders.places import index_built
from bot.reminders.timeparse import TimeParseError, format_time, parse_time
from bot.reminders.timezones import ZoneMatch, choice_for_key, describe_zone, match_zone
from bot.store import Store
from bot.telegram_app.buttons import ROUTINE_START, repeated_quickly
from bot.telegram_app.memory import chat_memory
from bot.telegram_app.reminder_texts import (
    ALREADY_OFF,
    ALREADY_SET,
    ALREADY_SNOOZED,
    ALREADY_ZONE,
    MENU,
    NOTHING_TO_SNOOZE,
    OFF,
    PRIVATE_ONLY,
    SET_PREFIX,
    SNOOZE,
    SNOOZE_SECONDS,
    SNOOZE_TOO_LATE,
    SNOOZE_WINDOW_SECONDS,
    SNOOZED,
    ZONE_EXAMPLES,
    ZONE_NOT_FOUND_EXAMPLES,
    ZONE_PREFIX,
    assumed_zone_note,
    local_clock,
    menu_html,
    menu_keyboard,
    reminder_set_html,
    reminders_off_html,
    routine_only_keyboard,
    time_button_data,
    zone_choices_keyboard,
    zone_set_html,
)
from bot.telegram_app.render import escape
from bot.telegram_app.sending import send_html, send_reply, show_instead

logger = logging.getLogger(__name__)

COMMANDS: list[tuple[str, str]] = [
    ("remind", "A bedtime reminder every night, e.g. /remind 22:30"),
    ("timezone", "Your time zone for reminders, e.g. /timezone berlin"),
]

# bot_data keys
STORE = "store"
CLOCK = "reminders_clock"  # a `now()` returning UTC epoch seconds; tests put a fake clock here

MAX_PLACE_CHARS = 120  # "city, state, country" at its longest (the longest place name is 85 letters)


# ---- commands -----------------------------------------------------------------------------------


async def remind_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/remind 22:30 sets the daily reminder; /remind alone shows it with buttons; /remind off stops it."""
    message = update.effective_message
    if message is None or not await require_private(update, context):
        return
    await remind_in_chat(context, message.chat_id, " ".join(context.args or []))
    # As after "remind me at 9pm" in words: "actually make it 10" or "cancel it" typed next is about this reminder,
    # and "make it 11" later on too, while the chat remembers it has one.
    memory = chat_memory(context.bot_data, message.chat_id, None)
    memory.offered = REMINDER_SHOWN
    person = _store(context).person(message.chat_id)
    if person is not None and person.remind_at is not None:
        memory.reminder_at = format_time(person.remind_at)


async def stop_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stop, as many bots have it: with a routine step on screen, the routine stops, as "stop" typed does; otherwise
    the reminders stop, as with /remind off."""
    message = update.effective_message
    if message is None:
        return
    memory = chat_memory(context.bot_data, message.chat_id, message.from_user.id if message.from_user else None)
    if (step := memory.routine_on_screen) is not None:  # the routine's own Stop, as the console's "q" does it
        stopped = context.bot_data["engine"].steering.steer(RoutineControl.STOP, step, (), (), memory)
        await send_reply(context.bot, message.chat_id, stopped, message)
        return
    if not await require_private(update, context):
        return
    was_on = _store(context).disable_reminder(message.chat_id)
    await send_html(context.bot, message.chat_id, reminders_off_html(was_on))


async def remind_in_chat(context: ContextTypes.DEFAULT_TYPE, chat_id: int, argument: str) -> None:
    """What `/remind <argument>` does in a private chat; "remind me at 10pm" in words does the same."""
    store, now = _store(context), _now(context)
    argument = argument.strip()
    if not argument:
        person = store.person(chat_id)
        await send_html(context.bot, chat_id, menu_html(person, now), menu_keyboard(person))
        return
    if argument.lower().strip(" .!") in OFF_WORDS:
        await send_html(context.bot, chat_id, reminders_off_html(store.disable_reminder(chat_id)))
        return
    if argument.lower().strip(" .!") in ON_WORDS:  # "/remind on" after "/remind off": the time it had, else the menu
        person = store.person(chat_id)
        if person is None or person.remind_at is None:
            await send_html(context.bot, chat_id, menu_html(person, now), menu_keyboard(person))
        else:
            await send_html(
                context.bot, chat_id, reminder_set_html(store.set_reminder(chat_id, person.remind_at, now), now)
            )
        return
    try:
        at = parse_time(argument)
    except TimeParseError as error:
        # "/remind quarter to ten": words that say a time and nothing else ("10:30xm", "10<3pm" are no time)
        engine = context.bot_data["engine"]
        asides = engine.follow_ups.time_asides  # "/remind half nine please"
        in_words = re.search(r"[a-z]{3,}", argument.lower()) is not None and only_a_time(normalise(argument), asides)
        said = time_in(argument, lone_hour=True) if not error.choices and in_words else None
        if said is None and not error.choices and engine.safety.scan(argument)[0]:
            said = time_in(argument)  # "/remind 22:00 im diabetic": the time; its caution went first
        if said is not None:  # "/remind quarter to ten", "/remind half nine": as said in words
            person = store.set_reminder(chat_id, parse_time(said), now)
            await send_html(context.bot, chat_id, reminder_set_html(person, now))
            return
        if not error.choices and (placed := _time_then_place(argument)) is not None:
            await remind_with_place_in_chat(context, chat_id, *placed)  # "/remind 22:30 berlin"
            return
        keyboard = None
        if error.choices:
            shown = [format_time(choice) for choice in error.choices]
            keyboard = InlineKeyboardMarkup(
                [[InlineKeyboardButton(label, callback_data=time_button_data(label)) for label in shown]]
            )
        await send_html(context.bot, chat_id, escape(str(error)), keyboard)
        return
    person = store.set_reminder(chat_id, at, now)
    await send_html(context.bot, chat_id, reminder_set_html(person, now))


_TIME_THEN_PLACE = re.compile(r"(?P<time>\S+(?:\s?[ap]\.?m\.?)?)\s+(?:in\s+)?(?P<place>\D.*)", re.IGNORECASE)


def _time_then_place(argument: str) -> tuple[str, str] | None:
    """ "22:30 berlin", "10pm in New York": a time /remind reads, then a place no one could mistake for anything but
    a time zone (as "I'm in Berlin" in words: "/remind 22:30 no" is no place), else None."""
    found = _TIME_THEN_PLACE.fullmatch(argument.strip())
    if found is None or not surely_a_zone(found["place"]):
        return None
    try:
        parse_time(found["time"])
    except TimeParseError:
        return None
    return found["time"], found["place"]


async def shift_in_chat(context: ContextTypes.DEFAULT_TYPE, chat_id: int, minutes: int) -> None:
    """ "An hour later please" just after a reminder was set: the reminder moved by `minutes`, past midnight if need
    be; with no reminder to move, the /remind menu, which says it is off."""
    store, now = _store(context), _now(context)
    person = store.person(chat_id)
    if person is None or person.remind_at is None:
        await send_html(context.bot, chat_id, menu_html(person, now), menu_keyboard(person))
        return
    moved = (person.remind_at.hour * 60 + person.remind_at.minute + minutes) % (24 * 60)
    person = store.set_reminder(chat_id, time(moved // 60, moved % 60), now)
    await send_html(context.bot, chat_id, reminder_set_html(person, now))


async def timezone_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/timezone berlin: set the zone (fuzzy), or offer up to five choices as buttons."""
    message = update.effective_message
    if message is None or not await require_private(update, context):
        return
    await timezone_in_chat(context, message.chat_id, " ".join(context.args or []))


async def timezone_in_chat(context: ContextTypes.DEFAULT_TYPE, chat_id: int, wanted: str) -> None:
    """What `/timezone <wanted>` does in a private chat; "I'm in Berlin" in words does the same."""
    store, now = _store(context), _now(context)
    wanted = wanted.strip()
    if not wanted:
        person = store.person(chat_id)
        if person is not None and person.zone_confirmed:
            html = (
                f"🌍 Your time zone is <b>{escape(describe_zone(person.zone))}</b> "
                f"(it's {local_clock(person.zone, now)} there now). To change it: {ZONE_EXAMPLES}."
            )
        else:
            html = assumed_zone_note(person, now)
        await send_html(context.bot, chat_id, html)
        return
    found = await find_zone(context, chat_id, wanted, now)
    if found.zone is not None:
        person = store.set_zone(chat_id, found.zone, now)
        html = zone_set_html(person, now, found.place)
        await send_html(context.bot, chat_id, html + _did_you_mean(found), _switch_keyboard(found, now))
    else:
        await ask_for_zone(context, chat_id, wanted, found, now)


async def remind_with_place_in_chat(context: ContextTypes.DEFAULT_TYPE, chat_id: int, at: str, place: str) -> None:
    """ "I'm in Paris, remind me at 10pm": the reminder and the time zone in one go, confirmed together ("every night
    at 22:00 (Europe/Paris)"). A place that is unknown or shared by several: the reminder is set, and the zone
    asked for as /timezone asks."""
    store, now = _store(context), _now(context)
    try:
        parsed = parse_time(at)
    except TimeParseError:  # the core only hands over times /remind reads; if not, /remind says what is wrong
        await remind_in_chat(context, chat_id, at)
        await timezone_in_chat(context, chat_id, place)
        return
    found = await find_zone(context, chat_id, place, now)
    if found.zone is None:
        person = store.set_reminder(chat_id, parsed, now)
        await send_html(context.bot, chat_id, reminder_set_html(person, now, zone_asked=True))
        await ask_for_zone(context, chat_id, place, found, now)
        return
    store.set_zone(chat_id, found.zone, now)
    person = store.set_reminder(chat_id, parsed, now)
    html = reminder_set_html(person, now, found.place) + _did_you_mean(found)
    await send_html(context.bot, chat_id, html, _switch_keyboard(found, now))


async def find_zone(context: ContextTypes.DEFAULT_TYPE, chat_id: int, wanted: str, now: int) -> ZoneMatch:
    """The zone a place names, as /timezone reads it. The place index is built on first use (seconds): "typing"
    shows meanwhile, and the lookup runs off the event loop, so other chats go on. No place name is longer than
    MAX_PLACE_CHARS, and matching thousands of characters costs seconds of CPU: not tried."""
    if len(wanted) > MAX_PLACE_CHARS:
        return ZoneMatch()
    if not index_built():
        try:
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as error:  # cosmetic: the answer matters, not the indicator
            logger.debug("No typing indicator before the place lookup: %s", error)
    return await asyncio.to_thread(match_zone, wanted, datetime.fromtimestamp(now, UTC))


async def ask_for_zone(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, wanted: str, found: ZoneMatch, now: int
) -> None:
    """What /timezone says when it cannot pick a zone: the places of that name as buttons, or what works."""
    if len(found.options) == 1:  # a near name, not the one typed ("narnia": Sarnia): asked, never set
        html = (
            f"I couldn't find “{escape(wanted[:60])}”. Did you mean {escape(found.options[0].label)}? Tap it to set "
            f"it, or send /timezone with another place."
        )
        await send_html(context.bot, chat_id, html, zone_choices_keyboard(found.options, now))
    elif found.options:
        html = f"Which one do you mean by “{escape(wanted[:60])}”? The time there now is on each button."
        await send_html(context.bot, chat_id, html, zone_choices_keyboard(found.options, now))
    else:
        html = (
            f"I couldn't find a time zone for “{escape(wanted[:60])}”. Try the nearest big city (add the "
            f"country or state when several share its name), a country, a zone name or a UTC offset: "
            f"{ZONE_NOT_FOUND_EXAMPLES}."
        )
        await send_html(context.bot, chat_id, html)


def _did_you_mean(found: ZoneMatch) -> str:
    """Under a confident pick, its namesakes on other clocks: "Did you mean Paris, Texas? Tap to switch." """
    if found.zone is None or not found.options:
        return ""
    others = " or ".join(escape(option.label) for option in found.options)
    return f"\n\nDid you mean {others}? Tap to switch."


def _switch_keyboard(found: ZoneMatch, now: int) -> InlineKeyboardMarkup | None:
    return zone_choices_keyboard(found.options, now) if found.zone is not None and found.options else None


async def require_private(update: Update, context: ContextTypes.DEFAULT_TYPE, command: str | None = None) -> bool:
    """True in a private chat; elsewhere, says to send the same command (the one used, or `command` for a
    request in words) in private."""
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        return True
    if chat is not None:
        html = PRIVATE_ONLY.format(command=escape(command) if command else _command_used(update))
        # "a private chat" opens one: a group member may not know how to reach the bot on their own.
        html = html.replace("a private chat", f'a <a href="https://t.me/{context.bot.username}">private chat</a>')
        await send_html(context.bot, chat.id, html, reply_to=update.effective_message)
    return False


def _command_used(update: Update) -> str:
    """'/timezone' for '/timezone@footbot berlin' (or '/tz'); '/remind' when there is no command."""
    message = update.effective_message
    first_word = (message.text or "").split(maxsplit=1)[0] if message and message.text else ""
    name = first_word.split("@", 1)[0]
    if name.startswith("/") and 1 < len(name) <= 33 and name[1:].replace("_", "").isalnum():
        return escape(name.lower())
    return "/remind"


# ---- buttons ------------------------------------------------------------------------------------


async def reminder_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every "rem:*" button: the menu, a time, Off, Snooze, or a time zone choice."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        await query.answer(PRIVATE_ONLY.format(command="/remind"))
        return
    store, now, data = _store(context), _now(context), query.data
    chat_id = chat.id
    under_reminder = _is_reminder_message(query.message)

    if data == MENU:
        await query.answer()
        if repeated_quickly(context.chat_data, query):  # a double tap shows one menu
            return
        person = store.person(chat_id)
        await send_html(context.bot, chat_id, menu_html(person, now), menu_keyboard(person))
    elif data == SNOOZE:
        current = store.person(chat_id)
        if current is not None and current.snooze_due is not None and current.snooze_due > now:  # a double tap
            await query.answer(ALREADY_SNOOZED)
            return
        sent_at = store.last_sent_at(chat_id)
        if current is not None and current.enabled and (sent_at is None or now - sent_at > SNOOZE_WINDOW_SECONDS):
            await query.answer(SNOOZE_TOO_LATE)  # a button from an earlier night: tonight's reminder comes as usual
        elif store.snooze(chat_id, now + SNOOZE_SECONDS):
            await query.answer(SNOOZED)
        else:  # stopped, or deleted with /forget, since this reminder came: nothing comes back
            await query.answer(NOTHING_TO_SNOOZE)
        await _keep_only_routine_button(query)
    elif data == OFF:
        was_on = store.disable_reminder(chat_id)
        if under_reminder and was_on:  # the reminder keeps its text and routine button; only its controls go
            await query.answer("Reminders stopped. /remind turns them back on.")
            await _keep_only_routine_button(query)
        elif was_on:
            await query.answer()
            await show_instead(query, reminders_off_html(was_on))
        else:  # "✓ Off" on a menu, or a second tap: nothing changed, so nothing to edit
            await query.answer(ALREADY_OFF)
    elif data.startswith(SET_PREFIX) and (at := _button_time(data.removeprefix(SET_PREFIX))) is not None:
        current = store.person(chat_id)
        if current is not None and current.enabled and current.remind_at == at:  # a double tap, or "✓ 22:00"
            await query.answer(ALREADY_SET.format(at=format_time(at)))
            return
        person = store.set_reminder(chat_id, at, now)
        chat_memory(context.bot_data, chat_id, None).reminder_at = format_time(at)  # "make it 11" later changes it
        await query.answer(f"Reminder set for {format_time(at)}")
        await show_instead(query, reminder_set_html(person, now))
    elif (
        data.startswith(ZONE_PREFIX)
        # a place's button needs the place index: built off the event loop if a restart dropped it
        and (choice := await asyncio.to_thread(choice_for_key, data.removeprefix(ZONE_PREFIX))) is not None
    ):
        current = store.person(chat_id)
        if current is not None and current.zone_confirmed and current.zone == choice.zone:  # a double tap
            await query.answer(ALREADY_ZONE.format(zone=describe_zone(choice.zone)))
            return
        person = store.set_zone(chat_id, choice.zone, now)
        await query.answer(f"Time zone: {describe_zone(choice.zone)}")
        await show_instead(query, zone_set_html(person, now, choice))
    else:
        await query.answer("That button no longer works. Send /remind to see your reminder.")


def _button_time(text: str) -> time | None:
    if len(text) != 5 or text[2] != ":":
        return None
    try:
        return parse_time(text)
    except TimeParseError:
        return None


def _is_reminder_message(message: MaybeInaccessibleMessage | None) -> bool:
    """A delivered reminder: it has Snooze, or (once snoozed or stopped) only its routine button left."""
    markup = getattr(message, "reply_markup", None)
    if markup is None:
        return False
    reminder_buttons = {SNOOZE, ROUTINE_START}
    return any(button.callback_data in reminder_buttons for row in markup.inline_keyboard for button in row)


async def _keep_only_routine_button(query: CallbackQuery) -> None:
    """Trim a reminder to its routine button, unless it is trimmed already (Telegram refuses a no-op edit)."""
    if getattr(query.message, "reply_markup", None) == routine_only_keyboard():
        return
    try:
        await query.edit_message_reply_markup(routine_only_keyboard())
    except BadRequest as error:  # already edited (a double tap) or too old to edit: nothing to fix
        logger.debug("Could not trim the reminder's buttons: %s", error)


# ---- wiring and lifecycle -----------------------------------------------------------------------


def add_reminder_handlers(application: Application) -> None:
    """/remind, /timezone and the "rem:*" buttons (registered before the catch-alls)."""
    new = filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("remind", remind_command, filters=new))
    application.add_handler(CommandHandler("stop", stop_command, filters=new))
    application.add_handler(CommandHandler(["timezone", "tz", "zone"], timezone_command, filters=new))
    application.add_handler(CallbackQueryHandler(reminder_button, pattern=r"^rem:"))


def _store(context: ContextTypes.DEFAULT_TYPE) -> Store:
    return context.bot_data[STORE]


def _now(context: ContextTypes.DEFAULT_TYPE) -> int:
    clock: Callable[[], float] = context.bot_data.get(CLOCK, wall_clock.time)
    return int(clock())
