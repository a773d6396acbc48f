"""``zhibu db copy --to URL``: every row of the configured database into another,
empty one (the way from the SQLite default to PostgreSQL; SPEC §8, issue 6)."""

from __future__ import annotations

import argparse
import sys

import sqlalchemy as sa

from bot.context import open_context, redact_url
from storage import db
from storage.copy import SchemaMismatch, TargetNotEmpty, copy_database

USAGE = 2


def _fail(message: str) -> int:
    print(f"zhibu: db copy: {message}", file=sys.stderr)
    return USAGE


def run(args: argparse.Namespace) -> int:
    target_url: str = args.target_url
    if not target_url.startswith(("sqlite:///", "postgresql")):
        return _fail("--to: must start with sqlite:/// or postgresql+psycopg://")
    try:
        shown = redact_url(target_url)
    except sa.exc.ArgumentError:
        return _fail("--to: not a database URL")
    context = open_context(args.config)
    if sa.engine.make_url(context.config.database_url) == sa.engine.make_url(target_url):
        context.close()
        return _fail("--to: that is the database in the config; give another one")
    target = db.make_engine(target_url)
    try:
        copied = copy_database(context.engine, target)
    except TargetNotEmpty as full:
        return _fail(f"{shown} is not empty ({full}); copy needs an empty database")
    except SchemaMismatch as mismatch:
        return _fail(f"{shown}: {mismatch}")
    except sa.exc.OperationalError as error:
        return _fail(f"cannot use {shown}: {str(error.orig).strip().splitlines()[0]}")
    finally:
        target.dispose()
        context.close()
    for table, rows in copied.items():
        print(f"{table:<20} {rows:>8}")
    print(f"zhibu: copied {sum(copied.values())} rows in {len(copied)} tables to {shown}")
    return 0
