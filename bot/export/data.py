"""Everything one year's export shows, read from the database in one session:
the sittings with their details, the verdict on each, the year's compliance, and
the audit trail. The ledger and the archive only format this."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from scheduling.obligations import ObligationStatus, Verdict, compliance, judge
from scheduling.rules import Ruleset
from storage.models import AuditEntry, PartyGroup
from storage.records import RecordDetail, audit_entries, load_sittings, record_detail

# Zip timestamps cannot go before 1980; an empty year is stamped with its first moment.
_EPOCH = datetime(1980, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class YearExport:
    branch_name: str
    year: int
    today: date  # the day the grid's statuses are computed for (branch zone)
    zone: ZoneInfo
    ruleset: Ruleset
    media_dir: Path
    sittings: tuple[RecordDetail, ...]  # held in the year, by day held then id
    verdicts: dict[tuple[int, str], Verdict]  # (record id, system) -> verdict
    statuses: tuple[ObligationStatus, ...]  # every obligation of the year
    audit: tuple[AuditEntry, ...]  # every entry about the year's sittings, oldest first
    group_names: dict[str, str]  # group key -> name, groups removed from the config too

    def system_name(self, key: str) -> str:
        return self.ruleset.system(key).name if self.ruleset.has_system(key) else key

    def group_name(self, key: str | None) -> str:
        return "" if key is None else self.group_names.get(key, key)

    def local(self, moment: datetime) -> datetime:
        """``moment`` as a naive wall-clock time in the branch's zone."""
        return moment.astimezone(self.zone).replace(tzinfo=None)

    @property
    def as_of(self) -> datetime:
        """The newest change in the data (aware): stamps the files so the same data
        exports to the same bytes."""
        moments = [_EPOCH, datetime(self.year, 1, 1, tzinfo=self.zone)]
        for sitting in self.sittings:
            moments.append(sitting.record.logged_at)
            moments.extend(a.created_at for a in sitting.attachments)
        moments.extend(entry.at for entry in self.audit)
        return max(moments)

    def changed_at(self, sitting: RecordDetail) -> datetime:
        """The newest change to one sitting: its logging, attachments and amendments."""
        moments = [sitting.record.logged_at, *(a.created_at for a in sitting.attachments)]
        moments.extend(entry.at for entry in self.audit if entry.record_id == sitting.record.id)
        return max(max(moments), _EPOCH)


def load_year(
    session: Session,
    *,
    ruleset: Ruleset,
    branch_name: str,
    zone: ZoneInfo,
    media_dir: Path,
    year: int,
    today: date,
) -> YearExport:
    """Read and judge everything about ``year``'s sittings."""
    records = load_sittings(session, start=date(year, 1, 1), end=date(year, 12, 31))
    details = tuple(record_detail(session, record.id) for record in records)
    verdicts = {(v.record_id, v.system): v for v in judge(ruleset, records)}
    ids = {record.id for record in records}
    group_names = {g.key: g.name for g in session.exec(select(PartyGroup))}
    group_names.update({g.key: g.name for g in ruleset.roster.groups})
    return YearExport(
        branch_name=branch_name,
        year=year,
        today=today,
        zone=zone,
        ruleset=ruleset,
        media_dir=Path(media_dir),
        sittings=tuple(d for d in details if d is not None),
        verdicts=verdicts,
        statuses=tuple(compliance(ruleset, records, today, year)),
        audit=tuple(entry for entry in audit_entries(session) if entry.record_id in ids),
        group_names=group_names,
    )
