"""End to end: the secretary gets exactly one note per saved record, and for a 补录
it says so and whether the escalation of that obligation ends."""

from __future__ import annotations

import importlib

import pytest

from tests.auxil.harness import BotHarness, write_test_config
from tests.bot.chat import IDS, log_meeting, press

ABOUT_A_RECORD = ("登记了会议", "督办结束", "已补录")


async def _settled(bot: BotHarness) -> None:
    """Let the reminder engine react to the save, so that anything it would send has been sent."""
    try:
        scheduler = importlib.import_module("bot.scheduler")
    except ModuleNotFoundError:
        return
    await scheduler.tick_now(bot.app)


def _notes(secretary, since: int) -> list[str]:
    return [m.body for m in secretary.inbox[since:] if any(word in m.body for word in ABOUT_A_RECORD)]


@pytest.mark.parametrize(
    ("held", "attendance", "expected"),
    [
        pytest.param("2月20日", {"all_present": True}, "这是补录（截止 2026年2月", id="late-and-counted-ends-the-escalation"),
        pytest.param("2月20日", {"present": ["郭谨瑜"]}, "仍未完成，逾期督办继续", id="late-but-not-counted-keeps-it"),
        pytest.param("今天", {"all_present": True}, None, id="on-time-no-late-line"),
    ],
)
async def test_the_secretary_gets_one_note_which_says_what_a_late_record_does(
    fake_api, db_url, tmp_path, clock, held, attendance, expected
):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)
    async with BotHarness(fake_api, path, clock=clock) as bot:
        secretary = fake_api.user(IDS["常天民"], "常天民")
        since = len(secretary.inbox)
        member = fake_api.user(IDS["郭谨瑜"], "郭谨瑜")
        summary = await log_meeting(member, system="支部委员会", date=held, minutes=None, **attendance)
        await press(member, summary, "保存")
        await fake_api.signal.wait_until(lambda: _notes(secretary, since), 5, lambda: "the secretary's note")
        await _settled(bot)

        (note,) = _notes(secretary, since)
        assert "郭谨瑜登记了会议" in note and "支部委员会" in note
        if expected is None:
            assert "补录" not in note
        else:
            assert expected in note
        if "all_present" in attendance and expected:
            assert "2026年2月的支部委员会已完成，逾期督办到此结束" in note


async def test_a_secretary_who_logs_a_late_record_gets_the_answer_and_no_note(fake_api, db_url, tmp_path, clock):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=IDS)
    async with BotHarness(fake_api, path, clock=clock) as bot:
        secretary = fake_api.user(IDS["常天民"], "常天民")
        summary = await log_meeting(secretary, system="支部党员大会", date="2025-12-20", all_present=True, minutes=None)
        since = len(secretary.inbox)
        verdict = await press(secretary, summary, "保存")
        assert "（补录）" in verdict.body
        await _settled(bot)
        assert _notes(secretary, since) == []
