"""``zhibu export --year Y --out DIR``: the year's ledger (xlsx), archive (zip, split
below Telegram's upload limit when large) and ``manifest.sha256`` into DIR."""

from __future__ import annotations

import argparse

from bot import texts
from bot.cli import UsageError
from bot.context import open_context
from bot.export.service import OutDirError, export_year, prepare_out_dir


def run(args: argparse.Namespace) -> int:
    # Check the folder before touching the database: a typo costs nothing.
    try:
        prepare_out_dir(args.out)
    except OutDirError as exc:
        raise UsageError(f"export: --out: {exc}") from None
    context = open_context(args.config)
    try:
        result = export_year(context, year=args.year, out_dir=args.out)
    except OutDirError as exc:
        raise UsageError(f"export: --out: {exc}") from None
    finally:
        context.close()
    print(texts.export_cli_done(args.year, result.sittings))
    for path in result.files:
        print(f"  {path}  ({path.stat().st_size:,} bytes)")
    return 0
