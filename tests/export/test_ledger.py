"""The ledger (台账): opened with openpyxl, its cells are what an inspector reads."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.export.data import load_year
from bot.export.ledger import build_ledger
from tests.export.conftest import G1, make_branch
from tests.export.support import as_dicts, grid, rows, run_export, table_after, workbook

SYSTEM_SHEETS = ["支部党员大会", "支部委员会", "党小组会", "党课", "党员领导干部民主生活会", "党员组织生活会", "民主评议党员"]


def _ledger(branch, year=2026):
    return workbook(run_export(branch, year).ledger)


def test_the_ledger_has_a_summary_one_sheet_per_system_and_the_audit(busy_branch):
    book = _ledger(busy_branch)

    assert book.sheetnames == ["汇总", *SYSTEM_SHEETS, "修改记录"]
    assert book["汇总"]["A1"].value == "机关党支部 2026 年度会议制度落实台账"
    assert book["党小组会"].freeze_panes == "B2"
    assert book["修改记录"].freeze_panes == "A2"
    assert book["党小组会"].column_dimensions["B"].width >= 20  # the topic is readable


def test_a_sitting_row_carries_everything_the_seed_asks_to_keep(busy_branch_on_each_backend):
    busy_branch = busy_branch_on_each_backend
    sitting = as_dicts(_ledger(busy_branch)["党小组会"])[0]

    assert sitting == {
        "日期": datetime(2026, 1, 20),
        "主题": "学习党章（第一章）",  # as amended
        "党小组": "第一党小组",
        "主持人/负责人": "李会玲",
        "出席/应到": "4/4",
        "缺席人员及原因": None,
        "涵盖会议": "党小组会",
        "认定": "计入",
        "不计入原因": None,
        "会议记录": "有",
        "照片数": 2,
        "登记人": "常天民",
        "登记时间": datetime(2026, 1, 20, 20, 30),  # Shanghai wall clock, not UTC
        "补录": None,
        "记录编号": busy_branch.ids["g1_january"],
    }


def test_a_late_sitting_with_deferred_minutes_says_so(busy_branch):
    late = as_dicts(_ledger(busy_branch)["党小组会"])[1]

    assert (late["党小组"], late["补录"], late["会议记录"], late["照片数"]) == ("第二党小组", "是", "待补", 0)
    assert late["缺席人员及原因"] == "赵磊（病假）"


def test_an_invalid_sitting_is_listed_with_its_verdict_and_reason(busy_branch):
    committee = as_dicts(_ledger(busy_branch)["支部委员会"])

    assert len(committee) == 1
    assert committee[0]["认定"] == "不计入"
    assert committee[0]["不计入原因"] == "未达到法定人数（出席 1 人，应到 4 人，至少需 3 人）"
    assert committee[0]["缺席人员及原因"] == "郭谨瑜（公出）、李会玲（公出）、朱东方（公出）"


def test_a_combined_sitting_appears_on_the_sheet_of_every_system_it_covers(busy_branch):
    book = _ledger(busy_branch)

    for sheet in ("支部党员大会", "党课"):
        (sitting,) = as_dicts(book[sheet])
        assert sitting["涵盖会议"] == "支部党员大会、党课"
        assert (sitting["认定"], sitting["会议记录"], sitting["照片数"], sitting["出席/应到"]) == ("计入", "有", 1, "6/8")


def test_the_summary_grid_marks_done_overdue_and_attention_month_by_month(busy_branch):
    cells = grid(_ledger(busy_branch)["汇总"])  # today is 2026-03-02

    blank = [""] * 9
    assert cells["支部党员大会"] == ["✓", "✓", "✓", *blank]  # the quarter spans its months
    assert cells["支部委员会"] == ["✗", "✗", "⚠", *blank]  # January's sitting did not count
    assert cells["党小组会（第一党小组）"] == ["✓", "✗", "⚠", *blank]
    assert cells["党小组会（第二党小组）"] == ["✗", "✓", "⚠", *blank]
    assert cells["党员领导干部民主生活会"] == [""] * 12  # not begun: its Q4 window opens in October
    assert len(cells) == 9  # 7 systems, two of them once per group


def test_the_summary_gives_completion_rates_per_system_and_per_group(busy_branch):
    summary = _ledger(busy_branch)["汇总"]

    by_system = table_after(summary, "各会议制度完成率")
    assert by_system["支部委员会"] == (2, 0, 0)
    assert by_system["党小组会"] == (4, 2, 0.5)
    assert by_system["支部党员大会"] == (1, 1, 1)
    assert by_system["民主评议党员"] == (0, 0, "—")  # nothing due yet
    assert table_after(summary, "各党小组完成率（党小组会、组织生活会）") == {
        "第一党小组": (2, 1, 0.5),
        "第二党小组": (2, 1, 0.5),
    }
    legend = [row[:2] for row in rows(summary) if row[0] in ("✓", "✗", "⚠", "空白")]
    assert ("✓", "已完成") in legend and ("✗", "已逾期") in legend and ("⚠", "不符合要求") in legend


def test_the_audit_sheet_lists_who_changed_what_when(busy_branch_on_each_backend):
    busy_branch = busy_branch_on_each_backend
    audit = as_dicts(_ledger(busy_branch)["修改记录"])

    amendment = next(entry for entry in audit if entry["操作"] == "修改")
    assert amendment == {
        "时间": datetime(2026, 1, 22, 9, 15),
        "操作人": "李会玲",
        "记录编号": busy_branch.ids["g1_january"],
        "会议": "2026-01-20 党小组会：学习党章（第一章）",
        "操作": "修改",
        "字段": "主题",
        "修改前": "学习党章",
        "修改后": "学习党章（第一章）",
    }
    created = next(e for e in audit if e["操作"] == "登记" and e["记录编号"] == busy_branch.ids["g1_january"])
    assert created["修改后"] == "召开日期 2026-01-20；主题 学习党章；出席 4 人：" + "、".join(sorted(G1))
    assert [e["字段"] for e in audit if e["操作"] == "补充附件"].count("照片") == 3


def test_a_year_without_records_is_still_a_complete_ledger(branch):
    book = _ledger(branch, 2025)  # a past year: everything overdue

    cells = grid(book["汇总"])
    assert len(cells) == 9 and all(row == ["✗"] * 12 for row in cells.values())
    assert table_after(book["汇总"], "各会议制度完成率")["支部委员会"] == (12, 0, 0)
    for sheet in SYSTEM_SHEETS:
        assert rows(book[sheet])[1][0] == "本年度无会议记录"
    assert rows(book["修改记录"])[1][0] == "无修改记录"


def test_a_future_year_is_blank(branch):
    cells = grid(_ledger(branch, 2027)["汇总"])

    assert all(row == [""] * 12 for row in cells.values())


def test_an_invalid_yearly_meeting_gives_every_reason(branch):
    # The 民主生活会 must be held standalone, in Q4, with 2/3 of the leadership.
    leadership = ("常天民", "郭谨瑜", "陈永胜")
    branch.log("dlm", system="democratic_life_meeting", held_on=date(2026, 2, 5), present=leadership[:1],
               expected=leadership, standalone=False)

    (sitting,) = as_dicts(_ledger(branch)["党员领导干部民主生活会"])

    assert sitting["认定"] == "不计入"
    assert sitting["不计入原因"] == (
        "未达到法定人数（出席 1 人，应到 3 人，至少需 2 人）；未单独召开；不在规定时间段内召开（应在 10–12 月召开）"
    )


def test_the_same_data_gives_the_same_workbook_bytes(busy_branch):
    context = busy_branch.context

    def build() -> bytes:
        with context.session() as session:
            export = load_year(session, ruleset=context.ruleset, branch_name="机关党支部", zone=context.zone,
                               media_dir=context.config.media_dir, year=2026, today=date(2026, 3, 2))
        return build_ledger(export)

    assert build() == build()


@pytest.mark.parametrize(
    ("name", "sheet_prefix"),
    [
        pytest.param("第一/党:小组?*", "党小组会", id="illegal-characters-in-a-group-name"),
    ],
)
def test_group_names_with_odd_characters_are_kept_in_cells(tmp_path, clock, name, sheet_prefix):
    branch = make_branch(tmp_path, f"sqlite:///{tmp_path / 'zhibu.db'}", clock, groups=[{"key": "g1", "name": name, "leader": "李会玲"},
                                                          {"key": "g2", "name": "第二党小组", "leader": "陈永胜"}])
    try:
        branch.log("odd", system="group_meeting", group="g1", held_on=date(2026, 1, 9), present=G1, expected=G1)
        book = _ledger(branch)
    finally:
        branch.context.close()

    assert as_dicts(book[sheet_prefix])[0]["党小组"] == name
    assert f"党小组会（{name}）" in grid(book["汇总"])
