"""``zhibu doctor``: is this installation ready to run? One line per check.

Checks, in order: the config is valid; the database is reachable and migrated;
Telegram answers getMe with the token (through ``telegram.base_url``, a short
timeout); the media folder is writable; the workday calendar has official data
for this year and next. Exit 0 when every check passes, else 1. Nothing is
created or changed, and the token is never printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import sqlalchemy as sa
from telegram import Bot
from telegram.error import InvalidToken, TelegramError
from telegram.request import HTTPXRequest

from bot import texts
from bot.cli import EXIT_FAILURE, EXIT_OK
from bot.config import Config, ConfigError, load_config
from bot.context import redact_url
from bot.observability import RedactingFilter
from scheduling.clock import Clock, SystemClock
from scheduling.workdays import WorkdayCalendar
from storage import db

TELEGRAM_TIMEOUT_S = 5.0
DATABASE_TIMEOUT_S = 5
MIN_FREE_BYTES = 100 * 1024 * 1024
DEFAULT_API = "https://api.telegram.org/bot"


@dataclass(frozen=True)
class Check:
    name: str  # config | database | telegram | media | calendar
    ok: bool
    detail: str
    fix: str = ""

    def line(self) -> str:
        return texts.doctor_line(self.name, self.ok, self.detail, self.fix)


def run(args: argparse.Namespace) -> int:
    checks = asyncio.run(diagnose(args.config))
    for check in checks:
        print(check.line())
    if len(checks) == 1 and not checks[0].ok:
        print(texts.DOCTOR_SKIPPED)
    failed = [c.name for c in checks if not c.ok]
    print(texts.doctor_summary(len(checks), failed))
    return EXIT_FAILURE if failed else EXIT_OK


async def diagnose(config_path: Path | str, *, clock: Clock | None = None,
                   telegram_timeout: float = TELEGRAM_TIMEOUT_S) -> list[Check]:
    """Every check, in order; only the config check when the config is invalid."""
    try:
        config = load_config(config_path)
    except ConfigError as error:
        return [Check("config", False, str(error), texts.DOCTOR_FIX_CONFIG)]
    return [
        check_config(config),
        check_database(config),
        await check_telegram(config, telegram_timeout),
        check_media(config),
        check_calendar(config, clock or SystemClock()),
    ]


def check_config(config: Config) -> Check:
    ruleset = config.ruleset()
    enabled = sum(1 for system in ruleset.systems if system.enabled)
    return Check("config", True, texts.doctor_config_ok(str(config.source), len(config.members),
                                                        len(config.groups), enabled))


def check_database(config: Config) -> Check:
    url = config.database_url
    try:
        shown = redact_url(url)
    except sa.exc.ArgumentError as error:
        return Check("database", False, texts.doctor_db_unreachable(url.split("@")[-1], str(error)),
                     texts.DOCTOR_FIX_DB_CONNECT)
    database = sa.engine.make_url(url)
    if database.get_backend_name() == "sqlite" and database.database not in (None, "", ":memory:"):
        if not Path(database.database).is_file():  # connecting would create an empty file
            return Check("database", False, texts.doctor_db_missing(database.database), texts.DOCTOR_FIX_DB_CREATE)
    elif database.get_backend_name() == "postgresql":
        database = database.update_query_dict({"connect_timeout": str(DATABASE_TIMEOUT_S)})
    engine = db.make_engine(database.render_as_string(hide_password=False))
    try:
        current = db.current_revision(engine)
    except sa.exc.SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        return Check("database", False, texts.doctor_db_unreachable(shown, reason), texts.DOCTOR_FIX_DB_CONNECT)
    finally:
        engine.dispose()
    head = db.head_revision()
    if current != head:
        return Check("database", False, texts.doctor_db_outdated(shown, current, head), texts.DOCTOR_FIX_DB_UPGRADE)
    return Check("database", True, texts.doctor_db_ok(shown, current))


async def check_telegram(config: Config, timeout: float) -> Check:
    token = config.token
    if not token:
        return Check("telegram", False, texts.doctor_token_missing(), texts.DOCTOR_FIX_TOKEN_MISSING)
    api = config.telegram.base_url or DEFAULT_API
    request = HTTPXRequest(connect_timeout=timeout, read_timeout=timeout, write_timeout=timeout, pool_timeout=timeout)
    bot = Bot(token, base_url=api, request=request)
    try:
        me = await bot.get_me()
    except InvalidToken:
        return Check("telegram", False, texts.doctor_token_refused(api), texts.DOCTOR_FIX_TOKEN_REFUSED)
    except (TelegramError, OSError) as error:
        reason = RedactingFilter([token]).redact(f"{type(error).__name__}: {error}")
        return Check("telegram", False, texts.doctor_telegram_unreachable(api, timeout, reason),
                     texts.DOCTOR_FIX_TELEGRAM_NETWORK)
    finally:
        await request.shutdown()
    return Check("telegram", True, texts.doctor_telegram_ok(me.username or "?", me.id, api))


def check_media(config: Config) -> Check:
    path = config.media_dir
    existing = path
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return Check("media", False, texts.doctor_media_not_dir(str(existing)), texts.DOCTOR_FIX_MEDIA)
    problem = _not_writable(existing)
    if problem:
        return Check("media", False, texts.doctor_media_not_writable(str(existing), problem), texts.DOCTOR_FIX_MEDIA)
    free = shutil.disk_usage(existing).free
    if free < MIN_FREE_BYTES:
        return Check("media", False, texts.doctor_media_low_space(str(path), free // 2**20), texts.DOCTOR_FIX_DISK)
    return Check("media", True, texts.doctor_media_ok(str(path), free / 2**30, path.exists()))


def _not_writable(folder: Path) -> str:
    """Why a file cannot be created in ``folder``, or '' if it can."""
    if not os.access(folder, os.W_OK | os.X_OK):
        return "permission denied"
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        return error.strerror or type(error).__name__
    return ""


def check_calendar(config: Config, clock: Clock) -> Check:
    year = clock.now().astimezone(config.zone).year
    years = [year, year + 1]
    from_config = sorted({day.year for day in config.calendar.holidays} & set(years))
    missing = [y for y in WorkdayCalendar().years_without_official_data(years) if y not in from_config]
    if missing:
        covered_to = max((y for y in range(2004, year + 2) if WorkdayCalendar.has_official_data(y)), default=0)
        detail = texts.doctor_calendar_missing(missing, version("chinesecalendar"), covered_to)
        return Check("calendar", False, detail, texts.DOCTOR_FIX_CALENDAR)
    return Check("calendar", True, texts.doctor_calendar_ok(years, from_config))
