"""End to end over HTTP: binding, logging a meeting, the secretary's view."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Attachment, Attendance, AuditEntry, MeetingRecord
from tests.auxil.harness import BotHarness, write_test_config
from tests.bot.chat import IDS, bind_with_invite, jpeg, log_meeting, press, say


async def test_a_member_binds_logs_a_group_meeting_and_the_secretary_sees_it_counted(fake_api, db_url, tmp_path, clock):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids={"常天民": IDS["常天民"]})
    async with BotHarness(fake_api, path, clock=clock) as bot:
        secretary = fake_api.user(IDS["常天民"], "常天民")
        leader = fake_api.user(IDS["李会玲"], "李会玲")

        welcome = await bind_with_invite(secretary, leader, "李会玲")
        assert "绑定成功" in welcome.body and "李会玲" in welcome.body

        summary = await log_meeting(
            leader,
            system="党小组会",
            present=["常天民", "郭谨瑜", "李会玲"],
            reasons="病假",
            photos=[jpeg(1), jpeg(2)],
        )
        assert "出席：3 人，应到 4 人" in summary.body
        assert "王晓明（病假）" in summary.body
        assert "照片：2 张" in summary.body

        verdict = await press(leader, summary, "保存")
        assert "已保存" in verdict.body and "✓ 计入 2026年3月 的党小组会" in verdict.body

        note = await secretary.next_message()
        assert "李会玲登记了会议" in note.body

        status = await say(secretary, "/status")
        assert "党小组会·第一党小组 2026年3月：已完成" in status.body

        with bot.context.session() as session:
            record = session.exec(select(MeetingRecord)).one()
            assert record.group_key == "g1" and record.held_on.isoformat() == "2026-03-02"
            photos = session.exec(select(Attachment).where(Attachment.kind == "photo")).all()
            assert len(photos) == 2 and all(p.telegram_file_id for p in photos)
            assert all((tmp_path / "media" / p.path).exists() for p in photos)
            absent = session.exec(select(Attendance).where(Attendance.present == False)).all()  # noqa: E712
            assert [a.absence_reason for a in absent] == ["sick"]
            assert session.exec(select(AuditEntry).where(AuditEntry.action == "create")).first() is not None


def _config(tmp_path, db_url, fake_api, **ids):
    return write_test_config(tmp_path, db_url, fake_api, telegram_ids={name: IDS[name] for name in ids or IDS})


async def test_a_democratic_life_meeting_without_two_thirds_of_the_leadership_is_kept_but_does_not_count(
    fake_api, db_url, tmp_path, clock
):
    clock.set(clock.current.replace(month=11, day=20, hour=10))  # Q4, the meeting's window
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock) as bot:
        secretary = fake_api.user(IDS["常天民"], "常天民")
        summary = await log_meeting(
            secretary,
            system="民主生活会",
            present=["常天民"],
            reasons="公出",
            standalone="是",
            photos=[jpeg(3)],
        )
        assert "出席：1 人，应到 3 人" in summary.body and "单独召开：是" in summary.body
        verdict = await press(secretary, summary, "保存")
        assert "✗ 不计入 2026年度 的党员领导干部民主生活会" in verdict.body
        assert "出席 1 人，应到 3 人，未达到三分之二" in verdict.body
        assert verdict.body.count("已保存") == 1 and "记录编号" in verdict.body

        status = await say(secretary, "/status")
        assert "党员领导干部民主生活会 2026年度：不符合要求" in status.body
        with bot.context.session() as session:
            assert len(session.exec(select(MeetingRecord)).all()) == 1


async def test_a_late_entry_counts_for_the_period_the_meeting_was_held_in(fake_api, db_url, tmp_path, clock):
    clock.set(clock.current.replace(month=4, day=3, hour=10))
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock) as bot:
        leader = fake_api.user(IDS["陈永胜"], "陈永胜")
        summary = await log_meeting(leader, system="党小组会", date="3月28日", all_present=True, minutes=None)
        assert "日期：2026年3月28日" in summary.body and "纪要：稍后补充" in summary.body
        verdict = await press(leader, summary, "保存")
        assert "（补录）" in verdict.body
        assert "✓ 计入 2026年3月 的党小组会" in verdict.body
        assert "稍后补充" in verdict.body

        with bot.context.session() as session:
            record = session.exec(select(MeetingRecord)).one()
            assert record.late and record.group_key == "g2" and record.minutes_deferred and record.photos_deferred

        secretary = fake_api.user(IDS["常天民"], "常天民")
        note = await secretary.next_message()
        assert "陈永胜登记了会议" in note.body and "2026年3月28日" in note.body


async def test_a_party_lecture_held_with_the_general_assembly_counts_for_both(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        secretary = fake_api.user(IDS["常天民"], "常天民")
        summary = await log_meeting(secretary, system="支部党员大会", all_present=True, covers=["党课"], photos=[jpeg(4)])
        assert "同时作为：党课" in summary.body
        verdict = await press(secretary, summary, "保存")
        assert "✓ 计入 2026年第一季度 的支部党员大会" in verdict.body
        assert "✓ 计入 2026年第一季度 的党课" in verdict.body


async def test_the_summary_can_be_edited_before_saving(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock) as bot:
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        summary = await log_meeting(leader, system="党小组会", all_present=True)
        question = await press(leader, summary, "修改")
        prompt = await press(leader, question, "主题")
        assert "主题" in prompt.body
        summary = await say(leader, "专题学习：党章")
        assert "主题：专题学习：党章" in summary.body
        question = await press(leader, summary, "修改")
        prompt = await press(leader, question, "日期")
        summary = await press(leader, prompt, "昨天")
        assert "日期：2026年3月1日" in summary.body
        cancelled = await press(leader, summary, "取消")
        assert "未保存" in cancelled.body
        with bot.context.session() as session:
            assert session.exec(select(MeetingRecord)).all() == []


async def test_photos_sent_as_an_album_are_all_kept_and_acknowledged_once(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock) as bot:
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        message = await say(leader, "/log")
        message = await press(leader, message, "党小组会")
        message = await press(leader, message, "今天")
        message = await say(leader, "组织生活")
        message = await press(leader, message, "全部到会")
        message = await say(leader, "纪要全文")
        leader.send_album([jpeg(10), jpeg(11), jpeg(12)])
        ack = await leader.next_message()
        assert "已收到 3 张照片" in ack.body
        summary = await press(leader, ack, "完成")
        assert "照片：3 张" in summary.body
        await press(leader, summary, "保存")
        with bot.context.session() as session:
            assert len(session.exec(select(Attachment)).all()) == 3


async def test_the_secretary_may_log_any_system_and_picks_the_group(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        secretary = fake_api.user(IDS["常天民"], "常天民")
        systems = await say(secretary, "/log")
        assert [label for label, _ in systems.buttons] == [
            "支部党员大会", "支部委员会", "党小组会", "党课", "党员领导干部民主生活会", "党员组织生活会", "民主评议党员",
        ]
        groups = await press(secretary, systems, "党小组会")
        assert [label for label, _ in groups.buttons] == ["第一党小组", "第二党小组"]
        asked = await press(secretary, groups, "第二党小组")
        asked = await press(secretary, asked, "今天")
        attendance = await say(secretary, "主题")
        names = [label.removeprefix("⬜ ") for label, _ in attendance.buttons][:-2]
        assert names == ["陈永胜", "朱东方", "刘芳", "赵磊"]


async def _covers_step(secretary, topic: str):
    message = await say(secretary, "/log")
    message = await press(secretary, message, "支部党员大会")
    message = await press(secretary, message, "今天")
    message = await say(secretary, topic)
    return await press(secretary, message, "全部到会")


async def test_member_evaluation_is_not_offered_outside_its_window(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        secretary = fake_api.user(IDS["常天民"], "常天民")
        covers = await _covers_step(secretary, "一季度党员大会")
        assert [label for label, _ in covers.buttons] == ["⬜ 党课", "确定"]


async def test_the_year_end_general_assembly_also_hosts_the_member_evaluation(fake_api, db_url, tmp_path, clock):
    clock.set(clock.current.replace(month=12, day=1))
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        secretary = fake_api.user(IDS["常天民"], "常天民")
        covers = await _covers_step(secretary, "年终党员大会")
        assert [label for label, _ in covers.buttons] == ["⬜ 党课", "⬜ 民主评议党员", "确定"]
        secretary.press_button(covers, "民主评议党员")
        await fake_api.signal.wait_until(
            lambda: "✅ 民主评议党员" in [b for b, _ in fake_api.bot_message(covers.chat_id, covers.message_id).buttons],
            5,
            lambda: "民主评议党员 ticked",
        )
        minutes = await press(secretary, covers, "确定")
        assert "纪要" in minutes.body
        photos = await say(secretary, "纪要")
        summary = await press(secretary, photos, "稍后补充")
        assert "同时作为：民主评议党员" in summary.body
        verdict = await press(secretary, summary, "保存")
        assert "✓ 计入 2026年第四季度 的支部党员大会" in verdict.body
        assert "✓ 计入 2026年度 的民主评议党员" in verdict.body
