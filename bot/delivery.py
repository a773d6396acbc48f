"""Sending one outbox message to Telegram: error classification, retries, rate limits.

Every Telegram error is classified once, by :func:`classify`; :class:`TelegramSender`
acts on the class and reports one :class:`Delivery` outcome that the scheduler
records in the outbox. Waiting goes through an injected ``sleep`` and the rate
limiter through an injected ``monotonic`` clock, so tests never sleep.
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import httpx
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from telegram.warnings import PTBDeprecationWarning

from bot import texts
from scheduling.engine import BRANCH_CHAT, Kind, PlannedMessage, Variant
from scheduling.rules import Ruleset

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
CALLBACK_DATA_LIMIT = 64  # bytes, Bot API


# -- classification ------------------------------------------------------------------


class ErrorClass(StrEnum):
    WAIT = "wait"  # 429: wait retry_after, then try again
    TRANSIENT = "transient"  # certainly not delivered (5xx, no connection): back off, retry
    UNCERTAIN = "uncertain"  # the request may have reached Telegram: never resend
    MIGRATE = "migrate"  # the group became a supergroup: resend to the new id
    UNREACHABLE = "unreachable"  # blocked / chat not found: the person cannot be reached
    PERMANENT = "permanent"  # any other refusal of this message: resending cannot help


@dataclass(frozen=True)
class Classified:
    kind: ErrorClass
    reason: str
    retry_after: float | None = None
    new_chat_id: int | None = None


# httpx errors raised before a byte of the request left this machine.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def classify(error: BaseException) -> Classified:
    """What an error from ``send_message`` means for the message (the one place that decides)."""
    reason = f"{type(error).__name__}: {error}"
    if isinstance(error, RetryAfter):
        with warnings.catch_warnings():
            # PTB 22 warns that retry_after will become a timedelta; accept both.
            warnings.simplefilter("ignore", PTBDeprecationWarning)
            seconds = error.retry_after
        seconds = seconds.total_seconds() if hasattr(seconds, "total_seconds") else float(seconds)
        return Classified(ErrorClass.WAIT, reason, retry_after=seconds)
    if isinstance(error, ChatMigrated):
        return Classified(ErrorClass.MIGRATE, reason, new_chat_id=int(error.new_chat_id))
    if isinstance(error, Forbidden):
        return Classified(ErrorClass.UNREACHABLE, reason)
    if isinstance(error, BadRequest):
        lowered = str(error).lower()
        if "chat not found" in lowered or "user is deactivated" in lowered or "peer_id_invalid" in lowered:
            return Classified(ErrorClass.UNREACHABLE, reason)
        return Classified(ErrorClass.PERMANENT, reason)
    if isinstance(error, InvalidToken | Conflict):
        # Nothing is wrong with the message: keep it pending until the operator fixes the bot.
        return Classified(ErrorClass.TRANSIENT, reason)
    if isinstance(error, TimedOut | NetworkError):
        cause = error.__cause__
        if cause is None and not isinstance(error, TimedOut):
            return Classified(ErrorClass.TRANSIENT, reason)  # Telegram answered 5xx
        if isinstance(cause, _NOT_SENT) or "Pool timeout" in str(error):
            return Classified(ErrorClass.TRANSIENT, reason)
        # A read timeout or a connection lost mid-answer: Telegram may have accepted it.
        return Classified(ErrorClass.UNCERTAIN, reason)
    if isinstance(error, TelegramError):
        return Classified(ErrorClass.PERMANENT, reason)
    return Classified(ErrorClass.UNCERTAIN, reason)


# -- rate limits -----------------------------------------------------------------------


# The overall window is counted when a message leaves; Telegram counts when it
# arrives, and network jitter of a few milliseconds then bunches 31 arrivals into one
# of its seconds (a 429 and a one-second stall). A window 20 ms longer absorbs that
# jitter while still allowing 30/1.02 = 29.4 messages/s (5 % capped it at 28.6/s).
WINDOW_MARGIN = 1.02


class SendRateLimiter:
    """Sliding windows: 30 messages/s overall, 1/s per chat, 20/min per group chat.

    python-telegram-bot's AIORateLimiter limits overall and per group only; the
    per-chat second is what keeps a burst to one person from drawing 429s.
    """

    def __init__(
        self,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        overall: tuple[int, float] = (30, 1.0 * WINDOW_MARGIN),
        per_chat: tuple[int, float] = (1, 1.0),
        per_group: tuple[int, float] = (20, 60.0),
    ) -> None:
        self.monotonic = monotonic
        self.sleep = sleep
        self.limits = {"overall": overall, "chat": per_chat, "group": per_group}
        self._sent: dict[tuple[str, int | None], deque[float]] = {}
        self._lock = asyncio.Lock()

    def _windows(self, chat_id: int) -> list[tuple[tuple[str, int | None], tuple[int, float]]]:
        windows = [(("overall", None), self.limits["overall"]), (("chat", chat_id), self.limits["chat"])]
        if chat_id < 0:  # groups and supergroups have negative ids
            windows.append((("group", chat_id), self.limits["group"]))
        return windows

    def _wait(self, chat_id: int, now: float) -> float:
        wait = 0.0
        for key, (count, seconds) in self._windows(chat_id):
            sent = self._sent.setdefault(key, deque())
            while sent and sent[0] <= now - seconds:
                sent.popleft()
            if len(sent) >= count:
                # A microsecond past the window's end: a sum of float waits may land a
                # hair before it, which Telegram would count inside the window.
                wait = max(wait, sent[0] + seconds - now + 1e-6)
        return wait

    async def acquire(self, chat_id: int) -> None:
        """Return when one more message to ``chat_id`` stays within every limit."""
        async with self._lock:
            while True:
                now = self.monotonic()
                wait = self._wait(chat_id, now)
                if wait <= 0:
                    for key, _limit in self._windows(chat_id):
                        self._sent[key].append(now)
                    return
                await self.sleep(wait)


# -- sending -------------------------------------------------------------------------


class Outcome(StrEnum):
    SENT = "sent"
    UNCERTAIN = "uncertain"
    UNREACHABLE = "unreachable"
    FAILED = "failed"
    RETRY_LATER = "retry_later"


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    chat_id: int  # where it went (after a migration, the new id)
    message_id: int | None = None
    error: str | None = None
    migrated_from: int | None = None


class TelegramSender:
    """Sends one message, following 429 waits and migrations and backing off on
    transient errors up to ``max_attempts``; then reports :class:`Outcome`."""

    def __init__(
        self,
        bot,
        *,
        limiter: SendRateLimiter | None = None,
        sleep: Sleep = asyncio.sleep,
        max_attempts: int = 4,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        max_wait: float = 600.0,
    ) -> None:
        self.bot = bot
        self.sleep = sleep
        self.limiter = limiter or SendRateLimiter(sleep=sleep)
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_wait = max_wait

    async def send(self, chat_id: int, text: str, reply_markup: InlineKeyboardMarkup | None = None) -> Delivery:
        migrated_from = None
        failures = 0
        waits = 0
        while True:
            await self.limiter.acquire(chat_id)
            try:
                message = await self.bot.send_message(chat_id=chat_id, text=text, reply_markup=reply_markup)
            except TelegramError as error:
                verdict = classify(error)
            else:
                return Delivery(Outcome.SENT, chat_id, message.message_id, migrated_from=migrated_from)
            if verdict.kind is ErrorClass.WAIT and waits < self.max_attempts and verdict.retry_after <= self.max_wait:
                waits += 1
                log.warning("telegram: 429, waiting %.0f s as asked", verdict.retry_after)
                await self.sleep(verdict.retry_after)
                continue
            if verdict.kind is ErrorClass.MIGRATE and migrated_from is None:
                log.warning("telegram: chat %s moved to %s; following", chat_id, verdict.new_chat_id)
                migrated_from, chat_id = chat_id, verdict.new_chat_id
                continue
            if verdict.kind in (ErrorClass.TRANSIENT, ErrorClass.WAIT):
                failures += 1
                if failures >= self.max_attempts or verdict.kind is ErrorClass.WAIT:
                    return Delivery(Outcome.RETRY_LATER, chat_id, error=verdict.reason, migrated_from=migrated_from)
                await self.sleep(min(self.backoff * 2 ** (failures - 1), self.max_backoff))
                continue
            outcome = {
                ErrorClass.UNCERTAIN: Outcome.UNCERTAIN,
                ErrorClass.UNREACHABLE: Outcome.UNREACHABLE,
            }.get(verdict.kind, Outcome.FAILED)
            return Delivery(outcome, chat_id, error=verdict.reason, migrated_from=migrated_from)


# -- buttons ---------------------------------------------------------------------------


def callback_data(action: str, obligation_key: str) -> str | None:
    """``action:obligation_key`` when it fits Telegram's 64 bytes, else None."""
    data = f"{action}:{obligation_key}"
    return data if len(data.encode()) <= CALLBACK_DATA_LIMIT else None


def keyboard(
    kind: str, level: int | None, obligation_key: str | None, recipient_is_member: bool
) -> InlineKeyboardMarkup | None:
    """登记会议 / 已定日期 / 稍后提醒 on a reminder; the first two on a level-1 escalation."""
    if obligation_key is None or not recipient_is_member:
        return None
    if kind == "reminder":
        wanted = [
            ("log", texts.ENGINE_BUTTON_LOG),
            ("plan", texts.ENGINE_BUTTON_PLAN),
            ("snooze", texts.ENGINE_BUTTON_SNOOZE),
        ]
    elif kind == "escalation" and level == 1:
        wanted = [("log", texts.ENGINE_BUTTON_LOG), ("plan", texts.ENGINE_BUTTON_PLAN)]
    else:
        return None
    buttons = []
    for action, label in wanted:
        data = callback_data(action, obligation_key)
        if data is not None:
            buttons.append(InlineKeyboardButton(label, callback_data=data))
    return InlineKeyboardMarkup([buttons]) if buttons else None


# -- the text -------------------------------------------------------------------------


def _what(ruleset: Ruleset, message: PlannedMessage) -> str:
    obligation = message.obligation
    return obligation_label(ruleset, obligation) if obligation else ""


def obligation_label(ruleset: Ruleset, obligation) -> str:
    name = ruleset.system(obligation.system).name if ruleset.has_system(obligation.system) else obligation.system
    group = None
    if obligation.group:
        try:
            group = ruleset.roster.group(obligation.group).name
        except KeyError:
            group = obligation.group
    return texts.engine_obligation(name, group, texts.period_label(obligation.period.key))


def render(message: PlannedMessage, ruleset: Ruleset, today: date, branch: str = "") -> str:
    """The Chinese text of ``message`` as it goes out on ``today`` (``branch`` names the
    branch where the reader is outside it: the superior contact, the branch chat)."""
    what = _what(ruleset, message)
    ob = message.obligation
    if message.kind is Kind.REMINDER:
        days_left = (ob.deadline - today).days
        return texts.engine_reminder(message.variant.value, what, ob.deadline, days_left, message.planned_on)
    if message.variant is Variant.OVERDUE_NOTICE:
        return texts.engine_overdue_notice(what, ob.deadline, (today - ob.deadline).days)
    if message.kind is Kind.ESCALATION:
        responsible = list(ruleset.responsible_for(ruleset.system(ob.system), ob.group))
        days = (today - ob.deadline).days
        return texts.engine_escalation(message.level or 1, what, ob.deadline, days, responsible, branch)
    if message.kind is Kind.DIGEST:
        monday = today - timedelta(days=today.weekday())
        due = [texts.due_item(obligation_label(ruleset, o), o.deadline) for o in message.due_this_week]
        overdue = [obligation_label(ruleset, o) for o in message.overdue]
        return texts.engine_digest(monday, due, overdue, branch if message.recipient == BRANCH_CHAT else "")
    if message.kind is Kind.ABSENCE_WARNING:
        return texts.engine_absence(message.subject, message.absent_since, ruleset.absence_warning_months)
    return texts.engine_follow_up(what, message.record_id, list(message.missing))
