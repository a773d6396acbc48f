"""Obligations of a year, their keys, and which obligation a sitting counts for."""

from collections import Counter
from datetime import date

import pytest

from scheduling.obligations import Obligation, obligation_for, obligations_for_year, parse_obligation_key, still_chased
from scheduling.periods import Period, PeriodKind
from scheduling.rules import Roster
from tests.scheduling.builders import THREE_GROUPS, TWO_GROUPS, ruleset

D = date


def test_every_enabled_system_once_per_period_and_group_systems_once_per_group():
    counts = Counter(o.system for o in obligations_for_year(ruleset(), 2026))
    assert counts == {
        "general_assembly": 4,
        "committee_meeting": 12,
        "group_meeting": 24,
        "party_lecture": 4,
        "democratic_life_meeting": 1,
        "organizational_life_meeting": 2,
        "member_evaluation": 1,
    }


def test_three_groups_and_a_disabled_system():
    obligations = obligations_for_year(ruleset(THREE_GROUPS, party_lecture={"enabled": False}), 2028)
    counts = Counter(o.system for o in obligations)
    assert counts["group_meeting"] == 36 and counts["organizational_life_meeting"] == 3
    assert "party_lecture" not in counts
    assert {o.group for o in obligations if o.system == "group_meeting"} == {"a", "b", "c"}
    assert len(obligations) == 12 + 36 + 4 + 1 + 3 + 1


def test_a_branch_without_groups_has_no_group_obligations():
    rules = ruleset(Roster(members=TWO_GROUPS.members[:1], groups=()))
    assert {o.system for o in obligations_for_year(rules, 2026)} == {
        "general_assembly",
        "committee_meeting",
        "party_lecture",
        "democratic_life_meeting",
        "member_evaluation",
    }


@pytest.mark.parametrize(
    ("system", "group", "day", "key"),
    [
        pytest.param("group_meeting", "g1", D(2026, 3, 31), "group_meeting:g1:2026-03", id="group-month-end"),
        pytest.param("committee_meeting", "g1", D(2026, 4, 1), "committee_meeting:-:2026-04", id="branch-system-drops-the-group"),
        pytest.param("party_lecture", None, D(2026, 3, 31), "party_lecture:-:2026-Q1", id="quarter-end"),
        pytest.param("general_assembly", None, D(2026, 10, 1), "general_assembly:-:2026-Q4", id="quarter-start"),
        pytest.param("organizational_life_meeting", "g2", D(2026, 12, 31), "organizational_life_meeting:g2:2026", id="year-end"),
        pytest.param("group_meeting", "g2", D(2028, 2, 29), "group_meeting:g2:2028-02", id="leap-day"),
    ],
)
def test_a_sitting_counts_for_the_period_of_the_day_it_was_held(system, group, day, key):
    obligation = obligation_for(ruleset(), system, group, day)
    assert obligation.key == key
    assert parse_obligation_key(key) == obligation


def test_a_period_changed_in_config_changes_which_obligation_a_sitting_counts_for():
    rules = ruleset(general_assembly={"period": PeriodKind.MONTH})
    assert obligation_for(rules, "general_assembly", None, D(2026, 2, 3)).key == "general_assembly:-:2026-02"


def test_keys_round_trip_for_every_obligation_of_a_year():
    for obligation in obligations_for_year(ruleset(THREE_GROUPS), 2027):
        assert parse_obligation_key(obligation.key) == obligation


def test_deadline_is_the_last_day_of_the_period():
    assert Obligation("party_lecture", None, Period(2026, PeriodKind.QUARTER, 1)).deadline == D(2026, 3, 31)


@pytest.mark.parametrize(
    "key",
    ["", "group_meeting", "group_meeting:g1", "group_meeting:g1:2026-13", "group_meeting:g1:2026-03:x", "a b:-:2026", ":-:2026", "x:-g:2026"],
)
def test_garbage_is_not_an_obligation_key(key):
    with pytest.raises(ValueError):
        parse_obligation_key(key)


@pytest.mark.parametrize(
    ("deadline", "today", "chased"),
    [
        pytest.param(date(2026, 1, 31), date(2026, 11, 25), True, id="this-years-always"),
        pytest.param(date(2025, 12, 31), date(2026, 3, 2), True, id="last-years-still-loggable"),
        pytest.param(date(2025, 10, 31), date(2026, 3, 2), False, id="last-years-beyond-the-backdate-limit"),
        pytest.param(date(2024, 12, 31), date(2026, 1, 5), False, id="two-years-ago"),
    ],
)
def test_which_overdue_obligations_are_still_chased(deadline, today, chased):
    assert still_chased(deadline, today, 120) is chased
