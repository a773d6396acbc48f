"""``zhibu doctor`` names each problem of an installation in one line, with the fix,
exits 1 when there is one, and changes nothing while looking."""

from __future__ import annotations

import asyncio
import os
import re
from datetime import datetime

import pytest

from bot.cli import main
from bot.commands.doctor import diagnose
from scheduling.clock import VirtualClock
from storage.db import make_engine, upgrade
from tests.auxil.harness import write_test_config
from tests.conftest import SHANGHAI

# 2025 and 2026 both have official holiday data in the installed chinesecalendar.
COVERED = VirtualClock(datetime(2025, 6, 2, 9, 0, tzinfo=SHANGHAI))


@pytest.fixture
def migrated(db_url) -> str:
    engine = make_engine(db_url)
    upgrade(engine)
    engine.dispose()
    return db_url


@pytest.fixture
def sqlite_migrated(tmp_path) -> str:
    """For checks that do not depend on the database backend."""
    url = f"sqlite:///{tmp_path / 'zhibu.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


def lines(checks) -> dict[str, str]:
    return {check.name: check.line() for check in checks}


async def test_a_healthy_installation_passes_every_check(fake_api, migrated, tmp_path):
    path = write_test_config(tmp_path, migrated, fake_api)
    checks = await diagnose(path, clock=COVERED)
    assert [(c.name, c.ok) for c in checks] == [
        ("config", True), ("database", True), ("telegram", True), ("media", True), ("calendar", True)]
    found = lines(checks)
    assert "@zhibu_test_bot" in found["telegram"]
    assert "结构为最新版本" in found["database"]
    assert "2025 年有官方数据，2026 年有官方数据" in found["calendar"]
    assert fake_api.token not in "\n".join(found.values())


async def test_an_unmigrated_database_says_to_run_db_upgrade(fake_api, db_url, tmp_path):
    engine = make_engine(db_url)
    with engine.connect():  # the database exists (for SQLite: the file) but has no tables
        pass
    engine.dispose()
    path = write_test_config(tmp_path, db_url, fake_api)
    [database] = [c for c in await diagnose(path, clock=COVERED) if c.name == "database"]
    assert not database.ok
    assert "尚未建表" in database.line() and "zhibu db upgrade" in database.line()


def test_a_missing_sqlite_file_is_reported_and_not_created(tmp_path):
    path = write_test_config(tmp_path, f"sqlite:///{tmp_path}/data/zhibu.db", "http://127.0.0.1:9")
    checks = asyncio.run(diagnose(path, clock=COVERED, telegram_timeout=0.5))
    assert "还不存在" in lines(checks)["database"]
    assert not (tmp_path / "data").exists() and not (tmp_path / "media").exists()


async def test_an_unreachable_database_is_named_without_its_password(fake_api, tmp_path):
    url = "postgresql+psycopg://zhibu:s3cret-pw@127.0.0.1:9/zhibu"
    path = write_test_config(tmp_path, url, fake_api)
    found = lines(await diagnose(path, clock=COVERED))
    assert found["database"].startswith("✗ 数据库：无法连接 postgresql+psycopg://zhibu:***@127.0.0.1:9/zhibu")
    assert "database.url" in found["database"]
    assert "s3cret-pw" not in found["database"]


async def test_a_refused_token_is_reported_without_the_token(fake_api, sqlite_migrated, tmp_path):
    path = write_test_config(tmp_path, sqlite_migrated, fake_api)
    wrong = "987654321:AAH-this-is-not-the-token-of-the-fake-0123"
    path.write_text(path.read_text(encoding="utf-8").replace(fake_api.token, wrong), encoding="utf-8")
    found = lines(await diagnose(path, clock=COVERED))
    assert "拒绝了机器人令牌（401 Unauthorized）" in found["telegram"] and "@BotFather" in found["telegram"]
    assert fake_api.calls("getMe")[0].status == 401
    assert wrong not in "\n".join(found.values())


async def test_a_missing_token_says_where_to_put_it(fake_api, sqlite_migrated, tmp_path, monkeypatch):
    monkeypatch.delenv("ZHIBU_TELEGRAM_TOKEN", raising=False)
    path = write_test_config(tmp_path, sqlite_migrated, fake_api)
    path.write_text(re.sub(r'(?m)^token = .*$', "", path.read_text(encoding="utf-8")), encoding="utf-8")
    found = lines(await diagnose(path, clock=COVERED))
    assert "未设置机器人令牌" in found["telegram"] and "ZHIBU_TELEGRAM_TOKEN" in found["telegram"]
    assert fake_api.calls() == []


async def test_an_unreachable_telegram_is_reported_within_the_timeout(sqlite_migrated, tmp_path):
    path = write_test_config(tmp_path, sqlite_migrated, "http://127.0.0.1:9")
    found = lines(await diagnose(path, clock=COVERED, telegram_timeout=1))
    assert found["telegram"].startswith("✗ Telegram：未能从 http://127.0.0.1:9/bot 取得 getMe")
    assert "telegram.base_url" in found["telegram"]


async def test_a_media_dir_that_is_a_file_is_reported(fake_api, sqlite_migrated, tmp_path):
    (tmp_path / "media").write_text("not a folder")
    path = write_test_config(tmp_path, sqlite_migrated, fake_api)
    found = lines(await diagnose(path, clock=COVERED))
    assert "不是目录" in found["media"] and "storage.media_dir" in found["media"]


async def test_a_media_dir_nobody_can_write_is_reported(fake_api, sqlite_migrated, tmp_path):
    # /proc takes no new files, not even from root (a chmod'ed folder would not stop root).
    path = write_test_config(tmp_path, sqlite_migrated, fake_api,
                             overrides={"storage": {"media_dir": "/proc/zhibu-media"}})
    found = lines(await diagnose(path, clock=COVERED))
    assert found["media"].startswith("✗ 媒体目录：/proc 不可写") and "storage.media_dir" in found["media"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write into a read-only folder")
async def test_a_read_only_media_dir_is_reported(fake_api, sqlite_migrated, tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media").chmod(0o500)
    try:
        path = write_test_config(tmp_path, sqlite_migrated, fake_api)
        found = lines(await diagnose(path, clock=COVERED))
    finally:
        (tmp_path / "media").chmod(0o700)
    assert "不可写" in found["media"]


CALENDAR = [
    pytest.param(2031, "", False, "2031 年、2032 年没有官方节假日数据", id="years-without-official-data"),
    pytest.param(2026, "", False, "2027 年没有官方节假日数据", id="next-year-not-yet-published"),
    pytest.param(2026, "2027-10-01", True, "2027 年按配置 [calendar] 中的安排", id="next-year-from-config"),
]


@pytest.mark.parametrize(("year", "holiday", "ok", "text"), CALENDAR)
async def test_calendar_coverage_for_this_and_next_year(fake_api, sqlite_migrated, tmp_path, year, holiday, ok, text):
    overrides = {"calendar": {"holidays": [datetime.fromisoformat(holiday).date()]}} if holiday else None
    path = write_test_config(tmp_path, sqlite_migrated, fake_api, overrides=overrides)
    clock = VirtualClock(datetime(year, 3, 2, 9, 0, tzinfo=SHANGHAI))
    [calendar] = [c for c in await diagnose(path, clock=clock) if c.name == "calendar"]
    assert calendar.ok is ok
    assert text in calendar.line()
    assert ok or "pip install -U chinesecalendar" in calendar.line()


def test_an_invalid_config_is_the_only_line_and_exit_1(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_text('[branch]\nname = "x"\n', encoding="utf-8")
    assert main(["--config", str(path), "doctor"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("✗ 配置：") and "members" in out[0]
    assert out[1:] == ["配置无效，其余检查未进行。", "共 1 项检查，1 项有问题：配置。"]


async def test_the_command_prints_one_line_per_check_and_exits_by_the_result(fake_api, migrated, tmp_path, capsys):
    path = write_test_config(tmp_path, migrated, fake_api)
    code = await asyncio.to_thread(main, ["--config", str(path), "doctor"])
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 6
    assert [line[0] for line in out[:5]] == ["✓", "✓", "✓", "✓", out[4][0]]
    calendar_ok = out[4].startswith("✓")
    assert code == (0 if calendar_ok else 1)
    assert out[5] == ("共 5 项检查，全部通过。" if calendar_ok else "共 5 项检查，1 项有问题：节假日数据。")
