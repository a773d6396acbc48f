"""``zhibu status [--at DATE] [--format table|json]``: compliance from the database.

The year of ``--at`` (default: today in the branch's zone), every obligation with
its status at that day. Records logged after that day are left out, so a past
date shows what the branch knew then.
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from datetime import datetime, time, timedelta

from bot import texts
from bot.context import AppContext, open_context
from storage.reports import status_objects, year_report


def run(args: argparse.Namespace) -> int:
    context = open_context(args.config)
    try:
        print(render(context, at=args.at, output=args.format))
    finally:
        context.close()
    return 0


def render(context: AppContext, *, at, output: str) -> str:
    """The status of the year of ``at`` (today if None) as a table or JSON text."""
    today = at or context.today()
    # Everything logged up to the end of that day in the branch's zone.
    as_of = datetime.combine(today + timedelta(days=1), time(), tzinfo=context.zone)
    with context.session() as session:
        report = year_report(session, ruleset=context.ruleset, today=today, year=today.year, as_of=as_of)
    objects = status_objects(report, ruleset=context.ruleset, calendar=context.calendar, zone=context.zone)
    if output == "json":
        return json.dumps(objects, ensure_ascii=False, indent=2)
    return _table(context, objects, today)


def _table(context: AppContext, objects: list[dict], today) -> str:
    ruleset = context.ruleset
    group_names = {group.key: group.name for group in ruleset.roster.groups}
    rows = [
        (
            ruleset.system(item["system"]).name,
            group_names.get(item["group"], item["group"] or texts.NOT_SET),
            item["period"],
            item["deadline"],
            texts.STATUS_NAMES.get(item["status"], item["status"]),
            ", ".join(f"#{record_id}" for record_id in item["records"]) or texts.NOT_SET,
        )
        for item in objects
    ]
    title = texts.cli_status_title(context.config.branch.name, today)
    return title + "\n" + format_table(texts.STATUS_COLUMNS, rows)


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(headers: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """Columns padded for a terminal, wide characters counted as two."""
    widths = [max([_width(h)] + [_width(row[i]) for row in rows]) for i, h in enumerate(headers)]

    def line(cells) -> str:
        return "  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(cells, widths)).rstrip()

    return "\n".join([line(headers), line("-" * w for w in widths), *(line(row) for row in rows)])
