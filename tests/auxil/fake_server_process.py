"""The fake Bot API in a process of its own, so that a benchmark measures the bot's
CPU and not the fake's (on this machine python-telegram-bot's client tops out
near 600 requests/s; sharing the process with the fake costs about a third).

    async with FakeBotApiProcess(enforce_limits=True) as fake:
        ...  # point the bot at fake.base_url / fake.base_file_url, token fake.token
        summary = await fake.summary()  # accepted, distinct, duplicates, rate_limited, calls

Run by hand: ``python -m tests.auxil.fake_server_process [--enforce-limits]``
prints the URL on its first line and serves until interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

from tests.auxil.fake_bot_api import DEFAULT_TOKEN, FakeBotApi

REPO = Path(__file__).resolve().parents[2]


class FakeBotApiProcess:
    """Starts ``python -m tests.auxil.fake_server_process`` and reads its URL."""

    def __init__(self, *, enforce_limits: bool = False) -> None:
        self.enforce_limits = enforce_limits
        self.token = DEFAULT_TOKEN
        self.url = ""
        self._process: asyncio.subprocess.Process | None = None

    @property
    def base_url(self) -> str:
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    async def __aenter__(self) -> FakeBotApiProcess:
        args = [sys.executable, "-m", "tests.auxil.fake_server_process"]
        if self.enforce_limits:
            args.append("--enforce-limits")
        self._process = await asyncio.create_subprocess_exec(*args, cwd=REPO, stdout=asyncio.subprocess.PIPE)
        assert self._process.stdout is not None
        line = await asyncio.wait_for(self._process.stdout.readline(), 30)
        self.url = line.decode().strip()
        if not self.url.startswith("http://"):
            raise RuntimeError(f"the fake Bot API process did not start: {line!r}")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._process is not None and self._process.returncode is None:
            self._process.terminate()
            await self._process.wait()

    async def summary(self) -> dict[str, Any]:
        """The fake's counters (see :meth:`FakeBotApi.summary`)."""
        def fetch() -> dict[str, Any]:
            with urllib.request.urlopen(f"{self.url}/_fake/summary", timeout=10) as response:
                return json.loads(response.read())

        return await asyncio.to_thread(fetch)


async def _serve(enforce_limits: bool) -> None:
    async with FakeBotApi(enforce_limits=enforce_limits) as fake:
        print(fake.url, flush=True)
        await asyncio.Event().wait()


def main() -> None:
    parser = argparse.ArgumentParser(description="a fake Telegram Bot API on 127.0.0.1")
    parser.add_argument("--enforce-limits", action="store_true", help="answer 429 past Telegram's limits")
    try:
        asyncio.run(_serve(parser.parse_args().enforce_limits))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
