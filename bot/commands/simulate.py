"""``zhibu simulate --from D1 --to D2 [--format table|json]``: the reminder engine on a
virtual clock over the database's records; prints every message it would send, in
order. Nothing is sent and nothing is written to the outbox."""

from __future__ import annotations

import json
import sys
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from bot import texts
from bot.cli import UsageError
from bot.commands.plan import text_table
from bot.context import AppContext, load_context, open_database
from bot.scheduler import RECORDS_SINCE, EngineSetup
from scheduling.clock import VirtualClock
from scheduling.engine import (
    DeferredRecord,
    EngineSettings,
    ObligationPlan,
    PlannedMessage,
    ReminderEngine,
    memoized,
)
from scheduling.obligations import SittingRecord
from scheduling.rules import Ruleset
from scheduling.workdays import WorkdayCalendar
from storage import outbox
from storage.records import load_sittings

# A decade covers any planning question (and the 10-year benchmark); a longer
# span is surely a typo in a year.
MAX_DAYS = 10 * 366


def simulate(
    ruleset: Ruleset,
    calendar: WorkdayCalendar,
    settings: EngineSettings,
    *,
    start: date,
    end: date,
    records: Iterable[SittingRecord] = (),
    plans: Mapping[str, ObligationPlan] | None = None,
    deferred: Iterable[DeferredRecord] = (),
    member_since: Mapping[str, date] | None = None,
) -> list[tuple[datetime, PlannedMessage]]:
    """Every message the engine would send from ``start`` to ``end``, in order, with
    the moment it would go out: the same :meth:`ReminderEngine.due`, stepped on a
    virtual clock through every send moment and every moment a record was logged,
    into an in-memory outbox that remembers keys as the real one does."""
    records = sorted(records, key=lambda r: r.logged_at)
    deferred = tuple(deferred)
    calendar = memoized(calendar)
    probe = ReminderEngine(ruleset, calendar, settings)
    logged = {r.logged_at for r in records if start <= r.logged_at.astimezone(settings.zone).date() <= end}
    clock = VirtualClock(probe.moment(start))
    sent: dict[str, tuple[datetime, PlannedMessage]] = {}
    current: ReminderEngine | None = None
    known = -1
    logged_ats = [r.logged_at for r in records]
    for moment in sorted(set(probe.send_moments(start, end)) | logged):
        clock.set(moment)
        now = clock.now()
        count = bisect_right(logged_ats, now)
        if count != known:  # a new record is known: a new snapshot
            known = count
            known_deferred = [d for d in deferred if d.logged_at <= now]
            if current is None:
                current = ReminderEngine(
                    ruleset,
                    calendar,
                    settings,
                    records=records[:count],
                    plans=plans,
                    deferred=known_deferred,
                    member_since=member_since,
                    since=start,
                )
            else:  # the years the new records leave alone are not rebuilt
                current = current.with_records(records[:count], known_deferred)
        for message in current.due(now):
            sent.setdefault(message.key, (now, message))
    return sorted(sent.values(), key=lambda item: (item[0], *item[1].sort_key[1:]))


def messages_between(context: AppContext, start: date, end: date) -> list[tuple[datetime, PlannedMessage]]:
    """What the engine would send from ``start`` to ``end`` given the database as it is."""
    setup = EngineSetup.from_config(context.config)
    zone = context.zone
    with context.session() as session:
        records = load_sittings(session, start=RECORDS_SINCE, end=end)
        plans = outbox.load_plans(session)
        deferred = outbox.load_deferred(session)
        since = outbox.member_since(session, zone=zone)
    return simulate(
        setup.ruleset,
        setup.calendar,
        setup.settings,
        start=start,
        end=end,
        records=records,
        plans=plans,
        deferred=deferred,
        member_since=since,
    )


def as_json(context: AppContext, messages: list[tuple[datetime, PlannedMessage]]) -> list[dict]:
    """One object per message (SPEC §6)."""
    result = []
    for moment, message in messages:
        ob = message.obligation
        result.append(
            {
                "at": moment.astimezone(context.zone).isoformat(),
                "kind": message.kind.value,
                "level": message.level,
                "system": ob.system if ob else None,
                "group": ob.group if ob else None,
                "period": ob.period.key if ob else None,
                "recipient": message.recipient,
            }
        )
    return result


def _table(context: AppContext, start: date, end: date, objects: list[dict]) -> str:
    ruleset = context.ruleset
    rows = []
    for item in objects:
        system = ruleset.system(item["system"]).name if item["system"] else ""
        group = ruleset.roster.group(item["group"]).name if item["group"] else ""
        rows.append(
            (
                item["at"][:16].replace("T", " "),
                texts.SIMULATE_KINDS.get(item["kind"], item["kind"]),
                str(item["level"] or ""),
                system,
                group,
                texts.period_label(item["period"]) if item["period"] else "",
                texts.SIMULATE_RECIPIENTS.get(item["recipient"], item["recipient"]),
            )
        )
    title = texts.simulate_title(context.config.branch.name, start, end, len(rows))
    return title + "\n" + text_table(texts.SIMULATE_COLUMNS, rows) if rows else title


def run(args) -> int:
    if args.end < args.start:
        raise UsageError("simulate: --to is before --from")
    if (args.end - args.start).days > MAX_DAYS:
        raise UsageError(f"simulate: the span is longer than {MAX_DAYS} days")
    context = open_database(load_context(args.config))
    try:
        objects = as_json(context, messages_between(context, args.start, args.end))
    finally:
        context.close()
    if args.format == "json":
        json.dump(objects, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(_table(context, args.start, args.end, objects))
    return 0
