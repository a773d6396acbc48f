"""The systemd unit example stays in step with the command line and the environment
variables the code actually reads."""

from __future__ import annotations

import shlex
from pathlib import Path

from bot.cli import build_parser
from bot.config import TOKEN_ENV
from bot.observability import LEVEL_ENV

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def unit_settings() -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in (DEPLOY / "zhibu.service").read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.lstrip().startswith(("#", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def test_the_unit_upgrades_the_database_then_runs_the_bot():
    settings = unit_settings()
    [pre], [start] = settings["ExecStartPre"], settings["ExecStart"]
    pre_args, start_args = build_parser().parse_args(shlex.split(pre)[1:]), build_parser().parse_args(shlex.split(start)[1:])
    assert (pre_args.command, pre_args.db_command) == ("db", "upgrade")
    assert start_args.command == "run"
    assert pre_args.config == start_args.config


def test_the_unit_stops_with_sigterm_restarts_on_failure_and_reads_the_token_from_a_file():
    settings = unit_settings()
    assert settings["KillSignal"] == ["SIGTERM"]
    assert settings["Restart"] == ["on-failure"]
    assert settings["RestartPreventExitStatus"] == ["2"]  # a config error: restarting cannot fix it
    assert settings["User"] and settings["WorkingDirectory"] and settings["EnvironmentFile"]


def test_the_environment_example_names_only_variables_the_code_reads():
    lines = (DEPLOY / "zhibu.env.example").read_text(encoding="utf-8").splitlines()
    names = {line.split("=", 1)[0] for line in lines if "=" in line and not line.startswith("#")}
    assert names == {TOKEN_ENV, LEVEL_ENV}
