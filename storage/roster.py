"""The roster in the database, kept in step with the config (SPEC §7, §8).

The config is the source of truth for who belongs to the branch; the database
keeps everybody who ever did, so that records, attendance and audit entries keep
pointing at a real row. Nobody is ever deleted: a member or group removed from
the config is deactivated, and reactivated if it comes back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from storage.models import Branch, Member, PartyGroup

if TYPE_CHECKING:  # storage only reads the validated config; it never loads one
    from bot.config import Config

BRANCH_ID = 1


class NoSuchMember(LookupError):
    """A name that is not an active member of the roster."""

    def __init__(self, name: str, *, inactive: bool = False) -> None:
        super().__init__(name)
        self.name = name
        self.inactive = inactive


@dataclass
class RosterChanges:
    """What one sync changed, for the start-up log."""

    added: list[str] = field(default_factory=list)
    reactivated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    groups_deactivated: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.reactivated or self.deactivated or self.groups_deactivated)


def sync_roster(session: Session, config: Config, *, now: datetime) -> RosterChanges:
    """Make the branch, groups and members in the database match the config."""
    changes = RosterChanges()
    _sync_branch(session, config)
    _sync_groups(session, config, changes)
    _sync_members(session, config, now, changes)
    session.flush()
    return changes


def _sync_branch(session: Session, config: Config) -> None:
    branch = session.get(Branch, BRANCH_ID)
    if branch is None:
        branch = Branch(id=BRANCH_ID, name=config.branch.name, timezone=config.branch.timezone)
    branch.name = config.branch.name
    branch.timezone = config.branch.timezone
    session.add(branch)


def _sync_groups(session: Session, config: Config, changes: RosterChanges) -> None:
    existing = {group.key: group for group in session.exec(select(PartyGroup))}
    wanted = {group.key for group in config.groups}
    for item in config.groups:
        group = existing.get(item.key) or PartyGroup(key=item.key, name=item.name, leader_name=item.leader)
        group.name = item.name
        group.leader_name = item.leader
        group.active = True
        session.add(group)
    for key, group in existing.items():
        if key not in wanted and group.active:
            group.active = False
            changes.groups_deactivated.append(key)
            session.add(group)


def _sync_members(session: Session, config: Config, now: datetime, changes: RosterChanges) -> None:
    existing = {member.name: member for member in session.exec(select(Member))}
    wanted = {item.name for item in config.members}
    configured_ids = {item.telegram_id: item.name for item in config.members if item.telegram_id is not None}

    # A telegram_id in the config wins over a binding another row holds (made in
    # chat, or left on a member since removed). Clear those first so the unique
    # index never sees the same id twice within the flush.
    for member in existing.values():
        owner = configured_ids.get(member.telegram_id) if member.telegram_id is not None else None
        if owner is not None and owner != member.name:
            member.telegram_id = None
            session.add(member)
    session.flush()

    for item in config.members:
        member = existing.get(item.name)
        if member is None:
            member = Member(name=item.name, created_at=now)
            changes.added.append(item.name)
        elif not member.active:
            changes.reactivated.append(item.name)
        member.roles = ",".join(role.value for role in item.roles)
        member.group_key = item.group
        member.active = True
        # A binding made in chat stays when the config gives no telegram_id.
        if item.telegram_id is not None:
            member.telegram_id = item.telegram_id
        session.add(member)

    for name, member in existing.items():
        if name not in wanted and member.active:
            member.active = False
            changes.deactivated.append(name)
            session.add(member)


def member_by_name(session: Session, name: str) -> Member | None:
    """The member row with this name, active or not (check ``.active``)."""
    return session.exec(select(Member).where(Member.name == name)).first()


def active_member(session: Session, name: str) -> Member:
    """The active member with this name; :class:`NoSuchMember` otherwise."""
    member = member_by_name(session, name)
    if member is None or not member.active:
        raise NoSuchMember(name, inactive=member is not None)
    return member


def member_by_telegram_id(session: Session, telegram_id: int) -> Member | None:
    """The active member bound to this Telegram account, if any."""
    statement = select(Member).where(Member.telegram_id == telegram_id, Member.active == True)  # noqa: E712
    return session.exec(statement).first()


def active_members(session: Session) -> list[Member]:
    """Every active member, in the order they were added."""
    return list(session.exec(select(Member).where(Member.active == True).order_by(Member.id)))  # noqa: E712
