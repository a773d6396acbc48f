"""Run the real bot against the fake Bot API, inside the test's event loop.

    path = write_test_config(tmp_path, db_url, fake, telegram_ids={"常天民": 1001})
    async with BotHarness(fake, path, clock=clock) as h:
        secretary = fake.user(1001, "常天民")
        secretary.send_command("/status")
        reply = await secretary.next_message()

The application is built by ``bot.app.build_application(context)`` and driven in
the order ``Application.run_polling`` uses (initialize, post_init, start_polling,
start; then updater.stop, stop, post_stop, shutdown, post_shutdown), with short
long-poll timeouts. Leaving the block fails the test if the bot made a call the
Bot API would reject, or if an exception was logged (unless ``expect_errors``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import Config
from bot.context import AppContext, load_context, open_database
from scheduling.clock import Clock, SystemClock
from tests.auxil.config_writer import write_test_config
from tests.auxil.fake_bot_api import FakeBotApi

if TYPE_CHECKING:
    from telegram.ext import Application

__all__ = ["BotHarness", "write_test_config"]


class _ErrorLog(logging.Handler):
    """Keeps every ERROR record, so that a handler's crash cannot go unnoticed."""

    def __init__(self, fake: FakeBotApi) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []
        self.fake = fake

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        self.fake.signal.changed()


class BotHarness:
    """An async context manager around a running bot."""

    def __init__(self, fake: FakeBotApi, config: Path | str | Config, *, clock: Clock | None = None,
                 expect_errors: bool = False, poll_timeout: int = 1,
                 build: Callable[[AppContext], Application] | None = None) -> None:
        self.fake = fake
        self._build = build
        self._config = config
        self._clock = clock or SystemClock()
        self.expect_errors = expect_errors
        self.poll_timeout = poll_timeout
        self.context: AppContext | None = None
        self.app: Application | None = None
        self._errors = _ErrorLog(fake)

    @property
    def bot(self) -> Any:
        assert self.app is not None, "the bot is not running"
        return self.app.bot

    @property
    def error_logs(self) -> list[str]:
        """Messages of the ERROR records logged while the bot ran."""
        return [_describe(record) for record in self._errors.records]

    async def wait_for_error_log(self, timeout: float = 5) -> list[str]:
        """Wait until the bot logged an error; return the error lines."""
        await self.fake.signal.wait_until(lambda: self._errors.records, timeout, lambda: "an ERROR log record")
        return self.error_logs

    async def __aenter__(self) -> BotHarness:
        logging.getLogger().addHandler(self._errors)
        try:
            if isinstance(self._config, Config):
                self.context = AppContext(config=self._config, clock=self._clock)
            else:
                self.context = load_context(self._config, clock=self._clock)
            open_database(self.context)
            await self.start()
        except BaseException:
            await self._teardown()
            raise
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, *rest: object) -> None:
        await self._teardown()
        if exc_type is None:
            self.fake.assert_no_violations()
            if self._errors.records and not self.expect_errors:
                raise AssertionError("the bot logged errors:\n  " + "\n  ".join(self.error_logs))

    async def start(self) -> None:
        """Build a fresh application on the same context and start polling."""
        assert self.context is not None
        build = self._build
        if build is None:
            from bot.app import build_application as build  # imported late: the harness also serves other apps
        app = build(self.context)
        self.app = app
        await app.initialize()
        if app.post_init:
            await app.post_init(app)
        await app.updater.start_polling(poll_interval=0, timeout=self.poll_timeout)
        await app.start()

    async def stop(self) -> None:
        """Stop the application as ``run_polling`` does on SIGTERM."""
        app, self.app = self.app, None
        if app is None:
            return
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
            if app.post_stop:
                await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)

    async def restart(self) -> None:
        """Stop and start again on the same database (a process restart)."""
        await self.stop()
        await self.start()

    async def _teardown(self) -> None:
        try:
            await self.stop()
        finally:
            if self.context is not None:
                self.context.close()
            logging.getLogger().removeHandler(self._errors)


def _describe(record: logging.LogRecord) -> str:
    text = f"{record.name}: {record.getMessage()}"
    if record.exc_info and record.exc_info[1] is not None:
        text += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
    return text
