"""End to end: /help, /me, /status [YEAR], /overdue, /plan, /records, /meeting, amending."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Attachment, AuditEntry, MeetingRecord
from tests.auxil.harness import BotHarness, write_test_config
from tests.bot.chat import IDS, jpeg, log_meeting, press, say


def _config(tmp_path, db_url, fake_api):
    return write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)


async def test_help_and_me_say_who_i_am_and_what_i_answer_for(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        assert "/log" in (await say(leader, "/help")).body
        me = await say(leader, "/me")
        assert "支部委员" in me.body and "党小组组长" in me.body and "第一党小组" in me.body
        assert "党小组会·第一党小组" in me.body and "第二党小组" not in me.body


async def test_the_secretary_sees_the_branch_and_a_member_only_their_own(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        secretary = fake_api.user(IDS["常天民"], "常天民")
        branch = await say(secretary, "/status")
        assert "全支部" in branch.body
        assert "支部委员会 2026年3月" in branch.body and "党小组会·第二党小组 2026年3月" in branch.body

        member = fake_api.user(IDS["王晓明"], "王晓明")
        assert "没有需要您关注的事项" in (await say(member, "/status")).body

        leader = fake_api.user(IDS["陈永胜"], "陈永胜")
        group = await say(leader, "/status")
        assert "党小组会·第二党小组" in group.body and "第一党小组" not in group.body


async def test_overdue_lists_what_is_late_by_how_long_and_whose(fake_api, db_url, tmp_path, clock):
    clock.set(clock.current.replace(month=4, day=10, hour=10))
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        committee = fake_api.user(IDS["郭谨瑜"], "郭谨瑜")
        late = await say(committee, "/overdue")
        assert "✗ 支部委员会 2026年3月：逾期 10 天，负责人 郭谨瑜" in late.body
        assert "党课 2026年第一季度：逾期 10 天，负责人 朱东方" in late.body


async def test_plan_lists_my_deadlines_and_sends_a_calendar_file(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        lecturer = fake_api.user(IDS["朱东方"], "朱东方")
        plan = await say(lecturer, "/plan")
        assert "2026年3月31日 党课 2026年第一季度" in plan.body
        assert "支部委员会" not in plan.body  # committee members are not responsible for it
        document = await lecturer.next_message()
        assert document.kind == "document"
        (call,) = fake_api.calls("sendDocument", chat_id=IDS["朱东方"])
        upload = call.params["document"]
        assert upload.filename.endswith(".ics")
        content = upload.data
        assert content.startswith(b"BEGIN:VCALENDAR") and b"DTSTART;VALUE=DATE:20260331" in content


async def test_the_year_grid_comes_as_text_and_as_a_chart(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        secretary = fake_api.user(IDS["常天民"], "常天民")
        header = await say(secretary, "/status 2026")
        assert "2026 年完成情况" in header.body
        grid = await secretary.next_message()
        assert "党小组会（第一党小组）" in grid.body and len(grid.body.splitlines()) == 1 + 9
        chart = await secretary.next_message(timeout=15)
        assert chart.kind == "photo"


async def test_a_record_is_opened_with_its_photos_and_amended_with_an_audit_trail(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock) as bot:
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        summary = await log_meeting(leader, system="党小组会", all_present=True, minutes=None, photos=[jpeg(1), jpeg(2)])
        await press(leader, summary, "保存")

        records = await say(leader, "/records")
        assert "党小组会·第一党小组" in records.body
        detail = await press(leader, records, "#1")
        assert "记录 #1" in detail.body and "照片：2 张" in detail.body and "纪要：稍后补充（待补）" in detail.body
        await fake_api.wait_for("sendMediaGroup", chat_id=IDS["李会玲"])
        leader.skip_read()

        prompt = await press(leader, detail, "更正主题")
        assert "更正后的会议主题" in prompt.body
        assert "已更新" in (await say(leader, "更正后的主题")).body

        leader.press(detail, "amd:1:minutes")
        await leader.next_message()
        assert "已更新" in (await say(leader, "补充的会议纪要")).body

        prompt = await press(leader, detail, "补充照片")
        leader.send_photo(jpeg(3))
        ack = await leader.next_message()
        assert "已收到 1 张" in ack.body
        assert "已更新" in (await press(leader, ack, "完成")).body

        secretary = fake_api.user(IDS["常天民"], "常天民")
        secretary.skip_read()
        opened = await say(secretary, "/meeting 1")
        minutes = await secretary.next_message()
        assert minutes.body == "会议纪要：\n补充的会议纪要"
        assert "主题：更正后的主题" in opened.body and "照片：3 张" in opened.body and "纪要：文字" in opened.body

        with bot.context.session() as session:
            record = session.get(MeetingRecord, 1)
            assert record.topic == "更正后的主题" and not record.minutes_deferred
            assert len(session.exec(select(Attachment)).all()) == 3
            changes = {(e.field, e.before, e.after) for e in session.exec(select(AuditEntry).where(AuditEntry.action == "amend"))}
            assert ("topic", "学习党的二十届三中全会精神", "更正后的主题") in changes
            assert all(e.actor_name == "李会玲" for e in session.exec(select(AuditEntry)))


async def test_a_record_shows_standalone_and_what_is_still_to_come(fake_api, db_url, tmp_path, clock):
    clock.set(clock.current.replace(month=11, day=20, hour=10))  # Q4, the 民主生活会's window
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        secretary = fake_api.user(IDS["常天民"], "常天民")
        summary = await log_meeting(secretary, system="民主生活会", all_present=True, standalone="是", minutes="纪要正文")
        await press(secretary, summary, "保存")
        opened = await say(secretary, "/meeting 1")
        assert "单独召开：是" in opened.body and "照片：稍后补充（待补）" in opened.body and "0 张" not in opened.body
        assert (await secretary.next_message()).body == "会议纪要：\n纪要正文"
