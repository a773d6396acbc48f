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


def parse_day(text: str, today: date) -> date:
    """The day ``text`` names (今天, 昨天, 2026-03-28, 3月28日); raises DateRejected(UNREADABLE)."""
    text = (text or "").strip().replace("　", " ")
    if not text or len(text) > _MAX_LENGTH:
        raise DateRejected(DateProblem.UNREADABLE)
    if text in _RELATIVE:
        return today - timedelta(days=_RELATIVE[text])
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _CHINESE.match(text)
        if not match:
            raise DateRejected(DateProblem.UNREADABLE)
        year = int(match.group(1)) if match.group(1) else today.year
        month, day = int(match.group(2)), int(match.group(3))
        if not match.group(1):
            # "12月30日" typed on 2 January means last year's December.
            try:
                if date(year, month, day) > today:
                    year -= 1
            except ValueError:
                raise DateRejected(DateProblem.UNREADABLE) from None
    try:
        return date(year, month, day)
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
    """Parse and check in one step."""
    return check_held_on(parse_day(text, today), today, max_backdate_days)
