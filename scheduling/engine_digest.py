"""The engine's messages that are about the branch rather than one obligation's
schedule: the weekly digest, absence warnings and follow-ups of deferred minutes
or photos (SPEC §4, §5). Pure; the :class:`~scheduling.engine.ReminderEngine`
calls these with itself for the calendar, the settings and the snapshot."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from scheduling.engine_types import (
    BRANCH_CHAT,
    FOLLOW_UP_WORKDAYS,
    Kind,
    PlannedMessage,
    Variant,
    add_months,
    message_key,
)
from scheduling.obligations import Obligation, SittingRecord, expected_attendees, still_chased
from scheduling.periods import period_of
from scheduling.rules import Ruleset

if TYPE_CHECKING:
    from scheduling.engine import ReminderEngine, _ObligationView


def weekly_digests(engine: ReminderEngine, views: list[_ObligationView], last: date):
    """This week's digest to the secretary (and the branch chat), due at the week's first send moment."""
    monday = last - timedelta(days=last.weekday())
    week = [monday + timedelta(days=n) for n in range(7)]
    first = next((day for day in week if engine.calendar.is_workday(day)), None)
    if first is None or first > last or not engine.after_since(first):
        return
    open_views = [v for v in views if not v.done]
    due = tuple(v.obligation for v in open_views if monday <= v.deadline <= week[-1])
    # The same list as /overdue, so the secretary never reads two answers: what the
    # engine escalates is a different matter (it never escalates before it began).
    overdue = tuple(
        v.obligation
        for v in open_views
        if v.deadline < first and still_chased(v.deadline, first, engine.ruleset.max_backdate_days)
    )
    recipients = list(engine.secretaries)
    if engine.settings.branch_chat_configured:
        recipients.append(BRANCH_CHAT)
    for name in recipients:
        yield PlannedMessage(
            key=message_key(f"digest:{monday.isoformat()}", Kind.DIGEST, None, name),
            kind=Kind.DIGEST,
            variant=Variant.DIGEST,
            at=engine.moment(first),
            recipient=name,
            due_this_week=due,
            overdue=overdue,
        )


@dataclass
class _Presence:
    """One member's sittings, by the day held: those attended, those expected at,
    each with the moment its record was logged (parallel lists)."""

    attended: list[date] = field(default_factory=list)
    attended_logged: list[datetime] = field(default_factory=list)
    expected: list[date] = field(default_factory=list)
    expected_logged: list[datetime] = field(default_factory=list)


@dataclass
class Attendance:
    """Who attended and who was expected at each known sitting, per member."""

    members: dict[str, _Presence]
    first_held: date | None  # the first sitting on record

    @classmethod
    def of(cls, ruleset: Ruleset, records: tuple[SittingRecord, ...]) -> Attendance:
        members = {m.name: _Presence() for m in ruleset.roster.members}
        for record in sorted(records, key=lambda r: (r.held_on, r.logged_at)):
            expected = set(_expected_at(ruleset, record))
            for name, presence in members.items():
                if name in record.present:
                    presence.attended.append(record.held_on)
                    presence.attended_logged.append(record.logged_at)
                if name in expected:
                    presence.expected.append(record.held_on)
                    presence.expected_logged.append(record.logged_at)
        return cls(members, min((r.held_on for r in records), default=None))

    def extended(self, ruleset: Ruleset, records: tuple[SittingRecord, ...]) -> Attendance:
        """The same as :meth:`of` over the records known here plus ``records``,
        without touching this one: only the members those records name are copied."""
        if not records:
            return self
        members = dict(self.members)
        copied: set[str] = set()
        for record in sorted(records, key=lambda r: (r.held_on, r.logged_at)):
            expected = set(_expected_at(ruleset, record))
            for name in (expected | record.present) & members.keys():
                if name not in copied:
                    old = members[name]
                    members[name] = _Presence(
                        list(old.attended), list(old.attended_logged), list(old.expected), list(old.expected_logged)
                    )
                    copied.add(name)
                presence = members[name]
                if name in record.present:
                    _insert(presence.attended, presence.attended_logged, record.held_on, record.logged_at)
                if name in expected:
                    _insert(presence.expected, presence.expected_logged, record.held_on, record.logged_at)
        first = min((r.held_on for r in records), default=None)
        if self.first_held is not None and (first is None or self.first_held < first):
            first = self.first_held
        return Attendance(members, first)


def _insert(days: list[date], logged: list[datetime], day: date, at: datetime) -> None:
    """Insert (day, at) into parallel lists sorted by (day, logged moment), after its equals."""
    index = bisect_right(days, day)
    while index and days[index - 1] == day and logged[index - 1] > at:
        index -= 1
    days.insert(index, day)
    logged.insert(index, at)


def _expected_at(ruleset: Ruleset, record: SittingRecord) -> tuple[str, ...]:
    if not ruleset.has_system(record.system):
        return ()
    return expected_attendees(ruleset, ruleset.system(record.system), record.group)


def absence_warnings(engine: ReminderEngine, attendance: Attendance, today: date, now: datetime):
    """A member who attended nothing for N months is named once per streak of absence.

    The streak starts at the latest of: the last sitting they attended, the day the
    engine began watching (its first run; ``simulate --from``; without either, the
    first sitting on record) and the day they joined the roster (members added after
    the first roster sync). It counts only if a sitting they were expected at was held
    since. The warning goes out at the first send moment at or after both the streak's
    N months and the logging of the records that revealed it — never at the hour a
    record happens to be logged.
    """
    if attendance.first_held is None:
        return
    watch = attendance.first_held if engine.since is None else max(engine.since, attendance.first_held)
    roster = engine.ruleset.roster
    months = engine.ruleset.absence_warning_months
    warn_moments = engine.absence_warn_moments  # start -> the earliest moment a warning may go
    for member in roster.members:
        presence = attendance.members[member.name]
        start = max(watch, engine.member_since.get(member.name, watch))
        index = bisect_right(presence.attended, today)
        if index and presence.attended[index - 1] >= start:
            start = presence.attended[index - 1]
        earliest = warn_moments.get(start)
        if earliest is None:
            earliest = warn_moments[start] = engine.moment(
                engine.calendar.workday_on_or_after(add_months(start, months))
            )
        if earliest > now:
            continue  # the warning's moment is never before this one: not yet (the common case)
        known_at = None  # when the record that sets the start was logged
        if index and presence.attended[index - 1] == start:
            known_at = min(presence.attended_logged[bisect_left(presence.attended, start) : index])
        low, high = bisect_right(presence.expected, start), bisect_right(presence.expected, today)
        if low == high:
            continue  # nothing was held since that they were expected at
        revealed = min(presence.expected_logged[low:high])
        moment = engine.send_moment_at_or_after(max(earliest, revealed, known_at or revealed))
        if moment > now or not engine.after_since(moment.astimezone(engine.settings.zone).date()):
            continue
        recipients = [g.leader for g in roster.groups if g.key == member.group]
        recipients += engine.secretaries
        for name in dict.fromkeys(n for n in recipients if n != member.name):
            yield PlannedMessage(
                key=message_key(f"absence:{member.name}:{start.isoformat()}", Kind.ABSENCE_WARNING, None, name),
                kind=Kind.ABSENCE_WARNING,
                variant=Variant.ABSENCE,
                at=moment,
                recipient=name,
                subject=member.name,
                absent_since=start,
            )


def follow_ups(engine: ReminderEngine, last: date):
    """Deferred minutes or photos still missing two workdays after logging: ask whoever logged it."""
    for item in engine.deferred:
        if not (item.minutes or item.photos) or not engine.ruleset.has_system(item.system):
            continue
        logged_on = item.logged_at.astimezone(engine.settings.zone).date()
        day = engine.calendar.workdays_after(logged_on, FOLLOW_UP_WORKDAYS)
        if day > last or not engine.after_since(day):
            continue
        rule = engine.ruleset.system(item.system)
        obligation = Obligation(item.system, item.group, period_of(rule.period, item.held_on))
        missing = tuple(name for name, flag in (("minutes", item.minutes), ("photos", item.photos)) if flag)
        recipients = [item.logged_by] if item.logged_by else list(engine.secretaries)
        for name in recipients:
            yield PlannedMessage(
                key=message_key(f"record:{item.record_id}", Kind.FOLLOW_UP, None, name),
                kind=Kind.FOLLOW_UP,
                variant=Variant.FOLLOW_UP,
                at=engine.moment(day),
                recipient=name,
                obligation=obligation,
                record_id=item.record_id,
                missing=missing,
            )
