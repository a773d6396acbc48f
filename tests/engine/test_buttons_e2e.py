"""The running bot (fake Bot API, virtual clock): the engine sends at send time, the
reminder's buttons 已定日期 and 稍后提醒 work for the responsible person, are refused
to others, and a 补录 ends the escalation (the engine sends nothing of its own about it)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from bot import scheduler
from bot.delivery import SendRateLimiter
from storage.db import session_scope
from storage.models import ObligationState
from tests.auxil.config_writer import write_test_config
from tests.auxil.harness import BotHarness
from tests.engine.fakes import TELEGRAM_IDS, log_committee_meeting
from tests.engine.helpers import at

MARCH = "committee_meeting:-:2026-03"


@pytest.fixture
async def bot(fake_api, db_url, tmp_path, clock):
    path = write_test_config(tmp_path, db_url, fake_api, telegram_ids=TELEGRAM_IDS)
    async with BotHarness(fake_api, path, clock=clock) as harness:
        # The per-chat second is tested on a fake clock elsewhere; here it would only
        # make the test wait for real seconds.
        scheduler.runtime_of(harness.app).sender.limiter = SendRateLimiter(per_chat=(1000, 1.0))
        yield harness


def _state(harness, key: str) -> ObligationState | None:
    with session_scope(harness.context.engine) as session:
        return session.exec(select(ObligationState).where(ObligationState.obligation_key == key)).first()


async def _tick_at(harness, clock, moment) -> None:
    clock.set(moment)
    await scheduler.tick_now(harness.app)


async def _reminder(fake, name: str, about: str):
    chat = TELEGRAM_IDS[name]
    await fake.wait_for("sendMessage", chat_id=chat)
    return next(m for m in fake.sent_to(chat) if about in (m.text or ""))


async def test_the_responsible_person_sets_a_planned_date_by_typing_it(bot, fake_api, clock):
    await _tick_at(bot, clock, at(date(2026, 3, 2)))
    reminder = await _reminder(fake_api, "郭谨瑜", "支部委员会 2026年3月")
    user = fake_api.user(TELEGRAM_IDS["郭谨瑜"], "谨瑜")
    mark = fake_api.mark()
    user.press(reminder, f"plan:{MARCH}")
    await fake_api.wait_for("sendMessage", chat_id=user.id, since=mark)
    mark = fake_api.mark()
    user.send_text("3月10日")
    [answer] = await fake_api.wait_for("sendMessage", chat_id=user.id, since=mark)
    assert "已记下" in answer.params["text"] and "2026年3月10日" in answer.params["text"]
    assert _state(bot, MARCH).planned_on == date(2026, 3, 10)
    mark = fake_api.mark()
    await _tick_at(bot, clock, at(date(2026, 3, 9)))
    eve = [c.params["text"] for c in fake_api.calls("sendMessage", chat_id=user.id, since=mark)]
    assert any("明天（2026年3月10日）计划召开支部委员会" in text for text in eve)


async def test_a_tapped_date_is_saved_too(bot, fake_api, clock):
    await _tick_at(bot, clock, at(date(2026, 3, 2)))
    reminder = await _reminder(fake_api, "郭谨瑜", "支部委员会 2026年3月")
    user = fake_api.user(TELEGRAM_IDS["郭谨瑜"], "谨瑜")
    mark = fake_api.mark()
    user.press(reminder, f"plan:{MARCH}")
    await fake_api.wait_for("sendMessage", chat_id=user.id, since=mark)
    question_message = fake_api.sent_to(user.id)[-1]
    mark = fake_api.mark()
    user.press(question_message, "pd:2026-03-04")
    await fake_api.wait_for("sendMessage", chat_id=user.id, since=mark)
    assert _state(bot, MARCH).planned_on == date(2026, 3, 4)


async def test_a_date_in_the_past_is_refused_and_changes_nothing(bot, fake_api, clock):
    await _tick_at(bot, clock, at(date(2026, 3, 2)))
    reminder = await _reminder(fake_api, "郭谨瑜", "支部委员会 2026年3月")
    user = fake_api.user(TELEGRAM_IDS["郭谨瑜"], "谨瑜")
    mark = fake_api.mark()
    user.press(reminder, f"plan:{MARCH}")
    await fake_api.wait_for("sendMessage", chat_id=user.id, since=mark)
    mark = fake_api.mark()
    user.send_text("2026-03-01")
    [answer] = await fake_api.wait_for("sendMessage", chat_id=user.id, since=mark)
    assert "不能早于今天" in answer.params["text"]
    assert _state(bot, MARCH) is None


async def test_snooze_reminds_again_on_the_next_workday(bot, fake_api, clock):
    await _tick_at(bot, clock, at(date(2026, 3, 2)))
    reminder = await _reminder(fake_api, "李会玲", "党小组会（第一党小组）2026年3月")
    user = fake_api.user(TELEGRAM_IDS["李会玲"], "会玲")
    mark = fake_api.mark()
    user.press(reminder, "snooze:group_meeting:g1:2026-03")
    [answer] = await fake_api.wait_for("sendMessage", chat_id=user.id, since=mark)
    assert "2026年3月3日" in answer.params["text"]
    assert _state(bot, "group_meeting:g1:2026-03").snoozed_until == date(2026, 3, 3)
    mark = fake_api.mark()
    await _tick_at(bot, clock, at(date(2026, 3, 3)))
    again = [c.params["text"] for c in fake_api.calls("sendMessage", chat_id=user.id, since=mark)]
    assert any("再次提醒" in text and "第一党小组" in text for text in again)


async def test_somebody_else_may_not_press_the_buttons(bot, fake_api, clock):
    await _tick_at(bot, clock, at(date(2026, 3, 2)))
    reminder = await _reminder(fake_api, "郭谨瑜", "支部委员会 2026年3月")
    stranger = fake_api.user(TELEGRAM_IDS["王晓明"], "晓明")
    mark = fake_api.mark()
    stranger.press(reminder, f"snooze:{MARCH}")
    [answer] = await fake_api.wait_for("answerCallbackQuery", since=mark)
    assert "负责人" in answer.params["text"]
    assert _state(bot, MARCH) is None


async def test_a_forged_button_is_stale(bot, fake_api, clock):
    await _tick_at(bot, clock, at(date(2026, 3, 2)))
    reminder = await _reminder(fake_api, "郭谨瑜", "支部委员会 2026年3月")
    user = fake_api.user(TELEGRAM_IDS["郭谨瑜"], "谨瑜")
    mark = fake_api.mark()
    user.press(reminder, "snooze:no_such_system:-:2026-03")
    [answer] = await fake_api.wait_for("answerCallbackQuery", since=mark)
    assert "失效" in answer.params["text"]


async def test_a_late_record_ends_the_escalation(bot, fake_api, clock):
    await _tick_at(bot, clock, at(date(2026, 3, 2)))  # level 1 for February goes out
    secretary = TELEGRAM_IDS["常天民"]
    assert any("支部委员会 2026年2月" in (m.text or "") and "逾期" in m.text for m in fake_api.sent_to(secretary))
    clock.set(at(date(2026, 3, 4), 10))
    record_id = log_committee_meeting(bot.context.engine, date(2026, 2, 27), clock.now())
    mark = fake_api.mark()
    await scheduler.on_record_saved(bot.app, record_id)
    await scheduler.tick_now(bot.app)
    assert fake_api.calls("sendMessage", since=mark) == []  # not at 10:00: nothing is due then
    await _tick_at(bot, clock, at(date(2026, 3, 9)))  # level 2 day: nothing about February
    later = [c.params["text"] for c in fake_api.calls("sendMessage", since=mark)]
    assert not any("支部委员会 2026年2月" in text for text in later)
