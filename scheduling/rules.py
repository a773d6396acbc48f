"""The seven meeting systems as data.

Every rule the seed document and the 支部工作条例 impose — frequency, window,
quorum, standalone, order, combined sittings — is a field here. The checker in
:mod:`scheduling.obligations` interprets the fields generically; no system key is
special-cased anywhere else in the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import StrEnum
from fractions import Fraction

from scheduling.periods import PeriodKind


class Scope(StrEnum):
    BRANCH = "branch"
    GROUP = "group"


class Role(StrEnum):
    SECRETARY = "secretary"
    COMMITTEE = "committee"
    GROUP_LEADER = "group_leader"
    LEADERSHIP = "leadership"
    MEMBER = "member"


class Attendees(StrEnum):
    """Who is expected at a sitting, and so the base of its quorum."""

    MEMBERS = "members"  # every active member of the branch
    COMMITTEE = "committee"  # members with the committee role
    LEADERSHIP = "leadership"  # members with the leadership role
    GROUP = "group"  # the members of the sitting's party group


class AbsenceReason(StrEnum):
    PERSONAL = "personal"  # 事假
    SICK = "sick"  # 病假
    OFFICIAL = "official"  # 公出
    OTHER = "other"  # 其他


@dataclass(frozen=True)
class Quorum:
    """``present / expected`` must exceed ``fraction`` (or reach it, if ``inclusive``)."""

    fraction: Fraction
    inclusive: bool = False

    def is_met(self, present: int, expected: int) -> bool:
        if expected == 0:
            return present > 0
        ratio = Fraction(present, expected)
        return ratio >= self.fraction if self.inclusive else ratio > self.fraction

    def minimum(self, expected: int) -> int:
        """The smallest head count that meets the quorum."""
        for present in range(expected + 1):
            if self.is_met(present, expected):
                return present
        return expected

    @property
    def text(self) -> str:
        return f"{self.fraction.numerator}/{self.fraction.denominator}" + ("+" if self.inclusive else "")

    @classmethod
    def parse(cls, text: str) -> Quorum:
        """``"1/2"`` means more than half; ``"2/3+"`` means at least two thirds."""
        match = _QUORUM_PATTERN.match(text.strip())
        if not match:
            raise ValueError(f"quorum must look like '1/2' or '2/3+', not {text!r}")
        numerator, denominator = int(match.group(1)), int(match.group(2))
        if denominator == 0 or not 0 < numerator <= denominator:
            raise ValueError(f"quorum must be a fraction between 0 and 1, not {text!r}")
        if numerator == denominator and not match.group(3):
            raise ValueError(f"quorum {text!r} can never be exceeded; write '1/1+' for everyone")
        return cls(Fraction(numerator, denominator), inclusive=bool(match.group(3)))


_QUORUM_PATTERN = re.compile(r"^(\d+)\s*/\s*(\d+)\s*(\+?)$")


@dataclass(frozen=True)
class Window:
    """Months of the year (inclusive) in which a sitting must be held."""

    first_month: int
    last_month: int

    def contains_month(self, month: int) -> bool:
        return self.first_month <= month <= self.last_month


@dataclass(frozen=True)
class SystemRule:
    key: str
    name: str
    scope: Scope
    period: PeriodKind
    min_per_period: int = 1
    max_per_period: int | None = None
    offsets: tuple[int, ...] = ()
    attendees: Attendees = Attendees.MEMBERS
    quorum: Quorum | None = None
    window: Window | None = None
    standalone: bool = False
    # The system whose valid sitting this year must come first (组织生活会 after 民主生活会);
    # the obligation also opens on the first workday after that sitting is logged.
    after: str | None = None
    # Systems a sitting of this one may also cover (党课 with 党员大会).
    may_cover: tuple[str, ...] = ()
    # A sitting of this system counts only when held as part of a sitting of `host`
    # (民主评议党员 with the year-end 党员大会).
    host: str | None = None
    responsible: tuple[str, ...] = ()
    enabled: bool = True

    @property
    def group_scoped(self) -> bool:
        return self.scope is Scope.GROUP

    def with_overrides(self, **changes) -> SystemRule:
        return replace(self, **changes)


# Default offsets (days before the deadline) per period kind, SPEC §4.
DEFAULT_OFFSETS: dict[PeriodKind, tuple[int, ...]] = {
    PeriodKind.MONTH: (7, 2),
    PeriodKind.QUARTER: (14, 5, 1),
    PeriodKind.YEAR: (30, 10, 3),
}

Q4 = Window(10, 12)

# The seven systems of the seed document, in the seed's order.
DEFAULT_SYSTEMS: tuple[SystemRule, ...] = (
    SystemRule(
        key="general_assembly",
        name="支部党员大会",
        scope=Scope.BRANCH,
        period=PeriodKind.QUARTER,
        attendees=Attendees.MEMBERS,
        quorum=Quorum(Fraction(1, 2)),  # 支部工作条例 Art. 11
        may_cover=("party_lecture", "member_evaluation"),
    ),
    SystemRule(
        key="committee_meeting",
        name="支部委员会",
        scope=Scope.BRANCH,
        period=PeriodKind.MONTH,
        attendees=Attendees.COMMITTEE,
        quorum=Quorum(Fraction(1, 2)),  # 支部工作条例 Art. 12
    ),
    SystemRule(
        key="group_meeting",
        name="党小组会",
        scope=Scope.GROUP,
        period=PeriodKind.MONTH,
        attendees=Attendees.GROUP,
    ),
    SystemRule(
        key="party_lecture",
        name="党课",
        scope=Scope.BRANCH,
        period=PeriodKind.QUARTER,
        attendees=Attendees.MEMBERS,
        may_cover=("general_assembly",),
    ),
    SystemRule(
        key="democratic_life_meeting",
        name="党员领导干部民主生活会",
        scope=Scope.BRANCH,
        period=PeriodKind.YEAR,
        min_per_period=1,
        max_per_period=1,
        attendees=Attendees.LEADERSHIP,
        quorum=Quorum(Fraction(2, 3), inclusive=True),
        window=Q4,
        standalone=True,
    ),
    SystemRule(
        key="organizational_life_meeting",
        name="党员组织生活会",
        scope=Scope.GROUP,
        period=PeriodKind.YEAR,
        min_per_period=1,
        max_per_period=2,
        attendees=Attendees.GROUP,
        after="democratic_life_meeting",
    ),
    SystemRule(
        key="member_evaluation",
        name="民主评议党员",
        scope=Scope.BRANCH,
        period=PeriodKind.YEAR,
        min_per_period=1,
        max_per_period=1,
        attendees=Attendees.MEMBERS,
        window=Q4,
        host="general_assembly",
    ),
)

SYSTEM_KEYS: tuple[str, ...] = tuple(rule.key for rule in DEFAULT_SYSTEMS)


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    leader: str


@dataclass(frozen=True)
class Member:
    name: str
    roles: frozenset[Role]
    group: str | None = None
    telegram_id: int | None = None

    def has(self, role: Role) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class Roster:
    """The branch's people and groups, as the config names them."""

    members: tuple[Member, ...]
    groups: tuple[Group, ...]

    def member(self, name: str) -> Member:
        for member in self.members:
            if member.name == name:
                return member
        raise KeyError(name)

    def group(self, key: str) -> Group:
        for group in self.groups:
            if group.key == key:
                return group
        raise KeyError(key)

    def with_role(self, role: Role) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.has(role) or (role is Role.GROUP_LEADER and self.leads(m.name)))

    def leads(self, name: str) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if g.leader == name)

    def group_members(self, key: str) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.group == key)

    def expected_attendees(self, rule: SystemRule, group: str | None) -> tuple[str, ...]:
        """The names expected at a sitting of ``rule`` (for ``group``, if group-scoped)."""
        if rule.attendees is Attendees.GROUP:
            if group is None:
                return tuple(m.name for m in self.members)
            members = {m.name for m in self.group_members(group)}
            members.add(self.group(group).leader)
            return tuple(m.name for m in self.members if m.name in members)
        if rule.attendees is Attendees.COMMITTEE:
            return tuple(m.name for m in self.with_role(Role.COMMITTEE))
        if rule.attendees is Attendees.LEADERSHIP:
            return tuple(m.name for m in self.with_role(Role.LEADERSHIP))
        return tuple(m.name for m in self.members)


@dataclass(frozen=True)
class Ruleset:
    """The enabled systems with their effective settings, plus the roster."""

    systems: tuple[SystemRule, ...]
    roster: Roster
    escalation_committee_after_days: int = 7
    escalation_superior_after_days: int = 15
    max_backdate_days: int = 120
    absence_warning_months: int = 3
    _by_key: dict[str, SystemRule] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_key.update({rule.key: rule for rule in self.systems})

    def system(self, key: str) -> SystemRule:
        return self._by_key[key]

    def has_system(self, key: str) -> bool:
        return key in self._by_key

    @property
    def enabled(self) -> tuple[SystemRule, ...]:
        return tuple(rule for rule in self.systems if rule.enabled)

    def responsible_for(self, rule: SystemRule, group: str | None) -> tuple[str, ...]:
        """Named responsible persons; for a group system, the group's leader by default."""
        if rule.group_scoped and group is not None:
            # Config may name one person per group: each group gets those named who
            # belong to it or lead it, plus those named who belong to no group (a branch
            # officer answers for every group); a group left with nobody falls back to
            # its leader, never to another group's people.
            group_people = {m.name for m in self.roster.group_members(group)}
            group_people.add(self.roster.group(group).leader)
            ungrouped = {m.name for m in self.roster.members if m.group is None and not self.roster.leads(m.name)}
            mine = tuple(n for n in rule.responsible if n in group_people or n in ungrouped)
            if mine:
                return mine
            return (self.roster.group(group).leader,)
        if rule.responsible:
            return rule.responsible
        return tuple(m.name for m in self.roster.with_role(Role.SECRETARY))
