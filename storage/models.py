"""SQLModel tables. Timestamps are stored in UTC and come back timezone-aware.

The schema is owned by the Alembic migrations in ``storage/migrations``; a change
here needs a new revision there (``alembic revision --autogenerate``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored as UTC on every backend.

    SQLite has no time zone type; PostgreSQL has one. Both hand back aware UTC.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _utc_column(nullable: bool = True, index: bool = False) -> sa.Column:
    return sa.Column(UTCDateTime(), nullable=nullable, index=index)


class Branch(SQLModel, table=True):
    """The one branch this database belongs to (a single row, id 1)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    timezone: str = Field(max_length=64)


class PartyGroup(SQLModel, table=True):
    __tablename__ = "party_group"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=32, unique=True, index=True)
    name: str = Field(max_length=50)
    leader_name: str = Field(max_length=50)
    active: bool = True


class Member(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=50, unique=True, index=True)
    # Comma-separated role keys of scheduling.rules.Role, as the config gives them.
    roles: str = Field(default="member", max_length=200)
    group_key: str | None = Field(default=None, max_length=32)
    telegram_id: int | None = Field(default=None, sa_type=sa.BigInteger, unique=True, index=True)
    active: bool = True
    unreachable: bool = False
    created_at: datetime = Field(sa_column=_utc_column(nullable=False))

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r for r in self.roles.split(",") if r)


class Invite(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # sha256 of the code: a leaked database does not leak usable invites.
    code_hash: str = Field(max_length=64, unique=True, index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    created_by: str | None = Field(default=None, max_length=50)
    created_at: datetime = Field(sa_column=_utc_column(nullable=False))
    expires_at: datetime = Field(sa_column=_utc_column(nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=_utc_column())
    used_by_telegram_id: int | None = Field(default=None, sa_type=sa.BigInteger)


class MeetingRecord(SQLModel, table=True):
    """One sitting as logged. ``system`` is the primary system; ``RecordCoverage``
    lists every system the sitting covers (the primary one included)."""

    __tablename__ = "meeting_record"

    id: int | None = Field(default=None, primary_key=True)
    system: str = Field(max_length=40, index=True)
    group_key: str | None = Field(default=None, max_length=32, index=True)
    held_on: date = Field(index=True)
    topic: str = Field(max_length=200)
    # Only asked where the rule requires a standalone sitting; None elsewhere.
    standalone: bool | None = None
    minutes_text: str | None = Field(default=None, sa_type=sa.Text)
    minutes_deferred: bool = False
    photos_deferred: bool = False
    logged_by_id: int | None = Field(default=None, foreign_key="member.id")
    logged_at: datetime = Field(sa_column=_utc_column(nullable=False, index=True))
    # 补录: logged after the deadline of the period it counts for.
    late: bool = False


class RecordCoverage(SQLModel, table=True):
    __tablename__ = "record_coverage"

    record_id: int = Field(foreign_key="meeting_record.id", primary_key=True)
    system: str = Field(max_length=40, primary_key=True)


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"


class Attendance(SQLModel, table=True):
    record_id: int = Field(foreign_key="meeting_record.id", primary_key=True)
    member_id: int = Field(foreign_key="member.id", primary_key=True)
    present: bool
    # scheduling.rules.AbsenceReason when absent
    absence_reason: str | None = Field(default=None, max_length=20)


class AttachmentKind(StrEnum):
    PHOTO = "photo"
    MINUTES = "minutes"


class Attachment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    record_id: int = Field(foreign_key="meeting_record.id", index=True)
    kind: str = Field(max_length=20)  # AttachmentKind
    sha256: str = Field(max_length=64, index=True)
    # Path relative to media_dir; the name is made by the bot, never by the sender.
    path: str = Field(max_length=300)
    mime_type: str = Field(max_length=100)
    size: int
    original_name: str | None = Field(default=None, max_length=255)
    telegram_file_id: str | None = Field(default=None, max_length=255)
    telegram_file_unique_id: str | None = Field(default=None, max_length=64)
    added_by_id: int | None = Field(default=None, foreign_key="member.id")
    created_at: datetime = Field(sa_column=_utc_column(nullable=False))


class OutboxState(StrEnum):
    PENDING = "pending"  # due, not yet claimed
    CLAIMED = "claimed"  # a sender took it and is talking to Telegram
    SENT = "sent"  # Telegram accepted it (message id known)
    UNCERTAIN = "uncertain"  # timed out after Telegram may have accepted it
    FAILED = "failed"  # permanent error (blocked, chat not found)
    DROPPED = "dropped"  # obsolete by the time it could be sent


class OutboxMessage(SQLModel, table=True):
    """Every reminder, escalation and digest, keyed deterministically so that it is
    sent at most once: ``key`` = obligation | kind | level | recipient."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=255, unique=True, index=True)
    kind: str = Field(max_length=30)
    level: int | None = None
    obligation_key: str | None = Field(default=None, max_length=120, index=True)
    recipient: str = Field(max_length=80)  # member name, "superior" or "branch_chat"
    chat_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    due_at: datetime = Field(sa_column=_utc_column(nullable=False, index=True))
    state: str = Field(default=OutboxState.PENDING, max_length=20, index=True)
    attempts: int = 0
    claimed_at: datetime | None = Field(default=None, sa_column=_utc_column())
    claimed_by: str | None = Field(default=None, max_length=80)
    sent_at: datetime | None = Field(default=None, sa_column=_utc_column())
    telegram_message_id: int | None = Field(default=None, sa_type=sa.BigInteger)
    last_error: str | None = Field(default=None, max_length=500)
    text: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = Field(sa_column=_utc_column(nullable=False))


class ObligationState(SQLModel, table=True):
    """What people said about one obligation: a planned date, a snooze."""

    __tablename__ = "obligation_state"

    obligation_key: str = Field(max_length=120, primary_key=True)
    planned_on: date | None = None
    planned_by_id: int | None = Field(default=None, foreign_key="member.id")
    snoozed_until: date | None = None
    updated_at: datetime = Field(sa_column=_utc_column(nullable=False))


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    record_id: int | None = Field(default=None, foreign_key="meeting_record.id", index=True)
    actor_id: int | None = Field(default=None, foreign_key="member.id")
    actor_name: str = Field(max_length=50)
    at: datetime = Field(sa_column=_utc_column(nullable=False, index=True))
    action: str = Field(max_length=30)  # create | amend | attach | ...
    field: str | None = Field(default=None, max_length=40)
    before: str | None = Field(default=None, sa_type=sa.Text)
    after: str | None = Field(default=None, sa_type=sa.Text)


class ChatState(SQLModel, table=True):
    """python-telegram-bot persistence (conversations, user data) as JSON, so a
    conversation survives a restart of the bot."""

    __tablename__ = "chat_state"

    namespace: str = Field(max_length=40, primary_key=True)  # conversations | user_data | ...
    key: str = Field(max_length=200, primary_key=True)
    data: str = Field(sa_type=sa.Text)
    updated_at: datetime = Field(sa_column=_utc_column(nullable=False))


class SchedulerLease(SQLModel, table=True):
    """Which process is the active scheduler (SQLite; PostgreSQL uses an advisory lock)."""

    __tablename__ = "scheduler_lease"

    name: str = Field(max_length=40, primary_key=True)
    holder: str = Field(max_length=120)
    expires_at: datetime = Field(sa_column=_utc_column(nullable=False))
