"""intake: updates handled through long polling, with a database write each, by the
bot as operators run it (``python -m bot run``, its own process).

The update is a press of 稍后提醒 on a reminder: the bot looks the person up,
stores the snooze (table obligation_state) and answers the button. The fake Bot
API (in this process) holds the reminders the presses refer to, queues the
presses for getUpdates and notes when each answer arrives.

* throughput: N presses queued at once; N / (last answer − first press);
* latency at a fixed offered load (200/s): for each press, the time from its
  being available to getUpdates to the bot's answerCallbackQuery arriving.

Two sessions: the bot as shipped (``python -m bot run``), whose answers are held
to Telegram's 30 messages a second by python-telegram-bot's AIORateLimiter, and
the same with that limiter lifted (:mod:`bench.bot_runner`), which shows what
handling an update costs.

Targets (issue 6): ≥ 1,000 updates/s; p99 < 50 ms at 200 updates/s.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bench.branch import BranchShape, member_name, telegram_id
from bench.figures import Report, percentile
from tests.auxil.fake_bot_api import FakeBotApi
from tests.auxil.fake_methods import HANDLERS
from tests.auxil.fake_records import SentMessage

THROUGHPUT_TARGET = 1000.0
P99_TARGET_MS = 50.0
OFFERED_RATE = 200.0
# Within Telegram's 30 messages/s, which caps the shipped bot's answers: shows the
# latency of handling one press, without a queue in front of it.
GENTLE_RATE = 20.0
GENTLE_COUNT = 200
ANSWER_TIMEOUT_S = 120
SNOOZE_LABEL = "稍后提醒"


@dataclass
class Press:
    query_id: str
    at: float  # time.monotonic() when it was queued for getUpdates
    answered_at: float | None = None


@dataclass
class SnoozePresses:
    """Reminders in the fake (one per group leader, for this month's 党小组会) and
    presses of their 稍后提醒 button, round-robin over the leaders."""

    fake: FakeBotApi
    shape: BranchShape
    reminders: list[tuple[int, SentMessage]] = field(default_factory=list)

    def prepare(self) -> None:
        month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
        for group in range(self.shape.groups):
            leader = group * self.shape.group_size
            chat_id = telegram_id(leader)
            self.fake.user(chat_id, member_name(leader))
            data = f"snooze:group_meeting:g{group + 1:02d}:{month}"
            markup = {"inline_keyboard": [[{"text": SNOOZE_LABEL, "callback_data": data}]]}
            # Put the reminder into the fake as if the bot had sent it, so that a
            # press refers to a real message the bot may edit.
            message = HANDLERS["sendMessage"](self.fake, {"chat_id": chat_id, "text": "党小组会提醒", "reply_markup": markup},
                                              {}, self.fake.next_serial())
            self.reminders.append((chat_id, self.fake.bot_message(chat_id, message["message_id"])))

    def press(self, index: int) -> Press:
        chat_id, reminder = self.reminders[index % len(self.reminders)]
        query_id = self.fake.user(chat_id, "").press(reminder, reminder.callback_data(SNOOZE_LABEL))
        return Press(query_id, time.monotonic())


async def answered(fake: FakeBotApi, presses: list[Press], timeout: float = ANSWER_TIMEOUT_S) -> None:
    """Wait until every press has its answerCallbackQuery; note when each arrived."""
    pending = {p.query_id: p for p in presses if p.answered_at is None}
    seen = 0

    def collect() -> bool:
        nonlocal seen
        calls = fake.calls("answerCallbackQuery")
        for call in calls[seen:]:
            press = pending.pop(str(call.params.get("callback_query_id")), None)
            if press is not None:
                press.answered_at = call.at
        seen = len(calls)
        return not pending

    await fake.signal.wait_until(collect, timeout, lambda: f"answers to {len(pending)} of {len(presses)} presses")


async def throughput(fake: FakeBotApi, workload: SnoozePresses, count: int, sample: Callable[[], None]) -> float:
    """Queue ``count`` presses at once; updates per second until the last is answered."""
    presses = [workload.press(i) for i in range(count)]
    sampler = asyncio.ensure_future(_sample_until_done(sample))
    try:
        await answered(fake, presses)
    finally:
        sampler.cancel()
    span = max(p.answered_at for p in presses) - presses[0].at
    return count / span


async def latency(fake: FakeBotApi, workload: SnoozePresses, count: int, rate: float,
                  sample: Callable[[], None]) -> list[float]:
    """Offer ``count`` presses at ``rate`` per second; each one's latency in ms."""
    presses: list[Press] = []
    start = time.monotonic()
    for index in range(count):
        delay = start + index / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        presses.append(workload.press(index))
        if index % 20 == 0:
            sample()
    await answered(fake, presses)
    return [(p.answered_at - p.at) * 1000 for p in presses]


async def _sample_until_done(sample: Callable[[], None]) -> None:
    while True:
        sample()
        await asyncio.sleep(0.1)


def snoozes_stored(config: Path) -> int:
    """Rows of obligation_state with a snooze: proof that the presses wrote."""
    import sqlalchemy as sa

    from bot.context import load_context
    from storage.db import make_engine
    from storage.models import ObligationState

    engine = make_engine(load_context(config).config.database_url)
    try:
        with engine.connect() as connection:
            query = sa.select(sa.func.count()).select_from(ObligationState).where(ObligationState.snoozed_until.is_not(None))
            return int(connection.execute(query).scalar_one())
    finally:
        engine.dispose()


@dataclass
class Session:
    """What one running bot did: intake figures and its memory readings."""

    rate: float = 0.0
    latencies: list[float] = field(default_factory=list)
    gentle: list[float] = field(default_factory=list)
    snoozes: int = 0
    idle_mb: float = 0.0
    load_mb: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def _session(folder: Path, postgres: str | None, shape: BranchShape, *, lifted: bool, burst: int,
                   offered: int, idle_seconds: float) -> Session:
    """Start the bot on a fresh database, let it idle, then press buttons."""
    from bench.branch import fresh_database, write_branch_config
    from bench.bot_process import BotProcess
    from bench.memory_bench import MemorySampler, idle_rss

    result = Session()
    async with FakeBotApi() as fake:
        with fresh_database(folder, postgres) as db_url:
            config = write_branch_config(folder, shape, db_url=db_url, api_url=fake.url, token=fake.token)
            async with BotProcess(fake, config, lifted=lifted) as bot:
                result.idle_mb = await idle_rss(bot, idle_seconds)
                workload = SnoozePresses(fake, shape)
                workload.prepare()
                load = MemorySampler(bot)
                await latency(fake, workload, min(30, offered), OFFERED_RATE / 10, load.sample)  # warm-up
                result.rate = await throughput(fake, workload, burst, load.sample)
                result.latencies = await latency(fake, workload, offered, OFFERED_RATE, load.sample)
                result.gentle = await latency(fake, workload, min(GENTLE_COUNT, offered), GENTLE_RATE, load.sample)
                result.load_mb = load.samples
            result.snoozes = snoozes_stored(config)
            result.errors = [f"{c.method} {c.status}" for c in fake.calls() if not c.ok and c.method != "getUpdates"]
            if result.errors:
                result.errors.append(f"see {bot.log_path}")
    return result


def _record(report: Report, key: str, label: str, session: Session, *, offered: int, groups: int) -> None:
    report.figure(f"{key}_throughput", f"{label}: presses handled (queued at once)", session.rate, "updates/s",
                  at_least=THROUGHPUT_TARGET)
    report.figure(f"{key}_p50_ms", f"  latency at {OFFERED_RATE:g}/s offered, p50",
                  percentile(session.latencies, 50), "ms")
    report.figure(f"{key}_p99_ms", f"  latency at {OFFERED_RATE:g}/s offered, p99",
                  percentile(session.latencies, 99), "ms", below=P99_TARGET_MS)
    report.figure(f"{key}_answered", "  presses answered (latency run)", len(session.latencies), "updates",
                  equal=offered)
    report.figure(f"{key}_gentle_p50_ms", f"  latency at {GENTLE_RATE:g}/s offered, p50",
                  percentile(session.gentle, 50), "ms")
    report.figure(f"{key}_gentle_p99_ms", f"  latency at {GENTLE_RATE:g}/s offered, p99",
                  percentile(session.gentle, 99), "ms")
    report.figure(f"{key}_snoozes", "  obligations with a stored snooze", session.snoozes, "rows", equal=groups)
    if session.errors:
        report.note(f"{key}: {len(session.errors) - 1} calls answered with an error: {', '.join(session.errors[:3])}")


def run(workdir: Path, *, postgres: str | None = None, shipped: tuple[int, int] = (600, 600),
        lifted: tuple[int, int] = (5000, 3000), shape: BranchShape = BranchShape(), idle_seconds: float = 5.0,
        quiet: bool = False) -> tuple[Report, Report]:
    """Intake and memory, on the bot as shipped and with its rate limiter lifted.

    ``shipped`` and ``lifted`` are (burst, offered) sizes: the shipped bot answers
    at most 30 presses a second, so its sizes are kept small.
    """
    from bench.memory_bench import record as record_memory

    database = "postgresql" if postgres else "sqlite"
    intake = Report("intake", {"shipped_burst_offered": list(shipped), "lifted_burst_offered": list(lifted),
                               "offered_rate": OFFERED_RATE, "database": database}, quiet=quiet)
    memory = Report("memory", {"idle_seconds": idle_seconds, "database": database}, quiet=quiet)
    intake.header()
    sessions = {}
    for key, sizes, label in (("shipped", shipped, "as shipped (zhibu run)"),
                              ("lifted", lifted, "PTB rate limiter lifted")):
        burst, offered = sizes
        session = asyncio.run(_session(workdir / key, postgres, shape, lifted=key == "lifted", burst=burst,
                                       offered=offered, idle_seconds=idle_seconds))
        _record(intake, key, label, session, offered=offered, groups=shape.groups)
        sessions[key] = session
    memory.header()
    record_memory(memory, idle_mb=sessions["shipped"].idle_mb, loads={k: s.load_mb for k, s in sessions.items()})
    return intake, memory
