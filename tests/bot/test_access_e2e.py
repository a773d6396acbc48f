"""End to end: who gets what. Unbound accounts, forged buttons, group chats, edits."""

from __future__ import annotations

from sqlmodel import select

from storage.models import AuditEntry, Invite, MeetingRecord
from tests.auxil.harness import BotHarness, write_test_config
from tests.bot.chat import IDS, jpeg, log_meeting, press, say

ROSTER_NAMES = ("常天民", "郭谨瑜", "李会玲", "陈永胜", "朱东方", "王晓明", "刘芳", "赵磊")


def _config(tmp_path, db_url, fake_api):
    return write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)


async def _a_saved_group_meeting(fake_api) -> int:
    leader = fake_api.user(IDS["李会玲"], "李会玲")
    summary = await log_meeting(leader, system="党小组会", all_present=True, photos=[jpeg(7)])
    verdict = await press(leader, summary, "保存")
    return int(verdict.body.split("记录编号 ")[1].split("。")[0])


async def test_an_unbound_account_learns_only_how_to_be_invited(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock) as bot:
        record_id = await _a_saved_group_meeting(fake_api)
        stranger = fake_api.user(555, "陌生人")
        downloads = fake_api.downloads
        replies = []
        for text in ("/status", "/log", "/records", f"/meeting {record_id}", "/me", "/overdue", "/invite 王晓明", "你好", "/start"):
            replies.append(await say(stranger, text))
        wrong_code = await say(stranger, "/start AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        assert "邀请码无效" in wrong_code.body
        stranger.send_photo(jpeg(9))
        replies.append(await stranger.next_message())
        mark = fake_api.mark()
        stranger.press(replies[0], f"rec:{record_id}")
        answers = await fake_api.wait_for("answerCallbackQuery", since=mark)

        for message in replies + [wrong_code]:
            assert "尚未绑定" in message.body or "邀请码无效" in message.body
            assert not any(name in message.body for name in ROSTER_NAMES), message.body
        assert "尚未绑定" in answers[0].params["text"]
        assert fake_api.downloads == downloads
        with bot.context.session() as session:
            assert session.exec(select(Invite)).all() == []


async def test_a_member_cannot_open_or_amend_someone_elses_record_with_forged_buttons(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock) as bot:
        record_id = await _a_saved_group_meeting(fake_api)
        outsider = fake_api.user(IDS["赵磊"], "赵磊")  # a member of the other group
        records = await say(outsider, "/records")
        assert "还没有" in records.body

        outsider.press(records, f"rec:{record_id}")
        refused = await outsider.next_message()
        assert "无权查看" in refused.body and "学习" not in refused.body

        mark = fake_api.mark()
        outsider.press(records, f"amd:{record_id}:topic")
        answers = await fake_api.wait_for("answerCallbackQuery", since=mark)
        assert "没有权限" in answers[0].params["text"]
        outsider.send_text("改掉的主题")
        answer = await outsider.next_message()
        assert "没有理解" in answer.body

        for forged in ("lg:sum:save", "lg:att:0", "log:group_meeting:g1:2026-03", "log:nonsense", "zz" * 30,
                       "amd:999999999999:date"):
            outsider.press(records, forged)
        await fake_api.wait_for("answerCallbackQuery", 7, since=mark)

        with bot.context.session() as session:
            record = session.get(MeetingRecord, record_id)
            assert record.topic == "学习党的二十届三中全会精神"
            assert len(session.exec(select(MeetingRecord)).all()) == 1
            assert [e.action for e in session.exec(select(AuditEntry).where(AuditEntry.action == "amend"))] == []


async def test_only_the_secretary_invites_and_only_the_committee_sees_what_is_overdue(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        member = fake_api.user(IDS["王晓明"], "王晓明")
        assert "没有权限" in (await say(member, "/invite 刘芳")).body
        assert "没有权限" in (await say(member, "/overdue")).body
        assert "不负责" in (await say(member, "/log")).body
        me = await say(member, "/me")
        assert "姓名：王晓明" in me.body and "党员" in me.body


async def test_in_a_group_chat_the_bot_points_to_the_private_chat_and_reads_nothing_else(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        group = fake_api.group(-1001234567890)
        secretary = fake_api.user(IDS["常天民"], "常天民")
        group.send_text(secretary, "/status")
        await fake_api.wait_for("sendMessage", chat_id=group.id)
        group.send_text(secretary, "大家好，明天开会")
        group.send_text(secretary, "/log")
        await fake_api.wait_for("sendMessage", 2, chat_id=group.id)
        bodies = [m.body for m in group.inbox]
        assert bodies == ["请在与我的私聊中使用命令。"] * 2
        assert secretary.inbox == []


async def test_an_edited_message_is_not_processed(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        message = await say(leader, "/log")
        message = await press(leader, message, "党小组会")
        message = await press(leader, message, "今天")
        sent = leader.send_text("第一次的主题")
        attendance = await leader.next_message()
        assert "出席" in attendance.body
        leader.edit_text(sent, "改过的主题")
        note = await leader.next_message()
        assert "已编辑的消息不会被处理" in note.body
        summary = await press(leader, attendance, "全部到会")
        assert "纪要" in summary.body


async def test_a_member_who_changed_accounts_is_rebound_and_the_old_account_loses_access(fake_api, db_url, tmp_path, clock):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids={"常天民": IDS["常天民"], "王晓明": IDS["王晓明"]})
    async with BotHarness(fake_api, path, clock=clock):
        secretary = fake_api.user(IDS["常天民"], "常天民")
        old_phone = fake_api.user(IDS["王晓明"], "王晓明")
        new_phone = fake_api.user(2006, "王晓明")
        link = await say(secretary, "/invite 王晓明")
        assert "https://t.me/zhibu_test_bot?start=" in link.body
        code = link.body.split("start=")[1].split()[0]
        assert "绑定成功" in (await say(new_phone, f"/start {code}")).body
        assert "姓名：王晓明" in (await say(new_phone, "/me")).body
        assert "尚未绑定" in (await say(old_phone, "/me")).body
        # The code was single-use.
        assert "邀请码无效" in (await say(fake_api.user(3000, "某人"), f"/start {code}")).body
        assert "名册中没有" in (await say(secretary, "/invite 不存在的人")).body
        assert "用法" in (await say(secretary, "/invite")).body


async def test_a_reminders_log_button_starts_logging_with_system_and_group_filled_in(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        anchor = await say(leader, "/help")
        leader.press(anchor, "log:group_meeting:g1:2026-03")
        asked = await leader.next_message()
        assert "登记：党小组会·第一党小组（2026年3月）" in asked.body and "哪天" in asked.body
        summary_step = await press(leader, asked, "今天")
        assert "主题" in summary_step.body
        mark = fake_api.mark()
        leader.press(anchor, "log:group_meeting:g1:2026-03")  # pressed again mid-way
        answers = await fake_api.wait_for("answerCallbackQuery", since=mark)
        assert "先完成" in answers[0].params["text"]


async def test_start_without_a_code_from_a_bound_member_says_who_they_are_bound_as(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        answer = await say(fake_api.user(IDS["王晓明"], "王晓明"), "/start")
        assert "已绑定为 王晓明" in answer.body and "绑定成功" not in answer.body
