"""What the fake Bot API remembers: every call, every message the bot sent, and a
signal that lets a test wait for the next change without polling the wall clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Call:
    """One HTTP call the bot made."""

    seq: int
    method: str
    params: dict[str, Any]
    at: float  # the fake's clock (monotonic seconds)
    status: int = 0  # HTTP status answered; 0 while the call is still being handled
    problems: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")


@dataclass
class SentMessage:
    """A message the bot sent, in its current state (edits applied)."""

    chat_id: int
    message_id: int
    kind: str  # text | photo | document | media_group
    message: dict[str, Any]  # the Message object as answered to the bot
    call_seq: int
    edits: int = 0
    deleted: bool = False

    @property
    def text(self) -> str | None:
        return self.message.get("text")

    @property
    def caption(self) -> str | None:
        return self.message.get("caption")

    @property
    def body(self) -> str:
        """The text, or the caption, or '' — what a reader sees."""
        return self.message.get("text") or self.message.get("caption") or ""

    @property
    def reply_markup(self) -> dict[str, Any] | None:
        return self.message.get("reply_markup")

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """Inline buttons as (label, callback_data), row by row."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b.get("text", ""), b.get("callback_data")) for row in rows for b in row]

    def callback_data(self, label: str) -> str:
        """The callback data of the button whose label contains ``label``."""
        matches = [data for text, data in self.buttons if label in text]
        if len(matches) != 1:
            raise AssertionError(f"{len(matches)} buttons labelled {label!r} in {self.buttons}")
        assert matches[0] is not None, f"button {label!r} has no callback data"
        return matches[0]

    @property
    def file_ids(self) -> list[str]:
        if "photo" in self.message:
            return [self.message["photo"][-1]["file_id"]]
        if "document" in self.message:
            return [self.message["document"]["file_id"]]
        return []


class Signal:
    """Wakes every waiter when something changed; waiters re-check their condition."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def changed(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait(self, condition: Callable[[], Any], timeout: float) -> Any:
        """Return ``condition()`` once it is truthy, or its last falsy value after ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = condition()
            remaining = deadline - loop.time()
            if result or remaining <= 0:
                return result
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.add(waiter)
            try:
                await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                pass
            finally:
                self._waiters.discard(waiter)

    async def wait_until(self, condition: Callable[[], Any], timeout: float, describe: Callable[[], str]) -> Any:
        """Return ``condition()`` once it is truthy; AssertionError after ``timeout`` seconds."""
        result = await self.wait(condition, timeout)
        if not result:
            raise AssertionError(f"timed out after {timeout}s waiting for {describe()}")
        return result


@dataclass
class StoredFile:
    file_id: str
    unique_id: str
    path: str
    data: bytes
    size: int  # what Telegram reports (a test may make it differ from len(data))
    file_name: str | None = None
    mime_type: str | None = None
