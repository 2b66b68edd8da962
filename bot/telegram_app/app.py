"""Builds and runs the Telegram bot: the one Application that `footbot run` starts and the tests drive.

Reading order: `build_application` (transport, limits, lifecycle hooks), `add_handlers` (every handler
in one block, in the order python-telegram-bot tries them), then `run` (polling or webhook).

The Bot is built here rather than by ApplicationBuilder's .token()/.base_url() because it is our own
subclass (tolerant_bot.py: survives unreadable updates, journals each batch, lean replies) on our own
transport (aiohttp_request.py, retrying_request.py); token, base_url and base_file_url come from Settings
as usual. The bot and the update processor share one UpdateJournal (journal.py), attached to the store at
start, when updates a killed predecessor fetched but never handled are handled first. The webhook is
served by webhook.py (aiohttp), not by the library's tornado server, which reads a body before checking
the secret.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import signal
from urllib.parse import urlsplit

from aiohttp import web
from telegram import BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats, Update
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.core.commands import COMMANDS_READ_FOR_CONDITIONS
from bot.core.engine import Engine
from bot.telegram_app import delivery, forgetting, reminders
from bot.telegram_app.aiohttp_request import AiohttpRequest
from bot.telegram_app.answers import (
    AddressedToBot,
    answer_text,
    condition_after_a_command,
    toes_command,
    topic_button,
)
from bot.telegram_app.chat_order import ChatOrderedUpdateProcessor
from bot.telegram_app.commands import (
    COMMAND_MENU,
    COMMANDS,
    EXAMPLES,
    example_questions,
    help_command,
    safety,
    start,
)
from bot.telegram_app.errors import on_error
from bot.telegram_app.fallbacks import edited_message, not_text, stale_button, unknown_command
from bot.telegram_app.journal import UpdateJournal
from bot.telegram_app.logging_setup import configure_logging
from bot.telegram_app.retrying_request import RetryingRequest
from bot.telegram_app.routine import routine_button, routine_command
from bot.telegram_app.tolerant_bot import TolerantBot
from bot.telegram_app.webhook import webhook_app

logger = logging.getLogger(__name__)

CONCURRENT_UPDATES = 64  # updates handled at once (one at a time per chat, see chat_order.py)
# Keep-alive connections for everything but getUpdates: one per update in flight. Over a real network each
# send takes a round trip, so a small pool caps replies at pool / round trip (8 at 50 ms: 160 a second, and a
# backlog too slow to drain before SIGTERM's grace runs out); on loopback 64 measured no slower than 8.
CONNECTION_POOL = CONCURRENT_UPDATES
POLL_TIMEOUT = 30  # seconds a getUpdates call may wait for news (long polling)
BOOTSTRAP_RETRIES = 5  # getMe / deleteWebhook at start may meet a passing outage
RETRY_AFTER_RETRIES = 5  # a 429 is waited out and retried up to this many times (the library's default: 0)
WEBHOOK_SECRET_ENV = "FOOTBOT_WEBHOOK_SECRET"
DEFAULT_LISTEN = "127.0.0.1"  # the webhook server sits behind a reverse proxy on the same machine
DEFAULT_PORT = 8443
JOURNAL = "journal"


def build_application(settings: Settings, engine: Engine | None = None) -> Application:
    """The bot, ready to be started by `run` (or by a test): transport, limits, hooks and handlers."""
    if not settings.token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and export its token")
    journal = UpdateJournal()
    bot = TolerantBot(
        journal=journal,
        token=settings.token,
        base_url=settings.base_url,
        base_file_url=settings.base_file_url,
        request=RetryingRequest(connection_pool_size=CONNECTION_POOL, pool_timeout=30.0),
        get_updates_request=AiohttpRequest(connection_pool_size=1),
        # No proactive overall cap: replies answer people who just wrote, and Telegram's 429 (with its
        # retry_after) is honoured. Groups keep Telegram's 20 messages a minute. Bulk sending (reminders)
        # paces itself.
        rate_limiter=AIORateLimiter(overall_max_rate=0, overall_time_period=0, max_retries=RETRY_AFTER_RETRIES),
    )
    application = (
        ApplicationBuilder()
        .bot(bot)
        .concurrent_updates(ChatOrderedUpdateProcessor(CONCURRENT_UPDATES, journal))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    engine = engine or Engine.load(settings.knowledge_dir)
    application.bot_data["engine"] = engine
    application.bot_data["settings"] = settings
    application.bot_data[JOURNAL] = journal
    application.bot_data[EXAMPLES] = example_questions(engine)
    application.bot_data[COMMAND_MENU] = [*COMMANDS, *reminders.COMMANDS, *forgetting.COMMANDS]
    add_handlers(application)
    return application


def add_handlers(application: Application) -> None:
    """Every handler, in the order tried: the first that matches an update handles it."""
    new = filters.UpdateType.MESSAGE  # not edits: an edited "/start" is not a new /start
    private = filters.ChatType.PRIVATE
    in_groups_if_addressed = filters.ChatType.GROUPS & AddressedToBot()

    # A condition or an emergency named after a command ("/routine my wife is pregnant"): first, in a group of its own
    # that reads the same commands in the same chats as their handlers below.
    application.add_handler(
        CommandHandler(COMMANDS_READ_FOR_CONDITIONS, condition_after_a_command, filters=new), group=-1
    )

    # Commands (also "/cmd@botname" in groups).
    application.add_handler(CommandHandler("start", start, filters=new))
    application.add_handler(CommandHandler("help", help_command, filters=new))
    application.add_handler(CommandHandler(["toes", "zones"], toes_command, filters=new))
    application.add_handler(CommandHandler("routine", routine_command, filters=new))
    application.add_handler(CommandHandler("safety", safety, filters=new))
    # /remind, /timezone, /forget and their buttons: before the catch-alls below.
    reminders.add_reminder_handlers(application)
    forgetting.add_forget_handlers(application)

    # Buttons.
    application.add_handler(CallbackQueryHandler(topic_button, pattern=r"^topic:"))
    application.add_handler(CallbackQueryHandler(routine_button, pattern=r"^routine:"))

    # Questions in words: every one in a private chat; in groups only when addressed to the bot. A photo, video or
    # document with a caption is its caption's question (without one, it gets the hint below).
    worded = (filters.TEXT & ~filters.COMMAND) | (filters.CAPTION & ~filters.TEXT)
    application.add_handler(MessageHandler(new & worded & (private | in_groups_if_addressed), answer_text))

    # Everything else gets a short hint (in groups only when addressed to the bot).
    application.add_handler(MessageHandler(new & filters.COMMAND & (private | in_groups_if_addressed), unknown_command))
    application.add_handler(
        MessageHandler(new & ~filters.TEXT & ~filters.StatusUpdate.ALL & (private | in_groups_if_addressed), not_text)
    )
    edited = filters.UpdateType.EDITED_MESSAGE
    application.add_handler(MessageHandler(edited & (private | in_groups_if_addressed), edited_message))
    application.add_handler(CallbackQueryHandler(stale_button))

    application.add_error_handler(on_error)


async def post_init(application: Application) -> None:
    """Start-up: the command menu, the reminders (store, jobs), then the updates left unhandled last time."""
    menu = [BotCommand(name, description) for name, description in application.bot_data[COMMAND_MENU]]
    for scope in (BotCommandScopeAllPrivateChats(), BotCommandScopeAllGroupChats()):
        try:
            await application.bot.set_my_commands(menu, scope=scope)
        except TelegramError as error:  # the bot works without a menu; don't refuse to start over it
            logger.warning("Could not set the command menu for %s: %s", scope.type, error)
    await delivery.on_startup(application)
    replay_journal(application)
    logger.info("footbot is up as @%s", application.bot.username)


def replay_journal(application: Application) -> None:
    """Attach the journal to the store and queue what a previous process fetched but never handled: they go
    first, before anything polling or the webhook brings (the queue is first in, first out)."""
    journal: UpdateJournal = application.bot_data[JOURNAL]
    journal.attach(application.bot_data[reminders.STORE])
    raws = journal.unhandled()
    for raw in raws:
        application.update_queue.put_nowait(application.bot.read_update(raw))
    if raws:
        logger.info("Handling %d update(s) fetched but not handled before the last stop", len(raws))


async def post_shutdown(application: Application) -> None:
    journal: UpdateJournal | None = application.bot_data.get(JOURNAL)
    if journal is not None:
        journal.detach()
    await delivery.on_shutdown(application)
    logger.info("footbot has stopped")


def run(
    settings: Settings,
    webhook_url: str | None = None,
    listen: str = DEFAULT_LISTEN,
    port: int = DEFAULT_PORT,
    secret_token: str | None = None,
) -> None:
    """Runs until SIGINT or SIGTERM: long polling, or a webhook server when `webhook_url` is given.

    The webhook's secret token (checked on every request Telegram makes) comes from the argument,
    else FOOTBOT_WEBHOOK_SECRET, else is made up for this run.
    """
    secret = secret_token or os.environ.get(WEBHOOK_SECRET_ENV) or secrets.token_urlsafe(32)
    configure_logging(secrets=[settings.token, secret])
    _use_uvloop_if_installed()
    application = build_application(settings)
    try:
        _run_until_stopped(application, webhook_url, listen, port, secret)
    except InvalidToken:
        logger.error("Telegram refused the bot token: check TELEGRAM_BOT_TOKEN (from @BotFather) and TELEGRAM_BASE_URL")
        raise SystemExit(1) from None


def _use_uvloop_if_installed() -> None:
    """uvloop makes the event loop and sockets about a quarter cheaper; plain asyncio works too."""
    try:
        import uvloop
    except ImportError:
        logger.debug("uvloop is not installed; using the standard asyncio event loop")
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


def _run_until_stopped(application: Application, webhook_url: str | None, listen: str, port: int, secret: str) -> None:
    if webhook_url:
        logger.info("Starting with a webhook, listening on %s:%d", listen, port)
        asyncio.run(serve_webhook(application, webhook_url, listen, port, secret))
        return
    logger.info("Starting with long polling")
    application.run_polling(
        allowed_updates=Update.ALL_TYPES,
        poll_interval=0,
        timeout=POLL_TIMEOUT,
        bootstrap_retries=BOOTSTRAP_RETRIES,
    )


async def serve_webhook(
    application: Application, webhook_url: str, listen: str, port: int, secret: str, stop: asyncio.Event | None = None
) -> None:
    """The webhook counterpart of run_polling, in the same steps: start the bot, serve, register the hook with
    Telegram, run until SIGINT/SIGTERM (or `stop`), then stop serving and finish the updates in hand."""
    stop = stop or _stop_on_signals()
    await application.initialize()
    runner: web.AppRunner | None = None
    try:
        if application.post_init:
            await application.post_init(application)
        await application.start()
        runner = web.AppRunner(webhook_app(application, "/" + urlsplit(webhook_url).path.strip("/"), secret),
                               access_log=None, handle_signals=False)  # fmt: skip
        await runner.setup()
        await web.TCPSite(runner, listen, port).start()
        await _register_webhook(application, webhook_url, secret)
        await stop.wait()
    finally:
        if runner is not None:
            await runner.cleanup()
        await shut_down(application)


async def shut_down(application: Application) -> None:
    """Stop what runs and call the lifecycle hooks, in the steps and order `run_polling` ends with."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
        if application.post_stop:
            await application.post_stop(application)
    await application.shutdown()
    if application.post_shutdown:
        await application.post_shutdown(application)


async def _register_webhook(application: Application, webhook_url: str, secret: str) -> None:
    for attempt in range(1, BOOTSTRAP_RETRIES + 2):
        try:
            await application.bot.set_webhook(webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
            return
        except NetworkError as error:  # a passing outage (TimedOut is a NetworkError too)
            if attempt > BOOTSTRAP_RETRIES:
                raise
            logger.warning("setWebhook failed (%s); retrying", error)
            await asyncio.sleep(min(attempt, 5))


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for each in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(each, stop.set)
    return stop
