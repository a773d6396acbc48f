"""The intake and memory benchmarks on a tiny branch: the real bot process answers
every press and stores the snoozes; its memory is read while it idles and works."""

from __future__ import annotations

from bench import intake_bench
from tests.bench.conftest import TINY

PRESSES = 8


def test_every_press_is_answered_and_stored_and_memory_is_read(tmp_path):
    intake, memory = intake_bench.run(tmp_path, shipped=(PRESSES, PRESSES), lifted=(PRESSES, PRESSES),
                                      shape=TINY, idle_seconds=0.5, quiet=True)

    for session in ("shipped", "lifted"):
        assert intake.value(f"{session}_answered") == PRESSES
        assert intake.value(f"{session}_snoozes") == TINY.groups
        assert intake.value(f"{session}_throughput") > 0
        assert 0 < intake.value(f"{session}_p50_ms") <= intake.value(f"{session}_p99_ms")
        assert memory.value(f"{session}_peak_rss_mb") >= 20  # a Python process with the bot loaded
    assert intake.notes == []  # no call of the bot was refused
    assert memory.value("idle_rss_mb") > 0
