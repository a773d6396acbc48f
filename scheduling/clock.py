"""The one clock every component reads. Tests and ``simulate`` pass a virtual one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class VirtualClock:
    """A clock that only moves when told to."""

    current: datetime

    def __post_init__(self) -> None:
        if self.current.tzinfo is None:
            raise ValueError("VirtualClock needs a timezone-aware datetime")

    def now(self) -> datetime:
        return self.current.astimezone(UTC)

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("VirtualClock needs a timezone-aware datetime")
        self.current = moment

    def advance(self, delta: timedelta) -> None:
        self.current = self.current + delta
