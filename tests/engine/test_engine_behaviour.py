"""What the engine owes at a moment: stopping, ending escalation, catch-up after
downtime, planned dates and snoozes (which never delay escalation), digests,
absence warnings and follow-ups."""

from __future__ import annotations

from datetime import date

from scheduling.engine import DeferredRecord, Kind, ObligationPlan, Variant
from tests.engine.helpers import SECRETARY, at, engine, sitting

FEB = "committee_meeting:-:2026-02"
SINCE = date(2026, 1, 1)


def _about(messages, obligation_key: str, kind: Kind | None = None):
    return [m for m in messages if m.obligation and m.obligation.key == obligation_key and (kind is None or m.kind is kind)]


def test_reminders_stop_once_the_obligation_is_done():
    done = sitting(1, "committee_meeting", date(2026, 2, 10))
    messages = engine(records=[done], since=SINCE).due(at(date(2026, 2, 26)))
    assert _about(messages, FEB) == []
    assert _about(engine(records=[done], since=SINCE).due(at(date(2026, 3, 9))), FEB) == []


def test_a_record_that_does_not_count_keeps_the_reminders_going():
    no_quorum = sitting(1, "committee_meeting", date(2026, 2, 10), present=("常天民",))
    messages = engine(records=[no_quorum], since=SINCE).due(at(date(2026, 2, 26)))
    assert [m.recipient for m in _about(messages, FEB, Kind.REMINDER)] == ["郭谨瑜"]


def test_a_late_record_ends_the_escalation_without_a_message_of_its_own():
    # Level 1 went out on Mar 2; the 补录 on Mar 4 ends it: no level 2 on Mar 9, and no
    # extra "resolved" message (the chat tells the secretary when the record is saved).
    late = sitting(1, "committee_meeting", date(2026, 2, 27), logged=at(date(2026, 3, 4), 10))
    snapshot = engine(records=[late], since=SINCE)
    assert _about(snapshot.due(at(date(2026, 3, 4), 10)), FEB) == []
    assert _about(snapshot.due(at(date(2026, 3, 9))), FEB) == []


def test_every_message_is_of_a_kind_and_level_the_spec_allows():
    late = sitting(1, "committee_meeting", date(2026, 2, 27), logged=at(date(2026, 3, 4), 10))
    messages = engine(records=[late], since=SINCE).due(at(date(2026, 3, 20), 16))
    assert {m.kind for m in messages} <= set(Kind)
    assert all((m.level in (1, 2, 3)) == (m.kind is Kind.ESCALATION) for m in messages)


def test_a_record_logged_before_escalation_ends_nothing_and_tells_nobody():
    on_time = sitting(1, "committee_meeting", date(2026, 2, 27), logged=at(date(2026, 2, 27), 20))
    assert _about(engine(records=[on_time], since=SINCE).due(at(date(2026, 3, 9))), FEB) == []


def test_after_downtime_only_the_latest_missed_reminder_is_due():
    messages = engine(since=SINCE).due(at(date(2026, 2, 27), 15))
    reminders = _about(messages, FEB, Kind.REMINDER)
    assert [(m.recipient, m.at) for m in reminders] == [("郭谨瑜", at(date(2026, 2, 26)))]


def test_downtime_past_the_deadline_leaves_escalations_and_no_reminder():
    messages = _about(engine(since=SINCE).due(at(date(2026, 3, 10))), FEB)
    assert {m.kind for m in messages} == {Kind.ESCALATION}
    assert {m.level for m in messages} == {1, 2}


def test_before_a_send_time_the_day_is_not_yet_due():
    assert _about(engine(since=SINCE).due(at(date(2026, 2, 26), 8, 59)), FEB, Kind.REMINDER)[0].at == at(date(2026, 2, 14))


def test_nothing_scheduled_before_the_engine_began_is_produced():
    messages = engine(since=date(2026, 2, 27)).due(at(date(2026, 2, 27), 10))
    assert _about(messages, FEB, Kind.REMINDER) == []


def test_a_planned_date_replaces_the_reminders_with_the_eve_and_the_day():
    plans = {FEB: ObligationPlan(planned_on=date(2026, 2, 26))}
    planned = engine(plans=plans, since=SINCE)
    assert _about(planned.due(at(date(2026, 2, 14))), FEB, Kind.REMINDER) == []
    eve = _about(planned.due(at(date(2026, 2, 25))), FEB, Kind.REMINDER)
    day = _about(planned.due(at(date(2026, 2, 26))), FEB, Kind.REMINDER)
    assert [m.variant for m in eve] == [Variant.PLANNED_EVE]
    assert [m.variant for m in day] == [Variant.PLANNED_DAY] and day[0].key != eve[0].key


def test_a_date_planned_in_the_afternoon_for_tomorrow_gets_no_reminder_that_afternoon():
    plans = {FEB: ObligationPlan(planned_on=date(2026, 2, 25), told_at=at(date(2026, 2, 24), 15))}
    planned = engine(plans=plans, since=SINCE)
    assert _about(planned.due(at(date(2026, 2, 24), 15, 1)), FEB, Kind.REMINDER) == []
    day = _about(planned.due(at(date(2026, 2, 25))), FEB, Kind.REMINDER)
    assert [(m.variant, m.at) for m in day] == [(Variant.PLANNED_DAY, at(date(2026, 2, 25)))]


def test_a_planned_date_after_the_deadline_does_not_delay_escalation():
    plans = {FEB: ObligationPlan(planned_on=date(2026, 3, 5))}
    messages = _about(engine(plans=plans, since=SINCE).due(at(date(2026, 3, 2))), FEB, Kind.ESCALATION)
    assert {m.level for m in messages} == {1}


def test_a_snooze_reminds_again_on_the_next_workday_and_does_not_delay_escalation():
    plans = {FEB: ObligationPlan(snoozed_until=date(2026, 2, 3))}
    snoozed = engine(plans=plans, since=SINCE)
    assert [m.variant for m in _about(snoozed.due(at(date(2026, 2, 3))), FEB, Kind.REMINDER)] == [Variant.SNOOZE]
    assert {m.level for m in _about(snoozed.due(at(date(2026, 3, 9))), FEB, Kind.ESCALATION)} == {1, 2}


def test_the_digest_lists_what_is_due_this_week_and_what_is_overdue():
    done = sitting(1, "committee_meeting", date(2026, 2, 10))
    digest = [m for m in engine(records=[done], since=SINCE).due(at(date(2026, 3, 30))) if m.kind is Kind.DIGEST]
    assert [m.recipient for m in digest] == [SECRETARY]
    due = {o.key for o in digest[0].due_this_week}
    overdue = {o.key for o in digest[0].overdue}
    assert "committee_meeting:-:2026-03" in due and "general_assembly:-:2026-Q1" in due
    assert "committee_meeting:-:2026-01" in overdue and FEB not in overdue


def test_only_this_weeks_digest_is_due_after_downtime():
    digests = [m for m in engine(since=SINCE).due(at(date(2026, 3, 12))) if m.kind is Kind.DIGEST]
    assert [m.at for m in digests] == [at(date(2026, 3, 9))]


def _group_meeting(record_id: int, held_on: date, present: tuple[str, ...]):
    return sitting(record_id, "group_meeting", held_on, group="g1", present=present)


def test_a_member_absent_for_three_months_is_named_to_the_group_leader_and_secretary_once():
    records = [
        _group_meeting(1, date(2026, 1, 9), ("李会玲", "王晓明")),
        _group_meeting(2, date(2026, 2, 10), ("李会玲",)),
        _group_meeting(3, date(2026, 3, 10), ("李会玲",)),
    ]
    warnings = lambda day: [m for m in engine(records=records, since=SINCE).due(at(day)) if m.kind is Kind.ABSENCE_WARNING]  # noqa: E731
    assert [m for m in warnings(date(2026, 4, 8)) if m.subject == "王晓明"] == []
    on_day = [m for m in warnings(date(2026, 4, 9)) if m.subject == "王晓明"]
    assert {m.recipient for m in on_day} == {"李会玲", SECRETARY}
    later = [m for m in warnings(date(2026, 4, 20)) if m.subject == "王晓明"]
    assert {m.key for m in later} == {m.key for m in on_day}  # the same streak: the same keys


def test_attending_again_starts_a_new_streak():
    records = [
        _group_meeting(1, date(2026, 1, 9), ("李会玲", "王晓明")),
        _group_meeting(2, date(2026, 2, 10), ("李会玲",)),
        _group_meeting(3, date(2026, 4, 20), ("李会玲", "王晓明")),
        _group_meeting(4, date(2026, 5, 20), ("李会玲",)),
    ]
    messages = engine(records=records, since=SINCE).due(at(date(2026, 7, 20)))
    streaks = {m.absent_since for m in messages if m.kind is Kind.ABSENCE_WARNING and m.subject == "王晓明"}
    assert streaks == {date(2026, 4, 20)}


def test_an_absence_a_record_reveals_waits_for_the_next_send_moment():
    # 王晓明 last attended on Jan 9; the sitting that shows he has missed everything
    # since is logged on Friday Apr 10 at 15:00, after his three months were up (Apr 9).
    records = [
        _group_meeting(1, date(2026, 1, 9), ("李会玲", "王晓明")),
        sitting(2, "group_meeting", date(2026, 4, 8), at(date(2026, 4, 10), 15), group="g1", present=("李会玲",)),
    ]
    snapshot = engine(records=records, since=SINCE)
    warned = lambda moment: [m for m in snapshot.due(moment) if m.kind is Kind.ABSENCE_WARNING]  # noqa: E731
    assert warned(at(date(2026, 4, 10), 15)) == []
    assert warned(at(date(2026, 4, 11), 10)) == []  # Saturday
    on_monday = warned(at(date(2026, 4, 13)))
    assert {m.recipient for m in on_monday} == {"李会玲", SECRETARY}
    assert {m.at for m in on_monday} == {at(date(2026, 4, 13))}


def test_someone_who_never_attended_is_counted_from_the_day_the_engine_began():
    # The engine began on Mar 2 (its first run, or simulate --from); sittings on record
    # go back to January. 王晓明 attended none: named three months after Mar 2.
    records = [_group_meeting(n, date(2026, month, 10), ("李会玲",)) for n, month in enumerate(range(1, 8), 1)]
    snapshot = engine(records=records, since=date(2026, 3, 2))
    warned = lambda day: [m for m in snapshot.due(at(day)) if m.kind is Kind.ABSENCE_WARNING and m.subject == "王晓明"]  # noqa: E731
    assert warned(date(2026, 6, 1)) == []
    [first, *_] = warned(date(2026, 6, 2))
    assert (first.at, first.absent_since) == (at(date(2026, 6, 2)), date(2026, 3, 2))


def test_someone_added_to_the_roster_later_is_counted_from_the_day_they_joined():
    records = [_group_meeting(n, date(2026, month, 10), ("李会玲",)) for n, month in enumerate(range(1, 10), 1)]
    snapshot = engine(records=records, since=SINCE, member_since={"王晓明": date(2026, 5, 6)})
    streaks = {m.absent_since for m in snapshot.due(at(date(2026, 9, 30))) if m.subject == "王晓明"}
    assert streaks == {date(2026, 5, 6)}
    assert [m for m in snapshot.due(at(date(2026, 8, 5))) if m.subject == "王晓明"] == []


def test_deferred_minutes_get_a_follow_up_two_workdays_after_logging():
    deferred = DeferredRecord(7, "committee_meeting", None, date(2026, 3, 3), at(date(2026, 3, 3), 17), "郭谨瑜", True, False)
    follow_ups = lambda day: [m for m in engine(deferred=[deferred], since=SINCE).due(at(day)) if m.kind is Kind.FOLLOW_UP]  # noqa: E731
    assert follow_ups(date(2026, 3, 4)) == []
    [message] = follow_ups(date(2026, 3, 5))
    assert (message.recipient, message.record_id, message.missing) == ("郭谨瑜", 7, ("minutes",))


def test_the_digest_lists_as_overdue_what_overdue_lists_even_from_before_the_engine_began():
    digest = [m for m in engine(since=date(2026, 3, 1)).due(at(date(2026, 3, 2))) if m.kind is Kind.DIGEST]
    overdue = {o.key for o in digest[0].overdue}
    assert FEB in overdue
    # Before the engine began, so never escalated, but still overdue and still loggable:
    assert "committee_meeting:-:2026-01" in overdue and "committee_meeting:-:2025-12" in overdue
    # Last year's beyond logging.max_backdate_days (120) is no longer chased.
    assert "committee_meeting:-:2025-10" not in overdue


def test_a_long_absence_is_named_once_even_years_later():
    records = [
        _group_meeting(1, date(2025, 1, 9), ("李会玲", "王晓明")),
        *[_group_meeting(10 + n, date(2025 + (n + 1) // 12, (n + 1) % 12 + 1, 10), ("李会玲",)) for n in range(20)],
    ]
    later = engine(records=records).due(at(date(2026, 9, 10)))
    streaks = {m.absent_since for m in later if m.kind is Kind.ABSENCE_WARNING and m.subject == "王晓明"}
    assert streaks == {date(2025, 1, 9)}
