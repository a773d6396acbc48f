"""Calendar periods (month, quarter, year) and which one a day falls in.

A period is identified by a stable key: ``2027-03``, ``2027-Q1`` or ``2027``; the
key appears in config-free places such as JSON output, the outbox and the database.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class Period:
    """One calendar month, quarter or year. ``index`` is the month (1–12), the
    quarter (1–4) or 1 for a year."""

    year: int
    kind: PeriodKind
    index: int = 1

    @property
    def key(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.year:04d}-{self.index:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year:04d}-Q{self.index}"
        return f"{self.year:04d}"

    @property
    def start(self) -> date:
        return date(self.year, self._first_month, 1)

    @property
    def end(self) -> date:
        """The last day of the period, which is also its deadline."""
        last_month = self._first_month + self._months - 1
        last_day = _stdlib_calendar.monthrange(self.year, last_month)[1]
        return date(self.year, last_month, last_day)

    @property
    def deadline(self) -> date:
        return self.end

    @property
    def _first_month(self) -> int:
        if self.kind is PeriodKind.MONTH:
            return self.index
        if self.kind is PeriodKind.QUARTER:
            return 3 * (self.index - 1) + 1
        return 1

    @property
    def _months(self) -> int:
        return {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[self.kind]

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> Period:
        return period_of(self.kind, date.fromordinal(self.end.toordinal() + 1))

    def previous(self) -> Period:
        return period_of(self.kind, date.fromordinal(self.start.toordinal() - 1))

    def __str__(self) -> str:
        return self.key


def period_of(kind: PeriodKind | str, day: date) -> Period:
    """The period of ``kind`` that contains ``day``."""
    kind = PeriodKind(kind)
    if kind is PeriodKind.MONTH:
        return Period(day.year, kind, day.month)
    if kind is PeriodKind.QUARTER:
        return Period(day.year, kind, (day.month - 1) // 3 + 1)
    return Period(day.year, kind, 1)


def periods_in_year(kind: PeriodKind | str, year: int) -> list[Period]:
    kind = PeriodKind(kind)
    count = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.YEAR: 1}[kind]
    return [Period(year, kind, i) for i in range(1, count + 1)]


_KEY_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{2})$"), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})-Q([1-4])$"), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
)


def parse_period_key(key: str) -> Period:
    """Inverse of :attr:`Period.key`; raises ``ValueError`` on anything else."""
    for pattern, kind in _KEY_PATTERNS:
        match = pattern.match(key)
        if match:
            year = int(match.group(1))
            index = int(match.group(2)) if kind is not PeriodKind.YEAR else 1
            if kind is PeriodKind.MONTH and not 1 <= index <= 12:
                break
            return Period(year, kind, index)
    raise ValueError(f"not a period key: {key!r}")
