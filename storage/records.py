"""Meeting records: create, attach, amend, list, read (SPEC §5, §8).

Records are never deleted. Every write leaves an audit entry (who, when, which
field, before, after), so the ledger can show how a record came to be.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from scheduling.obligations import SittingRecord
from scheduling.rules import AbsenceReason
from storage.media import StoredFile
from storage.models import Attachment, AttachmentKind, Attendance, AuditEntry, MeetingRecord, Member, RecordCoverage
from storage.roster import NoSuchMember, member_by_name

# name -> (present, absence reason when absent)
AttendanceInput = Mapping[str, tuple[bool, AbsenceReason | None]]


class NoSuchRecord(LookupError):
    """No meeting record has this id."""


@dataclass(frozen=True)
class AttendanceLine:
    name: str
    present: bool
    reason: AbsenceReason | None


@dataclass(frozen=True)
class RecordDetail:
    record: MeetingRecord
    covers: tuple[str, ...]  # every system the sitting covers, the primary one first
    attendance: tuple[AttendanceLine, ...]  # in roster order
    attachments: tuple[Attachment, ...]  # in the order they were added
    logged_by: str | None


def _member_id(session: Session, name: str | None) -> int | None:
    if name is None:
        return None
    member = member_by_name(session, name)
    return member.id if member is not None else None


def _audit(session: Session, *, record_id: int | None, actor_name: str, now: datetime, action: str,
           field: str | None = None, before: str | None = None, after: str | None = None) -> AuditEntry:
    entry = AuditEntry(
        record_id=record_id,
        actor_id=_member_id(session, actor_name),
        actor_name=actor_name,
        at=now,
        action=action,
        field=field,
        before=before,
        after=after,
    )
    session.add(entry)
    return entry


def create_record(
    session: Session,
    *,
    system: str,
    covers: Iterable[str] = (),
    group_key: str | None,
    held_on: date,
    topic: str,
    standalone: bool | None,
    attendance: AttendanceInput,
    minutes_text: str | None,
    minutes_deferred: bool,
    photos_deferred: bool,
    logged_by_name: str,
    now: datetime,
    late: bool,
) -> MeetingRecord:
    """Save one sitting with the systems it covers and its attendance, audited as "create".

    Raises :class:`NoSuchMember` if the attendance names somebody not in the roster.
    """
    members = {m.name: m for m in session.exec(select(Member).where(Member.name.in_(list(attendance))))}
    for name in attendance:
        if name not in members:
            raise NoSuchMember(name)
    record = MeetingRecord(
        system=system,
        group_key=group_key,
        held_on=held_on,
        topic=topic,
        standalone=standalone,
        minutes_text=minutes_text,
        minutes_deferred=minutes_deferred,
        photos_deferred=photos_deferred,
        logged_by_id=_member_id(session, logged_by_name),
        logged_at=now,
        late=late,
    )
    session.add(record)
    session.flush()
    all_covers = [system, *sorted(set(covers) - {system})]
    for covered in all_covers:
        session.add(RecordCoverage(record_id=record.id, system=covered))
    for name, (present, reason) in attendance.items():
        session.add(
            Attendance(
                record_id=record.id,
                member_id=members[name].id,
                present=present,
                absence_reason=None if present or reason is None else AbsenceReason(reason).value,
            )
        )
    summary = {
        "system": system,
        "covers": all_covers,
        "group": group_key,
        "held_on": held_on.isoformat(),
        "topic": topic,
        "present": sorted(name for name, (present, _) in attendance.items() if present),
    }
    _audit(session, record_id=record.id, actor_name=logged_by_name, now=now, action="create",
           after=json.dumps(summary, ensure_ascii=False))
    session.flush()
    return record


def _get_record(session: Session, record_id: int) -> MeetingRecord:
    record = session.get(MeetingRecord, record_id)
    if record is None:
        raise NoSuchRecord(record_id)
    return record


def add_attachment(
    session: Session,
    *,
    record_id: int,
    stored_file: StoredFile,
    kind: AttachmentKind | str,
    telegram_file_id: str | None,
    telegram_file_unique_id: str | None,
    original_name: str | None,
    actor_name: str,
    now: datetime,
) -> Attachment:
    """Attach a stored file; a photo ends "photos deferred", minutes end "minutes deferred"."""
    kind = AttachmentKind(kind)
    record = _get_record(session, record_id)
    attachment = Attachment(
        record_id=record_id,
        kind=kind.value,
        sha256=stored_file.sha256,
        path=stored_file.relative_path,
        mime_type=stored_file.mime_type,
        size=stored_file.size,
        original_name=original_name[:255] if original_name else None,
        telegram_file_id=telegram_file_id,
        telegram_file_unique_id=telegram_file_unique_id,
        added_by_id=_member_id(session, actor_name),
        created_at=now,
    )
    session.add(attachment)
    _audit(session, record_id=record_id, actor_name=actor_name, now=now, action="attach", field=kind.value,
           after=stored_file.relative_path)
    deferred_flag = "photos_deferred" if kind is AttachmentKind.PHOTO else "minutes_deferred"
    if getattr(record, deferred_flag):
        _set_field(session, record, deferred_flag, False, actor_name=actor_name, now=now)
    session.flush()
    return attachment


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _set_field(session: Session, record: MeetingRecord, field: str, value: object, *, actor_name: str,
               now: datetime) -> AuditEntry | None:
    before = getattr(record, field)
    if before == value:
        return None
    setattr(record, field, value)
    session.add(record)
    return _audit(session, record_id=record.id, actor_name=actor_name, now=now, action="amend", field=field,
                  before=_text(before), after=_text(value))


def amend_record(
    session: Session,
    *,
    record_id: int,
    actor_name: str,
    now: datetime,
    topic: str | None = None,
    held_on: date | None = None,
    minutes_text: str | None = None,
) -> list[AuditEntry]:
    """Change the given fields; one audit entry per field that really changed.

    Giving minutes text also ends "minutes deferred". ``late`` is left as logged.
    """
    record = _get_record(session, record_id)
    changes = [
        _set_field(session, record, "topic", topic, actor_name=actor_name, now=now) if topic is not None else None,
        _set_field(session, record, "held_on", held_on, actor_name=actor_name, now=now)
        if held_on is not None
        else None,
        _set_field(session, record, "minutes_text", minutes_text, actor_name=actor_name, now=now)
        if minutes_text is not None
        else None,
    ]
    if minutes_text is not None and record.minutes_deferred:
        changes.append(_set_field(session, record, "minutes_deferred", False, actor_name=actor_name, now=now))
    session.flush()
    return [entry for entry in changes if entry is not None]


def list_records(
    session: Session,
    *,
    year: int | None = None,
    system: str | None = None,
    group_key: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[MeetingRecord]:
    """Records newest first (by the day held); ``system`` matches every system a sitting covers."""
    statement = select(MeetingRecord)
    if year is not None:
        statement = statement.where(MeetingRecord.held_on >= date(year, 1, 1), MeetingRecord.held_on <= date(year, 12, 31))
    if system is not None:
        covering = select(RecordCoverage.record_id).where(RecordCoverage.system == system)
        statement = statement.where(MeetingRecord.id.in_(covering))
    if group_key is not None:
        statement = statement.where(MeetingRecord.group_key == group_key)
    statement = statement.order_by(MeetingRecord.held_on.desc(), MeetingRecord.id.desc()).offset(offset).limit(limit)
    return list(session.exec(statement))


def record_detail(session: Session, record_id: int) -> RecordDetail | None:
    """One record with what it covers, who attended and its attachments; None if unknown."""
    record = session.get(MeetingRecord, record_id)
    if record is None:
        return None
    covers = [c.system for c in session.exec(select(RecordCoverage).where(RecordCoverage.record_id == record_id))]
    covers.sort(key=lambda key: (key != record.system, key))
    rows = session.exec(
        select(Attendance, Member.name)
        .join(Member, Member.id == Attendance.member_id)
        .where(Attendance.record_id == record_id)
        .order_by(Member.id)
    )
    attendance = tuple(
        AttendanceLine(name=name, present=row.present,
                       reason=AbsenceReason(row.absence_reason) if row.absence_reason else None)
        for row, name in rows
    )
    attachments = tuple(
        session.exec(select(Attachment).where(Attachment.record_id == record_id).order_by(Attachment.id))
    )
    logged_by = session.get(Member, record.logged_by_id) if record.logged_by_id is not None else None
    return RecordDetail(
        record=record,
        covers=tuple(covers),
        attendance=attendance,
        attachments=attachments,
        logged_by=logged_by.name if logged_by else None,
    )


def load_sittings(session: Session, *, start: date, end: date) -> list[SittingRecord]:
    """Every record held between ``start`` and ``end`` (inclusive), as the domain sees it."""
    in_range = (MeetingRecord.held_on >= start, MeetingRecord.held_on <= end)
    records = list(session.exec(select(MeetingRecord).where(*in_range).order_by(MeetingRecord.held_on, MeetingRecord.id)))
    if not records:
        return []
    # A subquery rather than a list of ids: ten years of records would exceed
    # SQLite's limit on bound parameters.
    ids_in_range = select(MeetingRecord.id).where(*in_range)
    covers: dict[int, set[str]] = {record.id: set() for record in records}
    for record_id, system in session.exec(
        select(RecordCoverage.record_id, RecordCoverage.system).where(RecordCoverage.record_id.in_(ids_in_range))
    ):
        covers[record_id].add(system)
    present: dict[int, set[str]] = {record.id: set() for record in records}
    for record_id, name in session.exec(
        select(Attendance.record_id, Member.name)
        .join(Member, Member.id == Attendance.member_id)
        .where(Attendance.record_id.in_(ids_in_range), Attendance.present == sa.true())
    ):
        present[record_id].add(name)
    return [
        SittingRecord(
            id=record.id,
            system=record.system,
            covers=frozenset(covers[record.id] | {record.system}),
            group=record.group_key,
            held_on=record.held_on,
            logged_at=record.logged_at,
            present=frozenset(present[record.id]),
            standalone=record.standalone,
        )
        for record in records
    ]


def audit_entries(session: Session, *, since: datetime | None = None, record_id: int | None = None) -> list[AuditEntry]:
    """Audit entries oldest first, optionally from ``since`` on and for one record."""
    statement = select(AuditEntry)
    if since is not None:
        statement = statement.where(AuditEntry.at >= since)
    if record_id is not None:
        statement = statement.where(AuditEntry.record_id == record_id)
    return list(session.exec(statement.order_by(AuditEntry.at, AuditEntry.id)))
