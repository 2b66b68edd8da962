"""Rendering the core's replies as Telegram HTML: escaped, caveats set apart, never over 4,096."""

from __future__ import annotations

import string

from fake_bot_api import parse_telegram_html
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.engine import Engine
from bot.core.knowledge import Condition
from bot.core.replies import Caveat, Reply, ReplyKind, Suggestion
from bot.telegram_app.render import (
    MAX_MESSAGE_LENGTH,
    SAFETY_HEADING,
    Block,
    escape,
    fit_messages,
    render_reply,
    suggestion_keyboard,
    utf16_length,
)

HEART = Caveat(Condition.HEART, "Tell whoever massages you about your heart condition.")
DIABETES = Caveat(Condition.DIABETES, "Check with your doctor first if you have diabetes.")


def test_body_and_credit_are_escaped_and_the_credit_is_italic() -> None:
    reply = Reply(ReplyKind.ANSWER, "Use <oil> & go slowly", credit="— from “Guide” by A & B")
    [html] = render_reply(reply).messages
    assert html == "Use &lt;oil&gt; &amp; go slowly\n\n<i>— from “Guide” by A &amp; B</i>"
    assert parse_telegram_html(html) == "Use <oil> & go slowly\n\n— from “Guide” by A & B"


def test_caveats_come_after_the_answer_under_a_safety_heading() -> None:
    [html] = render_reply(Reply(ReplyKind.ANSWER, "The answer.", caveats=(HEART, DIABETES))).messages
    answer, caveats = html.split("\n\n", 1)
    assert answer == "The answer."
    assert caveats.startswith(f"{SAFETY_HEADING}\n<blockquote>")
    assert HEART.text in caveats and DIABETES.text in caveats
    assert caveats.endswith("</blockquote>")


def test_caveats_first_puts_them_before_the_body() -> None:
    [html] = render_reply(Reply(ReplyKind.SAFETY, "Then this.", caveats=(HEART,), caveats_first=True)).messages
    assert html.startswith(SAFETY_HEADING)
    assert html.endswith("Then this.")


def test_suggestions_become_one_button_per_row_and_oversized_data_is_dropped() -> None:
    keyboard = suggestion_keyboard(
        [Suggestion("little_toe", "The little toe"), Suggestion("x" * 80, "Too long"), Suggestion("ankles", "Ankles")]
    )
    assert keyboard is not None
    rows = [[(button.text, button.callback_data) for button in row] for row in keyboard.inline_keyboard]
    assert rows == [[("The little toe", "topic:little_toe")], [("Ankles", "topic:ankles")]]
    assert suggestion_keyboard([]) is None


def test_a_long_answer_is_split_into_valid_messages_at_word_breaks() -> None:
    body = " ".join(f"word{number}" for number in range(3000))  # about 24,000 characters
    reply = Reply(ReplyKind.ANSWER, body, caveats=(HEART,), credit="— credit")
    rendered = render_reply(reply)
    assert len(rendered.messages) > 1
    visible = [parse_telegram_html(html) for html in rendered.messages]
    assert all(utf16_length(html) <= MAX_MESSAGE_LENGTH for html in rendered.messages)
    words = " ".join(visible).split()
    assert words[:3000] == body.split()  # nothing lost, nothing cut mid-word
    assert rendered.messages[-1].endswith("</blockquote>")


def test_emoji_count_twice_toward_the_limit_as_telegram_counts_them() -> None:
    body = "🦶" * 3000  # 3,000 characters but 6,000 UTF-16 units
    messages = fit_messages([Block(body)])
    assert len(messages) == 2
    assert all(utf16_length(html) <= MAX_MESSAGE_LENGTH for html in messages)
    assert "".join(messages) == body


def test_escaping_near_the_limit_never_pushes_a_message_over() -> None:
    body = "&" * 5000  # each becomes "&amp;": five times longer once escaped
    messages = fit_messages([Block(body, "<i>", "</i>")])
    assert all(utf16_length(html) <= MAX_MESSAGE_LENGTH for html in messages)
    assert "".join(parse_telegram_html(html) for html in messages) == body


def test_our_own_markup_is_only_cut_between_lines() -> None:
    lines = "\n".join(f"<b>{number}</b> zone" for number in range(1000))
    messages = fit_messages([Block(lines, "<b>Zones</b>\n", markup=True)])
    assert len(messages) > 1
    for html in messages:
        parse_telegram_html(html)
        assert html.startswith("<b>Zones</b>\n<b>")


def test_a_markup_line_too_long_for_one_message_is_cut_as_plain_text_and_escaped_again() -> None:
    line = "salt & pepper <3 " * 400  # one line of our own markup, longer than a message
    messages = fit_messages([Block(f"<b>{escape(line)}</b>", markup=True)])
    assert len(messages) > 1
    shown = "".join(parse_telegram_html(html) for html in messages)  # every piece parses: "&" and "<" escaped
    assert shown.replace(" ", "") == line.replace(" ", "")


def test_the_routine_intro_a_curator_writes_is_escaped(engine: Engine) -> None:
    from dataclasses import replace

    from bot.telegram_app.routine import step_page

    kb = replace(engine.kb, routine=replace(engine.kb.routine, intro="Oil & <calm> first"))
    assert "Oil & <calm> first" in parse_telegram_html(step_page(kb, 1).html)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(alphabet=st.sampled_from(string.printable + "<>&🦶éß\u200d"), max_size=6000),
            st.sampled_from([("", ""), ("<i>", "</i>"), ("⚠️ <b>Safety</b>\n<blockquote>", "</blockquote>")]),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_text_renders_to_valid_html_within_the_limit_without_losing_words(
    parts: list[tuple[str, tuple[str, str]]],
) -> None:
    blocks = [Block(text, opening, closing) for text, (opening, closing) in parts]
    messages = fit_messages(blocks)
    visible = ""
    for html in messages:
        assert utf16_length(html) <= MAX_MESSAGE_LENGTH
        visible += parse_telegram_html(html) + " "
    expected = [word for text, _ in parts for word in text.split()]
    assert [word for word in visible.split() if word not in ("⚠️", "Safety")] == [
        word for word in expected if word not in ("⚠️", "Safety")
    ]
