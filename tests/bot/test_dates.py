"""Reading the day a meeting was held."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dates import DateProblem, DateRejected, parse_held_on

TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        pytest.param("今天", TODAY, date(2026, 3, 2), id="today"),
        pytest.param("昨天", TODAY, date(2026, 3, 1), id="yesterday"),
        pytest.param("2026-02-28", TODAY, date(2026, 2, 28), id="iso"),
        pytest.param("2026/2/8", TODAY, date(2026, 2, 8), id="iso-slashes-short"),
        pytest.param(" 2月8日 ", TODAY, date(2026, 2, 8), id="chinese-with-spaces"),
        pytest.param("2月8号", TODAY, date(2026, 2, 8), id="chinese-hao"),
        pytest.param("2026年2月8日", TODAY, date(2026, 2, 8), id="chinese-with-year"),
        pytest.param("12月30日", date(2027, 1, 2), date(2026, 12, 30), id="december-typed-in-january"),
        pytest.param("2月29日", date(2028, 3, 1), date(2028, 2, 29), id="leap-day"),
    ],
)
def test_it_reads_the_days_people_type(text, today, expected):
    assert parse_held_on(text, today, 120) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param("", DateProblem.UNREADABLE, id="empty"),
        pytest.param("明年", DateProblem.UNREADABLE, id="word"),
        pytest.param("2026-02-30", DateProblem.UNREADABLE, id="no-such-day"),
        pytest.param("2月29日", DateProblem.UNREADABLE, id="no-leap-day-in-2026"),
        pytest.param("13月1日", DateProblem.UNREADABLE, id="month-13"),
        pytest.param("1" * 1000, DateProblem.UNREADABLE, id="overlong"),
        pytest.param("2026-03-03", DateProblem.FUTURE, id="tomorrow"),
        pytest.param("3月9日", DateProblem.TOO_OLD, id="later-this-month-without-year-and-last-years-too-old"),
        pytest.param("2026年3月9日", DateProblem.FUTURE, id="later-this-month-with-year"),
        pytest.param("2025-11-01", DateProblem.TOO_OLD, id="beyond-backdate"),
    ],
)
def test_it_refuses_what_cannot_be_a_day_held(text, problem):
    with pytest.raises(DateRejected) as refused:
        parse_held_on(text, TODAY, 120)
    assert refused.value.problem is problem


def test_the_backdate_limit_is_inclusive():
    assert parse_held_on("2025-11-02", TODAY, 120) == date(2025, 11, 2)
