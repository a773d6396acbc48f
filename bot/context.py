"""What every command that touches the database needs: the validated config, the
rules, the workday calendar, the engine (migrated, roster synced) and the clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.config import Config, ConfigError, load_config
from scheduling.clock import Clock, SystemClock
from scheduling.rules import Ruleset
from scheduling.workdays import WorkdayCalendar
from storage import db

if TYPE_CHECKING:
    from storage.roster import RosterChanges


@dataclass
class AppContext:
    config: Config
    clock: Clock
    engine: Engine | None = None
    # What the roster sync of open_database() changed, for the start-up summary.
    roster_changes: RosterChanges | None = None

    @cached_property
    def ruleset(self) -> Ruleset:
        return self.config.ruleset()

    @cached_property
    def calendar(self) -> WorkdayCalendar:
        return self.config.workday_calendar()

    @property
    def zone(self) -> ZoneInfo:
        return self.config.zone

    def today(self) -> date:
        """Today in the branch's time zone, by the context's clock."""
        return self.clock.now().astimezone(self.zone).date()

    def session(self):
        """A transactional session scope on the context's engine."""
        assert self.engine is not None, "open_database() first"
        return db.session_scope(self.engine)

    def close(self) -> None:
        if self.engine is not None:
            self.engine.dispose()


def load_context(config_path: Path | str | None, *, clock: Clock | None = None) -> AppContext:
    """Config only; no database (``plan``, ``check-config``)."""
    return AppContext(config=load_config(config_path), clock=clock or SystemClock())


def redact_url(url: str) -> str:
    """A database URL fit for a message: the password hidden."""
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def connect_engine(context: AppContext) -> Engine:
    """An engine on the config's database, checked to accept connections.

    An unreachable database is a :class:`ConfigError` naming ``database.url``.
    """
    config = context.config
    engine = db.make_engine(config.database_url)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as error:
        engine.dispose()
        reason = str(error.orig).strip().splitlines()[0] if error.orig else type(error).__name__
        raise ConfigError(
            f"{config.source}: database.url: cannot connect to {redact_url(config.database_url)} ({reason})"
        ) from None
    return engine


def open_database(context: AppContext) -> AppContext:
    """Make the engine, bring the schema up to date and sync the roster (SPEC §8).

    The SQLite file, its folder and ``media_dir`` are created on first use,
    relative to the config file's folder.
    """
    from storage.roster import sync_roster

    context.config.media_dir.mkdir(parents=True, exist_ok=True)
    context.engine = connect_engine(context)
    with _startup_lock(context.engine):
        db.upgrade(context.engine)
        with context.session() as session:
            context.roster_changes = sync_roster(session, context.config, now=context.clock.now())
    return context


# PostgreSQL advisory lock key for start-up ("zhibu" + 1): two processes starting
# at once (a second bot behind a load balancer, a CLI command beside the bot) must
# not both create the schema or insert the same new member.
STARTUP_LOCK_KEY = 0x7A68696275000001


@contextmanager
def _startup_lock(engine: Engine) -> Iterator[None]:
    """Serialize migration and roster sync across processes (SQLite's write lock does it there)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({STARTUP_LOCK_KEY})")
        connection.commit()
        try:
            yield
        finally:
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({STARTUP_LOCK_KEY})")
            connection.commit()


def open_context(config_path: Path | str | None, *, clock: Clock | None = None) -> AppContext:
    """Config and database together, for the commands that read records."""
    return open_database(load_context(config_path, clock=clock))
