"""Sending through the fake Bot API: every Telegram error classified once and acted
on — 429 waits retry_after, 5xx backs off within a bound, a timeout after the
message was accepted is uncertain (never resent), 403 means unreachable, a
migrated group is followed — and the rate limits hold. No test sleeps: the
sender's sleep and the limiter's clock are fakes."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from sqlmodel import select
from telegram import Bot
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.delivery import ErrorClass, Outcome, SendRateLimiter, TelegramSender, callback_data, classify, keyboard
from bot.scheduler import send_due
from storage.db import session_scope
from storage.models import Member
from tests.auxil.fake_bot_api import FakeBotApi
from tests.engine.fakes import START, TELEGRAM_IDS, prepare_branch, rows, sessions, setup
from tests.engine.helpers import at


def _caused(error, cause):
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (RetryAfter(3), ErrorClass.WAIT),
        (ChatMigrated(-1009), ErrorClass.MIGRATE),
        (Forbidden("Forbidden: bot was blocked by the user"), ErrorClass.UNREACHABLE),
        (BadRequest("Bad Request: chat not found"), ErrorClass.UNREACHABLE),
        (BadRequest("Bad Request: message is too long"), ErrorClass.PERMANENT),
        (NetworkError("Bad Gateway"), ErrorClass.TRANSIENT),
        (_caused(NetworkError("httpx.ConnectError"), httpx.ConnectError("refused")), ErrorClass.TRANSIENT),
        (_caused(TimedOut("Pool timeout"), httpx.PoolTimeout("busy")), ErrorClass.TRANSIENT),
        (_caused(TimedOut(), httpx.ReadTimeout("slow")), ErrorClass.UNCERTAIN),
        (_caused(NetworkError("httpx.RemoteProtocolError"), httpx.RemoteProtocolError("cut")), ErrorClass.UNCERTAIN),
    ],
    ids=["429", "migrate", "403", "chat-not-found", "bad-request", "5xx", "no-connection", "pool-timeout",
         "read-timeout", "cut-mid-answer"],
)
def test_each_error_is_classified_once(error, kind):
    assert classify(error).kind is kind


class FakeTime:
    """A monotonic clock that only moves when someone sleeps on it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def _send_times(limiter: SendRateLimiter, time: FakeTime, chats: list[int]) -> list[float]:
    times = []
    for chat in chats:
        await limiter.acquire(chat)
        times.append(time.now)
    return times


async def test_one_message_per_second_to_one_chat():
    time = FakeTime()
    limiter = SendRateLimiter(monotonic=time.monotonic, sleep=time.sleep)
    assert await _send_times(limiter, time, [7, 7, 7]) == pytest.approx([0.0, 1.0, 2.0], abs=1e-4)


async def test_thirty_messages_per_second_overall():
    time = FakeTime()
    limiter = SendRateLimiter(monotonic=time.monotonic, sleep=time.sleep)
    times = await _send_times(limiter, time, list(range(1, 62)))
    # A second and a margin (WINDOW_MARGIN): Telegram counts arrivals, not departures.
    assert times[29] == 0.0 and times[30] == pytest.approx(1.02, abs=1e-4) and times[60] == pytest.approx(2.04, abs=1e-4)


async def test_twenty_messages_per_minute_to_a_group_chat():
    time = FakeTime()
    limiter = SendRateLimiter(monotonic=time.monotonic, sleep=time.sleep)
    times = await _send_times(limiter, time, [-100] * 21)
    assert times[19] == pytest.approx(19.0, abs=1e-3) and times[20] == pytest.approx(60.0, abs=1e-3)


@pytest.fixture
async def fake():
    async with FakeBotApi() as server:
        yield server
        server.assert_no_violations()


@pytest.fixture
async def bot(fake):
    request = HTTPXRequest(read_timeout=0.5, connect_timeout=1)
    async with Bot(fake.token, base_url=fake.base_url, request=request) as telegram_bot:
        yield telegram_bot


@pytest.fixture
def time():
    return FakeTime()


@pytest.fixture
def sender(bot, time):
    limiter = SendRateLimiter(monotonic=time.monotonic, sleep=time.sleep)
    return TelegramSender(bot, limiter=limiter, sleep=time.sleep, max_attempts=3)


async def test_a_429_waits_retry_after_then_sends(fake, sender, time):
    fake.fail_next("sendMessage", 429, retry_after=3)
    delivery = await sender.send(501, "提醒")
    assert delivery.outcome is Outcome.SENT and 3 in time.slept
    assert [m.text for m in fake.sent_to(501)] == ["提醒"]


async def test_5xx_backs_off_and_then_sends(fake, sender, time):
    fake.fail_next("sendMessage", 502, times=2)
    delivery = await sender.send(501, "提醒")
    assert delivery.outcome is Outcome.SENT and time.slept[:2] == [1.0, 2.0]
    assert len(fake.sent_to(501)) == 1


async def test_5xx_that_persists_gives_up_within_the_bound_and_stays_pending(fake, sender, time):
    fake.fail_next("sendMessage", 500, times=None)
    delivery = await sender.send(501, "提醒")
    assert delivery.outcome is Outcome.RETRY_LATER
    assert len(fake.calls("sendMessage")) == 3 and sum(time.slept) <= 3.0
    assert fake.sent_to(501) == []


async def test_a_timeout_after_telegram_accepted_the_message_is_uncertain(fake, sender):
    fake.hold_next("sendMessage", seconds=2)
    delivery = await sender.send(501, "提醒")
    assert delivery.outcome is Outcome.UNCERTAIN
    # Telegram did deliver it: resending would have doubled it.
    assert [m.text for m in fake.sent_to(501)] == ["提醒"]


async def test_a_blocked_user_is_unreachable_without_retries(fake, sender, time):
    fake.fail_next("sendMessage", 403)
    assert (await sender.send(501, "提醒")).outcome is Outcome.UNREACHABLE
    assert len(fake.calls("sendMessage")) == 1 and time.slept == []


async def test_a_migrated_group_is_followed(fake, sender):
    fake.fail_next("sendMessage", 400, migrate_to_chat_id=-1002000, chat_id=-2000)
    delivery = await sender.send(-2000, "周报")
    assert (delivery.outcome, delivery.chat_id, delivery.migrated_from) == (Outcome.SENT, -1002000, -2000)
    assert [m.text for m in fake.sent_to(-1002000)] == ["周报"]


def test_buttons_carry_the_obligation_and_fit_64_bytes():
    markup = keyboard("reminder", None, "organizational_life_meeting:g1:2026", True)
    data = [button.callback_data for button in markup.inline_keyboard[0]]
    assert data == [
        "log:organizational_life_meeting:g1:2026",
        "plan:organizational_life_meeting:g1:2026",
        "snooze:organizational_life_meeting:g1:2026",
    ]
    assert keyboard("digest", None, None, True) is None
    assert [b.text for b in keyboard("escalation", 1, "committee_meeting:-:2026-02", True).inline_keyboard[0]] == [
        "登记会议",
        "已定日期",
    ]
    assert keyboard("escalation", 3, "committee_meeting:-:2026-02", False) is None
    assert callback_data("snooze", "organizational_life_meeting:" + "g" * 40 + ":2026") is None


async def test_a_tick_through_the_fake_api_reports_a_blocked_member_to_the_secretary_once(engine, fake, sender):
    prepare_branch(engine, now=START)
    fake.fail_next("sendMessage", 403, chat_id=TELEGRAM_IDS["郭谨瑜"])
    await send_due(sessions(engine), sender, setup(), now=at(date(2026, 2, 2)), worker="w")
    with session_scope(engine) as session:
        assert session.exec(select(Member).where(Member.name == "郭谨瑜")).one().unreachable
    secretary = [m.text for m in fake.sent_to(TELEGRAM_IDS["常天民"])]
    assert sum("郭谨瑜" in text and "无法" in text for text in secretary) == 1
    reminder = next(m for m in fake.sent_to(TELEGRAM_IDS["李会玲"]) if "党小组会" in m.text)
    assert "登记会议" in str(reminder.message["reply_markup"])
    await send_due(sessions(engine), sender, setup(), now=at(date(2026, 2, 14)), worker="w")
    assert fake.calls("sendMessage", chat_id=TELEGRAM_IDS["郭谨瑜"], ok=True) == []
    assert sum("无法" in m.text for m in fake.sent_to(TELEGRAM_IDS["常天民"])) == 1
    assert all(r.state != "claimed" for r in rows(engine))


async def test_a_burst_through_the_limiter_draws_no_429_from_a_strict_telegram():
    time = FakeTime()
    async with FakeBotApi(enforce_limits=True, clock=time.monotonic) as strict:
        request = HTTPXRequest(read_timeout=2)
        async with Bot(strict.token, base_url=strict.base_url, request=request) as telegram_bot:
            limiter = SendRateLimiter(monotonic=time.monotonic, sleep=time.sleep)
            sender = TelegramSender(telegram_bot, limiter=limiter, sleep=time.sleep)
            chats = [-100, -100, 501, 501, 501, *range(600, 640), -100, *[-100] * 20]
            outcomes = [(await sender.send(chat, f"第 {n} 条")).outcome for n, chat in enumerate(chats)]
        assert set(outcomes) == {Outcome.SENT}
        assert strict.stats.rate_limited == 0
        strict.assert_no_violations()
