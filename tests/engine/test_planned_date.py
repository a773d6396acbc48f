"""The date typed after 已定日期: same formats as logging, but it must lie ahead."""

from __future__ import annotations

from datetime import date

import pytest

from bot import texts
from bot.handlers.reminder_buttons import BadPlannedDate, parse_planned_date

TODAY = date(2026, 3, 16)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("2026-03-28", date(2026, 3, 28), id="iso"),
        pytest.param("3月28日", date(2026, 3, 28), id="chinese-without-year"),
        pytest.param("3月10日", date(2027, 3, 10), id="passed-this-year-means-next-year"),
        pytest.param("今天", TODAY, id="today"),
    ],
)
def test_a_planned_date_is_read_like_a_held_date(typed, expected):
    assert parse_planned_date(typed, TODAY) == expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        pytest.param("下周", texts.ENGINE_PLAN_UNREADABLE, id="unreadable"),
        pytest.param("2026-02-30", texts.ENGINE_PLAN_UNREADABLE, id="no-such-day"),
        pytest.param("2026-03-01", texts.ENGINE_PLAN_PAST, id="past-with-year"),
        pytest.param("2028-03-01", texts.ENGINE_PLAN_TOO_FAR, id="too-far"),
    ],
)
def test_a_bad_planned_date_says_why(typed, problem):
    with pytest.raises(BadPlannedDate) as caught:
        parse_planned_date(typed, TODAY)
    assert caught.value.text == problem
