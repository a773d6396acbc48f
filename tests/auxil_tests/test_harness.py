"""The harness runs an application through real long polling against the fake,
stops it cleanly, and fails the test on a rejected call or a logged crash."""

from __future__ import annotations

import importlib.util

import pytest
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes, MessageHandler, filters

from bot.config import load_config
from bot.context import AppContext
from tests.auxil.harness import BotHarness, write_test_config


def echo_application(context: AppContext) -> Application:
    """A tiny bot built from the config the way the real one is: echoes, and can fail on demand."""
    telegram = context.config.telegram
    app = (ApplicationBuilder().token(context.config.token).base_url(telegram.base_url)
           .base_file_url(telegram.base_file_url).build())

    async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(f"收到：{update.effective_message.text}")

    async def crash(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        raise RuntimeError("handler crashed")

    async def empty(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text("")

    app.add_handler(CommandHandler("crash", crash))
    app.add_handler(CommandHandler("empty", empty))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return app


@pytest.fixture
def config_path(tmp_path, db_url, fake_api):
    return write_test_config(tmp_path, db_url, fake_api, telegram_ids={"常天民": 1001})


async def test_the_bot_answers_a_user_through_long_polling(fake_api, config_path, clock):
    async with BotHarness(fake_api, config_path, clock=clock, build=echo_application) as harness:
        member = fake_api.user(1001, "常天民")
        member.send_text("你好")
        reply = await member.next_message()
        assert harness.app.running
    assert reply.text == "收到：你好"
    assert fake_api.waiting_polls == 0


async def test_a_restart_does_not_handle_an_update_twice(fake_api, config_path, clock):
    member = fake_api.user(1001, "常天民")
    async with BotHarness(fake_api, config_path, clock=clock, build=echo_application) as harness:
        member.send_text("一")
        await member.next_message()
        await harness.restart()
        member.send_text("二")
        await member.next_message()
        await fake_api.wait_until_polling()
    assert [m.text for m in member.inbox] == ["收到：一", "收到：二"]


async def test_a_crash_in_a_handler_fails_the_test(fake_api, config_path, clock):
    member = fake_api.user(1001, "常天民")
    with pytest.raises(AssertionError, match="handler crashed"):
        async with BotHarness(fake_api, config_path, clock=clock, build=echo_application) as harness:
            member.send_command("/crash")
            await harness.wait_for_error_log()


async def test_an_expected_crash_can_be_allowed(fake_api, config_path, clock):
    member = fake_api.user(1001, "常天民")
    async with BotHarness(fake_api, config_path, clock=clock, build=echo_application, expect_errors=True) as h:
        member.send_command("/crash")
        await h.wait_for_error_log()
    assert any("handler crashed" in line for line in h.error_logs)


async def test_a_call_telegram_would_reject_fails_the_test(fake_api, config_path, clock):
    member = fake_api.user(1001, "常天民")
    with pytest.raises(AssertionError, match="text must be 1-4096"):
        async with BotHarness(fake_api, config_path, clock=clock, build=echo_application, expect_errors=True):
            member.send_command("/empty")
            await fake_api.wait_for("sendMessage")
    fake_api.take_violations()


def test_the_test_config_points_at_the_fake_and_the_test_database(tmp_path, fake_url="http://127.0.0.1:9"):
    path = write_test_config(tmp_path, "sqlite:///x.db", fake_url, telegram_ids={"刘芳": 42},
                             overrides={"branch": {"chat_id": -100123}},
                             extra_toml='[telegram.webhook]\nurl = "https://x.org/z"\nsecret_token = "abc"\n')
    config = load_config(path)
    assert config.telegram.base_url == "http://127.0.0.1:9/bot"
    assert config.telegram.base_file_url == "http://127.0.0.1:9/file/bot"
    assert config.database.url == "sqlite:///x.db"
    assert config.media_dir == tmp_path / "media"
    assert config.branch.chat_id == -100123
    assert config.branch.name == "机关党支部"
    assert {m.name: m.telegram_id for m in config.members}["刘芳"] == 42
    assert config.telegram.webhook.secret_token == "abc"


@pytest.mark.skipif(importlib.util.find_spec("bot.app") is None, reason="bot/app.py not written yet")
async def test_the_real_bot_starts_and_stops_cleanly(fake_api, config_path, clock):
    async with BotHarness(fake_api, config_path, clock=clock):
        await fake_api.wait_until_polling()
    assert fake_api.calls("getMe", ok=True)
