"""Reading the day a meeting was held from what a person types or taps."""

from __future__ import annotations

import re
from datetime import date, timedelta
from enum import StrEnum

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
_CHINESE = re.compile(r"^(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_RELATIVE = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2}
# Longer input is not a date; refuse before any regex work.
_MAX_LENGTH = 20


class DateProblem(StrEnum):
    UNREADABLE = "unreadable"
    FUTURE = "future"
    TOO_OLD = "too_old"


class DateRejected(ValueError):
    def __init__(self, problem: DateProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def parse_day(text: str, today: date) -> tuple[date, bool]:
    """The day ``text`` names (今天, 昨天, 2026-03-28, 3月28日) and whether it gave a year.

    Without a year the day is taken in ``today``'s year. Raises DateRejected(UNREADABLE).
    """
    text = (text or "").strip().replace("\u3000", " ")
    if not text or len(text) > _MAX_LENGTH:
        raise DateRejected(DateProblem.UNREADABLE)
    if text in _RELATIVE:
        return today - timedelta(days=_RELATIVE[text]), True
    match = _ISO.match(text) or _CHINESE.match(text)
    if not match:
        raise DateRejected(DateProblem.UNREADABLE)
    year_text, month, day = match.group(1), int(match.group(2)), int(match.group(3))
    try:
        return date(int(year_text) if year_text else today.year, month, day), bool(year_text)
    except ValueError:
        raise DateRejected(DateProblem.UNREADABLE) from None


def check_held_on(day: date, today: date, max_backdate_days: int) -> date:
    """``day`` if a meeting may be logged as held then; raises DateRejected otherwise."""
    if day > today:
        raise DateRejected(DateProblem.FUTURE)
    if (today - day).days > max_backdate_days:
        raise DateRejected(DateProblem.TOO_OLD)
    return day


def parse_held_on(text: str, today: date, max_backdate_days: int) -> date:
    """Parse and check in one step. A day typed without a year that is still ahead this
    year means last year's (``12月30日`` typed on 2 January), if that may be logged."""
    day, year_given = parse_day(text, today)
    if day > today and not year_given:
        try:
            last_year = day.replace(year=day.year - 1)
        except ValueError:
            last_year = None  # 2月29日 with no such day last year: report it as a future day
        if last_year is not None:
            # Last year's is the only day it can mean; if that is too old, say so (the
            # backdate limit), not that the day is ahead.
            return check_held_on(last_year, today, max_backdate_days)
    return check_held_on(day, today, max_backdate_days)
