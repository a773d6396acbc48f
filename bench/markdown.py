"""The figures of a results file as Markdown tables, for bench/README-figures.md.

    python -m bench.markdown bench/results/latest.json [more.json …]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def _value(value: float) -> str:
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def _verdict(figure: dict) -> str:
    if figure["target"] is None:
        return ""
    return f"{figure['target']} {figure['unit']} — {'met' if figure['met'] else '**not met**'}"


def render(results: dict) -> str:
    """One section per results file: the machine, then one table per benchmark."""
    machine = results["machine"]
    database = f"PostgreSQL {machine['postgresql']}" if "postgresql" in machine else f"SQLite {machine.get('sqlite')}"
    lines = [
        f"### {results['sizes']} sizes, {database} — {results['when']} (commit {results['commit']})",
        "",
        f"{machine['cpus']} CPUs, {machine['memory_gib']} GiB, Python {machine['python']}, {machine['platform']}; "
        f"load average at start {', '.join(str(x) for x in machine['load_average_at_start'])}; "
        f"{results['seconds']:.0f} s in all.",
    ]
    for bench in results["benchmarks"]:
        settings = ", ".join(f"{k} {v}" for k, v in bench["settings"].items() if not isinstance(v, dict))
        lines += ["", f"**{bench['benchmark']}** ({settings})", "", "| figure | value | target |", "|---|---:|---|"]
        for figure in bench["figures"]:
            label = figure["label"].strip()
            indent = "↳ " if figure["label"].startswith("  ") else ""
            lines.append(f"| {indent}{label} | {_value(figure['value'])} {figure['unit']} | {_verdict(figure)} |")
        lines += [f"\nNote: {note}" for note in bench["notes"]]
    return "\n".join(lines) + "\n"


def main(paths: list[str]) -> int:
    for path in paths:
        print(render(json.loads(Path(path).read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["bench/results/latest.json"]))
