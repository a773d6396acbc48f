"""End to end over HTTP: 修改 on the summary keeps what was already given."""

from __future__ import annotations

from tests.auxil.harness import BotHarness, write_test_config
from tests.bot.chat import IDS, jpeg, log_meeting, pdf, press, say


def _config(tmp_path, db_url, fake_api):
    return write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)


def _labels(message) -> list[str]:
    return [label for label, _ in message.buttons]


async def test_editing_attendance_shows_the_current_ticks_and_keeps_the_reasons(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        summary = await log_meeting(leader, system="党小组会", present=["常天民", "郭谨瑜", "李会玲"], reasons="病假")
        assert "王晓明（病假）" in summary.body
        question = await press(leader, summary, "修改")
        attendance = await press(leader, question, "出席")
        assert "王晓明（病假）" in attendance.body
        labels = _labels(attendance)
        assert "✅ 常天民" in labels and "✅ 李会玲" in labels and "⬜ 王晓明" in labels
        again = await press(leader, attendance, "确定")
        assert "出席：3 人，应到 4 人" in again.body and "王晓明（病假）" in again.body


async def test_editing_photos_keeps_those_received_and_says_how_many(fake_api, db_url, tmp_path, clock):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        summary = await log_meeting(leader, system="党小组会", all_present=True, photos=[jpeg(1), jpeg(2)])
        question = await press(leader, summary, "修改")
        prompt = await press(leader, question, "照片")
        assert "已保留之前收到的 2 张照片" in prompt.body and "清空重传" in _labels(prompt)
        leader.send_photo(jpeg(3))
        received = await leader.next_message()
        assert "已收到 3 张" in received.body
        again = await press(leader, received, "完成")
        assert "照片：3 张" in again.body

        question = await press(leader, again, "修改")
        prompt = await press(leader, question, "照片")
        cleared = await press(leader, prompt, "清空重传")
        assert "已清空" in cleared.body
        leader.send_photo(jpeg(4))
        received = await leader.next_message()
        assert "已收到 1 张" in received.body


async def test_a_photo_at_the_topic_step_is_told_to_type_the_topic_and_a_wrong_file_hears_every_accepted_type(
    fake_api, db_url, tmp_path, clock
):
    async with BotHarness(fake_api, _config(tmp_path, db_url, fake_api), clock=clock):
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        message = await say(leader, "/log")
        message = await press(leader, message, "党小组会")
        message = await press(leader, message, "今天")
        leader.send_photo(jpeg(1))
        assert "请输入文字主题" in (await leader.next_message()).body

        message = await say(leader, "学习")
        message = await press(leader, message, "全部到会")
        message = await say(leader, "纪要")
        assert "照片" in message.body
        leader.send_document(pdf(), "纪要.pdf", "application/pdf")
        refused = (await leader.next_message()).body
        assert "文件未被接收" in refused
        assert all(kind in refused for kind in ("JPEG", "PNG", "WebP", "HEIC", "GIF"))
