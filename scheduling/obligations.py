"""Obligations (system × group × period), the verdict on every record, and the
compliance status of every obligation at a moment. Pure: no I/O, no clock.

INTERFACE FIXED — bodies being filled in (see issue 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from scheduling.periods import Period
from scheduling.rules import Ruleset


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

    @property
    def key(self) -> str:
        """Stable text key, e.g. ``group_meeting:g1:2026-03`` or ``party_lecture:-:2026-Q1``."""
        return f"{self.system}:{self.group or '-'}:{self.period.key}"

    @property
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


def parse_obligation_key(key: str) -> Obligation: ...
def obligations_for_year(ruleset: Ruleset, year: int) -> list[Obligation]: ...
def obligation_for(ruleset: Ruleset, system: str, group: str | None, day: date) -> Obligation: ...
def judge(ruleset: Ruleset, records: list[SittingRecord]) -> list[Verdict]: ...
def compliance(ruleset: Ruleset, records: list[SittingRecord], today: date, year: int) -> list[ObligationStatus]: ...
