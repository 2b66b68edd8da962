"""Button data that more than one feature sends, defined once: the routine offers the reminder menu, and a
reminder offers the routine; and the double-tap guard of the buttons that send a new message."""

from __future__ import annotations

import time

from telegram import CallbackQuery

ROUTINE_START = "routine:start"  # handled by routine.py
REMINDER_MENU = "rem:menu"  # handled by reminders.py
SAFETY_POINTER = "Pregnant, diabetic or living with a heart condition? Please read /safety first."
SAFETY_POINTER_KEY = "routine_safety"  # messages.routine_safety in the YAML overrides it
QUICK_REPEAT_SECONDS = 3.0  # the same button pressed again within this is a double tap
PRESSED = "buttons_just_pressed"  # chat_data key: (message id, button data, who pressed) -> when it was pressed


def safety_pointer(extra: dict[str, str]) -> str:
    """The one-line pointer to /safety (plain text), from the knowledge's messages when a curator set it."""
    return extra.get(SAFETY_POINTER_KEY, SAFETY_POINTER)


def repeated_quickly(chat_data: dict | None, query: CallbackQuery) -> bool:
    """Whether this press repeats one of the same button under the same message, by the same person, within
    QUICK_REPEAT_SECONDS: a double tap, which Telegram delivers as two presses (one chat's updates are handled one
    at a time, in order). In a group, another member's press of that button is theirs, answered with what they
    named (a caveat) and starting their own routine.
    Buttons that edit their message tell a double tap by what it shows; those that send a new one ask this."""
    if chat_data is None:
        return False
    now = time.monotonic()
    pressed: dict[tuple[object, str | None, int], float] = chat_data.setdefault(PRESSED, {})
    for key in [key for key, at in pressed.items() if now - at > QUICK_REPEAT_SECONDS]:
        del pressed[key]
    key = (query.message.message_id if query.message else query.inline_message_id, query.data, query.from_user.id)
    if key in pressed:
        return True
    pressed[key] = now
    return False
