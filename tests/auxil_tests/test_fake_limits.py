"""With ``enforce_limits=True`` the fake answers 429 past Telegram's sending limits,
measured on an injected clock, and counts what it accepted and refused."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import RetryAfter

from tests.auxil.fake_bot_api import FakeBotApi
from tests.auxil.fake_faults import SendingLimits


class StepClock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


WINDOWS = [
    # (sends as (seconds offset, chat), the index refused or None, its retry_after)
    pytest.param([(0, 1), (0.5, 1)], 1, 1, id="private-chat-twice-in-a-second"),
    pytest.param([(0, 1), (1.0, 1)], None, None, id="private-chat-once-a-second"),
    pytest.param([(0, c) for c in range(1, 31)] + [(0.9, 99)], 30, 1, id="31st-message-in-a-second"),
    pytest.param([(0, c) for c in range(1, 31)] + [(1.0, 99)], None, None, id="30-then-a-second-later"),
    pytest.param([(i, -100) for i in range(20)] + [(20, -100)], 20, 40, id="21st-in-a-minute-to-a-group"),
    pytest.param([(i, -100) for i in range(20)] + [(60, -100)], None, None, id="group-after-a-minute"),
]


@pytest.mark.parametrize(("sends", "refused", "retry_after"), WINDOWS)
def test_the_sliding_windows(sends, refused, retry_after):
    clock = StepClock()
    limits = SendingLimits(clock)
    answers = []
    for offset, chat in sends:
        clock.now = 1000.0 + offset
        answers.append(limits.check(chat))
    expected = [None] * len(sends)
    if refused is not None:
        expected[refused] = retry_after
    assert answers == expected


async def test_past_the_limit_the_bot_gets_retry_after_and_the_message_is_not_kept():
    clock = StepClock()
    async with FakeBotApi(enforce_limits=True, clock=clock) as fake:
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            await bot.send_message(1001, "一")
            with pytest.raises(RetryAfter, match="Retry in 1 seconds"):
                await bot.send_message(1001, "二")
            clock.now += 1
            await bot.send_message(1001, "二")
            await bot.send_message(1002, "一")
        assert [m.text for m in fake.sent_to(1001)] == ["一", "二"]
        assert (fake.stats.accepted, fake.stats.rate_limited, fake.stats.duplicates) == (3, 1, 0)


async def test_duplicates_are_counted_by_chat_and_text(fake_api):
    async with Bot(fake_api.token, base_url=fake_api.base_url) as bot:
        for chat in (1001, 1001, 1002):
            await bot.send_message(chat, "同一条提醒")
    assert (fake_api.stats.accepted, fake_api.stats.duplicates) == (3, 1)
