"""``zhibu db upgrade`` and ``zhibu db copy``; where the database and media land."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa

from bot.context import open_context
from scheduling.rules import AbsenceReason
from storage import db
from storage.copy import tables
from storage.invites import create_invite, redeem_invite
from storage.media import store_file
from storage.models import ChatState, ObligationState, OutboxMessage, SchedulerLease
from storage.records import add_attachment, create_record
from tests.conftest import SHANGHAI
from tests.storage.support import branch_config, zhibu

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=SHANGHAI)


def _fill_every_table(context) -> None:
    """At least one row in every table, through the repository functions where there are some."""
    with context.session() as session:
        record = create_record(
            session, system="general_assembly", covers=("party_lecture",), group_key=None, held_on=date(2026, 2, 27),
            topic="学习党章", standalone=None,
            attendance={"常天民": (True, None), "刘芳": (False, AbsenceReason.PERSONAL)},
            minutes_text="纪要", minutes_deferred=False, photos_deferred=True, logged_by_name="常天民", now=NOW,
            late=False,
        )
        stored = store_file(context.config.media_dir, b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, allowed={"photo"})
        add_attachment(session, record_id=record.id, stored_file=stored, kind="photo", telegram_file_id="f1",
                       telegram_file_unique_id="u1", original_name=None, actor_name="常天民", now=NOW)
        code = create_invite(session, member_name="刘芳", now=NOW)
        redeem_invite(session, code=code, telegram_id=7001, now=NOW)
        session.add(OutboxMessage(key="committee_meeting:-:2026-03|reminder|0|郭谨瑜", kind="reminder",
                                  obligation_key="committee_meeting:-:2026-03", recipient="郭谨瑜", due_at=NOW,
                                  created_at=NOW, text="提醒"))
        session.add(ObligationState(obligation_key="committee_meeting:-:2026-03", planned_on=date(2026, 3, 20),
                                    updated_at=NOW))
        session.add(ChatState(namespace="conversations", key="log:7001", data="{}", updated_at=NOW))
        session.add(SchedulerLease(name="scheduler", holder="host-1", expires_at=NOW + timedelta(minutes=1)))


def _dump(engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            table.name: [tuple(row) for row in connection.execute(sa.select(table).order_by(*table.primary_key))]
            for table in tables()
        }


def test_a_second_upgrade_is_a_no_op(capsys, tmp_path, db_url):
    config = branch_config(tmp_path, database_url=db_url)

    first = zhibu(capsys, "--config", str(config), "db", "upgrade")
    engine = db.make_engine(db_url)
    before = _dump(engine)
    second = zhibu(capsys, "--config", str(config), "db", "upgrade")

    assert first[0] == 0 and "upgraded from revision none" in first[1]
    assert second == (0, f"zhibu: the database is up to date (revision {db.head_revision()})\n", "")
    assert _dump(engine) == before and db.is_up_to_date(engine)
    engine.dispose()


def test_the_database_and_media_folder_are_made_beside_the_config_on_first_use(capsys, tmp_path, monkeypatch):
    folder = tmp_path / "branch"
    folder.mkdir()
    config = branch_config(folder)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    code, _, _ = zhibu(capsys, "--config", str(config), "status", "--at", "2026-03-02")

    assert code == 0
    assert (folder / "data" / "zhibu.db").is_file() and (folder / "data" / "media").is_dir()
    assert list(elsewhere.iterdir()) == []


def test_copy_moves_every_row_of_every_table_and_new_ids_follow_on(capsys, tmp_path, db_url):
    source_folder = tmp_path / "source"
    source_folder.mkdir()
    config = branch_config(source_folder)  # SQLite beside the config
    context = open_context(config)
    _fill_every_table(context)
    expected = _dump(context.engine)
    context.close()
    assert all(expected[table.name] for table in tables()), "every table has a row to copy"

    code, out, err = zhibu(capsys, "--config", str(config), "db", "copy", "--to", db_url)

    assert (code, err) == (0, "")
    assert f"copied {sum(map(len, expected.values()))} rows in {len(expected)} tables" in out
    target = db.make_engine(db_url)
    assert _dump(target) == expected
    assert db.is_up_to_date(target)
    target.dispose()

    # The copy is a working database: the bot runs on it and new rows get fresh ids.
    moved = branch_config(tmp_path / "source", database_url=db_url)
    context = open_context(moved)
    with context.session() as session:
        record = create_record(
            session, system="committee_meeting", covers=(), group_key=None, held_on=date(2026, 3, 2), topic="新会议",
            standalone=None, attendance={"郭谨瑜": (True, None)}, minutes_text=None, minutes_deferred=True,
            photos_deferred=True, logged_by_name="郭谨瑜", now=NOW, late=False,
        )
    context.close()
    assert record.id == max(row[0] for row in expected["meeting_record"]) + 1


def test_copy_refuses_a_target_that_is_not_empty(capsys, tmp_path, db_url):
    source_folder = tmp_path / "source"
    source_folder.mkdir()
    config = branch_config(source_folder)
    zhibu(capsys, "--config", str(config), "db", "copy", "--to", db_url)
    target = db.make_engine(db_url)
    before = _dump(target)

    code, out, err = zhibu(capsys, "--config", str(config), "db", "copy", "--to", db_url)

    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1 and "is not empty" in err
    assert _dump(target) == before
    target.dispose()


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        pytest.param("mysql://root@localhost/zhibu", "must start with", id="unsupported-dialect"),
        pytest.param("postgresql+psycopg://zhibu:hunter2@127.0.0.1:1/zhibu", "cannot use", id="unreachable"),
    ],
)
def test_copy_to_a_bad_target_exits_2_with_one_line_and_no_password(capsys, tmp_path, url, problem):
    config = branch_config(tmp_path)
    code, out, err = zhibu(capsys, "--config", str(config), "db", "copy", "--to", url)
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1 and problem in err and "hunter2" not in err


def test_copy_onto_the_configured_database_itself_is_refused(capsys, tmp_path):
    config = branch_config(tmp_path)
    code, _, err = zhibu(capsys, "--config", str(config), "db", "copy", "--to", f"sqlite:///{tmp_path}/data/zhibu.db")
    assert code == 2 and "the database in the config" in err


def test_an_unreachable_database_exits_2_naming_the_key_without_the_password(capsys, tmp_path):
    config = branch_config(tmp_path, database_url="postgresql+psycopg://zhibu:hunter2@127.0.0.1:1/zhibu")
    code, out, err = zhibu(capsys, "--config", str(config), "status")
    assert (code, out) == (2, "")
    assert "database.url: cannot connect" in err and "hunter2" not in err and len(err.strip().splitlines()) == 1
