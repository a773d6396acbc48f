"""Run every benchmark and print its figures: ``python -m bench``.

    python -m bench                      # full sizes (~12 min: dispatch sends 10,000 messages at 30/s)
    python -m bench --quick              # small sizes (~4 min)
    python -m bench --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
    python -m bench --only engine,memory

Each benchmark makes its own fresh database (a SQLite file in a temporary folder,
or a new database on the given PostgreSQL server, dropped afterwards). The
figures and the machine they were measured on go to ``bench/results/latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

from bench import dispatch_bench, engine_bench, intake_bench
from bench.figures import Report

BENCHMARKS = ("engine", "dispatch", "intake", "memory")
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description="zhibu's benchmarks (issue 6)")
    parser.add_argument("--quick", action="store_true", help="small sizes: about 4 minutes instead of 12")
    parser.add_argument("--postgres", metavar="URL", help="run on PostgreSQL (a server URL; a fresh database is made)")
    parser.add_argument("--only", default=",".join(BENCHMARKS), help=f"comma-separated subset of {', '.join(BENCHMARKS)}")
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"where the JSON summary goes (default {RESULTS})")
    args = parser.parse_args(argv)
    args.only = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(args.only) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r} (expected {', '.join(BENCHMARKS)})")
    return args


def machine(postgres: str | None) -> dict:
    """What the figures were measured on."""
    info = {
        "cpus": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    if postgres:
        import sqlalchemy as sa

        engine = sa.create_engine(postgres)
        with engine.connect() as connection:
            info["postgresql"] = connection.exec_driver_sql("SHOW server_version").scalar()
        engine.dispose()
    else:
        import sqlite3

        info["sqlite"] = sqlite3.sqlite_version
    return info


def _commit() -> str | None:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                           cwd=Path(__file__).resolve().parents[1])
    return found.stdout.strip() or None


def run_all(args: argparse.Namespace, workdir: Path) -> list[Report]:
    reports: list[Report] = []
    if "engine" in args.only:
        reports.append(engine_bench.run(workdir / "engine", postgres=args.postgres,
                                        status_runs=20 if args.quick else 50))
    if "dispatch" in args.only:
        reports.append(dispatch_bench.run(workdir / "dispatch", postgres=args.postgres,
                                          messages=1000 if args.quick else 10_000))
    if "intake" in args.only or "memory" in args.only:
        intake, memory = intake_bench.run(workdir / "intake", postgres=args.postgres,
                                          shipped=(200, 200) if args.quick else (600, 600),
                                          lifted=(1000, 1000) if args.quick else (5000, 3000))
        reports += [r for r in (intake, memory) if r.benchmark in args.only]
    return reports


def summary(reports: list[Report]) -> list[str]:
    """One line per target: met or not."""
    lines = ["", "== targets"]
    for report in reports:
        for figure in report.figures:
            if figure.target is not None:
                verdict = "met" if figure.met else "NOT MET"
                lines.append(f"  {report.benchmark:<9} {figure.label.strip():<52} {verdict}")
    return lines


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    started = time.perf_counter()
    try:
        info = machine(args.postgres)
    except Exception as error:  # an unreachable or malformed --postgres URL
        print(f"python -m bench: --postgres: cannot connect ({type(error).__name__}: {str(error).splitlines()[0]})",
              file=sys.stderr)
        return 2
    commit = _commit()  # the code measured, before anything else lands
    print(f"zhibu benchmarks — {'quick' if args.quick else 'full'} sizes, "
          f"{'PostgreSQL ' + info.get('postgresql', '') if args.postgres else 'SQLite ' + info['sqlite']}, "
          f"{info['cpus']} cores, {info['memory_gib']} GiB, Python {info['python']}")
    with tempfile.TemporaryDirectory(prefix="zhibu-bench-") as folder:
        reports = run_all(args, Path(folder))
    print("\n".join(summary(reports)))
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": commit,
        "sizes": "quick" if args.quick else "full",
        "machine": info,
        "seconds": round(time.perf_counter() - started, 1),
        "benchmarks": [r.as_dict() for r in reports],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {args.out} ({result['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
