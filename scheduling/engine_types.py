"""The values the reminder engine deals in (SPEC §4, §6): message kinds and text
variants, settings, what people told it, and the planned message itself. Pure."""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from scheduling.obligations import Obligation
from scheduling.workdays import WorkdayCalendar

SUPERIOR = "superior"
BRANCH_CHAT = "branch_chat"
FOLLOW_UP_WORKDAYS = 2


class Kind(StrEnum):
    """The kinds ``zhibu simulate --format json`` prints (SPEC §6)."""

    REMINDER = "reminder"
    ESCALATION = "escalation"
    DIGEST = "digest"
    ABSENCE_WARNING = "absence_warning"
    FOLLOW_UP = "follow_up"


class Variant(StrEnum):
    """Which text a message gets; several variants share one :class:`Kind`."""

    OPENING = "opening"  # the period's first workday
    OFFSET = "offset"  # N days before the deadline
    PLANNED_EVE = "planned_eve"  # the workday before the planned date
    PLANNED_DAY = "planned_day"  # the planned date itself
    SNOOZE = "snooze"  # 稍后提醒: the next workday
    OVERDUE_NOTICE = "overdue_notice"  # level 1, to the responsible persons
    ESCALATION = "escalation"  # levels 1–3, to secretary / committee / superior
    DIGEST = "digest"
    ABSENCE = "absence"
    FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class MemoCalendar(WorkdayCalendar):
    """The same calendar, remembering each day's answer: a simulated year asks
    about the same days thousands of times, and each official lookup is slow."""

    _memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def of(cls, calendar: WorkdayCalendar) -> WorkdayCalendar:
        if isinstance(calendar, MemoCalendar) or type(calendar) is not WorkdayCalendar:
            return calendar
        return cls(calendar.extra_holidays, calendar.extra_workdays)

    def is_workday(self, day: date) -> bool:
        answer = self._memo.get(day)
        if answer is None:
            answer = self._memo[day] = super().is_workday(day)
        return answer


def memoized(calendar: WorkdayCalendar) -> WorkdayCalendar:
    """``calendar``, remembering each day's answer (for callers that step many moments)."""
    return MemoCalendar.of(calendar)


@dataclass(frozen=True)
class EngineSettings:
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    send_time: time = time(9, 0)
    superior_configured: bool = False
    branch_chat_configured: bool = False


@dataclass(frozen=True)
class ObligationPlan:
    """What a responsible person said about an obligation (table obligation_state)."""

    planned_on: date | None = None
    snoozed_until: date | None = None
    told_at: datetime | None = None  # when the person last told the engine (aware)


@dataclass(frozen=True)
class DeferredRecord:
    """A record whose minutes or photos were deferred (稍后补充) and are still missing."""

    record_id: int
    system: str
    group: str | None
    held_on: date
    logged_at: datetime
    logged_by: str | None
    minutes: bool
    photos: bool


@dataclass(frozen=True)
class PlannedMessage:
    key: str
    kind: Kind
    variant: Variant
    at: datetime  # the scheduled moment, aware: always a workday's send moment
    recipient: str  # a member's name, SUPERIOR or BRANCH_CHAT
    level: int | None = None
    obligation: Obligation | None = None
    planned_on: date | None = None
    record_id: int | None = None
    subject: str | None = None  # the member an absence warning names
    absent_since: date | None = None
    due_this_week: tuple[Obligation, ...] = ()
    overdue: tuple[Obligation, ...] = ()
    missing: tuple[str, ...] = ()  # "minutes", "photos" for a follow-up

    @property
    def sort_key(self) -> tuple:
        return (self.at, _KIND_ORDER[self.kind], self.level or 0, self.key)


_KIND_ORDER = {kind: index for index, kind in enumerate(Kind)}


def message_key(subject: str, kind: Kind, level: int | None, recipient: str, day: date | None = None) -> str:
    """``subject|kind|level|recipient[|day]`` — the outbox's uniqueness key."""
    parts = [subject, kind.value, "-" if level is None else str(level), recipient]
    if day is not None:
        parts.append(day.isoformat())
    return "|".join(parts)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _stdlib_calendar.monthrange(year, month)[1]))
