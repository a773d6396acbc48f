"""The one authorization table, against the example roster."""

from __future__ import annotations

import pytest

from bot.auth import Action, Person, Target, loggable, may, sees_obligation
from bot.config import load_config
from scheduling.rules import Ruleset
from tests.conftest import EXAMPLE_CONFIG

RULESET = load_config(EXAMPLE_CONFIG).ruleset()


def person(name: str, member_id: int = 1) -> Person:
    member = RULESET.roster.member(name)
    leads = tuple(g.key for g in RULESET.roster.leads(name))
    return Person(member_id, name, frozenset(r.value for r in member.roles), member.group, leads)


@pytest.mark.parametrize(
    ("name", "action", "target", "allowed"),
    [
        pytest.param("常天民", Action.INVITE, None, True, id="secretary-invites"),
        pytest.param("郭谨瑜", Action.INVITE, None, False, id="committee-does-not-invite"),
        pytest.param("郭谨瑜", Action.OVERDUE, None, True, id="committee-sees-overdue"),
        pytest.param("王晓明", Action.OVERDUE, None, False, id="member-does-not-see-overdue"),
        pytest.param("王晓明", Action.LOG, None, False, id="member-logs-nothing"),
        pytest.param("王晓明", Action.HELP, None, True, id="member-gets-help"),
        pytest.param("李会玲", Action.LOG_SYSTEM, Target("group_meeting", "g1"), True, id="leader-logs-own-group"),
        pytest.param("李会玲", Action.LOG_SYSTEM, Target("group_meeting", "g2"), False, id="leader-not-other-group"),
        pytest.param("常天民", Action.LOG_SYSTEM, Target("group_meeting", "g2"), True, id="secretary-logs-anything"),
        pytest.param("朱东方", Action.LOG_SYSTEM, Target("party_lecture", None), True, id="lecturer-logs-lecture"),
        pytest.param("朱东方", Action.LOG_SYSTEM, Target("committee_meeting", None), False, id="lecturer-not-committee-meeting"),
        pytest.param("赵磊", Action.VIEW_RECORD, Target("group_meeting", "g1", logged_by_id=9), False, id="member-not-other-record"),
        pytest.param("赵磊", Action.VIEW_RECORD, Target("group_meeting", "g2", logged_by_id=1), True, id="member-own-record"),
        pytest.param("陈永胜", Action.VIEW_RECORD, Target("group_meeting", "g2", logged_by_id=9), True, id="leader-group-record"),
        pytest.param("陈永胜", Action.AMEND_RECORD, Target("group_meeting", "g1", logged_by_id=9), False, id="leader-not-amend-other-group"),
        pytest.param("郭谨瑜", Action.VIEW_RECORD, Target("group_meeting", "g2", logged_by_id=9), True, id="committee-sees-all-records"),
        pytest.param("郭谨瑜", Action.AMEND_RECORD, Target("group_meeting", "g2", logged_by_id=9), False, id="committee-amends-only-own"),
    ],
)
def test_the_table_decides(name, action, target, allowed):
    assert may(person(name), action, RULESET, target) is allowed


def test_an_unbound_account_may_do_nothing():
    assert not any(may(None, action, RULESET) for action in Action)


def test_a_group_leader_may_log_only_their_groups_systems():
    offered = {rule.key: groups for rule, groups in loggable(person("陈永胜"), RULESET)}
    assert offered == {"group_meeting": ("g2",), "organizational_life_meeting": ("g2",)}


def test_a_disabled_system_is_not_offered_even_to_the_secretary():
    systems = tuple(r.with_overrides(enabled=r.key != "party_lecture") for r in RULESET.systems)
    ruleset = Ruleset(systems=systems, roster=RULESET.roster)
    offered = [rule.key for rule, _ in loggable(person("常天民"), ruleset)]
    assert "party_lecture" not in offered and "group_meeting" in offered


def test_a_member_sees_only_what_they_answer_for():
    assert sees_obligation(person("朱东方"), RULESET, "party_lecture", None)
    assert sees_obligation(person("朱东方"), RULESET, "committee_meeting", None)  # 朱东方 is on the committee
    assert not sees_obligation(person("赵磊"), RULESET, "party_lecture", None)
    assert sees_obligation(person("陈永胜"), RULESET, "group_meeting", "g2")
    assert not sees_obligation(person("陈永胜"), RULESET, "group_meeting", "g1")


@pytest.mark.parametrize(
    "target",
    [
        pytest.param(Target("group_meeting", "nope"), id="unknown-group"),
        pytest.param(Target("group_meeting", None), id="group-system-without-group"),
        pytest.param(Target("party_lecture", "g1"), id="branch-system-with-group"),
        pytest.param(Target("no_such_system", None), id="unknown-system"),
        pytest.param(Target(None, None), id="nothing"),
    ],
)
def test_nobody_logs_for_a_target_that_does_not_exist(target):
    assert not may(person("常天民"), Action.LOG_SYSTEM, RULESET, target)
