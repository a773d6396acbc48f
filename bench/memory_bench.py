"""memory: resident memory (RSS, psutil) of the bot process — idle after start-up,
long polling an empty fake, and at its peak under the intake benchmark's load.

Target (issue 6): idle < 100 MB (MiB here, the stricter reading).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from bench.bot_process import BotProcess
from bench.figures import Report

IDLE_TARGET_MB = 100.0


@dataclass
class MemorySampler:
    """RSS readings of the bot process, in MiB, taken whenever the benchmark asks."""

    bot: BotProcess
    samples: list[float] = field(default_factory=list)

    def sample(self) -> None:
        self.samples.append(self.bot.rss_mb())

    @property
    def peak(self) -> float:
        return max(self.samples)


async def idle_rss(bot: BotProcess, seconds: float) -> float:
    """RSS after ``seconds`` of idle polling (start-up work done, nothing to do)."""
    sampler = MemorySampler(bot)
    steps = max(1, int(seconds / 0.5))
    for _ in range(steps):
        await asyncio.sleep(0.5)
        sampler.sample()
    return sampler.samples[-1]


def record(report: Report, *, idle_mb: float, loads: dict[str, list[float]]) -> None:
    """The idle figure (against its target), and each load session's peak."""
    report.figure("idle_rss_mb", "zhibu run idle (polling, nothing to do)", idle_mb, "MiB", below=IDLE_TARGET_MB)
    for key, samples in loads.items():
        report.figure(f"{key}_peak_rss_mb", f"peak under the intake load ({key})", max(samples), "MiB")
