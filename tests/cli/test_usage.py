"""Usage errors: one line naming the command, exit 2; a closed pipe is not an error to print."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import EXAMPLE_CONFIG

ZHIBU = Path(sys.executable).parent / "zhibu"


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        pytest.param(["plan"], "zhibu: plan: the following arguments are required: --year", id="missing-year"),
        pytest.param(["plan", "--year", "20"], "zhibu: plan: argument --year: not a year between 2000 and 2100: '20'", id="bad-year"),
        pytest.param(["status", "--at", "2026-13-01"], "zhibu: status: argument --at: not a date (YYYY-MM-DD): '2026-13-01'", id="bad-date"),
        pytest.param(["db", "copy"], "zhibu: db copy: the following arguments are required: --to", id="db-copy-without-target"),
        pytest.param(["simulate", "--from", "2026-01-01", "--to", "2037-01-01"], "zhibu: simulate: the span is longer than 3660 days", id="simulate-over-a-decade"),
        pytest.param(["bogus"], "zhibu: argument command: invalid choice: 'bogus'", id="unknown-command"),
    ],
)
def test_a_usage_error_is_one_line_naming_the_command(capsys, argv, line):
    assert main(["--config", str(EXAMPLE_CONFIG), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(line)
    assert err.count("\n") == 1


def test_output_cut_short_by_a_closed_pipe_prints_no_traceback(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text(EXAMPLE_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    # Three years of messages: far more than a pipe buffers, so the writer meets the closed pipe.
    producer = subprocess.Popen(
        [str(ZHIBU), "--config", str(config), "simulate", "--from", "2026-01-01", "--to", "2028-12-31", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    producer.stdout.read(10)
    producer.stdout.close()  # like `| head -c 10`
    _, err = producer.communicate(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipe" not in err
