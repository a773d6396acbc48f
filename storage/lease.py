"""One active scheduler per database.

PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) held on a
dedicated connection; it is released by the server the moment that connection
dies, so a crashed holder never blocks a successor. SQLite: a row in
``scheduler_lease`` with an expiry that the holder renews; a crashed holder's lease
runs out after ``ttl``.

The lease decides who does the work; it is not what prevents double sends — the
outbox's conditional claim does that even if two processes ever believed they
held the lease at the same moment.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from storage.db import session_scope
from storage.models import SchedulerLease

log = logging.getLogger(__name__)

LEASE_NAME = "scheduler"
# An arbitrary but fixed 64-bit key: "zhibu" in ASCII, the scheduler's lock.
ADVISORY_LOCK_KEY = 0x7A68696275
DEFAULT_TTL = timedelta(seconds=60)


def make_holder_id() -> str:
    """Who we are, readable in logs: host, pid and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class SchedulerLock(Protocol):
    holder: str

    def try_acquire(self, now: datetime) -> bool:
        """Take (or keep, renewing it) the lock; False while someone else holds it."""
        ...

    def release(self) -> None: ...

    def current_holder(self, now: datetime) -> str | None:
        """Who holds it, where the backend can tell (for the standby's log line)."""
        ...


class PostgresAdvisoryLock:
    def __init__(self, engine: Engine, holder: str, *, key: int = ADVISORY_LOCK_KEY) -> None:
        self.engine = engine
        self.holder = holder
        self.key = key
        self._connection: Connection | None = None

    def try_acquire(self, now: datetime) -> bool:
        if self._connection is not None:
            try:
                # The lock lives as long as this connection does: check it is alive.
                self._connection.execute(sa.text("SELECT 1"))
                return True
            except sa.exc.DBAPIError:
                log.warning("scheduler lock: lost the connection holding the advisory lock")
                self._drop_connection()
        connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            got = connection.execute(sa.select(sa.func.pg_try_advisory_lock(self.key))).scalar()
        except sa.exc.DBAPIError:
            connection.close()
            raise
        if got:
            self._connection = connection
            return True
        connection.close()
        return False

    def release(self) -> None:
        if self._connection is None:
            return
        try:
            self._connection.execute(sa.select(sa.func.pg_advisory_unlock(self.key)))
        except sa.exc.DBAPIError:
            pass  # the connection is gone, and with it the lock
        self._drop_connection()

    def current_holder(self, now: datetime) -> str | None:
        with self.engine.connect() as connection:
            pid = connection.execute(
                sa.text(
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                    "AND ((classid::bigint << 32) | objid::bigint) = :key"
                ),
                {"key": self.key},
            ).scalar()
        return f"PostgreSQL backend pid {pid}" if pid is not None else None

    def _drop_connection(self) -> None:
        try:
            if self._connection is not None:
                self._connection.close()
        except sa.exc.DBAPIError:
            pass
        self._connection = None


class SqliteLease:
    def __init__(self, engine: Engine, holder: str, *, ttl: timedelta = DEFAULT_TTL) -> None:
        self.engine = engine
        self.holder = holder
        self.ttl = ttl

    def try_acquire(self, now: datetime) -> bool:
        # session_scope begins with BEGIN IMMEDIATE on SQLite: read and write of the
        # row happen under the write lock, so two contenders cannot both win.
        with session_scope(self.engine) as session:
            lease = session.get(SchedulerLease, LEASE_NAME)
            if lease is None:
                session.add(SchedulerLease(name=LEASE_NAME, holder=self.holder, expires_at=now + self.ttl))
                return True
            if lease.holder == self.holder or lease.expires_at <= now:
                if lease.holder != self.holder:
                    log.warning("scheduler lease: %s let its lease expire; taking over", lease.holder)
                lease.holder = self.holder
                lease.expires_at = now + self.ttl
                return True
            return False

    def release(self) -> None:
        with session_scope(self.engine) as session:
            session.execute(
                sa.delete(SchedulerLease).where(SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == self.holder)
            )

    def current_holder(self, now: datetime) -> str | None:
        with session_scope(self.engine) as session:
            lease = session.get(SchedulerLease, LEASE_NAME)
            return lease.holder if lease is not None and lease.expires_at > now else None


def make_lock(engine: Engine, holder: str | None = None, *, ttl: timedelta = DEFAULT_TTL) -> SchedulerLock:
    """The right lock for the engine's database."""
    holder = holder or make_holder_id()
    if engine.dialect.name == "postgresql":
        return PostgresAdvisoryLock(engine, holder)
    return SqliteLease(engine, holder, ttl=ttl)
