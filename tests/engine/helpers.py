"""Shared builders for the engine tests: the example roster, moments in Shanghai,
records, and a pure run of the engine over a span of days."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.config import load_config
from scheduling.engine import EngineSettings, PlannedMessage, ReminderEngine
from scheduling.obligations import SittingRecord
from tests.conftest import EXAMPLE_CONFIG

SHANGHAI = ZoneInfo("Asia/Shanghai")
CONFIG = load_config(EXAMPLE_CONFIG)
RULESET = CONFIG.ruleset()
CALENDAR = CONFIG.workday_calendar()
COMMITTEE = ("常天民", "郭谨瑜", "李会玲", "朱东方")
SECRETARY = "常天民"


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


def sitting(record_id: int, system: str, held_on: date, logged: datetime | None = None, *, group: str | None = None,
            present: tuple[str, ...] = COMMITTEE, covers: tuple[str, ...] = ()) -> SittingRecord:
    return SittingRecord(
        id=record_id,
        system=system,
        covers=frozenset({system, *covers}),
        group=group,
        held_on=held_on,
        logged_at=logged or at(held_on, 18),
        present=frozenset(present),
    )


def engine(*, settings: EngineSettings | None = None, **snapshot) -> ReminderEngine:
    return ReminderEngine(RULESET, CALENDAR, settings or EngineSettings(), **snapshot)


def run(reminder_engine: ReminderEngine, start: date, end: date) -> dict[str, tuple[date, PlannedMessage]]:
    """Step every send moment from ``start`` to ``end``; each key with the day it first came due."""
    first: dict[str, tuple[date, PlannedMessage]] = {}
    for moment in reminder_engine.send_moments(start, end):
        for message in reminder_engine.due(moment):
            first.setdefault(message.key, (moment.astimezone(SHANGHAI).date(), message))
    return first
