"""``zhibu status [--at DATE] [--format table|json]``: compliance from the database.

The year of ``--at`` (default: today in the branch's zone), every obligation with
its status at that day. Records logged after that day are left out, so a past
date shows what the branch knew then.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime, time, timedelta

from bot import texts
from bot.commands.plan import text_table
from bot.context import AppContext, open_context
from storage.reports import YearReport, planned_dates, status_objects, year_report


def run(args: argparse.Namespace) -> int:
    context = open_context(args.config)
    try:
        print(render(context, at=args.at, output=args.format))
    finally:
        context.close()
    return 0


def render(context: AppContext, *, at: date | None, output: str) -> str:
    """The status of the year of ``at`` (today if None) as a table or JSON text."""
    today = at or context.today()
    # Everything logged up to the end of that day in the branch's zone.
    as_of = datetime.combine(today + timedelta(days=1), time(), tzinfo=context.zone)
    with context.session() as session:
        report = year_report(session, ruleset=context.ruleset, today=today, year=today.year, as_of=as_of)
        planned = planned_dates(session)
    if output == "json":
        objects = status_objects(report, ruleset=context.ruleset, calendar=context.calendar, zone=context.zone)
        return json.dumps(objects, ensure_ascii=False, indent=2)
    return _table(context, report, planned, today)


def _table(context: AppContext, report: YearReport, planned: dict[str, date], today: date) -> str:
    ruleset = context.ruleset
    group_names = {group.key: group.name for group in ruleset.roster.groups}
    rows = []
    for item in report.statuses:
        obligation = item.obligation
        planned_on = planned.get(obligation.key) if item.status.value != "done" else None
        rows.append(
            (
                ruleset.system(obligation.system).name,
                group_names.get(obligation.group, obligation.group or texts.NOT_SET),
                obligation.period.key,
                obligation.deadline.isoformat(),
                texts.STATUS_NAMES.get(item.status.value, item.status.value),
                ", ".join(f"#{record_id}" for record_id in item.record_ids) or texts.NOT_SET,
                planned_on.isoformat() if planned_on else "",
            )
        )
    title = texts.cli_status_title(context.config.branch.name, today)
    return title + "\n" + text_table(texts.STATUS_COLUMNS, rows)
