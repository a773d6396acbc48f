"""The bot as an operator runs it — ``python -m bot run`` in a process of its own —
long polling the fake Bot API that lives in the benchmark's process.

Its log goes to a file beside the config; its resident memory is read with psutil.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import psutil

from tests.auxil.fake_bot_api import FakeBotApi

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 120
STOP_TIMEOUT_S = 30
RELEASE_ID = 999_999_999  # a bot account: the bot's gate ignores its messages


class BotProcess:
    """``async with BotProcess(fake, config) as bot:`` — running and polling inside the block."""

    def __init__(self, fake: FakeBotApi, config: Path, *, lifted: bool = False) -> None:
        self.fake = fake
        self.config = config
        # lifted: bench.bot_runner, i.e. zhibu run without python-telegram-bot's rate limiter
        self.command = ["-m", "bench.bot_runner", str(config)] if lifted else ["-m", "bot", "--config", str(config), "run"]
        self.log_path = config.parent / ("bot-lifted.log" if lifted else "bot.log")
        self._process: asyncio.subprocess.Process | None = None
        self._log = None

    async def __aenter__(self) -> BotProcess:
        self._log = self.log_path.open("wb")
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, *self.command, cwd=REPO, env=env, stdout=self._log, stderr=self._log)
        try:
            await self.wait_polling()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def wait_polling(self) -> None:
        """Until the bot holds a getUpdates long poll open at the fake (start-up done)."""
        waiter = asyncio.ensure_future(self.fake.wait_until_polling(timeout=START_TIMEOUT_S))
        exited = asyncio.ensure_future(self._process.wait())
        done, _ = await asyncio.wait({waiter, exited}, return_when=asyncio.FIRST_COMPLETED)
        if exited in done:
            waiter.cancel()
            raise RuntimeError(f"the bot exited {self._process.returncode} during start-up; see {self.log_path}")
        exited.cancel()
        waiter.result()

    async def _release_long_polls(self, process: asyncio.subprocess.Process) -> None:
        """Wait for the exit, answering the bot's pending long poll meanwhile.

        A stopping bot first waits for its getUpdates to return (up to its 10 s
        timeout); an update from another bot, which the gate drops unanswered,
        ends the wait at once.
        """
        while process.returncode is None:
            self.fake.push_update("message", {
                "message_id": self.fake.next_serial(), "date": self.fake.unix_now(), "text": ".",
                "from": {"id": RELEASE_ID, "is_bot": True, "first_name": "release"},
                "chat": {"id": RELEASE_ID, "type": "private", "first_name": "release"}})
            try:
                await asyncio.wait_for(process.wait(), 0.2)
            except TimeoutError:
                pass

    def rss_mb(self) -> float:
        """Resident memory of the bot process, in MiB."""
        return psutil.Process(self._process.pid).memory_info().rss / 2**20

    async def stop(self) -> None:
        """SIGINT, as Ctrl-C or systemd would (``run_polling`` stops cleanly); kill if it hangs."""
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self._release_long_polls(process), STOP_TIMEOUT_S)
            except TimeoutError:
                process.kill()
                await process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None
