"""Compliance from the database: the records of a year handed to the pure domain.

``status`` (CLI) and anything else that reports on the branch read through here,
so that "what counts" is decided in one place (:mod:`scheduling.obligations`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from scheduling.obligations import Obligation, ObligationStatus, SittingRecord, compliance, obligation_for
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
    rule = ruleset.system(obligation.system)
    if rule.after is None or not ruleset.has_system(rule.after):
        return None
    prerequisite = ruleset.system(rule.after)
    group = obligation.group if prerequisite.group_scoped else None
    wanted = obligation_for(ruleset, prerequisite.key, group, obligation.period.start)
    for status in report.statuses:
        if status.obligation == wanted and status.valid_record_ids:
            return min(report.sittings[i].logged_at for i in status.valid_record_ids).astimezone(zone).date()
    return None


def status_objects(
    report: YearReport, *, ruleset: Ruleset, calendar: WorkdayCalendar, zone: ZoneInfo
) -> list[dict]:
    """The JSON objects of SPEC §6 for ``zhibu status``, one per obligation."""
    objects = []
    for status in report.statuses:
        obligation = status.obligation
        reminders = send_days(
            ruleset, calendar, obligation,
            prerequisite_logged_on=prerequisite_logged_on(report, ruleset, obligation, zone),
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
