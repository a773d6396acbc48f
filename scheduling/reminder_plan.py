"""Send days of SPEC §4 for each obligation, and its escalation days. Pure.

Only workdays of the :class:`WorkdayCalendar` are used (official holidays and
调休, or Monday–Friday plus ``[calendar]`` for a year without official data).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from scheduling.obligations import Obligation
from scheduling.rules import Ruleset, SystemRule
from scheduling.workdays import WorkdayCalendar


def _prerequisite(ruleset: Ruleset, rule: SystemRule) -> SystemRule | None:
    # A disabled prerequisite imposes nothing: the obligation opens like any other.
    if rule.after is None or not ruleset.has_system(rule.after):
        return None
    prerequisite = ruleset.system(rule.after)
    return prerequisite if prerequisite.enabled else None


def _period_opening(rule: SystemRule, calendar: WorkdayCalendar, obligation: Obligation) -> date:
    """The first workday of the period, or of the window's part of it."""
    start = obligation.period.start
    if rule.window is not None:
        window_start = date(obligation.period.year, rule.window.first_month, 1)
        if start < window_start <= obligation.deadline:
            start = window_start
    return calendar.workday_on_or_after(start)


def opening_day(
    ruleset: Ruleset, calendar: WorkdayCalendar, obligation: Obligation, *, prerequisite_logged_on: date | None = None
) -> date | None:
    """The day of the opening notice: the period's first workday (a windowed system:
    the window's first workday). A system with ``after`` opens on the first workday
    after the prerequisite's sitting was logged, and not at all (``None``) before
    that, or when that day would be past the deadline."""
    rule = ruleset.system(obligation.system)
    opening = _period_opening(rule, calendar, obligation)
    if _prerequisite(ruleset, rule) is None:
        return opening
    if prerequisite_logged_on is None:
        return None
    opening = max(opening, calendar.workday_after(prerequisite_logged_on))
    return opening if opening <= obligation.deadline else None


def send_days(
    ruleset: Ruleset, calendar: WorkdayCalendar, obligation: Obligation, *, prerequisite_logged_on: date | None = None
) -> list[date]:
    """The opening notice plus, for each offset, the last workday on or before
    ``deadline - offset``; a day before the opening notice merges into it, days that
    coincide send once. Sorted. Without an opening notice, reminders never start
    before the period's first workday."""
    rule = ruleset.system(obligation.system)
    opening = opening_day(ruleset, calendar, obligation, prerequisite_logged_on=prerequisite_logged_on)
    floor = opening or _period_opening(rule, calendar, obligation)
    days = {opening} if opening is not None else set()
    for offset in rule.offsets:
        day = calendar.workday_on_or_before(obligation.deadline - timedelta(days=offset))
        days.add(max(day, floor))
    return sorted(days)


def escalation_days(ruleset: Ruleset, calendar: WorkdayCalendar, obligation: Obligation) -> dict[int, date]:
    """Level → day: 1 the first workday after the deadline; 2 and 3 the first workday
    at least ``escalation_committee_after_days`` / ``escalation_superior_after_days``
    days after it."""
    deadline = obligation.deadline
    return {
        1: calendar.workday_after(deadline),
        2: calendar.workday_on_or_after(deadline + timedelta(days=ruleset.escalation_committee_after_days)),
        3: calendar.workday_on_or_after(deadline + timedelta(days=ruleset.escalation_superior_after_days)),
    }


@dataclass(frozen=True)
class PlannedObligation:
    """One obligation with who answers for it and when the engine writes to them."""

    obligation: Obligation
    responsible: tuple[str, ...]
    send_days: tuple[date, ...]
    escalation_days: dict[int, date] = field(compare=False)


def plan_obligations(
    ruleset: Ruleset,
    calendar: WorkdayCalendar,
    obligations: Iterable[Obligation],
    *,
    prerequisite_logged_on: Callable[[Obligation], date | None] | None = None,
) -> list[PlannedObligation]:
    """The plan of each obligation, in the given order. ``prerequisite_logged_on``
    tells, per obligation, the day its prerequisite's sitting was logged (if any)."""
    planned = []
    for obligation in obligations:
        logged_on = prerequisite_logged_on(obligation) if prerequisite_logged_on else None
        planned.append(
            PlannedObligation(
                obligation=obligation,
                responsible=ruleset.responsible_for(ruleset.system(obligation.system), obligation.group),
                send_days=tuple(send_days(ruleset, calendar, obligation, prerequisite_logged_on=logged_on)),
                escalation_days=escalation_days(ruleset, calendar, obligation),
            )
        )
    return planned
