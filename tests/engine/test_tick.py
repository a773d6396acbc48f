"""One tick of the engine against a real database (SQLite and PostgreSQL) and a
fake sender: each message once, catch-up, obsolete rows dropped, uncertain rows
never resent, unreachable people reported once, two instances never doubling."""

from __future__ import annotations

import asyncio
from datetime import date

from sqlmodel import select

from bot.delivery import Outcome
from bot.scheduler import send_due
from storage.db import make_engine, session_scope
from storage.invites import create_invite, redeem_invite
from storage.models import Member, OutboxState
from tests.engine.fakes import (
    START,
    TELEGRAM_IDS,
    FakeSender,
    log_committee_meeting,
    prepare_branch,
    rows,
    sessions,
    setup,
)
from tests.engine.helpers import at

FEB = "committee_meeting:-:2026-02"


async def _tick(engine, sender, day: date, hour: int = 9, minute: int = 0, worker: str = "w1") -> int:
    return await send_due(sessions(engine), sender, setup(), now=at(day, hour, minute), worker=worker)


async def test_each_due_message_is_sent_once(engine):
    prepare_branch(engine, now=START)
    sender = FakeSender()
    first = await _tick(engine, sender, date(2026, 2, 2))
    again = await _tick(engine, sender, date(2026, 2, 2), 9, 30)
    assert first > 0 and again == 0
    assert len(sender.sent) == first
    assert any("支部委员会" in text and "新周期开始" in text for text in sender.texts_to("郭谨瑜"))


async def test_downtime_across_send_days_gives_one_catch_up_reminder(engine):
    prepare_branch(engine, now=START)
    sender = FakeSender()
    await _tick(engine, sender, date(2026, 2, 2))
    # Down from Feb 3 to Feb 27: the Feb 14 and Feb 26 reminders were both missed.
    await _tick(engine, sender, date(2026, 2, 27), 11)
    reminders = [r for r in rows(engine, obligation_key=FEB, kind="reminder")]
    assert sorted(r.key.rsplit("|", 1)[1] for r in reminders) == ["2026-02-02", "2026-02-26"]
    about_february = [t for t in sender.texts_to("郭谨瑜") if "支部委员会 2026年2月" in t]
    assert len(about_february) == 2 and "还有 1 天" in about_february[1]


async def test_a_pending_reminder_becomes_obsolete_when_the_meeting_is_logged(engine):
    prepare_branch(engine, now=START)
    sender = FakeSender(outcomes={TELEGRAM_IDS["郭谨瑜"]: [Outcome.RETRY_LATER]})
    await _tick(engine, sender, date(2026, 2, 26))
    [row] = rows(engine, key=f"{FEB}|reminder|-|郭谨瑜|2026-02-26")
    assert row.state == OutboxState.PENDING.value and row.last_error
    log_committee_meeting(engine, date(2026, 2, 26), at(date(2026, 2, 26), 10))
    await _tick(engine, sender, date(2026, 2, 26), 10, 5)
    [row] = rows(engine, key=f"{FEB}|reminder|-|郭谨瑜|2026-02-26")
    assert row.state == OutboxState.DROPPED.value
    assert sender.texts_to("郭谨瑜") == []


async def test_a_transient_failure_is_retried_on_the_next_tick(engine):
    prepare_branch(engine, now=START)
    sender = FakeSender(outcomes={TELEGRAM_IDS["郭谨瑜"]: [Outcome.RETRY_LATER]})
    await _tick(engine, sender, date(2026, 2, 26))
    await _tick(engine, sender, date(2026, 2, 26), 9, 5)
    [row] = rows(engine, key=f"{FEB}|reminder|-|郭谨瑜|2026-02-26")
    assert row.state == OutboxState.SENT.value and row.attempts == 2


async def test_an_uncertain_message_is_never_resent(engine):
    prepare_branch(engine, now=START)
    sender = FakeSender(outcomes={TELEGRAM_IDS["郭谨瑜"]: [Outcome.UNCERTAIN]})
    await _tick(engine, sender, date(2026, 2, 26))
    calls = sender.calls
    await _tick(engine, sender, date(2026, 2, 26), 9, 5)
    [row] = rows(engine, key=f"{FEB}|reminder|-|郭谨瑜|2026-02-26")
    assert row.state == OutboxState.UNCERTAIN.value
    assert sender.calls == calls


async def test_a_blocked_member_is_marked_unreachable_and_the_secretary_told_once(engine):
    prepare_branch(engine, now=START)
    sender = FakeSender(outcomes={TELEGRAM_IDS["郭谨瑜"]: [Outcome.UNREACHABLE]})
    await _tick(engine, sender, date(2026, 2, 2))
    with session_scope(engine) as session:
        assert session.exec(select(Member).where(Member.name == "郭谨瑜")).one().unreachable
    notices = [t for t in sender.texts_to("常天民") if "郭谨瑜" in t and "无法" in t]
    assert len(notices) == 1
    asked = len(sender.asked)
    await _tick(engine, sender, date(2026, 2, 14))
    assert [t for t in sender.texts_to("常天民") if "无法" in t] == notices
    assert TELEGRAM_IDS["郭谨瑜"] not in sender.asked[asked:]
    failed = rows(engine, key=f"{FEB}|reminder|-|郭谨瑜|2026-02-14")
    assert [r.state for r in failed] == [OutboxState.FAILED.value]


async def test_an_unbound_member_s_reminder_waits_until_they_bind(engine):
    prepare_branch(engine, now=START, bound=False)
    sender = FakeSender()
    await _tick(engine, sender, date(2026, 2, 26))
    [row] = rows(engine, key=f"{FEB}|reminder|-|郭谨瑜|2026-02-26")
    assert row.state == OutboxState.PENDING.value and "bound" in row.last_error
    with session_scope(engine) as session:
        session.exec(select(Member).where(Member.name == "郭谨瑜")).one().telegram_id = TELEGRAM_IDS["郭谨瑜"]
    await _tick(engine, sender, date(2026, 2, 26), 14)
    assert len(sender.texts_to("郭谨瑜")) == 1


async def test_two_instances_on_one_database_never_send_a_message_twice(engine, db_url):
    prepare_branch(engine, now=START)
    other = make_engine(db_url)
    try:
        one, two = FakeSender(), FakeSender()
        moment = at(date(2026, 3, 2))
        await asyncio.gather(
            send_due(sessions(engine), one, setup(), now=moment, worker="one"),
            send_due(sessions(other), two, setup(), now=moment, worker="two"),
        )
    finally:
        other.dispose()
    sent = [r for r in rows(engine) if r.state == OutboxState.SENT.value]
    assert len(one.sent) + len(two.sent) == len(sent) > 0


async def test_deferred_minutes_are_followed_up_two_workdays_later(engine):
    prepare_branch(engine, now=START)
    sender = FakeSender()
    log_committee_meeting(engine, date(2026, 3, 3), at(date(2026, 3, 3), 17), minutes_deferred=True)
    await _tick(engine, sender, date(2026, 3, 4))
    assert not any("补充提醒" in text for text in sender.texts_to("郭谨瑜"))
    await _tick(engine, sender, date(2026, 3, 5))
    assert [t for t in sender.texts_to("郭谨瑜") if "补充提醒" in t and "会议纪要" in t] != []


async def test_the_superior_is_told_which_branch_and_the_texts_name_what_must_be_kept(engine):
    prepare_branch(engine, now=START)
    superior_setup = setup()
    superior_setup.superior_chat_id = 777
    superior_setup.settings = type(superior_setup.settings)(superior_configured=True)
    sender = FakeSender()
    await send_due(sessions(engine), sender, superior_setup, now=at(date(2026, 3, 16)), worker="w")
    superior = [text for chat, text in sender.sent if chat == 777]
    assert superior and all("机关党支部" in text and "第 3 级" in text for text in superior)
    await send_due(sessions(engine), sender, superior_setup, now=at(date(2026, 3, 24)), worker="w")
    reminder = next(t for t in sender.texts_to("郭谨瑜") if "支部委员会 2026年3月" in t)
    assert "截止 2026年3月31日" in reminder and "纪要" in reminder and "照片" in reminder


async def test_a_restart_at_night_or_on_a_holiday_catches_up_at_the_next_send_time(engine):
    prepare_branch(engine, now=START)
    sender = FakeSender()
    await _tick(engine, sender, date(2026, 2, 2))
    before = len(sender.texts_to("郭谨瑜"))
    assert await _tick(engine, sender, date(2026, 2, 15), 3) == 0  # Spring Festival, 3 a.m.
    assert await _tick(engine, sender, date(2026, 2, 24), 8, 59) == 0  # first workday, before 09:00
    assert await _tick(engine, sender, date(2026, 2, 24), 9) > 0
    about_february = [t for t in sender.texts_to("郭谨瑜")[before:] if "支部委员会 2026年2月" in t]
    assert len(about_february) == 1 and "还有 4 天" in about_february[0]


async def test_a_late_record_logged_on_a_weekend_ends_the_escalation_quietly(engine):
    prepare_branch(engine, now=START)
    sender = FakeSender()
    await _tick(engine, sender, date(2026, 3, 2))  # level 1 for February
    log_committee_meeting(engine, date(2026, 2, 27), at(date(2026, 3, 7), 10))  # a Saturday
    assert await _tick(engine, sender, date(2026, 3, 7), 10, 1) == 0  # nothing goes out on a Saturday
    before = len(sender.sent)
    await _tick(engine, sender, date(2026, 3, 9))  # the level-2 day
    assert not any("支部委员会 2026年2月" in text for _, text in sender.sent[before:])


async def test_a_member_who_binds_again_after_blocking_gets_reminders_again(engine):
    prepare_branch(engine, now=START)
    sender = FakeSender(outcomes={TELEGRAM_IDS["郭谨瑜"]: [Outcome.UNREACHABLE]})
    await _tick(engine, sender, date(2026, 2, 2))
    with session_scope(engine) as session:
        code = create_invite(session, member_name="郭谨瑜", now=at(date(2026, 2, 10)), created_by="常天民")
    with session_scope(engine) as session:
        redeem_invite(session, code=code, telegram_id=TELEGRAM_IDS["郭谨瑜"], now=at(date(2026, 2, 10), 10))
    await _tick(engine, sender, date(2026, 2, 14))
    assert any("支部委员会 2026年2月" in text for text in sender.texts_to("郭谨瑜"))
    with session_scope(engine) as session:
        assert not session.exec(select(Member).where(Member.name == "郭谨瑜")).one().unreachable
