"""The real bot at DEBUG level, through a whole conversation: every log line is JSON
and none carries the token or anything a person wrote."""

from __future__ import annotations

import json

from tests.auxil.harness import BotHarness, write_test_config
from tests.bot.chat import IDS, log_meeting, press, say

MARK = "ZX9Q"  # in every text people write below; must never reach a log


async def test_a_logged_meeting_leaves_no_personal_text_or_token_in_the_logs(log_stream, fake_api, tmp_path, clock):
    path = write_test_config(tmp_path, f"sqlite:///{tmp_path / 'zhibu.db'}", fake_api, telegram_ids=IDS)
    async with BotHarness(fake_api, path, clock=clock):
        leader = fake_api.user(IDS["李会玲"], "李会玲")
        summary = await log_meeting(leader, system="党小组会", topic=f"学习讨论{MARK}", all_present=True,
                                    minutes=f"会议纪要：{MARK} 讨论发言。")
        saved = await press(leader, summary, "保存")
        stranger = fake_api.user(424242, "陌生人")
        await say(stranger, f"我的密码是 {MARK}")
    assert "保存" in saved.body or "已" in saved.body
    text = log_stream.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines, "the bot logged nothing at all at DEBUG"
    assert MARK not in text
    assert fake_api.token not in text
