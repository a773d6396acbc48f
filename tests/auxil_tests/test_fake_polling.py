"""getUpdates behaves as Telegram's long polling: it waits for updates, returns
at once when some are queued, and honours offset, limit and allowed_updates."""

from __future__ import annotations

import asyncio

import pytest
from telegram import Bot
from telegram.error import Conflict

from tests.auxil.fake_bot_api import FakeBotApi


def make_bot(fake: FakeBotApi) -> Bot:
    return Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)


async def test_a_long_poll_returns_as_soon_as_an_update_is_queued(fake_api):
    member = fake_api.user(1001, "李会玲")
    async with make_bot(fake_api) as bot:
        loop = asyncio.get_running_loop()
        started = loop.time()
        polling = asyncio.create_task(bot.get_updates(timeout=10))
        await fake_api.wait_until_polling()
        assert not polling.done()
        member.send_text("你好")
        [update] = await asyncio.wait_for(polling, 2)
    assert update.message.text == "你好"
    assert loop.time() - started < 2


async def test_a_long_poll_without_updates_answers_empty_after_its_timeout(fake_api):
    async with make_bot(fake_api) as bot:
        assert await bot.get_updates(timeout=1) == ()


async def test_offset_confirms_and_limit_caps(fake_api):
    member = fake_api.user(1001, "李会玲")
    for text in ("一", "二", "三"):
        member.send_text(text)
    async with make_bot(fake_api) as bot:
        first_two = await bot.get_updates(limit=2)
        rest = await bot.get_updates(offset=first_two[-1].update_id + 1)
        confirmed = await bot.get_updates(offset=rest[-1].update_id + 1)
    assert [u.message.text for u in first_two] == ["一", "二"]
    assert [u.message.text for u in rest] == ["三"]
    assert confirmed == ()


async def test_allowed_updates_filters_by_kind(fake_api):
    member = fake_api.user(1001, "李会玲")
    member.send_text("消息")
    member.edit_text(member.send_text("原文"), "改过")
    async with make_bot(fake_api) as bot:
        updates = await bot.get_updates(allowed_updates=["edited_message"])
    assert [u.edited_message.text for u in updates] == ["改过"]


async def test_a_second_poller_terminates_the_first_with_a_conflict(fake_api):
    async with make_bot(fake_api) as first, make_bot(fake_api) as second:
        waiting = asyncio.create_task(first.get_updates(timeout=10))
        await fake_api.wait_until_polling()
        await second.get_updates(timeout=0)
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await asyncio.wait_for(waiting, 2)


async def test_polling_while_a_webhook_is_set_is_a_conflict(fake_api):
    async with make_bot(fake_api) as bot:
        await bot.set_webhook("https://bot.example.org/zhibu", secret_token="s3cret")
        assert (await bot.get_webhook_info()).url == "https://bot.example.org/zhibu"
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        await bot.delete_webhook()
        assert await bot.get_updates() == ()
