"""The engine benchmark on a tiny branch: it seeds every meeting of the year and
times simulate and status without failing."""

from __future__ import annotations

from bench import engine_bench
from bench.branch import year_sittings
from bot.config import load_config
from tests.bench.conftest import TINY


def test_it_seeds_a_full_year_and_reports_every_figure(tmp_path, server):
    report = engine_bench.run(tmp_path, postgres=server, shape=TINY, years=1, status_runs=3, quiet=True)

    config = load_config(tmp_path / "config.toml")
    assert report.value("records") == len(year_sittings(config.ruleset(), engine_bench.LAST_YEAR))
    # With every meeting logged the engine still reminds (before each meeting) but
    # says less than for a year in which nothing was logged.
    assert 0 < report.value("simulate_records_messages") < report.value("simulate_empty_messages")
    assert report.value("simulate_process_messages") == report.value("simulate_records_messages")
    for key in ("status", "status_chat", "compliance"):
        assert 0 < report.value(f"{key}_p50_ms") <= report.value(f"{key}_p95_ms")
