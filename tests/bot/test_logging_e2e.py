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
