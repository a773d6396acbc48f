"""Faults the engine tests inject surface in python-telegram-bot as the exceptions
Telegram's real answers produce, and a refused message is not recorded as sent."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from tests.auxil.fake_bot_api import FakeBotApi


def make_bot(fake: FakeBotApi, read_timeout: float = 5) -> Bot:
    request = HTTPXRequest(read_timeout=read_timeout)
    return Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url, request=request)


FAULTS = [
    pytest.param({"status": 429, "retry_after": 3}, RetryAfter, "Retry in 3 seconds", id="429-retry-after"),
    pytest.param({"status": 500}, NetworkError, "Internal Server Error", id="500"),
    pytest.param({"status": 502}, NetworkError, "Bad Gateway", id="502"),
    pytest.param({"status": 403}, Forbidden, "bot was blocked by the user", id="403-blocked"),
    pytest.param({"status": 400}, BadRequest, "Chat not found", id="400-chat-not-found"),
    pytest.param({"status": 400, "migrate_to_chat_id": -1009876}, ChatMigrated, "-1009876", id="migrated"),
]


@pytest.mark.parametrize(("fault", "error", "text"), FAULTS)
async def test_a_fault_surfaces_as_telegram_s_error_and_nothing_is_sent(fake_api, fault, error, text):
    fake_api.fail_next("sendMessage", **fault)
    async with make_bot(fake_api) as bot:
        with pytest.raises(error, match=text) as raised:
            await bot.send_message(1001, "提醒")
        again = await bot.send_message(1001, "提醒")  # the fault was for the next call only
    assert [m.message_id for m in fake_api.sent_to(1001)] == [again.message_id]
    assert [c.status for c in fake_api.calls("sendMessage")] == [fault["status"], 200]
    if error is ChatMigrated:
        assert raised.value.new_chat_id == -1009876


async def test_a_fault_scoped_to_a_chat_leaves_other_chats_alone(fake_api):
    fake_api.fail_next("sendMessage", 403, chat_id=1002, times=None)
    async with make_bot(fake_api) as bot:
        await bot.send_message(1001, "a")
        for _ in range(2):
            with pytest.raises(Forbidden):
                await bot.send_message(1002, "b")
        await bot.send_message(1003, "c")
    assert [len(fake_api.sent_to(chat)) for chat in (1001, 1002, 1003)] == [1, 0, 1]


async def test_a_fault_for_any_sending_method_spares_other_methods(fake_api):
    fake_api.fail_next(None, 500)
    async with make_bot(fake_api) as bot:  # getMe passes
        with pytest.raises(NetworkError):
            await bot.send_photo(1001, b"photo")


async def test_a_held_answer_times_out_the_client_but_the_message_was_accepted(fake_api):
    fake_api.hold_next("sendMessage", seconds=30)
    async with make_bot(fake_api, read_timeout=0.3) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(1001, "也许送达了")
    assert [m.text for m in fake_api.sent_to(1001)] == ["也许送达了"]
