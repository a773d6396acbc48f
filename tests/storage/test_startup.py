"""Start-up: every process migrates and syncs the roster; several at once must not trip
over each other (a second bot process, a CLI command beside the running bot)."""

from __future__ import annotations

import subprocess
import sys

from sqlmodel import select

from bot.context import open_context
from storage import db
from storage.models import Member
from tests.conftest import REPO
from tests.storage.support import branch_config


def test_processes_starting_together_on_a_fresh_database_all_come_up(tmp_path, db_url):
    config = branch_config(tmp_path, database_url=db_url)
    # Separate processes, as in production: Alembic's context is per process.
    starters = [
        subprocess.Popen(
            [sys.executable, "-m", "bot", "--config", str(config), "db", "upgrade"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(3)
    ]
    results = [(p.wait(timeout=60), p.stderr.read()) for p in starters]
    for p in starters:
        p.stdout.close()
        p.stderr.close()

    assert results == [(0, "")] * 3
    context = open_context(config)
    with context.session() as session:
        names = [m.name for m in session.exec(select(Member))]
    assert sorted(names) == sorted(m.name for m in context.config.members)
    assert db.is_up_to_date(context.engine)
    context.close()
