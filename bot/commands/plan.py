"""``zhibu plan --year Y [--format table|json|ics] [--member NAME]``: every
obligation of a year with its deadline, responsible persons and reminder days.
Config only: no database, so statuses assume nothing has been logged yet."""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Sequence

from bot import texts
from bot.cli import UsageError
from bot.context import AppContext, load_context
from scheduling.ics import plan_calendar
from scheduling.obligations import Status, compliance, obligations_for_year
from scheduling.reminder_plan import PlannedObligation, plan_obligations


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "") -> str:
    """Rows aligned in columns (by display width), two spaces apart."""
    widths = [max(display_width(str(row[i])) for row in (headers, *rows)) for i in range(len(headers))]
    lines = []
    for row in (headers, *rows):
        cells = [str(cell) + " " * (width - display_width(str(cell))) for cell, width in zip(row, widths, strict=True)]
        lines.append((indent + "  ".join(cells)).rstrip())
    return "\n".join(lines)


def plan_rows(context: AppContext, year: int, member: str | None) -> tuple[list[PlannedObligation], dict]:
    """The year's planned obligations (those ``member`` answers for, if given) and
    their statuses at today, with no records."""
    ruleset = context.ruleset
    if member is not None and member not in {m.name for m in ruleset.roster.members}:
        raise UsageError(f"plan: --member: {member!r} is not in the roster of {context.config.source}")
    planned = plan_obligations(ruleset, context.calendar, obligations_for_year(ruleset, year))
    if member is not None:
        planned = [item for item in planned if member in item.responsible]
    statuses = {s.obligation: s.status for s in compliance(ruleset, [], context.today(), year)}
    return planned, statuses


def as_json(planned: list[PlannedObligation], statuses: dict[object, Status]) -> list[dict]:
    """The objects of SPEC §6, one per obligation."""
    return [
        {
            "system": item.obligation.system,
            "group": item.obligation.group,
            "period": item.obligation.period.key,
            "deadline": item.obligation.deadline.isoformat(),
            "responsible": list(item.responsible),
            "status": str(statuses[item.obligation]),
            "reminders": [day.isoformat() for day in item.send_days],
        }
        for item in planned
    ]


def as_table(context: AppContext, year: int, member: str | None, planned, statuses) -> str:
    ruleset = context.ruleset
    lines = [texts.plan_title(context.config.branch.name, year, context.today(), member)]
    if not context.calendar.has_official_data(year):
        calendar = context.config.calendar
        lines.append(texts.calendar_fallback(year, len(calendar.holidays), len(calendar.workdays)))
    if not planned:
        lines.append(texts.plan_empty(member or ""))
        return "\n".join(lines)
    rows = []
    for item in sorted(planned, key=lambda p: (p.obligation.deadline, p.obligation)):
        obligation = item.obligation
        group = ruleset.roster.group(obligation.group).name if obligation.group else texts.NOT_SET
        rows.append(
            (
                obligation.deadline.isoformat(),
                ruleset.system(obligation.system).name,
                group,
                obligation.period.key,
                "、".join(item.responsible),
                texts.STATUS_NAMES.get(str(statuses[obligation]), str(statuses[obligation])),
                " ".join(day.strftime("%m-%d") for day in item.send_days),
            )
        )
    lines.append(text_table(texts.PLAN_COLUMNS, rows))
    return "\n".join(lines)


def run(args) -> int:
    context = load_context(args.config)
    planned, statuses = plan_rows(context, args.year, args.member)
    if args.format == "json":
        print(json.dumps(as_json(planned, statuses), ensure_ascii=False, indent=2))
    elif args.format == "ics":
        reminders = context.config.reminders
        name = f"{context.config.branch.name} {args.year}" + (f" {args.member}" if args.member else "")
        data = plan_calendar(
            context.ruleset, planned, zone=context.zone, send_time=reminders.send_time, name=name, stamp=context.clock.now()
        )
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
    else:
        print(as_table(context, args.year, args.member, planned, statuses))
    return 0
