"""The bot's short memory of conversations (bot/core/conversation.py), as Telegram chats use it.

In a private chat the memory is the chat's. In a group each member has their own, so a follow-up is read
against what that member asked, and one member's "I'm pregnant" is never said back to another as theirs.
"""

from __future__ import annotations

from collections.abc import Hashable

from bot.core.conversation import ChatContext, Conversations

CONVERSATIONS = "conversations"  # bot_data key: every chat's short memory (last topics, conditions named)


def conversations(bot_data: dict) -> Conversations:
    """The one `Conversations` of the bot (in memory, 30 minutes), made on first use."""
    found = bot_data.get(CONVERSATIONS)
    if found is None:
        found = bot_data[CONVERSATIONS] = Conversations()
    return found


def memory_key(chat_id: int, user_id: int | None) -> Hashable:
    """The chat id in a private chat (where it is the person's id); (group, member) in a group."""
    return chat_id if chat_id > 0 or user_id is None else (chat_id, user_id)


def chat_memory(bot_data: dict, chat_id: int, user_id: int | None) -> ChatContext:
    """The memory a message from `user_id` in `chat_id` is read against (and updates)."""
    return conversations(bot_data).get(memory_key(chat_id, user_id))


def forget_conversation(bot_data: dict, person_id: int, chat_id: int | None = None) -> None:
    """/forget: the person's private chat memory goes too, and their memory in the group it was asked from."""
    conversations(bot_data).forget(person_id)
    if chat_id is not None:
        conversations(bot_data).forget(memory_key(chat_id, person_id))
