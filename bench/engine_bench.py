"""engine: ``zhibu simulate`` over ten years of a large branch, and ``status``
latency with ten years of records in the database.

Targets (issue 6): the ten-year simulation < 5 s; status p95 < 100 ms.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

from bench.branch import SHANGHAI, BranchShape, fresh_database, seed_records, telegram_id, write_branch_config
from bench.figures import Report, percentile
from scheduling.clock import VirtualClock

SIMULATE_TARGET_S = 5.0
STATUS_P95_TARGET_MS = 100.0
LAST_YEAR = 2025  # the last full year of official holiday data in chinesecalendar


def run(workdir: Path, *, postgres: str | None = None, years: int = 10, shape: BranchShape = BranchShape(),
        status_runs: int = 50, quiet: bool = False) -> Report:
    """Seed ``years`` years for ``shape``, then time simulate and status."""
    first = LAST_YEAR - years + 1
    report = Report("engine", {"members": shape.members, "groups": shape.groups, "years": f"{first}–{LAST_YEAR}",
                               "database": "postgresql" if postgres else "sqlite"}, quiet=quiet)
    report.header()
    with fresh_database(workdir, postgres) as db_url:
        config = write_branch_config(workdir, shape, db_url=db_url)
        context = _open(config, first)
        try:
            period = (date(first, 1, 1), date(LAST_YEAR, 12, 31))
            _simulate(report, config, period, "empty", "no meeting ever logged")
            started = time.perf_counter()
            records = seed_records(context, range(first, LAST_YEAR + 1))
            report.figure("records", "records seeded (create_record)", records, "records")
            report.figure("seed_seconds", "  time to seed them", time.perf_counter() - started, "s")
            _simulate(report, config, period, "records", f"{years} years of records", target=True)
            _simulate_process(report, config, period)
            _status(report, context, date(LAST_YEAR, 12, 20), status_runs)
        finally:
            context.close()
    return report


def _open(config: Path, first_year: int):
    from bot.context import open_context

    # The roster joins at the start of the simulated decade, as a real branch would have.
    return open_context(config, clock=VirtualClock(datetime(first_year, 1, 1, 8, tzinfo=SHANGHAI)))


def _simulate_args(config: Path, period: tuple[date, date]) -> list[str]:
    return ["--config", str(config), "simulate", "--from", period[0].isoformat(), "--to", period[1].isoformat(),
            "--format", "json"]


def _simulate(report: Report, config: Path, period: tuple[date, date], key: str, label: str, *,
              target: bool = False) -> None:
    """``zhibu simulate --format json`` in this process (the interpreter's start-up excluded)."""
    from bot.cli import main

    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out):
        code = main(_simulate_args(config, period))
    seconds = time.perf_counter() - started
    if code != 0:
        raise RuntimeError(f"zhibu simulate exited {code}")
    bound = {"below": SIMULATE_TARGET_S} if target else {}
    report.figure(f"simulate_{key}_seconds", f"zhibu simulate, {_years(period)} years, {label}", seconds, "s", **bound)
    report.figure(f"simulate_{key}_messages", "  messages it printed", count_messages(out.getvalue()), "messages")


def _years(period: tuple[date, date]) -> int:
    return period[1].year - period[0].year + 1


def _simulate_process(report: Report, config: Path, period: tuple[date, date]) -> None:
    """The same command as a user runs it: a new process, start-up included."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bot", *_simulate_args(config, period)], check=True,
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    seconds = time.perf_counter() - started
    report.figure("simulate_process_seconds", "  the same as a new process (start-up included)", seconds, "s")
    report.figure("simulate_process_messages", "    messages it printed", count_messages(done.stdout), "messages")


def count_messages(output: str) -> int:
    """Messages in ``simulate --format json`` output: a JSON array, or one object a line."""
    text = output.strip()
    if not text:
        return 0
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        return sum(1 for line in text.splitlines() if line.strip().startswith("{"))
    return len(parsed) if isinstance(parsed, list) else 1


def _status(report: Report, context, at: date, runs: int) -> None:
    """The CLI's ``status --format json``, the chat's ``/status`` (the secretary's
    whole branch, without Telegram) and the bare compliance report."""
    from bot import services
    from bot.commands.status import render
    from storage.reports import compliance_report

    with context.session() as session:
        secretary = services.person_for(session, context.ruleset, telegram_id(0))

    def cli() -> None:
        render(context, at=at, output="json")

    def chat() -> None:
        with context.session() as session:
            services.current_status(session, context.ruleset, secretary, today=at)

    def bare() -> None:
        with context.session() as session:
            compliance_report(session, ruleset=context.ruleset, today=at, year=at.year)

    for key, label, call in (("status", "status, CLI path (zhibu status --format json)", cli),
                             ("status_chat", "/status, chat path (services.current_status)", chat),
                             ("compliance", "compliance_report alone", bare)):
        samples = _samples(call, runs)
        report.figure(f"{key}_p50_ms", f"{label} p50", percentile(samples, 50), "ms")
        report.figure(f"{key}_p95_ms", f"{label} p95", percentile(samples, 95), "ms", below=STATUS_P95_TARGET_MS)
    # The slow tail is Python's cyclic garbage collector walking every long-lived
    # object; gc.freeze() after start-up takes those out of its walks. Shown, not applied.
    gc.collect()
    gc.freeze()
    try:
        samples = _samples(cli, runs)
    finally:
        gc.unfreeze()
    report.figure("status_frozen_p95_ms", "  status, CLI path, p95 after gc.freeze()", percentile(samples, 95), "ms")


def _samples(call, runs: int) -> list[float]:
    """Milliseconds per call, after one warm-up call (a running bot has warm caches)."""
    call()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples
