"""The reminder engine in the running bot: APScheduler jobs, one tick, the lease.

One tick (:func:`send_due`) asks :mod:`scheduling.engine` what is due now, records
it in the outbox (new keys only), drops what became obsolete, and sends every
pending row: claim → send → record. The APScheduler jobs only call the tick:

* ``zhibu.send_time`` — a cron job at ``reminders.send_time`` every day (the
  engine itself knows which days are workdays); ``misfire_grace_time=None`` and
  ``coalesce=True``: a wake-up that comes late (the machine slept, the loop was
  busy) still runs, once, and the tick catches up on everything due — nothing is
  dropped because a job fired late.
* ``zhibu.sweep`` — every few minutes: retries rows left pending after transient
  Telegram errors and covers a send time missed while this instance was standby.
* ``zhibu.lease`` — renews the one-scheduler lock; a standby takes over here.
* ``zhibu.wake`` — an immediate one-off tick after an event (a record saved, a
  planned date set, a snooze); ``replace_existing`` coalesces a burst of events.

The jobs hold no state: they are rebuilt with explicit ids at every start; what
is due and what was sent lives only in the database.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlmodel import Session

from bot import texts
from bot.delivery import Delivery, Outcome, TelegramSender, keyboard, render
from scheduling.engine import (
    BRANCH_CHAT,
    SUPERIOR,
    EngineSettings,
    PlannedMessage,
    ReminderEngine,
)
from scheduling.rules import Role, Ruleset
from scheduling.workdays import WorkdayCalendar
from storage import lease as lease_module
from storage import outbox
from storage.models import Member, OutboxMessage
from storage.records import load_sittings
from storage.roster import member_by_name

log = logging.getLogger(__name__)

SessionFactory = Callable[[], AbstractContextManager[Session]]
SWEEP_INTERVAL = timedelta(minutes=5)
LEASE_INTERVAL = timedelta(seconds=20)
# How long stopping waits for a running tick to finish the message it is sending.
STOP_GRACE = timedelta(seconds=15)


class Sender(Protocol):
    async def send(self, chat_id: int, text: str, reply_markup=None) -> Delivery: ...


@dataclass
class EngineSetup:
    """Everything the tick needs from the config."""

    ruleset: Ruleset
    calendar: WorkdayCalendar
    settings: EngineSettings
    superior_chat_id: int | None = None
    branch_chat_id: int | None = None
    branch_name: str = ""
    # Group chats that Telegram told us moved (old id → new id), for this process.
    migrated: dict[int, int] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config) -> EngineSetup:
        settings = EngineSettings(
            zone=config.zone,
            send_time=config.reminders.send_time,
            superior_configured=config.branch.superior_chat_id is not None,
            branch_chat_configured=config.branch.chat_id is not None,
        )
        return cls(
            ruleset=config.ruleset(),
            calendar=config.workday_calendar(),
            settings=settings,
            superior_chat_id=config.branch.superior_chat_id,
            branch_chat_id=config.branch.chat_id,
            branch_name=config.branch.name,
        )

    def special_chat(self, recipient: str) -> int | None:
        chat_id = {SUPERIOR: self.superior_chat_id, BRANCH_CHAT: self.branch_chat_id}.get(recipient)
        return self.migrated.get(chat_id, chat_id) if chat_id is not None else None


# -- one tick ----------------------------------------------------------------------------


# Every record: an absence streak may be older than any window we would choose.
RECORDS_SINCE = date(2000, 1, 1)


def plan(session_factory: SessionFactory, setup: EngineSetup, *, now: datetime) -> list[OutboxMessage]:
    """Record in the outbox what is due at ``now``; drop what is obsolete; return the pending rows."""
    zone = setup.settings.zone
    today = now.astimezone(zone).date()
    with session_factory() as session:
        since = outbox.engine_since(session, now=now, zone=zone)
        records = [
            r
            for r in load_sittings(session, start=RECORDS_SINCE, end=today)
            if r.logged_at <= now
        ]
        engine = ReminderEngine(
            setup.ruleset,
            setup.calendar,
            setup.settings,
            records=records,
            plans=outbox.load_plans(session),
            deferred=outbox.load_deferred(session),
            member_since=outbox.member_since(session, zone=zone),
            since=since,
        )
    due = engine.due(now)
    window = sending_window_open(engine, now)
    with session_factory() as session:
        known = outbox.existing_keys(session, (m.key for m in due))
        # Outside the sending window nothing is queued: it is planned (and its text
        # written) when the window opens, so a text never says "还有 5 天" on a day
        # when it is no longer true.
        fresh = [m for m in due if m.key not in known] if window else []
        outbox.enqueue(session, [_new_message(m, setup, today) for m in fresh], now=now)
        outbox.drop_obsolete(session, relevant={m.key for m in due}, now=now)
        return [row for row in outbox.pending(session) if window or _any_time(row)]


def sending_window_open(engine: ReminderEngine, now: datetime) -> bool:
    """Reminders, escalations and digests go out on workdays from ``send_time`` on:
    a restart at 3 a.m. or on a Sunday catches up at the next send time, not at once."""
    today = now.astimezone(engine.settings.zone).date()
    return engine.calendar.is_workday(today) and now >= engine.moment(today)


def _any_time(row: OutboxMessage) -> bool:
    """A note that answers something that just happened (a member blocked the bot) goes out at once."""
    return row.kind == outbox.NOTICE_KIND


def _new_message(message: PlannedMessage, setup: EngineSetup, today: date) -> outbox.NewMessage:
    return outbox.NewMessage(
        key=message.key,
        kind=message.kind.value,
        level=message.level,
        obligation_key=message.obligation.key if message.obligation else None,
        recipient=message.recipient,
        chat_id=setup.special_chat(message.recipient),
        due_at=message.at,
        text=render(message, setup.ruleset, today, setup.branch_name),
    )


async def send_due(
    session_factory: SessionFactory,
    sender: Sender,
    setup: EngineSetup,
    *,
    now: datetime,
    worker: str,
    stopping: Callable[[], bool] = lambda: False,
) -> int:
    """One tick at ``now``: plan, then send every pending row (until ``stopping()``, checked
    between messages). Returns how many were sent."""
    # Planning reads every record and judges two years: off the event loop, so chat
    # stays responsive meanwhile.
    rows = await asyncio.to_thread(plan, session_factory, setup, now=now)
    sent = 0
    queue = list(rows)
    while queue and not stopping():
        row = queue.pop(0)
        delivered, notices = await _deliver(session_factory, sender, setup, row, now=now, worker=worker)
        sent += delivered
        queue.extend(notices)
    return sent


def _resolve_chat(
    session: Session, setup: EngineSetup, row: OutboxMessage
) -> tuple[int | None, str | None, Member | None]:
    """The chat to send ``row`` to, or why it cannot be sent (and whether that is final)."""
    if row.recipient in (SUPERIOR, BRANCH_CHAT):
        chat_id = row.chat_id if row.chat_id is not None else setup.special_chat(row.recipient)
        return chat_id, None if chat_id is not None else "final: no chat configured", None
    member = member_by_name(session, row.recipient)
    if member is None or not member.active:
        return None, "final: not an active member", member
    if member.unreachable and outbox.rebound_since_unreachable(session, member):
        # A fresh invite redeemed since: the account works again (the secretary's fix).
        member.unreachable = False
        log.info("outbox: %s bound again; sending to them again", member.name)
    if member.unreachable:
        return None, "final: member is unreachable (blocked the bot)", member
    if member.telegram_id is None:
        return None, "waiting: member has not bound a Telegram account", member
    return member.telegram_id, None, member


async def _deliver(session_factory, sender: Sender, setup: EngineSetup, row: OutboxMessage, *, now, worker):
    with session_factory() as session:
        chat_id, problem, member = _resolve_chat(session, setup, row)
        if problem is not None:
            if problem.startswith("final"):
                outbox.fail_unclaimed(session, row.id, error=problem)
                log.warning("outbox: %s not sent (%s)", row.key, problem)
            else:
                outbox.note(session, row.id, error=problem)
            return 0, []
        if not outbox.claim(session, row.id, worker=worker, now=now):
            return 0, []  # another sender won the claim
    markup = keyboard(row.kind, row.level, row.obligation_key, member is not None)
    try:
        delivery = await sender.send(chat_id, row.text or "", markup)
    except Exception as error:  # not a Telegram answer: we cannot know whether it arrived
        delivery = Delivery(Outcome.UNCERTAIN, chat_id, error=f"{type(error).__name__}: {error}")
        log.exception("outbox: sending %s failed unexpectedly", row.key)
    notices: list[OutboxMessage] = []
    with session_factory() as session:
        if delivery.migrated_from is not None:
            setup.migrated[delivery.migrated_from] = delivery.chat_id
            outbox.retarget_chat(session, old_chat_id=delivery.migrated_from, new_chat_id=delivery.chat_id)
            log.warning("outbox: chat %s is now %s — update the config", delivery.migrated_from, delivery.chat_id)
        if delivery.outcome is Outcome.SENT:
            outbox.mark_sent(
                session,
                row.id,
                worker=worker,
                telegram_message_id=delivery.message_id,
                chat_id=delivery.chat_id,
                now=now,
            )
            return 1, []
        if delivery.outcome is Outcome.UNCERTAIN:
            outbox.mark_uncertain(session, row.id, worker=worker, error=delivery.error)
            log.warning("outbox: %s may or may not have arrived (%s); not resent", row.key, delivery.error)
        elif delivery.outcome is Outcome.RETRY_LATER:
            outbox.release(session, row.id, worker=worker, error=delivery.error)
            log.warning("outbox: %s still pending after retries (%s)", row.key, delivery.error)
        else:
            unreachable = delivery.outcome is Outcome.UNREACHABLE
            outbox.mark_failed(session, row.id, worker=worker, error=delivery.error, unreachable=unreachable)
            log.warning("outbox: %s failed for good (%s)", row.key, delivery.error)
            if unreachable and member is not None:
                notices = _report_unreachable(session, setup, member, now=now)
    return 0, notices


def _report_unreachable(session: Session, setup: EngineSetup, member: Member, *, now: datetime) -> list[OutboxMessage]:
    """Mark the member unreachable and queue one note to each secretary."""
    stored = session.get(Member, member.id)
    stored.unreachable = True
    day = now.astimezone(setup.settings.zone).date().isoformat()
    secretaries = [m.name for m in setup.ruleset.roster.with_role(Role.SECRETARY) if m.name != member.name]
    notes = [
        outbox.NewMessage(
            key=f"unreachable:{member.name}:{day}|{outbox.NOTICE_KIND}|-|{name}",
            kind=outbox.NOTICE_KIND,
            recipient=name,
            due_at=now,
            text=texts.engine_unreachable(member.name),
        )
        for name in secretaries
    ]
    outbox.enqueue(session, notes, now=now)
    session.flush()
    keys = {n.key for n in notes}
    return [row for row in outbox.pending(session) if row.key in keys]


# -- in the running bot ------------------------------------------------------------------

_RUNTIMES: dict[int, EngineRuntime] = {}


class EngineRuntime:
    """The scheduler of one running application."""

    def __init__(self, application, context, *, lock=None, sender: Sender | None = None) -> None:
        self.application = application
        self.context = context
        self.setup = EngineSetup.from_config(context.config)
        self.lock = lock or lease_module.make_lock(context.engine)
        self.sender = sender or TelegramSender(application.bot)
        self.active = False
        self._standby_announced = False
        self._stopping = False
        self._running: set[asyncio.Task] = set()
        self.scheduler = AsyncIOScheduler(timezone=context.zone)
        self._tick_lock = asyncio.Lock()

    @property
    def worker(self) -> str:
        return self.lock.holder

    async def start(self) -> None:
        runs = logging.getLogger("apscheduler.executors.default")
        if runs.level == logging.NOTSET:
            # APScheduler logs every run of every job at INFO (the lease job: every
            # 20 s); our own lines say what matters. Failures still show (WARNING+).
            runs.setLevel(logging.WARNING)
        common = {"coalesce": True, "misfire_grace_time": None, "max_instances": 1, "replace_existing": True}
        send_time = self.setup.settings.send_time
        self.scheduler.add_job(
            self.tick,
            CronTrigger(hour=send_time.hour, minute=send_time.minute, timezone=self.context.zone),
            id="zhibu.send_time",
            **common,
        )
        sweep = IntervalTrigger(seconds=SWEEP_INTERVAL.total_seconds())
        self.scheduler.add_job(self.tick, sweep, id="zhibu.sweep", **common)
        self.scheduler.add_job(
            self.renew_lease, IntervalTrigger(seconds=LEASE_INTERVAL.total_seconds()), id="zhibu.lease", **common
        )
        self.scheduler.start()
        await self.renew_lease()

    async def renew_lease(self) -> None:
        async with self._tracked():
            if not self._stopping:
                await self._renew_lease()

    async def _renew_lease(self) -> None:
        now = self.context.clock.now()
        try:
            held = await asyncio.to_thread(self.lock.try_acquire, now)
        except Exception:  # the database is away: send nothing until it is back
            log.exception("scheduler: cannot reach the database to renew the lock")
            held = False
        if held and not self.active:
            self.active = True
            self._standby_announced = False
            log.info("scheduler: active — this instance (%s) sends reminders for this database", self.worker)
            with self.context.session() as session:
                outbox.settle_stale_claims(session, worker=self.worker)
            self.wake()
        elif not held and self.active:
            self.active = False
            log.error("scheduler: lost the scheduler lock; standing by, sending nothing")
        elif not held and not self._standby_announced:
            self._standby_announced = True
            holder = await asyncio.to_thread(self.lock.current_holder, now)
            log.warning(
                "scheduler: standby — another instance (%s) is the active scheduler for this database; "
                "this one answers chat and sends no reminders until it takes over",
                holder or "unknown",
            )

    def wake(self) -> None:
        """Run a tick now (coalescing a burst of events into one)."""
        if self.scheduler.running:
            self.scheduler.add_job(self.tick, id="zhibu.wake", replace_existing=True, misfire_grace_time=None)

    async def tick(self) -> int:
        """One pass of :func:`send_due` at the clock's now, if this instance is active."""
        async with self._tracked(), self._tick_lock:
            if not self.active or self._stopping:
                return 0
            try:
                return await send_due(
                    self.context.session,
                    self.sender,
                    self.setup,
                    now=self.context.clock.now(),
                    worker=self.worker,
                    stopping=lambda: self._stopping,
                )
            except Exception:
                log.exception("scheduler: the tick failed; the next one retries")
                return 0

    @asynccontextmanager
    async def _tracked(self):
        """Remember the running job, so that stopping can let it finish instead of cancelling it."""
        task = asyncio.current_task()
        self._running.add(task)
        try:
            yield
        finally:
            self._running.discard(task)

    async def stop(self) -> None:
        """Let a running tick finish its current message, then stop the jobs and let go of the lock."""
        self._stopping = True
        if self.scheduler.running:
            self.scheduler.pause()  # no new runs
        for _ in range(2):  # runs already handed to the loop take their first step (and register)
            await asyncio.sleep(0)
        running = {task for task in self._running if task is not asyncio.current_task()}
        if running:
            await asyncio.wait(running, timeout=STOP_GRACE.total_seconds())
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        async with self._tick_lock:
            if self.active:
                await asyncio.to_thread(self.lock.release)
                self.active = False


async def start(application, context) -> None:
    """Start the engine of ``application`` (from ``post_init``)."""
    runtime = EngineRuntime(application, context)
    _RUNTIMES[id(application)] = runtime
    await runtime.start()


async def stop(application) -> None:
    """Stop it (from ``post_shutdown``): jobs end, the lock is released."""
    runtime = _RUNTIMES.pop(id(application), None)
    if runtime is not None:
        await runtime.stop()


def runtime_of(application) -> EngineRuntime | None:
    return _RUNTIMES.get(id(application))


def wake(application) -> None:
    """Ask for a tick soon (after a planned date, a snooze, a record)."""
    runtime = runtime_of(application)
    if runtime is not None:
        runtime.wake()


async def tick_now(application) -> int:
    """Run one tick and wait for it (tests, and anything that must see the result)."""
    runtime = runtime_of(application)
    return await runtime.tick() if runtime is not None else 0


async def on_record_saved(application, record_id: int) -> None:
    """A record stops reminders, may end an escalation (no further level; the chat
    itself tells the secretary) and may open the 组织生活会: the next tick computes it."""
    log.info("scheduler: record %s saved; waking the engine", record_id)
    wake(application)
