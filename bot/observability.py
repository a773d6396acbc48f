"""Structured logs: one JSON object per line, secrets redacted, chat content kept out.

``configure_logging()`` is called once by ``zhibu run``. Log an event as a short
English phrase with its facts as ``extra`` fields:

    log.info("reminder sent", extra={"obligation": key, "recipient_id": member_id})

Never log what people wrote (message texts, captions, minutes): log ids and
counts. The redaction filter is the safety net for the bot token, which also
appears in every Bot API URL that httpx logs.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from datetime import UTC, datetime
from typing import IO, Any

from bot.config import ConfigError

LEVEL_ENV = "ZHIBU_LOG_LEVEL"
REDACTED = "[REDACTED]"
# A Telegram bot token: the bot's numeric id, a colon, 30+ URL-safe characters.
TOKEN_PATTERN = re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}")
# python-telegram-bot dumps whole updates (with what users wrote) at DEBUG; these
# loggers never go below INFO, whatever the level asked for.
CHATTY_LOGGERS = ("telegram", "telegram.ext", "httpcore", "apscheduler")
# httpx logs one INFO line per request (a getUpdates every few seconds): kept at WARNING.
QUIET_LOGGERS = ("httpx",)
_STANDARD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class RedactingFilter(logging.Filter):
    """Replaces the given secrets, and anything shaped like a bot token, in every record."""

    def __init__(self, secrets: list[str] | tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_PATTERN.sub(REDACTED, text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        for key, value in list(vars(record).items()):
            if key not in _STANDARD_ATTRIBUTES and isinstance(value, str):
                setattr(record, key, self.redact(value))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, event, the extra fields, exc."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(*, secrets: list[str] | tuple[str, ...] = (), level: str | int | None = None,
                      stream: IO[str] | None = None) -> logging.Handler:
    """Send every log record to ``stream`` (stderr) as JSON lines, secrets redacted.

    Replaces the handlers of the root logger; returns the new handler. The level
    comes from ``level``, else env ``ZHIBU_LOG_LEVEL``, else INFO; an unknown
    level is a :class:`ConfigError` (the CLI prints it and exits 2).
    """
    chosen = level if level is not None else os.environ.get(LEVEL_ENV, "INFO")
    numeric = logging.getLevelName(chosen.upper()) if isinstance(chosen, str) else chosen
    if not isinstance(numeric, int):
        raise ConfigError(f"{LEVEL_ENV}: unknown log level {chosen!r} (expected DEBUG, INFO, WARNING or ERROR)")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RedactingFilter(secrets))
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(numeric)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(max(numeric, logging.INFO))
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(numeric, logging.WARNING))
    logging.captureWarnings(True)
    return handler


def startup_summary(context: Any, mode: str) -> dict[str, Any]:
    """What the bot starts with, as log fields: no token, no passwords, no personal data."""
    from sqlalchemy.engine import make_url

    config = context.config
    ruleset = context.ruleset
    year = context.today().year
    try:
        database = make_url(config.database_url).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL fails later, when the database is opened, with its own message
        database = "(unparsable database.url)"
    return {
        "mode": mode,
        "branch": config.branch.name,
        "timezone": config.branch.timezone,
        "members": len(config.members),
        "bound_members": sum(1 for m in config.members if m.telegram_id),
        "groups": len(config.groups),
        "systems_enabled": [s.key for s in ruleset.systems if s.enabled],
        "send_time": config.reminders.send_time.strftime("%H:%M"),
        "database": database,
        "media_dir": str(config.media_dir),
        "telegram_api": config.telegram.base_url or "https://api.telegram.org/bot",
        "calendar_without_official_data": context.calendar.years_without_official_data([year, year + 1]),
    }


def log_startup_summary(context: Any, mode: str, logger: logging.Logger | None = None) -> dict[str, Any]:
    """Log the start-up summary as one ``starting`` event; warn about missing calendar years."""
    logger = logger or logging.getLogger("zhibu")
    summary = startup_summary(context, mode)
    logger.info("starting", extra=summary)
    for year in summary["calendar_without_official_data"]:
        logger.warning("no official holiday data; Monday to Friday are taken as workdays",
                       extra={"year": year})
    return summary
