"""End to end over HTTP: correcting a record's date and its minutes says what changes."""

from __future__ import annotations

from sqlmodel import select

from storage.models import AuditEntry, MeetingRecord
from tests.auxil.harness import BotHarness, write_test_config
from tests.bot.chat import IDS, jpeg, log_meeting, press, say


def _config(tmp_path, db_url, fake_api):
    return write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)


async def _logged_late_in_march(fake_api, leader, secretary, minutes="原纪要"):
    summary = await log_meeting(leader, system="党小组会", date="3月28日", all_present=True, minutes=minutes, photos=[jpeg(1)])
    saved = await press(leader, summary, "保存")
    assert "（补录）" in saved.body
    await secretary.next_message()  # the note about the new record
    detail = await say(leader, "/meeting 1")
    await fake_api.wait_for("sendPhoto", chat_id=IDS["李会玲"])
    leader.skip_read()
    return detail


async def test_a_corrected_date_names_the_new_period_the_one_it_left_and_recomputes_late(fake_api, db_url, tmp_path, clock):
    clock.set(clock.current.replace(month=4, day=8, hour=10))
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock) as bot:
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        secretary = fake_api.user(IDS["常天民"], "常天民")
        detail = await _logged_late_in_march(fake_api, leader, secretary)

        await press(leader, detail, "更正日期")
        answer = await say(leader, "4月1日")
        assert "✓ 计入 2026年4月 的党小组会" in answer.body
        assert "不再计入 2026年3月 的党小组会·第一党小组，该期现在未完成" in answer.body
        assert "补录" not in answer.body

        note = await secretary.next_message()
        assert "李会玲更正了会议日期（原为 2026年3月28日）" in note.body and "2026年4月1日" in note.body
        assert "不再计入 2026年3月" in note.body

        with bot.context.session() as session:
            assert session.get(MeetingRecord, 1).late is False
            late = session.exec(select(AuditEntry).where(AuditEntry.field == "late")).one()
            assert (late.before, late.after, late.actor_name) == ("True", "False", "李会玲")
        reopened = await say(leader, "/meeting 1")
        assert "日期：2026年4月1日\n" in reopened.body


async def test_correcting_minutes_says_the_new_text_replaces_the_old(fake_api, db_url, tmp_path, clock):
    clock.set(clock.current.replace(month=4, day=8, hour=10))
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        secretary = fake_api.user(IDS["常天民"], "常天民")
        detail = await _logged_late_in_march(fake_api, leader, secretary)
        labels = [label for label, _ in detail.buttons]
        assert "更正纪要" in labels and "补充纪要" not in labels
        prompt = await press(leader, detail, "更正纪要")
        assert "本记录已有纪要（文字纪要）" in prompt.body and "替换现有文字纪要" in prompt.body and "审计日志" in prompt.body
