"""The outbox: every reminder, escalation and digest, keyed so it is sent at most once.

The life of a row: ``pending`` (due) → ``claimed`` (one sender took it, with a
conditional UPDATE that only one worker can win) → ``sent`` (Telegram answered
with a message id) | ``uncertain`` (Telegram may have accepted it, we never
learned: NOT resent) | ``failed`` (permanent error) | back to ``pending`` (a
transient error, retried later). A pending row that the engine no longer asks for
(obligation done, superseded by a later reminder) becomes ``dropped``.

The guarantee that follows (README): a message is never sent twice; a crash while
one message is between claim and Telegram's answer can lose that one message,
which is then left ``uncertain`` and reported, never resent.

Also here: what the engine reads besides records — planned dates and snoozes
(table obligation_state), deferred minutes/photos, and when the engine began.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, select

from scheduling.engine import DeferredRecord, Kind, ObligationPlan
from storage.models import (
    Attachment,
    AttachmentKind,
    Invite,
    MeetingRecord,
    Member,
    ObligationState,
    OutboxMessage,
    OutboxState,
)

log = logging.getLogger(__name__)

# The kinds the engine produces; only these are dropped when the engine stops asking.
ENGINE_KINDS = frozenset(kind.value for kind in Kind)
NOTICE_KIND = "notice"  # delivery's own messages (e.g. "X blocked the bot"), sent once by key
# The outbox's first row marks the day the engine began: nothing scheduled before
# it is produced, so a first start does not flood the branch with a year of history.
START_MARKER_KEY = "engine|start"
START_MARKER_KIND = "marker"
_ERROR_LENGTH = 500


@dataclass(frozen=True)
class NewMessage:
    key: str
    kind: str
    recipient: str
    due_at: datetime
    text: str
    chat_id: int | None = None
    level: int | None = None
    obligation_key: str | None = None


# -- enqueue and drop ----------------------------------------------------------------


def existing_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """Those of ``keys`` that already have a row (in any state)."""
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
        chunk = wanted[start : start + 500]
        found.update(session.exec(select(OutboxMessage.key).where(OutboxMessage.key.in_(chunk))))
    return found


def enqueue(session: Session, messages: Iterable[NewMessage], *, now: datetime) -> int:
    """Insert each message as pending unless its key exists; returns how many were new."""
    rows = [
        {
            "key": m.key,
            "kind": m.kind,
            "level": m.level,
            "obligation_key": m.obligation_key,
            "recipient": m.recipient,
            "chat_id": m.chat_id,
            "due_at": m.due_at,
            "state": OutboxState.PENDING.value,
            "attempts": 0,
            "text": m.text,
            "created_at": now,
        }
        for m in messages
    ]
    if not rows:
        return 0
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = OutboxMessage.__table__
    inserted = 0
    for row in rows:
        # ON CONFLICT DO NOTHING: a second scheduler (or a retried tick) that plans
        # the same message finds the key taken and adds nothing.
        statement = insert(table).values(**row).on_conflict_do_nothing(index_elements=["key"]).returning(table.c.id)
        inserted += session.execute(statement).first() is not None
    return inserted


def drop_obsolete(session: Session, *, relevant: set[str], now: datetime) -> list[OutboxMessage]:
    """Mark pending engine messages that the engine no longer asks for as dropped."""
    pending = session.exec(
        select(OutboxMessage).where(
            OutboxMessage.state == OutboxState.PENDING.value, OutboxMessage.kind.in_(ENGINE_KINDS)
        )
    ).all()
    dropped = [row for row in pending if row.key not in relevant]
    for row in dropped:
        session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == row.id, OutboxMessage.state == OutboxState.PENDING.value)
            .values(state=OutboxState.DROPPED.value, last_error="obsolete: done or superseded", sent_at=None)
        )
        log.info("outbox: dropped obsolete message %s", row.key)
    return dropped


def pending(session: Session) -> list[OutboxMessage]:
    """Pending rows in the order they were due."""
    return list(
        session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.state == OutboxState.PENDING.value)
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
        )
    )


# -- claim, then send, then record -------------------------------------------------


def claim(session: Session, message_id: int, *, worker: str, now: datetime) -> bool:
    """Take a pending row for ``worker``; True only for the one worker whose UPDATE won."""
    result = session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.state == OutboxState.PENDING.value)
        .values(
            state=OutboxState.CLAIMED.value,
            claimed_by=worker,
            claimed_at=now,
            attempts=OutboxMessage.attempts + 1,
        )
    )
    return result.rowcount == 1


def _finish(session: Session, message_id: int, worker: str, **values) -> bool:
    if "last_error" in values and values["last_error"] is not None:
        values["last_error"] = str(values["last_error"])[:_ERROR_LENGTH]
    result = session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.state == OutboxState.CLAIMED.value,
            OutboxMessage.claimed_by == worker,
        )
        .values(**values)
    )
    return result.rowcount == 1


def mark_sent(
    session: Session, message_id: int, *, worker: str, telegram_message_id: int, chat_id: int, now: datetime
) -> bool:
    return _finish(
        session,
        message_id,
        worker,
        state=OutboxState.SENT.value,
        sent_at=now,
        telegram_message_id=telegram_message_id,
        chat_id=chat_id,
        last_error=None,
    )


def mark_uncertain(session: Session, message_id: int, *, worker: str, error: str) -> bool:
    return _finish(session, message_id, worker, state=OutboxState.UNCERTAIN.value, last_error=error)


UNREACHABLE_PREFIX = "unreachable: "


def mark_failed(session: Session, message_id: int, *, worker: str, error: str, unreachable: bool = False) -> bool:
    """Failed for good; ``unreachable`` marks the failure that made the recipient unreachable."""
    text = UNREACHABLE_PREFIX + error if unreachable else error
    return _finish(session, message_id, worker, state=OutboxState.FAILED.value, last_error=text)


def rebound_since_unreachable(session: Session, member: Member) -> bool:
    """Whether ``member`` redeemed an invite after the send that found them unreachable."""
    blocked_at = session.exec(
        select(sa.func.max(OutboxMessage.claimed_at)).where(
            OutboxMessage.recipient == member.name,
            OutboxMessage.state == OutboxState.FAILED.value,
            OutboxMessage.last_error.startswith(UNREACHABLE_PREFIX),
        )
    ).one()
    if blocked_at is None:
        return False
    used = session.exec(
        select(sa.func.count()).select_from(Invite).where(Invite.member_id == member.id, Invite.used_at > blocked_at)
    ).one()
    return used > 0


def release(session: Session, message_id: int, *, worker: str, error: str) -> bool:
    """Back to pending after a transient error: it was certainly not delivered."""
    return _finish(session, message_id, worker, state=OutboxState.PENDING.value, last_error=error, claimed_by=None)


def note(session: Session, message_id: int, *, error: str) -> None:
    """Record why a pending row is waiting (e.g. its recipient is not bound yet)."""
    session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.id == message_id).values(last_error=error[:_ERROR_LENGTH])
    )


def fail_unclaimed(session: Session, message_id: int, *, error: str) -> bool:
    """Fail a pending row without sending it (its recipient is known to be unreachable)."""
    result = session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.state == OutboxState.PENDING.value)
        .values(state=OutboxState.FAILED.value, last_error=error[:_ERROR_LENGTH])
    )
    return result.rowcount == 1


def retarget_chat(session: Session, *, old_chat_id: int, new_chat_id: int) -> int:
    """Point pending rows at a group's new (supergroup) chat id."""
    result = session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.chat_id == old_chat_id, OutboxMessage.state == OutboxState.PENDING.value)
        .values(chat_id=new_chat_id)
    )
    return result.rowcount or 0


def settle_stale_claims(session: Session, *, worker: str) -> list[OutboxMessage]:
    """Rows left ``claimed`` by another (crashed) process become ``uncertain``.

    Called when this process becomes the one active scheduler, so no live process
    can still be sending them. They are never resent: the crash may have come after
    Telegram accepted the message.
    """
    stale = session.exec(
        select(OutboxMessage).where(
            OutboxMessage.state == OutboxState.CLAIMED.value,
            sa.or_(OutboxMessage.claimed_by.is_(None), OutboxMessage.claimed_by != worker),
        )
    ).all()
    for row in stale:
        session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == row.id, OutboxMessage.state == OutboxState.CLAIMED.value)
            .values(
                state=OutboxState.UNCERTAIN.value,
                last_error=f"claimed by {row.claimed_by}, which stopped before Telegram answered",
            )
        )
        log.warning("outbox: %s was in flight when %s stopped; left uncertain, not resent", row.key, row.claimed_by)
    return list(stale)


def counts(session: Session) -> dict[str, int]:
    """Rows per state (for logs and ``doctor``)."""
    rows = session.exec(select(OutboxMessage.state, sa.func.count()).group_by(OutboxMessage.state))
    return {state: count for state, count in rows}


def engine_since(session: Session, *, now: datetime, zone: ZoneInfo) -> date:
    """The day the engine began on this database (recorded on the first call)."""
    marker = session.exec(select(OutboxMessage).where(OutboxMessage.key == START_MARKER_KEY)).first()
    if marker is None:
        enqueue(
            session,
            [NewMessage(key=START_MARKER_KEY, kind=START_MARKER_KIND, recipient="-", due_at=now, text="")],
            now=now,
        )
        session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.key == START_MARKER_KEY)
            .values(state=OutboxState.DROPPED.value, last_error="marker: the engine began here (not a message)")
        )
        marker = session.exec(select(OutboxMessage).where(OutboxMessage.key == START_MARKER_KEY)).one()
    return marker.due_at.astimezone(zone).date()


# -- what people told the engine (obligation_state) ------------------------------------


def load_plans(session: Session) -> dict[str, ObligationPlan]:
    return {
        row.obligation_key: ObligationPlan(
            planned_on=row.planned_on, snoozed_until=row.snoozed_until, told_at=row.updated_at
        )
        for row in session.exec(select(ObligationState))
    }


def _state_row(session: Session, obligation_key: str, now: datetime) -> ObligationState:
    row = session.get(ObligationState, obligation_key)
    if row is None:
        row = ObligationState(obligation_key=obligation_key, updated_at=now)
        session.add(row)
    row.updated_at = now
    return row


def set_planned_on(session: Session, *, obligation_key: str, day: date, member_id: int | None, now: datetime) -> None:
    row = _state_row(session, obligation_key, now)
    row.planned_on = day
    row.planned_by_id = member_id


def set_snoozed_until(session: Session, *, obligation_key: str, day: date, now: datetime) -> None:
    _state_row(session, obligation_key, now).snoozed_until = day


def planned_on(session: Session, obligation_key: str) -> date | None:
    row = session.get(ObligationState, obligation_key)
    return row.planned_on if row else None


# -- what else the engine reads ------------------------------------------------------


def load_deferred(session: Session) -> list[DeferredRecord]:
    """Records whose deferred minutes or photos have still not been added."""
    records = session.exec(
        select(MeetingRecord).where(sa.or_(MeetingRecord.minutes_deferred, MeetingRecord.photos_deferred))
    ).all()
    if not records:
        return []
    ids = [r.id for r in records]
    kinds: dict[int, set[str]] = {}
    for record_id, kind in session.exec(
        select(Attachment.record_id, Attachment.kind).where(Attachment.record_id.in_(ids))
    ):
        kinds.setdefault(record_id, set()).add(kind)
    names = {member_id: name for member_id, name in session.exec(select(Member.id, Member.name))}
    result = []
    for record in records:
        have = kinds.get(record.id, set())
        minutes = record.minutes_deferred and not record.minutes_text and AttachmentKind.MINUTES.value not in have
        photos = record.photos_deferred and AttachmentKind.PHOTO.value not in have
        if minutes or photos:
            result.append(
                DeferredRecord(
                    record_id=record.id,
                    system=record.system,
                    group=record.group_key,
                    held_on=record.held_on,
                    logged_at=record.logged_at,
                    logged_by=names.get(record.logged_by_id),
                    minutes=minutes,
                    photos=photos,
                )
            )
    return result


def member_since(session: Session, *, zone: ZoneInfo) -> dict[str, date]:
    """The day each active member added after the first roster sync joined (an absence
    streak starts no earlier). The first sync's members are absent: the day the database
    was made says nothing about when they joined the branch."""
    rows = [(name, created.astimezone(zone).date(), active) for name, created, active in
            session.exec(select(Member.name, Member.created_at, Member.active))]
    first_sync = min((day for _, day, _ in rows), default=None)
    return {name: day for name, day, active in rows if active and day > first_sync}
