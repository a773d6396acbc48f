"""The plan as an iCalendar file: parses back, one event per deadline, alarms on send days."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar

from scheduling.ics import plan_calendar
from scheduling.obligations import obligations_for_year
from scheduling.reminder_plan import plan_obligations
from tests.scheduling.builders import OFFICIAL, ruleset

SHANGHAI = ZoneInfo("Asia/Shanghai")
STAMP = datetime(2026, 1, 1, 8, 0, tzinfo=SHANGHAI)
RULES = ruleset()


def render(rules=RULES, year=2026, send_time=time(9, 0)) -> bytes:
    planned = plan_obligations(rules, OFFICIAL, obligations_for_year(rules, year))
    return plan_calendar(rules, planned, zone=SHANGHAI, send_time=send_time, name="机关党支部 2026", stamp=STAMP)


def events_by_uid(data: bytes) -> dict:
    return {str(event["UID"]): event for event in Calendar.from_ical(data).walk("VEVENT")}


def test_the_calendar_names_itself_and_its_zone():
    calendar = Calendar.from_ical(render())
    assert str(calendar["PRODID"]).startswith("-//zhibu//")
    assert str(calendar["X-WR-CALNAME"]) == "机关党支部 2026"
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert str(calendar["VERSION"]) == "2.0"


def test_one_all_day_event_per_obligation_deadline():
    events = events_by_uid(render())
    assert len(events) == 48
    event = events["group_meeting:g1:2026-03@zhibu"]
    assert event.decoded("DTSTART") == date(2026, 3, 31)
    assert event.decoded("DTEND") == date(2026, 4, 1)
    assert str(event["SUMMARY"]) == "党小组会（第一党小组）2026-03 截止"
    assert "负责人：组长一" in str(event["DESCRIPTION"])
    assert str(events["party_lecture:-:2026-Q1@zhibu"]["SUMMARY"]) == "党课 2026-Q1 截止"


def test_alarms_ring_at_the_send_time_of_each_send_day_in_the_branch_zone():
    event = events_by_uid(render())["group_meeting:g1:2026-02@zhibu"]
    alarms = event.walk("VALARM")
    assert {str(alarm["ACTION"]) for alarm in alarms} == {"DISPLAY"}
    # 09:00 in Shanghai is 01:00 UTC; 14 Feb is the make-up Saturday before Spring Festival.
    assert [alarm.decoded("TRIGGER") for alarm in alarms] == [
        datetime(2026, 2, 2, 1, 0, tzinfo=UTC),
        datetime(2026, 2, 14, 1, 0, tzinfo=UTC),
        datetime(2026, 2, 26, 1, 0, tzinfo=UTC),
    ]
    assert b"TRIGGER;VALUE=DATE-TIME:20260214T010000Z" in render()


def test_the_send_time_comes_from_config():
    event = events_by_uid(render(send_time=time(17, 30)))["committee_meeting:-:2026-12@zhibu"]
    assert event.walk("VALARM")[0].decoded("TRIGGER") == datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def test_uids_are_stable_and_the_file_is_deterministic():
    assert render() == render()
    assert set(events_by_uid(render())) == {f"{o.key}@zhibu" for o in obligations_for_year(RULES, 2026)}


def test_a_disabled_system_has_no_events():
    events = events_by_uid(render(ruleset(party_lecture={"enabled": False})))
    assert not any(uid.startswith("party_lecture:") for uid in events)
