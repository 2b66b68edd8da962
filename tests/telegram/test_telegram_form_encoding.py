"""Our form encoder must send exactly the bytes urllib's would: the fake (and real) Bot API parse them."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from hypothesis import given
from hypothesis import strategies as st

from bot.telegram_app.aiohttp_request import form_encode


@given(st.dictionaries(st.text(min_size=1, max_size=20), st.text(max_size=300) | st.integers(), max_size=6))
def test_form_encode_is_urlencode(parameters: dict[str, object]) -> None:
    assert form_encode(parameters) == urlencode(parameters)


def test_a_reply_round_trips() -> None:
    parameters = {"chat_id": 42, "text": "Toes & <b>heels</b> = 100% 🦶\nnext line", "parse_mode": "HTML"}
    assert dict(parse_qsl(form_encode(parameters))) == {key: str(value) for key, value in parameters.items()}


def test_a_callback_keyboard_is_sent_as_the_library_would_serialise_it() -> None:
    import json

    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    from bot.telegram_app.tolerant_bot import keyboard_json

    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Which toe? 🦶 <b>", callback_data="topic:toes")],
            [InlineKeyboardButton("Next", callback_data="routine:2")],
        ]
    )
    assert json.loads(keyboard_json(markup)) == markup.to_dict()
    with_url = InlineKeyboardMarkup([[InlineKeyboardButton("Guide", url="https://example.org")]])
    assert keyboard_json(with_url) is with_url
