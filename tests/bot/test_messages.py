"""Telegram's limits: message length and callback data size."""

from __future__ import annotations

import pytest

from bot import keyboards, texts
from bot.handlers.common import MAX_MESSAGE_CHARS, split_text


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("短", id="short"),
        pytest.param("\n".join(f"第{i}行：" + "议" * 50 for i in range(300)), id="many-lines"),
        pytest.param("字" * 10_000, id="one-huge-line"),
        pytest.param("", id="empty"),
    ],
)
def test_long_text_is_split_below_the_limit_without_losing_anything(text):
    pieces = split_text(text)
    assert all(len(piece) <= MAX_MESSAGE_CHARS for piece in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


def test_every_keyboard_keeps_callback_data_within_64_bytes():
    markups = [
        keyboards.choices("lg:sys", [("organizational_life_meeting", "党员组织生活会")]),
        keyboards.choices("lg:grp", [("g" * 32, "组")]),
        keyboards.attendance([f"成员{i}" for i in range(300)], set()),
        keyboards.covers([("member_evaluation", "民主评议党员")], set()),
        keyboards.record_actions(10**12 - 1),
        keyboards.record_list([(10**12 - 1, "#1")]),
        keyboards.summary(),
        keyboards.edit_fields(),
        keyboards.absence_reasons(),
    ]
    for markup in markups:
        for row in markup.inline_keyboard:
            for button in row:
                assert len(button.callback_data.encode()) <= 64, button.callback_data


def test_a_button_with_overlong_data_is_refused():
    with pytest.raises(ValueError):
        keyboards.button("x", "y" * 65)


def test_command_descriptions_fit_telegram():
    for name, description in texts.COMMAND_DESCRIPTIONS:
        assert name.isascii() and name.islower() and 1 <= len(name) <= 32
        assert 1 <= len(description) <= 256


@pytest.mark.parametrize(
    ("key", "label"),
    [("2026-03", "2026年3月"), ("2026-Q4", "2026年第四季度"), ("2026", "2026年度")],
)
def test_periods_read_in_chinese(key, label):
    assert texts.period_label(key) == label
