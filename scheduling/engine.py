"""Which messages the reminder engine owes the branch at a moment (SPEC §4). Pure.

The engine is asked one question — "what should have gone out by ``now``, and is
still worth sending?" — and answers with :class:`PlannedMessage` values whose keys
are deterministic, so that the outbox (which remembers what was sent) can turn the
answer into "send each message exactly once". Catch-up after downtime falls out of
the same question: of each obligation's reminders only the latest one is still
relevant, of the weekly digests only this week's; escalations stay relevant until
the obligation is done (a 补录 ends them: no further level is produced). Every
message is scheduled at a workday's ``send_time`` in the branch's zone; one that a
newly logged record reveals (an absence warning) is scheduled at the first such
moment at or after the record was logged, never at the hour it was logged.

The digest, absence warnings and follow-ups live in :mod:`scheduling.engine_digest`;
the values in :mod:`scheduling.engine_types` (re-exported here).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from scheduling.engine_digest import Attendance, absence_warnings, follow_ups, weekly_digests
from scheduling.engine_types import (
    BRANCH_CHAT,
    FOLLOW_UP_WORKDAYS,
    SUPERIOR,
    DeferredRecord,
    EngineSettings,
    Kind,
    MemoCalendar,
    ObligationPlan,
    PlannedMessage,
    Variant,
    memoized,
    message_key,
)
from scheduling.obligations import (
    Obligation,
    SittingRecord,
    Status,
    compliance,
    obligations_for_year,
    responsible,
)
from scheduling.reminder_plan import escalation_days, opening_day, send_days
from scheduling.rules import Role, Ruleset, SystemRule
from scheduling.workdays import WorkdayCalendar

__all__ = [
    "BRANCH_CHAT",
    "FOLLOW_UP_WORKDAYS",
    "SUPERIOR",
    "DeferredRecord",
    "EngineSettings",
    "Kind",
    "ObligationPlan",
    "PlannedMessage",
    "ReminderEngine",
    "Variant",
    "due_messages",
    "memoized",
]

# When two reminders fall on one day, the more specific text wins.
_REMINDER_PRIORITY = (Variant.OPENING, Variant.OFFSET, Variant.SNOOZE, Variant.PLANNED_EVE, Variant.PLANNED_DAY)


@dataclass(frozen=True)
class _Candidate:
    day: date
    variant: Variant
    until: date  # the last day on which this reminder is still worth sending


@dataclass(frozen=True)
class _ObligationView:
    obligation: Obligation
    rule: SystemRule
    deadline: date
    responsible: tuple[str, ...]
    done: bool
    reminders: tuple[_Candidate, ...]  # sorted by day
    reminder_days: tuple[date, ...]
    escalations: tuple[tuple[int, date], ...]  # (level, day), by level


class ReminderEngine:
    """The engine over one snapshot of the database (records known, plans, roster).

    Build a new one when the snapshot changes; :meth:`due` may be asked for many
    moments (``zhibu simulate`` steps a whole year through one instance).
    """

    def __init__(
        self,
        ruleset: Ruleset,
        calendar: WorkdayCalendar,
        settings: EngineSettings | None = None,
        *,
        records: Iterable[SittingRecord] = (),
        plans: Mapping[str, ObligationPlan] | None = None,
        deferred: Iterable[DeferredRecord] = (),
        member_since: Mapping[str, date] | None = None,
        since: date | None = None,
    ) -> None:
        self.ruleset = ruleset
        self.calendar = MemoCalendar.of(calendar)
        self.settings = settings or EngineSettings()
        self.records = tuple(records)
        self.plans = dict(plans or {})
        self.deferred = tuple(deferred)
        self.member_since = dict(member_since or {})
        # Nothing scheduled before this day is produced: the engine's memory (the
        # outbox) starts here, so older messages are neither known to be sent nor due.
        self.since = since
        self._years: dict[int | tuple, list[_ObligationView]] = {}  # by year, and ("open", year)
        self._by_id = {record.id: record for record in self.records}
        self._by_year: dict[int, list[SittingRecord]] | None = None
        # Shared with the engines of later snapshots (see :meth:`with_records`): a
        # year's views depend only on that year's records, a batch on the obligation.
        self._shared_views: dict[tuple, tuple[tuple[SittingRecord, ...], list[_ObligationView]]] = {}
        self._moments: dict[date, datetime] = {}
        self._batches: dict[tuple, tuple[PlannedMessage, ...] | dict] = {}  # also each schedule
        self._attendance: Attendance | None = None
        self._earlier: ReminderEngine | None = None
        # The start of an absence streak -> the first send moment its warning may take.
        self.absence_warn_moments: dict[date, datetime] = {}
        roster = ruleset.roster
        self.secretaries = tuple(m.name for m in roster.with_role(Role.SECRETARY))
        self._committee = tuple(m.name for m in roster.with_role(Role.COMMITTEE))

    def with_records(self, records: Iterable[SittingRecord], deferred: Iterable[DeferredRecord] = ()) -> ReminderEngine:
        """The engine of a later snapshot: the same plans, roster and settings over
        ``records`` (usually these records and more) and ``deferred``; what the new
        records leave unchanged is reused, not rebuilt."""
        later = ReminderEngine(
            self.ruleset,
            self.calendar,
            self.settings,
            records=records,
            plans=self.plans,
            deferred=deferred,
            member_since=self.member_since,
            since=self.since,
        )
        later._shared_views = self._shared_views
        later._moments = self._moments
        later._batches = self._batches
        later.absence_warn_moments = self.absence_warn_moments
        later._earlier = self
        return later

    # -- time --------------------------------------------------------------------

    def moment(self, day: date) -> datetime:
        """The send moment of ``day`` (``send_time`` in the branch zone), in UTC."""
        if day not in self._moments:
            local = datetime.combine(day, self.settings.send_time, tzinfo=self.settings.zone)
            self._moments[day] = local.astimezone(UTC)
        return self._moments[day]

    def send_moments(self, start: date, end: date) -> list[datetime]:
        """Every send moment of the workdays from ``start`` to ``end`` inclusive."""
        days = (start + timedelta(days=n) for n in range((end - start).days + 1))
        return [self.moment(day) for day in days if self.calendar.is_workday(day)]

    def _last_send_day(self, now: datetime) -> date:
        today = now.astimezone(self.settings.zone).date()
        return today if self.moment(today) <= now else today - timedelta(days=1)

    def send_moment_at_or_after(self, moment: datetime) -> datetime:
        """The first send moment (a workday at ``send_time``) at or after ``moment``."""
        day = moment.astimezone(self.settings.zone).date()
        if self.calendar.is_workday(day) and self.moment(day) >= moment:
            return self.moment(day)
        return self.moment(self.calendar.workday_after(day))

    def after_since(self, day: date) -> bool:
        """Whether ``day`` is on or after the day the engine began (its memory starts there)."""
        return self.since is None or day >= self.since

    # -- the question ------------------------------------------------------------

    def due(self, now: datetime) -> list[PlannedMessage]:
        """Every message scheduled at or before ``now`` that is still relevant, in send order."""
        today = now.astimezone(self.settings.zone).date()
        last = self._last_send_day(now)
        messages: dict[str, PlannedMessage] = {}
        views = [view for year in (today.year - 1, today.year) for view in self._views(year)]
        for view in (view for year in (today.year - 1, today.year) for view in self._open_views(year)):
            for message in self._obligation_messages(view, today, last):
                messages[message.key] = message
        for message in (
            *weekly_digests(self, views, last),
            *absence_warnings(self, self._attendance_now(), today, now),
            *follow_ups(self, last),
        ):
            messages[message.key] = message
        return sorted(messages.values(), key=lambda m: m.sort_key)

    def _attendance_now(self) -> Attendance:
        if self._attendance is None:
            earlier, self._earlier = self._earlier, None
            known = len(earlier.records) if earlier is not None else 0
            if (
                earlier is not None
                and earlier._attendance is not None
                and known <= len(self.records)
                and all(a is b for a, b in zip(earlier.records, self.records[:known]))
            ):
                self._attendance = earlier._attendance.extended(self.ruleset, self.records[known:])
            else:
                self._attendance = Attendance.of(self.ruleset, self.records)
        return self._attendance

    def _obligation_messages(self, view: _ObligationView, today: date, last: date):
        if view.done:
            return  # reminders stop; a late record (补录) ends the escalation: no further level
        index = bisect_right(view.reminder_days, last)
        candidate = view.reminders[index - 1] if index else None
        if candidate is not None and today <= candidate.until and self.after_since(candidate.day):
            key = ("reminder", view.obligation.key, candidate.day)
            yield from self._batch(key, lambda: self._reminders(view, candidate))
        for level, day in view.escalations:
            if day <= last and self.after_since(day):
                key = ("escalation", view.obligation.key, level)
                yield from self._batch(key, lambda: self._escalations(view, level, day))

    def _batch(self, key: tuple, build) -> tuple[PlannedMessage, ...]:
        """Messages depend on the snapshot, not on the moment: build each batch once."""
        if key not in self._batches:
            self._batches[key] = tuple(build())
        return self._batches[key]

    def _reminders(self, view: _ObligationView, candidate: _Candidate):
        ob = view.obligation
        for name in view.responsible:
            yield PlannedMessage(
                key=message_key(ob.key, Kind.REMINDER, None, name, candidate.day),
                kind=Kind.REMINDER,
                variant=candidate.variant,
                at=self.moment(candidate.day),
                recipient=name,
                obligation=ob,
                planned_on=self.plans.get(ob.key, ObligationPlan()).planned_on,
            )

    def _escalations(self, view: _ObligationView, level: int, day: date):
        # A secretary who is also responsible gets the secretary's text, once.
        recipients = dict(self._escalation_recipients(level, view))
        for name, variant in recipients.items():
            yield PlannedMessage(
                key=message_key(view.obligation.key, Kind.ESCALATION, level, name),
                kind=Kind.ESCALATION,
                variant=variant,
                at=self.moment(day),
                recipient=name,
                level=level,
                obligation=view.obligation,
            )

    def _escalation_recipients(self, level: int, view: _ObligationView) -> list[tuple[str, Variant]]:
        if level == 1:
            chosen = [(name, Variant.OVERDUE_NOTICE) for name in view.responsible]
            return chosen + [(name, Variant.ESCALATION) for name in self.secretaries]
        if level == 2:
            return [(name, Variant.ESCALATION) for name in self._committee]
        return [(SUPERIOR, Variant.ESCALATION)] if self.settings.superior_configured else []

    # -- per-year views (cached: they depend on the snapshot, not on the moment) ---

    def _views(self, year: int) -> list[_ObligationView]:
        if year not in self._years:
            if self._by_year is None:
                self._by_year = {}
                for record in self.records:
                    self._by_year.setdefault(record.held_on.year, []).append(record)
            records = tuple(self._by_year.get(year, ()))
            # Keyed by the records' identities; the entry keeps them alive, so no id is reused.
            key = (year, tuple(map(id, records)))
            if key not in self._shared_views:
                self._shared_views[key] = (records, self._build_views(year, records))
            self._years[year] = self._shared_views[key][1]
        return self._years[year]

    def _open_views(self, year: int) -> list[_ObligationView]:
        """The views of ``year`` not done (a done obligation sends nothing)."""
        key = ("open", year)
        if key not in self._years:
            self._years[key] = [view for view in self._views(year) if not view.done]
        return self._years[key]

    def _build_views(self, year: int, records: tuple[SittingRecord, ...]) -> list[_ObligationView]:
        statuses = {s.obligation.key: s for s in compliance(self.ruleset, records, date(year + 1, 1, 1), year)}
        views = []
        for ob in obligations_for_year(self.ruleset, year):
            rule = self.ruleset.system(ob.system)
            status = statuses.get(ob.key)
            done = status is not None and status.status is Status.DONE
            prerequisite = self._prerequisite_logged_on(rule, ob, statuses) if rule.after else None
            views.append(
                _ObligationView(
                    obligation=ob,
                    rule=rule,
                    deadline=ob.deadline,
                    responsible=responsible(self.ruleset, rule, ob.group),
                    done=done,
                    **self._schedule(ob, prerequisite),
                )
            )
        return views

    def _schedule(self, ob: Obligation, prerequisite: date | None) -> dict:
        """The reminder and escalation days of ``ob``: they depend on the plans, the
        calendar and the prerequisite only, so later snapshots share them."""
        key = ("schedule", ob, prerequisite)
        if key not in self._batches:
            reminders = self._reminder_candidates(ob, prerequisite)
            self._batches[key] = {
                "reminders": reminders,
                "reminder_days": tuple(c.day for c in reminders),
                "escalations": tuple(sorted(escalation_days(self.ruleset, self.calendar, ob).items())),
            }
        return self._batches[key]

    def _prerequisite_logged_on(self, rule: SystemRule, ob: Obligation, statuses) -> date | None:
        """The day this year's valid sitting of ``rule.after`` was logged (branch zone)."""
        logged = []
        for status in statuses.values():
            other = status.obligation
            if other.system != rule.after or (other.group is not None and other.group != ob.group):
                continue
            logged += [self._by_id[i].logged_at for i in status.valid_record_ids if i in self._by_id]
        return min(logged).astimezone(self.settings.zone).date() if logged else None

    def _reminder_candidates(self, ob: Obligation, prerequisite: date | None) -> tuple[_Candidate, ...]:
        days = send_days(self.ruleset, self.calendar, ob, prerequisite_logged_on=prerequisite)
        opening = opening_day(self.ruleset, self.calendar, ob, prerequisite_logged_on=prerequisite)
        plan = self.plans.get(ob.key, ObligationPlan())
        chosen: dict[date, _Candidate] = {}

        def add(day: date, variant: Variant, until: date) -> None:
            current = chosen.get(day)
            if current is None or _REMINDER_PRIORITY.index(variant) > _REMINDER_PRIORITY.index(current.variant):
                chosen[day] = _Candidate(day, variant, until)

        for day in days:
            # A planned date replaces the offset reminders up to it; later ones stay,
            # in case the plan lapses without a record.
            if plan.planned_on is None or day > plan.planned_on:
                add(day, Variant.OPENING if day == opening else Variant.OFFSET, ob.deadline)
        if plan.planned_on is not None:
            for day, variant in (
                (self.calendar.workday_before(plan.planned_on), Variant.PLANNED_EVE),
                (plan.planned_on, Variant.PLANNED_DAY),
            ):
                # A date set at 15:00 for tomorrow gets no "tomorrow" reminder at 15:00:
                # a planned-date reminder is never scheduled before the person said so.
                told = plan.told_at is None or self.moment(day) >= plan.told_at
                if told and self.calendar.is_workday(day):
                    add(day, variant, plan.planned_on)
        if plan.snoozed_until is not None and self.calendar.is_workday(plan.snoozed_until):
            add(plan.snoozed_until, Variant.SNOOZE, max(plan.snoozed_until, ob.deadline))
        return tuple(sorted(chosen.values(), key=lambda c: c.day))


def due_messages(
    ruleset: Ruleset,
    calendar: WorkdayCalendar,
    settings: EngineSettings,
    now: datetime,
    **snapshot,
) -> list[PlannedMessage]:
    """Every message due at ``now`` and still relevant (see :class:`ReminderEngine`)."""
    return ReminderEngine(ruleset, calendar, settings, **snapshot).due(now)
