"""The fake Bot API refuses what Telegram refuses, so tests passing against it mean something."""

from __future__ import annotations

import pytest
from fake_bot_api import ApiError, FakeBotApi, entities_for, parse_telegram_html
from telegram import Bot
from telegram.error import BadRequest, InvalidToken


@pytest.mark.parametrize(
    "html",
    ["<script>x</script>", "a < b", "fish & chips", "<b>open", "<b><i>x</b></i>", "</b>", "<a>no href</a>", "x > y"],
)
def test_html_telegram_would_refuse_is_refused(html: str) -> None:
    with pytest.raises(ApiError) as refused:
        parse_telegram_html(html)
    assert refused.value.status == 400
    assert "can't parse entities" in refused.value.description


def test_valid_html_gives_its_visible_text() -> None:
    html = '<b>Big</b> toe &amp; <i>more</i> &lt;3 &#128054; <a href="https://x.y">link</a> <blockquote>q</blockquote>'
    assert parse_telegram_html(html) == "Big toe & more <3 🐶 link q"


def test_commands_and_mentions_get_entities_with_utf16_offsets() -> None:
    assert entities_for("🦶 /start@footbot_test_bot hi @someone_here") == [
        {"type": "bot_command", "offset": 3, "length": 23},
        {"type": "mention", "offset": 30, "length": 13},
    ]


async def test_the_fake_enforces_limits_like_telegram(fake_api: FakeBotApi) -> None:
    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(1, "x" * 4097)
        await bot.send_message(1, "x" * 4096)
        with pytest.raises(BadRequest, match="parse entities"):
            await bot.send_message(1, "<script>", parse_mode="HTML")
        with pytest.raises(BadRequest, match="query"):
            await bot.answer_callback_query("never-issued")
        query_id = fake_api.new_callback_query_id()
        await bot.answer_callback_query(query_id)
        fake_api.allow_answered_twice = True
        with pytest.raises(BadRequest, match="query"):
            await bot.answer_callback_query(query_id)  # a query is answered once
    with pytest.raises(InvalidToken):
        async with Bot("1:wrong-token", base_url=fake_api.base_url):
            pass


async def test_get_updates_honours_offset_and_long_poll_timeout(fake_api: FakeBotApi) -> None:
    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        assert await bot.get_updates(timeout=0.2) == ()
        await fake_api.enqueue({"message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}}})
        await fake_api.enqueue({"message": {"message_id": 2, "date": 0, "chat": {"id": 1, "type": "private"}}})
        first = await bot.get_updates(limit=1)
        assert [update.message.message_id for update in first] == [1]
        again = await bot.get_updates(offset=first[0].update_id)  # not confirmed yet: delivered again
        assert len(again) == 2
        rest = await bot.get_updates(offset=first[0].update_id + 1)
        assert [update.message.message_id for update in rest] == [2]
        assert fake_api.pending_updates == 1


async def test_a_token_refused_mid_run_is_still_invalid_token_for_the_raw_calls(fake_api: FakeBotApi) -> None:
    """The raw getUpdates and sendMessage go through do_api_request, which names a refused token EndPointNotFound
    once the bot started; the library's poller stops on InvalidToken, so that is what they raise."""
    from bot.telegram_app.tolerant_bot import TolerantBot

    async with TolerantBot(fake_api.token, base_url=fake_api.base_url) as bot:
        assert await bot.get_updates(timeout=0.1, read_timeout=5) == ()
        fake_api.fail("getUpdates", status=401, description="Unauthorized")
        with pytest.raises(InvalidToken):
            await bot.get_updates(timeout=0.1, read_timeout=5)
        fake_api.fail("sendMessage", status=401, description="Unauthorized")
        with pytest.raises(InvalidToken):
            await bot.send_html_message(1, "hi")
        assert await bot.send_html_message(1, "hi") > 0
