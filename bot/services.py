"""What the chat handlers ask of the domain and the database: one function per action.

Each takes a session and the moment (``now``) or day (``today``) it acts at; none
talks to Telegram. Handlers parse, call one of these, and answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlmodel import Session, select

from bot import texts
from bot.auth import Action, Person, Target, may, sees_obligation
from scheduling.obligations import (
    Obligation,
    ObligationStatus,
    Reason,
    Status,
    Verdict,
    compliance,
    judge,
    obligation_for,
    still_chased,
)
from scheduling.rules import AbsenceReason, Role, Ruleset
from storage import invites, records
from storage.media import StoredFile
from storage.models import AttachmentKind, AuditEntry, MeetingRecord, Member
from storage.roster import active_member, member_by_telegram_id

PLAN_HORIZON_DAYS = 60
RECENT_RECORDS = 10


# -- people --------------------------------------------------------------------------


def person_for(session: Session, ruleset: Ruleset, telegram_id: int) -> Person | None:
    """The bound, active member behind a Telegram account; None for anybody else."""
    member = member_by_telegram_id(session, telegram_id)
    if member is None:
        return None
    return _person(member, ruleset)


def _person(member: Member, ruleset: Ruleset) -> Person:
    leads = tuple(g.key for g in ruleset.roster.leads(member.name))
    return Person(member_id=member.id, name=member.name, roles=member.role_set, group=member.group_key, leads=leads)


def bound_people(session: Session, ruleset: Ruleset) -> list[tuple[int, Person]]:
    """Every bound, active member with their Telegram id (for their command menus)."""
    members = session.exec(select(Member).where(Member.active == True, Member.telegram_id.is_not(None)))  # noqa: E712
    return [(m.telegram_id, _person(m, ruleset)) for m in members]


def secretaries_chat_ids(session: Session, *, except_member_id: int | None = None) -> list[int]:
    """Telegram ids of the bound, active secretaries (to tell them about a new record)."""
    members = session.exec(select(Member).where(Member.active == True, Member.telegram_id.is_not(None)))  # noqa: E712
    return [
        m.telegram_id
        for m in members
        if Role.SECRETARY.value in m.role_set and m.id != except_member_id and not m.unreachable
    ]


def duties(person: Person, ruleset: Ruleset) -> list[str]:
    """What ``person`` is named responsible for, as labels (system, or system·group)."""
    result = []
    for rule in ruleset.enabled:
        groups = [g.key for g in ruleset.roster.groups] if rule.group_scoped else [None]
        for group in groups:
            if person.name in ruleset.responsible_for(rule, group):
                result.append(label(ruleset, rule.key, group))
    return result


def label(ruleset: Ruleset, system: str, group: str | None) -> str:
    """``党小组会·第一党小组`` or ``支部委员会``."""
    name = ruleset.system(system).name if ruleset.has_system(system) else system
    return f"{name}·{group_name(ruleset, group)}" if group else name


def group_name(ruleset: Ruleset, group: str | None) -> str | None:
    if group is None:
        return None
    try:
        return ruleset.roster.group(group).name
    except KeyError:
        return group


# -- binding -------------------------------------------------------------------------


def bind(session: Session, *, code: str, telegram_id: int, now: datetime) -> invites.RedeemResult:
    return invites.redeem_invite(session, code=code, telegram_id=telegram_id, now=now)


def invite(session: Session, *, member_name: str, created_by: str, now: datetime) -> str:
    """A one-time code for an active member; raises NoSuchMember."""
    active_member(session, member_name)
    return invites.create_invite(session, member_name=member_name, now=now, created_by=created_by)


# -- saving a record ------------------------------------------------------------------


@dataclass(frozen=True)
class FileRef:
    """A file already stored under media_dir, with what Telegram said about it."""

    stored: StoredFile
    telegram_file_id: str | None
    telegram_file_unique_id: str | None
    original_name: str | None = None


@dataclass(frozen=True)
class Saved:
    record_id: int
    obligation: Obligation
    late: bool
    verdicts: tuple[Verdict, ...]  # the primary system first, then what the sitting covers
    # A late record (补录): whether its obligation is now done, which ends the escalation.
    completes: bool = False


def save_record(
    session: Session,
    ruleset: Ruleset,
    *,
    person: Person,
    system: str,
    group: str | None,
    held_on: date,
    topic: str,
    attendance: Mapping[str, tuple[bool, str | None]],
    standalone: bool | None,
    covers: Sequence[str],
    minutes_text: str | None,
    minutes_file: FileRef | None,
    minutes_deferred: bool,
    photos: Sequence[FileRef],
    photos_deferred: bool,
    now: datetime,
    today: date,
) -> Saved:
    """Record, attendance, coverage, attachments and audit in the caller's transaction."""
    rule = ruleset.system(system)
    obligation = obligation_for(ruleset, system, group if rule.group_scoped else None, held_on)
    late = today > obligation.deadline
    record = records.create_record(
        session,
        system=system,
        covers=covers,
        group_key=group if rule.group_scoped else None,
        held_on=held_on,
        topic=topic,
        standalone=standalone,
        attendance={n: (p, AbsenceReason(r) if r else None) for n, (p, r) in attendance.items()},
        minutes_text=minutes_text,
        minutes_deferred=minutes_deferred,
        photos_deferred=photos_deferred,
        logged_by_name=person.name,
        now=now,
        late=late,
    )
    if minutes_file is not None:
        _attach(session, record.id, minutes_file, AttachmentKind.MINUTES, person, now)
    for photo in photos:
        _attach(session, record.id, photo, AttachmentKind.PHOTO, person, now)
    session.flush()
    verdicts = tuple(verdicts_of(session, ruleset, record.id, held_on))
    return Saved(record.id, obligation, late, verdicts, completes=_done(session, ruleset, obligation, today))


def _done(session: Session, ruleset: Ruleset, obligation: Obligation, today: date) -> bool:
    """Whether ``obligation`` has what it needs (as the escalation engine judges it)."""
    statuses = year_statuses(session, ruleset, year=obligation.period.year, today=today)
    return any(s.obligation == obligation and s.status is Status.DONE for s in statuses)


def _attach(session: Session, record_id: int, ref: FileRef, kind: AttachmentKind, person: Person, now: datetime) -> None:
    records.add_attachment(
        session,
        record_id=record_id,
        stored_file=ref.stored,
        kind=kind,
        telegram_file_id=ref.telegram_file_id,
        telegram_file_unique_id=ref.telegram_file_unique_id,
        original_name=ref.original_name,
        actor_name=person.name,
        now=now,
    )


def verdicts_of(session: Session, ruleset: Ruleset, record_id: int, held_on: date) -> list[Verdict]:
    """The verdicts on one record, judged among every record of its year."""
    sittings = records.load_sittings(session, start=date(held_on.year, 1, 1), end=date(held_on.year, 12, 31))
    return [v for v in judge(ruleset, sittings) if v.record_id == record_id]


def verdict_text(ruleset: Ruleset, verdict: Verdict, group: str | None, held_on: date) -> str:
    """One line: counts for which period, or does not count and why."""
    name = ruleset.system(verdict.system).name if ruleset.has_system(verdict.system) else verdict.system
    rule_group = group if ruleset.has_system(verdict.system) and ruleset.system(verdict.system).group_scoped else None
    try:
        period = texts.period_label(obligation_for(ruleset, verdict.system, rule_group, held_on).period.key)
    except KeyError:
        period = str(held_on.year)
    if verdict.counts:
        return texts.verdict_counts(name, period)
    return texts.verdict_not_counted(name, period, [_reason_text(ruleset, verdict, r) for r in verdict.reasons])


def _reason_text(ruleset: Ruleset, verdict: Verdict, reason: Reason) -> str:
    details = verdict.details or {}
    if reason is Reason.QUORUM_NOT_MET and "present" in details and ruleset.has_system(verdict.system):
        quorum = ruleset.system(verdict.system).quorum
        if quorum is not None:
            fraction = f"{quorum.fraction.numerator}/{quorum.fraction.denominator}"
            return texts.quorum_detail(details["present"], details["expected"], fraction, quorum.inclusive)
    return texts.REASON_NAMES.get(reason.value, reason.value)


# -- queries -------------------------------------------------------------------------


def year_statuses(session: Session, ruleset: Ruleset, *, year: int, today: date) -> list[ObligationStatus]:
    sittings = records.load_sittings(session, start=date(year, 1, 1), end=date(year, 12, 31))
    return compliance(ruleset, sittings, today, year)


def current_status(session: Session, ruleset: Ruleset, person: Person, *, today: date) -> list[ObligationStatus]:
    """The obligations of the periods containing ``today`` that ``person`` may see."""
    return [
        s
        for s in year_statuses(session, ruleset, year=today.year, today=today)
        if s.obligation.period.contains(today) and sees_obligation(person, ruleset, s.obligation.system, s.obligation.group)
    ]


def visible_year(session: Session, ruleset: Ruleset, person: Person, *, year: int, today: date) -> list[ObligationStatus]:
    return [
        s
        for s in year_statuses(session, ruleset, year=year, today=today)
        if sees_obligation(person, ruleset, s.obligation.system, s.obligation.group)
    ]


def overdue(session: Session, ruleset: Ruleset, *, today: date) -> list[ObligationStatus]:
    """Overdue obligations still worth chasing: this year's, and last year's whose
    meeting could still be logged (within ``max_backdate_days``)."""
    result = []
    for year in (today.year - 1, today.year):
        for s in year_statuses(session, ruleset, year=year, today=today):
            if s.status is Status.OVERDUE and still_chased(s.obligation.deadline, today, ruleset.max_backdate_days):
                result.append(s)
    return sorted(result, key=lambda s: (s.obligation.deadline, s.obligation.key))


def my_plan(session: Session, ruleset: Ruleset, person: Person, *, today: date) -> list[ObligationStatus]:
    """The not-yet-done obligations ``person`` answers for with a deadline in the next 60 days."""
    horizon = today + timedelta(days=PLAN_HORIZON_DAYS)
    result = []
    for year in sorted({today.year, horizon.year}):
        for s in year_statuses(session, ruleset, year=year, today=today):
            if person.name in s.responsible and today <= s.obligation.deadline <= horizon and s.status is not Status.DONE:
                result.append(s)
    return sorted(result, key=lambda s: (s.obligation.deadline, s.obligation.key))


def record_target(session: Session, record: MeetingRecord) -> Target:
    covers = records.record_detail(session, record.id).covers
    return Target(system=record.system, group=record.group_key, covers=frozenset(covers), logged_by_id=record.logged_by_id)


def visible_records(session: Session, ruleset: Ruleset, person: Person, *, limit: int = RECENT_RECORDS) -> list[MeetingRecord]:
    """The newest records ``person`` may open."""
    if may(person, Action.SEE_BRANCH, ruleset):
        return records.list_records(session, limit=limit)
    result: list[MeetingRecord] = []
    offset = 0
    # Filter page by page: a member sees few records, but they may be old.
    while len(result) < limit:
        page = records.list_records(session, limit=50, offset=offset)
        if not page:
            break
        result += [r for r in page if may(person, Action.VIEW_RECORD, ruleset, record_target(session, r))]
        offset += len(page)
    return result[:limit]


def open_record(session: Session, ruleset: Ruleset, person: Person, record_id: int, action: Action = Action.VIEW_RECORD):
    """The record's detail if ``person`` may do ``action`` on it; None otherwise (or if unknown)."""
    detail = records.record_detail(session, record_id)
    if detail is None:
        return None
    target = Target(
        system=detail.record.system,
        group=detail.record.group_key,
        covers=frozenset(detail.covers),
        logged_by_id=detail.record.logged_by_id,
    )
    return detail if may(person, action, ruleset, target) else None


def amend(
    session: Session,
    ruleset: Ruleset,
    person: Person,
    *,
    record_id: int,
    now: datetime,
    topic: str | None = None,
    held_on: date | None = None,
    minutes_text: str | None = None,
    files: Sequence[tuple[FileRef, AttachmentKind]] = (),
) -> bool:
    """Apply one amendment (audited); False when ``person`` may not amend this record."""
    if open_record(session, ruleset, person, record_id, Action.AMEND_RECORD) is None:
        return False
    records.amend_record(session, record_id=record_id, actor_name=person.name, now=now, topic=topic, held_on=held_on, minutes_text=minutes_text)
    for ref, kind in files:
        _attach(session, record_id, ref, kind, person, now)
    return True


@dataclass(frozen=True)
class DateMoved:
    """What correcting a record's date changed: its 补录 flag, and the periods it left."""

    before: date
    late: bool
    # Obligations the record counted for under its old date and no longer does, each
    # with whether it is still done (by another record) after the move.
    left: tuple[tuple[Obligation, bool], ...]


def amend_date(
    session: Session, ruleset: Ruleset, person: Person, *, record_id: int, held_on: date, now: datetime, zone, today: date
) -> DateMoved | None:
    """Move a record to ``held_on`` (audited), recompute 补录 from the day it was logged,
    and say which periods it no longer counts for; None when ``person`` may not amend it."""
    detail = open_record(session, ruleset, person, record_id, Action.AMEND_RECORD)
    if detail is None:
        return None
    record = detail.record
    before = record.held_on
    counted_before = _counted_obligations(session, ruleset, record, before)
    records.amend_record(session, record_id=record_id, actor_name=person.name, now=now, held_on=held_on)
    # 补录 means logged after the deadline of the period the meeting counts for: with a new
    # date that period (and so the flag) may change. storage leaves ``late`` as logged.
    logged_at = record.logged_at if record.logged_at.tzinfo else record.logged_at.replace(tzinfo=timezone.utc)
    logged_on = logged_at.astimezone(zone).date()
    late = logged_on > obligation_for(ruleset, record.system, record.group_key, held_on).deadline
    if record.late != late:
        before_late = record.late
        record.late = late
        session.add(record)
        # Audited like every other change (storage.records writes booleans as True/False).
        session.add(
            AuditEntry(
                record_id=record_id, actor_id=person.member_id, actor_name=person.name, at=now,
                action="amend", field="late", before=str(before_late), after=str(late),
            )
        )
    session.flush()
    counted_after = _counted_obligations(session, ruleset, record, held_on)
    left = tuple((o, _done(session, ruleset, o, today)) for o in counted_before if o not in counted_after)
    return DateMoved(before=before, late=late, left=left)


def _counted_obligations(session: Session, ruleset: Ruleset, record: MeetingRecord, held_on: date) -> list[Obligation]:
    result = []
    for verdict in verdicts_of(session, ruleset, record.id, held_on):
        if verdict.counts and ruleset.has_system(verdict.system):
            result.append(obligation_for(ruleset, verdict.system, record.group_key, held_on))
    return result
