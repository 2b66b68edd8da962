"""Button data that more than one feature sends, defined once: the routine offers the reminder menu, and a
reminder offers the routine."""

from __future__ import annotations

ROUTINE_START = "routine:start"  # handled by routine.py
REMINDER_MENU = "rem:menu"  # handled by reminders.py
SAFETY_POINTER = "Pregnant, diabetic or living with a heart condition? Please read /safety first."
SAFETY_POINTER_KEY = "routine_safety"  # messages.routine_safety in the YAML overrides it


def safety_pointer(extra: dict[str, str]) -> str:
    """The one-line pointer to /safety (plain text), from the knowledge's messages when a curator set it."""
    return extra.get(SAFETY_POINTER_KEY, SAFETY_POINTER)
