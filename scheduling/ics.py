"""The reminder plan as an iCalendar file (RFC 5545) that calendar apps import. Pure.

One all-day event per obligation deadline, with a display alarm at the send time of
each reminder day. Alarms use absolute UTC triggers, so no VTIMEZONE is needed and
every app rings at the same moment the bot would write.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from scheduling.reminder_plan import PlannedObligation
from scheduling.rules import Ruleset

PRODID = "-//zhibu//支部通//ZH"
UID_DOMAIN = "zhibu"


def summary_of(ruleset: Ruleset, planned: PlannedObligation) -> str:
    """``党小组会（第一党小组）2026-03 截止``."""
    obligation = planned.obligation
    name = ruleset.system(obligation.system).name
    if obligation.group is not None:  # no space after a full-width bracket
        return f"{name}（{ruleset.roster.group(obligation.group).name}）{obligation.period.key} 截止"
    return f"{name} {obligation.period.key} 截止"


def _description(planned: PlannedObligation) -> str:
    lines = [f"负责人：{'、'.join(planned.responsible) or '未指定'}"]
    if planned.send_days:
        lines.append("提醒日：" + "、".join(day.isoformat() for day in planned.send_days))
    lines.append("须留存：会议纪要、出席情况、照片")
    return "\n".join(lines)


def _event(ruleset: Ruleset, planned: PlannedObligation, *, zone: ZoneInfo, send_time: time, stamp: datetime) -> Event:
    obligation = planned.obligation
    event = Event()
    event.add("uid", f"{obligation.key}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("dtstart", obligation.deadline)
    event.add("dtend", obligation.deadline + timedelta(days=1))
    event.add("summary", summary_of(ruleset, planned))
    event.add("description", _description(planned))
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    for day in planned.send_days:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary_of(ruleset, planned))
        moment = datetime.combine(day, send_time, tzinfo=zone).astimezone(UTC)
        alarm.add("trigger", moment, parameters={"VALUE": "DATE-TIME"})
        event.add_component(alarm)
    return event


def plan_calendar(
    ruleset: Ruleset,
    planned: Iterable[PlannedObligation],
    *,
    zone: ZoneInfo,
    send_time: time,
    name: str,
    stamp: datetime,
) -> bytes:
    """A VCALENDAR named ``name`` with one event per planned obligation. ``stamp``
    (aware) is the DTSTAMP of every event: pass the clock's now."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", zone.key)
    stamp = stamp.astimezone(UTC)
    for item in planned:
        calendar.add_component(_event(ruleset, item, zone=zone, send_time=send_time, stamp=stamp))
    return calendar.to_ical()


def deadline_day(event: Event) -> date:
    """The deadline an event of :func:`plan_calendar` stands for."""
    return event.decoded("dtstart")
