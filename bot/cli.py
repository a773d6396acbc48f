"""The ``zhibu`` command line (SPEC §6). ``python -m bot`` is the same.

Each sub-command lives in ``bot/commands/<name>.py`` as ``run(args, context) -> int``
(or ``run(args) -> int`` where no config is read); this module only parses,
loads the config and turns a :class:`ConfigError` or :class:`UsageError` into one
line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from datetime import date

from bot.config import ConfigError

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A bad argument value, phrased as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for config errors
        command = self.prog.removeprefix("zhibu").strip()
        raise UsageError(f"{command}: {message}" if command else message)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _year(text: str) -> int:
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"not a year between 2000 and 2100: {text!r}")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="zhibu", description="支部通: keeps a party branch on the schedule of its meetings.")
    parser.add_argument("--config", default="config.toml", help="config file (default ./config.toml)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--config", default=argparse.SUPPRESS, help="config file (default ./config.toml)")
        return sub

    add("run", "run the bot (long polling, or a webhook when configured)")
    add("check-config", "validate the config and print roster, groups, rules, calendar coverage")

    plan = add("plan", "every obligation of a year with deadline, responsible persons and send days")
    plan.add_argument("--year", type=_year, required=True)
    plan.add_argument("--format", choices=("table", "json", "ics"), default="table")
    plan.add_argument("--member", metavar="NAME")

    status = add("status", "compliance from the database")
    status.add_argument("--at", type=_iso_date, metavar="DATE")
    status.add_argument("--format", choices=("table", "json"), default="table")

    simulate = add("simulate", "print every message the reminder engine would send between two dates")
    simulate.add_argument("--from", dest="start", type=_iso_date, required=True, metavar="D1")
    simulate.add_argument("--to", dest="end", type=_iso_date, required=True, metavar="D2")
    simulate.add_argument("--format", choices=("table", "json"), default="table")

    invite = add("invite", "print a one-time binding link for a roster member")
    invite.add_argument("name", metavar="NAME")

    export = add("export", "the year's ledger (xlsx), archive (zip) and sha256 manifest")
    export.add_argument("--year", type=_year, required=True)
    export.add_argument("--out", required=True, metavar="DIR")

    audit = add("audit", "every amendment to a record (who, when, field, before, after)")
    audit.add_argument("--since", type=_iso_date, metavar="DATE")

    add("doctor", "diagnose config, database, Telegram, media folder and calendar coverage")

    database = add("db", "database maintenance")
    db_commands = database.add_subparsers(dest="db_command", required=True, parser_class=_Parser)
    upgrade = db_commands.add_parser("upgrade", help="apply migrations")
    upgrade.add_argument("--config", default=argparse.SUPPRESS)
    copy = db_commands.add_parser("copy", help="copy every row into another (empty) database")
    copy.add_argument("--config", default=argparse.SUPPRESS)
    copy.add_argument("--to", dest="target_url", required=True, metavar="URL")
    return parser


def _module_name(args: argparse.Namespace) -> str:
    if args.command == "db":
        return f"bot.commands.db_{args.db_command}"
    return "bot.commands." + args.command.replace("-", "_")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        module = importlib.import_module(_module_name(args))
        return int(module.run(args) or EXIT_OK)
    except (ConfigError, UsageError) as exc:
        print(f"zhibu: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`zhibu status | head`): nothing more to say, and
        # Python must not complain again when it flushes stdout at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILURE
