"""Send days of SPEC §4 for each obligation. Pure.

INTERFACE FIXED — bodies being filled in (see issue 2).
"""

from __future__ import annotations

from datetime import date

from scheduling.obligations import Obligation
from scheduling.rules import Ruleset
from scheduling.workdays import WorkdayCalendar


def opening_day(ruleset: Ruleset, calendar: WorkdayCalendar, obligation: Obligation, *, prerequisite_logged_on: date | None = None) -> date | None: ...
def send_days(ruleset: Ruleset, calendar: WorkdayCalendar, obligation: Obligation, *, prerequisite_logged_on: date | None = None) -> list[date]: ...
def escalation_days(ruleset: Ruleset, calendar: WorkdayCalendar, obligation: Obligation) -> dict[int, date]: ...
