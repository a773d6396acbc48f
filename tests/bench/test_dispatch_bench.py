"""The dispatch benchmark on a tiny branch: every enqueued message reaches the fake
exactly once, with Telegram's limits enforced and with them lifted."""

from __future__ import annotations

from bench import dispatch_bench
from tests.bench.conftest import TINY

MESSAGES = 24  # two per member: the per-chat limit comes into play


def test_every_message_arrives_once_with_limits_and_without(tmp_path):
    report = dispatch_bench.run(tmp_path, messages=MESSAGES, shape=TINY, quiet=True)

    for run in ("limited", "lifted"):
        assert report.value(f"{run}_accepted") == MESSAGES
        assert report.value(f"{run}_lost") == 0
        assert report.value(f"{run}_doubled") == 0
        assert report.value(f"{run}_rate") > 0
        assert report.settings[f"{run}_outbox"]["sent"] == MESSAGES
    assert report.value("lifted_429") == 0  # the fake enforces nothing then
