"""Rosters, rulesets and sitting records built in code, independent of any config file."""

from __future__ import annotations

from datetime import UTC, date, datetime

from scheduling.obligations import SittingRecord
from scheduling.periods import PeriodKind
from scheduling.rules import DEFAULT_OFFSETS, DEFAULT_SYSTEMS, Group, Member, Role, Roster, Ruleset
from scheduling.workdays import WorkdayCalendar

S, C, L, GL, M = Role.SECRETARY, Role.COMMITTEE, Role.LEADERSHIP, Role.GROUP_LEADER, Role.MEMBER


def member(name: str, *roles: Role, group: str | None = None) -> Member:
    return Member(name=name, roles=frozenset(roles or (M,)), group=group)


# Eight people, two groups of four; committee of three, leadership of three.
TWO_GROUPS = Roster(
    members=(
        member("书记", S, C, L, group="g1"),
        member("委员甲", C, L, group="g1"),
        member("委员乙", C, group="g2"),
        member("组长一", GL, group="g1"),
        member("组长二", GL, L, group="g2"),
        member("党员一", group="g1"),
        member("党员二", group="g2"),
        member("党员三", group="g2"),
    ),
    groups=(Group("g1", "第一党小组", "组长一"), Group("g2", "第二党小组", "组长二")),
)

# Three groups of two; a leadership of six (for the exact 2/3 boundary).
THREE_GROUPS = Roster(
    members=(
        member("甲", S, C, L, group="a"),
        member("乙", C, L, group="a"),
        member("丙", L, group="b"),
        member("丁", L, group="b"),
        member("戊", L, group="c"),
        member("己", L, group="c"),
    ),
    groups=(Group("a", "一组", "甲"), Group("b", "二组", "丙"), Group("c", "三组", "戊")),
)


def ruleset(roster: Roster = TWO_GROUPS, *, committee_after: int = 7, superior_after: int = 15, **systems) -> Ruleset:
    """The built-in systems with the default offsets of their period; ``systems``
    maps a system key to the fields to change (``party_lecture={"enabled": False}``)."""
    rules = []
    for default in DEFAULT_SYSTEMS:
        changes = dict(systems.get(default.key, {}))
        period = PeriodKind(changes.get("period", default.period))
        changes.setdefault("offsets", DEFAULT_OFFSETS[period])
        rules.append(default.with_overrides(**changes))
    return Ruleset(
        systems=tuple(rules),
        roster=roster,
        escalation_committee_after_days=committee_after,
        escalation_superior_after_days=superior_after,
    )


OFFICIAL = WorkdayCalendar()

_ids = iter(range(1, 1_000_000))


def sitting(
    system: str,
    held_on: date,
    present: tuple[str, ...] | str = "all",
    *,
    also: tuple[str, ...] = (),
    group: str | None = None,
    standalone: bool | None = None,
    id: int | None = None,
    roster: Roster = TWO_GROUPS,
) -> SittingRecord:
    """A record of one sitting; ``present="all"`` means the whole roster came."""
    names = tuple(m.name for m in roster.members) if present == "all" else present
    return SittingRecord(
        id=id if id is not None else next(_ids),
        system=system,
        covers=frozenset((system, *also)),
        group=group,
        held_on=held_on,
        logged_at=datetime.combine(held_on, datetime.min.time(), tzinfo=UTC),
        present=frozenset(names),
        standalone=standalone,
    )
