"""Figures: what a benchmark measured, printed as it is found, checked against its
target, and collected for ``bench/results/latest.json``."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: float
    unit: str
    target: str | None = None  # e.g. "≥ 29", "< 100"
    met: bool | None = None

    def line(self) -> str:
        value = f"{self.value:,.0f}" if abs(self.value) >= 100 or float(self.value).is_integer() else f"{self.value:,.2f}"
        text = f"  {self.label:<52} {value:>12} {self.unit}"
        if self.target is not None:
            text += f"   (target {self.target} {self.unit}: {'met' if self.met else 'NOT MET'})"
        return text


@dataclass
class Report:
    """The figures of one benchmark, plus the settings it ran with."""

    benchmark: str
    settings: dict[str, Any] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    quiet: bool = False

    def figure(self, key: str, label: str, value: float, unit: str, *, at_least: float | None = None,
               below: float | None = None, equal: float | None = None) -> Figure:
        """Record (and print) one figure; a bound makes it a target that is met or not."""
        target, met = None, None
        if at_least is not None:
            target, met = f"≥ {at_least:g}", value >= at_least
        elif below is not None:
            target, met = f"< {below:g}", value < below
        elif equal is not None:
            target, met = f"= {equal:g}", value == equal
        figure = Figure(key, label, float(value), unit, target, met)
        self.figures.append(figure)
        self._print(figure.line())
        return figure

    def note(self, text: str) -> None:
        """A sentence that qualifies the figures (what could not be measured, and why)."""
        self.notes.append(text)
        self._print(f"  note: {text}")

    def say(self, text: str) -> None:
        """A progress line (not kept in the results)."""
        self._print(f"  … {text}")

    def value(self, key: str) -> float:
        return next(f.value for f in self.figures if f.key == key)

    def header(self) -> None:
        shown = ", ".join(f"{k}={v}" for k, v in self.settings.items())
        self._print(f"\n== {self.benchmark} ({shown})")

    def as_dict(self) -> dict[str, Any]:
        return {"benchmark": self.benchmark, "settings": self.settings,
                "figures": [asdict(f) for f in self.figures], "notes": self.notes}

    def _print(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)


def percentile(values: Sequence[float], p: float) -> float:
    """The nearest-rank ``p``-th percentile (p in 0–100) of a non-empty sample."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]
