"""Who answers for an obligation: named persons per group, the leader by default."""

from __future__ import annotations

import pytest

from scheduling.rules import Roster
from tests.scheduling.builders import TWO_GROUPS, member, ruleset, S, C

WITH_OFFICER = Roster(members=TWO_GROUPS.members + (member("组织委员", C),), groups=TWO_GROUPS.groups)


@pytest.mark.parametrize(
    ("roster", "named", "group", "expected"),
    [
        pytest.param(TWO_GROUPS, (), "g1", ("组长一",), id="nobody-named-the-leader"),
        pytest.param(TWO_GROUPS, ("组长一", "组长二"), "g1", ("组长一",), id="one-leader-per-group-g1"),
        pytest.param(TWO_GROUPS, ("组长一", "组长二"), "g2", ("组长二",), id="one-leader-per-group-g2"),
        pytest.param(TWO_GROUPS, ("党员三",), "g2", ("党员三",), id="a-member-of-the-group"),
        pytest.param(TWO_GROUPS, ("党员三",), "g1", ("组长一",), id="another-groups-member-never-answers-for-this-one"),
        pytest.param(WITH_OFFICER, ("组织委员",), "g1", ("组织委员",), id="an-officer-without-a-group-answers-for-g1"),
        pytest.param(WITH_OFFICER, ("组织委员",), "g2", ("组织委员",), id="an-officer-without-a-group-answers-for-g2"),
    ],
)
def test_a_group_system_is_answered_for_by_the_groups_own_people(roster, named, group, expected):
    rules = ruleset(roster, group_meeting={"responsible": named})
    assert rules.responsible_for(rules.system("group_meeting"), group) == expected


def test_a_branch_system_without_named_persons_falls_to_the_secretary():
    rules = ruleset(party_lecture={"responsible": ()})
    assert rules.responsible_for(rules.system("party_lecture"), None) == ("书记",)
    assert S in TWO_GROUPS.member("书记").roles
