"""Which days are workdays: the official Chinese calendar with 调休, plus config.

Official data comes from the ``chinesecalendar`` package (holidays and make-up
workdays as published by the State Council). For a year it does not cover, the
calendar falls back to Monday–Friday; ``[calendar] holidays / workdays`` from the
config are applied on top in every year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

import chinese_calendar
from chinese_calendar import constants as _official

_OFFICIAL_YEARS = frozenset(d.year for d in _official.holidays) | frozenset(d.year for d in _official.workdays)
_ONE_DAY = timedelta(days=1)
# Bounds the search for a workday; no real calendar has a month without one.
_MAX_SCAN_DAYS = 60


@dataclass(frozen=True)
class WorkdayCalendar:
    extra_holidays: frozenset[date] = field(default_factory=frozenset)
    extra_workdays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def from_config(cls, holidays: Iterable[date] = (), workdays: Iterable[date] = ()) -> WorkdayCalendar:
        return cls(frozenset(holidays), frozenset(workdays))

    @staticmethod
    def has_official_data(year: int) -> bool:
        return year in _OFFICIAL_YEARS and min(_OFFICIAL_YEARS) <= year <= max(_OFFICIAL_YEARS)

    def years_without_official_data(self, years: Iterable[int]) -> list[int]:
        return [year for year in years if not self.has_official_data(year)]

    def is_workday(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        if self.has_official_data(day.year):
            return _official_workday(day)
        return day.weekday() < 5

    def holiday_name(self, day: date) -> str | None:
        """The official holiday's English name (``Spring Festival``), if ``day`` is one."""
        if not self.has_official_data(day.year):
            return None
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        return name if on_holiday else None

    def workday_on_or_after(self, day: date) -> date:
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_workday(day):
                return day
            day += _ONE_DAY
        raise ValueError(f"no workday within {_MAX_SCAN_DAYS} days after {day}")

    def workday_on_or_before(self, day: date) -> date:
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_workday(day):
                return day
            day -= _ONE_DAY
        raise ValueError(f"no workday within {_MAX_SCAN_DAYS} days before {day}")

    def workday_after(self, day: date) -> date:
        """The first workday strictly after ``day``."""
        return self.workday_on_or_after(day + _ONE_DAY)

    def workday_before(self, day: date) -> date:
        """The last workday strictly before ``day``."""
        return self.workday_on_or_before(day - _ONE_DAY)

    def workdays_after(self, day: date, count: int) -> date:
        """The ``count``-th workday after ``day`` (``count`` ≥ 1)."""
        for _ in range(count):
            day = self.workday_after(day)
        return day


@cache
def _official_workday(day: date) -> bool:
    # chinese_calendar validates its whole table on every call; the answer for a
    # day never changes within a process, and status/simulate ask millions of times.
    return chinese_calendar.is_workday(day)

