"""Compliance from the database: the records of a year handed to the pure domain.

``status`` (CLI) and anything else that reports on the branch read through here,
so that "what counts" is decided in one place (:mod:`scheduling.obligations`).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from scheduling.obligations import Obligation, ObligationStatus, SittingRecord, compliance, obligation_for
from scheduling.engine_types import memoized
from scheduling.reminder_plan import send_days
from scheduling.rules import Ruleset
from scheduling.workdays import WorkdayCalendar
from storage.models import ObligationState
from storage.records import load_sittings


@dataclass(frozen=True)
class YearReport:
    """The status of every obligation of a year, and the sittings behind it."""

    year: int
    today: date
    statuses: list[ObligationStatus]
    sittings: dict[int, SittingRecord]


def year_report(
    session: Session, *, ruleset: Ruleset, today: date, year: int, as_of: datetime | None = None
) -> YearReport:
    """Judge the year's records at ``today``; records logged after ``as_of`` are not yet known."""
    sittings = load_sittings(session, start=date(year, 1, 1), end=date(year, 12, 31))
    if as_of is not None:
        sittings = [s for s in sittings if s.logged_at <= as_of]
    statuses = compliance(ruleset, sittings, today, year)
    return YearReport(year=year, today=today, statuses=statuses, sittings={s.id: s for s in sittings})


def compliance_report(
    session: Session, *, ruleset: Ruleset, today: date, year: int, as_of: datetime | None = None
) -> list[ObligationStatus]:
    """The status at ``today`` of every obligation of ``year``, from the records in the database."""
    return year_report(session, ruleset=ruleset, today=today, year=year, as_of=as_of).statuses


def prerequisite_logged_on(
    report: YearReport, ruleset: Ruleset, obligation: Obligation, zone: ZoneInfo
) -> date | None:
    """The day (branch zone) the first valid sitting of the obligation's prerequisite was logged."""
    return _prerequisite_day(report, {s.obligation: s for s in report.statuses}, ruleset, obligation, zone)


def _prerequisite_day(
    report: YearReport, statuses: dict[Obligation, ObligationStatus], ruleset: Ruleset, obligation: Obligation,
    zone: ZoneInfo,
) -> date | None:
    rule = ruleset.system(obligation.system)
    if rule.after is None or not ruleset.has_system(rule.after):
        return None
    prerequisite = ruleset.system(rule.after)
    group = obligation.group if prerequisite.group_scoped else None
    status = statuses.get(obligation_for(ruleset, prerequisite.key, group, obligation.period.start))
    if status is not None and status.valid_record_ids:
        return min(report.sittings[i].logged_at for i in status.valid_record_ids).astimezone(zone).date()
    return None


# One remembering calendar per calendar: the official lookups are slow, and a
# status asks about the same few hundred days on every call.
_CALENDARS: dict[int, tuple[weakref.ref, WorkdayCalendar]] = {}


def _remembering(calendar: WorkdayCalendar) -> WorkdayCalendar:
    key = id(calendar)
    entry = _CALENDARS.get(key)
    if entry is None or entry[0]() is not calendar:
        entry = (weakref.ref(calendar, lambda _ref, key=key: _CALENDARS.pop(key, None)), memoized(calendar))
        _CALENDARS[key] = entry
    return entry[1]


def status_objects(
    report: YearReport, *, ruleset: Ruleset, calendar: WorkdayCalendar, zone: ZoneInfo
) -> list[dict]:
    """The JSON objects of SPEC §6 for ``zhibu status``, one per obligation."""
    objects = []
    calendar = _remembering(calendar)
    statuses = {s.obligation: s for s in report.statuses}
    for status in report.statuses:
        obligation = status.obligation
        reminders = send_days(
            ruleset, calendar, obligation,
            prerequisite_logged_on=_prerequisite_day(report, statuses, ruleset, obligation, zone),
        )
        objects.append(
            {
                "system": obligation.system,
                "group": obligation.group,
                "period": obligation.period.key,
                "deadline": obligation.deadline.isoformat(),
                "responsible": list(status.responsible),
                "status": status.status.value,
                "reminders": [day.isoformat() for day in reminders],
                "records": list(status.record_ids),
            }
        )
    return objects


def planned_dates(session: Session) -> dict[str, date]:
    """Obligation key -> the day someone said the meeting will be held (已定日期)."""
    rows = session.exec(select(ObligationState).where(ObligationState.planned_on.is_not(None)))
    return {row.obligation_key: row.planned_on for row in rows}
