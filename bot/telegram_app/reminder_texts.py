"""What the reminder features say and show in Telegram: the reminder itself, the /remind menu, the confirmations,
the time zone's choices, and their buttons. The handlers that send them are reminders.py's; delivery.py sends the
reminder when it falls due."""

from __future__ import annotations

from datetime import date, datetime, time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.engine import Engine
from bot.reminders import schedule
from bot.reminders.daywords import next_delivery_words
from bot.reminders.timeparse import format_time, is_midday, is_morning
from bot.reminders.timezones import ZoneChoice, describe_zone
from bot.store import Person
from bot.telegram_app.buttons import REMINDER_MENU, ROUTINE_START, safety_pointer
from bot.telegram_app.render import escape

SNOOZE_SECONDS = 15 * 60
SNOOZE_MINUTES = SNOOZE_SECONDS // 60  # said on the button and in the answers to it
MENU_TIMES = ("21:00", "21:30", "22:00", "22:30", "23:00", "23:30")

# Button data
MENU = REMINDER_MENU
OFF = "rem:off"
SNOOZE = "rem:snooze"
SET_PREFIX = "rem:set:"
ZONE_PREFIX = "rem:tz:"

NUDGE = "🌙 <b>Bedtime soon.</b> A few minutes of foot massage is a lovely way to end the day."
SNOOZED_NUDGE = "🌙 <b>Here is your reminder again.</b> Ready for a few minutes of foot massage?"
PRIVATE_ONLY = "Reminders are personal: send me {command} in a private chat."
NEXT_ONE = "next"
ALREADY_SET = "Your reminder is already set for {at}."
ALREADY_OFF = "Reminders are already off. /remind turns them back on."
NOTHING_TO_SNOOZE = "Your reminders are off now, so nothing to snooze. /remind sets one again."
ALREADY_SNOOZED = f"Already snoozed: I'll remind you again within {SNOOZE_MINUTES} minutes."
SNOOZED = f"OK, I'll remind you again in {SNOOZE_MINUTES} minutes."
SNOOZE_WINDOW_SECONDS = 6 * 3600  # a Snooze tapped longer after its reminder came belongs to an earlier night
SNOOZE_TOO_LATE = "That reminder is from an earlier night, so there is nothing to snooze. The next one comes as usual."
ALREADY_ZONE = "Your time zone is already {zone}."
ZONE_EXAMPLES = "/timezone berlin, /timezone Asia/Kolkata or /timezone new york"
ZONE_NOT_FOUND_EXAMPLES = (
    "/timezone berlin, /timezone Portland, Maine, /timezone India, /timezone Asia/Kolkata or /timezone UTC+2"
)
MAX_BENEFIT_LENGTH = 700


# ---- texts and keyboards ------------------------------------------------------------------------


def reminder_html(engine: Engine, night: date, *, snoozed: bool = False) -> str:
    """The reminder itself: a warm nudge, one benefit from the guide (a different one each night)."""
    parts = [SNOOZED_NUDGE if snoozed else NUDGE]
    benefits = engine.kb.benefits()
    if benefits:
        benefit = benefits[night.toordinal() % len(benefits)]
        parts.append(f"💡 <b>{escape(benefit.title)}</b>: {escape(_shorten(benefit.answer))}")
    parts.append(f"<i>{escape(safety_pointer(engine.kb.messages.extra))}</i>")
    return "\n\n".join(parts)


def reminder_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("🦶 Start tonight's routine", callback_data=ROUTINE_START)],
            [
                InlineKeyboardButton(f"⏰ Snooze {SNOOZE_MINUTES} min", callback_data=SNOOZE),
                InlineKeyboardButton("🔕 Stop reminders", callback_data=OFF),
            ],
        ]
    )


def routine_only_keyboard() -> InlineKeyboardMarkup:
    """What stays under a reminder once it was snoozed or reminders were stopped."""
    return InlineKeyboardMarkup([[InlineKeyboardButton("🦶 Start tonight's routine", callback_data=ROUTINE_START)]])


def menu_html(person: Person | None, now: int) -> str:
    lines = ["⏰ <b>Bedtime reminder</b>"]
    if person is not None and person.enabled and person.remind_at is not None:
        lines.append(f"Now: {_schedule_phrase(person, now, first=NEXT_ONE)}.")
    else:
        lines.append("Now: off.")
    if person is None or not person.zone_confirmed:
        lines.append(assumed_zone_note(person, now))
    lines.append("Pick a time below, or send your own, e.g. /remind 22:15.")
    return "\n\n".join(lines)


def menu_keyboard(person: Person | None) -> InlineKeyboardMarkup:
    current = format_time(person.remind_at) if person and person.enabled and person.remind_at else None
    buttons = [
        InlineKeyboardButton(f"✓ {label}" if label == current else label, callback_data=time_button_data(label))
        for label in MENU_TIMES
    ]
    off_label = "🔕 Off" if current else "✓ Off"
    return InlineKeyboardMarkup([buttons[:3], buttons[3:], [InlineKeyboardButton(off_label, callback_data=OFF)]])


def reminder_set_html(person: Person, now: int, place: ZoneChoice | None = None, zone_asked: bool = False) -> str:
    """The reminder just set; `place`: the place its zone was just set from ("I'm in Paris, remind me at 10pm");
    `zone_asked`: the zone's question follows in its own message, so the note about UTC is left out."""
    lines = [f"⏰ Done: I'll remind you {_schedule_phrase(person, now)}."]
    if place is not None and place.label != describe_zone(person.zone):
        lines.insert(0, f"📍 <b>{escape(place.label)}</b> (it's {local_clock(person.zone, now)} there now)")
    if person.remind_at is not None and is_morning(person.remind_at):
        evening = time(person.remind_at.hour + 12, person.remind_at.minute)
        lines.append(f"That is in the morning. For the evening, send /remind {format_time(evening)}.")
    elif person.remind_at is not None and is_midday(person.remind_at):
        night = time(0, person.remind_at.minute)
        lines.append(f"That is at midday. For midnight, send /remind {format_time(night)}.")
    if not person.zone_confirmed and not zone_asked:
        lines.append(assumed_zone_note(person, now))
    lines.append("Send /remind off to stop.")
    return "\n\n".join(lines)


def reminders_off_html(was_on: bool) -> str:
    if was_on:
        return "🔕 Reminders are off. Send /remind 22:30 (or /remind to pick a time) to turn them back on."
    return "You have no bedtime reminder. Send /remind 22:30 (or /remind to pick a time) to set one."


def zone_set_html(person: Person, now: int, place: ZoneChoice | None = None) -> str:
    """The zone just set, the place it came from ("📍 Birmingham, United Kingdom") and what happens next."""
    zone = escape(describe_zone(person.zone))
    lines = [f"🌍 Time zone: <b>{zone}</b> (it's {local_clock(person.zone, now)} there now)."]
    if place is not None and place.label != describe_zone(person.zone):
        lines.insert(0, f"📍 <b>{escape(place.label)}</b>")
    if person.enabled and person.remind_at is not None:
        lines.append(f"Your reminder: {_schedule_phrase(person, now, first=NEXT_ONE)}.")
    else:
        lines.append("Now choose a time: /remind 22:30, or /remind to pick one.")
    return "\n\n".join(lines)


def zone_choices_keyboard(choices: tuple[ZoneChoice, ...], now: int) -> InlineKeyboardMarkup:
    """One button per place: "Kingston, Jamaica · 06:12" (its clock now helps people recognise theirs)."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    f"{choice.label} · {local_clock(choice.zone, now)}", callback_data=zone_button_data(choice)
                )
            ]
            for choice in choices
        ]
    )


def zone_button_data(choice: ZoneChoice) -> str:
    """ "rem:tz:g3489854" for a place, "rem:tz:America/Chicago" for a zone: under Telegram's 64 bytes."""
    return f"{ZONE_PREFIX}{choice.key}"


def time_button_data(label: str) -> str:
    return f"{SET_PREFIX}{label}"


def _schedule_phrase(person: Person, now: int, first: str = "starting") -> str:
    """'every night at 22:30 (Europe/Berlin), starting tonight' (or '..., the next one tomorrow').

    The day is the local calendar date of the next delivery (see daywords), not the noon-to-noon night.
    """
    assert person.remind_at is not None
    # In brackets a fixed offset is just "UTC+5": "(UTC+5 (no daylight saving))" reads badly, and /timezone says it.
    zone = describe_zone(person.zone).split(" (", 1)[0]
    phrase = f"every night at <b>{format_time(person.remind_at)}</b> ({escape(zone)})"
    if person.next_due is None:
        return phrase
    words = next_delivery_words(person.next_due, now, schedule.zone_named(person.zone))
    return f"{phrase}, {first} {words}"


def assumed_zone_note(person: Person | None, now: int) -> str:
    zone = person.zone if person else "UTC"
    return (
        f"I don't know your time zone yet, so for now I'm using <b>{escape(describe_zone(zone))}</b> "
        f"(it's {local_clock(zone, now)} there now). Tell me yours with a city or zone name: "
        f"{ZONE_EXAMPLES}."
    )


def local_clock(zone: str, now: int) -> str:
    return f"{datetime.fromtimestamp(now, schedule.zone_named(zone)):%H:%M}"


def _shorten(text: str) -> str:
    if len(text) <= MAX_BENEFIT_LENGTH:
        return text
    cut = text[:MAX_BENEFIT_LENGTH]
    end = cut.rfind(". ")
    return cut[: end + 1] if end > 0 else cut.rstrip() + "…"
