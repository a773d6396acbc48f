"""``zhibu check-config``: validates, then prints branch, roster, groups, each system's
effective rule and calendar coverage; never the token or a database password."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.cli import main
from bot.commands.check_config import report
from bot.config import TOKEN_ENV
from bot.context import load_context
from scheduling.clock import VirtualClock
from tests.cli.rosters import THREE_GROUPS_TOML
from tests.conftest import EXAMPLE_CONFIG

SHANGHAI = ZoneInfo("Asia/Shanghai")


def report_at(path, year: int) -> str:
    return report(load_context(path, clock=VirtualClock(datetime(year, 3, 2, 9, tzinfo=SHANGHAI))))


@pytest.fixture
def three_groups(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(THREE_GROUPS_TOML, encoding="utf-8")
    return path


def test_the_example_config_is_valid_and_summarized(capsys):
    assert main(["--config", str(EXAMPLE_CONFIG), "check-config"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith(f"配置有效：{EXAMPLE_CONFIG}")
    for name in ("常天民", "郭谨瑜", "李会玲", "陈永胜", "朱东方"):
        assert name in out
    for system in ("支部党员大会", "支部委员会", "党小组会", "党课", "党员领导干部民主生活会", "党员组织生活会", "民主评议党员"):
        assert system in out
    assert "123456:ABC-DEF" not in out


def test_roster_groups_and_rules_of_the_example(capsys):
    out = report_at(EXAMPLE_CONFIG, 2026)
    lines = out.splitlines()
    secretary = next(line for line in lines if line.strip().startswith("常天民"))
    assert "支部书记、支部委员、领导班子成员" in secretary and "第一党小组" in secretary
    group = next(line for line in lines if line.strip().startswith("g2 "))
    assert "第二党小组" in group and "陈永胜" in group and "赵磊" in group
    dlm = next(line for line in lines if "democratic_life_meeting" in line)
    for part in ("每年", "1–1", "30, 10, 3", "不少于 2/3", "10–12 月", "须单独召开", "常天民"):
        assert part in dlm
    committee = next(line for line in lines if "committee_meeting" in line)
    assert "超过 1/2" in committee and "每月" in committee and "7, 2" in committee
    olm = next(line for line in lines if "organizational_life_meeting" in line)
    assert "须在党员领导干部民主生活会之后" in olm and "第一党小组：李会玲；第二党小组：陈永胜" in olm


@pytest.mark.parametrize(
    ("year", "official", "fallback"),
    [
        pytest.param(2026, ["2026 年：采用国务院公布的节假日与调休安排。"], ["2027"], id="in-2026"),
        pytest.param(2027, [], ["2027", "2028"], id="in-2027"),
    ],
)
def test_calendar_coverage_is_said_once_per_year(year, official, fallback):
    out = report_at(EXAMPLE_CONFIG, year)
    for line in official:
        assert out.count(line) == 1
    for missing in fallback:
        assert out.count(f"注意：{missing} 年没有官方节假日数据") == 1
    assert out.count("没有官方节假日数据") == len(fallback)


def test_the_calendar_note_counts_the_configured_days_of_that_year(three_groups):
    out = report_at(three_groups, 2026)
    assert "2027 年没有官方节假日数据，工作日按周一至周五计算，并应用 [calendar] 中的 1 个假日、0 个调休工作日" in out


def test_overrides_show_as_effective_rules(three_groups):
    lines = report_at(three_groups, 2026).splitlines()
    assert any("党课（未启用）" in line for line in lines)
    committee = next(line for line in lines if "committee_meeting" in line)
    assert "不少于 2/3" in committee and "赵一" in committee and "10, 3" in committee
    assembly = next(line for line in lines if "general_assembly" in line)
    assert " 20 " in assembly
    group_meeting = next(line for line in lines if "group_meeting" in line)
    assert "东区党小组：赵一；西区党小组：钱二；北区党小组：孙三" in group_meeting
    assert any("测试支部" in line and "08:30" in line for line in lines)


def test_neither_token_nor_database_password_is_shown(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(TOKEN_ENV, "555:ENV-SECRET")
    text = EXAMPLE_CONFIG.read_text(encoding="utf-8").replace(
        'url = "sqlite:///data/zhibu.db"', 'url = "postgresql+psycopg://zhibu:pa55word@db.example/zhibu"'
    )
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["--config", str(path), "check-config"]) == 0
    out = capsys.readouterr().out
    assert "ENV-SECRET" not in out and "123456:ABC-DEF" not in out and "pa55word" not in out
    assert "Telegram 令牌：已配置（来自环境变量 ZHIBU_TELEGRAM_TOKEN）" in out
    assert "postgresql+psycopg://zhibu:***@db.example/zhibu" in out


def test_without_a_token_the_config_is_still_valid(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    path = tmp_path / "config.toml"
    path.write_text('[[members]]\nname = "书记"\nroles = ["secretary"]\n', encoding="utf-8")
    assert main(["--config", str(path), "check-config"]) == 0
    assert "Telegram 令牌：未配置" in capsys.readouterr().out

