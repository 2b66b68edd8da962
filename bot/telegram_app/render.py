"""Turns the core's plain-text `Reply` into Telegram HTML messages and buttons.

The one place that decides how an answer looks in Telegram: every text from the core or the user is
escaped here, caveats are set apart under a "⚠️ Safety" heading, and nothing sent is longer than
Telegram's 4,096 characters (counted, like Telegram does, in UTF-16 code units).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

from bot.core.replies import Caveat, Reply, Suggestion

MAX_MESSAGE_LENGTH: int = MessageLimit.MAX_TEXT_LENGTH  # 4096
MAX_CAPTION_LENGTH: int = MessageLimit.CAPTION_LENGTH  # 1024
MAX_CALLBACK_DATA_BYTES: int = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA  # 64
SAFETY_HEADING = "⚠️ <b>Safety</b>"
PARAGRAPH_BREAK = "\n\n"


def escape(text: str) -> str:
    """Text for Telegram HTML: only <, > and & need escaping outside attributes."""
    return html.escape(text, quote=False)


def utf16_length(text: str) -> int:
    """Telegram's own length measure (an emoji outside the BMP counts twice)."""
    if text.isascii():  # one code unit a character, and no need to encode a copy
        return len(text)
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph wrapped in fixed HTML; it may be cut into pieces, each re-wrapped.

    `text` is plain text (escaped here) unless `markup` is set: then it is HTML we composed ourselves,
    each line complete on its own, and it is only ever cut between lines.
    """

    text: str
    opening: str = ""
    closing: str = ""
    markup: bool = False


@dataclass(frozen=True, slots=True)
class Rendered:
    """What to send: one or more HTML messages, with the buttons going on the last one."""

    messages: tuple[str, ...]
    keyboard: InlineKeyboardMarkup | None = None


def render_reply(reply: Reply) -> Rendered:
    """The core's reply as Telegram HTML: body, credit, caveats set apart; suggestions become buttons."""
    return _render(reply.body, reply.credit, reply.caveats, reply.caveats_first, reply.suggestions)


@lru_cache(maxsize=512)
def _render(
    body: str, credit: str | None, caveats: tuple[Caveat, ...], caveats_first: bool, suggestions: tuple[Suggestion, ...]
) -> Rendered:
    """Replies are made of the knowledge's texts, so the same few hundred recur: each is laid out once."""
    main = [Block(body)]
    if credit:
        main.append(Block(credit, "<i>", "</i>"))
    blocks = [*caveat_blocks(caveats), *main] if caveats_first else [*main, *caveat_blocks(caveats)]
    return Rendered(fit_messages(blocks), suggestion_keyboard(suggestions))


def caveat_blocks(caveats: Sequence[Caveat]) -> list[Block]:
    shown = [caveat.text for caveat in caveats if caveat.text]  # empty: the answer itself says it
    if not shown:
        return []
    text = PARAGRAPH_BREAK.join(shown)
    return [Block(text, f"{SAFETY_HEADING}\n<blockquote>", "</blockquote>")]


def suggestion_keyboard(suggestions: Iterable[Suggestion]) -> InlineKeyboardMarkup | None:
    """One button per row, each answering its topic when pressed ("topic:<entry id>")."""
    rows = [
        [InlineKeyboardButton(suggestion.label, callback_data=data)]
        for suggestion in suggestions
        if fits_callback_data(data := f"topic:{suggestion.topic}")
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def fits_callback_data(data: str) -> bool:
    return 0 < len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES


def fit_messages(blocks: Iterable[Block], limit: int = MAX_MESSAGE_LENGTH) -> tuple[str, ...]:
    """Packs blocks into as few messages as fit, cutting an over-long block at line or word breaks.

    Every message is valid HTML on its own: a block cut in two has its tags closed and reopened.
    """
    pieces = [piece for block in blocks if block.text.strip() for piece in _block_pieces(block, limit)]
    return tuple(_pack(pieces, PARAGRAPH_BREAK, limit))


def _block_pieces(block: Block, limit: int) -> list[str]:
    room = limit - utf16_length(block.opening) - utf16_length(block.closing)
    if room <= 0:
        raise ValueError("a block's markup alone is longer than a message")
    parts = (
        _markup_parts(block.text.strip(), room)
        if block.markup
        else [escape(part) for part in split_plain_text(block.text.strip(), room)]
    )
    return [f"{block.opening}{part}{block.closing}" for part in parts]


def _markup_parts(markup: str, room: int) -> list[str]:
    """Our own HTML, cut between lines; a single line too long for a message loses its tags and is cut."""
    lines = [
        piece
        for line in markup.split("\n")
        for piece in ([line] if utf16_length(line) <= room else map(escape, split_plain_text(strip_tags(line), room)))
    ]
    return _pack(lines, "\n", room)


def _pack(pieces: Iterable[str], joiner: str, limit: int) -> list[str]:
    """Pieces (each within `limit`) joined greedily into as few texts as fit, in order."""
    packed: list[str] = []
    current = ""
    for piece in pieces:
        joined = f"{current}{joiner}{piece}" if current else piece
        if utf16_length(joined) <= limit:
            current = joined
        else:
            if current:
                packed.append(current)
            current = piece
    if current:
        packed.append(current)
    return packed


def shows_already(message: object, html_text: str, keyboard: InlineKeyboardMarkup | None) -> bool:
    """Whether a message (as a button press carries it) already shows this HTML and these buttons.

    Telegram refuses an edit that changes nothing ("message is not modified"), so the bot checks first.
    The visible text and the buttons are compared: our pages never differ only in their formatting.
    """
    if not isinstance(message, Message) or message.text is None:
        return False
    if message.text.strip() != strip_tags(html_text).strip():
        return False
    current = message.reply_markup
    if current is None or not current.inline_keyboard:
        return keyboard is None or not keyboard.inline_keyboard
    return keyboard is not None and current == keyboard


def strip_tags(markup: str) -> str:
    """The plain text of our own HTML."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


def split_plain_text(text: str, room: int) -> list[str]:
    """Cuts text into parts whose escaped form fits in `room`, preferring a line break, then a space."""
    parts: list[str] = []
    while utf16_length(escape(text)) > room:
        cut = _longest_fitting_prefix(text, room)
        window = text[:cut]
        line_break = window.rfind("\n")
        space = window.rfind(" ")
        if line_break > cut // 2:
            cut = line_break
        elif space > cut // 2:
            cut = space
        head = text[:cut].rstrip()
        if head:
            parts.append(head)
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return parts


def _longest_fitting_prefix(text: str, room: int) -> int:
    """The largest n (at least 1) such that escape(text[:n]) fits; escaping only ever grows text."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if utf16_length(escape(text[:middle])) <= room:
            low = middle
        else:
            high = middle - 1
    return low
