"""Every rule verdict: a sitting that breaks a rule is kept but does not count."""

from datetime import date

import pytest

from scheduling.obligations import Reason, judge
from tests.scheduling.builders import THREE_GROUPS, ruleset, sitting

RULES = ruleset()
D = date
COMMITTEE = ("书记", "委员甲", "委员乙")
LEADERSHIP = ("书记", "委员甲", "组长二")


def verdict_of(records, system=None, record=None, rules=RULES):
    """The verdict for ``system`` on ``record`` (default: the last record's primary system)."""
    record = record or records[-1]
    system = system or record.system
    return next(v for v in judge(rules, records) if v.record_id == record.id and v.system == system)


@pytest.mark.parametrize(
    ("present", "counts"),
    [
        pytest.param(COMMITTEE, True, id="all-three"),
        pytest.param(COMMITTEE[:2], True, id="two-of-three-is-more-than-half"),
        pytest.param(COMMITTEE[:1], False, id="one-of-three"),
        pytest.param(("书记", "党员一", "党员二"), False, id="non-committee-people-do-not-count"),
    ],
)
def test_committee_meeting_needs_more_than_half_of_the_committee(present, counts):
    verdict = verdict_of([sitting("committee_meeting", D(2026, 3, 10), present)])
    assert verdict.counts is counts
    assert verdict.reasons == (() if counts else (Reason.QUORUM_NOT_MET,))
    assert verdict.details["expected"] == 3 and verdict.details["needed"] == 2


@pytest.mark.parametrize(
    ("system", "present", "counts"),
    [
        # THREE_GROUPS: a committee of two (甲 乙), six members.
        pytest.param("committee_meeting", ("甲",), False, id="committee-one-of-two-is-exactly-half"),
        pytest.param("committee_meeting", ("甲", "乙"), True, id="committee-two-of-two"),
        pytest.param("general_assembly", ("甲", "乙", "丙"), False, id="assembly-three-of-six-is-exactly-half"),
        pytest.param("general_assembly", ("甲", "乙", "丙", "丁"), True, id="assembly-four-of-six"),
    ],
)
def test_exactly_half_is_not_more_than_half(system, present, counts):
    rules = ruleset(THREE_GROUPS)
    assert verdict_of([sitting(system, D(2026, 3, 10), present, roster=THREE_GROUPS)], rules=rules).counts is counts


@pytest.mark.parametrize(
    ("present", "counts"),
    [
        pytest.param(("甲", "乙", "丙", "丁", "戊", "己"), True, id="six-of-six"),
        pytest.param(("甲", "乙", "丙", "丁"), True, id="four-of-six-is-exactly-two-thirds"),
        pytest.param(("甲", "乙", "丙"), False, id="three-of-six"),
    ],
)
def test_democratic_life_meeting_needs_at_least_two_thirds_of_the_leadership(present, counts):
    rules = ruleset(THREE_GROUPS)
    record = sitting("democratic_life_meeting", D(2026, 11, 5), present, standalone=True, roster=THREE_GROUPS)
    verdict = verdict_of([record], rules=rules)
    assert verdict.counts is counts
    assert verdict.details == {"present": len(present), "expected": 6, "needed": 4}


@pytest.mark.parametrize(
    ("present", "counts"),
    [
        pytest.param(("书记", "委员甲", "委员乙", "组长一"), False, id="four-of-eight-is-half"),
        pytest.param(("书记", "委员甲", "委员乙", "组长一", "党员一"), True, id="five-of-eight"),
    ],
)
def test_general_assembly_needs_more_than_half_of_the_members(present, counts):
    assert verdict_of([sitting("general_assembly", D(2026, 3, 10), present)]).counts is counts


@pytest.mark.parametrize(
    ("standalone", "also", "counts"),
    [
        pytest.param(True, (), True, id="held-standalone"),
        pytest.param(False, (), False, id="merged-with-other-topics"),
        pytest.param(None, (), False, id="not-said"),
        pytest.param(True, ("party_lecture",), False, id="covers-another-system"),
    ],
)
def test_democratic_life_meeting_must_be_standalone(standalone, also, counts):
    record = sitting("democratic_life_meeting", D(2026, 11, 5), LEADERSHIP, standalone=standalone, also=also)
    verdict = verdict_of([record])
    assert verdict.counts is counts
    assert (Reason.NOT_STANDALONE in verdict.reasons) is not counts


@pytest.mark.parametrize(
    ("held_on", "counts"),
    [
        pytest.param(D(2026, 9, 30), False, id="september-is-outside-q4"),
        pytest.param(D(2026, 10, 1), True, id="first-day-of-q4"),
        pytest.param(D(2026, 12, 31), True, id="last-day-of-q4"),
        pytest.param(D(2026, 3, 1), False, id="march"),
    ],
)
def test_democratic_life_meeting_window(held_on, counts):
    verdict = verdict_of([sitting("democratic_life_meeting", held_on, LEADERSHIP, standalone=True)])
    assert verdict.counts is counts
    assert verdict.reasons == (() if counts else (Reason.OUTSIDE_WINDOW,))


def _dlm(held_on, present=LEADERSHIP):
    return sitting("democratic_life_meeting", held_on, present, standalone=True)


@pytest.mark.parametrize(
    ("before", "held_on", "counts"),
    [
        pytest.param([], D(2026, 11, 20), False, id="no-democratic-life-meeting-yet"),
        pytest.param([_dlm(D(2026, 11, 5))], D(2026, 11, 20), True, id="after-it"),
        pytest.param([_dlm(D(2026, 11, 20))], D(2026, 11, 20), True, id="same-day"),
        pytest.param([_dlm(D(2026, 11, 25))], D(2026, 11, 20), False, id="before-it"),
        pytest.param([_dlm(D(2026, 11, 5), ("书记",))], D(2026, 11, 20), False, id="the-prerequisite-did-not-count"),
        pytest.param([_dlm(D(2025, 12, 5))], D(2026, 11, 20), False, id="last-years-does-not-count"),
    ],
)
def test_organizational_life_meeting_comes_after_this_years_democratic_life_meeting(before, held_on, counts):
    records = [*before, sitting("organizational_life_meeting", held_on, group="g1")]
    verdict = verdict_of(records)
    assert verdict.counts is counts
    assert verdict.reasons == (() if counts else (Reason.BEFORE_PREREQUISITE,))


def test_a_disabled_prerequisite_imposes_no_order():
    rules = ruleset(democratic_life_meeting={"enabled": False})
    assert verdict_of([sitting("organizational_life_meeting", D(2026, 5, 6), group="g1")], rules=rules).counts


@pytest.mark.parametrize(
    ("primary", "also", "held_on", "expected"),
    [
        pytest.param("general_assembly", ("member_evaluation",), D(2026, 12, 10), {"general_assembly": (), "member_evaluation": ()}, id="with-the-q4-general-assembly"),
        pytest.param("member_evaluation", ("general_assembly",), D(2026, 12, 10), {"general_assembly": (), "member_evaluation": ()}, id="logged-as-evaluation-covering-the-assembly"),
        pytest.param("member_evaluation", (), D(2026, 12, 10), {"member_evaluation": (Reason.NOT_HOSTED,)}, id="evaluation-on-its-own"),
        pytest.param("general_assembly", ("member_evaluation",), D(2026, 6, 10), {"general_assembly": (), "member_evaluation": (Reason.OUTSIDE_WINDOW,)}, id="with-a-q2-general-assembly"),
        pytest.param("general_assembly", ("party_lecture",), D(2026, 3, 10), {"general_assembly": (), "party_lecture": ()}, id="lecture-with-the-assembly"),
        pytest.param("party_lecture", ("general_assembly",), D(2026, 3, 10), {"general_assembly": (), "party_lecture": ()}, id="assembly-with-the-lecture"),
        pytest.param("committee_meeting", ("party_lecture",), D(2026, 3, 10), {"committee_meeting": (), "party_lecture": (Reason.NOT_HOSTED,)}, id="lecture-cannot-ride-on-a-committee-meeting"),
        pytest.param("committee_meeting", ("member_evaluation",), D(2026, 12, 10), {"committee_meeting": (), "member_evaluation": (Reason.NOT_HOSTED,)}, id="evaluation-needs-the-assembly"),
    ],
)
def test_combined_sittings(primary, also, held_on, expected):
    record = sitting(primary, held_on, also=also)
    verdicts = {v.system: v.reasons for v in judge(RULES, [record])}
    assert verdicts == expected


@pytest.mark.parametrize(
    ("system", "held", "group", "expected"),
    [
        pytest.param("democratic_life_meeting", [D(2026, 10, 20), D(2026, 11, 20)], None, [True, False], id="second-democratic-life-meeting"),
        pytest.param("organizational_life_meeting", [D(2026, 12, 1), D(2026, 12, 10), D(2026, 12, 20)], "g1", [True, True, False], id="third-organizational-life-meeting"),
        pytest.param("member_evaluation", [D(2026, 12, 20), D(2026, 10, 20)], None, [False, True], id="judged-in-the-order-held"),
        pytest.param("committee_meeting", [D(2026, 3, 2), D(2026, 3, 20), D(2026, 3, 30)], None, [True, True, True], id="no-maximum"),
    ],
)
def test_sittings_beyond_the_maximum_do_not_count(system, held, group, expected):
    records = [_dlm(D(2026, 10, 10))] if system == "organizational_life_meeting" else []
    also = ("general_assembly",) if system == "member_evaluation" else ()
    standalone = True if system == "democratic_life_meeting" else None
    mine = [sitting(system, day, group=group, also=also, standalone=standalone) for day in held]
    verdicts = judge(RULES, records + mine)
    got = [next(v for v in verdicts if v.record_id == r.id and v.system == system) for r in mine]
    assert [v.counts for v in got] == expected
    assert all(v.reasons == (Reason.OVER_MAX,) for v in got if not v.counts)


def test_an_invalid_sitting_does_not_use_up_the_maximum():
    first = _dlm(D(2026, 10, 20), ("书记",))
    second = _dlm(D(2026, 11, 20))
    verdicts = judge(RULES, [first, second])
    assert [v.counts for v in verdicts] == [False, True]


def test_each_group_has_its_own_maximum():
    records = [_dlm(D(2026, 10, 10))] + [
        sitting("organizational_life_meeting", D(2026, 12, day), group=group) for group in ("g1", "g2") for day in (1, 2)
    ]
    assert all(v.counts for v in judge(RULES, records))


def test_a_disabled_system_does_not_count():
    rules = ruleset(party_lecture={"enabled": False})
    verdict = verdict_of([sitting("party_lecture", D(2026, 3, 10))], rules=rules)
    assert verdict.reasons == (Reason.SYSTEM_DISABLED,)


@pytest.mark.parametrize("group", [None, "g9"], ids=["no-group", "unknown-group"])
def test_a_group_meeting_needs_a_group(group):
    verdict = verdict_of([sitting("group_meeting", D(2026, 3, 10), group=group)])
    assert verdict.reasons == (Reason.NO_GROUP,)


def test_a_sitting_can_break_several_rules_at_once():
    verdict = verdict_of([sitting("democratic_life_meeting", D(2026, 3, 10), ("书记",), standalone=False)])
    assert set(verdict.reasons) == {Reason.QUORUM_NOT_MET, Reason.NOT_STANDALONE, Reason.OUTSIDE_WINDOW}


def test_verdicts_come_in_record_order_primary_system_first():
    a = sitting("general_assembly", D(2026, 12, 10), also=("party_lecture", "member_evaluation"))
    b = sitting("committee_meeting", D(2026, 1, 5), COMMITTEE)
    assert [(v.record_id, v.system) for v in judge(RULES, [a, b])] == [
        (a.id, "general_assembly"),
        (a.id, "member_evaluation"),
        (a.id, "party_lecture"),
        (b.id, "committee_meeting"),
    ]


def test_a_record_of_a_system_the_ruleset_does_not_know_does_not_count():
    record = sitting("flag_raising", D(2026, 3, 10))
    assert [(v.system, v.counts, v.reasons) for v in judge(RULES, [record])] == [
        ("flag_raising", False, (Reason.SYSTEM_DISABLED,))
    ]
