"""The status of every obligation at a day: upcoming, open, due_soon, done, invalid, overdue."""

from datetime import date

import pytest

from scheduling.obligations import Status, compliance
from tests.scheduling.builders import ruleset, sitting

RULES = ruleset()
D = date
COMMITTEE = ("书记", "委员甲", "委员乙")


def status_of(key, records, today, rules=RULES, year=2026):
    return next(s for s in compliance(rules, records, today, year) if s.obligation.key == key)


# committee_meeting 2026-03: deadline 31 March, largest offset 7 days.
VALID = sitting("committee_meeting", D(2026, 3, 10), COMMITTEE, id=101)
INVALID = sitting("committee_meeting", D(2026, 3, 11), ("书记",), id=102)
ELSEWHERE = sitting("committee_meeting", D(2026, 2, 27), COMMITTEE, id=103)


@pytest.mark.parametrize(
    ("records", "today", "status"),
    [
        pytest.param([], D(2026, 2, 28), Status.UPCOMING, id="before-the-period"),
        pytest.param([], D(2026, 3, 1), Status.OPEN, id="first-day"),
        pytest.param([], D(2026, 3, 23), Status.OPEN, id="eight-days-left"),
        pytest.param([], D(2026, 3, 24), Status.DUE_SOON, id="seven-days-left-is-due-soon"),
        pytest.param([], D(2026, 3, 31), Status.DUE_SOON, id="deadline-day"),
        pytest.param([], D(2026, 4, 1), Status.OVERDUE, id="day-after-the-deadline"),
        pytest.param([VALID], D(2026, 3, 10), Status.DONE, id="done"),
        pytest.param([VALID], D(2026, 6, 1), Status.DONE, id="stays-done"),
        pytest.param([INVALID], D(2026, 3, 12), Status.INVALID, id="only-an-invalid-record"),
        pytest.param([INVALID], D(2026, 3, 30), Status.INVALID, id="invalid-beats-due-soon"),
        pytest.param([INVALID, VALID], D(2026, 3, 12), Status.DONE, id="one-valid-is-enough"),
        pytest.param([INVALID], D(2026, 4, 1), Status.OVERDUE, id="overdue-beats-invalid"),
        pytest.param([ELSEWHERE], D(2026, 3, 12), Status.OPEN, id="a-february-sitting-does-not-count-in-march"),
    ],
)
def test_status(records, today, status):
    assert status_of("committee_meeting:-:2026-03", records, today).status is status


def test_a_late_logged_sitting_counts_for_the_period_it_was_held_in():
    # Held on 30 March, logged weeks later (补录): March is done, April is untouched.
    late = sitting("committee_meeting", D(2026, 3, 30), COMMITTEE, id=7)
    assert status_of("committee_meeting:-:2026-03", [late], D(2026, 4, 20)).status is Status.DONE
    assert status_of("committee_meeting:-:2026-04", [late], D(2026, 4, 20)).status is Status.OPEN


def test_record_ids_and_valid_record_ids():
    status = status_of("committee_meeting:-:2026-03", [VALID, INVALID, ELSEWHERE], D(2026, 3, 20))
    assert status.record_ids == (101, 102)
    assert status.valid_record_ids == (101,)
    assert status.responsible == ("书记",)  # no one named: the secretary answers


@pytest.mark.parametrize(
    ("held", "status"),
    [
        pytest.param([], Status.OPEN, id="none"),
        pytest.param([(D(2026, 3, 3), COMMITTEE)], Status.OPEN, id="one-of-two"),
        pytest.param([(D(2026, 3, 3), COMMITTEE), (D(2026, 3, 4), ("书记",))], Status.INVALID, id="one-valid-one-invalid"),
        pytest.param([(D(2026, 3, 3), COMMITTEE), (D(2026, 3, 17), COMMITTEE)], Status.DONE, id="two-of-two"),
    ],
)
def test_min_per_period_above_one(held, status):
    rules = ruleset(committee_meeting={"min_per_period": 2})
    records = [sitting("committee_meeting", day, present) for day, present in held]
    assert status_of("committee_meeting:-:2026-03", records, D(2026, 3, 18), rules=rules).status is status


def test_due_soon_follows_the_largest_offset_of_the_system():
    # A year system: 30 days before 31 December.
    assert status_of("democratic_life_meeting:-:2026", [], D(2026, 12, 1)).status is Status.DUE_SOON
    assert status_of("democratic_life_meeting:-:2026", [], D(2026, 11, 30)).status is Status.OPEN


def test_no_offsets_means_never_due_soon():
    rules = ruleset(committee_meeting={"offsets": ()})
    assert status_of("committee_meeting:-:2026-03", [], D(2026, 3, 31), rules=rules).status is Status.OPEN


def test_group_obligations_are_judged_per_group():
    records = [sitting("group_meeting", D(2026, 3, 5), group="g1")]
    assert status_of("group_meeting:g1:2026-03", records, D(2026, 3, 10)).status is Status.DONE
    assert status_of("group_meeting:g2:2026-03", records, D(2026, 3, 10)).status is Status.OPEN
    assert status_of("group_meeting:g2:2026-03", records, D(2026, 3, 10)).responsible == ("组长二",)


def test_a_combined_sitting_completes_both_obligations():
    records = [sitting("general_assembly", D(2026, 12, 10), also=("party_lecture", "member_evaluation"))]
    statuses = {s.obligation.key: s.status for s in compliance(RULES, records, D(2026, 12, 11), 2026)}
    assert statuses["general_assembly:-:2026-Q4"] is Status.DONE
    assert statuses["party_lecture:-:2026-Q4"] is Status.DONE
    assert statuses["member_evaluation:-:2026"] is Status.DONE


def test_every_obligation_of_the_year_has_a_status_and_other_years_are_ignored():
    records = [sitting("committee_meeting", D(2025, 12, 10), COMMITTEE)]
    statuses = compliance(RULES, records, D(2026, 3, 20), 2026)  # Q1 due soon, March open
    assert len(statuses) == 48
    assert all(not s.record_ids for s in statuses)
    assert {s.status for s in statuses} == {Status.OVERDUE, Status.OPEN, Status.DUE_SOON, Status.UPCOMING}
