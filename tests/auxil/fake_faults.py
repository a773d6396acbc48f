"""Faults a test asks the fake Bot API to inject, and Telegram's sending limits.

A fault answers a call with an error instead of handling it (429, 5xx, 403,
chat not found, migrate), or handles it and then holds the answer until the
client has given up (the "uncertain" case: Telegram accepted the message but
the bot never heard so).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    429: "Too Many Requests: retry after {retry_after}",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}
MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"
# Methods that put a new message into a chat: these count against the limits.
SENDING_METHODS = frozenset({
    "sendMessage", "sendPhoto", "sendDocument", "sendMediaGroup", "sendVideo", "sendAudio",
    "sendAnimation", "sendVoice", "sendSticker", "sendLocation", "sendContact", "sendPoll",
    "copyMessage", "forwardMessage",
})


@dataclass
class Fault:
    """One planned failure; ``times=None`` means every matching call, forever."""

    method: str | None  # None: any sending method
    status: int = 429
    retry_after: int | None = None
    description: str | None = None
    migrate_to_chat_id: int | None = None
    chat_id: int | str | None = None
    hold: float | None = None  # seconds to hold the answer after accepting the call
    times: int | None = 1

    def matches(self, method: str, params: dict[str, Any]) -> bool:
        if self.method is None and method not in SENDING_METHODS:
            return False
        if self.method is not None and self.method != method:
            return False
        return self.chat_id is None or str(params.get("chat_id")) == str(self.chat_id)

    def answer(self) -> tuple[int, dict[str, Any]]:
        """The HTTP status and JSON body Telegram would send."""
        body: dict[str, Any] = {"ok": False, "error_code": self.status}
        if self.migrate_to_chat_id is not None:
            body["description"] = self.description or MIGRATED
            body["parameters"] = {"migrate_to_chat_id": self.migrate_to_chat_id}
            return self.status, body
        retry_after = self.retry_after if self.retry_after is not None else (1 if self.status == 429 else None)
        template = self.description or DESCRIPTIONS.get(self.status, f"Error {self.status}")
        body["description"] = template.format(retry_after=retry_after)
        if retry_after is not None:
            body["parameters"] = {"retry_after": retry_after}
        return self.status, body


@dataclass
class FaultPlan:
    """Faults in the order they were planned; the first that matches a call is used."""

    faults: list[Fault] = field(default_factory=list)

    def add(self, fault: Fault) -> Fault:
        self.faults.append(fault)
        return fault

    def take(self, method: str, params: dict[str, Any]) -> Fault | None:
        for fault in self.faults:
            if fault.matches(method, params):
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        self.faults.clear()


@dataclass
class LimitStats:
    accepted: int = 0  # messages accepted while limits were checked
    rate_limited: int = 0  # 429 answers given for exceeding a limit
    duplicates: int = 0  # accepted messages whose chat and text were seen before


class SendingLimits:
    """Telegram's broadcast limits as sliding windows over an injectable clock.

    30 messages a second overall, 1 a second per private chat, 20 a minute per
    group chat (negative chat ids).
    """

    OVERALL = (30, 1.0)
    PRIVATE = (1, 1.0)
    GROUP = (20, 60.0)

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.stats = LimitStats()
        self._overall: deque[float] = deque()
        self._per_chat: dict[str, deque[float]] = {}
        self._seen: set[tuple[str, str]] = set()

    def check(self, chat_id: Any, weight: int = 1) -> int | None:
        """Record ``weight`` messages to ``chat_id`` now, or return the retry_after for a 429."""
        now = self.clock()
        key = str(chat_id)
        chat_limit = self.GROUP if key.startswith("-") else self.PRIVATE
        chat_window = self._per_chat.setdefault(key, deque())
        waits = [w for w in (_wait(self._overall, self.OVERALL, now, weight),
                             _wait(chat_window, chat_limit, now, weight)) if w is not None]
        if waits:
            self.stats.rate_limited += 1
            return max(1, math.ceil(max(waits)))
        for _ in range(weight):
            self._overall.append(now)
            chat_window.append(now)
        return None

    def note_accepted(self, chat_id: Any, text: str | None) -> None:
        self.stats.accepted += 1
        if text is not None:
            key = (str(chat_id), text)
            if key in self._seen:
                self.stats.duplicates += 1
            self._seen.add(key)


def _wait(window: deque[float], limit: tuple[int, float], now: float, weight: int) -> float | None:
    """Seconds until ``weight`` more fit into the window, or None if they fit now."""
    count, period = limit
    while window and window[0] <= now - period:
        window.popleft()
    if len(window) + weight <= count:
        return None
    # The oldest entries must leave the window before there is room.
    must_leave = len(window) + weight - count
    if must_leave > len(window):
        return period
    return window[must_leave - 1] + period - now
