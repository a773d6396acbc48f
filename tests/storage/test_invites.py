"""Invite codes: unguessable, single use, seven days, and rebinding."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from storage.db import session_scope
from storage.invites import INVITE_TTL, RedeemOutcome, create_invite, redeem_invite
from storage.models import Invite
from storage.roster import NoSuchMember, member_by_name, member_by_telegram_id, sync_roster
from tests.storage.conftest import member_toml


def _invite(engine, clock, name="王晓明") -> str:
    with session_scope(engine) as session:
        return create_invite(session, member_name=name, now=clock.now(), created_by="常天民")


def _redeem(engine, code, telegram_id, now):
    with session_scope(engine) as session:
        return redeem_invite(session, code=code, telegram_id=telegram_id, now=now)


def test_a_code_fits_a_telegram_deep_link_and_carries_at_least_128_bits(synced, clock):
    codes = {_invite(synced, clock) for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert re.fullmatch(r"[A-Za-z0-9_-]{22,64}", code)
        assert len(code) * 6 >= 128


def test_only_the_hash_of_a_code_is_stored(synced, clock):
    code = _invite(synced, clock)
    with session_scope(synced) as session:
        stored = session.exec(select(Invite)).one()
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    assert stored.created_by == "常天民"


def test_a_code_binds_the_account_once(synced, clock):
    code = _invite(synced, clock)

    first = _redeem(synced, code, 1001, clock.now())
    second = _redeem(synced, code, 1002, clock.now())

    assert (first.outcome, first.member_name) == (RedeemOutcome.BOUND, "王晓明")
    assert second.outcome is RedeemOutcome.USED
    with session_scope(synced) as session:
        assert member_by_telegram_id(session, 1001).name == "王晓明"
        assert member_by_telegram_id(session, 1002) is None


@pytest.mark.parametrize(
    ("age", "outcome"),
    [
        pytest.param(timedelta(days=7) - timedelta(seconds=1), RedeemOutcome.BOUND, id="last-second-of-day-7"),
        pytest.param(INVITE_TTL, RedeemOutcome.EXPIRED, id="exactly-7-days"),
        pytest.param(timedelta(days=30), RedeemOutcome.EXPIRED, id="a-month-later"),
    ],
)
def test_a_code_expires_seven_days_after_it_was_made(synced, clock, age, outcome):
    code = _invite(synced, clock)
    clock.advance(age)
    assert _redeem(synced, code, 1001, clock.now()).outcome is outcome


@pytest.mark.parametrize(
    "code",
    [
        pytest.param("A" * 43, id="well-formed-but-unknown"),
        pytest.param("", id="empty"),
        pytest.param("x" * 65, id="too-long"),
        pytest.param("abc def", id="space"),
        pytest.param("' OR 1=1 --", id="sql"),
    ],
)
def test_an_unknown_or_malformed_code_binds_nothing(synced, clock, code):
    result = _redeem(synced, code, 1001, clock.now())
    assert result.outcome is RedeemOutcome.UNKNOWN and result.member_name is None
    with session_scope(synced) as session:
        assert member_by_telegram_id(session, 1001) is None


def test_a_new_code_moves_a_member_to_a_new_account(synced, clock):
    _redeem(synced, _invite(synced, clock), 1001, clock.now())

    result = _redeem(synced, _invite(synced, clock), 2002, clock.now())

    assert (result.outcome, result.previous_telegram_id) == (RedeemOutcome.BOUND, 1001)
    with session_scope(synced) as session:
        assert member_by_telegram_id(session, 2002).name == "王晓明"
        assert member_by_telegram_id(session, 1001) is None


def test_an_account_bound_to_another_active_member_is_refused_and_the_code_stays_usable(synced, clock):
    _redeem(synced, _invite(synced, clock, "刘芳"), 1001, clock.now())
    code = _invite(synced, clock, "王晓明")

    refused = _redeem(synced, code, 1001, clock.now())
    accepted = _redeem(synced, code, 3003, clock.now())

    assert (refused.outcome, refused.bound_to) == (RedeemOutcome.ACCOUNT_TAKEN, "刘芳")
    assert accepted.outcome is RedeemOutcome.BOUND
    with session_scope(synced) as session:
        assert member_by_telegram_id(session, 1001).name == "刘芳"


def test_an_account_left_on_a_deactivated_member_is_released(engine, write_config, clock):
    with session_scope(engine) as session:
        sync_roster(session, write_config(member_toml("刘芳", telegram_id=1001)), now=clock.now())
    with session_scope(engine) as session:  # renamed in the config
        sync_roster(session, write_config(member_toml("刘芳芳")), now=clock.now())

    result = _redeem(engine, _invite(engine, clock, "刘芳芳"), 1001, clock.now())

    assert result.outcome is RedeemOutcome.BOUND
    with session_scope(engine) as session:
        assert member_by_telegram_id(session, 1001).name == "刘芳芳"
        assert member_by_name(session, "刘芳").telegram_id is None


def test_a_code_for_a_member_removed_since_does_not_bind(engine, write_config, clock):
    with session_scope(engine) as session:
        sync_roster(session, write_config(member_toml("刘芳")), now=clock.now())
    code = _invite(engine, clock, "刘芳")
    with session_scope(engine) as session:
        sync_roster(session, write_config(""), now=clock.now())

    assert _redeem(engine, code, 1001, clock.now()).outcome is RedeemOutcome.MEMBER_INACTIVE


@pytest.mark.parametrize(("name", "inactive"), [pytest.param("无此人", False, id="unknown"), pytest.param("刘芳", True, id="removed")])
def test_no_invite_is_made_for_a_name_outside_the_active_roster(engine, write_config, clock, name, inactive):
    with session_scope(engine) as session:
        sync_roster(session, write_config(member_toml("刘芳")), now=clock.now())
        sync_roster(session, write_config(""), now=clock.now())
    with pytest.raises(NoSuchMember) as error, session_scope(engine) as session:
        create_invite(session, member_name=name, now=clock.now())
    assert error.value.inactive is inactive
    with session_scope(engine) as session:
        assert session.exec(select(Invite)).all() == []
