"""Which messages the reminder engine owes the branch at a moment (SPEC §4). Pure.

The engine is asked one question — "what should have gone out by ``now``, and is
still worth sending?" — and answers with :class:`PlannedMessage` values whose keys
are deterministic, so that the outbox (which remembers what was sent) can turn the
answer into "send each message exactly once". Catch-up after downtime falls out of
the same question: of each obligation's reminders only the latest one is still
relevant, of the weekly digests only this week's; escalations stay relevant until
the obligation is done. Messages are sent only on workdays at ``send_time`` in
the branch's zone; the one event-driven message (a 补录 that ends an escalation)
is due at the moment the record was logged.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from scheduling.obligations import Obligation, SittingRecord, Status, compliance, obligations_for_year
from scheduling.periods import period_of
from scheduling.reminder_plan import escalation_days, opening_day, send_days
from scheduling.rules import Role, Ruleset, SystemRule
from scheduling.workdays import WorkdayCalendar

SUPERIOR = "superior"
BRANCH_CHAT = "branch_chat"
FOLLOW_UP_WORKDAYS = 2


class Kind(StrEnum):
    """The kinds ``zhibu simulate --format json`` prints (SPEC §6)."""

    REMINDER = "reminder"
    ESCALATION = "escalation"
    DIGEST = "digest"
    ABSENCE_WARNING = "absence_warning"
    FOLLOW_UP = "follow_up"


class Variant(StrEnum):
    """Which text a message gets; several variants share one :class:`Kind`."""

    OPENING = "opening"  # the period's first workday
    OFFSET = "offset"  # N days before the deadline
    PLANNED_EVE = "planned_eve"  # the workday before the planned date
    PLANNED_DAY = "planned_day"  # the planned date itself
    SNOOZE = "snooze"  # 稍后提醒: the next workday
    OVERDUE_NOTICE = "overdue_notice"  # level 1, to the responsible persons
    ESCALATION = "escalation"  # levels 1–3, to secretary / committee / superior
    RESOLVED = "resolved"  # a 补录 ended the escalation (to the secretary)
    DIGEST = "digest"
    ABSENCE = "absence"
    FOLLOW_UP = "follow_up"


# When two reminders fall on one day, the more specific text wins.
_REMINDER_PRIORITY = (Variant.OPENING, Variant.OFFSET, Variant.SNOOZE, Variant.PLANNED_EVE, Variant.PLANNED_DAY)


@dataclass(frozen=True)
class _MemoCalendar(WorkdayCalendar):
    """The same calendar, remembering each day's answer: a simulated year asks
    about the same days thousands of times, and each official lookup is slow."""

    _memo: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    @classmethod
    def of(cls, calendar: WorkdayCalendar) -> WorkdayCalendar:
        if isinstance(calendar, _MemoCalendar) or type(calendar) is not WorkdayCalendar:
            return calendar
        return cls(calendar.extra_holidays, calendar.extra_workdays)

    def is_workday(self, day: date) -> bool:
        answer = self._memo.get(day)
        if answer is None:
            answer = self._memo[day] = super().is_workday(day)
        return answer


@dataclass(frozen=True)
class EngineSettings:
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    send_time: time = time(9, 0)
    superior_configured: bool = False
    branch_chat_configured: bool = False


@dataclass(frozen=True)
class ObligationPlan:
    """What a responsible person said about an obligation (table obligation_state)."""

    planned_on: date | None = None
    snoozed_until: date | None = None


@dataclass(frozen=True)
class DeferredRecord:
    """A record whose minutes or photos were deferred (稍后补充) and are still missing."""

    record_id: int
    system: str
    group: str | None
    held_on: date
    logged_at: datetime
    logged_by: str | None
    minutes: bool
    photos: bool


@dataclass(frozen=True)
class PlannedMessage:
    key: str
    kind: Kind
    variant: Variant
    at: datetime  # the scheduled moment, aware
    recipient: str  # a member's name, SUPERIOR or BRANCH_CHAT
    level: int | None = None
    obligation: Obligation | None = None
    planned_on: date | None = None
    record_id: int | None = None
    subject: str | None = None  # the member an absence warning names
    absent_since: date | None = None
    due_this_week: tuple[Obligation, ...] = ()
    overdue: tuple[Obligation, ...] = ()
    missing: tuple[str, ...] = ()  # "minutes", "photos" for a follow-up

    @property
    def sort_key(self) -> tuple:
        return (self.at, _KIND_ORDER[self.kind], self.level or 0, self.key)


_KIND_ORDER = {kind: index for index, kind in enumerate(Kind)}


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
    done_logged_at: datetime | None  # when the record that completed it was logged
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
        self.calendar = _MemoCalendar.of(calendar)
        self.settings = settings or EngineSettings()
        self.records = tuple(records)
        self.plans = dict(plans or {})
        self.deferred = tuple(deferred)
        self.member_since = dict(member_since or {})
        # Nothing scheduled before this day is produced: the engine's memory (the
        # outbox) starts here, so older messages are neither known to be sent nor due.
        self.since = since
        self._years: dict[int, list[_ObligationView]] = {}
        self._by_id = {record.id: record for record in self.records}
        self._moments: dict[date, datetime] = {}
        self._batches: dict[tuple, tuple[PlannedMessage, ...]] = {}
        self._attended: dict[str, tuple[list[date], list[date]]] | None = None
        self._attendance_start: date | None = None
        roster = ruleset.roster
        self._secretaries = tuple(m.name for m in roster.with_role(Role.SECRETARY))
        self._committee = tuple(m.name for m in roster.with_role(Role.COMMITTEE))

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

    def _after_since(self, day: date) -> bool:
        return self.since is None or day >= self.since

    # -- the question ------------------------------------------------------------

    def due(self, now: datetime) -> list[PlannedMessage]:
        """Every message scheduled at or before ``now`` that is still relevant, in send order."""
        today = now.astimezone(self.settings.zone).date()
        last = self._last_send_day(now)
        messages: dict[str, PlannedMessage] = {}
        views = [view for year in (today.year - 1, today.year) for view in self._views(year)]
        for view in views:
            for message in self._obligation_messages(view, today, last, now):
                messages[message.key] = message
        for message in (
            *self._digests(views, last),
            *self._absence_warnings(today, last),
            *self._follow_ups(last),
        ):
            messages[message.key] = message
        return sorted(messages.values(), key=lambda m: m.sort_key)

    def _obligation_messages(self, view: _ObligationView, today: date, last: date, now: datetime):
        if view.done:
            yield from self._resolved(view, now)
            return
        index = bisect_right(view.reminder_days, last)
        candidate = view.reminders[index - 1] if index else None
        if candidate is not None and today <= candidate.until and self._after_since(candidate.day):
            key = ("reminder", view.obligation.key, candidate.day)
            yield from self._batch(key, lambda: self._reminders(view, candidate))
        for level, day in view.escalations:
            if day <= last and self._after_since(day):
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
                key=_key(ob.key, Kind.REMINDER, None, name, candidate.day),
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
                key=_key(view.obligation.key, Kind.ESCALATION, level, name),
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
            return chosen + [(name, Variant.ESCALATION) for name in self._secretaries]
        if level == 2:
            return [(name, Variant.ESCALATION) for name in self._committee]
        return [(SUPERIOR, Variant.ESCALATION)] if self.settings.superior_configured else []

    def _resolved(self, view: _ObligationView, now: datetime):
        """A 补录 after escalation began ends it; the secretary is told once."""
        first = dict(view.escalations).get(1)
        logged_at = view.done_logged_at
        if first is None or logged_at is None or logged_at < self.moment(first) or logged_at > now:
            return
        if not self._after_since(logged_at.astimezone(self.settings.zone).date()):
            return
        for name in self._secretaries:
            yield PlannedMessage(
                key=_key(view.obligation.key, Kind.ESCALATION, "resolved", name),
                kind=Kind.ESCALATION,
                variant=Variant.RESOLVED,
                at=logged_at,
                recipient=name,
                obligation=view.obligation,
            )

    def _digests(self, views: list[_ObligationView], last: date):
        monday = last - timedelta(days=last.weekday())
        week = [monday + timedelta(days=n) for n in range(7)]
        first = next((day for day in week if self.calendar.is_workday(day)), None)
        if first is None or first > last or not self._after_since(first):
            return
        open_views = [v for v in views if not v.done]
        due = tuple(v.obligation for v in open_views if monday <= v.deadline <= week[-1])
        # Overdue as the engine escalates it: obligations that ended before the engine
        # began are not listed (a first start would otherwise list a year of history).
        overdue = tuple(
            v.obligation for v in open_views if v.deadline < first and self._after_since(v.escalations[0][1])
        )
        recipients = list(self._secretaries)
        if self.settings.branch_chat_configured:
            recipients.append(BRANCH_CHAT)
        for name in recipients:
            yield PlannedMessage(
                key=_key(f"digest:{monday.isoformat()}", Kind.DIGEST, None, name),
                kind=Kind.DIGEST,
                variant=Variant.DIGEST,
                at=self.moment(first),
                recipient=name,
                due_this_week=due,
                overdue=overdue,
            )

    def _absence_warnings(self, today: date, last: date):
        """A member who attended nothing for N months, once per streak of absence."""
        roster = self.ruleset.roster
        months = self.ruleset.absence_warning_months
        for member in roster.members:
            attended, expected = self._attendance()[member.name]
            index = bisect_right(attended, today)
            if index:
                start = attended[index - 1]
            elif self.records:
                first_record_day = self._attendance_start
                start = max(self.member_since.get(member.name, first_record_day), first_record_day)
            else:
                continue
            warn_day = self.calendar.workday_on_or_after(_add_months(start, months))
            if warn_day > last or not self._after_since(warn_day):
                continue
            if bisect_right(expected, today) == bisect_right(expected, start):
                continue  # nothing was held since that they were expected at
            recipients = [g.leader for g in roster.groups if g.key == member.group]
            recipients += self._secretaries
            for name in dict.fromkeys(n for n in recipients if n != member.name):
                yield PlannedMessage(
                    key=_key(f"absence:{member.name}:{start.isoformat()}", Kind.ABSENCE_WARNING, None, name),
                    kind=Kind.ABSENCE_WARNING,
                    variant=Variant.ABSENCE,
                    at=self.moment(warn_day),
                    recipient=name,
                    subject=member.name,
                    absent_since=start,
                )

    def _attendance(self) -> dict[str, tuple[list[date], list[date]]]:
        """Per member: the days they attended, and the days of sittings they were expected at."""
        if self._attended is None:
            self._attended = {m.name: ([], []) for m in self.ruleset.roster.members}
            for record in sorted(self.records, key=lambda r: r.held_on):
                expected = set(self._expected_at(record))
                for name, (attended, expected_days) in self._attended.items():
                    if name in record.present:
                        attended.append(record.held_on)
                    if name in expected:
                        expected_days.append(record.held_on)
            self._attendance_start = min((r.held_on for r in self.records), default=None)
        return self._attended

    def _expected_at(self, record: SittingRecord) -> tuple[str, ...]:
        if not self.ruleset.has_system(record.system):
            return ()
        return self.ruleset.roster.expected_attendees(self.ruleset.system(record.system), record.group)

    def _follow_ups(self, last: date):
        for item in self.deferred:
            if not (item.minutes or item.photos) or not self.ruleset.has_system(item.system):
                continue
            logged_on = item.logged_at.astimezone(self.settings.zone).date()
            day = self.calendar.workdays_after(logged_on, FOLLOW_UP_WORKDAYS)
            if day > last or not self._after_since(day):
                continue
            rule = self.ruleset.system(item.system)
            obligation = Obligation(item.system, item.group, period_of(rule.period, item.held_on))
            missing = tuple(name for name, flag in (("minutes", item.minutes), ("photos", item.photos)) if flag)
            recipients = [item.logged_by] if item.logged_by else list(self._secretaries)
            for name in recipients:
                yield PlannedMessage(
                    key=_key(f"record:{item.record_id}", Kind.FOLLOW_UP, None, name),
                    kind=Kind.FOLLOW_UP,
                    variant=Variant.FOLLOW_UP,
                    at=self.moment(day),
                    recipient=name,
                    obligation=obligation,
                    record_id=item.record_id,
                    missing=missing,
                )

    # -- per-year views (cached: they depend on the snapshot, not on the moment) ---

    def _views(self, year: int) -> list[_ObligationView]:
        if year not in self._years:
            self._years[year] = self._build_views(year)
        return self._years[year]

    def _build_views(self, year: int) -> list[_ObligationView]:
        records = [r for r in self.records if r.held_on.year == year]
        statuses = {s.obligation.key: s for s in compliance(self.ruleset, records, date(year + 1, 1, 1), year)}
        views = []
        for ob in obligations_for_year(self.ruleset, year):
            rule = self.ruleset.system(ob.system)
            status = statuses.get(ob.key)
            done = status is not None and status.status is Status.DONE
            valid = [self._by_id[i] for i in (status.valid_record_ids if status else ()) if i in self._by_id]
            prerequisite = self._prerequisite_logged_on(rule, ob, statuses) if rule.after else None
            views.append(
                _ObligationView(
                    obligation=ob,
                    rule=rule,
                    deadline=ob.deadline,
                    responsible=self.ruleset.responsible_for(rule, ob.group),
                    done=done,
                    done_logged_at=max((r.logged_at for r in valid), default=None) if done else None,
                    reminders=(reminders := self._reminder_candidates(ob, prerequisite)),
                    reminder_days=tuple(c.day for c in reminders),
                    escalations=tuple(sorted(escalation_days(self.ruleset, self.calendar, ob).items())),
                )
            )
        return views

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
            add(self.calendar.workday_before(plan.planned_on), Variant.PLANNED_EVE, plan.planned_on)
            if self.calendar.is_workday(plan.planned_on):
                add(plan.planned_on, Variant.PLANNED_DAY, plan.planned_on)
        if plan.snoozed_until is not None and self.calendar.is_workday(plan.snoozed_until):
            add(plan.snoozed_until, Variant.SNOOZE, max(plan.snoozed_until, ob.deadline))
        return tuple(sorted(chosen.values(), key=lambda c: c.day))


def memoized(calendar: WorkdayCalendar) -> WorkdayCalendar:
    """``calendar``, remembering each day's answer (for callers that step many moments)."""
    return _MemoCalendar.of(calendar)


def due_messages(
    ruleset: Ruleset,
    calendar: WorkdayCalendar,
    settings: EngineSettings,
    now: datetime,
    **snapshot,
) -> list[PlannedMessage]:
    """Every message due at ``now`` and still relevant (see :class:`ReminderEngine`)."""
    return ReminderEngine(ruleset, calendar, settings, **snapshot).due(now)


def _key(subject: str, kind: Kind, level: int | str | None, recipient: str, day: date | None = None) -> str:
    """``subject|kind|level|recipient[|day]`` — the outbox's uniqueness key."""
    parts = [subject, kind.value, "-" if level is None else str(level), recipient]
    if day is not None:
        parts.append(day.isoformat())
    return "|".join(parts)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _stdlib_calendar.monthrange(year, month)[1]))

