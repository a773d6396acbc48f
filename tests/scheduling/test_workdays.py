"""Workdays: the official calendar with 调休, and Monday–Friday plus [calendar] for a
year without official data."""

from datetime import date

import pytest

from scheduling.workdays import WorkdayCalendar

OFFICIAL = WorkdayCalendar()


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        pytest.param(date(2026, 2, 13), True, id="friday-before-spring-festival"),
        pytest.param(date(2026, 2, 14), True, id="make-up-saturday-feb-14"),
        pytest.param(date(2026, 2, 15), False, id="spring-festival-first-day"),
        pytest.param(date(2026, 2, 16), False, id="spring-festival-monday"),
        pytest.param(date(2026, 2, 23), False, id="spring-festival-last-day"),
        pytest.param(date(2026, 2, 24), True, id="back-to-work-feb-24"),
        pytest.param(date(2026, 2, 28), True, id="make-up-saturday-feb-28"),
        pytest.param(date(2026, 1, 4), True, id="make-up-sunday-after-new-year"),
        pytest.param(date(2026, 9, 20), True, id="make-up-sunday-before-national-day"),
        pytest.param(date(2026, 9, 25), False, id="mid-autumn-friday"),
        pytest.param(date(2026, 10, 1), False, id="national-day"),
        pytest.param(date(2026, 10, 7), False, id="national-day-last-day"),
        pytest.param(date(2026, 10, 8), True, id="after-national-day"),
        pytest.param(date(2026, 10, 10), True, id="make-up-saturday-oct-10"),
        pytest.param(date(2026, 10, 11), False, id="ordinary-sunday"),
        pytest.param(date(2027, 1, 1), True, id="no-data-2027-friday-is-a-workday"),
        pytest.param(date(2027, 1, 2), False, id="no-data-2027-saturday"),
        pytest.param(date(2028, 2, 29), True, id="no-data-leap-day-tuesday"),
    ],
)
def test_official_calendar_and_fallback(day, workday):
    assert OFFICIAL.is_workday(day) is workday


def test_official_data_covers_2026_but_not_2027_or_2028():
    assert OFFICIAL.has_official_data(2026)
    assert OFFICIAL.years_without_official_data([2026, 2027, 2028]) == [2027, 2028]


def test_config_overrides_apply_in_a_year_without_official_data():
    calendar = WorkdayCalendar.from_config(holidays=[date(2027, 1, 1)], workdays=[date(2027, 2, 20)])
    assert not calendar.is_workday(date(2027, 1, 1))
    assert calendar.is_workday(date(2027, 2, 20))  # a Saturday made a workday
    assert calendar.workday_on_or_after(date(2027, 1, 1)) == date(2027, 1, 4)


def test_config_overrides_win_over_official_data():
    calendar = WorkdayCalendar.from_config(holidays=[date(2026, 3, 2)], workdays=[date(2026, 10, 2)])
    assert not calendar.is_workday(date(2026, 3, 2))
    assert calendar.is_workday(date(2026, 10, 2))


@pytest.mark.parametrize(
    ("day", "before", "after"),
    [
        pytest.param(date(2026, 2, 21), date(2026, 2, 14), date(2026, 2, 24), id="inside-spring-festival"),
        pytest.param(date(2026, 10, 4), date(2026, 9, 30), date(2026, 10, 8), id="inside-national-day"),
        pytest.param(date(2026, 10, 11), date(2026, 10, 10), date(2026, 10, 12), id="sunday-after-make-up-saturday"),
    ],
)
def test_nearest_workdays_skip_holidays(day, before, after):
    assert OFFICIAL.workday_on_or_before(day) == before
    assert OFFICIAL.workday_on_or_after(day) == after


def test_holiday_names_come_from_the_official_data():
    assert OFFICIAL.holiday_name(date(2026, 2, 17)) == "Spring Festival"
    assert OFFICIAL.holiday_name(date(2026, 2, 14)) is None
    assert OFFICIAL.holiday_name(date(2027, 1, 1)) is None
