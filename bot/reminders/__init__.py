"""Bedtime reminders as plain logic: reading a time, finding a time zone, and wall-clock scheduling.

Nothing here talks to Telegram or SQLite; `bot.store` keeps the state and `bot.telegram_app.reminders`
wires the commands and the delivery job.
"""
