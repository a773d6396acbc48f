"""``zhibu db upgrade``: bring the database to the newest schema (``run`` does it too)."""

from __future__ import annotations

import argparse

from bot.context import connect_engine, load_context, open_database
from storage import db


def run(args: argparse.Namespace) -> int:
    context = load_context(args.config)
    probe = connect_engine(context)
    before = db.current_revision(probe)
    probe.dispose()
    open_database(context)
    try:
        after = db.current_revision(context.engine)
    finally:
        context.close()
    if before == after:
        print(f"zhibu: the database is up to date (revision {after})")
    else:
        print(f"zhibu: the database was upgraded from revision {before or 'none (empty)'} to {after}")
    return 0
