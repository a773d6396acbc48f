"""Obligations (system × group × period), the verdict on every record, and the
compliance status of every obligation at a moment. Pure: no I/O, no clock.

Every check is driven by the fields of :class:`scheduling.rules.SystemRule`; no
system key is special-cased here.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime, timedelta
from enum import StrEnum

from scheduling.periods import Period, parse_period_key, period_of, periods_in_year
from scheduling.rules import Ruleset, SystemRule


class Status(StrEnum):
    UPCOMING = "upcoming"  # period not begun
    OPEN = "open"
    DUE_SOON = "due_soon"  # deadline at most the largest offset away
    DONE = "done"  # a valid record
    INVALID = "invalid"  # records exist, none valid
    OVERDUE = "overdue"  # period over, not done


class Reason(StrEnum):
    """Why a record does not count for a system."""

    QUORUM_NOT_MET = "quorum_not_met"
    NOT_STANDALONE = "not_standalone"
    OUTSIDE_WINDOW = "outside_window"
    BEFORE_PREREQUISITE = "before_prerequisite"  # e.g. 组织生活会 before this year's 民主生活会
    OVER_MAX = "over_max"
    NOT_HOSTED = "not_hosted"  # e.g. 民主评议 not held with a 党员大会
    SYSTEM_DISABLED = "system_disabled"
    NO_GROUP = "no_group"  # group system logged without a group


@dataclass(frozen=True, order=True)
class Obligation:
    system: str
    group: str | None
    period: Period

    @cached_property
    def key(self) -> str:
        """Stable text key, e.g. ``group_meeting:g1:2026-03`` or ``party_lecture:-:2026-Q1``."""
        return f"{self.system}:{self.group or '-'}:{self.period.key}"

    @cached_property
    def deadline(self) -> date:
        return self.period.end


@dataclass(frozen=True)
class SittingRecord:
    """The domain's view of one logged sitting."""

    id: int
    system: str  # the primary system it was logged as
    covers: frozenset[str]  # every system the sitting covers, the primary one included
    group: str | None
    held_on: date
    logged_at: datetime  # aware
    present: frozenset[str]  # names of members present
    standalone: bool | None = None


@dataclass(frozen=True)
class Verdict:
    record_id: int
    system: str
    counts: bool
    reasons: tuple[Reason, ...] = ()
    # Numbers behind a reason, for the message (present, expected, needed, ...).
    details: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class ObligationStatus:
    obligation: Obligation
    status: Status
    responsible: tuple[str, ...]
    record_ids: tuple[int, ...]  # records covering this obligation (any verdict)
    valid_record_ids: tuple[int, ...]


_KEY_PART = re.compile(r"^[A-Za-z0-9_]+$")
_GROUP_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


def parse_obligation_key(key: str) -> Obligation:
    """Inverse of :attr:`Obligation.key`; raises ``ValueError`` on anything else."""
    parts = key.split(":") if isinstance(key, str) else []
    if len(parts) != 3:
        raise ValueError(f"not an obligation key: {key!r}")
    system, group, period_key = parts
    if not _KEY_PART.match(system) or not (group == "-" or _GROUP_PART.match(group)):
        raise ValueError(f"not an obligation key: {key!r}")
    return Obligation(system, None if group == "-" else group, parse_period_key(period_key))


# -- answers that depend on the ruleset only, remembered per ruleset ---------------
# A Ruleset and its rules are frozen; a large branch asks the same questions of its
# roster hundreds of thousands of times over a simulated decade.

_MEMOS: dict[int, tuple[weakref.ref, dict]] = {}


def _memo(ruleset: Ruleset) -> dict:
    """The cache of pure answers about ``ruleset`` (dropped with it)."""
    key = id(ruleset)
    entry = _MEMOS.get(key)
    if entry is None or entry[0]() is not ruleset:
        entry = (weakref.ref(ruleset, lambda _ref, key=key: _MEMOS.pop(key, None)), {})
        _MEMOS[key] = entry
    return entry[1]


def _remembered(ruleset: Ruleset, kind: str, rule: SystemRule, group: str | None, compute):
    # Keyed by the rule's identity, the rule kept in the entry so that no id is reused.
    memo = _memo(ruleset)
    key = (kind, id(rule), group)
    entry = memo.get(key)
    if entry is None or entry[0] is not rule:
        entry = memo[key] = (rule, compute())
    return entry[1]


def responsible(ruleset: Ruleset, rule: SystemRule, group: str | None) -> tuple[str, ...]:
    """``ruleset.responsible_for(rule, group)``, remembered."""
    return _remembered(ruleset, "responsible", rule, group, lambda: ruleset.responsible_for(rule, group))


def expected_attendees(ruleset: Ruleset, rule: SystemRule, group: str | None) -> tuple[str, ...]:
    """``ruleset.roster.expected_attendees(rule, group)``, remembered."""
    return _remembered(ruleset, "expected", rule, group, lambda: ruleset.roster.expected_attendees(rule, group))


def _groups_of(ruleset: Ruleset, rule: SystemRule) -> tuple[str | None, ...]:
    return tuple(g.key for g in ruleset.roster.groups) if rule.group_scoped else (None,)


def obligations_for_year(ruleset: Ruleset, year: int) -> list[Obligation]:
    """Every obligation of ``year``: enabled system × group (group systems) × period,
    in the order of the systems, then group, then period."""
    memo = _memo(ruleset)
    key = ("obligations", year)
    if key not in memo:
        memo[key] = tuple(
            Obligation(rule.key, group, period)
            for rule in ruleset.enabled
            for group in _groups_of(ruleset, rule)
            for period in periods_in_year(rule.period, year)
        )
    return list(memo[key])


def obligation_for(ruleset: Ruleset, system: str, group: str | None, day: date) -> Obligation:
    """The obligation a sitting of ``system`` held on ``day`` counts for (the group is
    dropped for a branch system). Raises ``KeyError`` for an unknown system."""
    rule = ruleset.system(system)
    return Obligation(system, group if rule.group_scoped else None, period_of(rule.period, day))


# -- verdicts ----------------------------------------------------------------------


def _combinable(first: SystemRule, second: SystemRule) -> bool:
    """Whether one sitting may count for both systems (either rule may allow it)."""
    return (
        second.key in first.may_cover
        or first.key in second.may_cover
        or first.host == second.key
        or second.host == first.key
    )


def _systems_of(record: SittingRecord) -> frozenset[str]:
    return record.covers | {record.system}


def _known_group(ruleset: Ruleset, group: str | None) -> bool:
    return group is not None and any(g.key == group for g in ruleset.roster.groups)


def _sitting_reasons(ruleset: Ruleset, record: SittingRecord, rule: SystemRule) -> tuple[list[Reason], dict]:
    """The reasons that depend on this one sitting only (not on other records)."""
    reasons: list[Reason] = []
    details: dict = {}
    if not rule.enabled:
        reasons.append(Reason.SYSTEM_DISABLED)
    if rule.group_scoped and not _known_group(ruleset, record.group):
        reasons.append(Reason.NO_GROUP)
    primary = ruleset.system(record.system) if ruleset.has_system(record.system) else None
    if rule.key != record.system and (primary is None or not _combinable(primary, rule)):
        reasons.append(Reason.NOT_HOSTED)
        details["primary"] = record.system
    if rule.host is not None and rule.host not in _systems_of(record):
        reasons.append(Reason.NOT_HOSTED)
        details["host"] = rule.host
    if rule.quorum is not None and Reason.NO_GROUP not in reasons:
        group = record.group if rule.group_scoped else None
        expected = expected_attendees(ruleset, rule, group)
        present = len(record.present & set(expected))
        details.update(present=present, expected=len(expected), needed=rule.quorum.minimum(len(expected)))
        if not rule.quorum.is_met(present, len(expected)):
            reasons.append(Reason.QUORUM_NOT_MET)
    if rule.standalone and (record.standalone is not True or len(_systems_of(record)) > 1):
        reasons.append(Reason.NOT_STANDALONE)
    if rule.window is not None and not rule.window.contains_month(record.held_on.month):
        reasons.append(Reason.OUTSIDE_WINDOW)
        details["window"] = (rule.window.first_month, rule.window.last_month)
    return list(dict.fromkeys(reasons)), details


class _Judge:
    """Judges every (record, covered system) pair; a system's prerequisite is judged first."""

    def __init__(self, ruleset: Ruleset, records: list[SittingRecord]) -> None:
        self.ruleset = ruleset
        self.records = sorted(records, key=lambda r: (r.held_on, r.id))
        self.verdicts: dict[tuple[int, str], Verdict] = {}
        self._done: set[str] = set()
        self._in_progress: set[str] = set()

    def system(self, key: str) -> None:
        if key in self._done:
            return
        if key in self._in_progress:  # a cycle of `after` rules: ignore the back edge
            return
        self._in_progress.add(key)
        rule = self.ruleset.system(key) if self.ruleset.has_system(key) else None
        sittings = [r for r in self.records if key in _systems_of(r)]
        if rule is None:
            for record in sittings:
                self.verdicts[record.id, key] = Verdict(record.id, key, False, (Reason.SYSTEM_DISABLED,))
        else:
            self._judge_system(rule, sittings)
        self._in_progress.discard(key)
        self._done.add(key)

    def _judge_system(self, rule: SystemRule, sittings: list[SittingRecord]) -> None:
        prerequisite = self._prerequisite(rule)
        if prerequisite is not None:
            self.system(prerequisite.key)
        counted: dict[Obligation, int] = {}
        for record in sittings:
            reasons, details = _sitting_reasons(self.ruleset, record, rule)
            if prerequisite is not None and not self._prerequisite_met(rule, prerequisite, record):
                reasons.append(Reason.BEFORE_PREREQUISITE)
                details["prerequisite"] = prerequisite.key
            if not reasons and rule.max_per_period is not None:
                obligation = obligation_for(self.ruleset, rule.key, record.group, record.held_on)
                counted[obligation] = counted.get(obligation, 0) + 1
                if counted[obligation] > rule.max_per_period:
                    reasons.append(Reason.OVER_MAX)
                    details["max"] = rule.max_per_period
            self.verdicts[record.id, rule.key] = Verdict(record.id, rule.key, not reasons, tuple(reasons), details)

    def _prerequisite(self, rule: SystemRule) -> SystemRule | None:
        # A disabled (or unknown) prerequisite imposes no order: the branch chose not to hold it.
        if rule.after is None or not self.ruleset.has_system(rule.after):
            return None
        prerequisite = self.ruleset.system(rule.after)
        return prerequisite if prerequisite.enabled else None

    def _prerequisite_met(self, rule: SystemRule, prerequisite: SystemRule, record: SittingRecord) -> bool:
        """A valid sitting of the prerequisite held on or before this one, the same year
        (the same group's, when both systems are group-scoped)."""
        for earlier in self.records:
            if prerequisite.key not in _systems_of(earlier) or earlier.held_on > record.held_on:
                continue
            if earlier.held_on.year != record.held_on.year:
                continue
            if prerequisite.group_scoped and rule.group_scoped and earlier.group != record.group:
                continue
            verdict = self.verdicts.get((earlier.id, prerequisite.key))
            if verdict is not None and verdict.counts:
                return True
        return False


def judge(ruleset: Ruleset, records: list[SittingRecord]) -> list[Verdict]:
    """One verdict per (record, system the record covers), in the order of ``records``
    and, within a record, its primary system first. A sitting that breaks a rule is
    kept but does not count; sittings beyond ``max_per_period`` (by day held, then id)
    do not count either."""
    judge_ = _Judge(ruleset, records)
    for record in judge_.records:
        for key in sorted(_systems_of(record)):
            judge_.system(key)
    ordered: list[Verdict] = []
    for record in records:
        systems = [record.system] + sorted(_systems_of(record) - {record.system})
        ordered.extend(judge_.verdicts[record.id, key] for key in systems)
    return ordered


# -- compliance ---------------------------------------------------------------------


def _opens(rule: SystemRule, obligation: Obligation) -> date:
    """The first day a sitting can count: the period's, or its window's, first day."""
    start = obligation.period.start
    if rule.window is not None:
        window_start = date(obligation.period.year, rule.window.first_month, 1)
        if start < window_start <= obligation.deadline:
            return window_start
    return start


def _status(
    rule: SystemRule, obligation: Obligation, today: date, valid: int, invalid: int
) -> Status:
    # Precedence: done > upcoming > overdue > invalid > due_soon > open. Once the
    # deadline has passed the obligation is late whatever was logged (escalation must
    # not be sheltered by an invalid record); before it, an invalid record is the most
    # useful thing to say, since the sitting has to be held again.
    if valid >= rule.min_per_period:
        return Status.DONE
    if today < _opens(rule, obligation):
        return Status.UPCOMING
    if today > obligation.deadline:
        return Status.OVERDUE
    if invalid:
        return Status.INVALID
    if rule.offsets and (obligation.deadline - today).days <= max(rule.offsets):
        return Status.DUE_SOON
    return Status.OPEN


def compliance(ruleset: Ruleset, records: list[SittingRecord], today: date, year: int) -> list[ObligationStatus]:
    """The status at ``today`` of every obligation of ``year`` (see :func:`_status` for
    the precedence), with the records that cover it and those that count."""
    by_obligation: dict[Obligation, list[Verdict]] = {}
    held = {record.id: record for record in records}
    for verdict in judge(ruleset, records):
        record = held[verdict.record_id]
        if not ruleset.has_system(verdict.system) or Reason.NO_GROUP in verdict.reasons:
            continue
        obligation = obligation_for(ruleset, verdict.system, record.group, record.held_on)
        by_obligation.setdefault(obligation, []).append(verdict)
    statuses = []
    for obligation in obligations_for_year(ruleset, year):
        rule = ruleset.system(obligation.system)
        verdicts = sorted(by_obligation.get(obligation, []), key=lambda v: (held[v.record_id].held_on, v.record_id))
        valid = tuple(v.record_id for v in verdicts if v.counts)
        invalid = len(verdicts) - len(valid)
        statuses.append(
            ObligationStatus(
                obligation=obligation,
                status=_status(rule, obligation, today, len(valid), invalid),
                responsible=responsible(ruleset, rule, obligation.group),
                record_ids=tuple(v.record_id for v in verdicts),
                valid_record_ids=valid,
            )
        )
    return statuses


def still_chased(deadline: date, today: date, max_backdate_days: int) -> bool:
    """Whether an obligation overdue at ``today`` is still listed as overdue (by
    /overdue and the weekly digest alike): this year's, and last year's whose
    meeting could still be logged (held within ``max_backdate_days``)."""
    if deadline.year == today.year:
        return True
    return deadline.year == today.year - 1 and deadline >= today - timedelta(days=max_backdate_days)

