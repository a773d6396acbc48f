"""One-time invite codes that bind a Telegram account to a roster member (SPEC §9).

A code is 256 random bits in the URL-safe alphabet (43 characters), so it fits
Telegram's ``/start`` deep-link payload (at most 64 characters of
``[A-Za-z0-9_-]``). Only its sha256 is stored: a leaked database does not leak
usable invites. A code is single-use and expires seven days after it was made.

Binding rules:

* the member was bound to another account: the binding moves to the new one
  (the secretary's rebind after a lost phone); the result names the old account;
* the account is already bound to ANOTHER active member: refused
  (``account_taken``) and the invite stays unused, because one account acting
  as two people would break attendance and authorization; the secretary
  decides who the account belongs to;
* the account is bound to a deactivated member (someone renamed or removed
  from the config): that stale binding is released and the new one made, since a
  deactivated member gets nothing from the bot anyway.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Session, select

from storage.models import Invite, Member
from storage.roster import active_member

INVITE_TTL = timedelta(days=7)
CODE_BYTES = 32  # 256 bits of entropy; the SPEC asks for at least 128
# Telegram's deep-link payload: up to 64 characters of A-Z, a-z, 0-9, _ and -.
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class RedeemOutcome(StrEnum):
    BOUND = "bound"
    UNKNOWN = "unknown"  # no such code (or not a code at all)
    USED = "used"
    EXPIRED = "expired"
    MEMBER_INACTIVE = "member_inactive"  # the member left the roster after the invite was made
    ACCOUNT_TAKEN = "account_taken"  # this account is bound to another active member


@dataclass(frozen=True)
class RedeemResult:
    outcome: RedeemOutcome
    member_name: str | None = None
    # When a rebind moved the member away from another account: that account.
    previous_telegram_id: int | None = None
    # For ACCOUNT_TAKEN: who the account is bound to now.
    bound_to: str | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is RedeemOutcome.BOUND


def hash_code(code: str) -> str:
    """The stored form of a code."""
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def create_invite(session: Session, *, member_name: str, now: datetime, created_by: str | None = None) -> str:
    """A new single-use code for an active member (:class:`NoSuchMember` otherwise)."""
    member = active_member(session, member_name)
    code = secrets.token_urlsafe(CODE_BYTES)
    session.add(
        Invite(
            code_hash=hash_code(code),
            member_id=member.id,
            created_by=created_by,
            created_at=now,
            expires_at=now + INVITE_TTL,
        )
    )
    session.flush()
    return code


def redeem_invite(session: Session, *, code: str, telegram_id: int, now: datetime) -> RedeemResult:
    """Bind ``telegram_id`` to the invite's member if the code is valid, unused and unexpired."""
    code = code.strip()
    if not CODE_PATTERN.match(code):
        return RedeemResult(RedeemOutcome.UNKNOWN)
    invite = session.exec(select(Invite).where(Invite.code_hash == hash_code(code))).first()
    if invite is None:
        return RedeemResult(RedeemOutcome.UNKNOWN)
    member = session.get(Member, invite.member_id)
    if invite.used_at is not None:
        return RedeemResult(RedeemOutcome.USED, member_name=member.name)
    if now >= invite.expires_at:
        return RedeemResult(RedeemOutcome.EXPIRED, member_name=member.name)
    if not member.active:
        return RedeemResult(RedeemOutcome.MEMBER_INACTIVE, member_name=member.name)

    holder = session.exec(select(Member).where(Member.telegram_id == telegram_id)).first()
    if holder is not None and holder.id != member.id:
        if holder.active:
            return RedeemResult(RedeemOutcome.ACCOUNT_TAKEN, member_name=member.name, bound_to=holder.name)
        holder.telegram_id = None
        session.add(holder)
        session.flush()

    # Claim the invite with a conditional UPDATE so that two redemptions racing
    # on the same code cannot both succeed.
    claimed = session.exec(
        sa.update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(used_at=now, used_by_telegram_id=telegram_id)
    )
    if claimed.rowcount != 1:
        return RedeemResult(RedeemOutcome.USED, member_name=member.name)

    previous = member.telegram_id if member.telegram_id != telegram_id else None
    member.telegram_id = telegram_id
    session.add(member)
    session.flush()
    session.refresh(invite)
    return RedeemResult(RedeemOutcome.BOUND, member_name=member.name, previous_telegram_id=previous)
