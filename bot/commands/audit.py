"""``zhibu audit [--since DATE]``: every audit entry (who, when in the branch's zone,
which record, which field, before, after) as a table, oldest first."""

from __future__ import annotations

import argparse
from datetime import datetime, time

from bot import texts
from bot.commands.plan import text_table
from bot.context import AppContext, open_context
from bot.export.audit_text import action_text, after_text, before_text, field_text
from storage.models import MeetingRecord
from storage.records import audit_entries

# A table cell shows at most this many characters of a value (minutes can be long).
MAX_CELL = 40


def run(args: argparse.Namespace) -> int:
    context = open_context(args.config)
    try:
        print(render(context, since=args.since))
    finally:
        context.close()
    return 0


def render(context: AppContext, *, since=None) -> str:
    """The audit table; ``since`` (a date) is the start of that day in the branch's zone."""
    start = datetime.combine(since, time(), tzinfo=context.zone) if since is not None else None
    with context.session() as session:
        entries = audit_entries(session, since=start)
        records = {entry.record_id: session.get(MeetingRecord, entry.record_id) for entry in entries if entry.record_id}
    if not entries:
        return texts.AUDIT_NONE
    ruleset = context.ruleset
    rows = []
    for entry in entries:
        record = records.get(entry.record_id)
        about = ""
        if record is not None:
            name = ruleset.system(record.system).name if ruleset.has_system(record.system) else record.system
            about = f"#{record.id} {record.held_on.isoformat()} {name}"
        rows.append(
            (
                f"{entry.at.astimezone(context.zone):%Y-%m-%d %H:%M}",
                entry.actor_name,
                about,
                action_text(entry),
                field_text(entry),
                _cell(before_text(entry)),
                _cell(after_text(entry)),
            )
        )
    return text_table(texts.AUDIT_TABLE_HEADERS, rows)


def _cell(value: str | None) -> str:
    """One line, shortened: a table row must stay a row."""
    if not value:
        return ""
    flat = " ".join(value.split())
    return flat if len(flat) <= MAX_CELL else flat[: MAX_CELL - 1] + "…"
