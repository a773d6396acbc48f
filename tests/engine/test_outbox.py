"""The outbox on SQLite and PostgreSQL: keys insert once, one worker wins a claim,
stale claims become uncertain, and the lease admits one scheduler."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from storage import outbox
from storage.db import session_scope
from storage.lease import make_lock
from storage.models import OutboxState

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _message(key: str) -> outbox.NewMessage:
    return outbox.NewMessage(key=key, kind="reminder", recipient="常天民", due_at=T0, text="提醒")


def test_a_key_is_enqueued_once(engine):
    with session_scope(engine) as session:
        assert outbox.enqueue(session, [_message("a"), _message("b")], now=T0) == 2
    with session_scope(engine) as session:
        assert outbox.enqueue(session, [_message("a"), _message("c")], now=T0) == 1
        assert [row.key for row in outbox.pending(session)] == ["a", "b", "c"]


def test_only_one_worker_wins_a_claim(engine):
    with session_scope(engine) as session:
        outbox.enqueue(session, [_message("a")], now=T0)
        row_id = outbox.pending(session)[0].id
    with session_scope(engine) as session:
        assert outbox.claim(session, row_id, worker="one", now=T0)
    with session_scope(engine) as session:
        assert not outbox.claim(session, row_id, worker="two", now=T0)
        assert not outbox.mark_sent(session, row_id, worker="two", telegram_message_id=1, chat_id=1, now=T0)
        assert outbox.mark_sent(session, row_id, worker="one", telegram_message_id=9, chat_id=1, now=T0)
    with session_scope(engine) as session:
        assert outbox.counts(session) == {OutboxState.SENT.value: 1}


def test_a_claim_left_by_a_crashed_process_becomes_uncertain_and_is_not_resent(engine):
    with session_scope(engine) as session:
        outbox.enqueue(session, [_message("a")], now=T0)
        outbox.claim(session, outbox.pending(session)[0].id, worker="crashed", now=T0)
    with session_scope(engine) as session:
        settled = outbox.settle_stale_claims(session, worker="successor")
    assert [row.key for row in settled] == ["a"]
    with session_scope(engine) as session:
        assert outbox.counts(session) == {OutboxState.UNCERTAIN.value: 1}
        assert outbox.pending(session) == []


def test_pending_messages_the_engine_no_longer_asks_for_are_dropped(engine):
    with session_scope(engine) as session:
        outbox.enqueue(session, [_message("old"), _message("new")], now=T0)
    with session_scope(engine) as session:
        dropped = outbox.drop_obsolete(session, relevant={"new"}, now=T0)
    assert [row.key for row in dropped] == ["old"]
    with session_scope(engine) as session:
        assert [row.key for row in outbox.pending(session)] == ["new"]


def test_the_engine_start_is_recorded_once(engine):
    zone = __import__("zoneinfo").ZoneInfo("Asia/Shanghai")
    with session_scope(engine) as session:
        first = outbox.engine_since(session, now=T0, zone=zone)
    with session_scope(engine) as session:
        again = outbox.engine_since(session, now=T0 + timedelta(days=40), zone=zone)
        assert outbox.pending(session) == []
    assert first == again == T0.astimezone(zone).date()


def test_a_second_scheduler_on_the_same_database_is_refused_until_the_first_lets_go(engine):
    first, second = make_lock(engine, "first"), make_lock(engine, "second")
    assert first.try_acquire(T0)
    assert first.try_acquire(T0 + timedelta(seconds=20))  # renewing
    assert not second.try_acquire(T0 + timedelta(seconds=20))
    first.release()
    assert second.try_acquire(T0 + timedelta(seconds=21))
    assert not first.try_acquire(T0 + timedelta(seconds=22))
    second.release()


def test_a_crashed_holder_does_not_block_a_successor(engine):
    crashed, successor = make_lock(engine, "crashed", ttl=timedelta(seconds=60)), make_lock(engine, "successor")
    assert crashed.try_acquire(T0)
    if engine.dialect.name == "postgresql":
        # The server drops a dead session's advisory locks with the session.
        crashed._connection.invalidate()
        crashed._connection = None
        assert successor.try_acquire(T0)
    else:
        assert not successor.try_acquire(T0 + timedelta(seconds=59))
        assert successor.try_acquire(T0 + timedelta(seconds=61))
    assert successor.current_holder(T0 + timedelta(seconds=61)) is not None
    successor.release()


def test_the_advisory_lock_key_is_visible_to_operators(engine):
    if engine.dialect.name != "postgresql":
        return
    lock = make_lock(engine, "one")
    assert lock.try_acquire(T0)
    assert "pid" in (lock.current_holder(T0) or "")
    lock.release()
    with engine.connect() as connection:
        mine = sa.text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        assert connection.execute(mine).scalar() == 0
