"""The fake in a process of its own (for benchmarks) serves and counts the same way."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import RetryAfter

from tests.auxil.fake_server_process import FakeBotApiProcess


async def test_a_fake_in_another_process_counts_what_it_accepted_and_refused():
    async with FakeBotApiProcess(enforce_limits=True) as fake:
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            await bot.send_message(1001, "一")
            await bot.send_message(1002, "一")
            with pytest.raises(RetryAfter):
                await bot.send_message(1001, "二")
        summary = await fake.summary()
    assert {k: summary[k] for k in ("accepted", "distinct", "duplicates", "rate_limited")} == {
        "accepted": 2, "distinct": 2, "duplicates": 0, "rate_limited": 1}
    assert summary["calls"] == {"getMe": 1, "sendMessage": 3}
    assert summary["violations"] == []
