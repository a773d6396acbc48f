"""Who may do what (SPEC §1, §5): one table, consulted by every handler and button.

An action is allowed when the person holds one of its roles, or when its
responsibility predicate holds for the target (an obligation or a record). Nothing
else in the bot decides permissions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from scheduling.rules import Role, Ruleset, SystemRule


@dataclass(frozen=True)
class Person:
    """A bound member, as the handlers see them."""

    member_id: int
    name: str
    roles: frozenset[str]
    group: str | None = None
    leads: tuple[str, ...] = ()  # keys of the party groups this person leads

    def has(self, role: Role) -> bool:
        return role.value in self.roles or (role is Role.GROUP_LEADER and bool(self.leads))


@dataclass(frozen=True)
class Target:
    """What an action is about: one system (and group), or one record."""

    system: str | None = None
    group: str | None = None
    covers: frozenset[str] = field(default_factory=frozenset)
    logged_by_id: int | None = None


class Action(StrEnum):
    HELP = "help"
    ME = "me"
    PLAN = "plan"
    STATUS = "status"  # own scope; everyone bound
    SEE_BRANCH = "see_branch"  # whole-branch status, every record
    OVERDUE = "overdue"
    LOG = "log"  # open /log at all
    LOG_SYSTEM = "log_system"  # log this system (and group)
    RECORDS = "records"
    VIEW_RECORD = "view_record"
    AMEND_RECORD = "amend_record"
    INVITE = "invite"
    EXPORT = "export"


Predicate = Callable[[Person, Ruleset, Target], bool]


@dataclass(frozen=True)
class Rule:
    roles: frozenset[Role] = frozenset()
    everyone: bool = False  # every bound member
    predicate: Predicate | None = None


def _responsible(person: Person, ruleset: Ruleset, rule: SystemRule, group: str | None) -> bool:
    if rule.group_scoped and group is None:
        return any(person.name in ruleset.responsible_for(rule, g.key) for g in ruleset.roster.groups)
    return person.name in ruleset.responsible_for(rule, group)


def _responsible_for_target(person: Person, ruleset: Ruleset, target: Target) -> bool:
    systems = {target.system, *target.covers} - {None}
    for key in systems:
        if ruleset.has_system(key) and _responsible(person, ruleset, ruleset.system(key), target.group):
            return True
    return False


def _in_own_scope(person: Person, ruleset: Ruleset, target: Target) -> bool:
    """A group leader sees their group's affairs; everybody sees what they answer for."""
    if target.group is not None and target.group in person.leads:
        return True
    if target.logged_by_id is not None and target.logged_by_id == person.member_id:
        return True
    return _responsible_for_target(person, ruleset, target)


def _loggable_target(ruleset: Ruleset, target: Target) -> bool:
    """An enabled system, with a known group exactly when it is group-scoped."""
    if target.system is None or not ruleset.has_system(target.system):
        return False
    rule = ruleset.system(target.system)
    if not rule.enabled:
        return False
    if rule.group_scoped:
        return any(g.key == target.group for g in ruleset.roster.groups)
    return target.group is None


def _may_log_something(person: Person, ruleset: Ruleset, _target: Target) -> bool:
    return any(_responsible(person, ruleset, rule, None) for rule in ruleset.enabled)


def _may_log_system(person: Person, ruleset: Ruleset, target: Target) -> bool:
    return _responsible(person, ruleset, ruleset.system(target.system), target.group)


def _may_amend(person: Person, ruleset: Ruleset, target: Target) -> bool:
    if target.logged_by_id is not None and target.logged_by_id == person.member_id:
        return True
    return _responsible_for_target(person, ruleset, target)


BRANCH_VIEWERS = frozenset({Role.SECRETARY, Role.COMMITTEE})

AUTHORIZATION: dict[Action, Rule] = {
    Action.HELP: Rule(everyone=True),
    Action.ME: Rule(everyone=True),
    Action.PLAN: Rule(everyone=True),
    Action.STATUS: Rule(everyone=True),
    Action.RECORDS: Rule(everyone=True),
    Action.SEE_BRANCH: Rule(roles=BRANCH_VIEWERS),
    Action.OVERDUE: Rule(roles=BRANCH_VIEWERS),
    Action.LOG: Rule(roles=frozenset({Role.SECRETARY}), predicate=_may_log_something),
    Action.LOG_SYSTEM: Rule(roles=frozenset({Role.SECRETARY}), predicate=_may_log_system),
    Action.VIEW_RECORD: Rule(roles=BRANCH_VIEWERS, predicate=_in_own_scope),
    Action.AMEND_RECORD: Rule(roles=frozenset({Role.SECRETARY}), predicate=_may_amend),
    Action.INVITE: Rule(roles=frozenset({Role.SECRETARY})),
    Action.EXPORT: Rule(roles=frozenset({Role.SECRETARY})),
}


def may(person: Person | None, action: Action, ruleset: Ruleset, target: Target | None = None) -> bool:
    """True when ``person`` (None = unbound) may do ``action`` on ``target``."""
    if person is None:
        return False
    rule = AUTHORIZATION[action]
    # Nobody, the secretary included, logs a switched-off system or a group that does not exist.
    if action is Action.LOG_SYSTEM and not _loggable_target(ruleset, target or Target()):
        return False
    if rule.everyone or any(person.has(role) for role in rule.roles):
        return True
    if rule.predicate is None:
        return False
    return rule.predicate(person, ruleset, target or Target())


def loggable(person: Person, ruleset: Ruleset) -> list[tuple[SystemRule, tuple[str, ...]]]:
    """The systems ``person`` may log, each with the groups they may log it for."""
    result = []
    for rule in ruleset.enabled:
        if rule.group_scoped:
            groups = tuple(
                g.key for g in ruleset.roster.groups if may(person, Action.LOG_SYSTEM, ruleset, Target(rule.key, g.key))
            )
            if groups:
                result.append((rule, groups))
        elif may(person, Action.LOG_SYSTEM, ruleset, Target(rule.key, None)):
            result.append((rule, ()))
    return result


def sees_obligation(person: Person, ruleset: Ruleset, system: str, group: str | None) -> bool:
    """Whether ``/status`` and ``/plan`` show this obligation to ``person``."""
    if may(person, Action.SEE_BRANCH, ruleset):
        return True
    return _in_own_scope(person, ruleset, Target(system=system, group=group))
