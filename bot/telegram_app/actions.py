"""Features asked for in words ("remind me at 10pm", "delete my data"): carried out in Telegram exactly as the
matching command or button would, by calling the same functions. The core recognised the request
(`Reply.action`); the text of the reply is for text-only adapters and is not sent here.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ContextTypes

from bot.core.actions import ActionKind
from bot.core.conversation import ChatContext
from bot.core.engine import Engine
from bot.core.replies import Reply
from bot.telegram_app import commands, forgetting, reminders
from bot.telegram_app.render import Rendered, caveat_blocks, fit_messages
from bot.telegram_app.routine import start_routine_from_reply
from bot.telegram_app.sending import send_rendered

# Reminders and the time zone are personal: like /remind and /timezone, they work in a private chat only.
# Elsewhere the refusal names the command that does the same in private ("I'm in Berlin" -> /timezone).
PRIVATE_ONLY = {ActionKind.REMIND: "/remind", ActionKind.REMIND_OFF: "/remind off", ActionKind.TIMEZONE: "/timezone"}


async def carry_out(
    update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply, memory: ChatContext | None = None
) -> bool:
    """Do what `reply.action` asks, as its command would; False when the reply asks for nothing."""
    action = reply.action
    message = update.effective_message
    if action is None or message is None:
        return False
    chat_id = message.chat_id
    if action.do is ActionKind.ROUTINE:  # the stepper, its caveats (if any) first, as for /routine asked in words
        engine: Engine = context.bot_data["engine"]
        await start_routine_from_reply(context.bot, engine.kb, chat_id, reply, message, memory)
        return True
    if action.do is ActionKind.SAFETY:  # /safety holds every caveat already
        await commands.safety(update, context)
        return True
    await _send_caveats(context, chat_id, reply, message)  # also before a refusal: the caveat is for the person
    if action.do in PRIVATE_ONLY and not await reminders.require_private(update, context, PRIVATE_ONLY[action.do]):
        return True
    if action.do is ActionKind.FOOT_MAP:
        await commands.toes(update, context)
    elif action.do is ActionKind.REMIND and action.place and action.time:  # "I'm in Paris, remind me at 10pm"
        await reminders.remind_with_place_in_chat(context, chat_id, action.time, action.place)
    elif action.do is ActionKind.REMIND and action.shift and not action.time:  # "an hour later please"
        await reminders.shift_in_chat(context, chat_id, action.shift)
    elif action.do is ActionKind.REMIND:
        if action.place:  # "I live in Lyon, set me a reminder": the zone, then the time menu
            await reminders.timezone_in_chat(context, chat_id, action.place)
        await reminders.remind_in_chat(context, chat_id, action.time or "")  # no time: the /remind menu
    elif action.do is ActionKind.REMIND_OFF:
        await reminders.remind_in_chat(context, chat_id, "off")
    elif action.do is ActionKind.TIMEZONE:
        await reminders.timezone_in_chat(context, chat_id, action.place or "")
    elif action.do is ActionKind.FORGET:  # never on words alone: the same question /forget asks
        await forgetting.ask_to_forget(context, chat_id, reply_to=message)
    return True


async def _send_caveats(context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply, message: Message) -> None:
    """A condition named along with the request ("I'm pregnant, remind me at 10pm") still gets its caveat."""
    caveats = fit_messages(caveat_blocks(reply.caveats))
    if caveats:
        await send_rendered(context.bot, chat_id, Rendered(caveats), message)
