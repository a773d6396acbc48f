"""A quiet virtual year: the engine sends exactly the reminders and escalations of
SPEC §4 — the days of scheduling.reminder_plan, and hand-checked holiday dates."""

from __future__ import annotations

from datetime import date

import pytest

from scheduling.engine import BRANCH_CHAT, SUPERIOR, EngineSettings, Kind, Variant
from scheduling.obligations import obligations_for_year
from scheduling.reminder_plan import escalation_days, send_days
from scheduling.rules import Role
from tests.engine.helpers import CALENDAR, COMMITTEE, RULESET, SECRETARY, engine, run

YEAR_START, YEAR_END = date(2026, 1, 1), date(2026, 12, 31)


@pytest.fixture(scope="module")
def quiet_year():
    """Every message of 2026 on an empty database, with a superior contact configured."""
    settings = EngineSettings(superior_configured=True)
    return run(engine(settings=settings, since=YEAR_START), YEAR_START, YEAR_END)


def _sent(quiet_year, kind: Kind) -> set[tuple]:
    return {
        (m.obligation.key, m.level, m.recipient, day)
        for day, m in quiet_year.values()
        if m.kind is kind
    }


def test_it_reminds_each_responsible_person_on_exactly_the_planned_days(quiet_year):
    expected = {
        (ob.key, None, name, day)
        for ob in obligations_for_year(RULESET, 2026)
        for name in RULESET.responsible_for(RULESET.system(ob.system), ob.group)
        for day in send_days(RULESET, CALENDAR, ob)
    }
    assert _sent(quiet_year, Kind.REMINDER) == expected


def _escalation_recipients(level: int, responsible: tuple[str, ...]) -> set[str]:
    if level == 1:
        return {SECRETARY, *responsible}
    if level == 2:
        return {m.name for m in RULESET.roster.with_role(Role.COMMITTEE)}
    return {SUPERIOR}


def test_it_escalates_each_level_once_on_its_day_to_its_people(quiet_year):
    expected = set()
    for year in (2025, 2026):
        for ob in obligations_for_year(RULESET, year):
            responsible = RULESET.responsible_for(RULESET.system(ob.system), ob.group)
            for level, day in escalation_days(RULESET, CALENDAR, ob).items():
                if YEAR_START <= day <= YEAR_END:
                    expected |= {(ob.key, level, name, day) for name in _escalation_recipients(level, responsible)}
    assert _sent(quiet_year, Kind.ESCALATION) == expected


@pytest.mark.parametrize(
    ("obligation_key", "days"),
    [
        # 2026-02-21 (7 days before the deadline) is in the Spring Festival holiday:
        # the reminder moves to the make-up Saturday 2026-02-14.
        ("committee_meeting:-:2026-02", ["2026-02-02", "2026-02-14", "2026-02-26"]),
        # 2026-09-25 (5 days before) is the Mid-Autumn Festival: the day before.
        ("general_assembly:-:2026-Q3", ["2026-07-01", "2026-09-16", "2026-09-24", "2026-09-29"]),
        ("group_meeting:g2:2026-10", ["2026-10-08", "2026-10-23", "2026-10-29"]),
        ("democratic_life_meeting:-:2026", ["2026-10-08", "2026-12-01", "2026-12-21", "2026-12-28"]),
        # No 民主生活会 logged: no opening notice, the first reminder is the 30-day offset.
        ("organizational_life_meeting:g1:2026", ["2026-12-01", "2026-12-21", "2026-12-28"]),
    ],
    ids=["spring-festival-makeup-saturday", "mid-autumn", "national-day-opening", "window-q4", "after-prerequisite"],
)
def test_reminder_days_by_hand(quiet_year, obligation_key, days):
    found = sorted({d.isoformat() for d, m in quiet_year.values() if m.kind is Kind.REMINDER and m.obligation.key == obligation_key})
    assert found == days


@pytest.mark.parametrize(
    ("obligation_key", "levels"),
    [
        ("committee_meeting:-:2025-12", {1: "2026-01-04", 2: "2026-01-07", 3: "2026-01-15"}),  # make-up Sunday
        ("committee_meeting:-:2026-02", {1: "2026-03-02", 2: "2026-03-09", 3: "2026-03-16"}),
        # National Day: Oct 1–7 off, so levels 1 and 2 both fall on Oct 8.
        ("general_assembly:-:2026-Q3", {1: "2026-10-08", 2: "2026-10-08", 3: "2026-10-15"}),
    ],
    ids=["new-year-makeup-sunday", "after-spring-festival", "national-day"],
)
def test_escalation_days_by_hand(quiet_year, obligation_key, levels):
    found = {m.level: d.isoformat() for d, m in quiet_year.values() if m.kind is Kind.ESCALATION and m.obligation.key == obligation_key}
    assert found == levels


def test_the_opening_notice_is_its_own_variant(quiet_year):
    day, message = quiet_year["committee_meeting:-:2026-02|reminder|-|郭谨瑜|2026-02-02"]
    assert message.variant is Variant.OPENING and day == date(2026, 2, 2)


def test_level_one_tells_the_responsible_person_it_is_overdue(quiet_year):
    _, notice = quiet_year["committee_meeting:-:2026-02|escalation|1|郭谨瑜"]
    _, escalation = quiet_year["committee_meeting:-:2026-02|escalation|1|常天民"]
    assert notice.variant is Variant.OVERDUE_NOTICE and escalation.variant is Variant.ESCALATION


def test_the_weekly_digest_goes_to_the_secretary_on_the_first_workday_of_each_week(quiet_year):
    days = sorted(d for d, m in quiet_year.values() if m.kind is Kind.DIGEST)
    assert all(m.recipient == SECRETARY for _, m in quiet_year.values() if m.kind is Kind.DIGEST)
    # The Spring Festival week (Feb 16–22) has no workday; the next week starts on Tuesday.
    assert date(2026, 2, 9) in days and date(2026, 2, 24) in days
    assert not any(date(2026, 2, 15) <= d <= date(2026, 2, 23) for d in days)
    # National Day week: Oct 5–7 off, the week's first workday is Thursday Oct 8.
    assert date(2026, 10, 8) in days
    assert len(days) == len({(d.isocalendar().year, d.isocalendar().week) for d in days})


def test_nothing_goes_to_the_superior_or_branch_chat_unless_configured():
    messages = run(engine(since=YEAR_START), date(2026, 3, 1), date(2026, 3, 31))
    assert {m.recipient for _, m in messages.values()} <= {m.name for m in RULESET.roster.members}
    assert not any(m.level == 3 for _, m in messages.values())


def test_the_branch_chat_gets_the_digest_when_configured():
    settings = EngineSettings(branch_chat_configured=True)
    messages = run(engine(settings=settings, since=YEAR_START), date(2026, 3, 2), date(2026, 3, 2))
    assert {m.recipient for _, m in messages.values() if m.kind is Kind.DIGEST} == {SECRETARY, BRANCH_CHAT}


def test_the_same_snapshot_gives_the_same_keys():
    first = {m.key for m in engine(since=YEAR_START).due(engine().moment(date(2026, 3, 2)))}
    second = {m.key for m in engine(since=YEAR_START).due(engine().moment(date(2026, 3, 2)))}
    assert first == second and len(first) > 0


def test_committee_constant_matches_the_roster():
    assert set(COMMITTEE) == {m.name for m in RULESET.roster.with_role(Role.COMMITTEE)}
