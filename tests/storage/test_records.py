"""Meeting records: created with coverage, attendance and an audit entry; amended with
before/after kept; attachments; listed and read back; never deleted."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from sqlmodel import select

from scheduling.rules import AbsenceReason
from storage.db import session_scope
from storage.media import StoredFile
from storage.models import Attendance, AuditEntry, MeetingRecord, RecordCoverage
from storage.records import (
    NoSuchRecord,
    add_attachment,
    amend_record,
    audit_entries,
    create_record,
    list_records,
    load_sittings,
    record_detail,
)
from storage.roster import NoSuchMember

SHEET = StoredFile(sha256="ab" * 32, relative_path="ab/" + "ab" * 32 + ".jpg", mime_type="image/jpeg", size=1234)


def _create(engine, clock, **overrides) -> MeetingRecord:
    values = dict(
        system="general_assembly",
        covers=("party_lecture",),
        group_key=None,
        held_on=date(2026, 2, 27),
        topic="学习二十届四中全会精神",
        standalone=None,
        attendance={"常天民": (True, None), "郭谨瑜": (True, None), "刘芳": (False, AbsenceReason.SICK)},
        minutes_text=None,
        minutes_deferred=True,
        photos_deferred=True,
        logged_by_name="常天民",
        now=clock.now(),
        late=False,
    )
    values.update(overrides)
    with session_scope(engine) as session:
        return create_record(session, **values)


def test_a_record_keeps_what_it_covers_who_came_and_who_logged_it(synced, clock):
    record = _create(synced, clock)

    with session_scope(synced) as session:
        detail = record_detail(session, record.id)
        entries = audit_entries(session)
    assert detail.covers == ("general_assembly", "party_lecture")
    assert [(a.name, a.present, a.reason) for a in detail.attendance] == [
        ("常天民", True, None),
        ("郭谨瑜", True, None),
        ("刘芳", False, AbsenceReason.SICK),
    ]
    assert detail.logged_by == "常天民" and detail.record.logged_at == clock.now()
    assert [(e.action, e.actor_name, e.record_id) for e in entries] == [("create", "常天民", record.id)]
    assert json.loads(entries[0].after)["covers"] == ["general_assembly", "party_lecture"]


def test_an_absence_reason_is_not_kept_for_someone_present(synced, clock):
    record = _create(synced, clock, attendance={"常天民": (True, AbsenceReason.OTHER)})
    with session_scope(synced) as session:
        row = session.exec(select(Attendance).where(Attendance.record_id == record.id)).one()
    assert (row.present, row.absence_reason) == (True, None)


def test_attendance_naming_a_stranger_saves_nothing(synced, clock):
    with pytest.raises(NoSuchMember):
        _create(synced, clock, attendance={"常天民": (True, None), "路人甲": (True, None)})
    with session_scope(synced) as session:
        assert session.exec(select(MeetingRecord)).all() == []
        assert session.exec(select(AuditEntry)).all() == []


def test_an_amendment_keeps_before_and_after_for_each_changed_field(synced, clock):
    record = _create(synced, clock)
    clock.advance(timedelta(hours=3))

    with session_scope(synced) as session:
        changes = amend_record(
            session,
            record_id=record.id,
            actor_name="郭谨瑜",
            now=clock.now(),
            topic="学习党章",
            held_on=date(2026, 2, 27),  # unchanged: no entry
            minutes_text="会议纪要全文",
        )
    with session_scope(synced) as session:
        amended = session.get(MeetingRecord, record.id)
        entries = audit_entries(session, since=clock.now())

    assert [(e.field, e.before, e.after) for e in changes] == [
        ("topic", "学习二十届四中全会精神", "学习党章"),
        ("minutes_text", None, "会议纪要全文"),
        ("minutes_deferred", "True", "False"),
    ]
    assert [(e.action, e.actor_name, e.at) for e in entries] == [("amend", "郭谨瑜", clock.now())] * 3
    assert (amended.topic, amended.minutes_text, amended.minutes_deferred) == ("学习党章", "会议纪要全文", False)


def test_moving_the_date_is_audited_with_iso_dates(synced, clock):
    record = _create(synced, clock)
    with session_scope(synced) as session:
        (entry,) = amend_record(session, record_id=record.id, actor_name="常天民", now=clock.now(), held_on=date(2026, 2, 26))
    assert (entry.field, entry.before, entry.after) == ("held_on", "2026-02-27", "2026-02-26")


def test_amending_an_unknown_record_is_refused(synced, clock):
    with pytest.raises(NoSuchRecord), session_scope(synced) as session:
        amend_record(session, record_id=999, actor_name="常天民", now=clock.now(), topic="x")


def test_a_photo_is_attached_audited_and_ends_photos_deferred(synced, clock):
    record = _create(synced, clock)
    with session_scope(synced) as session:
        attachment = add_attachment(
            session, record_id=record.id, stored_file=SHEET, kind="photo", telegram_file_id="AgAD-file",
            telegram_file_unique_id="uniq", original_name=None, actor_name="常天民", now=clock.now(),
        )
    with session_scope(synced) as session:
        detail = record_detail(session, record.id)
        entries = audit_entries(session, record_id=record.id)
    assert [(a.id, a.sha256, a.path, a.size, a.telegram_file_id) for a in detail.attachments] == [
        (attachment.id, SHEET.sha256, SHEET.relative_path, 1234, "AgAD-file")
    ]
    assert (detail.record.photos_deferred, detail.record.minutes_deferred) == (False, True)
    assert [(e.action, e.field) for e in entries] == [("create", None), ("attach", "photo"), ("amend", "photos_deferred")]


def test_records_are_listed_newest_first_and_filtered_by_what_they_cover(synced, clock):
    lecture = _create(synced, clock, held_on=date(2026, 1, 20))
    committee = _create(synced, clock, system="committee_meeting", covers=(), held_on=date(2026, 2, 3))
    group = _create(synced, clock, system="group_meeting", covers=(), group_key="g2", held_on=date(2026, 2, 10))
    _create(synced, clock, system="committee_meeting", covers=(), held_on=date(2025, 12, 3))

    with session_scope(synced) as session:
        ids = lambda **kw: [r.id for r in list_records(session, **kw)]  # noqa: E731
        assert ids(year=2026) == [group.id, committee.id, lecture.id]
        assert ids(system="party_lecture") == [lecture.id]
        assert ids(group_key="g2") == [group.id]
        assert ids(year=2026, limit=1, offset=1) == [committee.id]


def test_sittings_for_the_domain_carry_covers_and_the_names_present(synced, clock):
    record = _create(synced, clock, standalone=True)
    _create(synced, clock, held_on=date(2026, 4, 1))

    with session_scope(synced) as session:
        sittings = load_sittings(session, start=date(2026, 1, 1), end=date(2026, 3, 31))

    (sitting,) = sittings
    assert sitting.id == record.id and sitting.held_on == date(2026, 2, 27)
    assert sitting.covers == {"general_assembly", "party_lecture"}
    assert sitting.present == {"常天民", "郭谨瑜"} and sitting.standalone is True
    assert sitting.logged_at == datetime.fromisoformat("2026-03-02T00:00:00+00:00")


def test_no_record_is_lost_to_coverage_or_attendance_rows(synced, clock):
    record = _create(synced, clock)
    with session_scope(synced) as session:
        assert len(session.exec(select(RecordCoverage).where(RecordCoverage.record_id == record.id)).all()) == 2
        assert record_detail(session, 12345) is None
