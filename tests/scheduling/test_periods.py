"""Months, quarters and years: which period a day falls in, its deadline and its key."""

from datetime import date

import pytest

from scheduling.periods import Period, PeriodKind, parse_period_key, period_of, periods_in_year

MONTH, QUARTER, YEAR = PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR


@pytest.mark.parametrize(
    ("kind", "day", "key", "start", "deadline"),
    [
        pytest.param(MONTH, date(2026, 1, 31), "2026-01", date(2026, 1, 1), date(2026, 1, 31), id="month-end-january"),
        pytest.param(MONTH, date(2026, 2, 1), "2026-02", date(2026, 2, 1), date(2026, 2, 28), id="month-start-february"),
        pytest.param(MONTH, date(2028, 2, 29), "2028-02", date(2028, 2, 1), date(2028, 2, 29), id="leap-day-2028"),
        pytest.param(MONTH, date(2026, 12, 31), "2026-12", date(2026, 12, 1), date(2026, 12, 31), id="month-end-year-end"),
        pytest.param(QUARTER, date(2026, 3, 31), "2026-Q1", date(2026, 1, 1), date(2026, 3, 31), id="quarter-end-q1"),
        pytest.param(QUARTER, date(2026, 4, 1), "2026-Q2", date(2026, 4, 1), date(2026, 6, 30), id="quarter-start-q2"),
        pytest.param(QUARTER, date(2026, 9, 30), "2026-Q3", date(2026, 7, 1), date(2026, 9, 30), id="quarter-end-q3"),
        pytest.param(QUARTER, date(2026, 10, 1), "2026-Q4", date(2026, 10, 1), date(2026, 12, 31), id="quarter-start-q4"),
        pytest.param(YEAR, date(2026, 12, 31), "2026", date(2026, 1, 1), date(2026, 12, 31), id="year-end"),
        pytest.param(YEAR, date(2027, 1, 1), "2027", date(2027, 1, 1), date(2027, 12, 31), id="year-start"),
    ],
)
def test_a_day_belongs_to_the_period_that_contains_it(kind, day, key, start, deadline):
    period = period_of(kind, day)
    assert (period.key, period.start, period.deadline) == (key, start, deadline)
    assert period.contains(day)
    assert parse_period_key(key) == period


@pytest.mark.parametrize(
    ("kind", "count", "first", "last"),
    [
        pytest.param(MONTH, 12, "2028-01", "2028-12", id="months"),
        pytest.param(QUARTER, 4, "2028-Q1", "2028-Q4", id="quarters"),
        pytest.param(YEAR, 1, "2028", "2028", id="year"),
    ],
)
def test_a_year_splits_into_its_periods(kind, count, first, last):
    periods = periods_in_year(kind, 2028)
    assert (len(periods), periods[0].key, periods[-1].key) == (count, first, last)


def test_next_and_previous_cross_the_year_end():
    assert Period(2026, MONTH, 12).next().key == "2027-01"
    assert Period(2027, QUARTER, 1).previous().key == "2026-Q4"


@pytest.mark.parametrize("key", ["", "2026-13", "2026-00", "2026-Q5", "26-01", "2026-1", "2026Q1", "abcd"])
def test_garbage_is_not_a_period_key(key):
    with pytest.raises(ValueError):
        parse_period_key(key)
