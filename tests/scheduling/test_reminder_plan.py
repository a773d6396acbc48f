"""Send days and escalation days of SPEC §4, with exact dates."""

from datetime import date

import pytest

from scheduling.obligations import Obligation, obligations_for_year
from scheduling.periods import PeriodKind, parse_period_key
from scheduling.reminder_plan import escalation_days, opening_day, plan_obligations, send_days
from scheduling.workdays import WorkdayCalendar
from tests.scheduling.builders import OFFICIAL, ruleset

RULES = ruleset()
D = date


def obligation(system: str, period: str, group: str | None = None) -> Obligation:
    return Obligation(system, group, parse_period_key(period))


@pytest.mark.parametrize(
    ("system", "group", "period", "expected"),
    [
        # New Year 1–3 Jan off, Sunday 4 Jan made a workday; 24 Jan is a Saturday.
        pytest.param("committee_meeting", None, "2026-01", [D(2026, 1, 4), D(2026, 1, 23), D(2026, 1, 29)], id="month-new-year-make-up-sunday"),
        # Spring Festival 15–23 Feb: the 7-day reminder (21 Feb) moves back to make-up Saturday 14 Feb.
        pytest.param("group_meeting", "g1", "2026-02", [D(2026, 2, 2), D(2026, 2, 14), D(2026, 2, 26)], id="month-spring-festival"),
        # May Day 1–5 May: the opening notice waits for 6 May.
        pytest.param("committee_meeting", None, "2026-05", [D(2026, 5, 6), D(2026, 5, 22), D(2026, 5, 29)], id="month-may-day"),
        # National Day 1–7 Oct: opening on 8 Oct.
        pytest.param("group_meeting", "g2", "2026-10", [D(2026, 10, 8), D(2026, 10, 23), D(2026, 10, 29)], id="month-national-day"),
        pytest.param("committee_meeting", None, "2026-12", [D(2026, 12, 1), D(2026, 12, 24), D(2026, 12, 29)], id="month-year-end"),
        # Quarter: 14, 5 and 1 days before; Mid-Autumn (25 Sep) moves the 5-day reminder to 24 Sep.
        pytest.param("general_assembly", None, "2026-Q1", [D(2026, 1, 4), D(2026, 3, 17), D(2026, 3, 26), D(2026, 3, 30)], id="quarter-q1"),
        pytest.param("party_lecture", None, "2026-Q3", [D(2026, 7, 1), D(2026, 9, 16), D(2026, 9, 24), D(2026, 9, 29)], id="quarter-mid-autumn"),
        pytest.param("party_lecture", None, "2026-Q4", [D(2026, 10, 8), D(2026, 12, 17), D(2026, 12, 25), D(2026, 12, 30)], id="quarter-q4-national-day"),
        # Year systems with the Q4 window open at the window's first workday.
        pytest.param("democratic_life_meeting", None, "2026", [D(2026, 10, 8), D(2026, 12, 1), D(2026, 12, 21), D(2026, 12, 28)], id="year-window-q4"),
        pytest.param("member_evaluation", None, "2026", [D(2026, 10, 8), D(2026, 12, 1), D(2026, 12, 21), D(2026, 12, 28)], id="year-window-member-evaluation"),
        # 组织生活会 before the 民主生活会 is logged: no opening notice, the 30-day offset first.
        pytest.param("organizational_life_meeting", "g1", "2026", [D(2026, 12, 1), D(2026, 12, 21), D(2026, 12, 28)], id="year-after-not-yet-logged"),
        # 2027 has no official data: Monday–Friday, so New Year's Day (a Friday) counts.
        pytest.param("committee_meeting", None, "2027-01", [D(2027, 1, 1), D(2027, 1, 22), D(2027, 1, 29)], id="no-data-2027-january"),
        # 2028: leap year, no official data; 27 Feb is a Sunday.
        pytest.param("group_meeting", "g1", "2028-02", [D(2028, 2, 1), D(2028, 2, 22), D(2028, 2, 25)], id="leap-february-2028"),
    ],
)
def test_send_days(system, group, period, expected):
    assert send_days(RULES, OFFICIAL, obligation(system, period, group)) == expected


@pytest.mark.parametrize(
    ("logged_on", "expected"),
    [
        pytest.param(D(2026, 3, 5), [D(2026, 3, 6), D(2026, 12, 1), D(2026, 12, 21), D(2026, 12, 28)], id="logged-in-march"),
        pytest.param(D(2026, 12, 10), [D(2026, 12, 11), D(2026, 12, 21), D(2026, 12, 28)], id="logged-after-30-day-offset"),
        pytest.param(D(2026, 12, 22), [D(2026, 12, 23), D(2026, 12, 28)], id="earlier-reminders-merge-into-opening"),
        pytest.param(D(2026, 12, 29), [D(2026, 12, 30)], id="everything-merges"),
        # Logged on 30 Sep, the eve of National Day: opens on the first workday after the holiday.
        pytest.param(D(2026, 9, 30), [D(2026, 10, 8), D(2026, 12, 1), D(2026, 12, 21), D(2026, 12, 28)], id="logged-before-national-day"),
        # The next workday would be past the deadline: no opening notice, the offsets stand.
        pytest.param(D(2026, 12, 31), [D(2026, 12, 1), D(2026, 12, 21), D(2026, 12, 28)], id="logged-on-the-deadline"),
    ],
)
def test_the_organizational_life_meeting_opens_after_the_democratic_life_meeting_is_logged(logged_on, expected):
    ob = obligation("organizational_life_meeting", "2026", "g2")
    assert send_days(RULES, OFFICIAL, ob, prerequisite_logged_on=logged_on) == expected


def test_without_its_prerequisite_logged_there_is_no_opening_notice():
    ob = obligation("organizational_life_meeting", "2026", "g1")
    assert opening_day(RULES, OFFICIAL, ob) is None
    assert opening_day(RULES, OFFICIAL, ob, prerequisite_logged_on=D(2026, 11, 6)) == D(2026, 11, 9)


def test_a_disabled_prerequisite_lets_the_obligation_open_with_its_period():
    rules = ruleset(democratic_life_meeting={"enabled": False})
    ob = obligation("organizational_life_meeting", "2026", "g1")
    assert opening_day(rules, OFFICIAL, ob) == D(2026, 1, 4)


@pytest.mark.parametrize(
    ("offsets", "expected"),
    [
        # 19 and 21 Feb are both holidays: both fall back to 14 Feb and send once.
        pytest.param((9, 7), [D(2026, 2, 2), D(2026, 2, 14)], id="coinciding-days-send-once"),
        # 40 days before 28 Feb is in January: merged into the opening notice.
        pytest.param((40, 2), [D(2026, 2, 2), D(2026, 2, 26)], id="before-opening-merges"),
        pytest.param((), [D(2026, 2, 2)], id="no-offsets-only-opening"),
        # 28 Feb itself is a make-up Saturday, so a 0-day reminder goes out on the deadline.
        pytest.param((0,), [D(2026, 2, 2), D(2026, 2, 28)], id="zero-offset-on-make-up-saturday"),
    ],
)
def test_custom_offsets(offsets, expected):
    rules = ruleset(committee_meeting={"offsets": offsets})
    assert send_days(rules, OFFICIAL, obligation("committee_meeting", "2026-02")) == expected


def test_make_up_saturday_catches_a_reminder():
    rules = ruleset(committee_meeting={"offsets": (20,)})  # 11 Oct is a Sunday, 10 Oct a make-up Saturday
    assert send_days(rules, OFFICIAL, obligation("committee_meeting", "2026-10")) == [D(2026, 10, 8), D(2026, 10, 10)]


def test_config_holidays_shape_a_year_without_official_data():
    calendar = WorkdayCalendar.from_config(
        holidays=[D(2027, 2, d) for d in range(15, 20)] + [D(2027, 2, 1)], workdays=[D(2027, 2, 20)]
    )
    # 1 Feb is a configured holiday, 21 Feb a Sunday falls back to the configured workday 20 Feb.
    assert send_days(RULES, calendar, obligation("committee_meeting", "2027-02")) == [D(2027, 2, 2), D(2027, 2, 20), D(2027, 2, 26)]


def test_a_period_changed_in_config_changes_the_offsets_and_deadlines():
    rules = ruleset(party_lecture={"period": PeriodKind.MONTH})
    obligations = [o for o in obligations_for_year(rules, 2026) if o.system == "party_lecture"]
    assert len(obligations) == 12
    assert send_days(rules, OFFICIAL, obligations[2]) == [D(2026, 3, 2), D(2026, 3, 24), D(2026, 3, 27)]


@pytest.mark.parametrize(
    ("system", "group", "period", "expected"),
    [
        pytest.param("committee_meeting", None, "2026-01", {1: D(2026, 2, 2), 2: D(2026, 2, 9), 3: D(2026, 2, 24)}, id="into-spring-festival"),
        # The deadline 28 Feb is a make-up Saturday; escalation still starts the day after.
        pytest.param("group_meeting", "g1", "2026-02", {1: D(2026, 3, 2), 2: D(2026, 3, 9), 3: D(2026, 3, 16)}, id="deadline-on-make-up-saturday"),
        pytest.param("general_assembly", None, "2026-Q1", {1: D(2026, 4, 1), 2: D(2026, 4, 7), 3: D(2026, 4, 15)}, id="quarter-end"),
        pytest.param("committee_meeting", None, "2026-04", {1: D(2026, 5, 6), 2: D(2026, 5, 7), 3: D(2026, 5, 15)}, id="into-may-day"),
        # Level 1 and 2 land on the same day after National Day.
        pytest.param("party_lecture", None, "2026-Q3", {1: D(2026, 10, 8), 2: D(2026, 10, 8), 3: D(2026, 10, 15)}, id="into-national-day"),
        # Into 2027, which has no official data.
        pytest.param("democratic_life_meeting", None, "2026", {1: D(2027, 1, 1), 2: D(2027, 1, 7), 3: D(2027, 1, 15)}, id="year-end-into-2027"),
        pytest.param("group_meeting", "g2", "2028-02", {1: D(2028, 3, 1), 2: D(2028, 3, 7), 3: D(2028, 3, 15)}, id="leap-day-deadline"),
    ],
)
def test_escalation_days(system, group, period, expected):
    assert escalation_days(RULES, OFFICIAL, obligation(system, period, group)) == expected


def test_escalation_follows_the_configured_day_counts():
    rules = ruleset(committee_after=3, superior_after=10)
    days = escalation_days(rules, OFFICIAL, obligation("committee_meeting", "2026-03"))
    assert days == {1: D(2026, 4, 1), 2: D(2026, 4, 3), 3: D(2026, 4, 10)}


def test_plan_obligations_names_the_responsible_persons_and_days():
    planned = plan_obligations(RULES, OFFICIAL, [obligation("group_meeting", "2026-02", "g2")])
    assert planned[0].responsible == ("组长二",)
    assert planned[0].send_days == (D(2026, 2, 2), D(2026, 2, 14), D(2026, 2, 26))
    assert planned[0].escalation_days[1] == D(2026, 3, 2)


@pytest.mark.parametrize("year", [2026, 2027, 2028], ids=["official-2026", "fallback-2027", "fallback-leap-2028"])
def test_every_obligation_of_a_year_has_well_formed_days(year):
    for ob in obligations_for_year(RULES, year):
        days = send_days(RULES, OFFICIAL, ob, prerequisite_logged_on=D(year, 11, 2))
        assert days == sorted(set(days)), ob.key
        assert all(OFFICIAL.is_workday(day) and ob.period.start <= day <= ob.deadline for day in days), ob.key
        assert days[0] == opening_day(RULES, OFFICIAL, ob, prerequisite_logged_on=D(year, 11, 2)), ob.key
        levels = escalation_days(RULES, OFFICIAL, ob)
        assert ob.deadline < levels[1] <= levels[2] <= levels[3], ob.key
        assert all(OFFICIAL.is_workday(day) for day in levels.values()), ob.key
