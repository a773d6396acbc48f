"""End to end: a half-finished /log survives a restart; thirty silent minutes end it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select
from telegram.ext import ConversationHandler

from bot.handlers.log_conversation import CONVERSATION_TIMEOUT, NAME
from storage.models import ChatState, MeetingRecord
from tests.auxil.harness import BotHarness, write_test_config
from tests.bot.chat import IDS, press, say


def _log_conversation(application) -> ConversationHandler:
    return next(
        h for group in application.handlers.values() for h in group if isinstance(h, ConversationHandler) and h.name == NAME
    )


async def test_a_conversation_survives_a_restart_of_the_bot(fake_api, db_url, tmp_path, clock):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)
    async with BotHarness(fake_api, path, clock=clock) as bot:
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        message = await say(leader, "/log")
        message = await press(leader, message, "党小组会")
        message = await press(leader, message, "昨天")
        attendance = await say(leader, "重启前输入的主题")
        assert "出席" in attendance.body

        await bot.restart()

        message = await press(leader, attendance, "全部到会")
        assert "纪要" in message.body
        message = await press(leader, message, "稍后补充")
        summary = await press(leader, message, "稍后补充")
        assert "主题：重启前输入的主题" in summary.body and "日期：2026年3月1日" in summary.body
        await press(leader, summary, "保存")
        with bot.context.session() as session:
            assert session.exec(select(MeetingRecord.topic)).one() == "重启前输入的主题"


async def test_thirty_minutes_of_silence_end_the_conversation_with_a_message(fake_api, db_url, tmp_path, clock):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)
    async with BotHarness(fake_api, path, clock=clock) as bot:
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        message = await say(leader, "/log")
        await press(leader, message, "党小组会")

        conversation = _log_conversation(bot.app)
        assert conversation.conversation_timeout == CONVERSATION_TIMEOUT
        await fake_api.signal.wait_until(lambda: conversation.timeout_jobs, 5, lambda: "a timeout job")
        (job,) = conversation.timeout_jobs.values()
        # Run the timeout job now instead of waiting thirty minutes.
        await job.run(bot.app)

        ended = await leader.next_message()
        assert "30 分钟无操作" in ended.body
        after = await say(leader, "2026-03-01")
        assert "没有理解" in after.body  # no longer in the conversation
        assert "党小组会" in (await say(leader, "/log")).buttons[0][0]


async def test_a_step_whose_draft_was_lost_ends_with_a_message_instead_of_failing(fake_api, db_url, tmp_path, clock):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)
    async with BotHarness(fake_api, path, clock=clock) as bot:
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        message = await say(leader, "/log")
        message = await press(leader, message, "党小组会")
        bot.app.user_data[IDS["李会玲"]].clear()  # as after a crash between two writes
        lost = await press(leader, message, "今天")
        assert "已丢失" in lost.body
        assert "党小组会" in (await say(leader, "/log")).buttons[0][0]


async def _log_up_to_the_topic(leader):
    message = await say(leader, "/log")
    message = await press(leader, message, "党小组会")
    return await press(leader, message, "昨天")


async def test_a_conversation_restored_after_thirty_silent_minutes_ends_with_the_message(fake_api, db_url, tmp_path, clock):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)
    async with BotHarness(fake_api, path, clock=clock) as bot:
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        assert "主题" in (await _log_up_to_the_topic(leader)).body
        await bot.stop()
        clock.advance(timedelta(minutes=31))
        await bot.start()

        ended = await leader.next_message()
        assert "30 分钟无操作" in ended.body
        assert not _log_conversation(bot.app).timeout_jobs
        assert "没有理解" in (await say(leader, "重启后输入的主题")).body  # no longer in the conversation
        await bot.stop()  # a clean stop writes everything down
        with bot.context.session() as session:
            assert not session.exec(select(ChatState)).all()  # neither the conversation nor its draft
        await bot.start()
        assert "党小组会" in (await say(leader, "/log")).buttons[0][0]


async def test_a_conversation_restored_after_five_minutes_continues_and_still_times_out(fake_api, db_url, tmp_path, clock):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)
    async with BotHarness(fake_api, path, clock=clock) as bot:
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        await _log_up_to_the_topic(leader)
        await bot.stop()
        clock.advance(timedelta(minutes=5))
        await bot.start()

        conversation = _log_conversation(bot.app)
        (job,) = conversation.timeout_jobs.values()
        # The time that was left before the restart, not thirty fresh minutes.
        assert timedelta(minutes=24) < job.next_t - datetime.now(UTC) <= timedelta(minutes=25)
        assert "出席" in (await say(leader, "重启后输入的主题")).body
        assert job.removed  # activity after the restart: PTB's own time-out replaces it

        await bot.stop()
        clock.advance(timedelta(minutes=29))
        await bot.start()
        (job,) = _log_conversation(bot.app).timeout_jobs.values()
        await job.run(bot.app)  # the re-armed time-out, now instead of in one minute
        assert "30 分钟无操作" in (await leader.next_message()).body
        assert not _log_conversation(bot.app)._conversations
