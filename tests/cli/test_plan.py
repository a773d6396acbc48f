"""``zhibu plan``: every obligation of a year with deadline, responsible persons and
send days, as a table, as the JSON of SPEC §6, or as an iCalendar file."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bot.cli import main
from bot.commands.plan import as_json, display_width, plan_rows
from bot.context import load_context
from scheduling.clock import VirtualClock
from tests.cli.rosters import THREE_GROUPS_TOML
from tests.conftest import EXAMPLE_CONFIG

EXAMPLE = str(EXAMPLE_CONFIG)
KEYS = {"system", "group", "period", "deadline", "responsible", "status", "reminders"}
STATUSES = {"upcoming", "open", "due_soon", "done", "invalid", "overdue"}
SHANGHAI = ZoneInfo("Asia/Shanghai")


def plan_json(capsys, *args: str) -> list[dict]:
    assert main(["--config", *args[:1], "plan", *args[1:], "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def by_key(items: list[dict]) -> dict[tuple, dict]:
    return {(item["system"], item["group"], item["period"]): item for item in items}


@pytest.fixture
def three_groups(tmp_path) -> str:
    path = tmp_path / "config.toml"
    path.write_text(THREE_GROUPS_TOML, encoding="utf-8")
    return str(path)


def test_json_for_the_example_branch(capsys):
    items = plan_json(capsys, EXAMPLE, "--year", "2026")
    assert len(items) == 48
    assert all(set(item) == KEYS and item["status"] in STATUSES for item in items)
    plan = by_key(items)
    assert plan["group_meeting", "g1", "2026-02"] == {
        "system": "group_meeting",
        "group": "g1",
        "period": "2026-02",
        "deadline": "2026-02-28",
        "responsible": ["李会玲"],
        "status": plan["group_meeting", "g1", "2026-02"]["status"],
        "reminders": ["2026-02-02", "2026-02-14", "2026-02-26"],
    }
    assert plan["general_assembly", None, "2026-Q4"]["responsible"] == ["常天民", "郭谨瑜"]
    assert plan["general_assembly", None, "2026-Q4"]["reminders"] == ["2026-10-08", "2026-12-17", "2026-12-25", "2026-12-30"]
    assert plan["democratic_life_meeting", None, "2026"]["deadline"] == "2026-12-31"
    # Nothing is logged in a plan: the 组织生活会 has no opening notice, only the offsets.
    assert plan["organizational_life_meeting", "g2", "2026"] | {"status": None} == {
        "system": "organizational_life_meeting",
        "group": "g2",
        "period": "2026",
        "deadline": "2026-12-31",
        "responsible": ["陈永胜"],
        "status": None,
        "reminders": ["2026-12-01", "2026-12-21", "2026-12-28"],
    }


def test_json_for_a_different_roster(capsys, three_groups):
    items = plan_json(capsys, three_groups, "--year", "2027")
    plan = by_key(items)
    assert not any(item["system"] == "party_lecture" for item in items)
    assert len(items) == 12 + 36 + 4 + 1 + 3 + 1
    assert {g for (s, g, _) in plan if s == "group_meeting"} == {"east", "west", "north"}
    # Custom month offsets [10, 3]; 1 Jan 2027 is a configured holiday (no official data).
    assert plan["group_meeting", "north", "2027-01"]["reminders"] == ["2027-01-04", "2027-01-21", "2027-01-28"]
    assert plan["group_meeting", "north", "2027-01"]["responsible"] == ["孙三"]
    assert plan["committee_meeting", None, "2027-03"]["responsible"] == ["赵一"]
    assert plan["general_assembly", None, "2027-Q2"]["reminders"] == ["2027-04-01", "2027-06-10"]
    # No one named for the 民主生活会: the secretary answers for it.
    assert plan["democratic_life_meeting", None, "2027"]["responsible"] == ["书记甲"]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        pytest.param(datetime(2025, 12, 31, 12, tzinfo=SHANGHAI), {"upcoming"}, id="before-the-year"),
        pytest.param(datetime(2027, 1, 1, 12, tzinfo=SHANGHAI), {"overdue"}, id="after-the-year"),
        pytest.param(datetime(2026, 3, 24, 9, tzinfo=SHANGHAI), {"overdue", "due_soon", "open", "upcoming"}, id="late-march"),
    ],
)
def test_statuses_follow_the_clock(today, expected):
    context = load_context(EXAMPLE, clock=VirtualClock(today))
    planned, statuses = plan_rows(context, 2026, None)
    items = by_key(as_json(planned, statuses))
    assert {item["status"] for item in items.values()} == expected
    if "due_soon" in expected:
        assert items["committee_meeting", None, "2026-03"]["status"] == "due_soon"  # 7 days left
        assert items["general_assembly", None, "2026-Q1"]["status"] == "due_soon"
        assert items["committee_meeting", None, "2026-02"]["status"] == "overdue"
        assert items["committee_meeting", None, "2026-04"]["status"] == "upcoming"
        # A Q4-window system is upcoming until its window opens: a sitting now would not count.
        assert items["democratic_life_meeting", None, "2026"]["status"] == "upcoming"
        assert items["member_evaluation", None, "2026"]["status"] == "upcoming"
        assert items["organizational_life_meeting", "g1", "2026"]["status"] == "open"


@pytest.mark.parametrize(
    ("member", "systems"),
    [
        pytest.param("朱东方", {("party_lecture", None): 4}, id="lecturer"),
        pytest.param("李会玲", {("group_meeting", "g1"): 12, ("organizational_life_meeting", "g1"): 1}, id="group-leader"),
        pytest.param("王晓明", {}, id="responsible-for-nothing"),
    ],
)
def test_member_filter(capsys, member, systems):
    items = plan_json(capsys, EXAMPLE, "--year", "2026", "--member", member)
    counts: dict = {}
    for item in items:
        assert member in item["responsible"]
        counts[item["system"], item["group"]] = counts.get((item["system"], item["group"]), 0) + 1
    assert counts == systems


def test_an_unknown_member_exits_2_with_one_line(capsys):
    assert main(["--config", EXAMPLE, "plan", "--year", "2026", "--member", "张三"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"zhibu: plan: --member: '张三' is not in the roster of {EXAMPLE}\n"


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["plan"], id="no-year"),
        pytest.param(["plan", "--year", "1999"], id="year-out-of-range"),
        pytest.param(["plan", "--year", "twenty"], id="year-not-a-number"),
        pytest.param(["plan", "--year", "2026", "--format", "pdf"], id="unknown-format"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(capsys, args):
    assert main(["--config", EXAMPLE, *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("zhibu: ")


def test_table_is_readable_and_aligned(capsys):
    assert main(["--config", EXAMPLE, "plan", "--year", "2026"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("机关党支部 2026 年会议计划")
    assert lines[1].split() == ["截止日期", "制度", "党小组", "周期", "负责人", "状态", "提醒日"]
    rows = lines[2:]
    assert len(rows) == 48
    assert any("党员领导干部民主生活会" in row and "常天民" in row for row in rows)
    # Columns line up by display width: the period column starts at the same place in every row.
    starts = {display_width(row[: list(re.finditer(r"\S+", row))[3].start()]) for row in rows}
    assert len(starts) == 1
    assert "没有官方节假日数据" not in "\n".join(lines)


def test_table_says_once_when_the_year_has_no_official_data(capsys, three_groups):
    assert main(["--config", three_groups, "plan", "--year", "2027", "--member", "孙三"]) == 0
    out = capsys.readouterr().out
    assert out.count("2027 年没有官方节假日数据") == 1
    assert "[calendar] 中的 1 个假日" in out
    assert "北区党小组" in out and "东区党小组" not in out


def test_ics_parses_back_with_alarms_at_the_configured_send_time(capsys, three_groups):
    assert main(["--config", three_groups, "plan", "--year", "2027", "--format", "ics"]) == 0
    calendar = Calendar.from_ical(capsys.readouterr().out.encode("utf-8"))
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == 57
    event = events["group_meeting:north:2027-01@zhibu"]
    assert str(event["SUMMARY"]) == "党小组会（北区党小组）2027-01 截止"
    triggers = [a.decoded("TRIGGER").isoformat() for a in event.walk("VALARM")]
    assert triggers == ["2027-01-04T00:30:00+00:00", "2027-01-21T00:30:00+00:00", "2027-01-28T00:30:00+00:00"]
    assert str(calendar["X-WR-CALNAME"]) == "测试支部 2027"


def test_the_installed_console_script(tmp_path):
    zhibu = Path(sys.executable).parent / "zhibu"
    done = subprocess.run(
        [str(zhibu), "--config", EXAMPLE, "plan", "--year", "2026", "--format", "json"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 48
    broken = tmp_path / "config.toml"
    broken.write_text("[branch\n", encoding="utf-8")
    done = subprocess.run([str(zhibu), "--config", str(broken), "check-config"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "TOML syntax error" in done.stderr
